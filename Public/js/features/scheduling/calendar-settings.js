// @ts-check
/**
 * Calendar settings: the time zone mails and reminders use (set from the browser until someone chooses), when
 * reminders go out, and the private subscription feed for calendar apps.
 */
import { api } from '../../core/api.js';
import { announce, h, replaceChildren } from '../../core/dom.js';
import { actionButton, field, form, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { viewerZone, zoneName } from './time.js';

/** @typedef {{ timeZone?: string|null, reminderOffsetsMinutes: number[], hasFeed: boolean }} CalendarSettings */

/** The reminder times offered, in minutes before a session. */
const reminderChoices = [10_080, 2_880, 1_440, 240, 120, 60, 30, 15];

let remembered = false;

/**
 * Once signed in, gives an account without a time zone this browser's, so mails show times as the person lives
 * them. A zone someone chose is never overwritten.
 */
export async function rememberZone() {
  if (remembered) return;
  remembered = true;
  try {
    /** @type {CalendarSettings} */
    const settings = await api('GET', '/calendar/settings');
    if (!settings.timeZone) await api('PUT', '/calendar/settings', { timeZone: viewerZone(), reminderOffsetsMinutes: settings.reminderOffsetsMinutes });
  } catch {
    remembered = false; // offline or signed out meanwhile: try again next time
  }
}

/** Forgets that the zone was looked at (at sign-out), so the next account gets the same care. */
export function forgetZone() {
  remembered = false;
}

/** @returns {Promise<HTMLElement>} */
export async function calendarSettingsCard() {
  /** @type {CalendarSettings} */
  const settings = await api('GET', '/calendar/settings');
  const here = viewerZone();
  const choices = [...new Set([...reminderChoices, ...settings.reminderOffsetsMinutes])].sort((a, b) => b - a);
  const feed = h('div', { class: 'feed' });
  const status = h('div', { 'aria-live': 'polite' });
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': 'calendar-settings-title' },
    h('h2', { id: 'calendar-settings-title' }, t('calendar.settings')),
    status,
    form({
      label: t('calendar.settings'),
      submit: t('calendar.save_settings'),
      children: [
        zoneField(t('calendar.time_zone'), settings.timeZone ?? here),
        h('fieldset', { class: 'field choices reminders', 'data-field': 'reminderOffsetsMinutes' },
          h('legend', {}, t('calendar.reminders')),
          h('p', { class: 'hint' }, t('calendar.reminders_hint')),
          ...choices.map((minutes) => h('label', { class: 'choice' },
            h('input', { type: 'checkbox', name: `reminder-${minutes}`, value: 'yes', checked: settings.reminderOffsetsMinutes.includes(minutes) }),
            offsetLabel(minutes))),
          h('p', { class: 'field-error', hidden: true })),
      ],
      action: async (values) => {
        const offsets = choices.filter((minutes) => values[`reminder-${minutes}`] === 'yes');
        if (offsets.length > 4) throw new Error('form.too_many_reminders');
        await api('PUT', '/calendar/settings', { timeZone: values.timeZone, reminderOffsetsMinutes: offsets });
        replaceChildren(status, notice(t('calendar.settings_saved'), 'success'));
      },
    }),
    h('h3', {}, t('calendar.feed')),
    h('p', { class: 'hint' }, t('calendar.feed_hint')),
    feed,
  );
  drawFeed(feed, settings.hasFeed);
  return card;
}

/**
 * The feed's state and buttons; a new address is shown once, right after it is made.
 * @param {HTMLElement} element @param {boolean} hasFeed @param {string} [url]
 */
function drawFeed(element, hasFeed, url) {
  const make = actionButton(t(hasFeed ? 'calendar.feed_renew' : 'calendar.feed_make'), async () => {
    /** @type {{ url: string }} */
    const made = await api('POST', '/calendar/feed');
    drawFeed(element, true, made.url);
    announce(t('calendar.feed_made'));
  }, hasFeed ? undefined : 'primary');
  const off = hasFeed ? actionButton(t('calendar.feed_off'), async () => {
    await api('DELETE', '/calendar/feed');
    drawFeed(element, false);
  }) : null;
  const address = url ? h('div', { class: 'field' },
    h('label', { for: 'feed-url' }, t('calendar.feed_address')),
    h('input', { id: 'feed-url', type: 'text', readonly: true, value: url, 'aria-describedby': 'feed-url-hint' }),
    h('p', { class: 'hint', id: 'feed-url-hint' }, t('calendar.feed_once'))) : null;
  replaceChildren(element,
    h('p', { role: 'status' }, t(hasFeed ? 'calendar.feed_is_on' : 'calendar.feed_is_off')),
    address,
    h('div', { class: 'booking-actions' }, make, off));
  /** @type {HTMLInputElement|null} */ (element.querySelector('#feed-url'))?.select();
}

/**
 * A choice of IANA time zones (named `timeZone`), saying which one this device is in.
 * @param {string} label @param {string} value
 */
export function zoneField(label, value) {
  const here = viewerZone();
  const zones = [...new Set([...Intl.supportedValuesOf('timeZone'), here, value, 'UTC'])].sort();
  // Searchable: typing "berl" offers Europe/Berlin (the browser filters the list as one types).
  const wrapper = field({ name: 'timeZone', label, hint: t('calendar.time_zone_hint', { zone: zoneName(here) }), value, autocomplete: 'off' });
  const input = /** @type {HTMLInputElement} */ (wrapper.querySelector('input'));
  const listID = `${input.id}-zones`;
  input.setAttribute('list', listID);
  input.setAttribute('spellcheck', 'false');
  input.addEventListener('focus', () => input.select());
  wrapper.append(h('datalist', { id: listID }, ...zones.map((zone) => h('option', { value: zone }, zone.replaceAll('_', ' ')))));
  return wrapper;
}

/** @param {number} minutes @returns {string} e.g. "1 day before" */
export function offsetLabel(minutes) {
  if (minutes === 10_080) return t('calendar.week_before');
  if (minutes % 1_440 === 0) return t(minutes === 1_440 ? 'calendar.day_before' : 'calendar.days_before', { count: String(minutes / 1_440) });
  if (minutes % 60 === 0) return t(minutes === 60 ? 'calendar.hour_before' : 'calendar.hours_before', { count: String(minutes / 60) });
  return t('calendar.minutes_before', { count: String(minutes) });
}
