// @ts-check
/**
 * One conversation as this browser sees it: its key epochs (unwrapped with the account's keys), its messages in
 * sequence order, and the rules for sealing, opening and catching up without gaps. No DOM here.
 */
import { newID } from '../../crypto/bytes.js';
import { api, APIError } from '../../core/api.js';
import { personName } from '../../core/format.js';
import {
  firstThatVerifies,
  importSigningPublicKey,
  newConversationKey,
  openMessage,
  sealMessage,
  unwrapConversationKey,
  wrapConversationKey,
} from '../../crypto/envelope.js';

/**
 * @typedef {{ version: number, agreementKey: string, signingKey: string, validFrom: string, validUntil?: string }} KeyVersion
 * @typedef {{ userId: string, displayName: string, agreementKey: string, signingKey: string, deliveredSeq: number, readSeq: number, keyHistory?: KeyVersion[] }} Member
 * @typedef {{ userId: string, displayName: string, signingKey: string, leftAt: string, keyHistory?: KeyVersion[] }} FormerMember
 * @typedef {{ userId: string, displayName: string, at: string }} KeyChange
 * @typedef {{ id: string, creator: string, members: Member[], formerMembers: FormerMember[], epoch: number, needsNewKey: boolean, lastSeq: number, lastMessageAt?: string|null, createdAt: string }} Conversation
 * @typedef {import('../../core/socket.js').Message} Message
 * @typedef {{ message: Message, content: import('../../crypto/envelope.js').MessageContent|null, problem: string|null }} Entry
 */

/**
 * Inserts messages into a sorted list by `seq`, ignoring ones already there.
 * @param {Message[]} list sorted ascending by seq
 * @param {Message[]} incoming
 * @returns {Message[]} a new sorted list
 */
export function mergeMessages(list, incoming) {
  const bySeq = new Map(list.map((message) => [message.seq, message]));
  for (const message of incoming) if (!bySeq.has(message.seq)) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The highest sequence number up to which a sorted list has no holes, counting from `from`.
 * @param {Message[]} list sorted ascending
 * @param {number} from the last sequence number known to be complete
 */
export function contiguousUpTo(list, from) {
  let upTo = from;
  for (const message of list) {
    if (message.seq <= upTo) continue;
    if (message.seq !== upTo + 1) break;
    upTo = message.seq;
  }
  return upTo;
}

/**
 * The request that starts a conversation: a fresh epoch-1 key wrapped for the creator and every other member.
 * @param {string} me the creator's account ID
 * @param {import('../../crypto/account-keys.js').UnlockedKeys} keys the creator's keys
 * @param {Array<{ userId: string, agreementKey: string }>} others
 * @param {string} [id] the conversation's ID, when the server prescribes one (a mentoring pair's is the match's)
 * @returns {Promise<{ request: { id: string, members: string[], keys: import('../../crypto/envelope.js').WrappedConversationKey[] }, key: Uint8Array }>}
 *   the request body, and epoch 1's key, which stays in the browser
 */
export async function newConversationRequest(me, keys, others, id = newID()) {
  const raw = newConversationKey();
  const members = [{ userId: me, agreementKey: keys.publicKeys.agreementKey }, ...others];
  const wrapped = await Promise.all(
    members.map((member) =>
      wrapConversationKey({ key: raw, member: member.userId, memberAgreementKey: member.agreementKey, conversation: id, epoch: 1, distributor: me, signingKey: keys.signing }),
    ),
  );
  return { request: { id, members: others.map((person) => person.userId), keys: wrapped }, key: raw };
}

/**
 * Whether someone in the conversation deleted their account: no longer a member, and their name is gone (what they
 * wrote stays, from "Deleted account"; docs/privacy.md, "Erasure").
 * @param {Conversation} conversation @param {string} [userId] one person, or anyone
 */
export function deletedAccountIn(conversation, userId) {
  const members = new Set(conversation.members.map((member) => member.userId));
  return (conversation.formerMembers ?? []).some((former) =>
    former.displayName === '' && !members.has(former.userId) && (userId === undefined || former.userId === userId));
}

export class ConversationSession {
  /**
   * @param {Conversation} conversation
   * @param {string} me the signed-in account's ID
   * @param {import('../../crypto/account-keys.js').UnlockedKeys} keys
   */
  constructor(conversation, me, keys) {
    this.conversation = conversation;
    this.me = me;
    this.keys = keys;
    /** @type {Map<number, CryptoKey>} */
    this.epochKeys = new Map();
    /** @type {Message[]} */
    this.messages = [];
    /** @type {Map<string, Entry>} */
    this.opened = new Map();
    /** Everything up to here has been fetched. */
    this.complete = 0;
    /** Imported signing keys by their base64 point. @type {Map<string, Promise<CryptoKey>>} */
    this.importedPoints = new Map();
    this.hasOlder = false;
  }

  /** @param {string} userId */
  member(userId) {
    return this.conversation.members.find((member) => member.userId === userId);
  }

  /** @param {string} userId @returns {FormerMember|undefined} the latest time they left */
  formerMember(userId) {
    return [...(this.conversation.formerMembers ?? [])].reverse().find((former) => former.userId === userId);
  }

  /** @param {string} userId the name to show, also for people who left */
  displayName(userId) {
    const person = this.member(userId) ?? this.formerMember(userId);
    return person ? personName(person.displayName) : undefined;
  }

  /** @param {string} userId whether they deleted their account: its messages stay, from "Deleted account" */
  isDeletedAccount(userId) {
    return deletedAccountIn(this.conversation, userId);
  }

  /** Fetches the conversation again (members, epoch). */
  async refresh() {
    this.conversation = await api('GET', `/conversations/${this.conversation.id}`);
    await this.loadKeys();
  }

  /** Unwraps every epoch key sealed for this account, checking who distributed it. */
  async loadKeys() {
    /** @type {import('../../crypto/envelope.js').WrappedConversationKey[]} */
    const wrapped = await api('GET', `/conversations/${this.conversation.id}/keys`);
    for (const key of wrapped) {
      if (this.epochKeys.has(key.epoch)) continue;
      // Whoever distributed it may have made new keys since (a reset without the recovery key): any key version
      // the account ever had may have signed it.
      const distributors = await this.signingKeysOf(key.distributor);
      try {
        this.epochKeys.set(
          key.epoch,
          await firstThatVerifies(distributors, (distributorSigningKey) =>
            unwrapConversationKey(key, {
              conversation: this.conversation.id,
              member: this.me,
              agreementKey: this.keys.agreement,
              agreementPoint: this.keys.publicKeys.agreementKey,
              distributorSigningKey,
            }),
          ),
        );
      } catch {
        // A key this account cannot open (made for its older keys): the next rotation fixes it.
      }
    }
  }

  /** @param {string} userId @returns {string|undefined} the account's current signing key (base64 point) */
  currentSigningPoint(userId) {
    return userId === this.me ? this.keys.publicKeys.signingKey : this.member(userId)?.signingKey || this.formerMember(userId)?.signingKey;
  }

  /**
   * The account's current signing key, for what is signed live (call signals). Cached by the point, not the
   * person: after someone's keys change, the next refresh brings the new point and with it the new key.
   * @param {string} userId @returns {Promise<CryptoKey|null>}
   */
  async signingKey(userId) {
    const point = this.currentSigningPoint(userId);
    return point ? this.importPoint(point) : null;
  }

  /** @param {string} point base64 of a P-256 point @returns {Promise<CryptoKey>} imported once per session */
  importPoint(point) {
    let imported = this.importedPoints.get(point);
    if (!imported) {
      imported = importSigningPublicKey(point);
      this.importedPoints.set(point, imported);
    }
    return imported;
  }

  /**
   * Whether something was written before this account's present keys were made (after a reset without the
   * recovery key): the keys it was sealed for are gone.
   * @param {string} at
   */
  beforeOwnKeys(at) {
    const history = this.keyHistory(this.me);
    const current = history[history.length - 1];
    return history.length > 1 && Date.parse(at) < Date.parse(current.validFrom);
  }

  /** @param {string} userId @returns {KeyVersion[]} every key version of the account, oldest first */
  keyHistory(userId) {
    return this.member(userId)?.keyHistory ?? this.formerMember(userId)?.keyHistory ?? [];
  }

  /**
   * The signing keys that may have signed something of `userId`'s. With `at` (a message's time of storing), only the
   * key version valid then: a version that ended before, or began after, cannot have signed it. Without a time (key
   * distributions, engagement texts), every version the account ever had, newest first. After a reset without the
   * recovery key someone's keys change, and what they signed before still verifies with the version they had then
   * (docs/crypto.md, "Key history").
   * @param {string} userId
   * @param {string} [at] when it was signed, as the server recorded it
   * @returns {Promise<CryptoKey[]>}
   */
  async signingKeysOf(userId, at) {
    const history = [...this.keyHistory(userId)].reverse();
    const time = at ? Date.parse(at) : NaN;
    // The API's times are whole seconds: a message stored in the second a version ended may be of either version.
    const validThen = history.filter((version) => Date.parse(version.validFrom) <= time && !(Date.parse(version.validUntil ?? '') < time));
    const candidates =
      at && history.length ? validThen.map((version) => version.signingKey) : [this.currentSigningPoint(userId), ...history.map((version) => version.signingKey)];
    const points = [...new Set(candidates)].filter((point) => typeof point === 'string' && point.length > 0);
    return Promise.all(points.map((point) => this.importPoint(/** @type {string} */ (point))));
  }

  /**
   * The moments another person's security number changed while this conversation existed: their keys were
   * replaced. Shown in the thread, as Signal does, so everyone knows to compare the number again.
   * @returns {KeyChange[]}
   */
  keyChanges() {
    const started = Date.parse(this.conversation.createdAt);
    /** @type {KeyChange[]} */
    const changes = [];
    for (const person of [...this.conversation.members, ...(this.conversation.formerMembers ?? [])]) {
      if (person.userId === this.me) continue;
      for (const version of person.keyHistory ?? []) {
        if (version.version > 1 && Date.parse(version.validFrom) > started) {
          changes.push({ userId: person.userId, displayName: person.displayName, at: version.validFrom });
        }
      }
    }
    return changes.filter((change, index) => changes.findIndex((other) => other.userId === change.userId && other.at === change.at) === index);
  }

  /**
   * Compares everyone's key history with what this browser saw of it before, and remembers it. A new version is
   * normal (a reset without the recovery key); an earlier version that changed or vanished is not: only a server
   * that rewrote its records can cause it. Those people's IDs are returned for as long as the record differs from
   * what this browser remembers, which it does not overwrite (docs/crypto.md, "Key history").
   * @param {Pick<Storage, 'getItem'|'setItem'>|undefined} [storage]
   * @returns {string[]}
   */
  rewrittenHistories(storage = globalThis.localStorage) {
    if (!storage) return [];
    const name = `lotse.seen-keys.${this.me}`;
    /** @type {Record<string, { version: number, keys: string }[]>} */
    let seen = {};
    try {
      seen = JSON.parse(storage.getItem(name) ?? '{}') ?? {};
    } catch {
      return [];  // storage refused or spoiled: nothing to compare with
    }
    /** @type {string[]} */
    const rewritten = [];
    for (const person of [...this.conversation.members, ...(this.conversation.formerMembers ?? [])]) {
      const now = new Map((person.keyHistory ?? []).map((version) => [version.version, `${version.agreementKey} ${version.signingKey}`]));
      const before = seen[person.userId] ?? [];
      if (before.some((version) => now.get(version.version) !== version.keys)) rewritten.push(person.userId);
      else if (now.size) seen[person.userId] = [...now].map(([version, keys]) => ({ version, keys }));
    }
    try {
      storage.setItem(name, JSON.stringify(seen));
    } catch {
      // Storage full or refused: the check works again next time something is remembered.
    }
    return [...new Set(rewritten)];
  }

  /**
   * Makes sure a key this account holds seals the next message: starts a new epoch when members changed (or none
   * is held). Another member may win the race; then their key is used.
   */
  async ensureSendingKey() {
    if (!this.conversation.needsNewKey && this.epochKeys.has(this.conversation.epoch)) return;
    const members = this.conversation.members.filter((member) => member.agreementKey);
    const raw = newConversationKey();
    const epoch = this.conversation.epoch + 1;
    const keys = await Promise.all(
      members.map((member) =>
        wrapConversationKey({
          key: raw,
          member: member.userId,
          memberAgreementKey: member.agreementKey,
          conversation: this.conversation.id,
          epoch,
          distributor: this.me,
          signingKey: this.keys.signing,
        }),
      ),
    );
    try {
      this.conversation = await api('POST', `/conversations/${this.conversation.id}/keys`, { epoch, keys });
    } catch (error) {
      if (!(error instanceof APIError && (error.code === 'messaging.epoch_taken' || error.code === 'messaging.stale_epoch'))) throw error;
      await this.refresh();
      return;
    }
    await this.loadKeys();
  }

  /**
   * Seals content for the current epoch.
   * @param {import('../../crypto/envelope.js').MessageContent} content
   * @param {string} [id]
   */
  async seal(content, id = newID()) {
    await this.ensureSendingKey();
    const key = this.epochKeys.get(this.conversation.epoch);
    if (!key) throw new Error('messaging.no_key');
    return sealMessage(content, { id, conversation: this.conversation.id, sender: this.me, epoch: this.conversation.epoch, key, signingKey: this.keys.signing });
  }

  /**
   * Checks and decrypts one message; problems are kept, not thrown, so one bad message never hides the others.
   * @param {Message} message
   * @returns {Promise<Entry>}
   */
  async open(message) {
    const known = this.opened.get(message.id);
    if (known?.content) return known;
    /** @type {Entry} */
    let entry;
    const key = this.epochKeys.get(message.epoch);
    const senderKeys = await this.signingKeysOf(message.sender, message.sentAt);
    if (!key) entry = { message, content: null, problem: this.beforeOwnKeys(message.sentAt) ? 'messaging.lost_with_old_keys' : 'messaging.no_key' };
    else if (!senderKeys.length) entry = { message, content: null, problem: 'messaging.unknown_sender' };
    else {
      try {
        const content = await firstThatVerifies(senderKeys, (senderSigningKey) => openMessage(message, { key, senderSigningKey }));
        entry = { message, content, problem: null };
      } catch {
        entry = { message, content: null, problem: 'messaging.unverifiable' };
      }
    }
    this.opened.set(message.id, entry);
    return entry;
  }

  /** @param {Message[]} incoming */
  add(incoming) {
    this.messages = mergeMessages(this.messages, incoming);
    this.complete = contiguousUpTo(this.messages, this.complete);
  }

  /** Loads the latest page of history. */
  async loadLatest(limit = 50) {
    const page = await api('GET', `/conversations/${this.conversation.id}/messages?limit=${limit}`);
    this.hasOlder = page.hasMore;
    if (page.messages.length) this.complete = page.messages[0].seq - 1;
    this.add(page.messages);
  }

  /** Loads the page before the oldest message shown. */
  async loadOlder(limit = 50) {
    const oldest = this.messages[0]?.seq;
    if (!oldest) return;
    const page = await api('GET', `/conversations/${this.conversation.id}/messages?before=${oldest}&limit=${limit}`);
    this.hasOlder = page.hasMore;
    this.messages = mergeMessages(this.messages, page.messages);
  }

  /** Fetches everything after the last complete sequence number: after a reconnect or when a gap shows. */
  async catchUp() {
    for (;;) {
      const page = await api('GET', `/conversations/${this.conversation.id}/messages?after=${this.complete}&limit=200`);
      this.add(page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
    }
  }

  /** @returns {number} the latest sequence number this browser holds */
  get lastSeq() {
    return this.messages.at(-1)?.seq ?? 0;
  }
}
