// @ts-check
/** Byte helpers shared by the crypto modules: base64, base32, UUIDs and the context bindings of docs/crypto.md. */

const encoder = new TextEncoder();

/**
 * @param {Uint8Array} bytes
 * @returns {string} standard base64
 */
export function toBase64(bytes) {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

/**
 * @param {string} text standard base64
 * @returns {Uint8Array}
 */
export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** @param {string} text base64url without padding (JWK) */
export function fromBase64URL(text) {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(standard + '='.repeat((4 - (standard.length % 4)) % 4));
}

/** @param {Uint8Array} bytes */
export function toBase64URL(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** @param {Uint8Array} bytes @returns {string} RFC 4648 base32 without padding */
export function toBase32(bytes) {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      output += base32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += base32Alphabet[(buffer << (5 - bits)) & 31];
  return output;
}

/** @param {string} text base32; case, spaces, dashes and padding ignored @returns {Uint8Array|null} */
export function fromBase32(text) {
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const character of text.toUpperCase().replace(/[\s=-]/g, '')) {
    const value = base32Alphabet.indexOf(character);
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(bytes);
}

/**
 * A new random ID in the server's spelling (upper-case), so IDs the browser makes compare equal to the ones it gets back.
 * @returns {string}
 */
export function newID() {
  return crypto.randomUUID().toUpperCase();
}

/**
 * A new ID for a message: time-ordered (UUID version 7, RFC 9562: the milliseconds since 1970 in the first 48 bits,
 * then 74 random bits), so that the server's index of message IDs grows at its end rather than at a random place for
 * every message: a batch of messages then changes a few pages of it instead of one each (#21, bench/README.md). The
 * time says nothing the server does not know (it stores when each message was sent); other records keep random IDs.
 * @param {number} [now] milliseconds since 1970
 * @returns {string}
 */
export function newMessageID(now = Date.now()) {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = Math.floor(now);
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;  // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // the RFC's variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** @param {string} uuid canonical text form @returns {Uint8Array} its 16 bytes */
export function uuidBytes(uuid) {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`Not a UUID: ${uuid}`);
  const bytes = new Uint8Array(16);
  for (let index = 0; index < 16; index += 1) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

/** @param {...(Uint8Array|ArrayBuffer)} parts */
export function concat(...parts) {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : new Uint8Array(part)));
  const output = new Uint8Array(arrays.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of arrays) {
    output.set(part, offset);
    offset += part.length;
  }
  return output;
}

/** @param {number} value @returns {Uint8Array} 4 bytes, big-endian */
export function uint32(value) {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/**
 * A label followed by fixed-width fields: what every box and signature authenticates (docs/crypto.md).
 * @param {string} label
 * @param {...(Uint8Array|{uuid: string}|{uint32: number})} fields
 */
export function binding(label, ...fields) {
  return concat(
    encoder.encode(label),
    ...fields.map((field) => ('uuid' in field ? uuidBytes(field.uuid) : 'uint32' in field ? uint32(field.uint32) : field)),
  );
}

/**
 * AES-256-GCM with a random 96-bit nonce; returns `nonce ‖ ciphertext ‖ tag` as LotseCrypto does.
 * @param {CryptoKey} key
 * @param {Uint8Array} plaintext
 * @param {Uint8Array} aad
 */
export async function sealCombined(key, plaintext, aad) {
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad }, key, plaintext);
  return concat(nonce, sealed);
}

/**
 * @param {CryptoKey} key
 * @param {Uint8Array} combined `nonce ‖ ciphertext ‖ tag`
 * @param {Uint8Array} aad
 */
export async function openCombined(key, combined, aad) {
  if (combined.length < 28) throw new Error('Ciphertext too short');
  const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: combined.subarray(0, 12), additionalData: aad }, key, combined.subarray(12));
  return new Uint8Array(plaintext);
}

/** @param {Uint8Array} raw 32 bytes @param {KeyUsage[]} usages */
export function importAESKey(raw, usages = ['encrypt', 'decrypt']) {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, usages);
}
