// @ts-check
/**
 * The program's content-blind report for its staff: figures (hidden where they would describe fewer than five
 * people), the pairs with their state and days, and the CSV download. Nothing anyone wrote is in it.
 */
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

/**
 * @typedef {{ key: string, value?: number|null, isHidden: boolean }} Figure
 * @typedef {{ menteeName: string, mentorName: string, state: string, daysActive?: number|null }} ReportPair
 * @typedef {{ figures: Figure[], pairs: ReportPair[], generatedAt: string }} Report
 */

/** @param {string} programId @returns {Promise<HTMLElement>} */
export async function reportCard(programId) {
  /** @type {Report} */
  const report = await api('GET', `/programs/${programId}/report`);
  const shown = report.figures.filter((figure) => figure.isHidden || figure.value !== 0 || !figure.key.startsWith('matches_'));
  return h('section', { class: 'card stack', 'aria-labelledby': 'report-title' },
    h('h2', { id: 'report-title' }, t('report.title')),
    h('p', {}, t('report.lead')),
    h('dl', { class: 'figures' }, ...shown.flatMap((figure) => [
      h('dt', {}, t(`report.figure.${figure.key}`)),
      h('dd', { class: figure.isHidden ? 'hint' : '' }, figure.isHidden ? t('report.hidden') : format(figure)),
    ])),
    report.pairs.length ? h('div', { class: 'table-scroll stacked' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, t('report.pairs')),
      h('thead', {}, h('tr', {}, ...['mentee', 'mentor', 'state', 'days'].map((column) => h('th', { scope: 'col' }, t(`report.column.${column}`))))),
      h('tbody', {}, ...report.pairs.map((pair) => h('tr', {},
        h('td', { 'data-label': t('report.column.mentee') }, pair.menteeName),
        h('td', { 'data-label': t('report.column.mentor') }, pair.mentorName),
        h('td', { 'data-label': t('report.column.state') }, t(`match.state.${pair.state}`)),
        h('td', { 'data-label': t('report.column.days') }, pair.daysActive == null ? '–' : String(pair.daysActive))))))) : null,
    h('p', {}, h('a', { href: `/api/v1/programs/${programId}/report.csv`, download: 'program-report.csv', class: 'button' }, t('report.download'))));
}

/** @param {Figure} figure */
function format(figure) {
  const value = figure.value ?? 0;
  if (figure.key.endsWith('_percent')) return `${value} %`;
  if (figure.key.startsWith('median_days')) return t('report.days', { days: String(value) });
  return String(value);
}
