// @ts-check
import { APIError, api, errorFrom } from '../../core/api.js';
import { announce, h, replaceChildren, toast } from '../../core/dom.js';
import { minorUnits } from '../../core/format.js';
import { checkbox, field, folded, form, messageFor, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { account, csrfToken } from '../../core/store.js';
import { newID } from '../../crypto/bytes.js';
import { slugFrom, stepTitle } from './format.js';
import { programStepsEditor } from './program-editor.js';
import { zoneField } from '../scheduling/calendar-settings.js';

/** Languages coaches in German-speaking countries most often work in, offered as boxes to tick. */
const commonLanguages = ['de', 'en', 'fr', 'it', 'es', 'tr', 'pl', 'ru', 'uk', 'ar', 'nl', 'pt'];
/** Currencies offered for the rate; a saved other one stays. */
const commonCurrencies = ['EUR', 'CHF', 'GBP', 'USD'];

/** The coach's public directory profile: what people find on /coaches, and the photo. */
export async function profileView() {
  let current = null;
  try {
    current = await api('GET', '/directory/profile');
  } catch (error) {
    if (!(error instanceof APIError && error.status === 404)) throw error;
  }
  const me = account();
  const status = h('div', { 'aria-live': 'polite' });
  const publicLink = h('p', {});
  const showLink = (/** @type {any} */ profile) => replaceChildren(publicLink, profile?.isPublished
    ? h('a', { href: `/coaches/${profile.slug}` }, t('profile.public_link'))
    : t('profile.unpublished'));
  showLink(current);

  // The photo: shown as it is, replaced at once when another is chosen, with a preview of the new one.
  const preview = /** @type {HTMLImageElement} */ (h('img', { class: 'profile-photo-preview', alt: t('profile.photo_preview'), hidden: !current?.hasPhoto,
    src: current?.hasPhoto && me ? `/api/v1/directory/coaches/${me.id}/photo?v=${Date.parse(current.updatedAt)}` : undefined,
    onerror: () => { preview.hidden = true; } }));
  const photo = h('input', { type: 'file', id: 'profile-photo', class: 'file-input', accept: 'image/png,image/jpeg,image/webp' });
  /** A photo chosen before the profile was first saved: it goes up right after. @type {File|null} */
  let pendingPhoto = null;
  const upload = async (/** @type {File} */ file) => {
    const response = await fetch('/api/v1/directory/profile/photo', {
      method: 'PUT',
      headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': csrfToken() ?? '', 'Accept-Language': language() },
      body: file,
      credentials: 'same-origin',
    });
    if (response.ok) {
      replaceChildren(status);
      toast(t('profile.photo_saved'));
    } else {
      replaceChildren(status, notice(messageFor(await errorFrom(response)), 'warning'));
    }
  };
  photo.addEventListener('change', async () => {
    const file = /** @type {HTMLInputElement} */ (photo).files?.[0];
    if (!file) return;
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
    if (current) await upload(file);
    else pendingPhoto = file;
  });

  // The address follows the name until the coach types one of their own.
  const slug = field({ name: 'slug', label: t('profile.slug'), hint: t('profile.slug_hint'), value: current?.slug ?? slugFrom(me?.displayName ?? ''),
    pattern: '[a-z0-9][a-z0-9\\-]{1,58}[a-z0-9]', invalid: t('profile.slug_invalid') });
  const slugInput = /** @type {HTMLInputElement} */ (slug.querySelector('input'));
  const address = h('p', { class: 'hint slug-address' });
  const drawAddress = () => { address.textContent = t('profile.address', { address: `${location.origin}/coaches/${slugInput.value || '…'}` }); };
  slugInput.addEventListener('input', drawAddress);
  drawAddress();
  slug.append(address);

  const chosen = new Set(current?.languages ?? [language()]);
  const names = new Intl.DisplayNames([language()], { type: 'language' });
  const languages = h('fieldset', { class: 'field language-boxes', 'data-field': 'languages' },
    h('legend', {}, t('profile.languages')),
    h('div', { class: 'boxes' }, ...[...new Set([...commonLanguages, ...chosen])].map((code) => {
      const id = `profile-language-${code}`;
      return h('div', { class: 'field checkbox' }, h('input', { type: 'checkbox', id, name: 'language', value: code, checked: chosen.has(code) }),
        h('label', { for: id }, names.of(code) ?? code));
    })),
    h('p', { class: 'field-error', hidden: true }));

  const place = field({ name: 'location', label: t('profile.place'), hint: t('profile.place_hint'), required: false, value: current?.location ?? '' });
  const inPerson = checkbox('in_person', t('format.in_person'), current?.formats.includes('in_person') ?? false);
  const showPlace = () => { place.hidden = !(/** @type {HTMLInputElement} */ (inPerson.querySelector('input')).checked); };
  inPerson.querySelector('input')?.addEventListener('change', showPlace);
  showPlace();

  const currencies = [...new Set([...commonCurrencies, current?.rate?.currency ?? 'EUR'])];
  return h(
    'section',
    { class: 'card' },
    h('h1', {}, t('profile.title')),
    h('p', { class: 'lead' }, t('profile.lead')),
    publicLink,
    status,
    form({
      label: t('profile.title'),
      submit: t('profile.save'),
      children: [
        slug,
        field({ name: 'headline', label: t('profile.headline'), value: current?.headline ?? '', maxlength: 140 }),
        field({ name: 'bio', label: t('profile.bio'), rows: 8, required: false, value: current?.bio ?? '' }),
        field({ name: 'topics', label: t('profile.topics'), hint: t('profile.comma_hint'), required: false, value: (current?.topics ?? []).join(', ') }),
        languages,
        checkbox('online', t('format.online'), current ? current.formats.includes('online') : true),
        inPerson,
        place,
        h('div', { class: 'rate-row' },
          field({ name: 'rate', label: t('profile.rate'), required: false, inputmode: 'decimal', value: current?.rate ? String(current.rate.amount / 100) : '' }),
          field({ name: 'currency', label: t('agreement.currency'), value: current?.rate?.currency ?? 'EUR', choices: currencies.map((code) => ({ value: code, label: code })) }),
          field({ name: 'per', label: t('agreement.per'), value: current?.rate?.per ?? 'session', choices: ['session', 'hour'].map((per) => ({ value: per, label: t(`agreement.per_${per}`) })) })),
        zoneField(t('profile.time_zone'), current?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
        h('div', { class: 'field photo-field' }, h('label', { for: 'profile-photo' }, t('profile.photo')), h('p', { class: 'hint' }, t('profile.photo_hint')),
          preview, photo, h('label', { for: 'profile-photo', class: 'button file-button' }, t(current?.hasPhoto ? 'profile.photo_change' : 'profile.photo_choose'))),
        checkbox('published', t('profile.published'), current?.isPublished ?? false),
      ],
      action: async (values, element) => {
        const amount = values.rate ? minorUnits(values.rate) : null;
        if (values.rate && amount === null) throw new Error('form.amount');
        const list = (/** @type {string} */ text) => text.split(',').map((part) => part.trim()).filter(Boolean);
        const spoken = new FormData(element).getAll('language').map(String);
        if (spoken.length === 0) throw new APIError(400, 'form.languages', t('profile.languages_missing'), 'languages');
        current = await api('PUT', '/directory/profile', {
          slug: values.slug,
          headline: values.headline,
          bio: values.bio,
          topics: list(values.topics),
          languages: spoken,
          formats: ['online', 'in_person'].filter((format) => values[format] === 'yes'),
          location: values.in_person === 'yes' ? values.location || null : null,
          rate: amount === null ? null : { amount, currency: values.currency, per: values.per },
          timeZone: values.timeZone,
          isPublished: values.published === 'yes',
        });
        showLink(current);
        replaceChildren(status);
        toast(t('profile.saved'));
        if (pendingPhoto) {
          const file = pendingPhoto;
          pendingPhoto = null;
          await upload(file);
        }
      },
    }),
  );
}

/** The coach's own material: program templates and intake questionnaires. */
export async function libraryView() {
  const templates = h('ul', { class: 'items' });
  const questionnaires = h('ul', { class: 'items' });
  const refresh = async () => {
    /** @type {Array<{ id: string, name: string, description: string, steps: import('./engagement-session.js').ProgramStep[] }>} */
    const ownTemplates = await api('GET', '/templates');
    replaceChildren(templates, ...(ownTemplates.length ? ownTemplates.map((template) => h('li', {},
      h('strong', {}, template.name), ' — ', template.steps.map((step) => t('program.step', { day: String(step.day), title: stepTitle(step) ?? '' })).join(' · '),
      remove(`/templates/${template.id}`, refresh),
      folded(t('library.edit', { name: template.name }), () => templateForm(template, refresh)))) : [h('li', { class: 'empty' }, t('library.no_templates'))]));
    /** @type {Array<{ id: string, title: string, questions: Array<{ text: string }> }>} */
    const ownQuestionnaires = await api('GET', '/questionnaires');
    replaceChildren(questionnaires, ...(ownQuestionnaires.length ? ownQuestionnaires.map((questionnaire) => h('li', {},
      h('strong', {}, questionnaire.title), ` — ${t('library.questions', { count: String(questionnaire.questions.length) })}`,
      remove(`/questionnaires/${questionnaire.id}`, refresh))) : [h('li', { class: 'empty' }, t('library.no_questionnaires'))]));
  };
  await refresh();
  const newTemplate = h('div', {});
  const drawNew = () => replaceChildren(newTemplate, templateForm(null, async () => {
    await refresh();
    drawNew();
  }));
  drawNew();
  return h(
    'section',
    { class: 'stack' },
    h('h1', {}, t('library.title')),
    h('p', { class: 'lead' }, t('library.lead')),
    h('section', { class: 'card' }, h('h2', {}, t('library.templates')), templates,
      h('h3', {}, t('library.new_template')), newTemplate),
    h('section', { class: 'card' }, h('h2', {}, t('library.questionnaires')), questionnaires, form({
      label: t('library.new_questionnaire'),
      submit: t('library.new_questionnaire'),
      children: [
        field({ name: 'title', label: t('field.title'), maxlength: 200 }),
        field({ name: 'questions', label: t('library.question_lines'), rows: 5, hint: t('library.question_hint') }),
      ],
      action: async (values, element) => {
        const questions = values.questions.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
          const scale = /\[1-10\]$/.test(line);
          return { id: newID(), text: scale ? line.replace(/\s*\[1-10\]$/, '') : line, kind: scale ? 'scale' : 'text' };
        });
        await api('PUT', `/questionnaires/${newID()}`, { title: values.title, questions });
        element.reset();
        await refresh();
        announce(t('library.saved'));
      },
    })),
  );
}

/**
 * A program, new or to change: its name, description and a row per step. A new one's ID is made once, so saving
 * again after a lost answer changes it instead of making a second.
 * @param {{ id: string, name: string, description: string, steps: import('./engagement-session.js').ProgramStep[] }|null} template
 * @param {() => Promise<void>} saved
 */
function templateForm(template, saved) {
  const id = template?.id ?? newID();
  const steps = programStepsEditor(template?.steps ?? []);
  return form({
    label: template ? t('library.edit', { name: template.name }) : t('library.new_template'),
    submit: template ? t('library.save_changes') : t('library.new_template'),
    children: [
      field({ name: 'name', label: t('field.title'), maxlength: 200, value: template?.name }),
      field({ name: 'description', label: t('field.description'), rows: 2, required: false, value: template?.description }),
      steps.element,
    ],
    action: async (values) => {
      const { steps: list, problem } = steps.value();
      if (problem) throw new APIError(400, 'request.invalid', problem, 'steps');
      await api('PUT', `/templates/${id}`, { name: values.name, description: values.description, steps: list });
      toast(t('library.saved'));
      await saved();
    },
  });
}

/** @param {string} path @param {() => Promise<void>} refresh */
function remove(path, refresh) {
  return h('button', { type: 'button', class: 'link', onclick: async () => {
    await api('DELETE', path);
    await refresh();
  } }, t('library.delete'));
}
