// @ts-check
/**
 * The notification center (docs/notifications.md): the bell in the header with the unread count (also in the tab
 * title), its panel, the "Waiting for you" list on start pages, and — while the tab is in the background — the
 * browser's own notifications and a short sound for the waiting room and new messages. Live over the socket.
 */
import { api } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { form } from '../../core/forms.js';
import { recently } from '../../core/format.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { on } from '../../core/socket.js';
import { account } from '../../core/store.js';

/**
 * @typedef {{ id: string, kind: string, engagementId: string, actorName?: string, createdAt: string, read: boolean }} NotificationItem
 * @typedef {{ unread: number, items: NotificationItem[] }} NotificationList
 */

/** @type {NotificationList} */
let state = { unread: 0, items: [] };
/** Whether the list came from the server since sign-in (until then, "nothing waits" would be a guess). */
let loaded = false;
/** @type {Set<() => void>} */
const watchers = new Set();

/**
 * On the start page: a mentoring match before (or, ended early, perhaps without) its engagement, and a program one
 * may join.
 */
const aboutMatches = new Set(['match_proposed', 'request_expiring', 'match_active', 'pair_ended', 'program_invited']);

/**
 * Where a notification leads: the call for someone waiting, the start page for a mentoring match, else the
 * engagement. @param {NotificationItem} item
 */
export function notificationLink(item) {
  if (item.kind === 'waiting') return `/call/${item.engagementId}`;
  return aboutMatches.has(item.kind) ? '/home' : `/engagements/${item.engagementId}`;
}

/** "New inquiry from Jonas". @param {NotificationItem} item */
export function notificationText(item) {
  return t(`notifications.kind.${item.kind}`, { name: item.actorName ?? t('notifications.someone') });
}

/** What to do about it: "Reply", "Let in". @param {NotificationItem} item */
function actionText(item) {
  return t(`notifications.action.${item.kind}`);
}

/** Opens what a notification is about and marks it read. @param {NotificationItem} item */
async function open(item) {
  navigate(notificationLink(item));
  if (!item.read) await markRead({ ids: [item.id] });
}

/** @param {{ ids?: string[], engagementId?: string }} which */
export async function markRead(which) {
  try {
    update(await api('POST', '/notifications/read', which));
  } catch {
    // Best effort: the next list or event corrects the count.
  }
}

/** @param {NotificationList} list */
function update(list) {
  state = list;
  for (const watcher of watchers) watcher();
}

/** Draws every waiting list again (something beside them, which their "nothing waits" depends on, changed). */
export function redrawWaiting() {
  for (const watcher of watchers) watcher();
}

/** Fetches the list again (on every socket connection: whatever happened meanwhile). */
async function refresh() {
  if (!account()) return;
  try {
    const list = await api('GET', '/notifications');
    loaded = true;
    update(list);
  } catch {
    // Offline: the socket's next `open` tries again.
  }
}

/**
 * The unread lines as a list with one action each ("New inquiry from Jonas — Reply"), kept current; empty when
 * nothing waits. For start pages and "Next steps".
 * @param {{ empty?: string | (() => string | null) }} [options] what to say when nothing waits (nothing at all
 *   without it); a function is asked at every drawing
 */
export function waitingList(options = {}) {
  const list = h('ul', { class: 'waiting-list', 'aria-live': 'polite' });
  const draw = () => {
    const unread = state.items.filter((item) => !item.read);
    const empty = typeof options.empty === 'function' ? options.empty() : options.empty;
    list.hidden = !loaded || (unread.length === 0 && !empty);
    if (unread.length === 0) {
      replaceChildren(list, empty ? h('li', { class: 'empty' }, empty) : null);
      return;
    }
    replaceChildren(list, ...unread.map((item) => h('li', {},
      h('span', { class: 'what' }, notificationText(item), h('span', { class: 'meta' }, recently(item.createdAt))),
      h('a', { href: notificationLink(item), 'data-link': true, class: 'button primary', onclick: () => void markRead({ ids: [item.id] }) }, actionText(item)))));
  };
  draw();
  watchers.add(draw);
  // Forgets the list once the page that showed it is gone — not before it was shown: a view that awaits more
  // before it attaches its parts must not lose the list's updates meanwhile.
  let shown = false;
  const observer = new MutationObserver(() => {
    if (list.isConnected) {
      shown = true;
    } else if (shown) {
      watchers.delete(draw);
      observer.disconnect();
    }
  });
  queueMicrotask(() => observer.observe(document.body, { childList: true, subtree: true }));
  return list;
}

// MARK: The header's bell and panel

/** Draws the bell's count and the tab title's "(2) ". */
function drawBell() {
  const bell = document.getElementById('notifications-button');
  const badge = document.getElementById('notifications-badge');
  if (!bell || !badge) return;
  bell.hidden = !account() || Boolean(account()?.mustEnableTwoFactor);
  badge.textContent = state.unread > 99 ? '99+' : String(state.unread);
  badge.hidden = state.unread === 0;
  bell.setAttribute('aria-label', state.unread ? t('notifications.bell_unread', { count: String(state.unread) }) : t('notifications.bell'));
  drawTitle();
  const panel = document.getElementById('notifications-panel');
  if (panel && !panel.hidden) drawPanel(panel);
}

/** Keeps "(n) " in front of whatever title the page set. */
function drawTitle() {
  const bare = document.title.replace(/^\(\d+\+?\) /, '');
  const wanted = state.unread > 0 ? `(${state.unread > 99 ? '99+' : state.unread}) ${bare}` : bare;
  if (document.title !== wanted) document.title = wanted;
}

/** @param {HTMLElement} panel */
function drawPanel(panel) {
  const items = state.items.slice(0, 20);
  const permission = 'Notification' in window ? Notification.permission : 'denied';
  replaceChildren(
    panel,
    h('div', { class: 'panel-head' },
      h('h2', { id: 'notifications-title' }, t('notifications.title')),
      state.unread > 0 ? h('button', { type: 'button', class: 'link', onclick: () => void markRead({}) }, t('notifications.mark_all')) : null),
    items.length === 0
      ? h('p', { class: 'empty' }, t('notifications.empty'))
      : h('ul', { class: 'notification-list' }, ...items.map((item) => h('li', { class: item.read ? 'read' : 'unread' },
        h('a', { href: notificationLink(item), onclick: (/** @type {Event} */ event) => { event.preventDefault(); showPanel(false); void open(item); } },
          h('span', { class: 'what' }, notificationText(item)),
          h('span', { class: 'meta' }, `${recently(item.createdAt)}${item.read ? '' : ` · ${t('notifications.unread')}`}`))))),
    permission === 'default'
      ? h('p', { class: 'panel-foot' }, h('button', { type: 'button', class: 'button', onclick: askPermission }, t('notifications.allow_browser')))
      : null,
    h('p', { class: 'panel-foot' }, h('a', { href: '/settings#notifications', 'data-link': true, onclick: () => showPanel(false) }, t('notifications.settings_link'))),
  );
}

/** @param {boolean} open */
function showPanel(open) {
  const panel = document.getElementById('notifications-panel');
  const bell = document.getElementById('notifications-button');
  if (!panel || !bell) return;
  panel.hidden = !open;
  bell.setAttribute('aria-expanded', String(open));
  if (open) {
    drawPanel(panel);
    panel.focus();
  }
}

/** Asks for the browser's notifications: only when the person pressed the button for it. */
async function askPermission() {
  if (!('Notification' in window)) return;
  await Notification.requestPermission();
  const panel = document.getElementById('notifications-panel');
  if (panel && !panel.hidden) drawPanel(panel);
}

// MARK: In the background: the browser's notification and a sound

/** @type {AudioContext|null} */
let audio = null;

/** A short two-note chime, made on the spot (no sound file). Browsers allow it once the person clicked somewhere. */
export function chime() {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.16, 1320]]) {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = frequency;
      volume.gain.setValueAtTime(0.0001, start + offset);
      volume.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
      tone.connect(volume).connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.32);
    }
  } catch {
    // No audio here: the toast and the badge still tell.
  }
}

/**
 * Tells someone whose tab is in the background: the browser's notification (if they allowed it) and, for `sound`,
 * the chime. Never any content: "New message", not what it says.
 * @param {string} title @param {string} link @param {boolean} sound
 */
function tellInBackground(title, link, sound) {
  if (!document.hidden) return;
  if (sound) chime();
  if ('Notification' in window && Notification.permission === 'granted') {
    const shown = new Notification(title, { tag: link, icon: '/favicon.svg' });
    shown.onclick = () => {
      window.focus();
      navigate(link);
      shown.close();
    };
  }
}

/** Sets up the bell, its panel and the live updates; called once at start. */
export function setUpNotifications() {
  const bell = /** @type {HTMLElement} */ (document.getElementById('notifications-button'));
  const panel = /** @type {HTMLElement} */ (document.getElementById('notifications-panel'));
  bell.addEventListener('click', () => showPanel(panel.hidden));
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || panel.hidden) return;
    showPanel(false);
    bell.focus();
  });
  document.addEventListener('click', (event) => {
    if (panel.hidden || !(event.target instanceof Node)) return;
    if (!panel.contains(event.target) && !bell.contains(event.target)) showPanel(false);
  });
  // Browsers let a page play sound only after the person did something on it.
  document.addEventListener('pointerdown', () => { if (audio?.state === 'suspended') void audio.resume(); });
  watchers.add(drawBell);
  new MutationObserver(drawTitle).observe(document.querySelector('title') ?? document.head, { childList: true });
  on('open', () => void refresh());
  on('notifications', (event) => {
    /** @type {NotificationItem|undefined} */
    const latest = event.notification;
    const items = latest ? [latest, ...state.items.filter((item) => item.id !== latest.id)] : state.items;
    update({ unread: event.unread, items: latest ? items.slice(0, 50) : items });
    if (!latest) {
      void refresh();  // read on another device: which ones, the list says
      return;
    }
    if (latest.kind === 'waiting') {
      chime();
      // On the call page itself, its waiting list shows them already.
      if (location.pathname !== notificationLink(latest)) {
        toast(notificationText(latest), {
          action: { label: actionText(latest), run: () => void open(latest) },
          key: notificationLink(latest), path: notificationLink(latest),
        });
      }
    }
    tellInBackground(notificationText(latest), notificationLink(latest), latest.kind === 'waiting');
  });
  on('message', (event) => {
    if (event.message?.sender === account()?.id) return;
    tellInBackground(t('notifications.new_message'), `/conversations/${event.message?.conversation}`, true);
  });
  drawBell();
}

/** The account changed (signed in or out): start from nothing; its list comes when the socket opens. */
export function resetNotifications() {
  loaded = false;
  update({ unread: 0, items: [] });
  showPanel(false);
}

/** Draws everything again, e.g. in another language. */
export function redrawNotifications() {
  update(state);
}

// MARK: Settings

const topics = ['inquiries', 'sessions', 'agreements', 'tasks', 'waiting_room', 'messages', 'programs'];

/**
 * The settings' part about notifications: which mails (a switch per topic, all on until turned off) and whether
 * this browser may show notes. The mail link "Choose which mails you get" leads here (`/settings#notifications`).
 */
export async function notificationSettingsPanel() {
  /** @type {{ mutedTopics: string[] }} */
  const current = await api('GET', '/notifications/settings').catch(() => ({ mutedTopics: [] }));
  const browser = h('div', {});
  const drawBrowser = () => {
    const permission = 'Notification' in window ? Notification.permission : 'denied';
    replaceChildren(browser,
      h('h3', {}, t('notifications.browser_title')),
      h('p', { class: 'hint' }, t('notifications.browser_lead')),
      permission === 'granted' ? h('p', {}, t('notifications.browser_on'))
        : permission === 'denied' ? h('p', {}, t('notifications.browser_blocked'))
          : h('button', { type: 'button', class: 'button', onclick: async () => { await askPermission(); drawBrowser(); } }, t('notifications.allow_browser')));
  };
  drawBrowser();
  const section = h(
    'section',
    { class: 'card', id: 'notifications', 'aria-labelledby': 'notification-settings-title' },
    h('h2', { id: 'notification-settings-title' }, t('notifications.mail_title')),
    h('p', { class: 'hint' }, t('notifications.mail_lead')),
    form({
      label: t('notifications.mail_title'),
      submit: t('notifications.mail_save'),
      children: [h('fieldset', { class: 'switches' },
        h('legend', { class: 'visually-hidden' }, t('notifications.mail_title')),
        ...topics.map((topic) => h('div', { class: 'field checkbox' },
          h('input', { type: 'checkbox', id: `mail-${topic}`, name: 'mail', value: topic, checked: !current.mutedTopics.includes(topic) }),
          h('label', { for: `mail-${topic}` }, t(`notifications.topic.${topic}`)))))],
      action: async (_values, element) => {
        const wanted = new Set(new FormData(element).getAll('mail').map(String));
        await api('PUT', '/notifications/settings', { mutedTopics: topics.filter((topic) => !wanted.has(topic)) });
        toast(t('notifications.mail_saved'));
      },
    }),
    browser,
  );
  if (location.hash === '#notifications') setTimeout(() => section.scrollIntoView({ block: 'start' }), 0);
  return section;
}
