// @ts-check
/**
 * A summary of what Lotse processes for an institution's mentoring programs, to hand to its data protection officer
 * (docs/privacy.md): roles, people, data, purposes, recipients, periods, and the technical and organisational
 * measures, with the institution's programs. Printable; everything comes from the server, nothing is made up here.
 */
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { day } from '../../core/format.js';
import { t } from '../../core/i18n.js';
import { part, points } from '../privacy/document.js';
import { headcountText } from './staff.js';

/**
 * @typedef {import('./staff.js').Institution} Institution
 * @typedef {import('./staff.js').Program} Program
 * @typedef {import('../privacy/document.js').PrivacyNotice} PrivacyNotice
 */

/** @param {{ params: Record<string, string> }} route */
export async function dataProtectionView({ params }) {
  const institutionID = params.institutionID;
  /** @type {[Institution, Program[], PrivacyNotice]} */
  const [institution, programs, notice] = await Promise.all([
    api('GET', `/institutions/${institutionID}`),
    api('GET', `/institutions/${institutionID}/programs`),
    api('GET', '/privacy-notice'),
  ]);
  return h('article', { class: 'card stack privacy-notice' },
    h('h1', {}, t('dpo.title', { institution: institution.name })),
    h('p', { class: 'lead' }, t('dpo.lead', { date: day(new Date().toISOString()) })),
    part('dpo-roles', t('dpo.roles'),
      h('p', {}, t('dpo.roles_text', { institution: institution.name, operator: notice.operatorName ?? t('dpo.operator_unnamed') })),
      notice.operatorContact ? h('p', { class: 'hint' }, notice.operatorContact) : null),
    part('dpo-programs', t('dpo.programs'), programs.length
      ? h('ul', {}, ...programs.map((program) => h('li', {}, h('strong', {}, program.settings.name), ' · ',
        t(`program.status.${program.status}`), ' · ', headcountText(program))))
      : h('p', {}, t('programs.none_yet'))),
    part('dpo-people', t('dpo.people'), points(['dpo.people_participants', 'dpo.people_guardians', 'dpo.people_staff'])),
    part('dpo-data', t('dpo.data'), points(['dpo.data_account', 'dpo.data_structured', 'dpo.data_free_text', 'dpo.data_pairs', 'dpo.data_metadata'])),
    part('dpo-purposes', t('dpo.purposes'), h('p', {}, t('dpo.purposes_text'))),
    part('dpo-recipients', t('dpo.recipients'), points(['dpo.recipients_staff', 'dpo.recipients_operator', 'dpo.recipients_mail'])),
    part('dpo-periods', t('dpo.periods'), h('p', {}, t('dpo.periods_text', {
      idle: String(notice.retention.idleSession), signup: String(notice.retention.unconfirmedSignUp) }))),
    part('dpo-measures', t('dpo.measures'), points(['dpo.measure_e2e', 'dpo.measure_two_factor', 'dpo.measure_reports', 'dpo.measure_audit', 'dpo.measure_minors', 'dpo.measure_transport'])),
    h('p', { class: 'actions no-print' }, h('button', { type: 'button', onclick: () => window.print() }, t('keep.print'))));
}
