// @ts-check
import { api, APIError } from '../../core/api.js';
import { parseRecoveryKey, recoveryWrapKey, unwrapScalars, wrapAccountKeys } from '../../crypto/account-keys.js';
import { h, replaceChildren } from '../../core/dom.js';
import { field, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { deriveNewPassword, newPasswordFields } from './passwords.js';

/**
 * Opens the verification link. The token travels in the URL fragment, which browsers never send to servers or in
 * Referer headers.
 * @param {{ hash: URLSearchParams }} params
 */
export async function verifyEmailView({ hash }) {
  const section = h('section', { class: 'card narrow' }, h('h1', {}, t('verify.title')));
  try {
    await api('POST', '/auth/verify-email', { token: hash.get('token') ?? '' });
    section.append(notice(t('verify.done'), 'success'), h('p', {}, h('a', { href: '/login', 'data-link': true, class: 'button primary' }, t('nav.login'))));
  } catch (error) {
    section.append(notice(messageFor(error), 'warning'), h('p', {}, h('a', { href: '/signup', 'data-link': true }, t('nav.signup'))));
  }
  return section;
}

/** Asks for a reset mail; the answer is the same whether or not the address has an account. */
export function forgotPasswordView() {
  const section = h('section', { class: 'card narrow' });
  replaceChildren(
    section,
    h('h1', {}, t('forgot.title')),
    h('p', { class: 'lead' }, t('forgot.lead')),
    form({
      label: t('forgot.title'),
      submit: t('forgot.submit'),
      children: [field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'email' })],
      action: async (values) => {
        await api('POST', '/auth/password-reset', { email: values.email });
        replaceChildren(section, h('h1', {}, t('forgot.title')), notice(t('forgot.sent', { email: values.email }), 'success'));
      },
    }),
  );
  return section;
}

/**
 * Chooses a new password from the reset link.
 * @param {{ hash: URLSearchParams }} params
 */
export function resetPasswordView({ hash }) {
  const token = hash.get('token') ?? '';
  const section = h('section', { class: 'card narrow' });
  replaceChildren(
    section,
    h('h1', {}, t('reset.title')),
    form({
      label: t('reset.title'),
      submit: t('reset.submit'),
      busy: t('signup.busy'),
      children: [
        ...newPasswordFields(t('field.new_password')),
        field({ name: 'recoveryKey', label: t('reset.recovery_key'), hint: t('reset.recovery_hint'), required: false, autocomplete: 'off' }),
      ],
      action: async (values) => {
        const { kdf, loginKey, wrapKey } = await deriveNewPassword(values);
        const wrappedKeys = values.recoveryKey.trim() ? await resealWithRecoveryKey(token, values.recoveryKey, wrapKey) : null;
        await api('POST', '/auth/password-reset/complete', { token, kdf, loginKey, wrappedKeys });
        replaceChildren(
          section,
          h('h1', {}, t('reset.title')),
          notice(t('reset.done'), 'success'),
          h('p', {}, h('a', { href: '/login', 'data-link': true, class: 'button primary' }, t('nav.login'))),
        );
      },
    }),
  );
  return section;
}

/**
 * Opens the account keys with the recovery key and seals them under the new password, so history stays readable.
 * @param {string} token the reset link's token
 * @param {string} text the recovery key as typed
 * @param {Uint8Array} wrapKey the new password's wrap key
 */
async function resealWithRecoveryKey(token, text, wrapKey) {
  const recovery = parseRecoveryKey(text);
  if (!recovery) throw new Error('form.recovery_key_invalid');
  let sealed;
  try {
    sealed = await api('POST', '/auth/password-reset/keys', { token });
  } catch (error) {
    if (error instanceof APIError && error.code === 'messaging.keys_missing') return null;
    throw error;
  }
  const scalars = await unwrapScalars(sealed.recoveryWrappedKeys, await recoveryWrapKey(recovery), sealed.userId).catch(() => {
    throw new Error('form.recovery_key_invalid');
  });
  return wrapAccountKeys(scalars, wrapKey, sealed.userId);
}
