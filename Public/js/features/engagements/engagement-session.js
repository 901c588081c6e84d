// @ts-check
/**
 * One engagement as this browser sees it: the engagement, its conversation's keys (through ConversationSession),
 * its items opened in the browser, and the rules for sealing what people write. No DOM here.
 */
import { api, APIError } from '../../core/api.js';
import { newID } from '../../crypto/bytes.js';
import { notesKey, openContent, openNote, sealContent, sealNote } from '../../crypto/engagement.js';
import { firstThatVerifies } from '../../crypto/envelope.js';
import { ConversationSession } from '../messaging/session.js';

/**
 * @typedef {import('../../crypto/engagement.js').SealedContent} SealedContent
 * @typedef {import('../../crypto/engagement.js').Content} Content
 * @typedef {{ userId: string, displayName: string, confirmedVersion?: number }} Participant
 * @typedef {{ amount: number, currency: string, per: 'session'|'hour'|'engagement' }} Price
 * @typedef {{ version: number, sessions: number, fee?: Price, startsOn?: string, endsOn?: string, scope: SealedContent, proposedAt: string }} Agreement
 * @typedef {{ day: number, title: string, kind: 'milestone'|'check_in' }} ProgramStep
 * @typedef {{ id: string, text: string, kind: 'text'|'scale' }} Question
 * @typedef {{ id: string, conversationId: string, coach: Participant, clients: Participant[], isGroup: boolean,
 *   status: string, initiatedBy: 'client'|'coach'|'program', firstMeeting?: { at: string, format: string, location?: string, acceptedAt?: string, bookingId?: string },
 *   agreement?: Agreement, declineReason?: SealedContent, intake?: { questionnaireId: string, title: string, questions: Question[], sentAt: string },
 *   program?: { templateId: string, name: string, startsOn: string, steps: ProgramStep[] }, openTasks: number,
 *   nextDueAt?: string, progress?: number, createdAt: string, updatedAt: string }} Engagement
 * @typedef {{ id: string, engagementId: string, kind: string, author: string, sealed?: SealedContent, status?: 'open'|'done',
 *   progress?: number, dueAt?: string, rating?: number, sessionOn?: string, parentId?: string, step?: number,
 *   revision: number, createdAt: string, updatedAt: string, completedAt?: string }} Item
 */

/** Kinds whose text is sealed with the author's private key instead of the conversation's. */
const privateKinds = new Set(['note']);

export class EngagementSession {
  /**
   * @param {Engagement} engagement
   * @param {ConversationSession} conversation
   * @param {string} me
   */
  constructor(engagement, conversation, me) {
    this.engagement = engagement;
    this.conversation = conversation;
    this.me = me;
    /** @type {Item[]} */
    this.items = [];
    /** @type {Map<string, { revision: string, content: Content|null }>} opened texts by sealed ID */
    this.opened = new Map();
    /** @type {Promise<CryptoKey>|null} */
    this.notes = null;
  }

  /**
   * Fetches an engagement, its conversation's keys and its items.
   * @param {string} id @param {string} me @param {import('../../crypto/account-keys.js').UnlockedKeys} keys
   */
  static async load(id, me, keys) {
    /** @type {Engagement} */
    const engagement = await api('GET', `/engagements/${id}`);
    const conversation = new ConversationSession(await api('GET', `/conversations/${engagement.conversationId}`), me, keys);
    await conversation.loadKeys();
    const session = new EngagementSession(engagement, conversation, me);
    await session.loadItems();
    return session;
  }

  get isCoach() {
    return this.engagement.coach.userId === this.me;
  }

  /** @param {string} userId */
  name(userId) {
    const people = [this.engagement.coach, ...this.engagement.clients];
    return people.find((person) => person.userId === userId)?.displayName ?? this.conversation.displayName(userId) ?? '?';
  }

  async refresh() {
    this.engagement = await api('GET', `/engagements/${this.engagement.id}`);
    await this.conversation.refresh();
    await this.loadItems();
  }

  async loadItems() {
    this.items = await api('GET', `/engagements/${this.engagement.id}/items`);
  }

  /** @param {string} kind */
  itemsOf(kind) {
    return this.items.filter((item) => item.kind === kind);
  }

  /**
   * Seals content for this engagement: private kinds with the author's notes key, the rest with the conversation's
   * current key (starting a new epoch first when members changed).
   * @param {Content} content @param {string} kind @param {string} [id]
   * @returns {Promise<SealedContent>}
   */
  async seal(content, kind, id = newID()) {
    const { keys } = this.conversation;
    if (privateKinds.has(kind)) {
      return sealNote(content, { id, engagement: this.engagement.id, author: this.me, key: await this.notesKey(), signingKey: keys.signing });
    }
    await this.conversation.ensureSendingKey();
    const epoch = this.conversation.conversation.epoch;
    const key = this.conversation.epochKeys.get(epoch);
    if (!key) throw new Error('engagements.no_key');
    return sealContent(content, { id, engagement: this.engagement.id, author: this.me, epoch, key, signingKey: keys.signing });
  }

  /**
   * Opens sealed text (cached); null when this browser cannot read or verify it.
   * @param {SealedContent|undefined} sealed
   * @returns {Promise<Content|null>}
   */
  async open(sealed) {
    if (!sealed) return null;
    const revision = `${sealed.epoch}:${sealed.ciphertext.slice(0, 24)}`;
    const known = this.opened.get(sealed.id);
    if (known?.revision === revision) return known.content;
    let content = null;
    try {
      // Any key version the author ever had may have sealed it (docs/crypto.md, "Key history").
      const authorKeys = await this.conversation.signingKeysOf(sealed.author);
      if (sealed.epoch === 0) {
        const key = await this.notesKey();
        content = await firstThatVerifies(authorKeys, (authorSigningKey) => openNote(sealed, { engagement: this.engagement.id, key, authorSigningKey }));
      } else {
        const key = this.conversation.epochKeys.get(sealed.epoch);
        if (key) content = await firstThatVerifies(authorKeys, (authorSigningKey) => openContent(sealed, { engagement: this.engagement.id, key, authorSigningKey }));
      }
    } catch {
      content = null;
    }
    this.opened.set(sealed.id, { revision, content });
    return content;
  }

  /** @returns {Promise<CryptoKey>} */
  notesKey() {
    const { keys } = this.conversation;
    this.notes ??= notesKey(keys.agreement, keys.publicKeys.agreementKey);
    return this.notes;
  }

  /**
   * Creates or updates an item. Text is sealed under the item's ID; a conversation whose key just changed gets the
   * text sealed once more with the new key. A retry sends the same body and changes nothing on the server.
   * @param {string} kind @param {Record<string, unknown>} fields plain fields (status, progress, dueAt, …)
   * @param {{ id?: string, content?: Content, base?: Item }} [options] `base` is the item being edited
   * @returns {Promise<Item>}
   */
  async save(kind, fields, options = {}) {
    const { content, base } = options;
    const id = options.id ?? base?.id ?? newID();
    const send = async () => {
      const sealed = content ? await this.seal(content, kind, id) : base?.sealed;
      const body = { kind, sealed, ...fields, baseRevision: base?.revision ?? null };
      return api('PUT', `/engagements/${this.engagement.id}/items/${id}`, body);
    };
    let item;
    try {
      item = await send();
    } catch (error) {
      if (!(error instanceof APIError && error.code === 'messaging.stale_epoch' && content)) throw error;
      await this.conversation.refresh();
      item = await send();
    }
    this.items = [...this.items.filter((existing) => existing.id !== item.id), item];
    return item;
  }

  /**
   * A change of the engagement itself (meeting, agreement, decline, close, …); answers the engagement.
   * @param {'POST'|'PUT'} method @param {string} path @param {unknown} [body]
   */
  async change(method, path, body) {
    this.engagement = await api(method, `/engagements/${this.engagement.id}${path}`, body);
    return this.engagement;
  }
}
