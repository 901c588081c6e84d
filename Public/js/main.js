// @ts-check
import { api } from './core/api.js';
import { h, replaceChildren } from './core/dom.js';
import { initialLanguage, language, onLanguageChange, setLanguage, t } from './core/i18n.js';
import { navigate, render, route, setGuard, start } from './core/router.js';
import { account, onSessionChange, setAccount, setSession } from './core/store.js';
import { forgotPasswordView, resetPasswordView, verifyEmailView } from './features/accounts/email-links.js';
import { homeView, welcomeView } from './features/accounts/home.js';
import { loginView } from './features/accounts/login.js';
import { settingsView } from './features/accounts/settings.js';
import { setupView } from './features/accounts/setup.js';
import { signupView } from './features/accounts/signup.js';
import { conversationsView } from './features/messaging/conversations.js';
import { forgetKeys, recoveryKeyView, unlockView } from './features/messaging/keys.js';
import { threadView } from './features/messaging/thread.js';
import { connectSocket, disconnectSocket } from './core/socket.js';

/** Pages only for signed-in people; the rest are public. */
const privatePages = new Set(['/home', '/settings', '/unlock', '/recovery-key', '/conversations']);
/** Pages that make no sense once signed in. */
const guestPages = new Set(['/', '/login', '/signup']);

route('/', welcomeView);
route('/login', loginView);
route('/signup', signupView);
route('/verify-email', verifyEmailView);
route('/forgot-password', forgotPasswordView);
route('/reset-password', resetPasswordView);
route('/setup', setupView);
route('/home', homeView);
route('/settings', settingsView);
route('/unlock', unlockView);
route('/recovery-key', recoveryKeyView);
route('/conversations', conversationsView);
route('/conversations/:conversationID', threadView);
route('*', () => h('section', { class: 'card narrow' }, h('h1', {}, t('notfound.title')), h('p', {}, h('a', { href: '/', 'data-link': true }, t('notfound.back')))));

setGuard((path) => {
  const current = account();
  const isPrivate = privatePages.has(path) || path.startsWith('/conversations/');
  if (!current) return isPrivate ? '/login' : null;
  if (current.mustEnableTwoFactor && isPrivate && path !== '/recovery-key' && path !== '/unlock') return '/settings';
  return guestPages.has(path) ? '/home' : null;
});

function renderNavigation() {
  const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
  const current = account();
  const links = current
    ? [
        h('a', { href: '/home', 'data-link': true }, t('nav.home')),
        h('a', { href: '/conversations', 'data-link': true }, t('nav.conversations')),
        h('a', { href: '/settings', 'data-link': true }, t('nav.settings')),
        h('button', { type: 'button', class: 'link', onclick: signOut }, t('nav.logout')),
      ]
    : [h('a', { href: '/login', 'data-link': true }, t('nav.login')), h('a', { href: '/signup', 'data-link': true }, t('nav.signup'))];
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
  // One WebSocket while signed in (docs/realtime.md).
  onSessionChange((current) => (current && !current.mustEnableTwoFactor ? connectSocket() : disconnectSocket()));
  if (account() && !account()?.mustEnableTwoFactor) connectSocket();
  onLanguageChange(() => {
    renderNavigation();
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
  renderNavigation();
  start(/** @type {HTMLElement} */ (document.getElementById('main')));
}

void boot();
