// @ts-check
/**
 * On the start page: the programs one takes part in (with the registration still to complete), and one's matches,
 * with accept and decline where an answer waits.
 */
import { api, APIError } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { actionButton } from '../../core/forms.js';
import { day } from '../../core/format.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { account } from '../../core/store.js';
import { requireKeys } from '../messaging/keys.js';
import { newConversationRequest } from '../messaging/session.js';
import { when } from '../scheduling/time.js';

/**
 * @typedef {{ programId: string, name: string, institutionName: string, role: 'mentee'|'mentor', status: string,
 *   matchingMode: string, isRegistrationComplete: boolean }} MyProgram
 * @typedef {{ id: string, programName: string, mentee: { userId?: string|null, displayName: string },
 *   mentor: { userId?: string|null, displayName: string }, state: string, waitingFor: Array<'mentee'|'mentor'>,
 *   respondBy?: string|null, origin: string, engagementId?: string|null }} Match
 */

/**
 * Opens the pair's shared space (their engagement), starting it first if neither has yet: the conversation key is
 * made here and wrapped for both, and the conversation takes the match's ID, so two starting at once make one.
 * @param {Match} match
 */
async function openPairSpace(match) {
  if (!match.engagementId) {
    const keys = await requireKeys();
    const me = account()?.id;
    if (!keys || !me) return;
    const partner = await api('GET', `/matches/${match.id}/partner-keys`);
    const { request } = await newConversationRequest(me, keys, [partner], match.id);
    try {
      await api('POST', `/matches/${match.id}/engagement`, { conversation: request });
    } catch (error) {
      // The partner is starting it this very moment: theirs is ours a moment later.
      if (!(error instanceof APIError) || error.code !== 'programs.pair_starting') throw error;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await api('POST', `/matches/${match.id}/engagement`, { conversation: request });
    }
  }
  navigate(`/engagements/${match.id}`);
}

/**
 * The programs one takes part in and one's matches, as the start page shows them.
 * @returns {Promise<[MyProgram[], Match[]]>}
 */
export function loadMine() {
  return Promise.all([api('GET', '/my-programs').catch(() => []), api('GET', '/matches').catch(() => [])]);
}

/**
 * "Did you meet?" about each pair's latest session that is over, until one of the two answered: among what waits on
 * the start page. An answered question leaves the list, and `changed` lets the page redraw what depends on it.
 * @param {Match[]} matches @param {() => void} changed
 * @returns {Promise<HTMLElement>} a list, empty when nothing is asked
 */
export async function meetingQuestions(matches, changed) {
  const list = h('ul', { class: 'plain-list stack tight' });
  const me = account()?.id;
  const live = matches.filter((match) => match.engagementId && (match.state === 'active' || match.state === 'paused'));
  const asked = await Promise.all(live.map(async (match) => {
    /** @type {Array<{ bookingId: string, startsAt: string, met?: boolean|null }>} */
    const meetings = await api('GET', `/matches/${match.id}/meetings`).catch(() => []);
    return meetings.slice(0, 1).filter((meeting) => meeting.met == null).map((meeting) => ({ match, meeting }));
  }));
  for (const { match, meeting } of asked.flat()) {
    const other = match.mentee.userId === me ? match.mentor.displayName : match.mentee.displayName;
    const item = h('li', {}, h('div', { class: 'did-you-meet', role: 'group', 'aria-labelledby': `met-${meeting.bookingId}` },
      h('p', { id: `met-${meeting.bookingId}` }, t('my_matches.did_you_meet', { name: other, when: when(meeting.startsAt) })),
      h('div', { class: 'actions start' },
        ...[true, false].map((met) => actionButton(t(met ? 'my_matches.met' : 'my_matches.not_met'), async () => {
          await api('PUT', `/matches/${match.id}/meetings/${meeting.bookingId}`, { met });
          toast(t(met ? 'my_matches.met_thanks' : 'my_matches.not_met_thanks'));
          item.remove();
          changed();
        }, met ? 'primary' : '')))));
    list.append(item);
  }
  return list;
}

/**
 * @param {[MyProgram[], Match[]]} first what the page loaded already (`loadMine`), for the first drawing
 * @returns {Promise<Node|null>} nothing when one takes part in no program
 */
export async function myPrograms(first) {
  // A section (named by its heading) only when there is something to show; empty, a plain box.
  const root = h('div', { class: 'stack' });
  /** @type {[MyProgram[], Match[]] | null} */
  let loaded = first;
  const draw = async () => {
    const [programs, matches] = loaded ?? await loadMine();
    loaded = null;
    if (programs.length === 0 && matches.length === 0) return void replaceChildren(root);
    const me = account()?.id;
    replaceChildren(root, h('section', { class: 'stack', 'aria-labelledby': 'my-programs-title' },
      h('h2', { id: 'my-programs-title' }, t('my_programs.title')),
      h('ul', { class: 'plain-list' }, ...programs.map((program) => h('li', { class: 'stack tight' },
        h('p', {}, h('strong', {}, program.name), ' · ', program.institutionName, ' · ', t(`participant.role.${program.role}`)),
        program.isRegistrationComplete
          ? h('p', { class: 'hint' }, t('my_programs.registered'), ' ', h('a', { href: `/programs/${program.programId}/registration`, 'data-link': true }, t('my_programs.change')))
          : h('p', {}, h('a', { href: `/programs/${program.programId}/registration`, 'data-link': true, class: 'button primary' }, t('my_programs.complete')))))),
      matches.length ? h('ul', { class: 'plain-list matches' }, ...matches.map((match) => {
        const side = match.mentee.userId === me ? 'mentee' : 'mentor';
        const other = side === 'mentee' ? match.mentor.displayName : match.mentee.displayName;
        const waitsForMe = match.waitingFor.includes(side);
        return h('li', { class: 'stack tight' },
          h('p', {}, t(`my_matches.${side}`, { name: other }), ' ', h('span', { class: `badge match-${match.state}` }, t(`match.state.${match.state}`))),
          waitsForMe && match.respondBy ? h('p', { class: 'hint' }, t('my_matches.respond_by', { date: day(match.respondBy) })) : null,
          !waitsForMe && match.waitingFor.length ? h('p', { class: 'hint' }, t('my_matches.waiting_for_other', { name: other })) : null,
          waitsForMe ? h('div', { class: 'actions start' },
            actionButton(t('my_matches.accept'), async () => {
              await api('POST', `/matches/${match.id}/accept`);
              toast(t('my_matches.accepted', { name: other }));
              await draw();
            }, 'primary'),
            actionButton(t('my_matches.decline'), async () => {
              if (!confirm(t('my_matches.decline_confirm', { name: other }))) return;
              await api('POST', `/matches/${match.id}/decline`);
              toast(t('my_matches.declined'));
              await draw();
            })) : null,
          match.state === 'active' || match.state === 'paused' ? h('div', { class: 'actions start' },
            match.engagementId
              ? h('a', { href: `/engagements/${match.engagementId}`, 'data-link': true, class: 'button primary' }, t('my_matches.open_space'))
              : actionButton(t('my_matches.start_space'), () => openPairSpace(match), 'primary'),
            actionButton(t(match.state === 'active' ? 'my_matches.pause' : 'my_matches.resume'), async () => {
              await api('POST', `/matches/${match.id}/${match.state === 'active' ? 'pause' : 'resume'}`);
              toast(t(match.state === 'active' ? 'my_matches.paused' : 'my_matches.resumed'));
              await draw();
            }),
            actionButton(t('my_matches.end'), async () => {
              if (!confirm(t('my_matches.end_confirm', { name: other }))) return;
              await api('POST', `/matches/${match.id}/end`);
              toast(t('my_matches.ended'));
              await draw();
            })) : null,
          side === 'mentee' && match.state === 'requested' ? h('div', { class: 'actions start' },
            actionButton(t('my_matches.withdraw'), async () => {
              await api('POST', `/matches/${match.id}/decline`);
              toast(t('my_matches.withdrawn'));
              await draw();
            })) : null);
      })) : null));
  };
  await draw();
  return root;
}
