// @ts-check
/**
 * The password yields two keys, exactly as LotseCrypto's PasswordKeys derives them (docs/accounts.md):
 * master = PBKDF2-HMAC-SHA256(NFC(password), salt, iterations, 32 bytes); then HKDF-SHA256 with an empty salt,
 * info "lotse login key v1" for the login key (sent to the server instead of the password) and info
 * "lotse wrap key v1" for the wrap key (never leaves the browser). WebCrypto only.
 */

import { fromBase64, toBase64 } from './bytes.js';

const encoder = new TextEncoder();

/** The parameters every new account uses. */
export const DEFAULT_ITERATIONS = 600_000;

/**
 * Fresh parameters for a new password: a random 16-byte salt.
 * @returns {{ algorithm: 'pbkdf2-sha256', iterations: number, salt: string }}
 */
export function newKDFParameters() {
  return { algorithm: 'pbkdf2-sha256', iterations: DEFAULT_ITERATIONS, salt: toBase64(crypto.getRandomValues(new Uint8Array(16))) };
}

/**
 * Derives the login key (base64, for the API) and the wrap key (raw bytes, to import and then drop).
 * @param {string} password
 * @param {{ algorithm: string, iterations: number, salt: string }} kdf
 * @returns {Promise<{ loginKey: string, wrapKey: Uint8Array }>}
 */
export async function derivePasswordKeys(password, kdf) {
  if (kdf.algorithm !== 'pbkdf2-sha256') throw new Error(`Unsupported key derivation ${kdf.algorithm}`);
  const passwordKey = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const master = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(kdf.salt), iterations: kdf.iterations },
    passwordKey,
    256,
  );
  const hkdfKey = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveBits']);
  /** @param {string} info */
  const expand = async (info) =>
    new Uint8Array(
      await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) }, hkdfKey, 256),
    );
  const [loginKey, wrapKey] = await Promise.all([expand('lotse login key v1'), expand('lotse wrap key v1')]);
  return { loginKey: toBase64(loginKey), wrapKey };
}
