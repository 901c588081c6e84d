// @ts-check
/**
 * The staff's start: their institutions, each with its programs (and a new one), and for admins the staff and an
 * invitation form.
 */
import { APIError, api } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { field, folded, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { account } from '../../core/store.js';
import { newID } from '../../crypto/bytes.js';
import { auditList } from '../accounts/security-events.js';
import { defaults, settingsForm, suggestedSteps } from './settings-form.js';

/**
 * @typedef {{ id: string, name: string, allowedDomains: string[], myRole?: 'admin'|'staff'|null }} Institution
 * @typedef {{ id: string, institutionId: string, institutionName: string, status: string,
 *   settings: import('./settings-form.js').ProgramSettings, invitationCode: string,
 *   headcount: { mentees: number, mentors: number, invited: number } }} Program
 * @typedef {{ email: string, displayName?: string|null, role: 'admin'|'staff', hasJoined: boolean }} StaffMember
 */

export async function programsView() {
  /** @type {Institution[]} */
  let institutions;
  try {
    institutions = await api('GET', '/institutions');
  } catch (error) {
    return h('section', { class: 'card narrow' }, h('h1', {}, t('programs.title')), notice(messageFor(error), 'warning'));
  }
  const platform = account()?.role === 'platform_admin' ? await platformSection() : null;
  if (institutions.length === 0 && !platform) {
    return h('section', { class: 'card narrow' }, h('h1', {}, t('programs.title')), h('p', {}, t('programs.no_institution')));
  }
  const sections = await Promise.all(institutions.map(institutionSection));
  return h('section', { class: 'stack' }, h('h1', {}, t('programs.title')), ...sections, platform);
}

/** For platform admins: every institution, and a new one with its first admin. */
async function platformSection() {
  const list = h('ul', { class: 'plain-list' });
  const draw = async () => {
    /** @type {Institution[]} */
    const all = await api('GET', '/admin/institutions');
    replaceChildren(list, ...(all.length ? all.map((institution) => h('li', {}, institution.name,
      institution.allowedDomains.length ? h('span', { class: 'hint' }, ' · ', institution.allowedDomains.join(', ')) : null))
      : [h('li', { class: 'hint' }, t('institutions.none'))]));
  };
  await draw();
  return h('section', { class: 'card stack', 'aria-labelledby': 'platform-title' },
    h('h2', { id: 'platform-title' }, t('institutions.title')),
    list,
    folded(t('audit.platform'), () => h('div', { class: 'stack' },
      h('p', { class: 'hint' }, t('audit.platform_hint')),
      auditList('/admin/audit'))),
    folded(t('institutions.new'), () => form({
      label: t('institutions.new'),
      submit: t('institutions.create'),
      children: [
        field({ name: 'name', label: t('institutions.name'), maxlength: 200 }),
        field({ name: 'domains', label: t('institutions.domains'), hint: t('institutions.domains_hint'), required: false }),
        field({ name: 'adminEmail', label: t('institutions.admin_email'), hint: t('institutions.admin_email_hint'), type: 'email', autocomplete: 'off' }),
      ],
      action: async (values, element) => {
        const allowedDomains = (values.domains ?? '').split(/[\s,;]+/).filter(Boolean);
        try {
          await api('POST', '/admin/institutions', { id: newID(), name: values.name, allowedDomains, adminEmail: values.adminEmail });
        } catch (error) {
          throw error instanceof APIError && error.field === 'allowedDomains' ? error.withField('domains') : error;
        }
        element.reset();
        toast(t('institutions.created', { name: values.name, email: values.adminEmail }));
        await draw();
      },
    })));
}

/** @param {Institution} institution */
async function institutionSection(institution) {
  /** @type {Program[]} */
  const programs = await api('GET', `/institutions/${institution.id}/programs`);
  const titleID = `institution-${institution.id}`;
  return h('section', { class: 'card stack', 'aria-labelledby': titleID },
    h('h2', { id: titleID }, institution.name),
    institution.allowedDomains.length
      ? h('p', { class: 'hint' }, t('programs.domains', { domains: institution.allowedDomains.join(', ') }))
      : null,
    h('p', {}, h('a', { href: `/institutions/${institution.id}/data-protection`, 'data-link': true }, t('dpo.link'))),
    programs.length
      ? h('ul', { class: 'program-list' }, ...programs.map(programLine))
      : h('p', {}, t('programs.none_yet')),
    folded(t('programs.new'), () => settingsForm({
      settings: { ...defaults, steps: suggestedSteps() },
      submit: t('programs.create'),
      save: async (settings) => {
        const id = newID();
        await api('PUT', `/institutions/${institution.id}/programs/${id}`, settings);
        toast(t('programs.created', { name: settings.name }));
        navigate(`/programs/${id}`);
      },
    })),
    institution.myRole === 'admin' ? await staffSection(institution) : null);
}

/** "Mentees: 6 · Mentors: 3 · Invited, not registered yet: 1" @param {Program} program */
export function headcountText(program) {
  const { mentees, mentors, invited } = program.headcount;
  return t('program.headcount', { mentees: String(mentees), mentors: String(mentors), invited: String(invited) });
}

/** @param {Program} program */
function programLine(program) {
  return h('li', {},
    h('a', { href: `/programs/${program.id}`, 'data-link': true }, program.settings.name),
    ' ',
    h('span', { class: `badge status-${program.status}` }, t(`program.status.${program.status}`)),
    h('span', { class: 'hint' }, ' · ', headcountText(program)));
}

/** @param {Institution} institution */
async function staffSection(institution) {
  const list = h('ul', { class: 'plain-list' });
  const draw = async () => {
    /** @type {StaffMember[]} */
    const staff = await api('GET', `/institutions/${institution.id}/staff`);
    replaceChildren(list, ...staff.map((member) => h('li', {},
      member.displayName ? `${member.displayName} <${member.email}>` : member.email,
      ' ',
      h('span', { class: 'badge' }, t(`staff.role.${member.role}`)),
      member.hasJoined ? null : h('span', { class: 'hint' }, ' · ', t('staff.invited')))));
  };
  await draw();
  return h('div', { class: 'stack' },
    h('h3', {}, t('staff.title')),
    list,
    folded(t('audit.institution'), () => h('div', { class: 'stack' },
      h('p', { class: 'hint' }, t('audit.institution_hint')),
      auditList(`/institutions/${institution.id}/audit`))),
    folded(t('staff.invite'), () => form({
      label: t('staff.invite'),
      submit: t('staff.send'),
      children: [
        field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'off' }),
        field({ name: 'role', label: t('staff.role'), value: 'staff',
          choices: ['staff', 'admin'].map((value) => ({ value, label: t(`staff.role.${value}`) })) }),
      ],
      action: async (values, element) => {
        await api('POST', `/institutions/${institution.id}/staff`, { email: values.email, role: values.role });
        element.reset();
        toast(t('staff.sent', { email: values.email }));
        await draw();
      },
    })));
}
