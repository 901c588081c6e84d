// @ts-check
/** The form for a program's settings, used to create a program and to change one. */
import { h } from '../../core/dom.js';
import { field, form } from '../../core/forms.js';
import { APIError } from '../../core/api.js';
import { t } from '../../core/i18n.js';
import { programStepsEditor } from '../engagements/program-editor.js';

/**
 * @typedef {{ name: string, description: string, cohort: 'fixed'|'evergreen', startsOn?: string|null,
 *   endsOn?: string|null, durationMonths: number, cadenceWeeks: number, matchingMode: 'choice'|'review'|'automatic',
 *   requestExpiryDays: number, steps?: import('../engagements/engagement-session.js').ProgramStep[] }} ProgramSettings
 */

/**
 * A template to start from, which staff change as they like: meet and agree on goals, check in after two weeks,
 * look back at half time, close.
 * @returns {import('../engagements/engagement-session.js').ProgramStep[]}
 */
export function suggestedSteps() {
  return [
    { day: 0, kind: 'milestone', title: t('program.step_start') },
    { day: 14, kind: 'check_in', title: t('program.check_in_day', { day: '14' }) },
    { day: 90, kind: 'milestone', title: t('program.step_half') },
    { day: 175, kind: 'milestone', title: t('program.step_close') },
  ];
}

/** @type {ProgramSettings} */
export const defaults = {
  name: '', description: '', cohort: 'fixed', startsOn: null, endsOn: null, durationMonths: 6, cadenceWeeks: 2,
  matchingMode: 'review', requestExpiryDays: 7,
};

/**
 * @param {{ settings: ProgramSettings, submit: string, save: (settings: ProgramSettings) => Promise<void> }} options
 */
export function settingsForm({ settings, submit, save }) {
  const dates = h('div', { class: 'field-row' },
    field({ name: 'startsOn', label: t('program.starts_on'), type: 'date', value: settings.startsOn ?? '', required: false }),
    field({ name: 'endsOn', label: t('program.ends_on'), type: 'date', value: settings.endsOn ?? '', required: false }));
  const cohort = field({ name: 'cohort', label: t('program.cohort'), value: settings.cohort,
    choices: ['fixed', 'evergreen'].map((value) => ({ value, label: t(`program.cohort.${value}`) })) });
  const select = /** @type {HTMLSelectElement} */ (cohort.querySelector('select'));
  const showDates = () => {
    dates.hidden = select.value !== 'fixed';
    for (const input of dates.querySelectorAll('input')) input.required = select.value === 'fixed';
  };
  select.addEventListener('change', showDates);
  showDates();
  const steps = programStepsEditor(settings.steps ?? [], t('program.steps_hint'));
  return form({
    label: submit,
    submit,
    busy: t('program.saving'),
    children: [
      field({ name: 'name', label: t('program.name'), value: settings.name, maxlength: 200 }),
      field({ name: 'description', label: t('program.description'), hint: t('program.description_hint'), rows: 3, required: false,
        value: settings.description, maxlength: 5000 }),
      cohort,
      dates,
      h('div', { class: 'field-row' },
        field({ name: 'durationMonths', label: t('program.duration'), type: 'number', min: 1, max: 36, value: String(settings.durationMonths) }),
        field({ name: 'cadenceWeeks', label: t('program.cadence'), type: 'number', min: 1, max: 12, value: String(settings.cadenceWeeks) })),
      field({ name: 'matchingMode', label: t('program.matching'), value: settings.matchingMode,
        choices: ['review', 'choice', 'automatic'].map((value) => ({ value, label: t(`program.matching.${value}`) })) }),
      field({ name: 'requestExpiryDays', label: t('program.expiry'), hint: t('program.expiry_hint'), type: 'number', min: 1, max: 60,
        value: String(settings.requestExpiryDays) }),
      steps.element,
    ],
    action: async (values) => {
      const { steps: list, problem } = steps.value();
      if (problem) throw new APIError(400, 'request.invalid', problem, 'steps');
      const fixed = values.cohort === 'fixed';
      await save({
        name: values.name,
        description: values.description ?? '',
        cohort: fixed ? 'fixed' : 'evergreen',
        startsOn: fixed ? values.startsOn : null,
        endsOn: fixed ? values.endsOn : null,
        durationMonths: Number(values.durationMonths),
        cadenceWeeks: Number(values.cadenceWeeks),
        matchingMode: /** @type {ProgramSettings['matchingMode']} */ (values.matchingMode),
        requestExpiryDays: Number(values.requestExpiryDays),
        steps: list,
      });
    },
  });
}
