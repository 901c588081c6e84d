// @ts-check
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { field, form } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { navigate, takeReturn } from '../../core/router.js';
import { setAccount, setSession } from '../../core/store.js';
import { derivePasswordKeys } from '../../crypto/keys.js';
import { unlockAfterSignIn } from '../messaging/keys.js';

/**
 * Sign-in: fetch the address's key-derivation parameters, derive the login key, and answer a second-factor
 * challenge if the account has one.
 */
export function loginView() {
  const section = h('section', { class: 'card narrow' });
  const login = form({
    label: t('login.title'),
    submit: t('login.submit'),
    busy: t('login.busy'),
    children: [
      field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'username' }),
      field({ name: 'password', label: t('field.password'), type: 'password', autocomplete: 'current-password' }),
    ],
    action: async (values) => {
      const kdf = await api('POST', '/auth/prelogin', { email: values.email });
      const { loginKey, wrapKey } = await derivePasswordKeys(values.password, kdf);
      const result = await api('POST', '/auth/login', { email: values.email, loginKey, transport: 'cookie' });
      if (result.status === 'two_factor_required') {
        replaceChildren(section, secondFactor(result.challenge, wrapKey));
      } else {
        await signedIn(result.session, wrapKey);
      }
    },
  });
  replaceChildren(
    section,
    h('h1', {}, t('login.title')),
    login,
    h(
      'p',
      { class: 'links' },
      h('a', { href: '/forgot-password', 'data-link': true }, t('login.forgot')),
      h('a', { href: '/signup', 'data-link': true }, t('nav.signup')),
    ),
  );
  return section;
}

/**
 * The second step: a code from the authenticator app, or a recovery code.
 * @param {string} challenge
 * @param {Uint8Array} wrapKey kept in memory until the keys are unlocked
 */
function secondFactor(challenge, wrapKey) {
  const wrapper = h('div', {});
  /** @param {boolean} useRecovery */
  const show = (useRecovery) => {
    const input = useRecovery
      ? field({ name: 'recoveryCode', label: t('login.recovery_code'), autocomplete: 'off', hint: t('login.recovery_hint') })
      : field({ name: 'code', label: t('login.code'), autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9 ]{6,7}', hint: t('login.code_hint') });
    replaceChildren(
      wrapper,
      h('h1', {}, t('login.second_factor_title')),
      form({
        label: t('login.second_factor_title'),
        submit: t('login.verify'),
        children: [input],
        action: async (values) => {
          const body = useRecovery ? { challenge, recoveryCode: values.recoveryCode } : { challenge, code: values.code.replace(/\s/g, '') };
          const result = await api('POST', '/auth/login/second-factor', body);
          await signedIn(result.session, wrapKey);
        },
      }),
      h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => show(!useRecovery) }, t(useRecovery ? 'login.use_code' : 'login.use_recovery'))),
    );
    /** @type {HTMLInputElement|null} */ (wrapper.querySelector('input'))?.focus();
  };
  show(false);
  return wrapper;
}

/**
 * Records the session, then opens (or on first sign-in makes) the end-to-end keys with the password's wrap key.
 * @param {{ csrfToken: string, account: import('../../core/store.js').Account }} session
 * @param {Uint8Array} wrapKey
 */
async function signedIn(session, wrapKey) {
  setSession(session);
  // Mails follow the language the person signed in with: a choice made on the sign-in page is saved with the account.
  if (session.account.language !== language()) {
    await api('PATCH', '/account', { language: language() }).then(setAccount).catch(() => {});
  }
  const created = await unlockAfterSignIn(session.account, wrapKey);
  wrapKey.fill(0);
  if (created) navigate('/recovery-key');
  else navigate(session.account.mustEnableTwoFactor ? '/settings' : takeReturn('/home'));
}
