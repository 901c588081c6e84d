// @ts-check
import { h } from '../../core/dom.js';
import { messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { account } from '../../core/store.js';
import { requireKeys } from '../messaging/keys.js';
import { EngagementSession } from './engagement-session.js';

/**
 * An engagement for a page about it, opened with this browser's keys; or what the page shows instead: nothing while
 * the keys are being unlocked, or why the engagement cannot be opened.
 * @param {string} id @param {string} missing the heading for an engagement that cannot be opened
 * @returns {Promise<EngagementSession|HTMLElement>}
 */
export async function openEngagement(id, missing) {
  const keys = await requireKeys();
  if (!keys) return h('div', {});
  const me = /** @type {import('../../core/store.js').Account} */ (account());
  try {
    return await EngagementSession.load(id, me.id, keys);
  } catch (error) {
    return h('section', { class: 'card narrow' }, h('h1', {}, missing), notice(messageFor(error), 'warning'),
      h('p', {}, h('a', { href: '/engagements', 'data-link': true }, t('workspace.back'))));
  }
}
