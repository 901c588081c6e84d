// @ts-check
/** How plain facts read in the interface, for every feature: days, moments, prices. No DOM here. */
import { language, t } from './i18n.js';

/** @typedef {{ amount: number, currency: string, per: 'session'|'hour'|'engagement' }} Price */

/**
 * A person's name as others see it. An erased account keeps no name (docs/privacy.md, "Erasure"): what it sent still
 * shows, from "Deleted account".
 * @param {string|undefined|null} name
 */
export function personName(name) {
  return name || t('people.deleted_account');
}

/** @param {string|undefined|null} iso @returns {string} a date in the interface language */
export function day(iso) {
  if (!iso) return '';
  // `yyyy-mm-dd` days are calendar days, not instants: show them as written, in no time zone.
  const date = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return date.toLocaleDateString(language(), { year: 'numeric', month: 'long', day: 'numeric', timeZone: iso.length === 10 ? 'UTC' : undefined });
}

/** @param {string|undefined|null} iso @returns {string} date and time in the interface language */
export function moment(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(language(), { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A recent moment as people say it: "Today, 17:33", "Yesterday, 09:10", else date and time as {@link moment}.
 * @param {string|undefined|null} iso @param {Date} [now]
 */
export function recently(iso, now = new Date()) {
  if (!iso) return '';
  const date = new Date(iso);
  const time = date.toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' });
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (date.getTime() >= startOfToday && date.getTime() < startOfToday + 86_400_000) return t('time.today', { time });
  if (date.getTime() >= startOfToday - 86_400_000 && date.getTime() < startOfToday) return t('time.yesterday', { time });
  return moment(iso);
}

/** @param {Price|undefined} price */
export function money(price) {
  if (!price) return '';
  const amount = new Intl.NumberFormat(language(), { style: 'currency', currency: price.currency }).format(price.amount / 100);
  return t(`price.per_${price.per}`, { amount });
}

/**
 * A typed amount ("120", "120,50", "120.5") in minor units, or null when it is not a number.
 * @param {string} text
 */
export function minorUnits(text) {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}
