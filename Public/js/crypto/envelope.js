// @ts-check
/**
 * Conversation keys, messages and attachments, byte for byte as LotseCrypto's ConversationKey, MessageEnvelope and
 * AttachmentCipher (docs/crypto.md). WebCrypto only; binary fields travel as standard base64.
 */
import { binding, concat, fromBase64, importAESKey, openCombined, sealCombined, toBase64 } from './bytes.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const conversationLabel = 'lotse conversation key v1';
const messageLabel = 'lotse message v1';
const attachmentLabel = 'lotse attachment v1';

/**
 * @typedef {{ member: string, epoch: number, distributor: string, ephemeralPublicKey: string, wrappedKey: string, signature: string }} WrappedConversationKey
 * @typedef {{ id: string, conversation: string, sender: string, epoch: number, ciphertext: string, signature: string }} MessageEnvelope
 * @typedef {{ id: string, name: string, type: string, size: number, key: string }} AttachmentReference
 * @typedef {{ kind: 'chat'|'letter', text: string, subject?: string|null, attachments: AttachmentReference[] }} MessageContent
 */

/** @param {string} point base64 raw P-256 point */
export function importAgreementPublicKey(point) {
  return crypto.subtle.importKey('raw', fromBase64(point), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
}

/** @param {string} point base64 raw P-256 point */
export function importSigningPublicKey(point) {
  return crypto.subtle.importKey('raw', fromBase64(point), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
}

/** @param {CryptoKey} signingKey @param {Uint8Array} data @returns {Promise<string>} base64 `r ‖ s` */
async function sign(signingKey, data) {
  return toBase64(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signingKey, data)));
}

/** @param {CryptoKey} publicKey @param {string} signature @param {Uint8Array} data */
async function verify(publicKey, signature, data) {
  const raw = fromBase64(signature);
  const valid = raw.length === 64 && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, raw, data));
  if (!valid) throw new Error('Bad signature');
}

/**
 * @param {CryptoKey} privateKey ECDH @param {CryptoKey} publicKey ECDH @param {Uint8Array} ephemeralPoint @param {Uint8Array} memberPoint
 * @returns {Promise<CryptoKey>} the AES key that seals a conversation key for one member
 */
async function keyEncryptionKey(privateKey, publicKey, ephemeralPoint, memberPoint) {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: concat(ephemeralPoint, memberPoint), info: encoder.encode(conversationLabel) },
    hkdf,
    256,
  );
  return importAESKey(new Uint8Array(bits));
}

/** @returns {Uint8Array} 32 random bytes: a new epoch's conversation key */
export function newConversationKey() {
  return crypto.getRandomValues(new Uint8Array(32));
}

/**
 * Wraps a conversation key for one member (ECIES on P-256) and signs it as the distributor.
 * @param {{ key: Uint8Array, member: string, memberAgreementKey: string, conversation: string, epoch: number, distributor: string, signingKey: CryptoKey }} input
 * @returns {Promise<WrappedConversationKey>}
 */
export async function wrapConversationKey({ key, member, memberAgreementKey, conversation, epoch, distributor, signingKey }) {
  const ephemeral = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const ephemeralPoint = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const memberPoint = fromBase64(memberAgreementKey);
  const kek = await keyEncryptionKey(ephemeral.privateKey, await importAgreementPublicKey(memberAgreementKey), ephemeralPoint, memberPoint);
  const aad = binding(conversationLabel, { uuid: conversation }, { uint32: epoch }, { uuid: member });
  const sealed = await sealCombined(kek, key, aad);
  const signature = await sign(signingKey, concat(aad, binding('', { uuid: distributor }), ephemeralPoint, sealed));
  return { member, epoch, distributor, ephemeralPublicKey: toBase64(ephemeralPoint), wrappedKey: toBase64(sealed), signature };
}

/**
 * Checks the distributor's signature and opens a conversation key wrapped for `member`.
 * @param {WrappedConversationKey} wrapped
 * @param {{ conversation: string, member: string, agreementKey: CryptoKey, agreementPoint: string, distributorSigningKey: CryptoKey }} context
 * @returns {Promise<CryptoKey>} the epoch's AES-GCM key (non-extractable)
 */
export async function unwrapConversationKey(wrapped, { conversation, member, agreementKey, agreementPoint, distributorSigningKey }) {
  const ephemeralPoint = fromBase64(wrapped.ephemeralPublicKey);
  const sealed = fromBase64(wrapped.wrappedKey);
  const aad = binding(conversationLabel, { uuid: conversation }, { uint32: wrapped.epoch }, { uuid: member });
  await verify(distributorSigningKey, wrapped.signature, concat(aad, binding('', { uuid: wrapped.distributor }), ephemeralPoint, sealed));
  const kek = await keyEncryptionKey(agreementKey, await importAgreementPublicKey(wrapped.ephemeralPublicKey), ephemeralPoint, fromBase64(agreementPoint));
  const raw = await openCombined(kek, sealed, aad);
  if (raw.length !== 32) throw new Error('Conversation key has the wrong length');
  return importAESKey(raw);
}

/** @param {{ id: string, conversation: string, sender: string, epoch: number }} envelope */
function messageBinding({ id, conversation, sender, epoch }) {
  return binding(messageLabel, { uuid: conversation }, { uuid: id }, { uuid: sender }, { uint32: epoch });
}

/**
 * Encrypts and signs content.
 * @param {MessageContent} content
 * @param {{ id: string, conversation: string, sender: string, epoch: number, key: CryptoKey, signingKey: CryptoKey }} context
 * @returns {Promise<MessageEnvelope>}
 */
export async function sealMessage(content, { id, conversation, sender, epoch, key, signingKey }) {
  const aad = messageBinding({ id, conversation, sender, epoch });
  const sealed = await sealCombined(key, encoder.encode(JSON.stringify(content)), aad);
  return { id, conversation, sender, epoch, ciphertext: toBase64(sealed), signature: await sign(signingKey, concat(aad, sealed)) };
}

/**
 * Checks the sender's signature, then decrypts.
 * @param {MessageEnvelope} envelope @param {{ key: CryptoKey, senderSigningKey: CryptoKey }} context
 * @returns {Promise<MessageContent>}
 */
export async function openMessage(envelope, { key, senderSigningKey }) {
  const aad = messageBinding(envelope);
  const sealed = fromBase64(envelope.ciphertext);
  await verify(senderSigningKey, envelope.signature, concat(aad, sealed));
  const content = JSON.parse(decoder.decode(await openCombined(key, sealed, aad)));
  if (typeof content?.text !== 'string' || !['chat', 'letter'].includes(content.kind)) throw new Error('Malformed content');
  content.attachments ??= [];
  return content;
}

/**
 * Seals a file under its own fresh key.
 * @param {Uint8Array} file @param {string} id the blob's ID
 * @returns {Promise<{ blob: Uint8Array, key: string }>}
 */
export async function sealAttachment(file, id) {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const blob = await sealCombined(await importAESKey(raw), file, binding(attachmentLabel, { uuid: id }));
  return { blob, key: toBase64(raw) };
}

/** @param {Uint8Array} blob @param {string} id @param {string} key base64 @returns {Promise<Uint8Array>} the file */
export async function openAttachment(blob, id, key) {
  return openCombined(await importAESKey(fromBase64(key)), blob, binding(attachmentLabel, { uuid: id }));
}

/**
 * Runs `attempt` with each key until one verifies; throws what the last one threw when none does.
 * @template T
 * @param {CryptoKey[]} keys
 * @param {(key: CryptoKey) => Promise<T>} attempt
 * @returns {Promise<T>}
 */
export async function firstThatVerifies(keys, attempt) {
  /** @type {unknown} */
  let failure = new Error('No key to check the signature with');
  for (const key of keys) {
    try {
      return await attempt(key);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}
