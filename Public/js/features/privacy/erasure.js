// @ts-check
/**
 * Deleting one's account (Art. 17; docs/privacy.md, "Erasure"): the page that says plainly what goes, what the others
 * keep and what the law keeps, then asks for the password; and the page the mailed link opens to keep the account.
 */
import { api, APIError } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { day } from '../../core/format.js';
import { field, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { account } from '../../core/store.js';
import { derivePasswordKeys } from '../../crypto/keys.js';

/** @typedef {{ scheduled: boolean, requestedAt?: string|null, deletesAt?: string|null }} ErasureStatus */

/** `/delete-account`: what deleting means, then the password and the button. */
export async function deleteAccountView() {
  /** @type {ErasureStatus} */
  const status = await api('GET', '/account/erasure');
  const page = h('article', { class: 'card stack erasure' });
  const outcome = h('div', { class: 'stack erasure-outcome', tabindex: '-1' });
  const scheduled = (/** @type {ErasureStatus} */ current) => {
    replaceChildren(outcome,
      notice(t('erasure.scheduled', { date: day(current.deletesAt ?? '') }), 'success'),
      h('p', { class: 'actions start' }, h('a', { href: '/settings', 'data-link': true, class: 'button' }, t('erasure.to_settings'))));
  };
  replaceChildren(page,
    h('h1', {}, t('erasure.title')),
    h('p', { class: 'lead' }, t('erasure.lead')),
    section('erasure-gone', t('erasure.gone_title'), ['erasure.gone_account', 'erasure.gone_keys', 'erasure.gone_own', 'erasure.gone_places']),
    section('erasure-stays', t('erasure.stays_title'), ['erasure.stays_messages', 'erasure.stays_engagements']),
    section('erasure-law', t('erasure.law_title'), ['erasure.law_audit', 'erasure.law_records']),
    h('p', { class: 'notice info', role: 'note' }, t('erasure.export_first'), ' ',
      h('a', { href: '/export', 'data-link': true }, t('erasure.export_link'))),
    outcome);
  if (status.scheduled) {
    scheduled(status);
    return page;
  }
  outcome.append(form({
    label: t('erasure.title'),
    submit: t('erasure.submit'),
    busy: t('erasure.busy'),
    danger: true,
    children: [field({ name: 'password', label: t('erasure.password'), type: 'password', autocomplete: 'current-password' })],
    action: async (values) => {
      const kdf = await api('POST', '/auth/prelogin', { email: account()?.email });
      const { loginKey } = await derivePasswordKeys(values.password, kdf);
      const answer = await api('POST', '/account/erasure', { loginKey }).catch((error) => {
        throw error instanceof APIError && error.code === 'accounts.invalid_credentials' ? new Error('form.password_wrong') : error;
      });
      scheduled(answer);
      outcome.focus();
    },
  }));
  return page;
}

/** @param {string} id @param {string} title @param {string[]} keys a titled list of points */
function section(id, title, keys) {
  return h('section', { 'aria-labelledby': id },
    h('h2', { id }, title),
    h('ul', {}, ...keys.map((key) => h('li', {}, t(key)))));
}

/**
 * `/keep-account#token=…`: the mailed link's page. Opening it changes nothing (mail scanners open links too); the
 * button keeps the account.
 * @param {{ hash: URLSearchParams }} params
 */
export function keepAccountView({ hash }) {
  const token = hash.get('token') ?? '';
  const page = h('section', { class: 'card narrow stack' });
  const result = h('div', { tabindex: '-1' });
  const keep = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary' }, t('erasure.keep_submit')));
  keep.addEventListener('click', async () => {
    keep.disabled = true;
    keep.textContent = t('erasure.keep_busy');
    try {
      await api('POST', '/erasure/cancel', { token });
      replaceChildren(result, notice(t('erasure.keep_done'), 'success'),
        h('p', {}, h('a', { href: account() ? '/home' : '/login', 'data-link': true, class: 'button' }, t(account() ? 'nav.home' : 'nav.login'))));
      keep.hidden = true;
    } catch (error) {
      replaceChildren(result, notice(messageFor(error), 'warning'));
      keep.disabled = false;
      keep.textContent = t('erasure.keep_submit');
    }
    result.focus();
  });
  replaceChildren(page,
    h('h1', {}, t('erasure.keep_title')),
    h('p', { class: 'lead' }, t('erasure.keep_lead')),
    h('p', { class: 'actions start' }, keep),
    result);
  return page;
}
