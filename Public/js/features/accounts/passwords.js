// @ts-check
/** Rules for new passwords, checked in the browser: the server never sees a password, so it cannot check them. */

export const MINIMUM_PASSWORD_LENGTH = 10;

/**
 * Throws a form error unless the new password is long enough and typed the same twice.
 * @param {string} password
 * @param {string} repeat
 */
export function checkNewPassword(password, repeat) {
  if ([...password].length < MINIMUM_PASSWORD_LENGTH) throw new Error('form.password_short');
  if (password !== repeat) throw new Error('form.password_mismatch');
}
