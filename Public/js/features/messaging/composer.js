// @ts-check
/**
 * The composer under a conversation: chat or letter, the subject, attachments, the typing signal and the letter's
 * draft (sealed like a message, kept on the server for this author only). Sending goes to the thread, which shows
 * the message as pending until it is stored.
 */
import { newMessageID } from '../../crypto/bytes.js';
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { sendEvent } from '../../core/socket.js';
import { formatSize, uploadAttachment } from './attachments.js';

const TYPING_INTERVAL = 3_000;
const DRAFT_DELAY = 1_500;

export class Composer {
  /**
   * @param {import('./session.js').ConversationSession} session
   * @param {(content: import('../../crypto/envelope.js').MessageContent, id: string) => Promise<void>} send
   */
  constructor(session, send) {
    this.session = session;
    this.send = send;
    this.lastTypingSent = 0;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.draftTimer = undefined;
    /** @type {File[]} */
    this.files = [];
    this.mode = /** @type {'chat'|'letter'} */ ('chat');
    /** Where the composer and the thread say how things went (draft saved, a failure). */
    this.status = h('div', { class: 'composer-status', role: 'status' });
    this.root = this.build();
  }

  /** @returns {HTMLFormElement} */
  build() {
    const modeChat = h('input', { type: 'radio', name: 'mode', id: 'mode-chat', value: 'chat', checked: true });
    const modeLetter = h('input', { type: 'radio', name: 'mode', id: 'mode-letter', value: 'letter' });
    this.subject = /** @type {HTMLInputElement} */ (h('input', { id: 'letter-subject', name: 'subject', autocomplete: 'off', maxlength: 200 }));
    this.subjectField = h('div', { class: 'field', hidden: true }, h('label', { for: 'letter-subject' }, t('thread.subject')), this.subject);
    this.text = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'message-text', name: 'text', rows: 2, 'aria-label': t('thread.write') }));
    // The browser's own file button speaks the browser's language, not the page's: a label in the page's stands in.
    this.fileInput = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'message-files', multiple: true, class: 'file-input' }));
    this.fileList = h('ul', { class: 'files', 'aria-live': 'polite' }, h('li', { class: 'hint' }, t('thread.no_files')));
    this.sendButton = h('button', { type: 'submit', class: 'primary' }, t('thread.send'));
    const composer = h(
      'form',
      { class: 'composer card', 'aria-label': t('thread.compose') },
      h('fieldset', { class: 'modes' }, h('legend', {}, t('thread.mode')),
        h('label', { class: 'choice' }, modeChat, h('span', {}, t('thread.mode_chat'))),
        h('label', { class: 'choice' }, modeLetter, h('span', {}, t('thread.mode_letter')))),
      this.subjectField,
      this.text,
      h('div', { class: 'field file-field' }, this.fileInput, h('label', { for: 'message-files', class: 'file-button' }, t('thread.attach'))),
      this.fileList,
      h('div', { class: 'actions' }, this.sendButton),
      this.status,
    );
    for (const radio of [modeChat, modeLetter]) {
      radio.addEventListener('change', () => this.setMode(/** @type {'chat'|'letter'} */ (/** @type {HTMLInputElement} */ (radio).value)));
    }
    this.text.addEventListener('input', () => {
      this.sendTyping();
      if (this.mode === 'letter') this.scheduleDraft();
    });
    this.subject.addEventListener('input', () => this.scheduleDraft());
    this.text.addEventListener('keydown', (event) => {
      if (this.mode === 'chat' && event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        /** @type {HTMLFormElement} */ (composer).requestSubmit();
      }
    });
    this.fileInput.addEventListener('change', () => {
      this.files = [...(this.fileInput?.files ?? [])];
      replaceChildren(this.fileList, ...(this.files.length
        ? this.files.map((file) => h('li', {}, `${file.name} (${formatSize(file.size)})`))
        : [h('li', { class: 'hint' }, t('thread.no_files'))]));
    });
    composer.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    return /** @type {HTMLFormElement} */ (composer);
  }

  /** @param {'chat'|'letter'} mode */
  setMode(mode) {
    this.mode = mode;
    this.root?.classList.toggle('letter-mode', mode === 'letter');
    /** @type {HTMLElement} */ (this.subjectField).hidden = mode !== 'letter';
    if (this.text) this.text.rows = mode === 'letter' ? 14 : 2;
    /** @type {HTMLInputElement} */ (this.root.querySelector(`#mode-${mode}`)).checked = true;
    replaceChildren(this.sendButton, t(mode === 'letter' ? 'thread.send_letter' : 'thread.send'));
  }

  sendTyping() {
    if (Date.now() - this.lastTypingSent < TYPING_INTERVAL) return;
    this.lastTypingSent = Date.now();
    sendEvent({ type: 'typing', conversation: this.session.conversation.id });
  }

  scheduleDraft() {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => void this.saveDraft(), DRAFT_DELAY);
  }

  async saveDraft() {
    const text = this.text?.value ?? '';
    const path = `/conversations/${this.session.conversation.id}/draft`;
    try {
      if (!text.trim() && !this.subject?.value.trim()) {
        await api('DELETE', path);
        return;
      }
      const sealed = await this.session.seal({ kind: 'letter', subject: this.subject?.value || null, text, attachments: [] });
      await api('PUT', path, { epoch: sealed.epoch, id: sealed.id, ciphertext: sealed.ciphertext, signature: sealed.signature });
      replaceChildren(this.status, t('thread.draft_saved'));
    } catch (error) {
      replaceChildren(this.status, notice(messageFor(error), 'warning'));
    }
  }

  async loadDraft() {
    let draft;
    try {
      draft = await api('GET', `/conversations/${this.session.conversation.id}/draft`);
    } catch {
      return;
    }
    const entry = await this.session.open({ ...draft, conversation: this.session.conversation.id, sender: this.session.me, seq: 0, attachments: [], sentAt: draft.updatedAt });
    this.session.opened.delete(draft.id);
    if (!entry.content || !this.text || !this.subject) return;
    this.setMode('letter');
    this.subject.value = entry.content.subject ?? '';
    this.text.value = entry.content.text;
    replaceChildren(this.status, t('thread.draft_restored'));
  }

  async submit() {
    const text = this.text?.value ?? '';
    if (!text.trim() && this.files.length === 0) return;
    const mode = this.mode;
    const subject = mode === 'letter' ? this.subject?.value || null : null;
    const files = this.files;
    /** @type {HTMLButtonElement} */ (this.sendButton).disabled = true;
    try {
      const attachments = [];
      for (const file of files) attachments.push(await uploadAttachment(this.session.conversation.id, file));
      /** @type {import('../../crypto/envelope.js').MessageContent} */
      const content = { kind: mode, subject, text, attachments };
      if (this.text) this.text.value = '';
      if (this.subject) this.subject.value = '';
      if (this.fileInput) this.fileInput.value = '';
      this.files = [];
      replaceChildren(this.fileList, h('li', { class: 'hint' }, t('thread.no_files')));
      clearTimeout(this.draftTimer);
      await this.send(content, newMessageID());
      if (mode === 'letter') await api('DELETE', `/conversations/${this.session.conversation.id}/draft`).catch(() => undefined);
      replaceChildren(this.status);
    } catch (error) {
      replaceChildren(this.status, notice(messageFor(error), 'warning'));
    } finally {
      /** @type {HTMLButtonElement} */ (this.sendButton).disabled = false;
      this.text?.focus();
    }
  }
}
