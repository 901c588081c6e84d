// @ts-check
/** On the start page: programs one may join (by the staff's list or one's mail domain), and the one signed up for. */
import { api } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { actionButton } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { pendingProgram } from './pending.js';

/**
 * @typedef {{ programId: string, name: string, institutionName: string, source: 'link'|'domain'|'list',
 *   role?: 'mentee'|'mentor'|null }} JoinableProgram
 */

/** @returns {Promise<Node|null>} nothing when there is nothing to join */
export async function joinablePrograms() {
  // A section (named by its heading) only when there is something to show; empty, a plain box.
  const root = h('div', { class: 'stack' });
  const draw = async () => {
    /** @type {JoinableProgram[]} */
    const programs = await api('GET', '/joinable-programs').catch(() => []);
    const pending = pendingProgram();
    if (programs.length === 0 && !pending) return void replaceChildren(root);
    replaceChildren(root, h('section', { class: 'stack', 'aria-labelledby': 'joinable-title' },
      h('h2', { id: 'joinable-title' }, t('joinable.title')),
      pending ? h('p', {}, h('a', { href: `/join/${pending}`, 'data-link': true, class: 'button primary' }, t('joinable.continue'))) : null,
      programs.length ? h('ul', { class: 'plain-list' }, ...programs.map((program) => h('li', { class: 'stack' },
        h('p', {}, h('strong', {}, program.name), ' · ', program.institutionName),
        h('p', { class: 'hint' }, program.source === 'list' ? t('joinable.listed', { role: t(`participant.role.${program.role ?? 'mentee'}`) }) : t('joinable.domain')),
        h('div', { class: 'actions' }, ...(program.role ? [program.role] : /** @type {const} */ (['mentee', 'mentor'])).map((role) =>
          actionButton(t(`join.as.${role}`), async () => {
            await api('POST', `/programs/${program.programId}/join`, { role });
            toast(t('join.welcome'));
            await draw();
          }, role === (program.role ?? 'mentee') ? 'primary' : undefined)))))) : null));
  };
  await draw();
  return root;
}
