// @ts-check
/** German and English catalogues from /i18n/{de,en}.json; the choice persists in localStorage. */

/** @type {Record<string, string>} */
let catalogue = {};
/** @type {'de'|'en'} */
let current = 'en';
const listeners = new Set();

/**
 * The language to start in: a saved choice, else the browser's preference, else English.
 * @returns {'de'|'en'}
 */
export function initialLanguage() {
  const saved = localStorage.getItem('lotse.language');
  if (saved === 'de' || saved === 'en') return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'de' || primary === 'en') return primary;
  }
  return 'en';
}

/**
 * Loads a catalogue and makes it current; the choice persists.
 * @param {'de'|'en'} language
 */
export async function setLanguage(language) {
  // The choice is kept at once, so a page opened before the catalogue arrived still starts in it.
  localStorage.setItem('lotse.language', language);
  const response = await fetch(`/i18n/${language}.json`);
  if (!response.ok) throw new Error(`Cannot load /i18n/${language}.json`);
  catalogue = await response.json();
  current = language;
  document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
}

/** @returns {'de'|'en'} */
export function language() {
  return current;
}

/**
 * The text for a key, with `{name}` placeholders filled in.
 * @param {string} key
 * @param {Record<string, string|number>} [values]
 */
export function t(key, values = {}) {
  const text = catalogue[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

/**
 * Calls back whenever the language changes.
 * @param {(language: 'de'|'en') => void} listener
 */
export function onLanguageChange(listener) {
  listeners.add(listener);
}
