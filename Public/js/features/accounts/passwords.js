// @ts-check
import { field } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { derivePasswordKeys, newKDFParameters } from '../../crypto/keys.js';

/** Rules for new passwords, checked in the browser: the server never sees a password, so it cannot check them. */
export const MINIMUM_PASSWORD_LENGTH = 10;

/**
 * The two fields for choosing a password: `password` and `passwordRepeat`.
 * @param {string} [label] the first field's label
 */
export function newPasswordFields(label = t('field.password')) {
  return [
    field({ name: 'password', label, type: 'password', autocomplete: 'new-password', minlength: MINIMUM_PASSWORD_LENGTH, hint: t('signup.password_hint'), invalid: t('form.password_short') }),
    field({ name: 'passwordRepeat', label: t('field.password_repeat'), type: 'password', autocomplete: 'new-password' }),
  ];
}

/**
 * Checks a new password typed twice and derives its login key with a fresh salt.
 * @param {Record<string, string>} values the form's: `password` and `passwordRepeat`
 * @returns {Promise<{ kdf: ReturnType<typeof newKDFParameters>, loginKey: string, wrapKey: Uint8Array }>}
 */
export async function deriveNewPassword(values) {
  if ([...values.password].length < MINIMUM_PASSWORD_LENGTH) throw new Error('form.password_short');
  if (values.password !== values.passwordRepeat) throw new Error('form.password_mismatch');
  const kdf = newKDFParameters();
  const { loginKey, wrapKey } = await derivePasswordKeys(values.password, kdf);
  return { kdf, loginKey, wrapKey };
}
