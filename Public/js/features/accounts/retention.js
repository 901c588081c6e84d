// @ts-check
/**
 * How long ended engagements are kept (docs/privacy.md, "Retention"): a month, three, a year (the default) or another
 * period, saved where the choice is made. A coach's own, in the settings; a program's ended pairs, on its page for
 * its institution's staff (only its admins may change it).
 */
import { api } from '../../core/api.js';
import { h, replaceChildren } from '../../core/dom.js';
import { field, form, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';

/**
 * @param {{ path: string, title: string, hint: string, editable?: boolean }} options `path` answers and takes
 *   `{ endedEngagementDays, defaultDays }`
 */
export function retentionPanel({ path, title, hint, editable = true }) {
  const body = h('div', {}, h('p', { class: 'hint' }, t('app.loading')));
  void api('GET', path).then((/** @type {{ endedEngagementDays: number, defaultDays: number }} */ settings) => {
    const current = settings.endedEngagementDays;
    if (!editable) {
      replaceChildren(body, h('p', {}, t('retention.current', { days: String(current) })));
      return;
    }
    const presets = [30, 90, 365];
    const label = (/** @type {number} */ days) => `${days === 365 ? t('retention.option_year') : t('retention.option', { days: String(days) })}${days === settings.defaultDays ? ` ${t('retention.default')}` : ''}`;
    const choice = field({ name: 'period', label: t('retention.days'), value: presets.includes(current) ? String(current) : 'custom',
      choices: [...presets.map((days) => ({ value: String(days), label: label(days) })), { value: 'custom', label: t('retention.custom') }] });
    const custom = field({ name: 'endedEngagementDays', label: t('retention.custom_days'), type: 'number', min: 30, max: 3650, step: 1,
      value: String(current), inputmode: 'numeric', invalid: t('retention.range') });
    const select = /** @type {HTMLSelectElement} */ (choice.querySelector('select'));
    const sync = () => {
      custom.hidden = select.value !== 'custom';
      /** @type {HTMLInputElement} */ (custom.querySelector('input')).required = !custom.hidden;
    };
    select.addEventListener('change', () => {
      sync();
      if (!custom.hidden) /** @type {HTMLInputElement} */ (custom.querySelector('input')).focus();
    });
    sync();
    const status = h('p', { role: 'status' });
    replaceChildren(body, form({
      label: title,
      submit: t('retention.save'),
      children: [choice, custom],
      action: async (values) => {
        const days = Number(values.period === 'custom' ? values.endedEngagementDays : values.period);
        const saved = await api('PUT', path, { endedEngagementDays: days });
        replaceChildren(status, notice(t('retention.saved', { days: String(saved.endedEngagementDays) }), 'success'));
      },
    }), status);
  }).catch(() => replaceChildren(body, h('p', { class: 'hint' }, t('retention.unavailable'))));
  const id = `retention-${Math.random().toString(36).slice(2)}`;
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, title),
    h('p', { class: 'hint' }, hint),
    body);
}
