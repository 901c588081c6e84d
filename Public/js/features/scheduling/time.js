// @ts-check
/**
 * Scheduling's plain facts, no DOM: instants shown in the viewer's time zone (the browser's, so `Date`'s local
 * methods are that zone), and the hours a coach types. The server keeps instants in UTC and hours in the coach's zone.
 */
import { language } from '../../core/i18n.js';

/** The viewer's IANA time zone: the browser's. */
export function viewerZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** @param {number} value */
const two = (value) => String(value).padStart(2, '0');

/** @param {Date} date @returns {string} `yyyy-mm-dd` of the viewer's day the instant falls on */
export function dayKey(date) {
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** @param {string} key `yyyy-mm-dd` @returns {Date} the viewer's midnight starting that day */
export function startOfDay(key) {
  const [year, month, day] = key.split('-').map(Number);
  return new Date(year, month - 1, day);
}

/** @param {Date} date @param {number} days @returns {Date} the same wall-clock time `days` later, across DST */
export function addDays(date, days) {
  const later = new Date(date);
  later.setDate(later.getDate() + days);
  return later;
}

/** @param {Date} date @returns {Date} the viewer's Monday, 00:00, of the week `date` is in */
export function weekStart(date) {
  const midnight = startOfDay(dayKey(date));
  return addDays(midnight, -((midnight.getDay() + 6) % 7));
}

/** @param {Date} date @returns {number} minutes since the viewer's midnight (wall clock) */
export function minuteOfDay(date) {
  return date.getHours() * 60 + date.getMinutes();
}

/**
 * Items grouped by the viewer's day their instant falls on, days and items in order of time.
 * @template T
 * @param {T[]} items @param {(item: T) => Date} instantOf
 * @returns {Array<{ day: string, items: T[] }>}
 */
export function byDay(items, instantOf) {
  /** @type {Map<string, T[]>} */
  const days = new Map();
  const timed = items.map((item) => ({ item, at: instantOf(item) })).sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const { item, at } of timed) {
    const key = dayKey(at);
    const day = days.get(key);
    if (day) day.push(item);
    else days.set(key, [item]);
  }
  return [...days].map(([day, grouped]) => ({ day, items: grouped }));
}

/** @param {string|Date} instant @param {string} [zone] another zone than the viewer's @returns {string} e.g. 10:00 */
export function clock(instant, zone) {
  return new Date(instant).toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit', timeZone: zone });
}

/** @param {string|Date} start @param {string|Date} end @param {string} [zone] @returns {string} 10:00–11:00 */
export function span(start, end, zone) {
  return `${clock(start, zone)}–${clock(end, zone)}`;
}

/** @param {string} key `yyyy-mm-dd` @returns {string} e.g. "Tuesday, 8 December 2026" in the interface language */
export function longDay(key) {
  return startOfDay(key).toLocaleDateString(language(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** @param {string|Date} instant @param {string} [zone] @returns {string} e.g. "Tue, 8 Dec" */
export function shortDay(instant, zone) {
  return new Date(instant).toLocaleDateString(language(), { weekday: 'short', day: 'numeric', month: 'short', timeZone: zone });
}

/** @param {string|Date} start @param {string|Date} end @param {string} [zone] @returns {string} "Tue, 8 Dec, 10:00–11:00" */
export function period(start, end, zone) {
  return `${shortDay(start, zone)}, ${span(start, end, zone)}`;
}

/** @param {string|Date} instant @param {string} [zone] @returns {string} e.g. "Tue, 8 Dec, 10:00" */
export function when(instant, zone) {
  return `${shortDay(instant, zone)}, ${clock(instant, zone)}`;
}

/**
 * A zone as people read it: the place and its offset at that moment, e.g. "America/New York (GMT-5)".
 * @param {string} zone @param {string|Date} [at]
 */
export function zoneName(zone, at = new Date()) {
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date(at)).find((part) => part.type === 'timeZoneName')?.value;
  return `${zone.replaceAll('_', ' ')}${offset ? ` (${offset})` : ''}`;
}

/** @param {Date} date @returns {string} the value of a `datetime-local` input for the instant, in the viewer's zone */
export function localInput(date) {
  return `${dayKey(date)}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** @param {string} value a `datetime-local` input's value, read in the viewer's zone @returns {string} RFC 3339 UTC */
export function fromLocalInput(value) {
  return new Date(value).toISOString();
}

/**
 * The hours a coach typed for one day: "9-12, 13:30–17" → ranges; empty means none.
 * @param {string} text
 * @returns {{ hours: Array<{ start: string, end: string }>, problem: string|null }}
 */
export function parseHours(text) {
  const hours = [];
  for (const part of text.split(/[,;]/).map((piece) => piece.trim()).filter(Boolean)) {
    const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|—|bis|to)\s*(\d{1,2})(?:[:.](\d{2}))?$/i.exec(part);
    if (!match) return { hours: [], problem: part };
    const start = Number(match[1]) * 60 + Number(match[2] ?? 0);
    const end = Number(match[3]) * 60 + Number(match[4] ?? 0);
    if (Number(match[2] ?? 0) > 59 || Number(match[4] ?? 0) > 59 || end > 24 * 60 || start >= end) return { hours: [], problem: part };
    hours.push({ start: hhmm(start), end: hhmm(end) });
  }
  hours.sort((a, b) => a.start.localeCompare(b.start));
  return { hours, problem: null };
}

/** @param {Array<{ start: string, end: string }>} hours @returns {string} e.g. "09:00–12:00, 13:30–17:00" */
export function formatHours(hours) {
  return hours.map((range) => `${range.start}–${range.end}`).join(', ');
}

/**
 * Dates with other hours, one per line: "2026-12-24" (closed) or "2026-12-31: 9-12".
 * @param {string} text
 * @returns {{ exceptions: Array<{ date: string, hours: Array<{ start: string, end: string }> }>, problem: string|null }}
 */
export function parseExceptions(text) {
  const exceptions = [];
  for (const line of text.split('\n').map((piece) => piece.trim()).filter(Boolean)) {
    const match = /^(\d{4}-\d{2}-\d{2})\s*(?::|\s)\s*(.*)$/.exec(`${line} `);
    if (!match || !isCalendarDate(match[1])) return { exceptions: [], problem: line };
    const rest = match[2].trim();
    const closed = rest === '' || /^(closed|geschlossen|frei|off)$/i.test(rest);
    const { hours, problem } = closed ? { hours: [], problem: null } : parseHours(rest);
    if (problem) return { exceptions: [], problem: line };
    exceptions.push({ date: match[1], hours });
  }
  exceptions.sort((a, b) => a.date.localeCompare(b.date));
  return { exceptions, problem: null };
}

/** @param {Array<{ date: string, hours: Array<{ start: string, end: string }> }>} exceptions */
export function formatExceptions(exceptions) {
  return exceptions.map((exception) => (exception.hours.length ? `${exception.date}: ${formatHours(exception.hours)}` : exception.date)).join('\n');
}

/** @param {string} key `yyyy-mm-dd` @returns {boolean} whether the day exists (no 30 February) */
function isCalendarDate(key) {
  const [year, month, day] = key.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** @param {number} minutes @returns {string} `HH:MM` */
function hhmm(minutes) {
  return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}
