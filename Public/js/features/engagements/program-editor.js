// @ts-check
/**
 * A program's steps, a row each: the day (0 is the day the program starts, chosen when it is applied), a milestone or
 * a check-in, its title, and delete; rows can be added, and the list is kept in day order when saved.
 */
import { h, replaceChildren } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

/** @typedef {import('./engagement-session.js').ProgramStep} ProgramStep */

let nextRow = 0;

/**
 * @param {ProgramStep[]} initial the steps to start from (an existing program's, or none)
 * @param {string} [hint] what day 0 is, under the legend
 * @returns {{ element: HTMLElement, value: () => { steps: ProgramStep[], problem: string|null } }}
 */
export function programStepsEditor(initial, hint = t('program_editor.day_zero')) {
  /** @type {Array<{ key: number, day: string, kind: 'milestone'|'check_in', title: string }>} */
  const rows = initial.map((step) => ({
    key: (nextRow += 1), day: String(step.day), kind: step.kind,
    title: step.kind === 'check_in' ? '' : step.title,
  }));
  if (rows.length === 0) rows.push({ key: (nextRow += 1), day: '0', kind: 'milestone', title: '' });
  const list = h('ol', { class: 'step-rows' });

  const draw = (/** @type {number|null} */ focusKey = null, /** @type {string} */ focusPart = 'day') => {
    replaceChildren(list, ...rows.map((row, index) => {
      const number = String(index + 1);
      const day = h('input', { type: 'number', min: '0', max: '3650', value: row.day, id: `step-${row.key}-day`, class: 'step-day',
        'aria-label': t('program_editor.day_of', { number }), oninput: (/** @type {Event} */ event) => {
          row.day = /** @type {HTMLInputElement} */ (event.target).value;
          const auto = /** @type {HTMLElement} */ (event.target).parentElement?.querySelector('.step-title.auto');
          if (auto) auto.textContent = t('program.check_in_day', { day: row.day || '…' });
        } });
      const kind = h('select', { id: `step-${row.key}-kind`, 'aria-label': t('program_editor.kind_of', { number }),
        onchange: (/** @type {Event} */ event) => {
          row.kind = /** @type {'milestone'|'check_in'} */ (/** @type {HTMLSelectElement} */ (event.target).value);
          draw(row.key, 'kind');
        } },
        h('option', { value: 'milestone', selected: row.kind === 'milestone' }, t('program_editor.milestone')),
        h('option', { value: 'check_in', selected: row.kind === 'check_in' }, t('program_editor.check_in')));
      const title = row.kind === 'check_in'
        ? h('span', { class: 'step-title auto' }, t('program.check_in_day', { day: row.day || '…' }))
        : h('input', { type: 'text', maxlength: '200', value: row.title, id: `step-${row.key}-title`, class: 'step-title',
          'aria-label': t('program_editor.title_of', { number }), oninput: (/** @type {Event} */ event) => { row.title = /** @type {HTMLInputElement} */ (event.target).value; } });
      const remove = h('button', { type: 'button', class: 'icon', 'aria-label': t('program_editor.remove', { number }), onclick: () => {
        const at = rows.indexOf(row);
        rows.splice(at, 1);
        const neighbour = rows[Math.min(at, rows.length - 1)];
        draw(neighbour?.key ?? null);
        if (!neighbour) add.focus();
      } }, '×');
      return h('li', { class: 'step-row' }, h('span', { class: 'step-day-label', 'aria-hidden': 'true' }, t('program_editor.day')), day, kind, title, remove);
    }));
    if (focusKey !== null) /** @type {HTMLElement|null} */ (document.getElementById(`step-${focusKey}-${focusPart}`))?.focus();
  };

  const add = h('button', { type: 'button', class: 'link', onclick: () => {
    const last = rows[rows.length - 1];
    const row = { key: (nextRow += 1), day: last ? String(Number(last.day || 0) + 7) : '0', kind: /** @type {'milestone'} */ ('milestone'), title: '' };
    rows.push(row);
    draw(row.key, 'title');
  } }, t('program_editor.add'));
  draw();

  return {
    element: h('fieldset', { class: 'program-steps', 'data-field': 'steps' },
      h('legend', {}, t('program_editor.steps')),
      h('p', { class: 'hint' }, hint),
      list, add, h('p', { class: 'field-error', hidden: true })),
    value() {
      /** @type {ProgramStep[]} */
      const steps = [];
      for (const [index, row] of rows.entries()) {
        const day = Number(row.day);
        if (row.day.trim() === '' || !Number.isInteger(day) || day < 0 || day > 3650) return { steps: [], problem: t('program_editor.bad_day', { number: String(index + 1) }) };
        if (row.kind === 'milestone' && !row.title.trim()) return { steps: [], problem: t('program_editor.no_title', { number: String(index + 1) }) };
        steps.push({ day, kind: row.kind, title: row.kind === 'check_in' ? t('program.check_in_day', { day: String(day) }) : row.title.trim() });
      }
      steps.sort((a, b) => a.day - b.day);
      return { steps, problem: null };
    },
  };
}
