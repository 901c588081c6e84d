// @ts-check
/**
 * The export of one's data (Art. 15 and 20 GDPR; docs/privacy.md, "Export"), made on this device: the browser
 * fetches what the server holds page by page, opens it with the account's keys, and writes two files as it goes —
 * an HTML document to read and print (its cover lists the facts of Art. 15(1)) and a ZIP with the same data as JSON
 * (format `lotse-export-1`, schema in `/schemas/lotse-export-1.schema.json`) and the opened attachments. Each page
 * becomes Blob parts at once and is then forgotten, so a long history does not pile up in the tab's memory. What
 * cannot be opened is listed with the reason, never left out. Other people appear by display name only; private keys
 * are never part of it. No DOM here: the page (export-page.js) shows the progress.
 */
import { api, APIError } from '../../core/api.js';
import { newID } from '../../crypto/bytes.js';
import { openAnswers } from '../../crypto/answers.js';
import { openAttachment } from '../../crypto/envelope.js';
import { day, moment, personName } from '../../core/format.js';
import { language, t } from '../../core/i18n.js';
import { EngagementSession } from '../engagements/engagement-session.js';
import { ConversationSession } from '../messaging/session.js';
import { ZipEntry, ZipWriter } from './zip.js';

/**
 * @typedef {import('../messaging/session.js').Conversation} Conversation
 * @typedef {import('../../crypto/envelope.js').AttachmentReference} AttachmentReference
 * @typedef {import('../../crypto/account-keys.js').UnlockedKeys} UnlockedKeys
 * @typedef {{ kind: 'account' } | { kind: 'engagement', engagementId: string }} Scope
 * @typedef {{ stage: 'start'|'messages'|'attachments'|'engagements'|'finishing', done: number, total: number }} Progress
 * @typedef {{ what: 'message'|'attachment'|'engagement'|'item'|'draft', where: string, at?: string, reason: string, explanation: string }} Undecryptable
 * @typedef {{ html: Blob, zip: Blob, counts: { conversations: number, messages: number, attachments: number, engagements: number }, undecryptable: Undecryptable[] }} ExportResult
 */

/** Messages fetched and opened at a time. */
const pageSize = 200;

/** @param {unknown} value */
function escape(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** @param {string} text paragraphs kept as written */
function prose(text) {
  return `<div class="text">${escape(text).replace(/\n/g, '<br>')}</div>`;
}

/** @param {unknown} value @returns {string} JSON for a value inside the streamed document */
const json = (value) => JSON.stringify(value);

/**
 * Text written as it goes, collected into pieces of about 256 K characters that go to `sink` (a Blob, a ZIP entry):
 * the heap holds one piece at a time, not the document.
 */
class Buffered {
  /** @param {(text: string) => void} sink */
  constructor(sink) {
    this.sink = sink;
    /** @type {string[]} */
    this.pending = [];
    this.pendingLength = 0;
  }

  /** @param {string} text */
  write(text) {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength > 256 * 1024) this.flush();
  }

  flush() {
    if (this.pending.length) this.sink(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** A document as Blob parts. */
class Parts extends Buffered {
  constructor() {
    /** @type {Blob[]} */
    const parts = [];
    super((text) => parts.push(new Blob([text])));
    this.parts = parts;
  }

  /** @param {string} type */
  blob(type) {
    this.flush();
    return new Blob(this.parts, { type });
  }
}

/** The JSON document inside the ZIP, written the same way into the entry. */
class JSONStream extends Buffered {
  /** @param {ZipEntry} entry */
  constructor(entry) {
    super((text) => entry.write(text));
    this.entry = entry;
  }
}

/** A file name without characters that some systems refuse. @param {string} name */
function safeName(name) {
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^\.+/, '_').trim();
  return cleaned.slice(0, 120) || 'file';
}

export class Exporter {
  /**
   * @param {{ me: import('../../core/store.js').Account, keys: UnlockedKeys, scope: Scope,
   *   onProgress?: (progress: Progress) => void, now?: () => Date }} options
   */
  constructor({ me, keys, scope, onProgress = () => {}, now = () => new Date() }) {
    this.me = me;
    this.keys = keys;
    this.scope = scope;
    this.onProgress = onProgress;
    this.now = now;
    this.zip = new ZipWriter(now());
    this.html = new Parts();
    this.data = new JSONStream(new ZipEntry('lotse-export.json'));
    /** @type {Undecryptable[]} */
    this.undecryptable = [];
    /** Attachments met in messages, fetched after them: small references, not their contents. @type {{ ref: AttachmentReference, conversation: string, title: string, path: string }[]} */
    this.attachments = [];
    this.counts = { conversations: 0, messages: 0, attachments: 0, engagements: 0 };
    this.progress = { done: 0, total: 0 };
  }

  /** @param {Progress['stage']} stage */
  report(stage) {
    this.onProgress({ stage, done: this.progress.done, total: this.progress.total });
  }

  /** @returns {Promise<ExportResult>} */
  async run() {
    this.report('start');
    const exportId = newID();
    const engagementId = this.scope.kind === 'engagement' ? this.scope.engagementId : undefined;
    // The export is an entry of the audit log (the server learns that it happened, not what it held).
    await api('POST', '/account/data/exports', { id: exportId, scope: this.scope.kind, engagementId });
    const [notice, account] = await Promise.all([api('GET', '/privacy-notice'), api('GET', '/account')]);
    /** @type {import('../engagements/engagement-session.js').Engagement[]} */
    const engagements = engagementId ? [await api('GET', `/engagements/${engagementId}`)] : await api('GET', '/engagements');
    /** @type {Conversation[]} */
    const conversations = engagementId
      ? [await api('GET', `/conversations/${engagements[0].conversationId}`)]
      : await api('GET', '/conversations');
    this.progress.total = conversations.reduce((sum, conversation) => sum + conversation.lastSeq, 0);

    const exportedAt = this.now().toISOString();
    this.beginHTML(exportedAt, notice, account, engagements[0]);
    this.data.write(`{"format":"lotse-export-1","exportedAt":${json(exportedAt)},"language":${json(language())},`);
    this.data.write(`"scope":${json(this.scope)},"account":${json(account)},"conversations":[`);
    this.html.write(`<section id="conversations"><h2>${escape(t('export.conversations'))}</h2>`);
    if (!conversations.length) this.html.write(`<p>${escape(t('export.none'))}</p>`);
    for (const [index, conversation] of conversations.entries()) {
      if (index) this.data.write(',');
      await this.conversation(conversation);
    }
    this.html.write('</section>');
    this.data.write('],"engagements":[');
    await this.engagements(engagements);
    this.data.write(']');
    if (this.scope.kind === 'account') await this.accountData(account.createdAt);
    else await this.bookings(engagements[0].createdAt, engagementId);
    await this.attachmentFiles();
    this.data.write(`,"attachments":${json(this.attachments.map(({ ref, conversation, path }) => ({ id: ref.id, conversationId: conversation, name: ref.name, type: ref.type, size: ref.size, file: path })))}`);
    this.data.write(`,"undecryptable":${json(this.undecryptable)}}`);
    this.data.flush();
    this.report('finishing');
    this.endHTML();

    this.zip.add(this.data.entry);
    if (this.scope.kind === 'account') {
      const knowledge = await fetch('/api/v1/account/data/server-knowledge', { credentials: 'same-origin' });
      if (knowledge.ok) this.zip.addFile('server-knowledge.json', new Uint8Array(await knowledge.arrayBuffer()));
    }
    const schema = await fetch('/schemas/lotse-export-1.schema.json');
    if (schema.ok) this.zip.addFile('lotse-export-1.schema.json', new Uint8Array(await schema.arrayBuffer()));
    this.zip.addFile('README.txt', t('export.readme', { date: moment(exportedAt) }));
    return { html: this.html.blob('text/html'), zip: this.zip.finish(), counts: this.counts, undecryptable: this.undecryptable };
  }

  /**
   * @param {string} exportedAt
   * @param {import('./document.js').PrivacyNotice} notice
   * @param {{ displayName: string, email: string, createdAt: string, role: string }} account
   * @param {import('../engagements/engagement-session.js').Engagement|undefined} engagement the one exported, if one
   */
  beginHTML(exportedAt, notice, account, engagement) {
    const title = this.scope.kind === 'engagement' && engagement
      ? t('export.engagement_title', { people: [engagement.coach, ...engagement.clients].map((person) => personName(person.displayName)).join(', ') })
      : t('export.title', { name: account.displayName });
    const { unconfirmedSignUp, idleSession, longestSession, abandonedInquiry, inquiryNotice, endedEngagement } = notice.retention;
    /** @param {string[]} keys */
    const list = (keys) => `<ul>${keys.map((key) => `<li>${escape(t(key))}</li>`).join('')}</ul>`;
    const operator = notice.operatorName
      ? `<p><strong>${escape(notice.operatorName)}</strong>${notice.operatorContact ? `<br>${escape(notice.operatorContact)}` : ''}</p>`
      : `<p>${escape(t('privacy.operator_missing'))}</p>`;
    this.html.write(`<!doctype html><html lang="${escape(language())}"><head><meta charset="utf-8">`);
    this.html.write(`<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>${styles}</style></head><body>`);
    this.html.write(`<header><h1>${escape(title)}</h1><p>${escape(t('export.made', { date: moment(exportedAt), email: account.email }))}</p>`);
    this.html.write(`<p class="note">${escape(t('export.confidential'))}</p></header>`);
    this.html.write(`<section id="cover"><h2>${escape(t('export.cover'))}</h2>`);
    this.html.write(`<h3>${escape(t('privacy.who'))}</h3>${operator}`);
    if (notice.dataProtectionContact) this.html.write(`<p>${escape(t('privacy.dpo', { contact: notice.dataProtectionContact }))}</p>`);
    this.html.write(`<h3>${escape(t('export.purposes'))}</h3>${list(['privacy.what_account', 'privacy.what_devices', 'privacy.what_content', 'privacy.what_metadata'])}<p>${escape(t('privacy.basis'))}</p>`);
    this.html.write(`<h3>${escape(t('privacy.recipients'))}</h3>${list(['privacy.recipients_mail', 'privacy.recipients_relay', 'privacy.recipients_programs', 'privacy.recipients_none'])}`);
    this.html.write(`<h3>${escape(t('privacy.how_long'))}</h3><ul><li>${escape(t('privacy.keep_signup', { days: String(unconfirmedSignUp) }))}</li>`);
    this.html.write(`<li>${escape(t('privacy.keep_devices', { idle: String(idleSession), longest: String(longestSession) }))}</li><li>${escape(t('privacy.keep_inquiries', { days: String(abandonedInquiry), notice: String(inquiryNotice) }))}</li><li>${escape(t('privacy.keep_engagements', { days: String(endedEngagement) }))}</li><li>${escape(t('privacy.keep_audit'))}</li><li>${escape(t('privacy.keep_rest'))}</li></ul>`);
    this.html.write(`<h3>${escape(t('privacy.source'))}</h3><p>${escape(t('privacy.source_text'))}</p>`);
    this.html.write(`<h3>${escape(t('privacy.rights'))}</h3>${list(['privacy.rights_access', 'privacy.rights_correct', 'privacy.rights_erase', 'privacy.rights_object', 'privacy.rights_complain'])}`);
    this.html.write(`<p>${escape(t('export.cover_files'))}</p></section>`);
    this.html.write(`<section id="account"><h2>${escape(t('export.account'))}</h2><dl>`);
    this.html.write(`<dt>${escape(t('export.name'))}</dt><dd>${escape(account.displayName)}</dd><dt>${escape(t('export.email'))}</dt><dd>${escape(account.email)}</dd>`);
    this.html.write(`<dt>${escape(t('export.since'))}</dt><dd>${escape(day(account.createdAt))}</dd></dl></section>`);
  }

  endHTML() {
    this.html.write(`<section id="undecryptable"><h2>${escape(t('export.undecryptable'))}</h2>`);
    if (!this.undecryptable.length) this.html.write(`<p>${escape(t('export.all_opened'))}</p>`);
    else {
      this.html.write(`<p>${escape(t('export.undecryptable_hint'))}</p><ul>`);
      for (const item of this.undecryptable) {
        this.html.write(`<li><strong>${escape(item.where)}</strong>${item.at ? `, ${escape(moment(item.at))}` : ''}: ${escape(item.explanation)}</li>`);
      }
      this.html.write('</ul>');
    }
    this.html.write('</section></body></html>');
  }

  /** @param {Conversation} conversation */
  async conversation(conversation) {
    this.counts.conversations += 1;
    const session = new ConversationSession(conversation, this.me.id, this.keys);
    await session.loadKeys();
    const others = conversation.members.filter((member) => member.userId !== this.me.id).map((member) => member.displayName);
    const title = others.join(', ') || t('export.only_you');
    const name = (/** @type {string} */ userId) => (userId === this.me.id ? this.me.displayName : session.displayName(userId) ?? t('export.someone'));
    this.data.write(`{"id":${json(conversation.id)},"createdAt":${json(conversation.createdAt)},"members":${json(conversation.members.map((member) => ({ displayName: member.displayName })))},`);
    this.data.write(`"formerMembers":${json((conversation.formerMembers ?? []).map((member) => ({ displayName: personName(member.displayName), leftAt: member.leftAt })))},"messages":[`);
    this.html.write(`<section class="conversation"><h3>${escape(t('export.conversation_with', { people: title }))}</h3>`);
    let after = 0;
    let first = true;
    for (;;) {
      /** @type {{ messages: import('../../core/socket.js').Message[], hasMore: boolean }} */
      const page = await api('GET', `/conversations/${conversation.id}/messages?after=${after}&limit=${pageSize}`);
      const entries = await Promise.all(page.messages.map((message) => session.open(message)));
      // Opened messages are written out, not kept: the session's cache would otherwise hold the whole history.
      session.opened.clear();
      /** @type {string[]} */
      const rows = [];
      /** @type {string[]} */
      const items = [];
      for (const { message, content, problem } of entries) {
        const from = name(message.sender);
        const own = message.sender === this.me.id;
        if (!content) {
          const reason = problem ?? 'messaging.unverifiable';
          this.undecryptable.push({ what: 'message', where: t('export.message_in', { seq: String(message.seq), people: title }), at: message.sentAt, reason, explanation: t(reason) });
          rows.push(json({ seq: message.seq, id: message.id, sentAt: message.sentAt, from, own, opened: false, reason }));
          items.push(`<li class="message missing"><span class="meta">${escape(from)} · ${escape(moment(message.sentAt))}</span><p>${escape(t(reason))}</p></li>`);
          continue;
        }
        const attachments = (content.attachments ?? []).map((ref) => {
          const path = this.zip.uniqueName(`attachments/${safeName(title)}/${safeName(ref.name)}`);
          this.zip.names.add(path);
          this.attachments.push({ ref, conversation: conversation.id, title, path });
          return { id: ref.id, name: ref.name, type: ref.type, size: ref.size, file: path };
        });
        rows.push(json({ seq: message.seq, id: message.id, sentAt: message.sentAt, from, own, opened: true, kind: content.kind, subject: content.subject ?? null, text: content.text, attachments }));
        items.push(`<li class="message${own ? ' own' : ''}"><span class="meta">${escape(from)} · ${escape(moment(message.sentAt))}</span>`
          + (content.subject ? `<strong class="subject">${escape(content.subject)}</strong>` : '') + prose(content.text)
          + attachments.map((file) => `<span class="file">${escape(t('export.attachment', { name: file.name, file: file.file }))}</span>`).join('') + '</li>');
      }
      if (rows.length) {
        if (first) this.html.write('<ol class="messages">');
        this.data.write((first ? '' : ',') + rows.join(','));
        this.html.write(items.join(''));
        first = false;
      }
      this.counts.messages += entries.length;
      this.progress.done += entries.length;
      this.report('messages');
      if (!page.hasMore || !page.messages.length) break;
      after = page.messages[page.messages.length - 1].seq;
    }
    this.html.write(first ? `<p>${escape(t('export.no_messages'))}</p>` : '</ol>');
    const draft = await this.draft(session);
    if (draft) {
      this.html.write(`<h4>${escape(t('export.draft', { date: moment(draft.updatedAt) }))}</h4>`
        + (draft.subject ? `<strong class="subject">${escape(draft.subject)}</strong>` : '') + prose(draft.text));
    }
    this.html.write('</section>');
    this.data.write(`],"draft":${json(draft)}}`);
  }

  /**
   * One's unsent draft in a conversation, opened (it is sealed like a message, for oneself); null without one.
   * @param {ConversationSession} session
   * @returns {Promise<{ updatedAt: string, subject: string|null, text: string }|null>}
   */
  async draft(session) {
    const id = session.conversation.id;
    let stored;
    try {
      stored = await api('GET', `/conversations/${id}/draft`);
    } catch (error) {
      if (error instanceof APIError && error.status === 404) return null;
      throw error;
    }
    const { content } = await session.open({ ...stored, conversation: id, sender: this.me.id, seq: 0, attachments: [], sentAt: stored.updatedAt });
    if (!content) {
      this.undecryptable.push({ what: 'draft', where: t('export.draft_in', { people: session.conversation.members.filter((member) => member.userId !== this.me.id).map((member) => member.displayName).join(', ') }),
        at: stored.updatedAt, reason: 'messaging.no_key', explanation: t('messaging.no_key') });
      return null;
    }
    return { updatedAt: stored.updatedAt, subject: content.subject ?? null, text: content.text };
  }

  /** Fetches, opens and stores each attachment, one at a time. */
  async attachmentFiles() {
    this.progress = { done: 0, total: this.attachments.length };
    for (const { ref, conversation, title, path } of this.attachments) {
      this.report('attachments');
      const entry = new ZipEntry(path);
      try {
        const response = await fetch(`/api/v1/conversations/${conversation}/attachments/${ref.id}`, { credentials: 'same-origin' });
        if (!response.ok) throw new APIError(response.status, 'messaging.attachment_not_found', '', undefined);
        entry.write(await openAttachment(new Uint8Array(await response.arrayBuffer()), ref.id, ref.key));
        this.zip.add(entry);
        this.counts.attachments += 1;
      } catch (error) {
        const reason = error instanceof APIError ? 'export.attachment_gone' : 'export.attachment_unreadable';
        this.undecryptable.push({ what: 'attachment', where: t('export.attachment_in', { name: ref.name, people: title }), reason, explanation: t(reason) });
      }
      this.progress.done += 1;
    }
  }

  /** @param {import('../engagements/engagement-session.js').Engagement[]} engagements */
  async engagements(engagements) {
    this.html.write(`<section id="engagements"><h2>${escape(t('export.engagements'))}</h2>`);
    if (!engagements.length) this.html.write(`<p>${escape(t('export.none'))}</p>`);
    this.progress = { done: 0, total: engagements.length };
    for (const [index, summary] of engagements.entries()) {
      this.report('engagements');
      if (index) this.data.write(',');
      const people = [summary.coach, ...summary.clients].map((person) => personName(person.displayName)).join(', ');
      /** @type {EngagementSession|null} */
      let session = null;
      try {
        session = await EngagementSession.load(summary.id, this.me.id, this.keys);
      } catch {
        this.undecryptable.push({ what: 'engagement', where: people, reason: 'export.engagement_unreadable', explanation: t('export.engagement_unreadable') });
      }
      const engagement = session?.engagement ?? summary;
      const open = async (/** @type {import('../../crypto/engagement.js').SealedContent|undefined} */ sealed, /** @type {string} */ what) => {
        if (!sealed || !session) return null;
        const content = await session.open(sealed);
        if (!content) this.undecryptable.push({ what: 'item', where: `${what} (${people})`, reason: 'export.item_unreadable', explanation: t('export.item_unreadable') });
        return content;
      };
      const agreement = engagement.agreement
        ? { version: engagement.agreement.version, sessions: engagement.agreement.sessions, fee: engagement.agreement.fee ?? null, startsOn: engagement.agreement.startsOn ?? null,
          endsOn: engagement.agreement.endsOn ?? null, proposedAt: engagement.agreement.proposedAt, scope: await open(engagement.agreement.scope, t('export.agreement')) }
        : null;
      const items = [];
      for (const item of session?.items ?? []) {
        items.push({ id: item.id, kind: item.kind, author: session?.name(item.author) ?? '', status: item.status ?? null, progress: item.progress ?? null, dueAt: item.dueAt ?? null,
          rating: item.rating ?? null, sessionOn: item.sessionOn ?? null, parentId: item.parentId ?? null, createdAt: item.createdAt, updatedAt: item.updatedAt,
          completedAt: item.completedAt ?? null, content: await open(item.sealed, t(`kind.${item.kind}`)) });
      }
      this.data.write(json({ id: engagement.id, status: engagement.status, coach: personName(engagement.coach.displayName), clients: engagement.clients.map((client) => personName(client.displayName)),
        isGroup: engagement.isGroup, initiatedBy: engagement.initiatedBy, createdAt: engagement.createdAt, updatedAt: engagement.updatedAt,
        program: engagement.program ? { name: engagement.program.name, startsOn: engagement.program.startsOn } : null, agreement, items }));
      this.html.write(`<section class="engagement"><h3>${escape(people)}</h3><p>${escape(t('export.engagement_facts', { status: t(`status.${engagement.status}`), since: day(engagement.createdAt) }))}</p>`);
      if (agreement?.scope) this.html.write(`<h4>${escape(t('export.agreement'))}</h4>${prose(String(agreement.scope.text ?? agreement.scope.title ?? ''))}`);
      if (items.length) {
        this.html.write('<ul class="items">');
        for (const item of items) {
          const text = item.content ? [item.content.title, item.content.text].filter((part) => typeof part === 'string' && part).join(' — ') : t('export.item_unreadable');
          this.html.write(`<li><span class="meta">${escape(t(`kind.${item.kind}`))}${item.status ? ` · ${escape(item.status === 'done' ? t('export.done') : t('export.open'))}` : ''}`
            + `${item.dueAt ? ` · ${escape(t('export.due', { date: day(item.dueAt) }))}` : ''}</span>${prose(text)}</li>`);
        }
        this.html.write('</ul>');
      }
      this.html.write('</section>');
      this.counts.engagements += 1;
      this.progress.done += 1;
    }
    this.html.write('</section>');
  }

  /**
   * Sessions since `since` and up to 400 days ahead (of the engagement, when only one is exported), fetched in the
   * windows the API answers (at most 400 days each).
   * @param {string} since @param {string} [engagementId]
   */
  async bookings(since, engagementId) {
    /** @typedef {{ id: string, engagementId: string, title: string, status: string, startsAt?: string, endsAt?: string, format: string, location?: string, people: Array<{ displayName: string }> }} Booking */
    /** @type {Map<string, Booking>} proposals come with every window: once each */
    const found = new Map();
    const day = 86_400_000;
    const end = this.now().getTime() + 400 * day;
    for (let from = Date.parse(since) - day; from < end; from += 399 * day) {
      const to = Math.min(from + 399 * day, end);
      /** @type {Booking[]} */
      const window = await api('GET', `/bookings?from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`);
      for (const booking of window) found.set(booking.id, booking);
    }
    const bookings = [...found.values()].filter((booking) => !engagementId || booking.engagementId === engagementId)
      .sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? ''));
    const rows = bookings.map((booking) => ({ id: booking.id, engagementId: booking.engagementId, title: booking.title, status: booking.status, startsAt: booking.startsAt ?? null,
      endsAt: booking.endsAt ?? null, format: booking.format, location: booking.location ?? null, people: booking.people.map((person) => personName(person.displayName)) }));
    this.data.write(`,"sessions":${json(rows)}`);
    this.html.write(`<section id="sessions"><h2>${escape(t('export.sessions'))}</h2>`);
    if (!rows.length) this.html.write(`<p>${escape(t('export.none'))}</p>`);
    else {
      this.html.write('<ul>');
      for (const row of rows) this.html.write(`<li>${escape(row.title)}: ${escape(row.startsAt ? moment(row.startsAt) : t('export.proposed'))} (${escape(row.people.join(', '))})</li>`);
      this.html.write('</ul>');
    }
    this.html.write('</section>');
  }

  /** What only a whole-account export holds: sessions, the directory profile, settings. @param {string} since */
  async accountData(since) {
    await this.bookings(since);
    const optional = async (/** @type {string} */ path) => {
      try {
        return await api('GET', path);
      } catch (error) {
        if (error instanceof APIError && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    };
    const [profile, notifications, calendar] = await Promise.all([optional('/directory/profile'), optional('/notifications/settings'), optional('/calendar/settings')]);
    this.data.write(`,"directoryProfile":${json(profile)},"settings":${json({ notifications, calendar })}`);
    await this.programs();
    if (profile) {
      this.html.write(`<section id="profile"><h2>${escape(t('export.profile'))}</h2><dl>`);
      for (const [key, value] of Object.entries(profile)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') this.html.write(`<dt>${escape(key)}</dt><dd>${escape(value)}</dd>`);
      }
      this.html.write('</dl></section>');
    }
  }

  /**
   * The mentoring programs one takes part in, with one's registration: the structured answers as the server holds them
   * and the free text opened here (it is sealed for oneself and the program's staff).
   */
  async programs() {
    /** @type {Array<{ programId: string, name: string, institutionName: string, role: string, status: string }>} */
    const mine = await api('GET', '/my-programs');
    const rows = [];
    for (const program of mine) {
      /** @type {{ participantId: string, questions: Array<{ id: string, kind: string, label: string }>, answers: Array<{ questionId: string, values: string[], slots: number[], number?: number|null }>, sealedAnswers?: unknown }} */
      const registration = await api('GET', `/programs/${program.programId}/registration`);
      /** @type {Record<string, string>} */
      let texts = {};
      if (registration.sealedAnswers) {
        const opened = await openAnswers(/** @type {any} */ (registration.sealedAnswers), { participation: registration.participantId, me: this.me.id, keys: this.keys }).catch(() => null);
        if (opened) texts = opened;
        else this.undecryptable.push({ what: 'item', where: t('export.registration_in', { program: program.name }), reason: 'export.item_unreadable', explanation: t('export.item_unreadable') });
      }
      const answers = registration.questions.map((question) => {
        const answer = registration.answers.find((candidate) => candidate.questionId === question.id);
        return { question: question.label, kind: question.kind, values: answer?.values ?? [], slots: answer?.slots ?? [], number: answer?.number ?? null, text: texts[question.id] ?? null };
      }).filter((answer) => answer.values.length || answer.slots.length || answer.number !== null || answer.text !== null);
      rows.push({ name: program.name, institution: program.institutionName, role: program.role, status: program.status, answers });
    }
    this.data.write(`,"programs":${json(rows)}`);
    if (!rows.length) return;
    this.html.write(`<section id="programs"><h2>${escape(t('export.programs'))}</h2>`);
    for (const row of rows) {
      this.html.write(`<h3>${escape(row.name)} · ${escape(row.institution)}</h3><p>${escape(t(`participant.role.${row.role}`))}</p><dl>`);
      for (const answer of row.answers) {
        const value = [answer.text, answer.values.join(', '), answer.number === null ? '' : String(answer.number)].filter(Boolean).join(' · ');
        this.html.write(`<dt>${escape(answer.question)}</dt><dd>${escape(value || t('export.slots', { count: String(answer.slots.length) }))}</dd>`);
      }
      this.html.write('</dl>');
    }
    this.html.write('</section>');
  }
}

/** The document's look: readable on screen, printable (one column, no colours needed). */
const styles = `body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f;overflow-wrap:anywhere}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;padding-bottom:.25rem;margin-top:2.5rem}h3{font-size:1.1rem}
.note{background:#f3f0e8;padding:.5rem .75rem;border-radius:.4rem}dl{display:grid;grid-template-columns:minmax(0,auto) minmax(0,1fr);gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
ol.messages,ul.items{list-style:none;padding:0}.message,.items li{border-left:3px solid #ccc;padding:.25rem .75rem;margin:.75rem 0;break-inside:avoid}
.message.own{border-color:#2b6cb0}.message.missing{border-color:#b7791f;font-style:italic}.meta{display:block;font-size:.85rem;color:#555}
.subject{display:block}.file{display:block;font-size:.9rem}.text{overflow-wrap:anywhere}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}`;
