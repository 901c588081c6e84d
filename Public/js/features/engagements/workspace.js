// @ts-check
import { api } from '../../core/api.js';
import { announce, h, removeWhenGone, replaceChildren, toast } from '../../core/dom.js';
import { day, moment, personName } from '../../core/format.js';
import { actionButton as button, field, folded, form, messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { on } from '../../core/socket.js';
import { markRead, notificationText } from '../notifications/center.js';
import { sessionsCard } from '../scheduling/sessions.js';
import { EngagementSession } from './engagement-session.js';
import { openEngagement } from './open-engagement.js';
import { nextStep } from './next-step.js';
import { addPeopleForm, intakeSection, programForm, stage } from './workspace-process.js';
import { paragraphs, textOf } from './workspace-text.js';
import { otherPeople, stepTitle } from './format.js';

/**
 * @typedef {import('./engagement-session.js').Item} Item
 * @typedef {import('./engagement-session.js').Content} Content
 */

/**
 * The workspace of one engagement, shared by coach and clients: where it stands and the next step, goals,
 * milestones, tasks, reviews, feedback, the coach's private notes, the closing review and the timeline. Every text
 * is opened and sealed here in the browser.
 * @param {{ params: Record<string, string> }} route
 */
export async function workspaceView({ params }) {
  const session = await openEngagement(params.engagementID, t('workspace.missing'));
  if (!(session instanceof EngagementSession)) return session;
  const view = new Workspace(session);
  await view.render();
  // Whatever waited here is seen now, and so is what arrives while the page is in front of the person.
  const engagementId = session.engagement.id;
  void markRead({ engagementId });
  const stopChanges = on('engagement', (event) => {
    if (event.id === engagementId) void view.changedElsewhere();
  });
  const stopNotifications = on('notifications', (event) => {
    const latest = event.notification;
    if (latest?.engagementId !== engagementId || latest.kind === 'waiting' || document.hidden) return;
    // Said where the person looks, and so seen.
    toast(notificationText(latest));
    void markRead({ ids: [latest.id] });
  });
  removeWhenGone(view.root, () => {
    stopChanges();
    stopNotifications();
  });
  return view.root;
}

export class Workspace {
  /** @param {EngagementSession} session */
  constructor(session) {
    this.session = session;
    this.heading = h('h1', {});
    this.body = h('div', { class: 'stack' });
    this.status = h('div', { 'aria-live': 'polite' });
    this.root = h('section', { class: 'stack workspace' }, this.heading, this.status, this.body);
    /** Counts what people typed, so a drawing that started before they typed does not wipe it out. */
    this.edits = 0;
    /** The count the view on show was drawn at. */
    this.drawnAt = 0;
    this.root.addEventListener('input', () => {
      this.edits += 1;
    });
  }

  /** Whether someone typed into one of the forms since it was drawn: a change from elsewhere then waits to be shown. */
  get dirty() {
    return this.edits !== this.drawnAt;
  }

  /** Someone changed the engagement: show it now, or, while this person is typing, offer to. */
  async changedElsewhere() {
    const active = document.activeElement;
    const typing = this.dirty || (active instanceof HTMLElement && this.body.contains(active) && active.matches('input, textarea, select'));
    if (!typing) {
      await this.reload();
      return;
    }
    this.offerChanges();
  }

  /** Says that something changed, with a button to show it, instead of redrawing under someone's fingers. */
  offerChanges() {
    replaceChildren(this.status, h('div', { class: 'notice info', role: 'status' }, t('workspace.changed'), ' ',
      h('button', { type: 'button', class: 'link', onclick: () => void this.reload() }, t('workspace.show_changes'))));
  }

  async reload() {
    try {
      await this.session.refresh();
      await this.render();
    } catch (error) {
      replaceChildren(this.status, notice(messageFor(error), 'warning'));
    }
  }

  /**
   * Runs a change and shows what became of it; the view is drawn again from the server's answer.
   * @param {() => Promise<unknown>} change @param {string} done what to announce
   */
  async act(change, done) {
    await change();
    announce(done);
    await this.session.loadItems();
    await this.render();
  }

  async render() {
    const edits = this.edits;
    const { engagement } = this.session;
    const me = this.session.me;
    const isPair = engagement.initiatedBy === 'program';
    this.heading.textContent = t(isPair ? 'workspace.pair_title' : 'workspace.title', { names: otherPeople(engagement, me) });
    const open = ['inquiry', 'agreement_proposed', 'active'].includes(engagement.status);
    const sections = [
      this.overview(await nextStep(this)),
      this.session.isCoach && engagement.isGroup && open ? addPeopleForm(this) : null,
      open ? await sessionsCard(this.session, () => this.reload()) : null,
      await stage(this),
      this.session.isCoach && open && !engagement.program ? await programForm(this) : null,
      isPair ? null : await intakeSection(this),
      engagement.status === 'active' || engagement.status === 'closed' ? await this.work() : null,
      this.session.isCoach ? await this.notesSection() : null,
      await this.timeline(),
    ];
    // Someone typed while the sections were being opened: keep what they typed, offer the changes.
    if (this.edits !== edits) {
      this.offerChanges();
      return;
    }
    // Folded forms that are open stay open (read only now: opening the sections above took a while), and the
    // control that had the keyboard focus has it again: a slider moved with the arrow keys keeps moving.
    const unfolded = new Set([...this.body.querySelectorAll('details[open] > summary')].map((summary) => summary.textContent));
    const focusedID = this.body.contains(document.activeElement) ? document.activeElement?.id : null;
    replaceChildren(this.body, ...sections.filter(Boolean));
    if (focusedID) /** @type {HTMLElement|null} */ (document.getElementById(focusedID))?.focus();
    for (const summary of this.body.querySelectorAll('details > summary')) {
      if (unfolded.has(summary.textContent)) /** @type {HTMLDetailsElement} */ (summary.parentElement).open = true;
    }
    replaceChildren(this.status);
    this.drawnAt = edits;
    document.title = `${this.heading.textContent} · Lotse`;
  }

  /** @param {HTMLElement|null} next the next step, at the top */
  overview(next) {
    const { engagement } = this.session;
    return h(
      'section',
      { class: 'card overview' },
      stepper(engagement),
      next,
      h('p', { class: 'status-line' }, h('span', { class: `badge status-${engagement.status}` }, t(`status.${engagement.status}`)),
        engagement.isGroup ? ` ${t('engagements.group', { count: String(engagement.clients.length) })}` : null),
      engagement.initiatedBy === 'program'
        ? h('p', {}, t('workspace.mentor', { name: personName(engagement.coach.displayName) }), ' · ',
          t('workspace.mentee', { name: engagement.clients.map((client) => personName(client.displayName)).join(', ') }),
          engagement.program ? h('span', { class: 'hint' }, ' · ', engagement.program.name) : null)
        : h('p', {}, t('workspace.coach', { name: personName(engagement.coach.displayName) }), ' · ',
          t(engagement.clients.length === 1 ? 'workspace.client' : 'workspace.clients', { names: engagement.clients.map((client) => personName(client.displayName)).join(', ') })),
      h('p', { class: 'actions' },
        h('a', { href: `/conversations/${engagement.conversationId}`, 'data-link': true, class: 'button' }, t('workspace.conversation')),
        this.session.isCoach ? h('a', { href: `/engagements/${engagement.id}/export`, 'data-link': true, class: 'button' }, t('workspace.export')) : null,
        h('a', { href: '/engagements', 'data-link': true, class: 'button' }, t('workspace.back'))),
      h('p', { class: 'hint' }, t('workspace.encrypted')),
    );
  }

  /** Goals, milestones, tasks, reviews, feedback and the closing review. */
  async work() {
    const { engagement, isCoach } = this.session;
    const active = engagement.status === 'active';
    return h(
      'div',
      { class: 'stack' },
      await this.goals(active),
      await this.steps(active),
      await this.texts('review', active),
      await this.feedback(active),
      await this.texts('closing', true),
      // A mentoring pair ends with its program, which completes it.
      isCoach && active && engagement.initiatedBy !== 'program' ? h('section', { class: 'card' }, h('h2', {}, t('workspace.close_title')), h('p', {}, t('workspace.close_hint')),
        button(t('workspace.close'), () => this.act(() => this.session.change('POST', '/close'), t('status.closed')))) : null,
    );
  }

  /** @param {boolean} active */
  async goals(active) {
    const goals = this.session.itemsOf('goal');
    const rows = [];
    for (const goal of goals) {
      const content = await this.session.open(goal.sealed);
      const slider = h('input', { type: 'range', id: `goal-progress-${goal.id}`, min: '0', max: '100', step: '5', value: String(goal.progress ?? 0), 'aria-label': t('goal.progress_of', { title: textOf(content, 'title') ?? '' }), disabled: !active });
      slider.addEventListener('change', () => void this.safely(() => this.act(
        () => this.session.save('goal', { progress: Number(/** @type {HTMLInputElement} */ (slider).value), status: goal.status }, { base: goal }),
        t('goal.saved'))));
      const milestones = this.session.itemsOf('milestone').filter((milestone) => milestone.parentId === goal.id);
      rows.push(h('li', { class: 'goal' },
        h('strong', {}, textOf(content, 'title') ?? t('engagements.unreadable')),
        textOf(content, 'text') ? h('p', {}, textOf(content, 'text') ?? '') : null,
        h('div', { class: 'progress-row' }, slider, h('output', {}, `${goal.progress ?? 0} %`)),
        milestones.length ? h('p', { class: 'hint' }, t('goal.milestones', { count: String(milestones.length) })) : null));
    }
    return h('section', { class: 'card' }, h('h2', {}, t('goal.title')),
      rows.length ? h('ul', { class: 'items goals' }, ...rows) : h('p', { class: 'empty' }, t('goal.empty')),
      active ? folded(t('goal.add'), form({
        label: t('goal.add'),
        submit: t('goal.add'),
        children: [field({ name: 'title', label: t('field.title'), maxlength: 200 }), field({ name: 'text', label: t('field.description'), rows: 3, required: false })],
        action: async (values) => {
          await this.act(() => this.session.save('goal', { progress: 0, status: 'open' }, { content: { title: values.title, text: values.text } }), t('goal.saved'));
        },
      })) : null);
  }

  /** Milestones (the program's and one's own) and tasks, by due date, each with a done box. @param {boolean} active */
  async steps(active) {
    const { engagement } = this.session;
    const items = [...this.session.itemsOf('milestone'), ...this.session.itemsOf('task')]
      .sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
    const rows = [];
    for (const item of items) {
      const content = await this.session.open(item.sealed);
      const title = textOf(content, 'title') ?? (item.step !== undefined && item.step !== null ? stepTitle(engagement.program?.steps[item.step]) : undefined) ?? t('engagements.unreadable');
      const box = h('input', { type: 'checkbox', checked: item.status === 'done', disabled: !active, 'aria-label': t('task.done_label', { title }) });
      box.addEventListener('change', () => void this.safely(() => this.act(
        () => this.session.save(item.kind, { status: /** @type {HTMLInputElement} */ (box).checked ? 'done' : 'open', dueAt: item.dueAt ?? null, parentId: item.parentId ?? null }, { base: item }),
        t('task.saved'))));
      rows.push(h('li', { class: `step ${item.status === 'done' ? 'done' : ''}` },
        h('label', {}, box, ' ', h('span', { class: 'title' }, title)),
        h('span', { class: 'meta' }, ` ${t(`kind.${item.kind}`)}${item.dueAt ? ` · ${t('task.due', { date: day(item.dueAt) })}` : ''}`)));
    }
    const goals = this.session.itemsOf('goal');
    return h('section', { class: 'card' }, h('h2', {}, t('task.title')),
      engagement.program ? h('p', { class: 'hint' }, t('program.following', { name: engagement.program.name, date: day(engagement.program.startsOn) })) : null,
      rows.length ? h('ul', { class: 'items steps' }, ...rows) : h('p', { class: 'empty' }, t('task.empty')),
      active ? folded(t('task.add'), form({
        label: t('task.add'),
        submit: t('task.add'),
        children: [
          field({ name: 'kind', label: t('task.kind'), value: 'task', choices: ['task', 'milestone'].map((kind) => ({ value: kind, label: t(`kind.${kind}`) })) }),
          field({ name: 'title', label: t('field.title'), maxlength: 200 }),
          field({ name: 'due', label: t('task.due_label'), type: 'date', required: false }),
          goals.length ? field({ name: 'goal', label: t('task.goal'), required: false, value: '', choices: [{ value: '', label: '—' }, ...(await Promise.all(goals.map(async (goal) => ({ value: goal.id, label: String((await this.session.open(goal.sealed))?.title ?? '?') }))))] }) : null,
        ].filter(Boolean).map((node) => /** @type {HTMLElement} */ (node)),
        action: async (values) => {
          const dueAt = values.due ? new Date(`${values.due}T12:00:00Z`).toISOString() : null;
          const fields = values.kind === 'milestone' ? { status: 'open', dueAt, parentId: values.goal || null } : { status: 'open', dueAt };
          await this.act(() => this.session.save(values.kind, fields, { content: { title: values.title } }), t('task.saved'));
        },
      })) : null);
  }

  /** Reviews or closing reviews: texts with their author and date. @param {'review'|'closing'} kind @param {boolean} writable */
  async texts(kind, writable) {
    const items = this.session.itemsOf(kind);
    const rows = [];
    for (const item of items) {
      const content = await this.session.open(item.sealed);
      rows.push(h('li', {}, h('p', { class: 'meta' }, `${this.session.name(item.author)} · ${day(item.createdAt)}`), paragraphs(content?.text)));
    }
    if (kind === 'closing' && rows.length === 0 && !writable) return null;
    return h('section', { class: 'card' }, h('h2', {}, t(`${kind}.title`)),
      rows.length ? h('ul', { class: 'items texts' }, ...rows) : h('p', { class: 'empty' }, t(`${kind}.empty`)),
      writable ? folded(t(`${kind}.add`), form({
        label: t(`${kind}.add`),
        submit: t(`${kind}.add`),
        children: [field({ name: 'text', label: t(`${kind}.text`), rows: 5 })],
        action: async (values) => {
          await this.act(() => this.session.save(kind, {}, { content: { text: values.text } }), t(`${kind}.saved`));
        },
      })) : null);
  }

  /** Feedback after sessions: a rating and a comment, which only the author and the coach see. @param {boolean} active */
  async feedback(active) {
    const rows = [];
    for (const item of this.session.itemsOf('feedback')) {
      const content = await this.session.open(item.sealed);
      rows.push(h('li', {}, h('p', { class: 'meta' }, `${this.session.name(item.author)} · ${day(item.sessionOn ?? item.createdAt)} · `,
        h('span', { class: 'rating', 'aria-label': t('feedback.rating_of', { rating: String(item.rating) }) }, '★'.repeat(item.rating ?? 0) + '☆'.repeat(5 - (item.rating ?? 0)))),
        paragraphs(content?.text)));
    }
    return h('section', { class: 'card' }, h('h2', {}, t('feedback.title')), h('p', { class: 'hint' }, t('feedback.hint')),
      rows.length ? h('ul', { class: 'items texts' }, ...rows) : h('p', { class: 'empty' }, t('feedback.empty')),
      active ? folded(t('feedback.add'), form({
        label: t('feedback.add'),
        submit: t('feedback.add'),
        children: [
          field({ name: 'rating', label: t('feedback.rating'), value: '5', choices: ['5', '4', '3', '2', '1'].map((value) => ({ value, label: t('feedback.stars', { count: value }) })) }),
          field({ name: 'sessionOn', label: t('feedback.session'), type: 'date', required: false }),
          field({ name: 'text', label: t('feedback.comment'), rows: 3 }),
        ],
        action: async (values) => {
          await this.act(() => this.session.save('feedback', { rating: Number(values.rating), sessionOn: values.sessionOn || null }, { content: { text: values.text } }), t('feedback.saved'));
        },
      })) : null);
  }

  /** The coach's private notes: sealed with a key only the coach's browser derives. */
  async notesSection() {
    const rows = [];
    for (const note of this.session.itemsOf('note')) {
      const content = await this.session.open(note.sealed);
      rows.push(h('li', {}, h('p', { class: 'meta' }, moment(note.updatedAt)), paragraphs(content?.text)));
    }
    return h('section', { class: 'card private' }, h('h2', {}, t('note.title')), h('p', { class: 'hint' }, t('note.hint')),
      rows.length ? h('ul', { class: 'items texts' }, ...rows) : h('p', { class: 'empty' }, t('note.empty')),
      folded(t('note.add'), form({
        label: t('note.add'),
        submit: t('note.add'),
        children: [field({ name: 'text', label: t('note.text'), rows: 4 })],
        action: async (values) => {
          await this.act(() => this.session.save('note', {}, { content: { text: values.text } }), t('note.saved'));
        },
      })));
  }

  async timeline() {
    /** @type {Array<{ id: string, kind: string, actor: string, itemId?: string, itemKind?: string, at: string }>} */
    const events = await api('GET', `/engagements/${this.session.engagement.id}/timeline`);
    const rows = [];
    for (const event of [...events].reverse()) {
      const item = event.itemId ? this.session.items.find((candidate) => candidate.id === event.itemId) : undefined;
      const content = item ? await this.session.open(item.sealed) : null;
      const what = event.itemKind ? t(`kind.${event.itemKind}`) : '';
      const programTitle = item?.step !== undefined && item?.step !== null ? stepTitle(this.session.engagement.program?.steps[item.step]) : undefined;
      const named = typeof content?.title === 'string' ? content.title : programTitle;
      const title = named ? `: ${named}` : '';
      rows.push(h('li', {}, h('time', { datetime: event.at }, moment(event.at)), ' ',
        t(`event.${event.kind}`, { name: this.session.name(event.actor), what }) + title));
    }
    return h('section', { class: 'card' }, h('h2', {}, t('timeline.title')), h('ol', { class: 'timeline' }, ...rows));
  }

  /** Runs an action from a control outside a form, showing a failure in the status line. @param {() => Promise<void>} action */
  async safely(action) {
    try {
      await action();
    } catch (error) {
      replaceChildren(this.status, notice(messageFor(error), 'warning'));
    }
  }
}

/**
 * Where the engagement is on its way: inquiry, first meeting, agreement, working together, closing (a mentoring
 * pair's: matched, working together, closing). The current
 * step is marked for screen readers too; a declined or withdrawn engagement shows none.
 * @param {import('./engagement-session.js').Engagement} engagement
 */
function stepper(engagement) {
  // A mentoring pair was matched by its program, which is its agreement.
  const isPair = engagement.initiatedBy === 'program';
  const steps = isPair ? ['matched', 'active', 'closed'] : ['inquiry', 'meeting', 'agreement', 'active', 'closed'];
  /** @type {Record<string, number>} */
  const reached = isPair ? { active: 1, closed: 3 } : { inquiry: engagement.firstMeeting ? 1 : 0, agreement_proposed: 2, active: 3, closed: 5 };
  const current = reached[engagement.status];
  if (current === undefined) return null;
  return h('ol', { class: 'stepper', 'aria-label': t('stepper.label') }, ...steps.map((step, index) => h('li', {
    class: index < current ? 'done' : index === current ? 'current' : '',
    'aria-current': index === current ? 'step' : undefined,
  }, t(`stepper.${step}`))));
}
