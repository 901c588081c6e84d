// @ts-check
/** How engagements' plain facts read in the interface: people and programs. No DOM here. */
import { language, t } from '../../core/i18n.js';

/**
 * Everyone else in an engagement, by name.
 * @param {import('./engagement-session.js').Engagement} engagement @param {string} me
 */
export function otherPeople(engagement, me) {
  return [engagement.coach, ...engagement.clients]
    .filter((person) => person.userId !== me)
    .map((person) => person.displayName)
    .sort((a, b) => a.localeCompare(b, language()))
    .join(', ');
}

/**
 * A program's check-ins and milestones from what a coach typed: "day: title" lines and a list of check-in days.
 * @param {string} milestones @param {string} checkIns
 * @returns {{ steps: import('./engagement-session.js').ProgramStep[], problem: string|null }}
 */
export function parseProgram(milestones, checkIns) {
  /** @type {import('./engagement-session.js').ProgramStep[]} */
  const steps = [];
  for (const line of milestones.split('\n').map((text) => text.trim()).filter(Boolean)) {
    const match = /^(\d{1,4})\s*[:.)-]\s*(.+)$/.exec(line);
    if (!match) return { steps: [], problem: line };
    steps.push({ day: Number(match[1]), title: match[2].trim(), kind: 'milestone' });
  }
  for (const part of checkIns.split(/[,;\s]+/).filter(Boolean)) {
    if (!/^\d{1,4}$/.test(part)) return { steps: [], problem: part };
    steps.push({ day: Number(part), title: t('program.check_in_day', { day: part }), kind: 'check_in' });
  }
  steps.sort((a, b) => a.day - b.day);
  return { steps, problem: null };
}

/**
 * A program step's title as this viewer reads it: a check-in in the viewer's language (its stored title is in the
 * coach's), a milestone as the coach wrote it.
 * @param {import('./engagement-session.js').ProgramStep|undefined} step
 * @returns {string|undefined}
 */
export function stepTitle(step) {
  if (!step) return undefined;
  return step.kind === 'check_in' ? t('program.check_in_day', { day: String(step.day) }) : step.title;
}
