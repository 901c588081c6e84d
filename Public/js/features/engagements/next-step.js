// @ts-check
/**
 * The workspace's next step, at its top: one sentence on what the engagement waits for and, when it waits for this
 * person, the one primary action right there — propose times for a first meeting, pick one of them (or ask for
 * others), propose or confirm the agreement, plan the next session. Never hidden in a folded section.
 */
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { moment } from '../../core/format.js';
import { actionButton } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { pickProposedTime, proposeFreeTimes } from '../scheduling/bookings.js';
import { when } from '../scheduling/time.js';

/** @typedef {import('./workspace.js').Workspace} Workspace */

/**
 * @param {Workspace} view
 * @returns {Promise<HTMLElement|null>} the next step, or nothing once the engagement ended
 */
export async function nextStep(view) {
  const { engagement, isCoach, me } = view.session;
  const meeting = engagement.firstMeeting;
  const coach = engagement.coach.displayName;
  const clients = engagement.clients.map((client) => client.displayName).join(', ');
  const changed = () => view.reload();

  if (engagement.status === 'inquiry' || engagement.status === 'agreement_proposed') {
    if (meeting?.bookingId && !meeting.acceptedAt) {
      /** @type {import('../scheduling/bookings.js').Booking|null} */
      const booking = await api('GET', `/bookings/${meeting.bookingId}`).catch(() => null);
      if (booking?.status === 'proposed') {
        if (!isCoach) return card(t('next.client_pick', { name: coach }), pickProposedTime(booking, coach, changed, true));
        return card(t('next.coach_wait_pick', { names: clients }),
          h('ul', { class: 'proposed-times' }, ...[...booking.proposedStarts].sort().map((start) => h('li', {}, h('time', { datetime: start }, when(start))))),
          actionButton(t('booking.withdraw'), async () => {
            await api('POST', `/bookings/${booking.id}/cancel`);
            await changed();
          }));
      }
    }
  }

  if (engagement.status === 'inquiry') {
    if (!meeting) {
      if (!isCoach) {
        const sentence = t(engagement.initiatedBy === 'client' ? 'next.client_wait_meeting' : 'next.client_invited_wait', { name: coach });
        return card(sentence, engagement.isGroup ? null : revealButton(view, t('workspace.withdraw')));
      }
      /** @type {import('../scheduling/bookings.js').SessionType[]} */
      const types = await api('GET', `/engagements/${engagement.id}/session-types`).catch(() => []);
      const panel = h('div', { class: 'next-panel' });
      const start = types.length
        ? h('button', { type: 'button', class: 'primary', onclick: () => {
          start.remove();
          panel.append(proposeFreeTimes(engagement.id, types, changed));
          /** @type {HTMLElement|null} */ (panel.querySelector('select, button.slot, button'))?.focus();
        } }, t('next.propose_meeting'))
        : h('p', { class: 'hint' }, t('sessions.no_types'), ' ', h('a', { href: '/availability', 'data-link': true }, t('availability.title')));
      return card(t(engagement.initiatedBy === 'client' ? 'next.coach_inquiry' : 'next.coach_invited', { names: clients }),
        h('div', { class: 'next-actions' }, start, revealButton(view, t('workspace.propose_agreement')), revealButton(view, t('workspace.decline'))),
        panel);
    }
    const at = moment(meeting.at);
    if (isCoach) {
      return card(meeting.acceptedAt ? t('next.coach_meeting_booked', { when: at, names: clients }) : t('next.coach_meeting_legacy', { when: at }),
        revealButton(view, t('workspace.propose_agreement'), 'primary'));
    }
    return card(t('next.client_meeting_booked', { when: at, name: coach }),
      h('a', { href: '/tech-check', 'data-link': true, class: 'button' }, t('techcheck.link')));
  }

  if (engagement.status === 'agreement_proposed') {
    const version = engagement.agreement?.version;
    if (isCoach) {
      const waiting = engagement.clients.filter((client) => client.confirmedVersion !== version).map((client) => client.displayName).join(', ');
      return card(t('next.coach_wait_confirm', { names: waiting }), revealButton(view, t('workspace.revise_agreement')));
    }
    const mine = engagement.clients.find((client) => client.userId === me);
    if (mine?.confirmedVersion === version) return card(t('next.client_confirmed', { name: coach }));
    return card(t('next.client_confirm', { name: coach }),
      h('button', { type: 'button', class: 'primary', onclick: () => {
        const agreement = view.body.querySelector('.agreement');
        agreement?.scrollIntoView({ block: 'start' });
        /** @type {HTMLElement|null|undefined} */ (agreement?.querySelector('button.primary'))?.focus({ preventScroll: true });
      } }, t('next.read_and_confirm')));
  }

  if (engagement.status === 'active') {
    if (!isCoach && engagement.isGroup) return card(t('next.group_active', { name: coach }));
    return card(t(isCoach ? 'next.coach_active' : 'next.client_active'),
      h('button', { type: 'button', class: 'primary', onclick: () => {
        const sessions = view.body.querySelector('.sessions-card');
        sessions?.scrollIntoView({ block: 'start' });
        const fold = /** @type {HTMLDetailsElement|null|undefined} */ (sessions?.querySelector('details'));
        if (fold) fold.open = true;
        /** @type {HTMLElement|null|undefined} */ (fold?.querySelector('summary') ?? sessions?.querySelector('a, button'))?.focus({ preventScroll: true });
      } }, t(isCoach ? 'next.plan_session' : 'next.book_session')));
  }
  return null;
}

/**
 * @param {string} sentence @param {...(Node|null)} parts
 */
function card(sentence, ...parts) {
  return h('div', { class: 'next-step', role: 'region', 'aria-labelledby': 'next-step-title' },
    h('h2', { id: 'next-step-title' }, t('next.title')),
    h('p', { class: 'next-sentence' }, sentence),
    ...parts);
}

/**
 * A button that opens one of the workspace's folded forms (by its summary), brings it into view and puts the focus
 * on its first field.
 * @param {Workspace} view @param {string} summary @param {string} [kind]
 */
function revealButton(view, summary, kind) {
  return h('button', { type: 'button', class: kind, onclick: () => {
    const fold = [...view.body.querySelectorAll('details')].find((details) => details.querySelector('summary')?.textContent === summary);
    if (!fold) return;
    fold.open = true;
    fold.scrollIntoView({ block: 'start' });
    /** @type {HTMLElement|null} */ (fold.querySelector('input, textarea, select'))?.focus({ preventScroll: true });
  } }, summary);
}
