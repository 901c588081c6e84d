// @ts-check
/**
 * The signed-in session as the web client knows it. The session secret itself is an HttpOnly cookie that scripts
 * never see; only the CSRF token and the account live here, in memory.
 * @typedef {{ id: string, email: string, displayName: string, role: string, coachTitle?: string,
 *   language: 'de'|'en', isTwoFactorEnabled: boolean, mustEnableTwoFactor: boolean, recoveryCodesLeft: number }} Account
 */

/** @type {{ account: Account|null, csrfToken: string|null }} */
const state = { account: null, csrfToken: null };
const listeners = new Set();

/** @returns {Account|null} */
export function account() {
  return state.account;
}

/** @returns {string|null} */
export function csrfToken() {
  return state.csrfToken;
}

/**
 * Records a fresh session (or null after signing out).
 * @param {{ account: Account, csrfToken: string }|null} session
 */
export function setSession(session) {
  state.account = session?.account ?? null;
  state.csrfToken = session?.csrfToken ?? null;
  for (const listener of listeners) listener(state.account);
}

/**
 * Replaces the account, e.g. after a settings change.
 * @param {Account} account
 */
export function setAccount(account) {
  state.account = account;
  for (const listener of listeners) listener(state.account);
}

/**
 * Calls back whenever the session changes.
 * @param {(account: Account|null) => void} listener
 */
export function onSessionChange(listener) {
  listeners.add(listener);
}
