// @ts-check
/**
 * The privacy notice (Art. 13 GDPR; docs/privacy.md): who is responsible, what Lotse keeps and why, what the server
 * cannot read, who else receives what, how long things are kept, and the reader's rights. The operator's name,
 * contact and the periods come from the server's configuration; a missing name is said plainly.
 */
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { part, points } from './document.js';

/** @typedef {import('./document.js').PrivacyNotice} PrivacyNotice */

export async function privacyNoticeView() {
  /** @type {PrivacyNotice} */
  const notice = await api('GET', '/privacy-notice');
  const { unconfirmedSignUp, idleSession, longestSession, abandonedInquiry, inquiryNotice, endedEngagement } = notice.retention;
  return h('article', { class: 'card stack privacy-notice' },
    h('h1', {}, t('privacy.title')),
    h('p', { class: 'lead' }, t('privacy.lead')),
    part('privacy-who', t('privacy.who'),
      notice.operatorName
        ? h('p', { class: 'operator' }, h('strong', {}, notice.operatorName), notice.operatorContact ? h('br') : null, notice.operatorContact ?? '')
        : h('p', { class: 'notice warning', role: 'note' }, t('privacy.operator_missing')),
      notice.dataProtectionContact ? h('p', {}, t('privacy.dpo', { contact: notice.dataProtectionContact })) : null),
    part('privacy-what', t('privacy.what'), points(['privacy.what_account', 'privacy.what_devices', 'privacy.what_content', 'privacy.what_metadata', 'privacy.what_plain']),
      h('p', {}, t('privacy.basis'))),
    part('privacy-e2e', t('privacy.e2e'), h('p', {}, t('privacy.e2e_text'))),
    part('privacy-recipients', t('privacy.recipients'), points(['privacy.recipients_mail', 'privacy.recipients_relay', 'privacy.recipients_programs', 'privacy.recipients_none'])),
    part('privacy-how-long', t('privacy.how_long'), h('ul', {},
      h('li', {}, t('privacy.keep_signup', { days: String(unconfirmedSignUp) })),
      h('li', {}, t('privacy.keep_devices', { idle: String(idleSession), longest: String(longestSession) })),
      h('li', {}, t('privacy.keep_inquiries', { days: String(abandonedInquiry), notice: String(inquiryNotice) })),
      h('li', {}, t('privacy.keep_engagements', { days: String(endedEngagement) })),
      h('li', {}, t('privacy.keep_audit')),
      h('li', {}, t('privacy.keep_rest')))),
    part('privacy-source', t('privacy.source'), h('p', {}, t('privacy.source_text'))),
    part('privacy-rights', t('privacy.rights'), points(['privacy.rights_access', 'privacy.rights_correct', 'privacy.rights_erase', 'privacy.rights_object', 'privacy.rights_complain'])));
}
