// @ts-check
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { field, form, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { deriveNewPassword, newPasswordFields } from './passwords.js';

/**
 * The first start: the server printed a link with a setup token; this creates the first platform admin.
 * @param {{ hash: URLSearchParams }} params
 */
export async function setupView({ hash }) {
  const section = h('section', { class: 'card narrow' });
  const status = await api('GET', '/setup');
  if (!status.needsAdmin) {
    replaceChildren(section, h('h1', {}, t('setup.title')), notice(t('setup.done'), 'info'),
      h('p', {}, h('a', { href: '/login', 'data-link': true }, t('nav.login'))));
    return section;
  }
  replaceChildren(
    section,
    h('h1', {}, t('setup.title')),
    h('p', { class: 'lead' }, t('setup.lead')),
    form({
      label: t('setup.title'),
      submit: t('setup.submit'),
      busy: t('signup.busy'),
      children: [
        field({ name: 'setupToken', label: t('setup.token'), value: hash.get('token') ?? '', autocomplete: 'off' }),
        field({ name: 'displayName', label: t('field.display_name'), autocomplete: 'name' }),
        field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'email' }),
        ...newPasswordFields(),
      ],
      action: async (values) => {
        const { kdf, loginKey } = await deriveNewPassword(values);
        await api('POST', '/setup/admin', { setupToken: values.setupToken, email: values.email, displayName: values.displayName, language: language(), kdf, loginKey });
        replaceChildren(section, h('h1', {}, t('setup.title')), notice(t('setup.created'), 'success'),
          h('p', {}, h('a', { href: '/login', 'data-link': true, class: 'button primary' }, t('nav.login'))));
      },
    }),
  );
  return section;
}
