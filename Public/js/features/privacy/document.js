// @ts-check
/**
 * The parts of the privacy documents (the notice, an institution's data protection summary): a titled section and a
 * list of sentences from the catalogue, and the notice's facts as the server sends them.
 */
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

/**
 * @typedef {{ operatorName?: string|null, operatorContact?: string|null, dataProtectionContact?: string|null,
 *   retention: { unconfirmedSignUp: number, idleSession: number, longestSession: number, abandonedInquiry: number,
 *   inquiryNotice: number, endedEngagement: number } }} PrivacyNotice
 */

/** A section named by its heading. @param {string} id @param {string} title @param {...(Node|string|null)} content */
export function part(id, title, ...content) {
  return h('section', { class: 'stack tight', 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

/** A list of catalogue sentences. @param {string[]} keys */
export function points(keys) {
  return h('ul', {}, ...keys.map((key) => h('li', {}, t(key))));
}
