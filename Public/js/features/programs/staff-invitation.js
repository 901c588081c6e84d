// @ts-check
/** The link in a staff invitation: accepts it for the signed-in account, which must be at the invited address. */
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { actionButton, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { disconnectSocket } from '../../core/socket.js';
import { account, setAccount } from '../../core/store.js';

/** @param {{ hash: URLSearchParams }} route */
export function staffInvitationView({ hash }) {
  const token = hash.get('token') ?? '';
  const root = h('section', { class: 'card narrow stack' });
  replaceChildren(root,
    h('h1', {}, t('staff_invitation.invited')),
    h('p', {}, t('staff_invitation.explain', { email: account()?.email ?? '' })),
    h('div', { class: 'actions' }, actionButton(t('staff_invitation.accept'), async () => {
      // Accepting can make the account one that needs a second factor, which the live connection then refuses:
      // it closes here and opens again once the account allows it.
      disconnectSocket();
      /** @type {import('./staff.js').Institution} */
      const institution = await api('POST', '/staff-invitations/accept', { token });
      /** @type {import('../../core/store.js').Account} */
      const current = await api('GET', '/account');
      setAccount(current);
      replaceChildren(root,
        h('h1', {}, t('staff_invitation.title', { institution: institution.name })),
        notice(t('staff_invitation.accepted', { institution: institution.name }), 'success'),
        current.mustEnableTwoFactor
          ? h('p', {}, t('staff_invitation.two_factor'), ' ', h('a', { href: '/settings', 'data-link': true, class: 'button primary' }, t('staff_invitation.set_up')))
          : h('p', {}, h('a', { href: '/programs', 'data-link': true, class: 'button primary' }, t('nav.programs'))));
      /** @type {HTMLElement|null} */ (root.querySelector('h1'))?.focus();
    }, 'primary')));
  return root;
}
