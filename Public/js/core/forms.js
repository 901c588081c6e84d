// @ts-check
import { APIError } from './api.js';
import { announce, h, saveFile } from './dom.js';
import { language, t } from './i18n.js';

let nextID = 0;

/** The controls a form checks and marks: inputs, text areas and selects. */
const controls = 'input, textarea, select';

/**
 * A labelled input (or text area, or select) with room for a hint and an error message, wired up with
 * aria-describedby.
 * @param {{ name: string, label: string, type?: string, value?: string, autocomplete?: string, required?: boolean,
 *   hint?: string, minlength?: number, maxlength?: number, inputmode?: string, pattern?: string, min?: string|number,
 *   max?: string|number, step?: number, invalid?: string, rows?: number, choices?: Array<{ value: string, label: string }> }} options
 *   `rows` makes a text area, `choices` a select; `invalid` is what to say when the browser finds the value invalid
 * @returns {HTMLElement}
 */
export function field(options) {
  const id = `field-${options.name}-${(nextID += 1)}`;
  const hintID = `${id}-hint`;
  const errorID = `${id}-error`;
  const common = {
    id,
    name: options.name,
    required: options.required ?? true,
    'aria-describedby': [options.hint ? hintID : null, errorID].filter(Boolean).join(' '),
    'data-invalid': options.invalid,
  };
  let input;
  if (options.choices) {
    input = h('select', common, ...options.choices.map((choice) => h('option', { value: choice.value, selected: choice.value === options.value }, choice.label)));
  } else if (options.rows) {
    input = h('textarea', { ...common, rows: options.rows, maxlength: options.maxlength, minlength: options.minlength });
    input.textContent = options.value ?? '';
  } else {
    input = h('input', {
      ...common,
      type: options.type ?? 'text',
      value: options.value,
      autocomplete: options.autocomplete,
      minlength: options.minlength,
      maxlength: options.maxlength,
      inputmode: options.inputmode,
      pattern: options.pattern,
      min: options.min,
      max: options.max,
      step: options.step,
    });
  }
  // The browser draws date fields in its own locale (a German page in an English browser shows mm/dd/yyyy): the
  // chosen date is also said in words, in the page's language, right under the field.
  const readout = options.type === 'date' || options.type === 'datetime-local' ? dateReadout(/** @type {HTMLInputElement} */ (input)) : null;
  return h(
    'div',
    { class: 'field', 'data-field': options.name },
    h('label', { for: id }, options.label),
    options.hint ? h('p', { class: 'hint', id: hintID }, options.hint) : null,
    input,
    readout,
    h('p', { class: 'field-error', id: errorID, hidden: true }),
  );
}

/**
 * "Tuesday, 1 December 2026" under a date field, kept in step with it.
 * @param {HTMLInputElement} input
 */
function dateReadout(input) {
  input.setAttribute('lang', language());
  const readout = h('p', { class: 'hint date-readout', 'aria-live': 'polite' });
  const draw = () => {
    const value = input.value;
    if (!value) readout.textContent = '';
    else if (input.type === 'date') readout.textContent = new Date(`${value}T12:00:00Z`).toLocaleDateString(language(), { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    else readout.textContent = new Date(value).toLocaleString(language(), { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  };
  input.addEventListener('input', draw);
  input.addEventListener('change', draw);
  draw();
  return readout;
}

/**
 * A form whose submit runs `action` with its values; shows a busy state, field errors and a form-level error.
 * `danger` marks a submit that destroys something (deleting an account).
 * @param {{ label: string, submit: string, busy?: string, danger?: boolean, children: Node[],
 *   action: (values: Record<string, string>, form: HTMLFormElement) => Promise<void> }} options
 * @returns {HTMLFormElement}
 */
export function form(options) {
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const button = /** @type {HTMLButtonElement} */ (h('button', { type: 'submit', class: options.danger ? 'danger' : 'primary' }, options.submit));
  const element = /** @type {HTMLFormElement} */ (
    h('form', { 'aria-label': options.label, novalidate: true }, error, ...options.children, h('div', { class: 'actions' }, button))
  );
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(element, error);
    if (!element.checkValidity()) {
      for (const input of element.querySelectorAll(':is(input, textarea, select):invalid')) {
        const { name, dataset, validity } = /** @type {HTMLInputElement} */ (input);
        showFieldError(element, name, (!validity.valueMissing && dataset.invalid) || t('form.fix_field'));
      }
      /** @type {HTMLInputElement|null} */ (element.querySelector(':is(input, textarea, select):invalid'))?.focus();
      return;
    }
    const values = Object.fromEntries([...new FormData(element)].map(([key, value]) => [key, String(value)]));
    button.disabled = true;
    element.setAttribute('aria-busy', 'true');
    const label = button.textContent;
    if (options.busy) {
      button.textContent = options.busy;
      announce(options.busy);
    }
    try {
      await options.action(values, element);
    } catch (caught) {
      const message = messageFor(caught);
      if (caught instanceof APIError && caught.field && showFieldError(element, caught.field, message)) {
        /** @type {HTMLInputElement|null} */ (element.querySelector(`[name="${caught.field}"]`))?.focus();
      } else {
        error.textContent = message;
        error.hidden = false;
      }
    } finally {
      button.disabled = false;
      button.textContent = label;
      element.removeAttribute('aria-busy');
    }
  });
  return element;
}

/**
 * The sentence to show for an error.
 * @param {unknown} error
 */
export function messageFor(error) {
  if (error instanceof APIError) return error.code === 'network.offline' ? t('error.offline') : error.message;
  if (error instanceof Error && error.message.startsWith('form.')) return t(error.message);
  return t('error.unexpected');
}

/**
 * @param {HTMLFormElement} form
 * @param {string} name
 * @param {string} message
 * @returns {boolean} whether the form has that field
 */
function showFieldError(form, name, message) {
  const wrapper = form.querySelector(`[data-field="${name}"]`);
  if (!wrapper) return false;
  const text = /** @type {HTMLElement} */ (wrapper.querySelector('.field-error'));
  text.textContent = message;
  text.hidden = false;
  wrapper.querySelector(controls)?.setAttribute('aria-invalid', 'true');
  return true;
}

/**
 * @param {HTMLFormElement} form
 * @param {HTMLElement} error
 */
function clearErrors(form, error) {
  error.hidden = true;
  for (const text of form.querySelectorAll('.field-error')) /** @type {HTMLElement} */ (text).hidden = true;
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/**
 * A notice box (success or information).
 * @param {string} text
 * @param {'success'|'info'|'warning'} [kind]
 */
export function notice(text, kind = 'info') {
  return h('div', { class: `notice ${kind}`, role: kind === 'warning' ? 'alert' : 'status' }, text);
}

/**
 * A button that runs `action` once per click (disabled meanwhile) and shows a failure right after itself.
 * @param {string} label @param {() => Promise<void>} action @param {string} [kind] a class, e.g. `primary`
 * @returns {HTMLButtonElement}
 */
export function actionButton(label, action, kind) {
  const element = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: kind }, label));
  element.addEventListener('click', async () => {
    element.disabled = true;
    const earlier = element.nextElementSibling;
    if (earlier?.matches('.notice.action-error')) earlier.remove();
    try {
      await action();
    } catch (error) {
      const problem = notice(messageFor(error), 'warning');
      problem.classList.add('action-error');
      element.after(problem);
    } finally {
      element.disabled = false;
    }
  });
  return element;
}

/**
 * A form (or anything) folded away until its summary is opened. Given a function, the content is made only when
 * first opened (e.g. what needs a request).
 * @param {string} summary @param {Node|(() => Node)} content
 */
export function folded(summary, content) {
  if (typeof content !== 'function') return h('details', { class: 'more' }, h('summary', {}, summary), content);
  const element = h('details', { class: 'more' }, h('summary', {}, summary));
  element.addEventListener('toggle', () => {
    if (/** @type {HTMLDetailsElement} */ (element).open && element.childElementCount === 1) element.append(content());
  });
  return element;
}

/**
 * A checkbox with its label; checked, it submits `yes` under `name`.
 * @param {string} name @param {string} label @param {boolean} checked
 */
export function checkbox(name, label, checked) {
  const id = `field-${name}-${(nextID += 1)}`;
  return h('div', { class: 'field checkbox', 'data-field': name }, h('input', { type: 'checkbox', id, name, value: 'yes', checked }), h('label', { for: id }, label));
}

/**
 * Ways to keep something one must not lose (recovery codes, the recovery key): copy it, download it as a text
 * file, or print the page (the print shows only the part marked `.keep-safe`).
 * @param {string} text @param {string} filename
 */
export function keepSafeActions(text, filename) {
  const status = h('span', { class: 'keep-status', role: 'status' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = t('keep.copied');
    } catch {
      status.textContent = t('keep.copy_failed');
    }
  };
  const download = () => {
    saveFile(new Blob([`${text}\n`], { type: 'text/plain;charset=utf-8' }), filename);
    status.textContent = t('keep.downloaded');
  };
  return h('div', { class: 'actions keep-actions' },
    h('button', { type: 'button', onclick: () => void copy() }, t('keep.copy')),
    h('button', { type: 'button', onclick: download }, t('keep.download')),
    h('button', { type: 'button', onclick: () => window.print() }, t('keep.print')),
    status);
}
