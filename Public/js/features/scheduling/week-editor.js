// @ts-check
/**
 * The weekly hours as people set them in Cal.com: a switch per day, from–to pickers in quarter hours, more spans
 * per day, and "apply to all open days". A coach who never saved starts from Monday to Friday, 9 to 17.
 */
import { h, replaceChildren } from '../../core/dom.js';
import { language, t } from '../../core/i18n.js';

/** @typedef {{ start: string, end: string }} Span */
/** @typedef {{ on: boolean, spans: Span[] }} Day */

export const weekdays = [1, 2, 3, 4, 5, 6, 7];
/** What a day that is switched on starts with, and the week of a coach who never saved. */
const usual = { start: '09:00', end: '17:00' };

/**
 * @param {Array<{ weekday: number, start: string, end: string }>} weekly the saved hours
 * @param {boolean} neverSaved start from Monday to Friday, 9 to 17
 */
export function weekEditor(weekly, neverSaved) {
  /** @type {Map<number, Day>} */
  const week = new Map(weekdays.map((weekday) => {
    const spans = weekly.filter((range) => range.weekday === weekday).map(({ start, end }) => ({ start, end }));
    if (neverSaved && weekday <= 5) return [weekday, { on: true, spans: [{ ...usual }] }];
    return [weekday, { on: spans.length > 0, spans: spans.length ? spans : [{ ...usual }] }];
  }));
  const rows = new Map(weekdays.map((weekday) => [weekday, h('div', { class: 'day-row field', 'data-field': `day-${weekday}` })]));

  /** Draws one day again, keeping the keyboard focus on the same control. @param {number} weekday */
  const draw = (weekday) => {
    const row = /** @type {HTMLElement} */ (rows.get(weekday));
    const focused = row.contains(document.activeElement) ? document.activeElement?.id : null;
    const day = /** @type {Day} */ (week.get(weekday));
    const name = weekdayName(weekday);
    const switchID = `day-${weekday}-on`;
    const toggle = h('input', { type: 'checkbox', id: switchID, class: 'switch', checked: day.on, onchange: () => {
      day.on = !day.on;
      draw(weekday);
    } });
    replaceChildren(row,
      h('div', { class: 'day-name' }, toggle, h('label', { for: switchID }, name)),
      day.on
        ? h('div', { class: 'spans' }, ...day.spans.map((span, index) => h('div', { class: 'span' },
          timeSelect(`day-${weekday}-start-${index}`, t('week.from', { day: name }), span.start, (value) => { span.start = value; }),
          h('span', { 'aria-hidden': 'true' }, '–'),
          timeSelect(`day-${weekday}-end-${index}`, t('week.to', { day: name }), span.end, (value) => { span.end = value; }),
          day.spans.length > 1
            ? h('button', { type: 'button', class: 'icon', id: `day-${weekday}-remove-${index}`, 'aria-label': t('week.remove', { day: name, from: span.start, to: span.end }),
              onclick: () => {
                day.spans.splice(index, 1);
                draw(weekday);
                /** @type {HTMLElement|null} */ (row.querySelector('select'))?.focus();
              } }, '×')
            : null)),
          h('div', { class: 'day-actions' },
            h('button', { type: 'button', class: 'link', id: `day-${weekday}-add`, onclick: () => {
              const last = day.spans[day.spans.length - 1];
              day.spans.push(last && last.end < '22:00' ? { start: last.end, end: addHours(last.end, 1) } : { ...usual });
              draw(weekday);
            } }, t('week.add', { day: name })),
            h('button', { type: 'button', class: 'link', id: `day-${weekday}-copy`, onclick: () => {
              for (const [other, otherDay] of week) {
                if (other === weekday || !otherDay.on) continue;
                otherDay.spans = day.spans.map((span) => ({ ...span }));
                draw(other);
              }
              replaceChildren(copied, t('week.copied', { day: name }));
            } }, t('week.copy', { day: name }))))
        : h('p', { class: 'closed' }, t('week.closed')),
      h('p', { class: 'field-error', hidden: true }));
    if (focused) /** @type {HTMLElement|null} */ (document.getElementById(focused))?.focus();
  };
  const copied = h('p', { class: 'hint', 'aria-live': 'polite' });
  for (const weekday of weekdays) draw(weekday);

  const element = h('fieldset', { class: 'week-editor' },
    h('legend', {}, t('availability.weekly')),
    neverSaved ? h('p', { class: 'hint' }, t('week.suggested')) : null,
    ...rows.values(), copied);
  return {
    element,
    /**
     * The week as the server takes it, or the first day whose spans end before they start or overlap.
     * @returns {{ weekly: Array<{ weekday: number, start: string, end: string }>, problem: { weekday: number, message: string }|null }}
     */
    value() {
      const weekly = [];
      for (const [weekday, day] of week) {
        if (!day.on) continue;
        const spans = [...day.spans].sort((a, b) => a.start.localeCompare(b.start));
        for (const [index, span] of spans.entries()) {
          if (span.end <= span.start) return { weekly: [], problem: { weekday, message: t('week.end_before_start', { day: weekdayName(weekday) }) } };
          if (index > 0 && span.start < spans[index - 1].end) return { weekly: [], problem: { weekday, message: t('week.overlap', { day: weekdayName(weekday) }) } };
          weekly.push({ weekday, start: span.start, end: span.end === '24:00' ? '24:00' : span.end });
        }
      }
      return { weekly, problem: null };
    },
  };
}

/**
 * A time picker in quarter hours, shown as the interface's language writes times (13:30, 1:30 PM).
 * @param {string} id @param {string} label @param {string} value `HH:MM` @param {(value: string) => void} changed
 */
function timeSelect(id, label, value, changed) {
  const times = [];
  for (let minutes = 0; minutes <= 24 * 60; minutes += 15) times.push(hhmm(minutes));
  if (!times.includes(value)) times.push(value);
  times.sort();
  return h('select', { id, 'aria-label': label, onchange: (/** @type {Event} */ event) => changed(/** @type {HTMLSelectElement} */ (event.target).value) },
    ...times.map((time) => h('option', { value: time, selected: time === value }, clockLabel(time))));
}

/** @param {number} minutes */
function hhmm(minutes) {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** @param {string} time @param {number} hours */
function addHours(time, hours) {
  const [h0, m0] = time.split(':').map(Number);
  return hhmm(Math.min(24 * 60, h0 * 60 + m0 + hours * 60));
}

/** "13:30" in German, "1:30 PM" in English; midnight at the end of the day as 24:00. @param {string} time */
function clockLabel(time) {
  if (time === '24:00') return language() === 'de' ? '24:00' : t('week.midnight');
  const [hours, minutes] = time.split(':').map(Number);
  return new Date(Date.UTC(2026, 0, 5, hours, minutes)).toLocaleTimeString(language(), { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
}

/** @param {number} weekday 1 = Monday … 7 = Sunday */
export function weekdayName(weekday) {
  return new Date(Date.UTC(2026, 0, 4 + weekday)).toLocaleDateString(language(), { weekday: 'long', timeZone: 'UTC' });
}
