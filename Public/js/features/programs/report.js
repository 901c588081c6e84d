// @ts-check
/**
 * The program's content-blind report for its staff: figures (hidden where they would describe fewer than five
 * people), the pairs with their state and days, and the CSV download. Nothing anyone wrote is in it.
 */
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { language, t } from '../../core/i18n.js';

/**
 * @typedef {{ key: string, value?: number|null, isHidden: boolean }} Figure
 * @typedef {{ menteeName: string, mentorName: string, state: string, daysActive?: number|null, sessionsHeld: number,
 *   sessionsCancelled: number, sessionsUpcoming: number, daysToFirstSession?: number|null,
 *   daysSinceActivity?: number|null, health?: string|null }} ReportPair
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
      h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', { scope: 'col' }, t(`report.column.${column}`))))),
      h('tbody', {}, ...report.pairs.map((pair) => h('tr', {}, ...columns.map((column) =>
        h('td', { 'data-label': t(`report.column.${column}`) }, cell(pair, column)))))))) : null,
    h('p', {}, h('a', { href: `/api/v1/programs/${programId}/report.csv`, download: 'program-report.csv', class: 'button' }, t('report.download'))));
}

const columns = ['mentee', 'mentor', 'state', 'days', 'sessions', 'first_session', 'since', 'health'];

/** @param {number|null|undefined} value */
const count = (value) => (value == null ? '–' : String(value));

/** @param {ReportPair} pair @param {string} column */
function cell(pair, column) {
  switch (column) {
    case 'mentee': return pair.menteeName;
    case 'mentor': return pair.mentorName;
    case 'state': return t(`match.state.${pair.state}`);
    case 'days': return count(pair.daysActive);
    case 'sessions': return t('report.sessions', { held: String(pair.sessionsHeld), cancelled: String(pair.sessionsCancelled), upcoming: String(pair.sessionsUpcoming) });
    case 'first_session': return count(pair.daysToFirstSession);
    case 'since': return count(pair.daysSinceActivity);
    default: return pair.health ? h('span', { class: `badge health-${pair.health}` }, t(`report.health.${pair.health}`)) : '–';
  }
}

/** @param {Figure} figure */
function format(figure) {
  if (figure.value == null) return '–';  // nothing to measure yet (no first session, no rating)
  const value = figure.value;
  if (figure.key.startsWith('feedback_average')) return t('report.rating', { value: new Intl.NumberFormat(language()).format(value) });
  if (figure.key.endsWith('_percent')) return `${value} %`;
  if (figure.key.startsWith('median_days')) return t('report.days', { days: String(value) });
  return String(value);
}
