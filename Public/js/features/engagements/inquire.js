// @ts-check
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { field, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { account } from '../../core/store.js';
import { importAESKey, newID } from '../../crypto/bytes.js';
import { sealContent } from '../../crypto/engagement.js';
import { requireKeys } from '../messaging/keys.js';
import { newConversationRequest } from '../messaging/session.js';

/**
 * A prospective client writes to a coach from the directory: goals and context are sealed in this browser for the
 * two of them, together with the key of their new conversation.
 * @param {{ params: Record<string, string> }} route
 */
export async function inquireView({ params }) {
  const keys = await requireKeys();
  if (!keys) return h('div', {});
  const me = /** @type {import('../../core/store.js').Account} */ (account());
  let coach;
  let profile;
  try {
    profile = await api('GET', `/directory/coaches/${params.profileID}`);
    coach = await api('GET', `/directory/coaches/${params.profileID}/keys`);
  } catch (error) {
    return h('section', { class: 'card narrow' }, h('h1', {}, t('inquire.missing')), notice(messageFor(error), 'warning'),
      h('p', {}, h('a', { href: '/coaches' }, t('inquire.directory'))));
  }
  return h(
    'section',
    { class: 'card narrow' },
    h('h1', {}, t('inquire.title', { name: profile.displayName })),
    h('p', { class: 'lead' }, profile.headline),
    h('p', {}, t('inquire.encrypted')),
    h('p', { class: 'hint' }, t('inquire.pseudonym', { name: me.displayName }), ' ', h('a', { href: '/settings', 'data-link': true }, t('nav.settings'))),
    form({
      label: t('inquire.title', { name: profile.displayName }),
      submit: t('inquire.send'),
      busy: t('inquire.sending'),
      children: [
        field({ name: 'goals', label: t('inquire.goals'), rows: 4, hint: t('inquire.goals_hint') }),
        field({ name: 'context', label: t('inquire.context'), rows: 4, required: false }),
      ],
      action: async (values) => {
        const { request, key } = await newConversationRequest(me.id, keys, [coach]);
        const id = newID();
        const inquiry = await sealContent(
          { goals: values.goals, context: values.context },
          { id: newID(), engagement: id, author: me.id, epoch: 1, key: await importAESKey(key), signingKey: keys.signing },
        );
        await api('POST', '/inquiries', { id, profileId: profile.id, conversation: request, inquiry });
        navigate(`/engagements/${id}`);
      },
    }),
  );
}
