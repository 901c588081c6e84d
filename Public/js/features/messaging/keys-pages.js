// @ts-check
/** The pages about one's own keys: the recovery key shown once, and unlocking the keys with the password. */
import { api, APIError } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { field, form, keepSafeActions, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { navigate, takeReturn } from '../../core/router.js';
import { account } from '../../core/store.js';
import { derivePasswordKeys } from '../../crypto/keys.js';
import { forgetFreshRecoveryKey, freshRecoveryKeyText, unlockAfterSignIn } from './keys.js';

/** Shows the recovery key of freshly made keys once, and asks the person to keep it. */
export function recoveryKeyView() {
  const section = h('section', { class: 'card narrow keep-safe' });
  const text = freshRecoveryKeyText();
  if (!text) {
    replaceChildren(section, h('h1', {}, t('keys.recovery_title')), notice(t('keys.recovery_gone'), 'info'),
      h('p', {}, h('a', { href: '/home', 'data-link': true }, t('nav.home'))));
    return section;
  }
  const confirm = h('input', { type: 'checkbox', id: 'recovery-kept' });
  const next = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => {
    forgetFreshRecoveryKey();
    navigate(account()?.mustEnableTwoFactor ? '/settings' : takeReturn('/home'));
  } }, t('keys.recovery_continue'));
  confirm.addEventListener('change', () => { /** @type {HTMLButtonElement} */ (next).disabled = !(/** @type {HTMLInputElement} */ (confirm).checked); });
  replaceChildren(
    section,
    h('h1', {}, t('keys.recovery_title')),
    h('p', { class: 'lead' }, t('keys.recovery_lead')),
    h('p', { class: 'recovery-key', 'data-testid': 'recovery-key' }, text),
    keepSafeActions(`${t('keys.recovery_title')} (Lotse)\n\n${text}`, 'lotse-recovery-key.txt'),
    notice(t('keys.recovery_warning'), 'warning'),
    h('p', { class: 'hint' }, t('keys.codes_and_key')),
    h('p', { class: 'check' }, confirm, h('label', { for: 'recovery-kept' }, t('keys.recovery_kept'))),
    h('div', { class: 'actions' }, next),
  );
  return section;
}

/** Asks for the password to unlock the keys in a browser that has a session but not the keys. */
export function unlockView() {
  const section = h('section', { class: 'card narrow' });
  replaceChildren(
    section,
    h('h1', {}, t('keys.unlock_title')),
    h('p', { class: 'lead' }, t('keys.unlock_lead')),
    form({
      label: t('keys.unlock_title'),
      submit: t('keys.unlock_submit'),
      busy: t('login.busy'),
      children: [field({ name: 'password', label: t('field.password'), type: 'password', autocomplete: 'current-password' })],
      action: async (values) => {
        const current = account();
        if (!current) return;
        const kdf = await api('POST', '/auth/prelogin', { email: current.email });
        const { wrapKey } = await derivePasswordKeys(values.password, kdf);
        try {
          const created = await unlockAfterSignIn(current, wrapKey);
          navigate(created ? '/recovery-key' : (new URLSearchParams(location.search).get('next') ?? '/conversations'));
        } catch (error) {
          if (error instanceof APIError) throw error;
          throw new Error('form.password_wrong');
        }
      },
    }),
  );
  return section;
}
