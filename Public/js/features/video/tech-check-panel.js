// @ts-check
/** What other pages show of tech checks: one's own latest, and an engagement's for its Sessions card. */
import { APIError, api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { checkSummary } from './tech-check.js';

/**
 * The signed-in person's latest check, or null before the first.
 * @returns {Promise<import('./tech-check.js').TechCheck|null>}
 */
export async function ownCheck() {
  try {
    return await api('GET', '/video/tech-check');
  } catch (error) {
    if (error instanceof APIError && error.status === 404) return null;
    throw error;
  }
}

/**
 * For an engagement's Sessions card: the coach sees each client's latest tech check, a client their own, with the way
 * to the check.
 * @param {{ engagement: import('../engagements/engagement-session.js').Engagement, isCoach: boolean }} session
 * @returns {Promise<HTMLElement>}
 */
export async function techCheckPanel({ engagement, isCoach }) {
  const link = h('a', { href: '/tech-check', 'data-link': true }, t('techcheck.link'));
  if (!isCoach) {
    return h('p', { class: 'tech-check-line' }, checkSummary(await ownCheck(), { own: true }), ' ', link);
  }
  /** @type {import('./tech-check.js').TechCheck[]} */
  const checks = await api('GET', `/engagements/${engagement.id}/tech-checks`);
  const byClient = new Map(checks.map((check) => [check.userId, check]));
  return h('div', { class: 'tech-checks' },
    h('h3', {}, t('techcheck.clients')),
    h('ul', {}, ...engagement.clients.map((client) => {
      const check = byClient.get(client.userId) ?? null;
      return h('li', { class: check?.passed ? 'passed' : 'open', 'data-client': client.userId }, checkSummary(check, { own: false, name: client.displayName }));
    })));
}
