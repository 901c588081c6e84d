// @ts-check
/**
 * The page a parent or guardian reaches from the mail: who registered for which program, what the program is and
 * who sees what, and one button to confirm (Art. 8 GDPR). No account is needed.
 */
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { actionButton, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';

/**
 * @typedef {{ participantName: string, programName: string, programDescription: string, institutionName: string,
 *   isConfirmed: boolean }} Consent
 */

/** @param {{ hash: URLSearchParams }} route */
export async function guardianConsentView({ hash }) {
  const token = hash.get('token') ?? '';
  const root = h('section', { class: 'card narrow stack' });
  /** @param {Consent} consent */
  const draw = (consent) => replaceChildren(root,
    h('p', { class: 'eyebrow' }, t('join.by', { institution: consent.institutionName })),
    h('h1', {}, t('guardian.title', { name: consent.participantName })),
    h('p', { class: 'lead' }, t('guardian.lead', { name: consent.participantName, program: consent.programName })),
    consent.programDescription ? h('p', {}, consent.programDescription) : null,
    h('p', {}, t('guardian.privacy', { name: consent.participantName })),
    consent.isConfirmed
      ? notice(t('guardian.confirmed', { name: consent.participantName }), 'success')
      : h('div', { class: 'actions' }, actionButton(t('guardian.confirm', { name: consent.participantName }), async () => {
        /** @type {Consent} */
        const confirmed = await api('POST', '/guardian-consents/confirm', { token });
        draw(confirmed);
        /** @type {HTMLElement|null} */ (root.querySelector('h1'))?.focus();
      }, 'primary')),
    consent.isConfirmed ? null : h('p', { class: 'hint' }, t('guardian.decline', { name: consent.participantName })));
  try {
    draw(await api('POST', '/guardian-consents/lookup', { token }));
  } catch (error) {
    replaceChildren(root, h('h1', {}, t('guardian.invalid_title')), notice(messageFor(error), 'warning'));
  }
  return root;
}
