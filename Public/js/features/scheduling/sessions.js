// @ts-check
/**
 * The sessions card of an engagement's workspace: what is planned and proposed; clients of a 1:1 engagement book a
 * free time; the coach puts sessions in the calendar, proposes times or plans a recurring series.
 */
import { APIError, api } from '../../core/api.js';
import { announce, h, replaceChildren } from '../../core/dom.js';
import { field, folded, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { newID } from '../../crypto/bytes.js';
import { bookingFlow, bookingItem, isUpcoming, loadBookings, maximumProposals, typeLabel } from './bookings.js';
import { techCheckPanel } from '../video/tech-check-panel.js';
import { fromLocalInput, viewerZone, zoneName } from './time.js';


/**
 * The Sessions card of an engagement that has not ended (the workspace shows it only then).
 * @param {{ engagement: import('../engagements/engagement-session.js').Engagement, me: string, isCoach: boolean }} session
 * @param {() => Promise<void>} changed draws the workspace again after a booking changed
 * @returns {Promise<HTMLElement>}
 */
export async function sessionsCard(session, changed) {
  const card = h('section', { class: 'card sessions-card', 'aria-labelledby': 'sessions-title' });
  try {
    replaceChildren(card, ...(await contents(session, changed)));
  } catch (error) {
    replaceChildren(card, h('h2', { id: 'sessions-title' }, t('sessions.title')), notice(messageFor(error), 'warning'));
  }
  return card;
}

/** @param {{ engagement: import('../engagements/engagement-session.js').Engagement, me: string, isCoach: boolean }} session @param {() => Promise<void>} changed */
async function contents({ engagement, me, isCoach }, changed) {
  /** @type {[import('./bookings.js').Booking[], import('./bookings.js').SessionType[], HTMLElement]} */
  const [bookings, types, techCheck] = await Promise.all([loadBookings(), api('GET', `/engagements/${engagement.id}/session-types`),
    techCheckPanel({ engagement, isCoach })]);
  // Proposed times for the first meeting show at the workspace's top, as its next step.
  const ours = bookings.filter((booking) => booking.engagementId === engagement.id && isUpcoming(booking)
    && !(booking.status === 'proposed' && booking.id === engagement.firstMeeting?.bookingId));
  const parts = [
    h('h2', { id: 'sessions-title' }, t('sessions.title')),
    h('p', { class: 'hint' }, t('sessions.zone', { zone: zoneName(viewerZone()) }), ' ', h('a', { href: '/calendar', 'data-link': true }, t('sessions.calendar'))),
    h('p', {}, h('a', { href: `/call/${engagement.id}`, 'data-link': true, class: 'button' }, t('call.open'))),
    techCheck,
    ours.length
      ? h('ul', { class: 'bookings' }, ...ours.map((booking) => bookingItem(booking, { me, changed })))
      : h('p', { class: 'empty' }, t('sessions.none')),
  ];
  if (!isCoach) {
    if (engagement.isGroup) parts.push(h('p', { class: 'hint' }, t('sessions.group_client')));
    else if (types.length === 0) parts.push(h('p', { class: 'hint' }, t('sessions.nothing_bookable', { name: engagement.coach.displayName })));
    else parts.push(folded(t('sessions.book'), () => bookingFlow(engagement.id, types, changed)));  // free times on opening
    return parts;
  }
  if (types.length === 0) {
    parts.push(h('p', { class: 'hint' }, t('sessions.no_types'), ' ', h('a', { href: '/availability', 'data-link': true }, t('availability.title'))));
    return parts;
  }
  parts.push(
    folded(t('sessions.put_in_calendar'), coachForm('put', engagement.id, types, changed)),
    folded(t('sessions.propose'), coachForm('propose', engagement.id, types, changed)),
    folded(t('sessions.series'), coachForm('series', engagement.id, types, changed)),
  );
  return parts;
}

/**
 * What a coach plans: one session, proposed times, or a series. Each form keeps its request's ID until the server
 * took it, so submitting again after a lost answer does not plan twice.
 * @param {'put'|'propose'|'series'} kind @param {string} engagementID
 * @param {import('./bookings.js').SessionType[]} types @param {() => Promise<void>} changed
 */
function coachForm(kind, engagementID, types, changed) {
  let id = newID();
  const zone = zoneName(viewerZone());
  // Sessions start on five-minute marks (the server keeps time in five-minute blocks): the form says so first.
  const onTheMark = { step: 300, invalid: t('sessions.five_minutes') };
  const typeField = field({ name: 'sessionTypeId', label: t('booking.session_type'), value: types[0].id, choices: types.map((type) => ({ value: type.id, label: typeLabel(type) })) });
  const children = {
    put: () => [typeField, field({ name: 'startsAt', label: t('sessions.start', { zone }), type: 'datetime-local', ...onTheMark })],
    propose: () => [typeField, ...Array.from({ length: maximumProposals }, (_, index) =>
      field({ name: `start${index}`, label: t('sessions.option', { number: String(index + 1), zone }), type: 'datetime-local', required: index === 0, ...onTheMark }))],
    series: () => [
      typeField,
      field({ name: 'firstStartsAt', label: t('sessions.first_start', { zone }), type: 'datetime-local', ...onTheMark }),
      field({ name: 'intervalWeeks', label: t('sessions.interval'), value: '1', choices: [1, 2, 3, 4].map((weeks) => ({ value: String(weeks), label: t(`sessions.every_${weeks}`) })) }),
      field({ name: 'count', label: t('sessions.count'), type: 'number', min: 2, max: 52, value: '10' }),
    ],
  }[kind]();
  return form({
    label: t(`sessions.${kind === 'put' ? 'put_in_calendar' : kind}`),
    submit: t(`sessions.${kind}_submit`),
    children,
    action: async (values) => {
      const common = { id, engagementId: engagementID, sessionTypeId: values.sessionTypeId };
      if (kind === 'put') await api('POST', '/bookings', { ...common, startsAt: fromLocalInput(values.startsAt) });
      if (kind === 'propose') {
        const filled = Array.from({ length: maximumProposals }, (_, index) => index).filter((index) => values[`start${index}`]);
        try {
          await api('POST', '/proposals', { ...common, starts: filled.map((index) => fromLocalInput(values[`start${index}`])) });
        } catch (error) {
          // The server names `starts[1]`, the second time given: point at the field it came from.
          const index = error instanceof APIError ? /^starts\[(\d+)\]$/.exec(error.field ?? '')?.[1] : undefined;
          throw index === undefined ? error : /** @type {APIError} */ (error).withField(`start${filled[Number(index)]}`);
        }
      }
      if (kind === 'series') {
        await api('POST', '/series', { ...common, firstStartsAt: fromLocalInput(values.firstStartsAt),
          intervalWeeks: Number(values.intervalWeeks), count: Number(values.count) });
      }
      id = newID();
      announce(t(`sessions.${kind}_done`));
      await changed();
    },
  });
}
