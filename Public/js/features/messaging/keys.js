// @ts-check
import { api, APIError } from '../../core/api.js';
import { navigate } from '../../core/router.js';
import { account } from '../../core/store.js';
import {
  generateAccountKeys,
  importAccountKeys,
  newRecoveryKey,
  recoveryKeyText,
  recoveryWrapKey,
  signRecoveryChange,
  unwrapScalars,
  wrapAccountKeys,
} from '../../crypto/account-keys.js';
import { clearKeys, loadKeys, storeKeys } from '../../crypto/keystore.js';

/** @type {{ userId: string, keys: import('../../crypto/account-keys.js').UnlockedKeys }|null} */
let unlocked = null;
/** The recovery key of keys made in this page, shown once by the recovery-key view and then dropped. */
let freshRecoveryKey = /** @type {string|null} */ (null);

/**
 * After signing in with the password: opens the account's keys with the wrap key, or makes them on first sign-in.
 * @param {{ id: string }} current
 * @param {Uint8Array} wrapKey
 * @returns {Promise<boolean>} true when new keys were made (the recovery key must be shown)
 */
export async function unlockAfterSignIn(current, wrapKey) {
  const own = await ownKeys();
  if (!own) {
    await createKeys(current.id, wrapKey);
    return true;
  }
  const scalars = await unwrapScalars(own.passwordWrappedKeys, wrapKey, current.id);
  await remember(current.id, await importAccountKeys(scalars, own));
  return false;
}

/**
 * The account's keys as the server keeps them, or null when it has none yet.
 * @returns {Promise<{ agreementKey: string, signingKey: string, passwordWrappedKeys: string }|null>}
 */
async function ownKeys() {
  try {
    return await api('GET', '/keys');
  } catch (error) {
    if (error instanceof APIError && error.code === 'messaging.keys_missing') return null;
    throw error;
  }
}

/**
 * Makes the account's keys and a recovery key; seals the private keys under both and stores them on the server.
 * @param {string} userId @param {Uint8Array} wrapKey
 */
async function createKeys(userId, wrapKey) {
  const { scalars, publicKeys } = await generateAccountKeys();
  const recovery = newRecoveryKey();
  await api('PUT', '/keys', {
    ...publicKeys,
    passwordWrappedKeys: await wrapAccountKeys(scalars, wrapKey, userId),
    recoveryWrappedKeys: await wrapAccountKeys(scalars, await recoveryWrapKey(recovery), userId),
  });
  await remember(userId, await importAccountKeys(scalars, publicKeys));
  freshRecoveryKey = recoveryKeyText(recovery);
}

/**
 * @param {string} userId @param {import('../../crypto/account-keys.js').UnlockedKeys} keys
 */
async function remember(userId, keys) {
  unlocked = { userId, keys };
  await storeKeys(userId, keys).catch(() => undefined);  // private browsing may refuse IndexedDB: keys stay in memory
}

/**
 * The signed-in account's unlocked keys, or null if this browser must unlock them with the password first.
 * @returns {Promise<import('../../crypto/account-keys.js').UnlockedKeys|null>}
 */
export async function accountKeys() {
  const current = account();
  if (!current) return null;
  if (unlocked?.userId === current.id) return unlocked.keys;
  const stored = await loadKeys(current.id).catch(() => undefined);
  if (stored) unlocked = { userId: current.id, keys: stored };
  return stored ?? null;
}

/**
 * The unlocked keys for a view that needs them; without them, sends the person to `/unlock`, to come back here.
 * @returns {Promise<import('../../crypto/account-keys.js').UnlockedKeys|null>} null when the view must not render
 */
export async function requireKeys() {
  const keys = await accountKeys();
  if (!keys) navigate(`/unlock?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  return keys;
}

/** Forgets the keys in this browser (at sign-out). */
export async function forgetKeys() {
  unlocked = null;
  freshRecoveryKey = null;
  await clearKeys().catch(() => undefined);
}

/**
 * Re-seals the keys under a new password's wrap key, for a password change.
 * @param {Uint8Array} oldWrapKey @param {Uint8Array} newWrapKey
 * @returns {Promise<string|undefined>} the new sealed keys, or undefined when the account has none yet
 */
export async function rewrapKeys(oldWrapKey, newWrapKey) {
  const current = account();
  if (!current) return undefined;
  const own = await ownKeys();
  if (!own) return undefined;
  const scalars = await unwrapScalars(own.passwordWrappedKeys, oldWrapKey, current.id);
  return wrapAccountKeys(scalars, newWrapKey, current.id);
}

/**
 * Makes a new recovery key for the account's keys, opened with the password's wrap key; the old recovery key stops
 * working. The recovery-key page shows the new one next.
 * @param {Uint8Array} wrapKey
 */
export async function makeNewRecoveryKey(wrapKey) {
  const current = account();
  const own = await ownKeys();
  if (!current || !own) throw new Error('form.keys_missing');
  const scalars = await unwrapScalars(own.passwordWrappedKeys, wrapKey, current.id).catch(() => {
    throw new Error('form.password_wrong');
  });
  const keys = (await accountKeys()) ?? await importAccountKeys(scalars, own);
  const recovery = newRecoveryKey();
  const sealed = await wrapAccountKeys(scalars, await recoveryWrapKey(recovery), current.id);
  await api('PUT', '/keys/recovery', { recoveryWrappedKeys: sealed, signature: await signRecoveryChange(keys, current.id, sealed) });
  freshRecoveryKey = recoveryKeyText(recovery);
}

/** The recovery key of keys made in this page, until the person confirmed keeping it; null after. */
export function freshRecoveryKeyText() {
  return freshRecoveryKey;
}

/** Drops the fresh recovery key from memory once the person said they kept it. */
export function forgetFreshRecoveryKey() {
  freshRecoveryKey = null;
}
