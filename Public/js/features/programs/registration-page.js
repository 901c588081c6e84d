// @ts-check
/**
 * A participant's registration: the program's questions for their role, answered in the browser. The page says
 * plainly that the program's staff read these answers and that matching uses them. In programs where mentees choose,
 * a complete registration leads to the mentors they may ask.
 */
import { api, APIError } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { day } from '../../core/format.js';
import { actionButton, field, form, messageFor, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { account } from '../../core/store.js';
import { openAnswers, sealAnswers } from '../../crypto/answers.js';
import { requireKeys } from '../messaging/keys.js';
import { viewerZone } from '../scheduling/time.js';
import { reasonsLine } from './matching-review.js';

/**
 * @typedef {import('./questions-editor.js').Question} Question
 * @typedef {{ questionId: string, values: string[], slots: number[], number?: number|null }} Answer
 * @typedef {{ programId: string, programName: string, participantId: string, role: 'mentee'|'mentor', questions: Question[],
 *   answers: Answer[], isComplete: boolean, isEditable: boolean, matchingMode: string, guardianEmail?: string|null,
 *   guardianConsent?: 'pending'|'confirmed'|null, staffKeys: Array<{ userId: string, agreementKey: string }>,
 *   sealedAnswers?: import('../../crypto/answers.js').SealedAnswers|null, consentGivenAt?: string|null }} RegistrationForm
 * @typedef {{ mentorId: string, displayName: string, score: number, reasons: import('./matching-review.js').Reason[],
 *   placesLeft: number, isRequested: boolean }} Suggestion
 */

const languageCodes = ['de', 'en', 'fr', 'es', 'it', 'tr', 'ar', 'uk', 'ru', 'pl', 'fa', 'zh'];
const days = [0, 1, 2, 3, 4, 5, 6];
const parts = ['morning', 'afternoon', 'evening'];

/** @param {{ params: Record<string, string> }} route */
export async function registrationView({ params }) {
  const root = h('section', { class: 'stack' });
  const draw = async () => {
    /** @type {RegistrationForm} */
    let registration;
    try {
      registration = await api('GET', `/programs/${params.programID}/registration`);
    } catch (error) {
      replaceChildren(root, h('h1', {}, t('registration.title')), notice(messageFor(error), 'warning'));
      return;
    }
    replaceChildren(root,
      h('h1', {}, t('registration.heading', { program: registration.programName })),
      h('p', { class: 'lead' }, t(`registration.lead.${registration.role}`)),
      notice(t('registration.privacy'), 'info'),
      registration.isComplete ? notice(t('registration.complete'), 'success') : null,
      registration.guardianConsent === 'pending' ? notice(t('registration.guardian_pending', { email: registration.guardianEmail ?? '' }), 'warning') : null,
      registration.guardianConsent === 'confirmed' ? notice(t('registration.guardian_confirmed'), 'success') : null,
      h('section', { class: 'card' }, answersForm(registration, await ownTexts(registration), draw)),
      registration.isComplete && registration.role === 'mentee' && registration.matchingMode === 'choice' ? await suggestionsCard(registration.programId) : null);
  };
  await draw();
  return root;
}

/**
 * One's own free-text answers, opened in this browser (they are sealed for oneself and the staff only).
 * @param {RegistrationForm} registration @returns {Promise<Record<string, string>>}
 */
async function ownTexts(registration) {
  if (!registration.sealedAnswers) return {};
  const keys = await requireKeys();
  const me = account()?.id;
  if (!keys || !me) return {};
  return (await openAnswers(registration.sealedAnswers, { participation: registration.participantId, me, keys }).catch(() => null)) ?? {};
}

/**
 * Free-text answers sealed in this browser for oneself and the staff, or null when there are none to send.
 * @param {RegistrationForm} registration @param {HTMLFormElement} element
 */
async function sealedTexts(registration, element) {
  /** @type {Record<string, string>} */
  const texts = {};
  for (const question of registration.questions.filter((question) => question.kind === 'text')) {
    const value = /** @type {HTMLTextAreaElement|null} */ (element.querySelector(`[name="${question.id}"]`))?.value.trim();
    if (value) texts[question.id] = value;
  }
  if (Object.keys(texts).length === 0) return null;
  const keys = await requireKeys();
  const me = account()?.id;
  if (!keys || !me) throw new Error('locked');
  return sealAnswers(texts, {
    participation: registration.participantId, author: me, signingKey: keys.signing,
    readers: [{ userId: me, agreementKey: keys.publicKeys.agreementKey }, ...registration.staffKeys],
  });
}

/** @param {RegistrationForm} registration @param {Record<string, string>} texts @param {() => Promise<void>} redraw */
function answersForm(registration, texts, redraw) {
  const answers = new Map(registration.answers.map((answer) => [answer.questionId, answer]));
  const controls = [...registration.questions.map((question) => control(question, answers.get(question.id), texts[question.id])), guardianFields(registration),
    registration.questions.length ? consentField(registration) : null].filter((node) => node !== null);
  if (!registration.isEditable) {
    for (const element of controls) for (const input of element.querySelectorAll('input, select, textarea')) /** @type {HTMLInputElement} */ (input).disabled = true;
    return h('div', { class: 'stack' }, notice(t('registration.locked'), 'info'), ...controls);
  }
  return form({
    label: t('registration.title'),
    submit: t('registration.save'),
    busy: t('program.saving'),
    children: [registration.questions.length ? null : h('p', {}, t('registration.no_questions')), ...controls].filter((node) => node !== null),
    action: async (values, element) => {
      const collected = registration.questions.filter((question) => question.kind !== 'text').map((question) => collect(question, element));
      const under16 = /** @type {HTMLInputElement|null} */ (element.querySelector('#under-16'))?.checked;
      const save = async (/** @type {RegistrationForm} */ current) => api('PUT', `/programs/${registration.programId}/registration`, {
        answers: collected,
        guardianEmail: under16 ? values.guardianEmail : null,
        sealedAnswers: await sealedTexts(current, element),
        consent: /** @type {HTMLInputElement|null} */ (element.querySelector('#answers-consent'))?.checked ? consentVersion : null,
      });
      try {
        await save(registration);
      } catch (error) {
        // The staff changed while the form was open: seal for today's staff and save once more.
        if (!(error instanceof APIError) || error.code !== 'programs.staff_changed') throw error;
        await save(await api('GET', `/programs/${registration.programId}/registration`));
      }
      toast(t('registration.saved'));
      await redraw();
    },
  });
}

/**
 * The input for one question; its name is the question's ID, as the server names a missing or impossible answer.
 * @param {Question} question @param {Answer|undefined} answer @param {string} [text] a free-text answer, opened
 */
function control(question, answer, text) {
  const values = new Set(answer?.values ?? []);
  const label = question.isRequired ? question.label : `${question.label} ${t('registration.optional')}`;
  /** @param {string} value @param {string} text @param {'checkbox'|'radio'} type */
  const choice = (value, text, type) => h('label', { class: 'choice' },
    h('input', { type, name: question.id, value, checked: values.has(value) }), h('span', {}, text));
  /** @param {Node[]} children */
  const group = (...children) => h('fieldset', { class: 'field choices', 'data-field': question.id },
    h('legend', {}, label), ...children, h('p', { class: 'field-error', hidden: true }));
  switch (question.kind) {
    case 'single':
      return group(...question.options.map((option) => choice(option, option, 'radio')));
    case 'multiple':
    case 'topics':
      return group(h('div', { class: 'choice-grid' }, ...question.options.map((option) => choice(option, option, 'checkbox'))));
    case 'languages': {
      const names = new Intl.DisplayNames([language()], { type: 'language' });
      const codes = [...new Set([...languageCodes, ...values])];
      return group(h('div', { class: 'choice-grid' }, ...codes.map((code) => choice(code, names.of(code) ?? code, 'checkbox'))));
    }
    case 'time_zone': {
      const zone = answer?.values[0] ?? viewerZone();
      const wrapper = field({ name: question.id, label, value: zone, hint: t('registration.zone_hint'), required: question.isRequired, autocomplete: 'off' });
      const input = /** @type {HTMLInputElement} */ (wrapper.querySelector('input'));
      input.setAttribute('list', `${input.id}-zones`);
      wrapper.append(h('datalist', { id: `${input.id}-zones` }, ...Intl.supportedValuesOf('timeZone').map((value) => h('option', { value }))));
      return wrapper;
    }
    case 'availability':
      return availabilityGrid(question, label, new Set(answer?.slots ?? []));
    case 'capacity':
      return field({ name: question.id, label, type: 'number', min: 1, max: 10, value: String(answer?.number ?? 1), required: question.isRequired });
    case 'text':
      return field({ name: question.id, label, rows: 4, required: false, value: text ?? '', maxlength: 5000, hint: t('registration.text_hint') });
    default:
      return h('p', {}, question.label);
  }
}

/** The version of the consent text below (the server records which one was agreed to). */
const consentVersion = 'program_answers.1';

/**
 * The consent that the program team sees the answers (docs/privacy.md, "Consent"): asked until given, then said
 * with its date and where to withdraw it.
 * @param {RegistrationForm} registration
 */
function consentField(registration) {
  if (registration.consentGivenAt) {
    return h('p', { class: 'hint consent-given' }, t('registration.consent_given', { date: day(registration.consentGivenAt) }), ' ',
      h('a', { href: '/settings#consents-title', 'data-link': true }, t('registration.consent_where')));
  }
  return h('div', { class: 'field checkbox', 'data-field': 'consent' },
    h('input', { type: 'checkbox', id: 'answers-consent', name: 'consent' }),
    h('label', { for: 'answers-consent' }, t('registration.consent')),
    h('p', { class: 'field-error', hidden: true }));
}

/**
 * For someone under 16: a parent's or guardian's address, who confirms by a mailed link (Art. 8 GDPR).
 * @param {RegistrationForm} registration
 */
function guardianFields(registration) {
  const email = field({ name: 'guardianEmail', label: t('registration.guardian_email'), type: 'email', autocomplete: 'off',
    value: registration.guardianEmail ?? '', hint: t('registration.guardian_hint') });
  const input = /** @type {HTMLInputElement} */ (email.querySelector('input'));
  const box = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'under-16', checked: Boolean(registration.guardianEmail) }));
  const sync = () => {
    email.hidden = !box.checked;
    input.required = box.checked;
  };
  box.addEventListener('change', () => {
    sync();
    if (box.checked) input.focus();
  });
  sync();
  return h('div', { class: 'stack tight' }, h('div', { class: 'field checkbox' }, box, h('label', { for: 'under-16' }, t('registration.under_16'))), email);
}

/**
 * Seven days by morning, afternoon and evening, as a table of checkboxes; each slot is `day * 3 + part`.
 * @param {Question} question @param {string} label @param {Set<number>} chosen
 */
function availabilityGrid(question, label, chosen) {
  const weekday = new Intl.DateTimeFormat(language(), { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  const dayName = (/** @type {number} */ day) => weekday.format(new Date(Date.UTC(2024, 0, 1 + day)));
  return h('fieldset', { class: 'field', 'data-field': question.id },
    h('legend', {}, label),
    h('p', { class: 'hint' }, t('registration.slots_hint')),
    h('div', { class: 'table-scroll' }, h('table', { class: 'slot-grid' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('registration.day'))),
        ...parts.map((part) => h('th', { scope: 'col' }, t(`registration.part.${part}`))))),
      h('tbody', {}, ...days.map((day) => h('tr', {}, h('th', { scope: 'row' }, dayName(day)),
        ...parts.map((part, index) => {
          const slot = day * 3 + index;
          return h('td', {}, h('input', { type: 'checkbox', name: question.id, value: String(slot), checked: chosen.has(slot),
            'aria-label': `${dayName(day)}, ${t(`registration.part.${part}`)}` }));
        })))))),
    h('p', { class: 'field-error', hidden: true }));
}

/** @param {Question} question @param {HTMLFormElement} element @returns {Answer} */
function collect(question, element) {
  const inputs = /** @type {HTMLInputElement[]} */ ([...element.querySelectorAll(`[name="${question.id}"]`)]);
  const checked = inputs.filter((input) => input.type !== 'checkbox' && input.type !== 'radio' ? input.value.trim() !== '' : input.checked)
    .map((input) => input.value.trim());
  if (question.kind === 'availability') return { questionId: question.id, values: [], slots: checked.map(Number) };
  if (question.kind === 'capacity') return { questionId: question.id, values: [], slots: [], number: checked.length ? Number(checked[0]) : null };
  return { questionId: question.id, values: checked, slots: [] };
}

/** @param {string} programId */
async function suggestionsCard(programId) {
  const list = h('ul', { class: 'plain-list' });
  const draw = async () => {
    /** @type {Suggestion[]} */
    const suggestions = await api('GET', `/programs/${programId}/suggestions`).catch(() => []);
    replaceChildren(list, ...(suggestions.length ? suggestions.map((suggestion) => h('li', { class: 'suggestion' },
      h('p', {}, h('strong', {}, suggestion.displayName), ' · ', t('matching.score', { score: String(suggestion.score) })),
      reasonsLine(suggestion.reasons),
      suggestion.isRequested
        ? h('p', { class: 'hint' }, t('suggestions.requested'))
        : h('div', { class: 'actions start' }, actionButton(t('suggestions.ask', { name: suggestion.displayName }), async () => {
          await api('POST', `/programs/${programId}/requests`, { mentorId: suggestion.mentorId });
          toast(t('suggestions.asked', { name: suggestion.displayName }));
          await draw();
        })))) : [h('li', { class: 'hint' }, t('suggestions.none'))]));
  };
  await draw();
  return h('section', { class: 'card stack', 'aria-labelledby': 'suggestions-title' },
    h('h2', { id: 'suggestions-title' }, t('suggestions.title')),
    h('p', {}, t('suggestions.lead')),
    list);
}
