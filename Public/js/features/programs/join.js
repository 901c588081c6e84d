// @ts-check
/**
 * The invitation link `/join/<code>`: what the program is, and joining it — signed out, through sign-up (which
 * carries the code, so a cohort on one campus network is not held up) or sign-in, and back here.
 */
import { api } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { messageFor, notice, actionButton } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { rememberReturn } from '../../core/router.js';
import { account } from '../../core/store.js';
import { forgetProgram } from './pending.js';

/**
 * @typedef {{ programId: string, name: string, description: string, institutionName: string, isOpen: boolean,
 *   role?: 'mentee'|'mentor'|null, hasJoined: boolean }} Invitation
 */

/** @param {{ params: Record<string, string> }} route */
export async function joinView({ params }) {
  const code = params.code;
  const root = h('section', { class: 'card narrow stack' });
  const draw = async () => {
    /** @type {Invitation} */
    let invitation;
    try {
      invitation = await api('GET', `/program-invitations/${encodeURIComponent(code)}`);
    } catch (error) {
      replaceChildren(root, h('h1', {}, t('join.title')), notice(messageFor(error), 'warning'));
      return;
    }
    replaceChildren(root,
      h('p', { class: 'eyebrow' }, t('join.by', { institution: invitation.institutionName })),
      h('h1', {}, invitation.name),
      invitation.description ? h('p', { class: 'lead' }, invitation.description) : null,
      ...body(invitation));
  };

  /** @param {Invitation} invitation @returns {Node[]} */
  const body = (invitation) => {
    if (invitation.hasJoined) {
      forgetProgram();
      return [notice(t('join.joined', { role: t(`participant.role.${invitation.role ?? 'mentee'}`) }), 'success'),
        h('p', {}, t('join.next')),
        h('p', { class: 'actions' },
          h('a', { href: `/programs/${invitation.programId}/registration`, 'data-link': true, class: 'button primary' }, t('join.register')),
          h('a', { href: '/home', 'data-link': true, class: 'button' }, t('nav.home')))];
    }
    if (!invitation.isOpen) return [notice(t('join.closed'), 'info')];
    if (!account()) {
      rememberReturn(`/join/${code}`);
      return [h('p', {}, t('join.signed_out')),
        h('p', { class: 'actions' },
          h('a', { href: `/signup?program=${encodeURIComponent(code)}`, 'data-link': true, class: 'button primary' }, t('join.signup')),
          h('a', { href: '/login', 'data-link': true, class: 'button' }, t('join.login')))];
    }
    const join = (/** @type {'mentee'|'mentor'} */ role) => actionButton(t(`join.as.${role}`), async () => {
      await api('POST', `/program-invitations/${encodeURIComponent(code)}/join`, { role });
      forgetProgram();
      toast(t('join.welcome'));
      await draw();
    }, role === (invitation.role ?? 'mentee') ? 'primary' : undefined);
    if (invitation.role) {
      return [h('p', {}, t('join.listed', { role: t(`participant.role.${invitation.role}`) })), h('div', { class: 'actions' }, join(invitation.role))];
    }
    return [h('p', {}, t('join.choose')), h('div', { class: 'actions' }, join('mentee'), join('mentor'))];
  };
  await draw();
  return root;
}
