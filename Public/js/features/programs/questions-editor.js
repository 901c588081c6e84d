// @ts-check
/**
 * Staff's editor for a program's registration questions: what each asks, of whom, and how matching uses it. A
 * suggested set gets a program going; everything can be changed until matching starts.
 */
import { api } from '../../core/api.js';
import { h, replaceChildren, toast } from '../../core/dom.js';
import { form, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { newID } from '../../crypto/bytes.js';

/**
 * @typedef {'single'|'multiple'|'languages'|'time_zone'|'availability'|'topics'|'capacity'|'text'} QuestionKind
 * @typedef {{ id: string, kind: QuestionKind, label: string, options: string[], askedOf: Array<'mentee'|'mentor'>,
 *   use: 'must'|'weight'|'none', weight: number, isRequired: boolean }} Question
 */

const kinds = /** @type {QuestionKind[]} */ (['topics', 'single', 'multiple', 'languages', 'availability', 'time_zone', 'capacity', 'text']);
const withOptions = new Set(['single', 'multiple', 'topics']);

/** A set that suits most programs: shared language and a free slot required, topics weigh most. @returns {Question[]} */
export function suggestedQuestions() {
  /** @type {(kind: QuestionKind, key: string, more?: Partial<Question>) => Question} */
  const question = (kind, key, more = {}) => ({
    id: newID(), kind, label: t(`questions.suggested.${key}`), options: [], askedOf: ['mentee', 'mentor'], use: 'none', weight: 1,
    isRequired: true, ...more,
  });
  return [
    question('languages', 'languages', { use: 'must' }),
    question('availability', 'availability', { use: 'must' }),
    question('topics', 'topics', { options: t('questions.suggested.topic_options').split('|'), use: 'weight', weight: 3 }),
    question('time_zone', 'time_zone', { use: 'weight', weight: 1 }),
    question('capacity', 'capacity', { askedOf: ['mentor'] }),
    question('text', 'hopes', { isRequired: false }),
  ];
}

/**
 * @param {{ programId: string, questions: Question[], editable: boolean }} options
 * @returns {HTMLElement}
 */
export function questionsEditor({ programId, questions: initial, editable }) {
  /** @type {Question[]} */
  let questions = initial.map((question) => ({ ...question }));
  const root = h('div', { class: 'stack' });
  const draw = () => {
    if (!editable) {
      replaceChildren(root, notice(t('questions.locked'), 'info'), questionList(questions));
      return;
    }
    const rows = questions.map((question, index) => questionFields(question, index, {
      change: (next) => { questions[index] = next; },
      remove: () => { questions = questions.filter((_, other) => other !== index); draw(); },
      move: (by) => {
        const target = index + by;
        if (target < 0 || target >= questions.length) return;
        [questions[index], questions[target]] = [questions[target], questions[index]];
        draw();
        /** @type {HTMLElement|null} */ (root.querySelectorAll('fieldset.question')[target]?.querySelector('select'))?.focus();
      },
    }));
    replaceChildren(root,
      questions.length ? null : h('p', {}, t('questions.none')),
      form({
        label: t('questions.title'),
        submit: t('questions.save'),
        busy: t('program.saving'),
        children: [
          ...rows,
          h('div', { class: 'actions start' },
            h('button', { type: 'button', onclick: () => { questions.push(blank()); draw(); focusLast(root); } }, t('questions.add')),
            questions.length ? null : h('button', { type: 'button', onclick: () => { questions = suggestedQuestions(); draw(); } }, t('questions.suggest'))),
        ],
        action: async () => {
          /** @type {{ questions: Question[] }} */
          const saved = await api('PUT', `/programs/${programId}/questionnaire`, { questions });
          questions = saved.questions;
          toast(t('questions.saved'));
        },
      }));
  };
  draw();
  return root;
}

/** @returns {Question} */
function blank() {
  return { id: newID(), kind: 'topics', label: '', options: [], askedOf: ['mentee', 'mentor'], use: 'weight', weight: 1, isRequired: true };
}

/** @param {HTMLElement} root */
function focusLast(root) {
  const all = root.querySelectorAll('fieldset.question');
  /** @type {HTMLElement|null} */ (all[all.length - 1]?.querySelector('select'))?.focus();
}

/**
 * One question's fields. The server names a problem as `questions[2].options`: the field carries that name.
 * @param {Question} question @param {number} index
 * @param {{ change: (question: Question) => void, remove: () => void, move: (by: number) => void }} on
 */
function questionFields(question, index, on) {
  const prefix = `questions[${index}]`;
  let current = { ...question };
  const update = (/** @type {Partial<Question>} */ part) => { current = { ...current, ...part }; on.change(current); sync(); };
  const id = (/** @type {string} */ name) => `q${index}-${name}`;
  const error = (/** @type {string} */ name) => h('p', { class: 'field-error', id: `${id(name)}-error`, hidden: true });
  const wrap = (/** @type {string} */ name, /** @type {string} */ label, /** @type {Node} */ control, /** @type {string=} */ hint) =>
    h('div', { class: 'field', 'data-field': `${prefix}.${name}` }, h('label', { for: id(name) }, label), hint ? h('p', { class: 'hint' }, hint) : null, control, error(name));

  const kind = /** @type {HTMLSelectElement} */ (h('select', { id: id('kind'), name: `${prefix}.kind`, onchange: () => update(kind.value === 'text'
    // Free text is sealed for staff: the server cannot compare it or tell whether it was answered.
    ? { kind: 'text', use: 'none', isRequired: false }
    : { kind: /** @type {QuestionKind} */ (kind.value) }) },
    ...kinds.map((value) => h('option', { value, selected: value === current.kind }, t(`questions.kind.${value}`)))));
  const label = /** @type {HTMLInputElement} */ (h('input', { id: id('label'), name: `${prefix}.label`, value: current.label, required: true, maxlength: 300,
    oninput: () => update({ label: label.value }) }));
  const options = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: id('options'), name: `${prefix}.options`, rows: 4,
    oninput: () => update({ options: options.value.split('\n').map((line) => line.trim()).filter(Boolean) }) }));
  options.value = current.options.join('\n');
  const optionsField = wrap('options', t('questions.options'), options, t('questions.options_hint'));
  const askedOf = h('fieldset', { class: 'field choices inline', 'data-field': `${prefix}.askedOf` },
    h('legend', {}, t('questions.asked_of')),
    ...['mentee', 'mentor'].map((role) => h('label', { class: 'choice' },
      h('input', { type: 'checkbox', name: `${prefix}.askedOf`, value: role, checked: current.askedOf.includes(/** @type {'mentee'|'mentor'} */ (role)),
        onchange: (/** @type {Event} */ event) => {
          const checked = /** @type {HTMLInputElement} */ (event.target).checked;
          const roles = new Set(current.askedOf);
          if (checked) roles.add(/** @type {'mentee'|'mentor'} */ (role)); else roles.delete(/** @type {'mentee'|'mentor'} */ (role));
          update({ askedOf: /** @type {Array<'mentee'|'mentor'>} */ ([...roles]) });
        } }),
      h('span', {}, t(`questions.role.${role}`)))),
    error('askedOf'));
  const use = /** @type {HTMLSelectElement} */ (h('select', { id: id('use'), name: `${prefix}.use`, onchange: () => update({ use: /** @type {Question['use']} */ (use.value) }) },
    ...['none', 'must', 'weight'].map((value) => h('option', { value, selected: value === current.use }, t(`questions.use.${value}`)))));
  const useField = wrap('use', t('questions.use'), use);
  const weight = /** @type {HTMLInputElement} */ (h('input', { id: id('weight'), name: `${prefix}.weight`, type: 'number', min: 1, max: 10, value: String(current.weight),
    oninput: () => update({ weight: Number(weight.value) }) }));
  const weightField = wrap('weight', t('questions.weight'), weight, t('questions.weight_hint'));
  const required = h('div', { class: 'field checkbox', 'data-field': `${prefix}.isRequired` },
    h('input', { type: 'checkbox', id: id('required'), checked: current.isRequired, onchange: (/** @type {Event} */ event) => update({ isRequired: /** @type {HTMLInputElement} */ (event.target).checked }) }),
    h('label', { for: id('required') }, t('questions.required')));
  const sync = () => {
    optionsField.hidden = !withOptions.has(current.kind);
    const compared = current.askedOf.length === 2 && current.kind !== 'capacity' && current.kind !== 'text';
    useField.hidden = !compared;
    required.hidden = current.kind === 'text';
    weightField.hidden = !compared || current.use !== 'weight';
  };
  sync();
  return h('fieldset', { class: 'question card-inner' },
    h('legend', {}, t('questions.number', { number: String(index + 1) })),
    wrap('kind', t('questions.kind'), kind),
    wrap('label', t('questions.label'), label),
    optionsField, askedOf, useField, weightField, required,
    h('div', { class: 'actions start' },
      h('button', { type: 'button', class: 'link', onclick: () => on.move(-1), 'aria-label': t('questions.up_label', { number: String(index + 1) }) }, t('questions.up')),
      h('button', { type: 'button', class: 'link', onclick: () => on.move(1), 'aria-label': t('questions.down_label', { number: String(index + 1) }) }, t('questions.down')),
      h('button', { type: 'button', class: 'link danger', onclick: on.remove, 'aria-label': t('questions.remove_label', { number: String(index + 1) }) }, t('questions.remove'))));
}

/** @param {Question[]} questions */
function questionList(questions) {
  return h('ol', { class: 'plain-list numbered' }, ...questions.map((question) => h('li', {},
    question.label, ' ', h('span', { class: 'hint' }, '· ', t(`questions.kind.${question.kind}`),
      question.use === 'none' ? '' : ` · ${t(`questions.use.${question.use}`)}${question.use === 'weight' ? ` ×${question.weight}` : ''}`))));
}
