// @ts-check
import { api } from '../../core/api.js';
import { h, qrImage, replaceChildren } from '../../core/dom.js';
import { field, form, keepSafeActions, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { account, setAccount } from '../../core/store.js';

/**
 * The two-factor panel of the settings: set up (secret, then a code to confirm, then recovery codes shown once),
 * new recovery codes, and switching off where the role allows it.
 * @param {() => void} refresh re-renders the settings
 */
export function twoFactorPanel(refresh) {
  const panel = h('section', { class: 'card', 'aria-labelledby': 'two-factor-title' });
  const current = account();
  if (!current) return panel;
  const heading = h('h2', { id: 'two-factor-title' }, t('twofactor.title'));
  if (!current.isTwoFactorEnabled) {
    replaceChildren(
      panel,
      heading,
      current.mustEnableTwoFactor ? notice(t('twofactor.required'), 'warning') : h('p', {}, t('twofactor.optional')),
      h('button', { type: 'button', class: 'primary', onclick: () => void begin(panel, heading, refresh) }, t('twofactor.start')),
    );
    return panel;
  }
  replaceChildren(
    panel,
    heading,
    notice(t('twofactor.on', { count: current.recoveryCodesLeft }), 'success'),
    codeForm(t('twofactor.new_codes'), async (code) => {
      const { codes } = await api('POST', '/account/two-factor/recovery-codes', { code });
      setAccount(await api('GET', '/account'));
      replaceChildren(panel, heading, recoveryCodes(codes, refresh));
    }),
    current.role === 'client'
      ? codeForm(t('twofactor.disable'), async (code) => {
          await api('POST', '/account/two-factor/disable', { code });
          setAccount(await api('GET', '/account'));
          refresh();
        })
      : h('p', { class: 'hint' }, t('twofactor.mandatory')),
  );
  return panel;
}

/**
 * @param {HTMLElement} panel
 * @param {HTMLElement} heading
 * @param {() => void} refresh
 */
async function begin(panel, heading, refresh) {
  const setup = await api('POST', '/account/two-factor/setup');
  const grouped = setup.secret.match(/.{1,4}/g).join(' ');
  replaceChildren(
    panel,
    heading,
    h('ol', { class: 'steps' },
      h('li', {}, t('twofactor.step_app')),
      h('li', {}, t('twofactor.step_scan'),
        h('div', { class: 'qr-box' }, qrImage(setup.otpauthURI, t('twofactor.qr_label'))),
        t('twofactor.step_secret'), ' ', h('code', { class: 'secret', 'data-secret': setup.secret }, grouped), ' ',
        h('a', { href: setup.otpauthURI }, t('twofactor.open_in_app'))),
      h('li', {}, t('twofactor.step_code'))),
    codeForm(t('twofactor.confirm'), async (code) => {
      const { codes } = await api('POST', '/account/two-factor/confirm', { code });
      setAccount(await api('GET', '/account'));
      replaceChildren(panel, heading, recoveryCodes(codes, refresh));
    }),
  );
  /** @type {HTMLInputElement|null} */ (panel.querySelector('input'))?.focus();
}

/**
 * The recovery codes, shown exactly once.
 * @param {string[]} codes
 * @param {() => void} refresh
 */
function recoveryCodes(codes, refresh) {
  return h(
    'div',
    { class: 'recovery keep-safe' },
    notice(t('twofactor.codes_once'), 'warning'),
    h('ul', { class: 'codes', 'aria-label': t('twofactor.codes_label') }, ...codes.map((code) => h('li', {}, h('code', {}, code)))),
    keepSafeActions(`${t('twofactor.codes_label')} (Lotse)\n\n${codes.join('\n')}`, 'lotse-recovery-codes.txt'),
    h('p', { class: 'hint' }, t('keys.codes_and_key')),
    h('button', { type: 'button', class: 'primary', onclick: refresh }, t('twofactor.codes_saved')),
  );
}

/**
 * A one-field form for a six-digit code.
 * @param {string} submit
 * @param {(code: string) => Promise<void>} action
 */
function codeForm(submit, action) {
  return form({
    label: submit,
    submit,
    children: [field({ name: 'code', label: t('login.code'), autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9 ]{6,7}' })],
    action: async (values) => action(values.code.replace(/\s/g, '')),
  });
}
