// @ts-check
/**
 * A coach's availability — weekly hours in their time zone, dates with other hours, buffers, notice, how far ahead
 * and the rules for changes — and the session types clients book.
 */
import { APIError, api } from '../../core/api.js';
import { announce, h, replaceChildren, toast } from '../../core/dom.js';
import { minorUnits, money } from '../../core/format.js';
import { checkbox, field, folded, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { newID } from '../../crypto/bytes.js';
import { typeLabel } from './bookings.js';
import { offsetLabel, zoneField } from './calendar-settings.js';
import { formatExceptions, parseExceptions, viewerZone } from './time.js';
import { weekEditor } from './week-editor.js';

/**
 * @typedef {{ timeZone: string, weekly: Array<{ weekday: number, start: string, end: string }>,
 *   exceptions: Array<{ date: string, hours: Array<{ start: string, end: string }> }>, bufferBeforeMinutes: number,
 *   bufferAfterMinutes: number, minimumNoticeMinutes: number, horizonDays: number, slotStepMinutes: number,
 *   changeNoticeHours: number, updatedAt?: string|null }} Availability
 */

const noticeChoices = [0, 60, 120, 240, 720, 1_440, 2_880, 4_320, 10_080];
const stepChoices = [15, 20, 30, 45, 60, 90, 120];

export async function availabilityView() {
  const types = h('div', { class: 'stack' });
  const drawTypes = async () => replaceChildren(types, ...(await sessionTypes(drawTypes)));
  /** @type {Availability} */
  let availability;
  try {
    availability = await api('GET', '/availability');
    await drawTypes();
  } catch (error) {
    return h('section', { class: 'card narrow' }, h('h1', {}, t('availability.title')), notice(messageFor(error), 'warning'));
  }
  return h(
    'section',
    { class: 'stack' },
    h('h1', {}, t('availability.title')),
    h('p', { class: 'lead' }, t('availability.lead')),
    h('section', { class: 'card', 'aria-labelledby': 'hours-title' }, h('h2', { id: 'hours-title' }, t('availability.hours')), hoursForm(availability)),
    types,
  );
}

/** @param {Availability} availability */
function hoursForm(availability) {
  const status = h('div', { 'aria-live': 'polite' });
  // Never saved: start from this device's zone rather than the server's guess.
  const zone = availability.updatedAt ? availability.timeZone : viewerZone();
  const week = weekEditor(availability.weekly, !availability.updatedAt);
  const choice = (/** @type {number[]} */ values, /** @type {number} */ current, /** @type {(value: number) => string} */ label) =>
    [...new Set([...values, current])].sort((a, b) => a - b).map((value) => ({ value: String(value), label: label(value) }));
  return h('div', {}, status, form({
    label: t('availability.hours'),
    submit: t('availability.save'),
    children: [
      zoneField(t('availability.time_zone'), zone),
      week.element,
      field({ name: 'exceptions', label: t('availability.exceptions'), hint: t('availability.exceptions_hint'), rows: 4, required: false,
        value: formatExceptions(availability.exceptions) }),
      field({ name: 'bufferBeforeMinutes', label: t('availability.buffer_before'), type: 'number', min: 0, max: 240, value: String(availability.bufferBeforeMinutes) }),
      field({ name: 'bufferAfterMinutes', label: t('availability.buffer_after'), type: 'number', min: 0, max: 240, value: String(availability.bufferAfterMinutes) }),
      field({ name: 'minimumNoticeMinutes', label: t('availability.notice'), value: String(availability.minimumNoticeMinutes),
        choices: choice(noticeChoices, availability.minimumNoticeMinutes, (minutes) => (minutes === 0 ? t('availability.no_notice') : offsetLabel(minutes))) }),
      field({ name: 'horizonDays', label: t('availability.horizon'), type: 'number', min: 1, max: 90, value: String(availability.horizonDays) }),
      field({ name: 'slotStepMinutes', label: t('availability.step'), hint: t('availability.step_hint'), value: String(availability.slotStepMinutes),
        choices: choice(stepChoices, availability.slotStepMinutes, (minutes) => t('booking.minutes', { count: String(minutes) })) }),
      field({ name: 'changeNoticeHours', label: t('availability.change_notice'), hint: t('availability.change_notice_hint'), type: 'number', min: 0, max: 720,
        value: String(availability.changeNoticeHours) }),
    ],
    action: async (values) => {
      const { weekly, problem: badDay } = week.value();
      if (badDay) throw new APIError(400, 'form.hours', badDay.message, `day-${badDay.weekday}`);
      const { exceptions, problem } = parseExceptions(values.exceptions ?? '');
      if (problem) throw new APIError(400, 'form.exceptions', t('availability.bad_exception', { text: problem }), 'exceptions');
      const body = {
        timeZone: values.timeZone,
        weekly,
        exceptions,
        bufferBeforeMinutes: Number(values.bufferBeforeMinutes),
        bufferAfterMinutes: Number(values.bufferAfterMinutes),
        minimumNoticeMinutes: Number(values.minimumNoticeMinutes),
        horizonDays: Number(values.horizonDays),
        slotStepMinutes: Number(values.slotStepMinutes),
        changeNoticeHours: Number(values.changeNoticeHours),
      };
      try {
        await api('PUT', '/availability', body);
      } catch (error) {
        throw onForm(error, weekly);
      }
      replaceChildren(status);
      toast(t('availability.saved'));
    },
  }));
}

/**
 * The server names `weekly[3].end`; the form has a field per weekday, so point at that day's.
 * @param {unknown} error @param {Array<{ weekday: number }>} weekly
 */
function onForm(error, weekly) {
  if (!(error instanceof APIError) || !error.field) return error;
  const day = /^weekly\[(\d+)\]/.exec(error.field);
  const exception = /^exceptions\[/.test(error.field);
  if (!day && !exception) return error;
  return error.withField(day ? `day-${weekly[Number(day[1])]?.weekday}` : 'exceptions');
}

/** @param {() => Promise<void>} redraw */
async function sessionTypes(redraw) {
  /** @type {import('./bookings.js').SessionType[]} */
  const types = await api('GET', '/session-types');
  return [
    h('section', { class: 'card', 'aria-labelledby': 'types-title' },
      h('h2', { id: 'types-title' }, t('types.title')),
      h('p', { class: 'hint' }, t('types.hint')),
      types.length
        ? h('ul', { class: 'items session-types' }, ...types.map((type) => h('li', { class: type.isActive ? undefined : 'retired' },
          h('strong', {}, typeLabel(type)), type.price ? ` · ${money(type.price)}` : null, type.isActive ? null : ` · ${t('types.retired')}`,
          folded(t('types.edit', { name: type.name }), typeForm(type, redraw)))))
        : h('p', { class: 'empty' }, t('types.empty')),
      folded(t('types.add'), typeForm(null, redraw))),
  ];
}

/**
 * A session type, new or to change. A new one's ID is made once, so saving again after a lost answer updates it.
 * @param {import('./bookings.js').SessionType|null} type @param {() => Promise<void>} redraw
 */
function typeForm(type, redraw) {
  const id = type?.id ?? newID();
  return form({
    label: type ? t('types.edit', { name: type.name }) : t('types.add'),
    submit: t(type ? 'types.save' : 'types.add'),
    children: [
      field({ name: 'name', label: t('types.name'), maxlength: 100, value: type?.name ?? '' }),
      field({ name: 'durationMinutes', label: t('types.duration'), type: 'number', min: 5, max: 480, value: String(type?.durationMinutes ?? 60) }),
      field({ name: 'format', label: t('field.format'), value: type?.format ?? 'online', choices: ['online', 'in_person'].map((value) => ({ value, label: t(`format.${value}`) })) }),
      field({ name: 'location', label: t('types.location'), hint: t('types.location_hint'), required: false, maxlength: 200, value: type?.location ?? '' }),
      field({ name: 'price', label: t('types.price'), required: false, inputmode: 'decimal', value: type?.price ? String(type.price.amount / 100) : '' }),
      field({ name: 'currency', label: t('agreement.currency'), value: type?.price?.currency ?? 'EUR', pattern: '[A-Z]{3}' }),
      field({ name: 'per', label: t('agreement.per'), value: type?.price?.per ?? 'session', choices: ['session', 'hour'].map((per) => ({ value: per, label: t(`agreement.per_${per}`) })) }),
      checkbox('isActive', t('types.active'), type?.isActive ?? true),
    ],
    action: async (values) => {
      const amount = values.price ? minorUnits(values.price) : null;
      if (values.price && amount === null) throw new APIError(400, 'form.amount', t('form.amount'), 'price');
      await api('PUT', `/session-types/${id}`, {
        name: values.name,
        durationMinutes: Number(values.durationMinutes),
        format: values.format,
        location: values.location || null,
        price: amount === null ? null : { amount, currency: values.currency, per: values.per },
        isActive: values.isActive === 'yes',
      });
      announce(t('types.saved'));
      await redraw();
    },
  });
}


