// @ts-check
/** How engagements' plain facts read in the interface: people and programs. No DOM here. */
import { personName } from '../../core/format.js';
import { language, t } from '../../core/i18n.js';

/**
 * Everyone else in an engagement, by name.
 * @param {import('./engagement-session.js').Engagement} engagement @param {string} me
 */
export function otherPeople(engagement, me) {
  return [engagement.coach, ...engagement.clients]
    .filter((person) => person.userId !== me)
    .map((person) => personName(person.displayName))
    .sort((a, b) => a.localeCompare(b, language()))
    .join(', ');
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

/**
 * The address part of a name: "Jörg Müller-Lüdenscheidt" becomes "joerg-mueller-luedenscheidt".
 * @param {string} name
 */
export function slugFrom(name) {
  return name.toLowerCase()
    .replaceAll('ä', 'ae').replaceAll('ö', 'oe').replaceAll('ü', 'ue').replaceAll('ß', 'ss')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
}
