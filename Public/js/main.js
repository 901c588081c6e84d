// @ts-check
import { api } from './core/api.js';
import { h, replaceChildren } from './core/dom.js';
import { initialLanguage, language, onLanguageChange, setLanguage, t } from './core/i18n.js';
import { navigate, rememberReturn, render, route, setGuard, setLoading, start } from './core/router.js';
import { account, onSessionChange, setAccount, setSession } from './core/store.js';
import { connectSocket, disconnectSocket } from './core/socket.js';
import { forgetKeys } from './features/messaging/keys.js';
import { redrawNotifications, resetNotifications, setUpNotifications } from './features/notifications/center.js';
import { forgetZone, rememberZone } from './features/scheduling/calendar-settings.js';
import { pages } from './routes.js';

/** Pages only for signed-in people, and those that make no sense once signed in (routes.js). */
const privatePages = new Set(pages.filter((page) => page.access === 'private').map((page) => page.path));
/** Prefixes of private pages with an ID in their path: anything below them is private too. */
const privatePrefixes = [...privatePages].filter((path) => path.includes('/:')).map((path) => path.slice(0, path.indexOf(':')));
const guestPages = new Set(pages.filter((page) => page.access === 'guest').map((page) => page.path));

for (const page of pages) route(page.path, page.view);
setLoading(() => h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('app.loading')));
route('*', () => h('section', { class: 'card narrow' }, h('h1', {}, t('notfound.title')), h('p', {}, h('a', { href: '/', 'data-link': true }, t('notfound.back')))));

setGuard((path) => {
  const current = account();
  const isPrivate = privatePages.has(path) || privatePrefixes.some((prefix) => path.startsWith(prefix));
  if (!current) {
    // After signing in (or up), people come back here: e.g. to the inquiry they started from a coach's page.
    if (isPrivate) rememberReturn(path);
    return isPrivate ? '/login' : null;
  }
  if (current.mustEnableTwoFactor && isPrivate && path !== '/recovery-key' && path !== '/unlock') return '/settings';
  return guestPages.has(path) ? '/home' : null;
});

/** The phone's menu button: opens and closes the menu; leaving a page or pressing Escape closes it. */
function setUpMenuButton() {
  const button = /** @type {HTMLElement} */ (document.getElementById('menu-button'));
  const bar = /** @type {HTMLElement} */ (button.closest('.topbar'));
  const show = (/** @type {boolean} */ open) => {
    bar.classList.toggle('menu-open', open);
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => show(button.getAttribute('aria-expanded') !== 'true'));
  document.getElementById('nav')?.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('a, button')) show(false);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
    show(false);
    button.focus();
  });
}

function renderNavigation() {
  const menu = /** @type {HTMLElement} */ (document.getElementById('menu-button'));
  menu.textContent = t('nav.menu');
  const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
  const current = account();
  const links = current
    ? [
        h('a', { href: '/home', 'data-link': true }, t('nav.home')),
        current.role === 'institution_admin' || current.role === 'platform_admin' ? h('a', { href: '/programs', 'data-link': true }, t('nav.programs')) : null,
        h('a', { href: '/engagements', 'data-link': true }, t('nav.engagements')),
        h('a', { href: '/calendar', 'data-link': true }, t('nav.calendar')),
        h('a', { href: '/conversations', 'data-link': true }, t('nav.conversations')),
        current.role === 'coach' ? h('a', { href: '/profile', 'data-link': true }, t('nav.profile')) : h('a', { href: `/coaches?lang=${language()}` }, t('nav.directory')),
        current.role === 'coach' ? h('a', { href: '/library', 'data-link': true }, t('nav.library')) : null,
        h('a', { href: '/settings', 'data-link': true }, t('nav.settings')),
        h('button', { type: 'button', class: 'link', onclick: signOut }, t('nav.logout')),
      ]
    : [
        h('a', { href: `/coaches?lang=${language()}` }, t('nav.directory')),
        h('a', { href: '/login', 'data-link': true }, t('nav.login')),
        h('a', { href: '/signup', 'data-link': true }, t('nav.signup')),
      ];
  replaceChildren(nav, ...links);
  for (const button of document.querySelectorAll('[data-language]')) {
    button.setAttribute('aria-pressed', String(button.getAttribute('data-language') === language()));
  }
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('nav.skip');
}

async function signOut() {
  try {
    await api('POST', '/auth/logout');
  } finally {
    disconnectSocket();
    forgetZone();
    await forgetKeys();
    setSession(null);
    navigate('/login');
  }
}

async function boot() {
  await setLanguage(initialLanguage());
  try {
    setSession(await api('GET', '/auth/session'));
  } catch {
    setSession(null);
  }
  onSessionChange(renderNavigation);
  onSessionChange(resetNotifications);
  // One WebSocket while signed in (docs/realtime.md).
  onSessionChange((current) => (current && !current.mustEnableTwoFactor ? connectSocket() : disconnectSocket()));
  // Mails and reminders show times in the person's zone: until they choose one, this browser's.
  onSessionChange((current) => (current && !current.mustEnableTwoFactor ? void rememberZone() : undefined));
  if (account() && !account()?.mustEnableTwoFactor) {
    connectSocket();
    void rememberZone();
  }
  onLanguageChange(() => {
    renderNavigation();
    redrawNotifications();
    void render();
  });
  for (const button of document.querySelectorAll('[data-language]')) {
    button.addEventListener('click', async () => {
      const chosen = /** @type {'de'|'en'} */ (button.getAttribute('data-language'));
      await setLanguage(chosen);
      // Mails follow the interface: a signed-in person's choice is saved with the account.
      if (account() && account()?.language !== chosen) setAccount(await api('PATCH', '/account', { language: chosen }));
    });
  }
  setUpMenuButton();
  setUpNotifications();
  renderNavigation();
  start(/** @type {HTMLElement} */ (document.getElementById('main')));
}

void boot();
