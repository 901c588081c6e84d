// @ts-check
/**
 * One program for its staff: where it stands and the next step, its invitation link, its participants (and the
 * list import), and its settings. Staff see names, addresses, roles and states — never what anyone wrote.
 */
import { api } from '../../core/api.js';
import { h, qrImage, replaceChildren, toast } from '../../core/dom.js';
import { field, folded, form, messageFor, notice, actionButton } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { account } from '../../core/store.js';
import { openAnswers } from '../../crypto/answers.js';
import { retentionPanel } from '../accounts/retention.js';
import { requireKeys } from '../messaging/keys.js';
import { matchesList, matchingReview } from './matching-review.js';
import { questionsEditor } from './questions-editor.js';
import { reportCard } from './report.js';
import { settingsForm } from './settings-form.js';
import { headcountText } from './staff.js';

/**
 * @typedef {import('./staff.js').Program} Program
 * @typedef {{ id: string, userId?: string|null, displayName: string, email: string, role: 'mentee'|'mentor',
 *   state: 'invited'|'registered', source: 'link'|'domain'|'list', guardianConsent?: 'pending'|'confirmed'|null,
 *   freeText?: import('../../crypto/answers.js').SealedAnswers|null }} Participant
 */

const steps = ['draft', 'open', 'matching', 'active', 'closing', 'closed'];

/** @param {{ params: Record<string, string> }} route */
export async function programView({ params }) {
  const root = h('section', { class: 'stack program-page' });
  const draw = async () => {
    /** @type {Program} */
    let program;
    try {
      program = await api('GET', `/programs/${params.programID}`);
    } catch (error) {
      replaceChildren(root, h('h1', {}, t('programs.title')), notice(messageFor(error), 'warning'));
      return;
    }
    /** @type {[Participant[], { questions: import('./questions-editor.js').Question[] }, import('./matching-review.js').Match[], { myRole?: string|null }]} */
    const [people, questionnaire, matches, institution] = await Promise.all([
      api('GET', `/programs/${program.id}/participants`),
      api('GET', `/programs/${program.id}/questionnaire`),
      api('GET', `/programs/${program.id}/matches`),
      api('GET', `/institutions/${program.institutionId}`),
    ]);
    const answersOpen = program.status === 'draft' || program.status === 'open'
      || (program.settings.cohort === 'evergreen' && (program.status === 'matching' || program.status === 'active'));
    const matching = program.status === 'matching' || program.status === 'active';
    replaceChildren(root,
      h('p', {}, h('a', { href: '/programs', 'data-link': true }, t('program.back'))),
      h('h1', {}, program.settings.name),
      h('p', { class: 'lead' }, program.institutionName, ' · ', h('span', { class: `badge status-${program.status}` }, t(`program.status.${program.status}`))),
      lifecycle(program, draw),
      program.status === 'closed' ? notice(t('program.read_only'), 'info') : invitationCard(program),
      participantsCard(program, people, draw),
      await freeTextCard(people, questionnaire.questions),
      matching && program.settings.matchingMode !== 'choice' ? matchingReview({ programId: program.id, onPublished: draw }) : null,
      matchesList(matches),
      program.status === 'draft' ? null : await reportCard(program.id),
      h('section', { class: 'card stack', 'aria-labelledby': 'questions-title' },
        h('h2', { id: 'questions-title' }, t('questions.title')),
        h('p', {}, t('questions.lead')),
        questionsEditor({ programId: program.id, questions: questionnaire.questions, editable: answersOpen })),
      program.status === 'closed' ? null : h('section', { class: 'card' }, folded(t('program.settings'), () => settingsForm({
        settings: program.settings,
        submit: t('program.save'),
        save: async (settings) => {
          await api('PUT', `/institutions/${program.institutionId}/programs/${program.id}`, settings);
          toast(t('program.saved'));
          await draw();
        },
      }))),
      // Who keeps the pairs' data how long is the institution's decision, not each mentor's.
      retentionPanel({ path: `/programs/${program.id}/retention`, title: t('retention.program_title'),
        hint: t('retention.program_hint'), editable: institution.myRole === 'admin' }));
  };
  await draw();
  return root;
}

/**
 * The six steps with the current one marked, and the button to the next with what it means.
 * @param {Program} program @param {() => Promise<void>} redraw
 */
function lifecycle(program, redraw) {
  const current = steps.indexOf(program.status);
  const next = steps[current + 1];
  return h('section', { class: 'card stack', 'aria-labelledby': 'lifecycle-title' },
    h('h2', { id: 'lifecycle-title' }, t('program.lifecycle')),
    h('ol', { class: 'program-lifecycle' }, ...steps.map((step, index) => h('li', {
      class: index < current ? 'done' : index === current ? 'current' : '',
      'aria-current': index === current ? 'step' : undefined,
    }, t(`program.status.${step}`)))),
    h('p', {}, t(`program.now.${program.status}`)),
    next
      ? h('div', { class: 'actions' },
        actionButton(t(`program.to.${next}`), async () => {
          await api('POST', `/programs/${program.id}/status`, { status: next });
          toast(t('program.moved', { status: t(`program.status.${next}`) }));
          await redraw();
          /** @type {HTMLElement|null} */ (document.getElementById('lifecycle-title'))?.focus();
        }, 'primary'),
        h('p', { class: 'hint' }, t(`program.to.${next}.hint`)))
      : null);
}

/** @param {Program} program */
function invitationCard(program) {
  const link = `${location.origin}/join/${program.invitationCode}`;
  const input = /** @type {HTMLInputElement} */ (h('input', { id: 'invitation-link', value: link, readonly: true, class: 'copy-field' }));
  return h('section', { class: 'card stack', 'aria-labelledby': 'invitation-title' },
    h('h2', { id: 'invitation-title' }, t('program.invitation')),
    h('p', {}, t('program.invitation_hint')),
    h('div', { class: 'field' }, h('label', { for: 'invitation-link' }, t('program.invitation_link')), input),
    h('div', { class: 'actions' },
      actionButton(t('program.copy'), async () => {
        await navigator.clipboard.writeText(link);
        toast(t('program.copied'));
      })),
    h('div', { class: 'qr-box' }, qrImage(link, t('program.qr', { name: program.settings.name }))));
}

/**
 * @param {Program} program @param {Participant[]} people @param {() => Promise<void>} redraw
 */
function participantsCard(program, people, redraw) {
  return h('section', { class: 'card stack', 'aria-labelledby': 'participants-title' },
    h('h2', { id: 'participants-title' }, t('program.participants')),
    h('p', {}, headcountText(program)),
    people.length
      ? h('div', { class: 'table-scroll stacked' }, h('table', {},
        h('thead', {}, h('tr', {}, ...['name', 'email', 'role', 'state'].map((column) => h('th', { scope: 'col' }, t(`participants.${column}`))))),
        h('tbody', {}, ...people.map((person) => h('tr', {},
          h('td', { 'data-label': t('participants.name') }, person.displayName),
          h('td', { 'data-label': t('participants.email'), class: 'address' }, person.email),
          h('td', { 'data-label': t('participants.role') }, t(`participant.role.${person.role}`)),
          h('td', { 'data-label': t('participants.state') }, t(`participant.state.${person.state}`),
            person.guardianConsent ? h('span', { class: 'hint' }, ' · ', t(`participant.guardian.${person.guardianConsent}`)) : null, person.source === 'list' ? h('span', { class: 'hint' }, ' · ', t('participant.from_list')) : null))))))
      : h('p', { class: 'hint' }, t('program.nobody_yet')),
    program.status === 'closed' ? null : folded(t('import.title'), () => importForm(program, redraw)));
}

/**
 * What participants wrote in free-text answers, sealed for the staff and opened here, in this browser: the server
 * holds only ciphertext. Answers sealed before one joined the staff stay closed to one.
 * @param {Participant[]} people @param {import('./questions-editor.js').Question[]} questions
 */
async function freeTextCard(people, questions) {
  const writers = people.filter((person) => person.freeText);
  if (writers.length === 0) return null;
  const keys = await requireKeys();
  const me = account()?.id;
  if (!keys || !me) return null;
  const labels = new Map(questions.map((question) => [question.id, question.label]));
  const entries = await Promise.all(writers.map(async (person) => {
    const texts = await openAnswers(/** @type {import('../../crypto/answers.js').SealedAnswers} */ (person.freeText), { participation: person.id, me, keys })
      .catch(() => undefined);
    return h('details', { class: 'free-text' },
      h('summary', {}, person.displayName),
      texts === undefined ? notice(t('free_text.unreadable'), 'warning')
        : texts === null ? h('p', { class: 'hint' }, t('free_text.sealed_before'))
          : h('dl', {}, ...Object.entries(texts).flatMap(([question, text]) => [h('dt', {}, labels.get(question) ?? t('free_text.removed_question')), h('dd', {}, text)])));
  }));
  return h('section', { class: 'card stack', 'aria-labelledby': 'free-text-title' },
    h('h2', { id: 'free-text-title' }, t('free_text.title')),
    h('p', { class: 'hint' }, t('free_text.lead')),
    ...entries);
}

/** @param {Program} program @param {() => Promise<void>} redraw */
function importForm(program, redraw) {
  const file = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv,text/plain' }));
  const list = field({ name: 'csv', label: t('import.list'), hint: t('import.hint'), rows: 8 });
  const area = /** @type {HTMLTextAreaElement} */ (list.querySelector('textarea'));
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen) area.value = await chosen.text();
  });
  return form({
    label: t('import.title'),
    submit: t('import.submit'),
    busy: t('import.busy'),
    children: [h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('import.file')), file), list],
    action: async (values, element) => {
      /** @type {{ added: number, alreadyThere: number }} */
      const result = await api('POST', `/programs/${program.id}/participants/import`, { csv: values.csv });
      element.reset();
      toast(t('import.done', { added: String(result.added), already: String(result.alreadyThere) }));
      await redraw();
    },
  });
}
