// @ts-check
/**
 * The export pages (docs/privacy.md, "Export"): everything of one's account (`/export`), or one engagement for a
 * coach's records (`/engagements/:engagementID/export`). The export is made here, on this device, with progress
 * where the person looks; then the two files are offered for saving.
 */
import { h, replaceChildren, saveFile } from '../../core/dom.js';
import { messageFor, notice } from '../../core/forms.js';
import { language, t } from '../../core/i18n.js';
import { account } from '../../core/store.js';
import { formatSize } from '../messaging/attachments.js';
import { requireKeys } from '../messaging/keys.js';
import { Exporter } from './export.js';

/** The whole account's export. */
export function exportView() {
  return exportPage({ kind: 'account' });
}

/** @param {{ params: Record<string, string> }} route one engagement's export */
export function engagementExportView({ params }) {
  return exportPage({ kind: 'engagement', engagementId: params.engagementID });
}

/** @param {import('./export.js').Scope} scope */
async function exportPage(scope) {
  const keys = await requireKeys();
  if (!keys) return h('div', {});
  const me = /** @type {import('../../core/store.js').Account} */ (account());
  const whole = scope.kind === 'account';
  const status = h('p', { class: 'export-status', role: 'status', 'aria-live': 'polite' });
  const bar = /** @type {HTMLProgressElement} */ (h('progress', { max: '1', value: '0', 'aria-label': t('export.progress') }));
  const outcome = h('div', { class: 'stack' });
  const start = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary' }, t('export.start')));
  const working = h('div', { class: 'stack tight', hidden: true }, bar, status, h('p', { class: 'hint' }, t('export.keep_open')));

  start.addEventListener('click', async () => {
    start.disabled = true;
    working.hidden = false;
    replaceChildren(outcome);
    status.textContent = t('export.preparing');
    const exporter = new Exporter({
      me,
      keys,
      scope,
      onProgress: ({ stage, done, total }) => {
        bar.max = Math.max(total, 1);
        bar.value = done;
        const numbers = { done: done.toLocaleString(language()), total: total.toLocaleString(language()) };
        status.textContent = stage === 'messages' ? t('export.progress_messages', numbers)
          : stage === 'attachments' ? t('export.progress_attachments', numbers)
            : stage === 'engagements' ? t('export.progress_engagements', numbers)
              : stage === 'finishing' ? t('export.finishing') : t('export.preparing');
      },
    });
    /** The button is ready for another export; the files to save are what matters now. */
    const settle = () => {
      working.hidden = true;
      start.disabled = false;
      start.textContent = t('export.again');
      start.classList.remove('primary');
    };
    try {
      const result = await exporter.run();
      settle();
      replaceChildren(outcome, ...doneView(result, scope));
      outcome.querySelector('h2')?.focus();
    } catch (error) {
      settle();
      replaceChildren(outcome, notice(messageFor(error), 'warning'));
    }
  });

  return h('article', { class: 'card stack export-page' },
    h('h1', {}, whole ? t('export.page_title') : t('export.engagement_page_title')),
    h('p', { class: 'lead' }, whole ? t('export.lead') : t('export.engagement_lead')),
    h('ul', {}, ...(whole
      ? ['export.holds_conversations', 'export.holds_engagements', 'export.holds_account']
      : ['export.holds_one_conversation', 'export.holds_one_engagement']).map((key) => h('li', {}, t(key)))),
    h('p', { class: 'hint' }, t('export.on_device')),
    whole ? h('p', { class: 'hint' }, t('export.metadata_hint'), ' ',
      h('a', { href: '/api/v1/account/data/server-knowledge', download: 'lotse-what-the-server-knows.json' }, t('settings.data_download'))) : null,
    h('div', {}, start), working, outcome);
}

/**
 * What was made, the files to save, and what could not be opened.
 * @param {import('./export.js').ExportResult} result @param {import('./export.js').Scope} scope
 */
function doneView(result, scope) {
  const date = new Date().toISOString().slice(0, 10);
  const base = scope.kind === 'account' ? `lotse-export-${date}` : `lotse-engagement-${date}`;
  const { conversations, messages, attachments, engagements } = result.counts;
  return [
    h('h2', { tabindex: '-1' }, t('export.ready')),
    h('p', {}, t('export.summary', { messages: messages.toLocaleString(language()), conversations: String(conversations), attachments: String(attachments), engagements: String(engagements) })),
    result.undecryptable.length
      ? notice(t('export.some_undecryptable', { count: String(result.undecryptable.length) }), 'warning')
      : notice(t('export.all_opened'), 'success'),
    h('div', { class: 'actions start' },
      h('button', { type: 'button', class: 'primary', onclick: () => saveFile(result.html, `${base}.html`) }, t('export.save_html')),
      h('button', { type: 'button', onclick: () => saveFile(result.zip, `${base}.zip`) }, t('export.save_zip'))),
    h('p', { class: 'hint' }, t('export.files_hint', { html: formatSize(result.html.size), zip: formatSize(result.zip.size) })),
  ];
}
