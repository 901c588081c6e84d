// @ts-check
import { api } from '../../core/api.js';
import { coalesced } from '../../core/coalesce.js';
import { h, removeWhenGone, replaceChildren } from '../../core/dom.js';
import { day } from '../../core/format.js';
import { field, form, messageFor, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { on } from '../../core/socket.js';
import { account } from '../../core/store.js';
import { newID } from '../../crypto/bytes.js';
import { lookUpPeople } from '../messaging/look-up.js';
import { waitingList } from '../notifications/center.js';
import { requireKeys } from '../messaging/keys.js';
import { ConversationSession, newConversationRequest } from '../messaging/session.js';
import { EngagementSession } from './engagement-session.js';
import { otherPeople, stepTitle } from './format.js';

/**
 * The dashboard: every engagement with where it stands, and the next steps across them. Coaches also invite
 * clients here, one-to-one or as a group.
 */
export async function engagementsView() {
  const keys = await requireKeys();
  if (!keys) return h('div', {});
  const me = /** @type {import('../../core/store.js').Account} */ (account());
  const list = h('ul', { class: 'engagement-list', 'aria-live': 'polite' });
  const agenda = h('ol', { class: 'agenda' });
  // Live events come in bursts: one run at a time, and one more after it, not one per event.
  const refresh = coalesced(async () => {
    try {
      /** @type {import('./engagement-session.js').Engagement[]} */
      const engagements = await api('GET', '/engagements');
      if (engagements.length === 0) replaceChildren(list, h('li', { class: 'empty' }, t(me.role === 'coach' ? 'engagements.empty_coach' : 'engagements.empty_client')));
      else replaceChildren(list, ...engagements.map((engagement) => row(engagement, me.id)));
      /** @type {import('./engagement-session.js').Item[]} */
      const items = await api('GET', '/engagements/agenda');
      replaceChildren(agenda, ...(await agendaRows(items, engagements, me.id, keys)));
      if (items.length === 0) replaceChildren(agenda, h('li', { class: 'empty' }, t('engagements.agenda_empty')));
    } catch (error) {
      replaceChildren(list, h('li', {}, notice(messageFor(error), 'warning')));
    }
  });
  await refresh();
  const stop = on('engagement', () => void refresh());
  const section = h(
    'section',
    { class: 'stack' },
    h('h1', {}, t('engagements.title')),
    h('p', { class: 'lead' }, t(me.role === 'coach' ? 'engagements.lead_coach' : 'engagements.lead_client')),
    h('section', { class: 'card', 'aria-labelledby': 'agenda-title' }, h('h2', { id: 'agenda-title' }, t('engagements.agenda')), waitingList(), agenda),
    h('section', { class: 'card', 'aria-labelledby': 'list-title' }, h('h2', { id: 'list-title' }, t('engagements.all')), list),
    me.role === 'coach' ? await inviteForm(me.id, keys) : h('p', {}, h('a', { href: `/coaches?lang=${language()}`, class: 'button' }, t('engagements.find_coach'))),
  );
  removeWhenGone(section, stop);
  return section;
}

/**
 * @param {import('./engagement-session.js').Engagement} engagement @param {string} me
 */
function row(engagement, me) {
  const facts = [
    t(`status.${engagement.status}`),
    engagement.isGroup ? t('engagements.group', { count: String(engagement.clients.length) }) : null,
    engagement.program ? engagement.program.name : null,
    engagement.openTasks > 0 ? t('engagements.open_tasks', { count: String(engagement.openTasks) }) : null,
    engagement.nextDueAt ? t('engagements.next_due', { date: day(engagement.nextDueAt) }) : null,
  ].filter(Boolean);
  return h(
    'li',
    {},
    h(
      'a',
      { href: `/engagements/${engagement.id}`, 'data-link': true, class: 'engagement-link' },
      h('span', { class: 'names' }, otherPeople(engagement, me) || t('conversations.only_you')),
      h('span', { class: 'meta' }, facts.join(' · ')),
      engagement.progress !== undefined && engagement.progress !== null
        ? h('progress', { max: '100', value: String(engagement.progress), 'aria-label': t('engagements.progress', { value: String(engagement.progress) }) })
        : null,
    ),
  );
}

/**
 * The next steps, with their titles opened in the browser (each engagement's conversation keys once).
 * @param {import('./engagement-session.js').Item[]} items
 * @param {import('./engagement-session.js').Engagement[]} engagements
 * @param {string} me
 * @param {import('../../crypto/account-keys.js').UnlockedKeys} keys
 */
async function agendaRows(items, engagements, me, keys) {
  const byID = new Map(engagements.map((engagement) => [engagement.id, engagement]));
  /** @type {Map<string, EngagementSession>} */
  const sessions = new Map();
  const rows = [];
  for (const item of items) {
    const engagement = byID.get(item.engagementId);
    if (!engagement) continue;
    let title = item.step !== undefined && item.step !== null ? stepTitle(engagement.program?.steps[item.step]) : undefined;
    if (item.sealed) {
      let session = sessions.get(engagement.id);
      if (!session) {
        const conversation = new ConversationSession(await api('GET', `/conversations/${engagement.conversationId}`), me, keys);
        await conversation.loadKeys();
        session = new EngagementSession(engagement, conversation, me);
        sessions.set(engagement.id, session);
      }
      const content = await session.open(item.sealed);
      if (typeof content?.title === 'string') title = content.title;
    }
    const overdue = item.dueAt && new Date(item.dueAt) < new Date();
    rows.push(
      h(
        'li',
        { class: overdue ? 'overdue' : undefined },
        h('a', { href: `/engagements/${engagement.id}`, 'data-link': true }, title ?? t('engagements.unreadable')),
        h('span', { class: 'meta' }, ` — ${t(`kind.${item.kind}`)} · ${otherPeople(engagement, me)} · ${day(item.dueAt)}`),
      ),
    );
  }
  return rows;
}

/**
 * A coach invites clients by their addresses: the conversation's first key is wrapped for all of them. The
 * engagement may start from one of the coach's programs.
 * @param {string} me @param {import('../../crypto/account-keys.js').UnlockedKeys} keys
 */
async function inviteForm(me, keys) {
  const group = h('input', { type: 'checkbox', id: 'invite-group', name: 'group', value: 'yes' });
  /** @type {Array<{ id: string, name: string }>} */
  const templates = await api('GET', '/templates').catch(() => []);
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, t('engagements.invite_title')),
    form({
      label: t('engagements.invite_title'),
      submit: t('engagements.invite_submit'),
      busy: t('engagements.invite_busy'),
      children: [
        field({ name: 'emails', label: t('engagements.invite_emails'), hint: t('engagements.invite_hint'), autocomplete: 'off' }),
        h('div', { class: 'field checkbox' }, group, h('label', { for: 'invite-group' }, t('engagements.invite_group'))),
        templates.length
          ? field({ name: 'templateId', label: t('engagements.invite_program'), required: false, value: '',
            choices: [{ value: '', label: t('engagements.no_program') }, ...templates.map((template) => ({ value: template.id, label: template.name }))] })
          : null,
        templates.length ? field({ name: 'startsOn', label: t('program.starts'), type: 'date', required: false, value: new Date().toISOString().slice(0, 10) }) : null,
      ].filter(Boolean).map((node) => /** @type {HTMLElement} */ (node)),
      action: async (values) => {
        const people = await lookUpPeople(values.emails);
        const isGroup = values.group === 'yes' || people.length > 1;
        const { request } = await newConversationRequest(me, keys, people);
        const id = newID();
        await api('POST', '/engagements', { id, conversation: request, isGroup });
        if (values.templateId) await api('POST', `/engagements/${id}/program`, { templateId: values.templateId, startsOn: values.startsOn });
        navigate(`/engagements/${id}`);
      },
    }),
  );
}
