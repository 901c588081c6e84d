// @ts-check
/**
 * The calendar: one's sessions across all engagements as an agenda (what comes next, by day) or a week, in the
 * viewer's time zone; open proposals first; and the calendar settings.
 */
import { coalesced } from '../../core/coalesce.js';
import { h, removeWhenGone, replaceChildren } from '../../core/dom.js';
import { folded, messageFor, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { on } from '../../core/socket.js';
import { account } from '../../core/store.js';
import { bookingItem, isUpcoming, loadBookings, othersIn, startOf } from './bookings.js';
import { calendarSettingsCard } from './calendar-settings.js';
import { addDays, byDay, dayKey, longDay, minuteOfDay, shortDay, span, startOfDay, viewerZone, weekStart, zoneName } from './time.js';

/** The hours a week shows at least; a session outside them widens the view. */
const dayHours = { first: 8, last: 20 };

/** @param {{ hash: URLSearchParams }} route */
export async function calendarView({ hash }) {
  const me = /** @type {import('../../core/store.js').Account} */ (account());
  const week = hash.get('week');
  const start = week && /^\d{4}-\d{2}-\d{2}$/.test(week) ? weekStart(startOfDay(week)) : null;
  const body = h('div', { class: 'stack', 'aria-live': 'polite' });
  // Live events come in bursts: one run at a time, and one more after it, not one per event.
  const draw = coalesced(async () => {
    try {
      replaceChildren(body, ...(start ? await weekView(start, me.id, draw) : await agenda(me.id, draw)));
    } catch (error) {
      replaceChildren(body, notice(messageFor(error), 'warning'));
    }
  });
  await draw();
  const stop = on('engagement', () => void draw());
  const section = h(
    'section',
    { class: 'stack calendar' },
    h('h1', {}, t('calendar.title')),
    h('p', { class: 'lead' }, t('calendar.zone', { zone: zoneName(viewerZone()) })),
    h('nav', { class: 'calendar-views', 'aria-label': t('calendar.views') },
      calendarLink(null, t('calendar.agenda'), start === null), calendarLink(dayKey(start ?? weekStart(new Date())), t('calendar.week'), start !== null),
      me.role === 'coach' ? h('a', { href: '/availability', 'data-link': true, class: 'button' }, t('availability.title')) : null),
    body,
    await calendarSettingsCard().catch((error) => notice(messageFor(error), 'warning')),
  );
  removeWhenGone(section, stop);
  return section;
}

/**
 * Proposals waiting for an answer, then the coming sessions by day.
 * @param {string} me @param {() => Promise<void>} changed
 */
async function agenda(me, changed) {
  const bookings = (await loadBookings()).filter(isUpcoming);
  const proposals = bookings.filter((booking) => booking.status === 'proposed');
  const sessions = bookings.filter((booking) => booking.status === 'confirmed');
  const days = byDay(sessions, startOf);
  return [
    proposals.length ? h('section', { class: 'card', 'aria-labelledby': 'proposals-title' }, h('h2', { id: 'proposals-title' }, t('calendar.proposals')),
      h('ul', { class: 'bookings' }, ...proposals.map((booking) => bookingItem(booking, { me, changed, showEngagement: true })))) : null,
    h('section', { class: 'card', 'aria-labelledby': 'agenda-title' }, h('h2', { id: 'agenda-title' }, t('calendar.upcoming')),
      days.length === 0 ? h('p', { class: 'empty' }, t('calendar.nothing')) : null,
      ...days.map(({ day, items }) => h('section', { class: 'agenda-day', 'aria-label': longDay(day) }, h('h3', {}, longDay(day)),
        h('ul', { class: 'bookings' }, ...items.map((booking) => bookingItem(booking, { me, changed, showEngagement: true, underDay: true })))))),
  ].filter((node) => node !== null).map((node) => /** @type {HTMLElement} */ (node));
}

/**
 * Seven days from the viewer's Monday, each a column with its sessions placed by time.
 * @param {Date} monday @param {string} me @param {() => Promise<void>} changed
 */
async function weekView(monday, me, changed) {
  const end = addDays(monday, 7);
  const sessions = (await loadBookings(monday, end)).filter((booking) => booking.status === 'confirmed');
  const timed = sessions.map((booking) => ({ booking, from: startOf(booking), until: new Date(/** @type {string} */ (booking.endsAt)) }));
  const first = Math.min(dayHours.first, ...timed.map(({ from }) => from.getHours()));
  const last = Math.max(dayHours.last, ...timed.map(({ from, until }) => (dayKey(until) === dayKey(from) ? Math.ceil(minuteOfDay(until) / 60) : 24)));
  const days = new Map(byDay(timed, ({ from }) => from).map(({ day, items }) => [day, items]));
  const today = dayKey(new Date());
  const columns = Array.from({ length: 7 }, (_, index) => {
    const day = dayKey(addDays(monday, index));
    const events = (days.get(day) ?? []).map(({ booking, from, until }) => {
      const top = (minuteOfDay(from) - first * 60) / ((last - first) * 60);
      const length = (until.getTime() - from.getTime()) / 60_000 / ((last - first) * 60);
      const others = othersIn(booking, me);
      const item = h('li', { class: 'week-event' },
        h('a', { href: `/engagements/${booking.engagementId}`, 'data-link': true },
          h('time', { datetime: from.toISOString() }, span(from, until)), ' ', h('span', {}, booking.title), others ? h('span', { class: 'meta' }, others) : null));
      item.style.setProperty('top', `${(top * 100).toFixed(3)}%`);
      item.style.setProperty('height', `${(Math.min(length, 1 - top) * 100).toFixed(3)}%`);
      return item;
    });
    return h('section', { class: `week-day${day === today ? ' today' : ''}`, 'aria-label': longDay(day) },
      h('h3', {}, shortDay(startOfDay(day))),
      h('ol', { class: 'week-events' }, ...events));
  });
  const grid = h('div', { class: 'week-grid' },
    h('ol', { class: 'week-hours', 'aria-hidden': 'true' }, ...Array.from({ length: last - first }, (_, index) => h('li', {}, `${String(first + index).padStart(2, '0')}:00`))),
    ...columns);
  grid.style.setProperty('--hours', String(last - first));
  const range = new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'long', year: 'numeric' }).formatRange(monday, addDays(monday, 6));
  return [
    h('section', { class: 'card', 'aria-labelledby': 'week-title' },
      h('h2', { id: 'week-title' }, range),
      h('nav', { class: 'week-nav', 'aria-label': t('calendar.weeks') },
        calendarLink(dayKey(addDays(monday, -7)), t('calendar.previous_week')),
        calendarLink(dayKey(weekStart(new Date())), t('calendar.this_week')),
        calendarLink(dayKey(addDays(monday, 7)), t('calendar.next_week'))),
      sessions.length === 0 ? h('p', { class: 'empty' }, t('calendar.week_empty')) : null,
      grid,
      sessions.length ? folded(t('calendar.week_list'),
        h('ul', { class: 'bookings' }, ...sessions.map((booking) => bookingItem(booking, { me, changed, showEngagement: true })))) : null),
  ];
}

/**
 * A link to the agenda (`week` null) or to a week, whose Monday the address names after `#week=`.
 * @param {string|null} week @param {string} label @param {boolean} [current]
 */
function calendarLink(week, label, current = false) {
  return h('a', { href: week ? `/calendar#week=${week}` : '/calendar', 'data-link': true, class: 'button', 'aria-current': current ? 'page' : undefined }, label);
}
