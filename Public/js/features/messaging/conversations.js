// @ts-check
import { api } from '../../core/api.js';
import { coalesced } from '../../core/coalesce.js';
import { h, removeWhenGone, replaceChildren } from '../../core/dom.js';
import { personName, recently } from '../../core/format.js';
import { field, form, messageFor, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { on } from '../../core/socket.js';
import { account } from '../../core/store.js';
import { requireKeys } from './keys.js';
import { deletedAccountIn, newConversationRequest } from './session.js';
import { lookUpPeople } from './look-up.js';

/** Roles that may look people up by address and start conversations with them. */
const starters = new Set(['coach', 'platform_admin']);

/** The account's conversations, newest activity first, and (for coaches) a form to start one. */
export async function conversationsView() {
  const keys = await requireKeys();
  if (!keys) return h('div', {});
  const me = /** @type {import('../../core/store.js').Account} */ (account());
  const list = h('ul', { class: 'conversation-list', 'aria-live': 'polite' });
  // Live events come in bursts: one run at a time, and one more after it, not one per event.
  const refresh = coalesced(async () => {
    try {
      /** @type {import('./session.js').Conversation[]} */
      const conversations = await api('GET', '/conversations');
      if (conversations.length === 0) {
        replaceChildren(list, h('li', { class: 'empty' }, t(starters.has(me.role) ? 'conversations.empty_coach' : 'conversations.empty_client')));
        return;
      }
      replaceChildren(list, ...conversations.map((conversation) => row(conversation, me.id)));
    } catch (error) {
      replaceChildren(list, h('li', {}, notice(messageFor(error), 'warning')));
    }
  });
  await refresh();
  const stop = [on('message', () => void refresh()), on('conversation', () => void refresh())];
  const section = h(
    'section',
    { class: 'stack' },
    h('h1', {}, t('conversations.title')),
    h('p', { class: 'lead' }, t('conversations.lead')),
    list,
    starters.has(me.role) ? startForm(me.id, keys) : null,
  );
  removeWhenGone(section, () => stop.forEach((off) => off()));
  return section;
}

/**
 * @param {import('./session.js').Conversation} conversation
 * @param {string} me
 */
function row(conversation, me) {
  const others = conversation.members
    .filter((member) => member.userId !== me)
    .map((member) => member.displayName)
    .sort((a, b) => a.localeCompare(b, language()));
  // Someone who deleted their account is no member, but what they wrote is still here: say with whom it was.
  if (!others.length && deletedAccountIn(conversation)) others.push(personName(''));
  const mine = conversation.members.find((member) => member.userId === me);
  const unread = Math.max(0, conversation.lastSeq - (mine?.readSeq ?? 0));
  const when = conversation.lastMessageAt ?? conversation.createdAt;
  return h(
    'li',
    {},
    h(
      'a',
      { href: `/conversations/${conversation.id}`, 'data-link': true, class: 'conversation-link' },
      h('span', { class: 'names' }, others.join(', ') || t('conversations.only_you')),
      h('span', { class: 'meta' }, recently(when)),
      unread > 0 ? h('span', { class: 'badge', 'aria-label': t('conversations.unread', { count: String(unread) }) }, String(unread)) : null,
    ),
  );
}

/**
 * Coaches start a conversation by the people's addresses: their public keys are looked up and epoch 1's key is
 * wrapped for each of them and for the coach.
 * @param {string} me
 * @param {import('../../crypto/account-keys.js').UnlockedKeys} keys
 */
function startForm(me, keys) {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, t('conversations.start_title')),
    form({
      label: t('conversations.start_title'),
      submit: t('conversations.start_submit'),
      busy: t('conversations.start_busy'),
      children: [field({ name: 'emails', label: t('conversations.start_emails'), hint: t('conversations.start_hint'), autocomplete: 'off' })],
      action: async (values) => {
        const people = await lookUpPeople(values.emails);
        const { request } = await newConversationRequest(me, keys, people);
        await api('POST', '/conversations', request);
        navigate(`/conversations/${request.id}`);
      },
    }),
  );
}
