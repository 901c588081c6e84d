// @ts-check
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { day } from '../../core/format.js';
import { language, t } from '../../core/i18n.js';
import { account } from '../../core/store.js';
import { redrawWaiting, waitingList } from '../notifications/center.js';
import { joinablePrograms } from '../programs/joinable.js';
import { loadMine, meetingQuestions, myPrograms } from '../programs/my-programs.js';
import { nextSessionLine } from '../scheduling/bookings.js';

/** The signed-in start page: what waits for the person, and the next session if one is planned. */
export async function homeView() {
  const current = account();
  const role = current?.role === 'coach' && current.coachTitle ? t(`role.title.${current.coachTitle}`) : t(`role.${current?.role ?? 'client'}`);
  const mine = await loadMine();
  // A student in a mentoring program is no "client" to themselves: the line names their part in the program.
  const parts = current?.role === 'client'
    ? [...new Set(mine[0].map((program) => program.role))].map((part) => t(`participant.role.${part}`))
    : [];
  // What waits: the pairs' questions, then the notification center's lines; "nothing waits" only when neither has any.
  const questions = await meetingQuestions(mine[1], redrawWaiting);
  /** @type {{ scheduled: boolean, deletesAt?: string|null }} */
  const erasure = await api('GET', '/account/erasure').catch(() => ({ scheduled: false }));
  return h(
    'section',
    { class: 'card' },
    h('h1', {}, t('home.title', { name: current?.displayName ?? '' })),
    h('p', { class: 'lead' }, parts.length ? t('home.role_program', { role: parts.join(' / ') }) : t('home.role', { role })),
    h('h2', {}, t('notifications.waiting_title')),
    // A deletion the person asked for is the first thing that waits: they may have forgotten, or not asked at all.
    erasure.scheduled
      ? h('p', { class: 'notice warning erasure-scheduled', role: 'note' }, t('home.erasure_scheduled', { date: day(erasure.deletesAt) }), ' ',
        h('a', { href: '/settings#erasure', 'data-link': true }, t('home.erasure_keep')))
      : null,
    questions,
    waitingList({ empty: () => (questions.childElementCount ? null : t('notifications.nothing_waits')) }),
    current ? await nextSessionLine(current.id) : null,
    await myPrograms(mine),
    await joinablePrograms(),
    h('p', {}, t('home.security')),
    h('p', { class: 'actions' },
      isStaff(current?.role) ? h('a', { href: '/programs', 'data-link': true, class: 'button primary' }, t('nav.programs')) : null,
      h('a', { href: '/engagements', 'data-link': true, class: isStaff(current?.role) ? 'button' : 'button primary' }, t('nav.engagements')),
      h('a', { href: '/conversations', 'data-link': true, class: 'button' }, t('home.conversations')),
      h('a', { href: '/settings', 'data-link': true, class: 'button' }, t('nav.settings'))),
  );
}

/** The public start page. */
export function welcomeView() {
  return h(
    'section',
    { class: 'card hero' },
    h('h1', {}, t('welcome.title')),
    h('p', { class: 'lead' }, t('welcome.lead')),
    h('p', { class: 'actions' },
      h('a', { href: '/signup', 'data-link': true, class: 'button primary' }, t('nav.signup')),
      h('a', { href: '/login', 'data-link': true, class: 'button' }, t('nav.login')),
      h('a', { href: `/coaches?lang=${language()}`, class: 'button' }, t('nav.directory'))),
    h('p', { class: 'hint' }, h('a', { href: '/privacy', 'data-link': true }, t('privacy.link'))),
  );
}

/** @param {string|undefined} role */
function isStaff(role) {
  return role === 'institution_admin' || role === 'platform_admin';
}
