// @ts-check
/**
 * The tech check page `/tech-check`: camera, microphone, speakers and a test call through the platform's servers, one
 * after another on one page, each with what it found and what to do about it. The outcome is saved, so the coach
 * knows before the first session whether the client is ready.
 */
import { api } from '../../core/api.js';
import { announce, h, removeWhenGone, replaceChildren } from '../../core/dom.js';
import { messageFor, notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { account } from '../../core/store.js';
import { localMedia } from './media.js';
import { ownCheck } from './tech-check-panel.js';
import { checkSummary, listen, offersRelay, parts, playTone, testCall, watchCamera } from './tech-check.js';

/** @typedef {import('./media.js').Outcome} Outcome */
/** @typedef {import('./tech-check.js').Part} Part */

export async function techCheckView() {
  const page = new TechCheckPage(await ownCheck());
  removeWhenGone(page.root, () => page.stop());
  return page.root;
}

class TechCheckPage {
  /** @param {import('./tech-check.js').TechCheck|null} latest */
  constructor(latest) {
    this.latest = latest;
    /** @type {Record<Part, Outcome|null>} null: not done yet */
    this.outcomes = { camera: null, microphone: null, speaker: null, connection: null };
    this.started = false;
    this.relayOffered = false;
    /** @type {{ route?: 'direct'|'relay', roundTripMilliseconds?: number }} */
    this.call = {};
    /** @type {MediaStream|null} */
    this.stream = null;
    /** @type {AudioContext|null} */
    this.audio = null;
    this.stopListening = () => {};
    /** Counts up with each start and stop, so a test still running from an earlier run cannot mark the new one. */
    this.run = 0;
    this.saveProblem = '';
    this.video = /** @type {HTMLVideoElement} */ (h('video', { autoplay: true, playsinline: true, class: 'own', hidden: true }));
    this.video.muted = true;
    this.level = h('div', { class: 'meter-level' });
    this.meter = h('div', { class: 'meter', role: 'meter', 'aria-label': t('techcheck.level'), 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' }, this.level);
    this.startButton = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary', onclick: () => this.start() }, t('techcheck.start')));
    this.steps = h('ol', { class: 'tech-steps' });
    this.summary = h('div', { class: 'tech-summary', 'aria-live': 'polite' });
    this.root = h('section', { class: 'stack tech-check' },
      h('h1', {}, t('techcheck.title')),
      h('p', {}, t('techcheck.intro')),
      h('p', { class: 'hint' }, t('techcheck.private')),
      this.summary,
      h('p', { class: 'actions' }, this.startButton),
      this.steps);
    this.stepElements = this.makeSteps();
    this.draw();
  }

  /** Starts the check, or starts it again. The button's click lets the page make sound. */
  async start() {
    this.stop();
    const run = this.run;
    this.started = true;
    this.outcomes = { camera: null, microphone: null, speaker: null, connection: null };
    this.call = {};
    this.saveProblem = '';
    this.audio = new AudioContext();
    void this.audio.resume();
    this.draw();
    void this.testConnection().then((result) => {
      if (run !== this.run) return;
      this.call = result;
      this.found(run, 'connection', result.connection);
    });
    const media = await localMedia();
    if (run !== this.run) {
      for (const track of media.stream.getTracks()) track.stop();
      return;
    }
    this.stream = media.stream;
    if (media.camera) this.found(run, 'camera', media.camera);
    else {
      this.video.srcObject = new MediaStream(media.stream.getVideoTracks());
      this.video.hidden = false;
      void watchCamera(this.video).then((outcome) => this.found(run, 'camera', outcome));
    }
    if (media.microphone) this.found(run, 'microphone', media.microphone);
    else {
      const listening = listen(this.audio, new MediaStream(media.stream.getAudioTracks()), (level) => {
        this.level.style.width = `${Math.round(level * 100)}%`;
        this.meter.setAttribute('aria-valuenow', String(Math.round(level * 100)));
      });
      this.stopListening = listening.stop;
      void listening.heard.then((outcome) => {
        if (run === this.run) listening.stop();  // the meter goes with the outcome
        this.found(run, 'microphone', outcome);
      });
    }
    this.draw();
  }

  /**
   * A part's outcome, unless it comes from an earlier run or the part has one already.
   * @param {number} run @param {Part} part @param {Outcome} outcome
   */
  found(run, part, outcome) {
    if (run !== this.run || this.outcomes[part]) return;
    this.outcomes[part] = outcome;
    this.draw();
    void this.saveWhenDone();
  }

  /** @returns {Promise<{ connection: Outcome, route?: 'direct'|'relay', roundTripMilliseconds?: number }>} */
  async testConnection() {
    try {
      const ice = await api('GET', '/video/ice-servers');
      this.relayOffered = offersRelay(ice);
      return await testCall(ice);
    } catch {
      return { connection: 'failed' };
    }
  }

  /** Saves the report once every part has an outcome. */
  async saveWhenDone() {
    const { outcomes } = this;
    if (parts.some((part) => !outcomes[part])) return;
    const run = this.run;
    const report = { ...outcomes, ...(outcomes.connection === 'passed' ? this.call : {}) };
    try {
      const saved = await api('PUT', '/video/tech-check', report);
      if (run !== this.run) return;
      this.latest = saved;
      this.saveProblem = '';
      announce(saved.passed ? t('techcheck.all_passed') : t('techcheck.some_failed'));
    } catch (error) {
      if (run !== this.run) return;  // a new run has begun: its page is not this one's to mark
      this.saveProblem = messageFor(error);
    }
    this.draw();
  }

  /** Lets go of camera, microphone and sound. */
  stop() {
    this.run += 1;
    this.stopListening();
    this.stopListening = () => {};
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.video.srcObject = null;
    this.video.hidden = true;
    void this.audio?.close();
    this.audio = null;
  }

  draw() {
    const done = parts.every((part) => this.outcomes[part]);
    this.startButton.textContent = this.started ? t('techcheck.again') : t('techcheck.start');
    this.startButton.disabled = this.started && !done;
    const summary = [];
    if (this.latest && (!this.started || done)) {
      summary.push(notice(checkSummary(this.latest, { own: true }), this.latest.passed ? 'success' : 'warning'));
      if (account()?.role !== 'coach') summary.push(h('p', { class: 'hint' }, t('techcheck.coach_sees')));
    }
    if (this.saveProblem) summary.push(notice(this.saveProblem, 'warning'));
    if (this.started && !done) summary.push(notice(t('techcheck.running')));
    replaceChildren(this.summary, ...summary);
    for (const part of parts) this.drawStep(part);
  }

  /** The steps' elements, made once: the camera's picture keeps playing across redraws. */
  makeSteps() {
    /** @type {Map<Part, { item: HTMLElement, status: HTMLElement, hint: HTMLElement, extra: HTMLElement }>} */
    const steps = new Map();
    for (const part of parts) {
      const status = h('span', { class: 'tech-status' });
      const hint = h('p', { class: 'hint' });
      const extra = h('div', { class: 'tech-extra' }, part === 'camera' ? this.video : null);
      const item = h('li', { class: 'tech-step', 'data-part': part },
        h('div', { class: 'tech-head' }, h('h2', {}, t(`techcheck.part.${part}`)), status), hint, extra);
      this.steps.append(item);
      steps.set(part, { item, status, hint, extra });
    }
    return steps;
  }

  /** @param {Part} part */
  drawStep(part) {
    const step = /** @type {{ item: HTMLElement, status: HTMLElement, hint: HTMLElement, extra: HTMLElement }} */ (this.stepElements.get(part));
    const outcome = this.outcomes[part];
    step.item.className = `tech-step ${outcome ?? (this.started ? 'checking' : 'waiting')}`;
    step.status.textContent = !this.started ? t('techcheck.status.waiting')
      : outcome ? t(`techcheck.outcome.${outcome}`) : t('techcheck.status.checking');
    step.hint.textContent = this.explanation(part, outcome);
    if (part === 'microphone') replaceChildren(step.extra, this.started && !outcome && this.stream ? this.meter : null);
    // The buttons are made again only when they change, so a redraw does not take the focus from them.
    const speakerState = `${this.run}:${this.started}:${outcome}`;
    if (part === 'speaker' && step.extra.dataset.state !== speakerState) {
      step.extra.dataset.state = speakerState;
      replaceChildren(step.extra, ...this.speakerButtons(outcome));
    }
  }

  /** What the part checks, or what its outcome means and what to do. @param {Part} part @param {Outcome|null} outcome */
  explanation(part, outcome) {
    if (!outcome) return t(`techcheck.${part}.how`);
    if (part === 'connection' && outcome === 'passed') {
      const key = this.call.route === 'relay' ? 'techcheck.connection.relay' : this.relayOffered ? 'techcheck.connection.direct' : 'techcheck.connection.no_relay';
      return t(key, { ms: String(this.call.roundTripMilliseconds ?? 0) });
    }
    return t(`techcheck.${part}.${outcome}`);
  }

  /** The test sound and the person's answer to it. @param {Outcome|null} outcome */
  speakerButtons(outcome) {
    if (!this.started || outcome) return [];
    const run = this.run;
    const answer = (/** @type {Outcome} */ heard) => () => this.found(run, 'speaker', heard);
    return [h('p', { class: 'actions' },
      h('button', { type: 'button', onclick: () => this.audio && playTone(this.audio) }, t('techcheck.speaker.play')),
      h('button', { type: 'button', class: 'primary', onclick: answer('passed') }, t('techcheck.speaker.heard')),
      h('button', { type: 'button', onclick: answer('failed') }, t('techcheck.speaker.not_heard')),
      h('button', { type: 'button', class: 'link', onclick: answer('skipped') }, t('techcheck.speaker.skip')))];
  }
}
