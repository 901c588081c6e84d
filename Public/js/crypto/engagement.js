// @ts-check
/**
 * The free text of engagements, byte for byte as LotseCrypto's EngagementCipher (docs/crypto.md, "Engagements"):
 * shared text under the engagement conversation's epoch key, private notes under a key only their author derives.
 */
import { binding, concat, fromBase64, importAESKey, openCombined, sealCombined, toBase64 } from './bytes.js';
import { importAgreementPublicKey } from './envelope.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const sharedLabel = 'lotse engagement v1';
const privateLabel = 'lotse private note v1';

/**
 * @typedef {{ id: string, author: string, epoch: number, ciphertext: string, signature: string }} SealedContent
 * @typedef {Record<string, unknown>} Content a JSON object: `title`, `text`, intake `answers`, …
 */

/** @param {string} label @param {{ engagement: string, id: string, author: string, epoch: number }} context */
function contentBinding(label, { engagement, id, author, epoch }) {
  return binding(label, { uuid: engagement }, { uuid: id }, { uuid: author }, { uint32: epoch });
}

/**
 * @param {string} label @param {Content} content
 * @param {{ id: string, engagement: string, author: string, epoch: number, key: CryptoKey, signingKey: CryptoKey }} context
 * @returns {Promise<SealedContent>}
 */
export async function seal(label, content, { id, engagement, author, epoch, key, signingKey }) {
  const aad = contentBinding(label, { engagement, id, author, epoch });
  const sealed = await sealCombined(key, encoder.encode(JSON.stringify(content)), aad);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signingKey, concat(aad, sealed)));
  return { id, author, epoch, ciphertext: toBase64(sealed), signature: toBase64(signature) };
}

/**
 * @param {string} label @param {SealedContent} value
 * @param {{ engagement: string, key: CryptoKey, authorSigningKey: CryptoKey }} context
 * @returns {Promise<Content>}
 */
export async function open(label, value, { engagement, key, authorSigningKey }) {
  const aad = contentBinding(label, { engagement, id: value.id, author: value.author, epoch: value.epoch });
  const sealed = fromBase64(value.ciphertext);
  const signature = fromBase64(value.signature);
  const valid = signature.length === 64 && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, authorSigningKey, signature, concat(aad, sealed)));
  if (!valid) throw new Error('Bad signature');
  const content = JSON.parse(decoder.decode(await openCombined(key, sealed, aad)));
  if (typeof content !== 'object' || content === null || Array.isArray(content)) throw new Error('Malformed content');
  return content;
}

/**
 * Seals content for everyone in the engagement's conversation at `epoch`.
 * @param {Content} content
 * @param {{ id: string, engagement: string, author: string, epoch: number, key: CryptoKey, signingKey: CryptoKey }} context
 */
export function sealContent(content, context) {
  return seal(sharedLabel, content, context);
}

/**
 * Checks the author's signature, then opens shared content.
 * @param {SealedContent} value @param {{ engagement: string, key: CryptoKey, authorSigningKey: CryptoKey }} context
 */
export function openContent(value, context) {
  return open(sharedLabel, value, context);
}

/**
 * The account's private-notes key: HKDF-SHA256(ECDH(own agreement key, own point), salt = own point).
 * @param {CryptoKey} agreementKey the private ECDH key @param {string} agreementPoint base64 raw public point
 * @returns {Promise<CryptoKey>}
 */
export async function notesKey(agreementKey, agreementPoint) {
  const point = fromBase64(agreementPoint);
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: await importAgreementPublicKey(agreementPoint) }, agreementKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: point, info: encoder.encode(privateLabel) }, hkdf, 256);
  return importAESKey(new Uint8Array(bits));
}

/**
 * Seals a note only its author can read (epoch 0).
 * @param {Content} content
 * @param {{ id: string, engagement: string, author: string, key: CryptoKey, signingKey: CryptoKey }} context `key` from notesKey
 */
export function sealNote(content, context) {
  return seal(privateLabel, content, { ...context, epoch: 0 });
}

/**
 * Opens one of the account's own notes.
 * @param {SealedContent} value @param {{ engagement: string, key: CryptoKey, authorSigningKey: CryptoKey }} context
 */
export function openNote(value, context) {
  if (value.epoch !== 0) throw new Error('Not a private note');
  return open(privateLabel, value, context);
}
