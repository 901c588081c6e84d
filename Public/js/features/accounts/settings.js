// @ts-check
import { api } from '../../core/api.js';
import { announce, h, replaceChildren, toast } from '../../core/dom.js';
import { day } from '../../core/format.js';
import { field, form, notice } from '../../core/forms.js';
import { setLanguage, t } from '../../core/i18n.js';
import { navigate, rememberReturn } from '../../core/router.js';
import { account, setAccount } from '../../core/store.js';
import { derivePasswordKeys } from '../../crypto/keys.js';
import { deriveNewPassword, newPasswordFields } from './passwords.js';
import { retentionPanel } from './retention.js';
import { auditList } from './security-events.js';
import { twoFactorPanel } from './two-factor.js';
import { makeNewRecoveryKey, rewrapKeys } from '../messaging/keys.js';
import { notificationSettingsPanel } from '../notifications/center.js';

/**
 * Account settings: second factor, profile and language, notifications, password, signed-in devices, one's own
 * security events, what the server knows as a download, and deleting the account.
 * @param {{ hash: URLSearchParams }} [route]
 */
export async function settingsView(route) {
  const page = h('div', { class: 'stack' });
  // Coming to keep one's account (`#erasure`, from the start page), its card comes first.
  const erasureFirst = route?.hash.has('erasure') ?? false;
  const notifications = account()?.mustEnableTwoFactor ? null : await notificationSettingsPanel();
  const refresh = () => {
    const current = account();
    if (!current) return;
    replaceChildren(
      page,
      h('h1', {}, t('settings.title')),
      erasureFirst && !current.mustEnableTwoFactor ? erasurePanel() : null,
      twoFactorPanel(refresh),
      current.mustEnableTwoFactor ? null : profilePanel(),
      current.mustEnableTwoFactor ? null : notifications,
      current.mustEnableTwoFactor ? null : passwordPanel(),
      current.mustEnableTwoFactor ? null : recoveryPanel(),
      sessionsPanel(),
      securityEventsPanel(),
      current.mustEnableTwoFactor ? null : dataPanel(),
      current.mustEnableTwoFactor ? null : consentsPanel(),
      current.role === 'coach' && !current.mustEnableTwoFactor
        ? retentionPanel({ path: '/account/retention', title: t('retention.title'), hint: t('retention.hint') })
        : null,
      erasureFirst || current.mustEnableTwoFactor ? null : erasurePanel(),
    );
  };
  refresh();
  return page;
}

function profilePanel() {
  const current = account();
  const languageSelect = h(
    'div',
    { class: 'field', 'data-field': 'language' },
    h('label', { for: 'settings-language' }, t('field.language')),
    h('select', { id: 'settings-language', name: 'language' },
      h('option', { value: 'de', selected: current?.language === 'de' }, 'Deutsch'),
      h('option', { value: 'en', selected: current?.language === 'en' }, 'English')),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'profile-title' },
    h('h2', { id: 'profile-title' }, t('settings.profile')),
    h('p', {}, t('settings.email', { email: current?.email ?? '' })),
    form({
      label: t('settings.profile'),
      submit: t('settings.save'),
      children: [field({ name: 'displayName', label: t('field.display_name'), value: current?.displayName, autocomplete: 'name' }), languageSelect],
      action: async (values) => {
        const updated = await api('PATCH', '/account', { displayName: values.displayName, language: values.language });
        setAccount(updated);
        await setLanguage(updated.language);
        // A toast, not a note in the card: a new language draws the page again, and the note would go with it.
        toast(t('settings.saved'));
      },
    }),
  );
}

function passwordPanel() {
  const status = h('div', {});
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'password-title' },
    h('h2', { id: 'password-title' }, t('settings.password')),
    status,
    form({
      label: t('settings.password'),
      submit: t('settings.change_password'),
      busy: t('signup.busy'),
      children: [
        field({ name: 'currentPassword', label: t('field.current_password'), type: 'password', autocomplete: 'current-password' }),
        ...newPasswordFields(t('field.new_password')),
      ],
      action: async (values, element) => {
        const fresh = await deriveNewPassword(values);
        const current = account();
        const oldKDF = await api('POST', '/auth/prelogin', { email: current?.email });
        const { loginKey: currentLoginKey, wrapKey: oldWrapKey } = await derivePasswordKeys(values.currentPassword, oldKDF);
        const { kdf, loginKey, wrapKey } = fresh;
        // The end-to-end keys are sealed again under the new password; the server gets only the new seal.
        const wrappedKeys = await rewrapKeys(oldWrapKey, wrapKey).catch(() => {
          throw new Error('form.password_wrong');
        });
        await api('POST', '/account/password', { currentLoginKey, kdf, loginKey, wrappedKeys: wrappedKeys ?? null });
        element.reset();
        replaceChildren(status, notice(t('settings.password_changed'), 'success'));
      },
    }),
  );
}

/** A new recovery key, when the old one is lost or someone may have seen it; the password opens the keys for it. */
function recoveryPanel() {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'recovery-title' },
    h('h2', { id: 'recovery-title' }, t('settings.recovery_title')),
    h('p', {}, t('settings.recovery_lead')),
    h('p', { class: 'hint' }, t('keys.codes_and_key')),
    form({
      label: t('settings.recovery_title'),
      submit: t('settings.recovery_new'),
      busy: t('settings.recovery_busy'),
      children: [field({ name: 'password', label: t('field.current_password'), type: 'password', autocomplete: 'current-password' })],
      action: async (values) => {
        const kdf = await api('POST', '/auth/prelogin', { email: account()?.email });
        const { wrapKey } = await derivePasswordKeys(values.password, kdf);
        await makeNewRecoveryKey(wrapKey);
        rememberReturn('/settings');
        navigate('/recovery-key');
      },
    }),
  );
}

function sessionsPanel() {
  const list = h('ul', { class: 'sessions' });
  const panel = h(
    'section',
    { class: 'card', 'aria-labelledby': 'sessions-title' },
    h('h2', { id: 'sessions-title' }, t('settings.sessions')),
    h('p', { class: 'hint' }, t('settings.sessions_hint')),
    list,
  );
  const load = async () => {
    const sessions = await api('GET', '/account/sessions');
    const format = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' });
    replaceChildren(
      list,
      ...sessions.map((/** @type {any} */ session) =>
        h(
          'li',
          { class: 'session', 'data-current': session.isCurrent ? 'true' : 'false' },
          h('div', {},
            h('strong', {}, describeAgent(session.userAgent)),
            session.isCurrent ? h('span', { class: 'badge' }, t('settings.this_device')) : null,
            h('div', { class: 'hint' }, t('settings.session_detail', { ip: session.ipAddress, seen: format.format(new Date(session.lastSeenAt)) }))),
          session.isCurrent
            ? null
            : h('button', {
                type: 'button',
                class: 'danger',
                onclick: async () => {
                  await api('DELETE', `/account/sessions/${session.id}`);
                  announce(t('settings.session_ended'));
                  await load();
                },
              }, t('settings.end_session')),
        ),
      ),
    );
  };
  void load();
  return panel;
}

/** What the server knows about the account, as a file (docs/privacy.md). */
function dataPanel() {
  return h('section', { class: 'card', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, t('settings.data_title')),
    h('p', { class: 'hint' }, t('settings.data_hint'), ' ', h('a', { href: '/privacy', 'data-link': true }, t('privacy.link'))),
    h('p', { class: 'actions start' },
      h('a', { href: '/export', 'data-link': true, class: 'button primary' }, t('settings.data_export')),
      h('a', { href: '/api/v1/account/data/server-knowledge', download: 'lotse-what-the-server-knows.json', class: 'button' }, t('settings.data_download'))));
}

/**
 * Deleting the account (docs/privacy.md, "Erasure"): a way to the page that explains it; once asked for, the date
 * and a way to keep the account, answered in the card itself.
 */
function erasurePanel() {
  const body = h('div', { class: 'stack tight', tabindex: '-1' }, h('p', { class: 'hint' }, t('app.loading')));
  const draw = (/** @type {{ scheduled: boolean, deletesAt?: string|null }} */ status) => {
    if (!status.scheduled) {
      replaceChildren(body, h('p', { class: 'hint' }, t('settings.erasure_hint')),
        h('p', { class: 'actions start' }, h('a', { href: '/delete-account', 'data-link': true, class: 'button danger' }, t('settings.erasure_start'))));
      return;
    }
    const keep = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary' }, t('settings.erasure_keep')));
    keep.addEventListener('click', async () => {
      keep.disabled = true;
      draw(await api('DELETE', '/account/erasure'));
      body.prepend(notice(t('settings.erasure_kept'), 'success'));
      body.focus();
    });
    replaceChildren(body, h('p', { class: 'notice warning', role: 'note' }, t('settings.erasure_scheduled', { date: day(status.deletesAt ?? '') })),
      h('p', { class: 'actions start' }, keep));
  };
  void api('GET', '/account/erasure').then(draw).catch(() => replaceChildren(body, h('p', { class: 'hint' }, t('settings.erasure_unavailable'))));
  return h('section', { class: 'card', 'aria-labelledby': 'erasure-title' },
    h('h2', { id: 'erasure-title' }, t('settings.erasure_title')),
    body);
}

/**
 * @typedef {{ id: string, purpose: string, subjectId: string, subjectName: string, textVersion: string, givenAt: string,
 *   withdrawnAt?: string|null }} Consent
 */

/**
 * The consents one gave (docs/privacy.md, "Consent"), in force and withdrawn; withdrawing asks once more, saying what
 * it deletes, and the answer shows in the row itself.
 */
function consentsPanel() {
  const list = h('ul', { class: 'plain-list consents' }, h('li', { class: 'hint' }, t('app.loading')));
  const draw = async () => {
    /** @type {Consent[]} */
    const consents = await api('GET', '/account/consents');
    if (!consents.length) {
      replaceChildren(list, h('li', { class: 'hint' }, t('consents.none')));
      return;
    }
    replaceChildren(list, ...consents.map((consent) => consentRow(consent, draw)));
  };
  void draw().catch(() => replaceChildren(list, h('li', { class: 'hint' }, t('consents.unavailable'))));
  return h('section', { class: 'card', 'aria-labelledby': 'consents-title' },
    h('h2', { id: 'consents-title' }, t('consents.title')),
    h('p', { class: 'hint' }, t('consents.hint')),
    list);
}

/** @param {Consent} consent @param {() => Promise<void>} redraw */
function consentRow(consent, redraw) {
  const when = h('span', { class: 'hint' }, consent.withdrawnAt
    ? t('consents.withdrawn', { given: day(consent.givenAt), withdrawn: day(consent.withdrawnAt) })
    : t('consents.given', { date: day(consent.givenAt) }));
  const row = h('li', { class: 'consent stack tight' },
    h('span', {}, t('consents.program_answers', { program: consent.subjectName })), when);
  if (consent.withdrawnAt) return row;
  const actions = h('div', { class: 'actions start' });
  const ask = h('button', { type: 'button', class: 'danger' }, t('consents.withdraw'));
  ask.addEventListener('click', () => {
    const confirm = h('button', { type: 'button', class: 'danger' }, t('consents.withdraw_confirm'));
    const keep = h('button', { type: 'button' }, t('consents.keep'));
    const warning = h('p', { class: 'notice warning', role: 'alert' }, t('consents.withdraw_effect', { program: consent.subjectName }));
    replaceChildren(actions, warning, h('div', { class: 'actions start' }, confirm, keep));
    keep.addEventListener('click', () => {
      replaceChildren(actions, ask);
      ask.focus();
    });
    confirm.addEventListener('click', async () => {
      confirm.setAttribute('disabled', '');
      await api('DELETE', `/account/consents/${consent.id}`);
      announce(t('consents.withdrawn_now'));
      await redraw();
    });
    confirm.focus();
  });
  actions.append(ask);
  row.append(actions);
  return row;
}

/** One's own entries in the audit log (docs/privacy.md): what happened and when, newest first. */
function securityEventsPanel() {
  return h('section', { class: 'card', 'aria-labelledby': 'security-events-title' },
    h('h2', { id: 'security-events-title' }, t('settings.security_events')),
    h('p', { class: 'hint' }, t('settings.security_events_hint')),
    auditList('/account/security-events', { limit: 20 }));
}

/**
 * A short name for a browser from its user agent.
 * @param {string} agent
 */
function describeAgent(agent) {
  const browser = /Firefox\//.test(agent) ? 'Firefox' : /Edg\//.test(agent) ? 'Edge' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : null;
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Windows/.test(agent) ? 'Windows' : /Mac OS X/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : null;
  if (browser && system) return `${browser} · ${system}`;
  return browser ?? system ?? (agent || t('settings.unknown_device'));
}
