// @ts-check
/** How opened engagement texts read in the workspace; content comes from other browsers, so nothing is assumed. */
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

/**
 * A text field of opened content; undefined when it is missing or not text (content comes from other browsers).
 * @param {import('./engagement-session.js').Content|null} content @param {string} key
 * @returns {string|undefined}
 */
export function textOf(content, key) {
  const value = content?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** @param {unknown} text */
export function paragraphs(text) {
  if (typeof text !== 'string' || !text) return h('p', { class: 'empty' }, t('engagements.unreadable'));
  return h('div', { class: 'text' }, ...text.split(/\n{2,}/).map((part) => h('p', {}, part)));
}
