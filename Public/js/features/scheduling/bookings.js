// @ts-check
/**
 * One session as the calendar and an engagement's workspace show it, with what the viewer may do about it: pick a
 * proposed time, add it to a calendar app, move it, call it off. Also the picker of free times clients book from.
 * Every time is shown in the viewer's zone, and in the coach's too when that differs.
 */
import { APIError, api } from '../../core/api.js';
import { announce, h, replaceChildren } from '../../core/dom.js';
import { actionButton, field, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { newID } from '../../crypto/bytes.js';
import { byDay, clock, dayKey, fromLocalInput, localInput, longDay, period, span, viewerZone, when, zoneName } from './time.js';

/**
 * @typedef {{ userId: string, displayName: string }} BookingPerson
 * @typedef {{ id: string, engagementId: string, coachId: string, people: BookingPerson[], sessionTypeId: string,
 *   title: string, status: 'proposed'|'confirmed'|'cancelled', startsAt?: string|null, endsAt?: string|null,
 *   durationMinutes: number, format: 'online'|'in_person', location?: string|null, proposedStarts: string[],
 *   timeZone: string, seriesId?: string|null, occurrence?: number|null, changeableUntil?: string|null,
 *   createdBy: string, cancelledBy?: string|null, sequence: number, updatedAt: string }} Booking
 * @typedef {{ id: string, coachId: string, name: string, durationMinutes: number, format: 'online'|'in_person',
 *   location?: string|null, price?: import('../engagements/engagement-session.js').Price|null, isActive: boolean,
 *   updatedAt: string }} SessionType
 */

/** How many days of free times show at first, and with each "later days". */
const daysPerPage = 7;

/**
 * The viewer's bookings from `from` to `to` (the server's default window when not given), and open proposals.
 * @param {Date} [from] @param {Date} [to] @returns {Promise<Booking[]>}
 */
export function loadBookings(from, to) {
  const query = from && to ? `?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}` : '';
  return api('GET', `/bookings${query}`);
}

/** @param {Booking} booking @param {string} me @returns {string} the others taking part, by name */
export function othersIn(booking, me) {
  return booking.people.filter((person) => person.userId !== me).map((person) => person.displayName).join(', ');
}

/** @param {Booking} booking a confirmed or cancelled one, which has a start @returns {Date} */
export function startOf(booking) {
  return new Date(/** @type {string} */ (booking.startsAt));
}

/**
 * Whether an online session can be joined now: from a quarter of an hour before it starts until it ends.
 * @param {Booking} booking @param {number} [now]
 */
export function isJoinable(booking, now = Date.now()) {
  if (booking.status !== 'confirmed' || booking.format !== 'online' || !booking.startsAt || !booking.endsAt) return false;
  return Date.parse(booking.startsAt) - 15 * 60_000 <= now && now <= Date.parse(booking.endsAt);
}

/** @param {Booking} booking @returns {boolean} whether it is still to come (or only proposed) */
export function isUpcoming(booking) {
  if (booking.status === 'proposed') return true;
  return booking.status === 'confirmed' && !!booking.endsAt && new Date(booking.endsAt) > new Date();
}

/**
 * "Your next session: Tue, 8 Dec, 10:00–11:00 with Carla Coach", linking to the calendar; null when none is planned
 * or the calendar cannot be read now (the start page shows without it).
 * @param {string} me @returns {Promise<HTMLElement|null>}
 */
export async function nextSessionLine(me) {
  const bookings = await loadBookings().catch(() => []);
  const next = bookings.find((booking) => booking.status === 'confirmed' && isUpcoming(booking));
  if (!next?.startsAt || !next.endsAt) return null;
  const others = othersIn(next, me);
  return h('p', { class: 'next-session' }, t('home.next_session', { when: period(next.startsAt, next.endsAt), title: next.title, names: others }), ' ',
    h('a', { href: '/calendar', 'data-link': true }, t('nav.calendar')));
}

/**
 * A session in a list, with its actions.
 * @param {Booking} booking
 * @param {{ me: string, changed: () => Promise<void>, showEngagement?: boolean, underDay?: boolean }} context
 *   `changed` redraws the list after an action; `underDay`: the list's heading names the day already
 */
export function bookingItem(booking, { me, changed, showEngagement = false, underDay = false }) {
  const isCoach = booking.coachId === me;
  const others = othersIn(booking, me);
  const coachName = booking.people.find((person) => person.userId === booking.coachId)?.displayName ?? '';
  const panel = h('div', { class: 'booking-panel' });
  const where = booking.format === 'in_person' ? t('booking.in_person_at', { place: booking.location ?? '' }) : t('format.online');
  const facts = [
    booking.title,
    others ? t('booking.with', { names: others }) : null,
    where,
    booking.occurrence ? t('booking.occurrence', { number: String(booking.occurrence) }) : null,
  ].filter(Boolean).join(' · ');
  const item = h(
    'li',
    { class: `booking ${booking.status}`, 'data-booking': booking.id },
    booking.startsAt && booking.endsAt ? timeLine(booking.startsAt, booking.endsAt, booking.timeZone, underDay, isCoach ? null : coachName) : null,
    h('p', { class: 'booking-facts' }, facts, booking.status === 'confirmed' ? null : h('span', { class: `badge booking-${booking.status}` }, t(`booking.status_${booking.status}`))),
    showEngagement ? h('p', { class: 'booking-link' }, h('a', { href: `/engagements/${booking.engagementId}`, 'data-link': true }, t('booking.open_engagement'))) : null,
    isJoinable(booking) ? h('p', {}, h('a', { href: `/call/${booking.engagementId}`, 'data-link': true, class: 'button primary' }, t('call.join'))) : null,
  );
  if (booking.status === 'proposed') {
    item.append(proposal(booking, isCoach, coachName, others, changed));
  } else if (booking.status === 'confirmed' && isUpcoming(booking)) {
    item.append(confirmedActions(booking, isCoach, coachName, panel, changed), panel);
  }
  return item;
}

/**
 * "Tue, 8 Dec, 10:00–11:00" (or only the hours under a day's heading), and the same in the coach's zone when the
 * viewer is elsewhere: "(16:00–17:00 for Lena, New York)", or for the coach away from home "(… in your usual zone, …)".
 * Names, not roles: the one who offers the sessions may be a coach, a counselor or a mentor.
 * @param {string} start @param {string} end @param {string} coachZone @param {boolean} underDay
 * @param {string | null} coachName null when the viewer is the coach
 */
function timeLine(start, end, coachZone, underDay, coachName) {
  const here = period(start, end);
  const there = period(start, end, coachZone);
  const zone = zoneName(coachZone, start);
  return h(
    'p',
    { class: 'booking-when' },
    h('time', { datetime: start }, underDay ? span(start, end) : here),
    there === here ? null : h('span', { class: 'hint' }, ` ${coachName
      ? t('booking.their_time', { time: there, name: coachName, zone })
      : t('booking.own_time', { time: there, zone })}`),
  );
}

/**
 * The coach's proposed times: the client picks one; the coach sees them and may withdraw.
 * @param {Booking} booking @param {boolean} isCoach @param {string} coachName @param {string} others
 * @param {() => Promise<void>} changed
 */
function proposal(booking, isCoach, coachName, others, changed) {
  const starts = [...booking.proposedStarts].sort();
  if (isCoach) {
    return h('div', { class: 'proposal' },
      h('p', {}, t('booking.waiting_for_pick', { names: others })),
      h('ul', { class: 'proposed-times' }, ...starts.map((start) => h('li', {}, h('time', { datetime: start }, when(start))))),
      actionButton(t('booking.withdraw'), callOff(booking, t('booking.withdrawn'), changed)));
  }
  return pickProposedTime(booking, coachName, changed);
}

/**
 * A client picks one of the coach's proposed times, or asks for others (the coach is told).
 * @param {Booking} booking @param {string} coachName @param {() => Promise<void>} changed
 * @param {boolean} [introduced] whether the place it shows in says already who proposed them
 */
export function pickProposedTime(booking, coachName, changed, introduced = false) {
  const starts = [...booking.proposedStarts].sort();
  return h('div', { class: 'proposal', role: 'group', 'aria-label': t('booking.pick_label', { title: booking.title }) },
    introduced ? null : h('p', {}, t('booking.proposed_by', { name: coachName })),
    h('div', { class: 'slot-buttons' }, ...starts.map((start) => actionButton(when(start), async () => {
      await api('POST', `/bookings/${booking.id}/accept`, { startsAt: start });
      announce(t('booking.booked'));
      await changed();
    }, 'primary'))),
    actionButton(t('booking.decline_proposal'), callOff(booking, t('booking.declined', { name: coachName }), changed)));
}

/**
 * The coach ticks up to five of their free times and proposes them at once; the client picks one. The proposal's
 * ID is made once per sending, so a retry after a lost answer finds the first proposal.
 * @param {string} engagementID @param {SessionType[]} types @param {() => Promise<void>} changed
 */
export function proposeFreeTimes(engagementID, types, changed) {
  const panel = h('div', { class: 'booking-panel' });
  /** @type {Set<string>} */
  const chosen = new Set();
  let type = types[0];
  const count = h('p', { class: 'hint', 'aria-live': 'polite' });
  const send = actionButton(t('booking.propose_times'), async () => {
    if (chosen.size === 0) throw new Error('form.choose_a_time');
    await api('POST', '/proposals', { id: newID(), engagementId: engagementID, sessionTypeId: type.id, starts: [...chosen].sort() });
    announce(t('sessions.propose_done'));
    await changed();
  }, 'primary');
  const drawCount = () => {
    count.textContent = t('booking.times_chosen', { count: String(chosen.size), most: String(maximumProposals) });
  };
  const show = async () => {
    chosen.clear();
    drawCount();
    replaceChildren(panel, h('p', { class: 'hint' }, t('booking.loading_slots')));
    try {
      replaceChildren(panel, await slotPicker(engagementID, type.id, type.durationMinutes, (start, button) => {
        const key = start.toISOString();
        if (chosen.has(key)) chosen.delete(key);
        else if (chosen.size < maximumProposals) chosen.add(key);
        button.setAttribute('aria-pressed', String(chosen.has(key)));
        drawCount();
      }));
      for (const button of panel.querySelectorAll('button.slot')) button.setAttribute('aria-pressed', 'false');
    } catch (error) {
      replaceChildren(panel, notice(messageFor(error), 'warning'));
    }
  };
  const chooser = types.length > 1
    ? field({ name: 'sessionType', label: t('booking.session_type'), value: type.id, choices: types.map((one) => ({ value: one.id, label: typeLabel(one) })) })
    : h('p', {}, typeLabel(type));
  chooser.querySelector('select')?.addEventListener('change', (event) => {
    type = types.find((one) => one.id === /** @type {HTMLSelectElement} */ (event.target).value) ?? type;
    void show();
  });
  void show();
  return h('div', { class: 'booking-flow propose-free-times' }, h('p', {}, t('booking.propose_lead', { most: String(maximumProposals) })), chooser, panel, count, send);
}

/** How many times a coach may propose at once (the server's limit). */
export const maximumProposals = 5;

/**
 * Cancels a session, withdraws or declines a proposal; says so and redraws.
 * @param {Booking} booking @param {string} said @param {() => Promise<void>} changed
 */
function callOff(booking, said, changed) {
  return async () => {
    await api('POST', `/bookings/${booking.id}/cancel`);
    announce(said);
    await changed();
  };
}

/**
 * Add to a calendar app; move or call off while the coach's notice policy allows it.
 * @param {Booking} booking @param {boolean} isCoach @param {string} coachName @param {HTMLElement} panel
 * @param {() => Promise<void>} changed
 */
function confirmedActions(booking, isCoach, coachName, panel, changed) {
  const until = booking.changeableUntil ? new Date(booking.changeableUntil) : null;
  const changeable = until !== null && until > new Date();
  const actions = h('div', { class: 'booking-actions' },
    h('a', { href: `/api/v1/bookings/${booking.id}/calendar.ics`, download: 'session.ics', class: 'button' }, t('booking.add_to_calendar')));
  if (changeable) {
    actions.append(
      h('button', { type: 'button', onclick: () => void showReschedule(booking, isCoach, panel, changed) }, t('booking.reschedule')),
      h('button', { type: 'button', onclick: () => showCancel(booking, panel, changed) }, t('booking.cancel')),
    );
  }
  const policy = isCoach ? null
    : changeable ? t('booking.changeable_until', { when: when(/** @type {Date} */ (until)) })
    : t('booking.too_late', { name: coachName });
  return h('div', {}, actions, policy ? h('p', { class: 'hint' }, policy) : null);
}

/** @param {Booking} booking @param {HTMLElement} panel @param {() => Promise<void>} changed */
function showCancel(booking, panel, changed) {
  replaceChildren(panel, h('div', { class: 'confirm', role: 'group', 'aria-label': t('booking.cancel') },
    h('p', {}, t('booking.cancel_question')),
    h('div', { class: 'booking-actions' },
      actionButton(t('booking.cancel_confirm'), callOff(booking, t('booking.cancelled'), changed), 'danger'),
      h('button', { type: 'button', onclick: () => replaceChildren(panel) }, t('booking.keep')))));
  /** @type {HTMLElement|null} */ (panel.querySelector('button'))?.focus();
}

/**
 * Clients move a session to another free time; the coach to any time.
 * @param {Booking} booking @param {boolean} isCoach @param {HTMLElement} panel @param {() => Promise<void>} changed
 */
async function showReschedule(booking, isCoach, panel, changed) {
  const move = async (/** @type {string} */ startsAt) => {
    await api('POST', `/bookings/${booking.id}/reschedule`, { startsAt });
    announce(t('booking.moved'));
    await changed();
  };
  if (isCoach) {
    replaceChildren(panel, form({
      label: t('booking.reschedule'),
      submit: t('booking.move'),
      children: [field({ name: 'startsAt', label: t('booking.new_start', { zone: zoneName(viewerZone()) }), type: 'datetime-local',
        value: booking.startsAt ? localInput(new Date(booking.startsAt)) : undefined, step: 300, invalid: t('sessions.five_minutes') })],
      action: (values) => move(fromLocalInput(values.startsAt)),
    }));
  } else {
    replaceChildren(panel, h('p', { class: 'hint' }, t('booking.loading_slots')));
    try {
      replaceChildren(panel, await slotPicker(booking.engagementId, booking.sessionTypeId, booking.durationMinutes, (start) => {
        const question = t('booking.move_question', { day: longDay(dayKey(start)), time: span(start, end(start, booking.durationMinutes)) });
        confirmTime(panel, question, t('booking.move'), () => move(start.toISOString()));
      }, booking.id));
    } catch (error) {
      replaceChildren(panel, notice(messageFor(error), 'warning'));
    }
  }
  /** @type {HTMLElement|null} */ (panel.querySelector('input, button'))?.focus();
}

/**
 * The free times of a session type, by the viewer's day, a week at a time. `onPick` gets the chosen start.
 * @param {string} engagementID @param {string} sessionTypeID @param {number} durationMinutes
 * @param {(start: Date, button: HTMLElement) => void} onPick
 * @param {string} [moving] a booking being moved: its own time counts as free
 * @returns {Promise<HTMLElement>}
 */
export async function slotPicker(engagementID, sessionTypeID, durationMinutes, onPick, moving) {
  const query = `sessionType=${encodeURIComponent(sessionTypeID)}${moving ? `&moving=${encodeURIComponent(moving)}` : ''}`;
  /** @type {{ starts: string[], timeZone: string }} */
  const slots = await api('GET', `/engagements/${engagementID}/slots?${query}`);
  const days = byDay(slots.starts.map((start) => new Date(start)), (start) => start);
  if (days.length === 0) return notice(t('booking.no_slots'), 'info');
  const list = h('div', { class: 'slot-days' });
  let shown = 0;
  const more = h('button', { type: 'button', class: 'link' }, t('booking.later_days'));
  const showMore = () => {
    for (const { day, items: starts } of days.slice(shown, shown + daysPerPage)) {
      const headingID = `slot-day-${day}-${sessionTypeID}`;
      list.append(h('section', { class: 'slot-day', role: 'group', 'aria-labelledby': headingID },
        h('h4', { id: headingID }, longDay(day)),
        h('div', { class: 'slot-buttons' }, ...starts.map((start) => h('button', {
          type: 'button', class: 'slot', onclick: (/** @type {Event} */ event) => onPick(start, /** @type {HTMLElement} */ (event.currentTarget)),
          'aria-label': `${longDay(day)}, ${span(start, end(start, durationMinutes))}`,
        }, h('time', { datetime: start.toISOString() }, clock(start)))))));
    }
    shown += daysPerPage;
    more.hidden = shown >= days.length;
  };
  more.addEventListener('click', showMore);
  showMore();
  return h('div', { class: 'slot-picker' },
    h('p', { class: 'hint' }, t('booking.slots_zone', { zone: zoneName(viewerZone()) }),
      slots.timeZone !== viewerZone() ? ` ${t('booking.coach_zone', { zone: zoneName(slots.timeZone) })}` : null),
    list, more);
}

/**
 * Asks once more before booking or moving, then runs `action`. A failed try can be repeated with the same button.
 * @param {HTMLElement} panel @param {string} question @param {string} label @param {() => Promise<void>} action
 */
export function confirmTime(panel, question, label, action) {
  const picker = panel.firstElementChild;
  const step = h('div', { class: 'confirm', role: 'group', 'aria-label': label },
    h('p', {}, question),
    h('div', { class: 'booking-actions' },
      actionButton(label, async () => {
        try {
          await action();
        } catch (error) {
          // Someone else was faster: the times on show are out of date.
          if (error instanceof APIError && ['scheduling.slot_taken', 'scheduling.slot_unavailable'].includes(error.code)) step.append(notice(t('booking.choose_again'), 'info'));
          throw error;
        }
      }, 'primary'),
      h('button', { type: 'button', onclick: () => step.remove() }, t('booking.other_time'))));
  panel.querySelector('.confirm')?.remove();
  if (picker) picker.before(step);
  else panel.append(step);
  /** @type {HTMLElement|null} */ (step.querySelector('button'))?.focus();
}

/**
 * The workspace's booking flow for a client: session type, free time, confirm. The booking's ID is made once per
 * confirmation, so a retry after a lost answer finds the first booking instead of making a second.
 * @param {string} engagementID @param {SessionType[]} types @param {() => Promise<void>} changed
 */
export function bookingFlow(engagementID, types, changed) {
  const panel = h('div', { class: 'booking-panel' });
  const show = async (/** @type {SessionType} */ type) => {
    replaceChildren(panel, h('p', { class: 'hint' }, t('booking.loading_slots')));
    try {
      replaceChildren(panel, await slotPicker(engagementID, type.id, type.durationMinutes, (start) => {
        const id = newID();
        const question = t('booking.book_question', { title: type.name, day: longDay(dayKey(start)), time: span(start, end(start, type.durationMinutes)) });
        confirmTime(panel, question, t('booking.book'), async () => {
          await api('POST', '/bookings', { id, engagementId: engagementID, sessionTypeId: type.id, startsAt: start.toISOString() });
          announce(t('booking.booked'));
          await changed();
        });
      }));
    } catch (error) {
      replaceChildren(panel, notice(messageFor(error), 'warning'));
    }
  };
  const chooser = types.length > 1
    ? field({ name: 'sessionType', label: t('booking.session_type'), value: types[0].id, choices: types.map((type) => ({ value: type.id, label: typeLabel(type) })) })
    : h('p', {}, typeLabel(types[0]));
  chooser.querySelector('select')?.addEventListener('change', (event) => {
    const chosen = types.find((type) => type.id === /** @type {HTMLSelectElement} */ (event.target).value);
    if (chosen) void show(chosen);
  });
  void show(types[0]);
  return h('div', { class: 'booking-flow' }, chooser, panel);
}

/** @param {SessionType} type @returns {string} e.g. "Coaching session · 60 min · online" */
export function typeLabel(type) {
  const where = type.format === 'in_person' ? t('booking.in_person_at', { place: type.location ?? '' }) : t('format.online');
  return [type.name, t('booking.minutes', { count: String(type.durationMinutes) }), where].join(' · ');
}

/** @param {Date} start @param {number} minutes */
function end(start, minutes) {
  return new Date(start.getTime() + minutes * 60_000);
}
