// @ts-check
/**
 * An account's long-lived keys, exactly as LotseCrypto's AccountKeyPair and RecoveryKey (docs/crypto.md):
 * P-256 ECDH to receive conversation keys and P-256 ECDSA to sign; the private scalars (agreement ‖ signing, 64 bytes)
 * leave the browser only sealed with AES-256-GCM under the password's wrap key or the recovery key, bound to the
 * account's ID. Once unwrapped they are imported as non-extractable CryptoKeys.
 */
import { binding, concat, fromBase32, fromBase64, fromBase64URL, importAESKey, openCombined, sealCombined, toBase32, toBase64, toBase64URL } from './bytes.js';

const encoder = new TextEncoder();
const accountLabel = 'lotse account keys v1';

/**
 * @typedef {{ agreementKey: string, signingKey: string }} PublicKeys base64 of the raw 65-byte points
 * @typedef {{ agreement: CryptoKey, signing: CryptoKey, publicKeys: PublicKeys }} UnlockedKeys private CryptoKeys
 */

/**
 * Fresh key pairs. `scalars` (64 bytes) is what gets wrapped; drop it once wrapped.
 * @returns {Promise<{ scalars: Uint8Array, publicKeys: PublicKeys }>}
 */
export async function generateAccountKeys() {
  const agreement = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const signing = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const agreementJWK = await crypto.subtle.exportKey('jwk', agreement.privateKey);
  const signingJWK = await crypto.subtle.exportKey('jwk', signing.privateKey);
  const scalars = concat(fromBase64URL(/** @type {string} */ (agreementJWK.d)), fromBase64URL(/** @type {string} */ (signingJWK.d)));
  const publicKeys = {
    agreementKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', agreement.publicKey))),
    signingKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', signing.publicKey))),
  };
  return { scalars, publicKeys };
}

/**
 * Seals the private scalars under a 32-byte wrap key for one account.
 * @param {Uint8Array} scalars @param {Uint8Array} wrapKey @param {string} userId
 * @returns {Promise<string>} base64 of `nonce ‖ ciphertext ‖ tag`
 */
export async function wrapAccountKeys(scalars, wrapKey, userId) {
  const key = await importAESKey(wrapKey);
  return toBase64(await sealCombined(key, scalars, binding(accountLabel, { uuid: userId })));
}

/**
 * Opens wrapped scalars; throws if the key is wrong or anything was changed.
 * @param {string} wrapped @param {Uint8Array} wrapKey @param {string} userId
 * @returns {Promise<Uint8Array>} the 64 scalar bytes
 */
export async function unwrapScalars(wrapped, wrapKey, userId) {
  const key = await importAESKey(wrapKey);
  const scalars = await openCombined(key, fromBase64(wrapped), binding(accountLabel, { uuid: userId }));
  if (scalars.length !== 64) throw new Error('Wrapped keys have the wrong length');
  return scalars;
}

/**
 * Imports scalars as non-extractable private keys, using the public points the server holds.
 * @param {Uint8Array} scalars @param {PublicKeys} publicKeys @returns {Promise<UnlockedKeys>}
 */
export async function importAccountKeys(scalars, publicKeys) {
  /** @param {Uint8Array} d @param {string} point */
  const jwk = (d, point) => {
    const raw = fromBase64(point);
    if (raw.length !== 65 || raw[0] !== 4) throw new Error('Not an uncompressed P-256 point');
    return { kty: 'EC', crv: 'P-256', d: toBase64URL(d), x: toBase64URL(raw.subarray(1, 33)), y: toBase64URL(raw.subarray(33)), ext: false };
  };
  const agreement = await crypto.subtle.importKey('jwk', jwk(scalars.subarray(0, 32), publicKeys.agreementKey), { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const signing = await crypto.subtle.importKey('jwk', jwk(scalars.subarray(32), publicKeys.signingKey), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  return { agreement, signing, publicKeys: { agreementKey: publicKeys.agreementKey, signingKey: publicKeys.signingKey } };
}

/** @returns {Uint8Array} 32 random bytes: a new recovery key */
export function newRecoveryKey() {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** @param {Uint8Array} recoveryKey @returns {string} 52 base32 characters in groups of four */
export function recoveryKeyText(recoveryKey) {
  return /** @type {string[]} */ (toBase32(recoveryKey).match(/.{1,4}/g)).join('-');
}

/** @param {string} text what the person typed @returns {Uint8Array|null} the 32 bytes, or null if it cannot be one */
export function parseRecoveryKey(text) {
  const bytes = fromBase32(text);
  return bytes && bytes.length === 32 ? bytes : null;
}

/** @param {Uint8Array} recoveryKey @returns {Promise<Uint8Array>} the key that wraps the account keys */
export async function recoveryWrapKey(recoveryKey) {
  const key = await crypto.subtle.importKey('raw', recoveryKey, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('lotse recovery wrap key v1') }, key, 256),
  );
}

/** @param {PublicKeys} keys @returns {Promise<Uint8Array>} SHA-256 over the label and both raw points */
export async function fingerprint(keys) {
  const data = concat(encoder.encode('lotse fingerprint v1'), fromBase64(keys.agreementKey), fromBase64(keys.signingKey));
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

/** @param {Uint8Array} print @returns {string} 30 digits: six five-digit groups */
function fingerprintDigits(print) {
  let digits = '';
  for (let group = 0; group < 6; group += 1) {
    let value = 0n;
    for (const byte of print.subarray(group * 5, group * 5 + 5)) value = (value << 8n) | BigInt(byte);
    digits += String(value % 100000n).padStart(5, '0');
  }
  return digits;
}

/**
 * The 60 digits two people compare, the same on both sides (as LotseCrypto's PublicAccountKeys.safetyNumber).
 * @param {PublicKeys} a @param {PublicKeys} b @returns {Promise<string>}
 */
export async function safetyNumber(a, b) {
  const halves = [fingerprintDigits(await fingerprint(a)), fingerprintDigits(await fingerprint(b))].sort();
  return /** @type {string[]} */ (halves.join('').match(/.{5}/g)).join(' ');
}

/**
 * Signs a new recovery-sealed copy of the keys, so the server knows the unlocked keys made it: ECDSA P-256 over
 * `"lotse recovery key v1" ‖ account ID ‖ sealed bytes`, as LotseCrypto's RecoveryKeyChange checks it.
 * @param {UnlockedKeys} keys @param {string} userId @param {string} sealed base64
 * @returns {Promise<string>} base64 of the raw `r ‖ s`
 */
export async function signRecoveryChange(keys, userId, sealed) {
  const bytes = binding('lotse recovery key v1', { uuid: userId }, fromBase64(sealed));
  return toBase64(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.signing, bytes)));
}
