// @ts-check
/**
 * Keeps an account's unlocked private keys in IndexedDB as non-extractable CryptoKeys, so a reload does not ask for
 * the password again. Scripts can use them but never read their bytes; signing out deletes them (docs/crypto.md).
 */

const DATABASE = 'lotse-keys';
const STORE = 'keys';

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} body
 * @returns {Promise<T>}
 */
async function run(mode, body) {
  const database = await open();
  try {
    return await new Promise((resolve, reject) => {
      const request = body(database.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    database.close();
  }
}

/**
 * @param {string} userId
 * @param {import('./account-keys.js').UnlockedKeys} keys
 */
export function storeKeys(userId, keys) {
  return run('readwrite', (store) => store.put(keys, userId));
}

/**
 * @param {string} userId
 * @returns {Promise<import('./account-keys.js').UnlockedKeys|undefined>}
 */
export function loadKeys(userId) {
  return run('readonly', (store) => store.get(userId));
}

/** Deletes every stored key (at sign-out). */
export function clearKeys() {
  return run('readwrite', (store) => store.clear());
}
