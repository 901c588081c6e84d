// @ts-check
/**
 * Staff review the whole pool's best matching: each pair with its score and why, who is left out and why, what a
 * greedy pick would have given. They pin pairs they require, ask again, and publish the pairs for both sides to
 * accept.
 */
import { api } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { actionButton, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';

/**
 * @typedef {{ questionId: string, label: string, points: number, maxPoints: number }} Reason
 * @typedef {{ menteeId: string, menteeName: string, mentorId: string, mentorName: string, score: number,
 *   reasons: Reason[], isPinned: boolean }} Pair
 * @typedef {{ pairs: Pair[], unmatched: Array<{ id: string, displayName: string, possibleMentors: number }>,
 *   incomplete: number, total: number, greedyTotal: number, greedyMatched: number }} Proposal
 * @typedef {{ id: string, mentee: { displayName: string }, mentor: { displayName: string }, state: string,
 *   waitingFor: string[], score: number }} Match
 */

/** "Topics 75 of 75 · Field of study 0 of 25" @param {Reason[]} reasons */
export function reasonsLine(reasons) {
  if (reasons.length === 0) return null;
  return h('p', { class: 'hint reasons' }, reasons.map((reason) =>
    t('matching.reason', { label: reason.label, points: String(reason.points), max: String(reason.maxPoints) })).join(' · '));
}

/** @param {{ programId: string, onPublished: () => Promise<void> }} options */
export function matchingReview({ programId, onPublished }) {
  /** @type {Map<string, string>} mentee → mentor */
  const pins = new Map();
  let everyoneFirst = false;
  const result = h('div', { class: 'stack', 'aria-live': 'polite' });
  const everyone = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'everyone-first', onchange: () => { everyoneFirst = everyone.checked; } }));

  const propose = async () => {
    result.setAttribute('aria-busy', 'true');
    replaceChildren(result, h('p', { class: 'hint' }, t('matching.working')));
    /** @type {Proposal} */
    const proposal = await api('POST', `/programs/${programId}/matching/proposal`, {
      everyoneFirst, pins: [...pins].map(([menteeId, mentorId]) => ({ menteeId, mentorId })),
    }).finally(() => result.removeAttribute('aria-busy'));
    replaceChildren(result, ...show(proposal));
  };

  /** @param {Proposal} proposal @returns {Node[]} */
  const show = (proposal) => {
    if (proposal.pairs.length === 0 && proposal.unmatched.length === 0) return [notice(t('matching.nobody'), 'info')];
    const gain = proposal.total - proposal.greedyTotal;
    return [
      h('p', {}, t('matching.summary', { pairs: String(proposal.pairs.length), total: String(proposal.total) }), ' ',
        gain > 0 ? t('matching.better', { gain: String(gain), greedy: String(proposal.greedyTotal) }) : t('matching.same_as_greedy')),
      proposal.incomplete ? h('p', { class: 'hint' }, t('matching.incomplete', { count: String(proposal.incomplete) })) : null,
      h('ul', { class: 'plain-list pairs' }, ...proposal.pairs.map((pair) => {
        const pinned = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', checked: pins.get(pair.menteeId) === pair.mentorId,
          onchange: () => { if (pinned.checked) pins.set(pair.menteeId, pair.mentorId); else pins.delete(pair.menteeId); } }));
        return h('li', { class: 'pair' },
          h('p', {}, h('strong', {}, pair.menteeName), ' ↔ ', h('strong', {}, pair.mentorName), ' · ',
            h('span', { class: 'badge' }, t('matching.score', { score: String(pair.score) }))),
          reasonsLine(pair.reasons),
          h('label', { class: 'choice' }, pinned, h('span', {}, t('matching.pin'))));
      })),
      proposal.unmatched.length ? h('div', {},
        h('h3', {}, t('matching.unmatched_title')),
        h('ul', { class: 'plain-list' }, ...proposal.unmatched.map((person) => h('li', {}, person.displayName, ' ',
          h('span', { class: 'hint' }, person.possibleMentors === 0 ? t('matching.no_fit') : t('matching.fits_taken', { count: String(person.possibleMentors) })))))) : null,
      h('div', { class: 'actions start' },
        actionButton(t('matching.again'), propose),
        proposal.pairs.length ? actionButton(t('matching.publish', { count: String(proposal.pairs.length) }), async () => {
          /** @type {{ created: number, alreadyPublished: number }} */
          const done = await api('POST', `/programs/${programId}/matches`, { pairs: proposal.pairs.map(({ menteeId, mentorId }) => ({ menteeId, mentorId })) });
          toast(t('matching.published', { count: String(done.created) }));
          await onPublished();
        }, 'primary') : null),
    ];
  };

  return h('section', { class: 'card stack', 'aria-labelledby': 'matching-title' },
    h('h2', { id: 'matching-title' }, t('matching.title')),
    h('p', {}, t('matching.lead')),
    h('div', { class: 'field checkbox' }, everyone, h('label', { for: 'everyone-first' }, t('matching.everyone_first'))),
    h('div', { class: 'actions start' }, actionButton(t('matching.find'), propose, 'primary')),
    result);
}

/** The program's published matches and where each stands. @param {Match[]} matches */
export function matchesList(matches) {
  if (matches.length === 0) return null;
  return h('section', { class: 'card stack', 'aria-labelledby': 'matches-title' },
    h('h2', { id: 'matches-title' }, t('matches.title')),
    h('ul', { class: 'plain-list' }, ...matches.map((match) => h('li', {},
      match.mentee.displayName, ' ↔ ', match.mentor.displayName, ' ',
      h('span', { class: `badge match-${match.state}` }, t(`match.state.${match.state}`)),
      match.waitingFor.length ? h('span', { class: 'hint' }, ' · ', t('matches.waiting_for', { who: match.waitingFor.map((role) => t(`participant.role.${role}`)).join(', ') })) : null))));
}
