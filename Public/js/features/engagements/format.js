// @ts-check
/** How engagements' plain facts read in the interface: dates, prices, people. No DOM here. */
import { language, t } from '../../core/i18n.js';

/** @param {string|undefined|null} iso @returns {string} a date in the interface language */
export function day(iso) {
  if (!iso) return '';
  // `yyyy-mm-dd` days are calendar days, not instants: show them as written, in no time zone.
  const date = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return date.toLocaleDateString(language(), { year: 'numeric', month: 'long', day: 'numeric', timeZone: iso.length === 10 ? 'UTC' : undefined });
}

/** @param {string|undefined|null} iso @returns {string} date and time in the interface language */
export function moment(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(language(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** @param {import('./engagement-session.js').Price|undefined} price */
export function money(price) {
  if (!price) return '';
  const amount = new Intl.NumberFormat(language(), { style: 'currency', currency: price.currency }).format(price.amount / 100);
  return t(`price.per_${price.per}`, { amount });
}

/**
 * A typed amount ("120", "120,50", "120.5") in minor units, or null when it is not a number.
 * @param {string} text
 */
export function minorUnits(text) {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/**
 * Everyone else in an engagement, by name.
 * @param {import('./engagement-session.js').Engagement} engagement @param {string} me
 */
export function otherPeople(engagement, me) {
  return [engagement.coach, ...engagement.clients]
    .filter((person) => person.userId !== me)
    .map((person) => person.displayName)
    .sort((a, b) => a.localeCompare(b, language()))
    .join(', ');
}

/**
 * A program's check-ins and milestones from what a coach typed: "day: title" lines and a list of check-in days.
 * @param {string} milestones @param {string} checkIns
 * @returns {{ steps: import('./engagement-session.js').ProgramStep[], problem: string|null }}
 */
export function parseProgram(milestones, checkIns) {
  /** @type {import('./engagement-session.js').ProgramStep[]} */
  const steps = [];
  for (const line of milestones.split('\n').map((text) => text.trim()).filter(Boolean)) {
    const match = /^(\d{1,4})\s*[:.)-]\s*(.+)$/.exec(line);
    if (!match) return { steps: [], problem: line };
    steps.push({ day: Number(match[1]), title: match[2].trim(), kind: 'milestone' });
  }
  for (const part of checkIns.split(/[,;\s]+/).filter(Boolean)) {
    if (!/^\d{1,4}$/.test(part)) return { steps: [], problem: part };
    steps.push({ day: Number(part), title: t('program.check_in_day', { day: part }), kind: 'check_in' });
  }
  steps.sort((a, b) => a.day - b.day);
  return { steps, problem: null };
}
