// @ts-check
/**
 * Call signaling between two peers (docs/crypto.md, "Calls"): offers, answers and ICE candidates, compressed
 * (deflate-raw), sealed under the engagement conversation's epoch key and signed by the author. The binding names the
 * engagement, the signal, both peers and the author, so the server can neither read, alter nor redirect a signal.
 */
import { binding, concat, fromBase64, openCombined, sealCombined, toBase64 } from './bytes.js';

const label = 'lotse call signal v1';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * @typedef {{ id: string, engagement: string, from: string, to: string, author?: string, epoch: number, ciphertext: string, signature: string }} CallSignal
 * @typedef {{ kind: 'offer'|'answer', sdp: string, fingerprint: string, connection: string }
 *   | { kind: 'candidate', candidate: RTCIceCandidateInit, connection: string }} SignalContent
 */

/** @param {{ id: string, engagement: string, from: string, to: string, author: string, epoch: number }} signal */
function signalBinding({ id, engagement, from, to, author, epoch }) {
  return binding(label, { uuid: engagement }, { uuid: id }, { uuid: from }, { uuid: to }, { uuid: author }, { uint32: epoch });
}

/** @param {Uint8Array} bytes @param {CompressionStream|DecompressionStream} stream */
async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/**
 * Seals and signs content for one peer.
 * @param {SignalContent} content
 * @param {{ id: string, engagement: string, from: string, to: string, author: string, epoch: number, key: CryptoKey, signingKey: CryptoKey }} context
 * @returns {Promise<CallSignal>}
 */
export async function sealSignal(content, { id, engagement, from, to, author, epoch, key, signingKey }) {
  const aad = signalBinding({ id, engagement, from, to, author, epoch });
  const packed = await pipe(encoder.encode(JSON.stringify(content)), new CompressionStream('deflate-raw'));
  const sealed = await sealCombined(key, packed, aad);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signingKey, concat(aad, sealed)));
  return { id, engagement, from, to, epoch, ciphertext: toBase64(sealed), signature: toBase64(signature) };
}

/**
 * Checks the author's signature over the binding and ciphertext, then opens the content.
 * @param {CallSignal & { author: string }} signal
 * @param {{ key: CryptoKey, authorSigningKey: CryptoKey }} context
 * @returns {Promise<SignalContent>}
 */
export async function openSignal(signal, { key, authorSigningKey }) {
  const aad = signalBinding(signal);
  const sealed = fromBase64(signal.ciphertext);
  const signature = fromBase64(signal.signature);
  const valid = signature.length === 64 && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, authorSigningKey, signature, concat(aad, sealed)));
  if (!valid) throw new Error('Bad signature');
  const packed = await openCombined(key, sealed, aad);
  const content = JSON.parse(decoder.decode(await pipe(packed, new DecompressionStream('deflate-raw'))));
  const known = ['offer', 'answer'].includes(content?.kind) ? typeof content.sdp === 'string' && typeof content.fingerprint === 'string' : content?.kind === 'candidate';
  if (!known || typeof content.connection !== 'string') throw new Error('Malformed signal');
  return content;
}
