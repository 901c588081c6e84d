// @ts-check
/**
 * The program a person signed up for through its invitation link, kept on this device so that after verifying
 * their address (often in another tab) the start page leads back to it.
 */
const key = 'lotse.pendingProgram';

/** @param {string} code */
export function rememberProgram(code) {
  try {
    localStorage.setItem(key, code);
  } catch {
    // Storage may be off; the invitation link still leads there.
  }
}

/** @returns {string|null} */
export function pendingProgram() {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function forgetProgram() {
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage may be off.
  }
}
