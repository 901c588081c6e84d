// @ts-check
/**
 * Before entering a call: one's own picture, the microphone's level, microphone and camera on or off, and which
 * camera, microphone and speaker to use — then into the call (the coach) or its waiting room (clients).
 */
import { h, removeWhenGone, replaceChildren } from '../../core/dom.js';
import { notice } from '../../core/forms.js';
import { t } from '../../core/i18n.js';
import { camera, mediaProblem } from './media.js';
import { listen } from './tech-check.js';

/**
 * @typedef {{ audio: boolean, video: boolean, speaker: string|null }} JoinChoices what the person chose before joining
 */

/**
 * The pre-join screen. `join` runs with the choices when the person presses the button; until then the stream is
 * only shown here. The chosen devices replace the stream's tracks in place.
 * @param {{ title: string, isCoach: boolean, coachName: string, media: import('./media.js').LocalMedia,
 *   join: (choices: JoinChoices) => void }} options
 */
export function preJoin({ title, isCoach, coachName, media, join }) {
  const { stream } = media;
  /** @type {JoinChoices} */
  const choices = { audio: true, video: true, speaker: null };
  const video = /** @type {HTMLVideoElement} */ (h('video', { autoplay: true, playsinline: true, class: 'own' }));
  video.muted = true;
  video.srcObject = stream;
  const cameraOff = h('p', { class: 'camera-off', hidden: true }, t('prejoin.camera_is_off'));
  const meter = /** @type {HTMLMeterElement} */ (h('meter', { min: '0', max: '1', value: '0', 'aria-label': t('prejoin.level') }));
  const switches = h('div', { class: 'call-controls', role: 'group', 'aria-label': t('call.controls') });
  const pickers = h('div', { class: 'device-pickers' });
  const problem = mediaProblem(media);

  /** @param {'audio'|'video'} kind */
  const has = (kind) => stream.getTracks().some((track) => track.kind === kind);
  const drawSwitches = () => {
    /** @param {'audio'|'video'} kind */
    const toggle = (kind) => {
      if (!has(kind)) return h('button', { type: 'button', class: 'off', disabled: true }, t(`call.${kind}.none`));
      const on = choices[kind];
      return h('button', { type: 'button', class: on ? null : 'off', 'aria-pressed': String(!on), onclick: () => {
        choices[kind] = !on;
        for (const track of stream.getTracks()) if (track.kind === kind) track.enabled = choices[kind];
        drawSwitches();
      } }, t(`prejoin.${kind}_off`));
    };
    replaceChildren(switches, toggle('audio'), toggle('video'));
    cameraOff.hidden = has('video') && choices.video;
  };

  /**
   * Takes another camera or microphone: the new track replaces the old one in the stream.
   * @param {'audio'|'video'} kind @param {string} deviceId
   */
  const use = async (kind, deviceId) => {
    const constraints = kind === 'video' ? { video: { ...camera, deviceId: { exact: deviceId } } } : { audio: { deviceId: { exact: deviceId } } };
    const fresh = (await navigator.mediaDevices.getUserMedia(constraints)).getTracks()[0];
    for (const old of stream.getTracks().filter((track) => track.kind === kind)) {
      stream.removeTrack(old);
      old.stop();
    }
    fresh.enabled = choices[kind];
    stream.addTrack(fresh);
    video.srcObject = stream;
    if (kind === 'audio') listenToMicrophone();
  };

  const drawPickers = async () => {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const current = Object.fromEntries(stream.getTracks().map((track) => [track.kind, track.getSettings().deviceId]));
    /** @param {MediaDeviceKind} kind @param {string} label @param {(id: string) => void} chosen @param {string|undefined} value */
    const picker = (kind, label, chosen, value) => {
      const found = devices.filter((device) => device.kind === kind && device.deviceId);
      if (found.length === 0) return null;
      const id = `prejoin-${kind}`;
      const select = h('select', { id, onchange: (/** @type {Event} */ event) => chosen(/** @type {HTMLSelectElement} */ (event.target).value) },
        ...found.map((device, index) => h('option', { value: device.deviceId, selected: device.deviceId === value },
          device.label || t('prejoin.device', { number: String(index + 1) }))));
      return h('div', { class: 'field' }, h('label', { for: id }, label), select);
    };
    const canPickSpeaker = 'setSinkId' in HTMLMediaElement.prototype;
    replaceChildren(pickers,
      has('video') ? picker('videoinput', t('prejoin.camera'), (id) => void use('video', id), current.video) : null,
      has('audio') ? picker('audioinput', t('prejoin.microphone'), (id) => void use('audio', id), current.audio) : null,
      canPickSpeaker ? picker('audiooutput', t('prejoin.speaker'), (id) => { choices.speaker = id; }, 'default') : null);
  };

  // The level, as the tech check measures it (its `listen`), of whichever microphone is in use now.
  /** @type {AudioContext|null} */
  let audio = null;
  /** @type {(() => void)|null} */
  let stopListening = null;
  const listenToMicrophone = () => {
    stopListening?.();
    stopListening = null;
    const track = stream.getAudioTracks()[0];
    if (!track) return;
    try {
      audio ??= new AudioContext();
      stopListening = listen(audio, new MediaStream([track]), (level) => { meter.value = choices.audio ? level : 0; }).stop;
    } catch {
      // No level then; the call works without it.
    }
  };
  const stopMeter = () => {
    stopListening?.();
    stopListening = null;
    void audio?.close();
    audio = null;
  };

  const enter = h('button', { type: 'button', class: 'primary', onclick: () => {
    stopMeter();
    join(choices);
  } }, t(isCoach ? 'prejoin.join_coach' : 'prejoin.join_client'));
  drawSwitches();
  void drawPickers();
  listenToMicrophone();
  const screen = h('section', { class: 'stack prejoin' },
    h('h1', {}, title),
    problem ? notice(problem, 'warning') : null,
    problem ? h('p', {}, h('a', { href: '/tech-check', 'data-link': true }, t('call.tech_check'))) : null,
    h('div', { class: 'card prejoin-card' },
      h('figure', { class: 'tile own-tile prejoin-preview' }, video, cameraOff, h('figcaption', {}, t('call.you'))),
      h('div', { class: 'prejoin-side' },
        h('p', { class: 'lead' }, t(isCoach ? 'prejoin.lead_coach' : 'prejoin.lead_client', { coach: coachName })),
        has('audio') ? h('p', { class: 'level' }, h('span', {}, t('prejoin.level')), meter) : null,
        switches, pickers,
        h('div', { class: 'actions' }, enter))));
  removeWhenGone(screen, stopMeter);  // left without joining
  return screen;
}
