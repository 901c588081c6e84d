// @ts-check
/**
 * Entries of the audit log as people read them (docs/privacy.md): one's own security events in the settings, an
 * institution's or the whole platform's for their administrators.
 */
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { day, moment } from '../../core/format.js';
import { t } from '../../core/i18n.js';

/**
 * @typedef {{ sequence: number, kind: string, at: string, accountName?: string|null, actorName?: string|null,
 *   details: Record<string, string> }} AuditEntry
 */

/**
 * The entries at `path`, newest first, each with its time; for administrators also whom it is about.
 * @param {string} path @param {{ limit?: number }} [options]
 */
export function auditList(path, options = {}) {
  const limit = options.limit ?? 200;
  const list = h('ul', { class: 'security-events plain-list' }, h('li', { class: 'hint' }, t('app.loading')));
  void api('GET', path).then((/** @type {AuditEntry[]} */ entries) => {
    replaceChildren(list, ...(entries.length ? entries.slice(0, limit).map((entry) => h('li', { class: 'security-event' },
      h('span', {}, entry.accountName ? h('strong', {}, entry.accountName, ': ') : null, describeEvent(entry)),
      h('time', { class: 'hint', datetime: entry.at }, moment(entry.at)))) : [h('li', { class: 'hint' }, t('settings.security_events_none'))]));
  }).catch(() => replaceChildren(list, h('li', { class: 'hint' }, t('audit.unavailable'))));
  return list;
}

/** "Failed sign-in: wrong password". @param {AuditEntry} entry */
export function describeEvent(entry) {
  const name = entry.actorName ?? t('notifications.someone');
  switch (entry.kind) {
    case 'sign_in_failed':
      return t(`security.sign_in_failed.${entry.details.reason === 'second_factor' ? 'second_factor' : 'password'}`);
    case 'role_changed':
      return t('security.role_changed', { role: t(`role.${entry.details.role ?? 'client'}`), name });
    case 'staff_changed':
      if (entry.details.change === 'joined') return t('security.staff_changed.joined');
      return t(`security.staff_changed.${entry.details.change === 'invited' ? 'invited' : 'role'}`,
        { role: t(`staff.role.${entry.details.staffRole === 'admin' ? 'admin' : 'staff'}`), name });
    case 'audit_read':
      return t('security.audit_read', { name });
    case 'consent_given':
    case 'consent_withdrawn':
      return t(`security.${entry.kind}`, { program: entry.details.program ?? '' });
    case 'erasure_requested':
      return t('security.erasure_requested', { date: day(entry.details.deletesOn) });
    case 'data_exported':
      return t(`security.data_exported.${entry.details.scope === 'engagement' ? 'engagement' : 'account'}`);
    case 'institution_action': {
      const action = ['program_created', 'program_status', 'participants_imported', 'matches_published', 'retention_set'].includes(entry.details.action)
        ? entry.details.action : 'program_created';
      const status = entry.details.status ? t(`program.status.${entry.details.status}`) : '';
      return t(`security.institution_action.${action}`,
        { name, program: entry.details.program ?? '', status, added: entry.details.added ?? '0', pairs: entry.details.pairs ?? '0', days: entry.details.days ?? '' });
    }
    default:
      return t(`security.${entry.kind}`);
  }
}
