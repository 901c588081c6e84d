// @ts-check
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { field, form, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { rememberProgram } from '../programs/pending.js';
import { deriveNewPassword, newPasswordFields } from './passwords.js';

/**
 * Sign-up: the password becomes a login key in the browser; the server only ever sees that key. Coming from a
 * program's invitation link (`?program=<code>`), the code goes along and the role is a participant's.
 */
export function signupView() {
  const program = new URLSearchParams(location.search).get('program');
  const section = h('section', { class: 'card narrow' });
  const coachTitle = h(
    'div',
    { class: 'field', 'data-field': 'coachTitle', hidden: true },
    h('label', { for: 'signup-coach-title' }, t('signup.coach_title')),
    h(
      'select',
      { id: 'signup-coach-title', name: 'coachTitle' },
      ...['coach', 'mentor', 'trainer', 'counselor'].map((value) => h('option', { value }, t(`role.title.${value}`))),
    ),
  );
  const roles = h(
    'fieldset',
    { class: 'field choices', 'data-field': 'role', hidden: Boolean(program) },
    h('legend', {}, t('signup.role')),
    ...['client', 'coach'].map((value) =>
      h(
        'label',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'role',
          value,
          checked: value === 'client',
          onchange: () => {
            coachTitle.hidden = value !== 'coach';
          },
        }),
        h('span', {}, t(`signup.role.${value}`)),
      ),
    ),
  );
  const signup = form({
    label: t('signup.title'),
    submit: t('signup.submit'),
    busy: t('signup.busy'),
    children: [
      field({ name: 'displayName', label: t('field.display_name'), autocomplete: 'name' }),
      field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'email' }),
      ...newPasswordFields(),
      roles,
      coachTitle,
    ],
    action: async (values) => {
      const { kdf, loginKey } = await deriveNewPassword(values);
      await api('POST', '/auth/register', {
        email: values.email,
        displayName: values.displayName,
        role: values.role,
        coachTitle: values.role === 'coach' ? values.coachTitle : undefined,
        language: language(),
        kdf,
        loginKey,
        programCode: program ?? undefined,
      });
      if (program) rememberProgram(program);
      replaceChildren(
        section,
        h('h1', {}, t('signup.check_mail_title')),
        notice(t('signup.check_mail', { email: values.email }), 'success'),
        h('p', {}, h('a', { href: '/login', 'data-link': true }, t('nav.login'))),
      );
    },
  });
  replaceChildren(
    section,
    h('h1', {}, t('signup.title')),
    h('p', { class: 'lead' }, program ? t('signup.lead_program') : t('signup.lead')),
    signup,
    h('p', {}, t('signup.have_account'), ' ', h('a', { href: '/login', 'data-link': true }, t('nav.login'))),
  );
  return section;
}

