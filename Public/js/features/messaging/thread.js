// @ts-check
import { api, APIError } from '../../core/api.js';
import { announce, h, removeWhenGone, replaceChildren } from '../../core/dom.js';
import { moment, personName, recently } from '../../core/format.js';
import { messageFor, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { isOnline, on, sendEvent, sendMessage } from '../../core/socket.js';
import { account } from '../../core/store.js';
import { safetyNumber } from '../../crypto/account-keys.js';
import { downloadAttachment, formatSize } from './attachments.js';
import { Composer } from './composer.js';
import { requireKeys } from './keys.js';
import { ConversationSession, deletedAccountIn } from './session.js';

/** How long a typing signal lasts (the composer sends one at most this often). */
const TYPING_INTERVAL = 3_000;

/**
 * One conversation: history (decrypted in the browser), live chat and letters, attachments, drafts, receipts.
 * @param {{ params: Record<string, string> }} route
 */
export async function threadView({ params }) {
  const keys = await requireKeys();
  if (!keys) return h('div', {});
  const me = /** @type {import('../../core/store.js').Account} */ (account());
  let session;
  try {
    session = new ConversationSession(await api('GET', `/conversations/${params.conversationID}`), me.id, keys);
    await session.loadKeys();
    await session.loadLatest();
  } catch (error) {
    return h('section', { class: 'card narrow' }, h('h1', {}, t('thread.missing_title')), notice(messageFor(error), 'warning'),
      h('p', {}, h('a', { href: '/conversations', 'data-link': true }, t('thread.back'))));
  }
  const view = new ThreadView(session, keys);
  await view.start();
  return view.root;
}

class ThreadView {
  /**
   * @param {ConversationSession} session
   * @param {import('../../crypto/account-keys.js').UnlockedKeys} keys
   */
  constructor(session, keys) {
    this.session = session;
    this.keys = keys;
    /** @type {Map<string, { content: import('../../crypto/envelope.js').MessageContent, state: 'sending'|'failed', retry: () => void }>} */
    this.pending = new Map();
    /** People whose earlier keys changed since this browser saw them; checked when the conversation (re)loads. */
    this.rewritten = /** @type {string[]} */ ([]);
    /** @type {Map<string, number>} */
    this.typing = new Map();

    this.title = h('h1', {});
    this.presence = h('p', { class: 'presence', 'aria-live': 'polite' });
    this.security = h('div', { class: 'safety', hidden: true });
    this.memberList = h('ul', { class: 'members' });
    this.olderButton = h('button', { type: 'button', class: 'link', onclick: () => void this.loadOlder() }, t('thread.older'));
    this.history = h('ol', { class: 'messages', 'aria-label': t('thread.history'), 'aria-live': 'polite', 'aria-relevant': 'additions' });
    this.typingLine = h('p', { class: 'typing', 'aria-live': 'polite' });
    this.composer = new Composer(session, (content, id) => this.deliver(content, id));
    this.status = this.composer.status;
    this.deletedNote = h('p', { class: 'notice info deleted-account', role: 'note', hidden: true }, t('thread.deleted_account'));
    this.root = h(
      'section',
      { class: 'thread' },
      h('p', {}, h('a', { href: '/conversations', 'data-link': true }, t('thread.back'))),
      h('header', { class: 'thread-header' }, this.title, this.presence,
        h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: (/** @type {Event} */ event) => void this.toggleSecurity(/** @type {HTMLElement} */ (event.currentTarget)) }, t('thread.verify'))),
      this.security,
      h('details', { class: 'members-panel' }, h('summary', {}, t('thread.members')), this.memberList),
      h('p', { class: 'older' }, this.olderButton),
      this.history,
      this.typingLine,
      this.deletedNote,
      this.composer.root,
    );
  }

  async start() {
    const id = this.session.conversation.id;
    const stops = [
      on('message', (event) => {
        if (event.message.conversation === id) void this.receive(event.message).catch(() => undefined);
      }),
      on('typing', (event) => {
        if (event.conversation !== id) return;
        this.typing.set(event.user, Date.now());
        this.renderTyping();
        setTimeout(() => this.renderTyping(), TYPING_INTERVAL + 1_000);
      }),
      on('receipt', (event) => {
        if (event.conversation !== id) return;
        const member = this.session.member(event.user);
        if (member) Object.assign(member, { deliveredSeq: event.deliveredSeq, readSeq: event.readSeq });
        void this.renderHistory();
      }),
      on('presence', () => this.renderHeader()),
      on('hello', () => this.renderHeader()),
      on('conversation', (event) => {
        if (event.id !== id) return;
        this.session.refresh().then(() => this.renderAll(), (error) => {
          // Removed from it (or it is gone): back to the list, which no longer shows it.
          if (error instanceof APIError && error.status === 404) navigate('/conversations', { replace: true });
          else replaceChildren(this.status, notice(messageFor(error), 'warning'));
        });
      }),
      // Back after a disconnect: fetch whatever arrived meanwhile.
      on('open', () => void this.session.catchUp().then(() => this.renderAll(), () => undefined)),
    ];
    removeWhenGone(this.root, () => stops.forEach((stop) => stop()));
    await this.composer.loadDraft();
    await this.renderAll();
    // A conversation opens at its newest message (after the page's heading took focus).
    requestAnimationFrame(() => this.history.lastElementChild?.scrollIntoView({ block: 'end' }));
  }

  async renderAll() {
    this.rewritten = this.session.rewrittenHistories();
    this.renderHeader();
    this.renderMembers();
    await this.renderHistory();
  }

  renderHeader() {
    const others = this.session.conversation.members
      .filter((member) => member.userId !== this.session.me)
      .sort((a, b) => a.displayName.localeCompare(b.displayName, language()));
    const gone = deletedAccountIn(this.session.conversation);
    replaceChildren(this.title, others.map((member) => member.displayName).join(', ') || (gone ? personName('') : t('conversations.only_you')));
    // Everyone else deleted their account: what they wrote stays readable, but a new message would reach nobody.
    const alone = !others.length && gone;
    this.deletedNote.hidden = !alone;
    this.composer.root.hidden = alone;
    replaceChildren(
      this.presence,
      ...others.map((member) =>
        h('span', { class: isOnline(member.userId) ? 'person online' : 'person' },
          `${member.displayName}: ${t(isOnline(member.userId) ? 'thread.online' : 'thread.offline')}`),
      ),
    );
  }

  /** Members, with "remove" for the one who started the conversation and "leave" for everyone. */
  renderMembers() {
    const { conversation, me } = this.session;
    const isCreator = conversation.creator === me;
    replaceChildren(
      this.memberList,
      ...conversation.members.map((member) => {
        const self = member.userId === me;
        const action = self
          ? h('button', { type: 'button', class: 'link', onclick: () => void this.removeMember(member.userId, true) }, t('thread.leave'))
          : isCreator
            ? h('button', { type: 'button', class: 'link', onclick: () => void this.removeMember(member.userId, false) },
                t('thread.remove', { name: member.displayName }))
            : null;
        return h('li', {}, self ? t('thread.you') : member.displayName, action ? ' · ' : '', action);
      }),
    );
  }

  /**
   * Removes a member or leaves; the next message then goes under a new key the leaver does not get.
   * @param {string} userId @param {boolean} leaving
   */
  async removeMember(userId, leaving) {
    if (!confirm(t(leaving ? 'thread.leave_confirm' : 'thread.remove_confirm'))) return;
    try {
      await api('DELETE', `/conversations/${this.session.conversation.id}/members/${userId}`);
      if (leaving) {
        navigate('/conversations');
        return;
      }
      await this.session.refresh();
      await this.session.ensureSendingKey();
      await this.renderAll();
    } catch (error) {
      replaceChildren(this.status, notice(messageFor(error), 'warning'));
    }
  }

  renderTyping() {
    const now = Date.now();
    const names = [...this.typing]
      .filter(([user, at]) => now - at < TYPING_INTERVAL + 1_000 && user !== this.session.me)
      .map(([user]) => this.session.member(user)?.displayName ?? '');
    this.typingLine.textContent = names.length ? t('thread.typing', { names: names.join(', ') }) : '';
  }

  async renderHistory() {
    const entries = await Promise.all(this.session.messages.map((message) => this.session.open(message)));
    /** @type {HTMLElement|null} */
    let lastOwnStatus = null;
    /** @type {HTMLElement[]} */
    const items = [];
    // Earlier keys that changed since this browser saw them: a warning above everything, that stays.
    for (const userId of this.rewritten) {
      const text = userId === this.session.me ? t('thread.own_history_rewritten') : t('thread.history_rewritten', { name: this.session.displayName(userId) ?? '' });
      items.push(h('li', { class: 'notice danger key-rewritten', role: 'alert' }, text));
    }
    // A security number that changed shows where it happened, between the messages before and after.
    const changes = this.session.keyChanges().sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const oldest = entries.length ? Date.parse(entries[0].message.sentAt) : -Infinity;
    const shown = changes.filter((change) => !(this.session.hasOlder && Date.parse(change.at) < oldest));
    for (const entry of entries) {
      while (shown.length && Date.parse(shown[0].at) <= Date.parse(entry.message.sentAt)) {
        const change = shown.shift();
        if (change) items.push(this.renderKeyChange(change));
      }
      const item = this.renderEntry(entry);
      if (entry.message.sender === this.session.me) lastOwnStatus = /** @type {HTMLElement} */ (item.querySelector('.receipt'));
      items.push(item);
    }
    for (const change of shown) items.push(this.renderKeyChange(change));
    for (const [id, pending] of this.pending) {
      if (this.session.messages.some((message) => message.id === id)) {
        this.pending.delete(id);
        continue;
      }
      items.push(this.renderPending(id, pending));
    }
    this.history.replaceChildren(...items);
    if (lastOwnStatus) /** @type {HTMLElement} */ (lastOwnStatus).textContent = this.receiptText();
    /** @type {HTMLButtonElement} */ (this.olderButton).hidden = !this.session.hasOlder;
    this.history.lastElementChild?.scrollIntoView?.({ block: 'end' });
    this.markRead();
  }

  /** @param {import('./session.js').KeyChange} change */
  renderKeyChange(change) {
    const date = recently(change.at);  // as the messages' bylines
    return h('li', { class: 'notice warning key-change', role: 'note' }, t('thread.key_changed', { name: change.displayName, date }));
  }

  /** @param {import('./session.js').Entry} entry */
  renderEntry({ message, content, problem }) {
    const own = message.sender === this.session.me;
    const sender = own
      ? t('thread.you')
      : this.session.member(message.sender) || this.session.isDeletedAccount(message.sender)
        ? this.session.displayName(message.sender)
        : t('thread.left', { name: this.session.displayName(message.sender) ?? t('thread.former_member') });
    const kind = content?.kind ?? 'chat';
    return h(
      'li',
      { class: `message ${kind}${own ? ' own' : ''}`, 'data-seq': String(message.seq), 'data-id': message.id },
      h('p', { class: 'byline' }, h('strong', {}, sender), ' · ', h('time', { datetime: message.sentAt, title: moment(message.sentAt) }, recently(message.sentAt))),
      content?.subject ? h('h3', { class: 'subject' }, content.subject) : null,
      content ? h('p', { class: 'text' }, content.text) : h('p', { class: 'problem' }, t(problem ?? 'messaging.unverifiable')),
      content?.attachments.length
        ? h('ul', { class: 'attachments' }, ...content.attachments.map((file) =>
            h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => void this.download(file) }, `${file.name} (${formatSize(file.size)})`))))
        : null,
      own ? h('p', { class: 'receipt' }) : null,
    );
  }

  /**
   * @param {string} id
   * @param {{ content: import('../../crypto/envelope.js').MessageContent, state: 'sending'|'failed', retry: () => void }} pending
   */
  renderPending(id, pending) {
    return h(
      'li',
      { class: `message ${pending.content.kind} own pending`, 'data-id': id },
      h('p', { class: 'byline' }, h('strong', {}, t('thread.you'))),
      pending.content.subject ? h('h3', { class: 'subject' }, pending.content.subject) : null,
      h('p', { class: 'text' }, pending.content.text),
      pending.state === 'sending'
        ? h('p', { class: 'receipt' }, t('thread.sending'))
        : h('p', { class: 'receipt failed' }, t('thread.failed'), ' ', h('button', { type: 'button', class: 'link', onclick: pending.retry }, t('thread.retry'))),
    );
  }

  /** Delivered/read status of the account's latest message. */
  receiptText() {
    const ownLast = [...this.session.messages].reverse().find((message) => message.sender === this.session.me);
    if (!ownLast) return '';
    const others = this.session.conversation.members.filter((member) => member.userId !== this.session.me);
    if (others.length && others.every((member) => member.readSeq >= ownLast.seq)) return t('thread.read');
    const readers = others.filter((member) => member.readSeq >= ownLast.seq).map((member) => member.displayName);
    if (readers.length) return t('thread.read_by', { names: readers.join(', ') });
    if (others.some((member) => member.deliveredSeq >= ownLast.seq)) return t('thread.delivered');
    return t('thread.sent');
  }

  /** Tells the others how far this account has read, when the page is being looked at. */
  markRead() {
    const mine = this.session.member(this.session.me);
    const last = this.session.lastSeq;
    if (!mine || last <= mine.readSeq || document.visibilityState !== 'visible') return;
    mine.readSeq = last;
    mine.deliveredSeq = Math.max(mine.deliveredSeq, last);
    const event = { type: 'mark', conversation: this.session.conversation.id, deliveredSeq: last, readSeq: last };
    if (!sendEvent(event)) void api('POST', `/conversations/${this.session.conversation.id}/marks`, { deliveredSeq: last, readSeq: last }).catch(() => undefined);
  }

  /** @param {import('./session.js').Message} message */
  async receive(message) {
    const gap = message.seq > this.session.complete + 1;
    this.session.add([message]);
    if (gap) await this.session.catchUp();
    if (!this.session.epochKeys.has(message.epoch)) await this.session.loadKeys();
    await this.renderHistory();
    if (message.sender !== this.session.me) {
      this.typing.delete(message.sender);
      this.renderTyping();
      announce(t('thread.new_message', { name: this.session.member(message.sender)?.displayName ?? '' }));
    }
  }

  async loadOlder() {
    await this.session.loadOlder();
    await this.renderHistory();
  }

  /** @param {HTMLElement} button */
  async toggleSecurity(button) {
    const open = this.security.hidden;
    this.security.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (!open) return;
    const others = this.session.conversation.members.filter((member) => member.userId !== this.session.me && member.agreementKey);
    const rows = await Promise.all(others.map(async (member) =>
      h('li', {}, h('strong', {}, member.displayName), h('code', { class: 'safety-number' }, await safetyNumber(this.keys.publicKeys, member)))));
    replaceChildren(this.security, h('p', {}, t('thread.verify_lead')), h('ul', {}, ...rows));
  }

  /**
   * Seals and sends with a stable ID, so "retry" can never duplicate a message.
   * @param {import('../../crypto/envelope.js').MessageContent} content
   * @param {string} id
   */
  async deliver(content, id) {
    const pending = { content, state: /** @type {'sending'|'failed'} */ ('sending'), retry: () => void this.deliver(content, id) };
    this.pending.set(id, pending);
    await this.renderHistory();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const sealed = await this.session.seal(content, id);
        const stored = await sendMessage(this.session.conversation.id, {
          id, epoch: sealed.epoch, ciphertext: sealed.ciphertext, signature: sealed.signature, attachments: content.attachments.map((file) => file.id),
        });
        this.session.add([stored]);  // the message as stored: nothing to fetch
        this.pending.delete(id);
        await this.renderHistory();
        return;
      } catch (error) {
        // The key changed under us (someone joined or left): fetch it and seal again, once.
        if (error instanceof APIError && error.code === 'messaging.stale_epoch' && attempt === 0) {
          await this.session.refresh();
          continue;
        }
        pending.state = 'failed';
        await this.renderHistory();
        if (error instanceof APIError && error.code !== 'network.offline') throw error;
        return;
      }
    }
  }

  /** @param {import('../../crypto/envelope.js').AttachmentReference} file */
  async download(file) {
    try {
      await downloadAttachment(this.session.conversation.id, file);
    } catch (error) {
      replaceChildren(this.status, notice(messageFor(error), 'warning'));
    }
  }
}
