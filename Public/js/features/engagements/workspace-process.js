// @ts-check
/**
 * The workspace's process: the inquiry, the first meeting, the agreement and declining,
 * adding people to a group, the intake questionnaire and applying a program. Drawn into a `Workspace`, whose `act`
 * runs each change and draws the view again from the server's answer.
 */
import { APIError, api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { day, minorUnits, moment, money } from '../../core/format.js';
import { actionButton as button, field, folded, form, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { lookUpPeople } from '../messaging/look-up.js';
import { paragraphs } from './workspace-text.js';

/** @typedef {import('./workspace.js').Workspace} Workspace */

/**
 * The inquiry, the first meeting, the agreement or the decline: what the engagement waits for.
 * @param {Workspace} view
 */
export async function stage(view) {
  const { engagement, isCoach } = view.session;
  const parts = [];
  const inquiry = view.session.itemsOf('inquiry')[0];
  if (inquiry) {
    const content = await view.session.open(inquiry.sealed);
    parts.push(h('h3', {}, t('workspace.inquiry')), paragraphs(content?.goals ?? content?.text), content?.context ? paragraphs(content.context) : null);
  }
  const open = engagement.status === 'inquiry' || engagement.status === 'agreement_proposed';
  if (engagement.firstMeeting?.acceptedAt) {
    const meeting = engagement.firstMeeting;
    parts.push(h('h3', {}, t('workspace.first_meeting')),
      h('p', { class: 'meeting' }, moment(meeting.at), ' · ', t(`format.${meeting.format}`), meeting.location ? ` · ${meeting.location}` : null));
  }
  if (engagement.agreement) parts.push(await agreement(view, engagement.agreement));
  if (engagement.declineReason || engagement.status === 'declined' || engagement.status === 'withdrawn') {
    const reason = await view.session.open(engagement.declineReason);
    parts.push(notice(t(`workspace.${engagement.status}`), 'info'), reason?.text ? paragraphs(reason.text) : null);
  }
  if (open && isCoach) parts.push(agreementForm(view), declineForm(view, 'decline'));
  if (open && !isCoach && !engagement.isGroup) parts.push(declineForm(view, 'withdraw'));
  if (parts.length === 0) return null;
  return h('section', { class: 'card stage' }, h('h2', {}, t('workspace.stage')), ...parts);
}

/**
 * @param {Workspace} view @param {import('./engagement-session.js').Agreement} agreement */
async function agreement(view, agreement) {
  const { engagement, me, isCoach } = view.session;
  const scope = await view.session.open(agreement.scope);
  const mine = engagement.clients.find((client) => client.userId === me);
  const facts = [
    [t('agreement.version'), String(agreement.version)],
    [t('agreement.sessions'), String(agreement.sessions)],
    [t('agreement.fee'), agreement.fee ? money(agreement.fee) : t('agreement.no_fee')],
    [t('agreement.dates'), [day(agreement.startsOn), day(agreement.endsOn)].filter(Boolean).join(' – ') || '—'],
  ];
  return h(
    'div',
    { class: 'agreement' },
    h('h3', {}, t('workspace.agreement')),
    h('dl', {}, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('h4', {}, t('agreement.scope')),
    paragraphs(scope?.text),
    h('p', { class: 'hint' }, engagement.clients.map((client) =>
      `${client.displayName}: ${client.confirmedVersion === agreement.version ? t('agreement.confirmed') : t('agreement.not_confirmed')}`).join(' · ')),
    !isCoach && engagement.status === 'agreement_proposed' && mine?.confirmedVersion !== agreement.version
      ? button(t('agreement.confirm'), () => view.act(async () => {
        try {
          await view.session.change('POST', '/agreement/confirm', { version: agreement.version });
        } catch (error) {
          if (error instanceof APIError && error.code === 'engagements.agreement_changed') await view.session.refresh();
          throw error;
        }
      }, t('agreement.confirmed')), 'primary')
      : null,
  );
}

/**
 * The coach adds people to a group; they join its conversation, whose next key includes them.
 * @param {Workspace} view
 */
export function addPeopleForm(view) {
  return h('section', { class: 'card' }, folded(t('workspace.add_people'), form({
    label: t('workspace.add_people'),
    submit: t('workspace.add_people'),
    children: [field({ name: 'emails', label: t('engagements.invite_emails'), hint: t('engagements.invite_hint'), autocomplete: 'off' })],
    action: async (values) => {
      const people = await lookUpPeople(values.emails);
      await view.act(async () => {
        await view.session.change('POST', '/clients', { clients: people.map((person) => person.userId) });
        await view.session.conversation.refresh();
      }, t('workspace.people_added'));
    },
  })));
}

/** @param {Workspace} view */
function agreementForm(view) {
  const current = view.session.engagement.agreement;
  return folded(t(current ? 'workspace.revise_agreement' : 'workspace.propose_agreement'), form({
    label: t('workspace.propose_agreement'),
    submit: t(current ? 'workspace.revise_agreement' : 'workspace.propose_agreement'),
    children: [
      field({ name: 'sessions', label: t('agreement.sessions'), type: 'number', min: 1, max: 500, value: String(current?.sessions ?? 5) }),
      field({ name: 'fee', label: t('agreement.fee_amount'), required: false, inputmode: 'decimal', value: current?.fee ? String(current.fee.amount / 100) : '' }),
      field({ name: 'currency', label: t('agreement.currency'), value: current?.fee?.currency ?? 'EUR', pattern: '[A-Z]{3}' }),
      field({ name: 'per', label: t('agreement.per'), value: current?.fee?.per ?? 'engagement',
        choices: ['engagement', 'session', 'hour'].map((per) => ({ value: per, label: t(`agreement.per_${per}`) })) }),
      field({ name: 'startsOn', label: t('agreement.starts'), type: 'date', required: false, value: current?.startsOn }),
      field({ name: 'endsOn', label: t('agreement.ends'), type: 'date', required: false, value: current?.endsOn }),
      field({ name: 'scope', label: t('agreement.scope'), rows: 5, hint: t('workspace.sealed_hint') }),
    ],
    action: async (values) => {
      const amount = values.fee ? minorUnits(values.fee) : null;
      if (values.fee && amount === null) throw new Error('form.amount');
      const body = {
        sessions: Number(values.sessions),
        fee: amount === null ? null : { amount, currency: values.currency, per: values.per },
        startsOn: values.startsOn || null,
        endsOn: values.endsOn || null,
        scope: await view.session.seal({ text: values.scope }, 'agreement'),
      };
      await view.act(() => view.session.change('PUT', '/agreement', body), t('workspace.agreement_proposed'));
    },
  }));
}

/**
 * @param {Workspace} view @param {'decline'|'withdraw'} kind */
function declineForm(view, kind) {
  return folded(t(`workspace.${kind}`), form({
    label: t(`workspace.${kind}`),
    submit: t(`workspace.${kind}`),
    children: [field({ name: 'reason', label: t('workspace.reason'), rows: 3, required: false, hint: t(`workspace.${kind}_hint`) })],
    action: async (values) => {
      const reason = values.reason ? await view.session.seal({ text: values.reason }, 'reason') : null;
      await view.act(() => view.session.change('POST', '/decline', { reason }), t(`workspace.${kind === 'decline' ? 'declined' : 'withdrawn'}`));
    },
  }));
}

/**
 * The intake questionnaire: the coach sends one, clients answer it (sealed).
 * @param {Workspace} view
 */
export async function intakeSection(view) {
  const { engagement, isCoach, me } = view.session;
  const writable = ['inquiry', 'agreement_proposed', 'active'].includes(engagement.status);
  const answers = view.session.itemsOf('intake');
  const parts = [];
  if (engagement.intake) {
    const { questions } = engagement.intake;
    for (const answer of answers) {
      const content = await view.session.open(answer.sealed);
      /** @type {Record<string, string>} */
      const given = /** @type {any} */ (content?.answers) ?? {};
      parts.push(h('h3', {}, t('intake.answers_of', { name: view.session.name(answer.author) })),
        h('dl', {}, ...questions.flatMap((question) => [h('dt', {}, question.text), h('dd', {}, given[question.id] ?? '—')])));
    }
    if (!isCoach && writable && !answers.some((answer) => answer.author === me)) {
      parts.push(form({
        label: engagement.intake.title,
        submit: t('intake.send'),
        children: questions.map((question) => question.kind === 'scale'
          ? field({ name: question.id, label: question.text, type: 'number', min: 1, max: 10 })
          : field({ name: question.id, label: question.text, rows: 3 })),
        action: async (values) => {
          await view.act(() => view.session.save('intake', {}, { content: { answers: values } }), t('intake.sent'));
        },
      }));
    }
  }
  if (isCoach && writable) {
    /** @type {Array<{ id: string, title: string }>} */
    const questionnaires = await api('GET', '/questionnaires');
    parts.push(questionnaires.length === 0
      ? h('p', { class: 'hint' }, t('intake.none'), ' ', h('a', { href: '/library', 'data-link': true }, t('nav.library')))
      : form({
        label: t('intake.send_title'),
        submit: t('intake.send_title'),
        children: [field({ name: 'questionnaireId', label: t('intake.questionnaire'), choices: questionnaires.map((q) => ({ value: q.id, label: q.title })) })],
        action: async (values) => {
          await view.act(() => view.session.change('POST', '/intake', { questionnaireId: values.questionnaireId }), t('intake.sent_to_clients'));
        },
      }));
  }
  if (parts.length === 0) return null;
  return h('section', { class: 'card' }, h('h2', {}, engagement.intake?.title ?? t('intake.title')), ...parts);
}

/** @param {Workspace} view */
export async function programForm(view) {
  /** @type {Array<{ id: string, name: string }>} */
  const templates = await api('GET', '/templates');
  if (templates.length === 0) return null;
  return h('section', { class: 'card' }, h('h2', {}, t('program.apply')), form({
    label: t('program.apply'),
    submit: t('program.apply'),
    children: [
      field({ name: 'templateId', label: t('program.template'), choices: templates.map((template) => ({ value: template.id, label: template.name })) }),
      field({ name: 'startsOn', label: t('program.starts'), type: 'date', value: new Date().toISOString().slice(0, 10) }),
    ],
    action: async (values) => {
      await view.act(() => view.session.change('POST', '/program', values), t('program.applied'));
    },
  }));
}
