// @ts-check
import { day } from '../../core/format.js';
/**
 * The tech check's tests, without the page: a moving picture from the camera, sound from the microphone, a test tone
 * for the speakers, and a test call between two connections of this browser through the platform's STUN and TURN
 * servers. Nothing of the picture or the sound leaves the browser; only the outcomes are saved.
 */
import { t } from '../../core/i18n.js';
import { route } from './fingerprint.js';
import { loudness } from './media.js';

/** @typedef {import('./media.js').Outcome} Outcome */
/** @typedef {'camera'|'microphone'|'speaker'|'connection'} Part */
/**
 * @typedef {{ camera: Outcome, microphone: Outcome, speaker: Outcome, connection: Outcome, route?: 'direct'|'relay',
 *   roundTripMilliseconds?: number }} Report
 * @typedef {{ userId: string, report: Report, passed: boolean, checkedAt: string }} TechCheck
 */

/** The parts, in the order the page shows them. */
export const parts = /** @type {const} */ (['camera', 'microphone', 'speaker', 'connection']);
/** How long each test waits before it calls a part failed. */
export const waits = { camera: 10_000, microphone: 15_000, connection: 20_000 };
/** The loudness (0…1) that counts as sound, and how many readings of it the microphone must give. */
const heardLevel = 0.08;
const heardReadings = 3;

/**
 * Passes once the video element shows a few new frames: a camera that gives a still or black nothing fails.
 * @param {HTMLVideoElement} video showing the camera's stream
 * @returns {Promise<Outcome>}
 */
export function watchCamera(video) {
  return new Promise((resolve) => {
    let frames = 0;
    const timer = setTimeout(() => resolve('failed'), waits.camera);
    const seen = () => {
      frames += 1;
      if (frames < 3) return void video.requestVideoFrameCallback(seen);
      clearTimeout(timer);
      resolve('passed');
    };
    video.requestVideoFrameCallback(seen);
  });
}

/**
 * Listens to a microphone: reports its loudness 25 times a second, and passes once it heard sound a few times.
 * @param {AudioContext} context @param {MediaStream} stream with the microphone's track
 * @param {(level: number) => void} onLevel
 * @returns {{ heard: Promise<Outcome>, stop: () => void }}
 */
export function listen(context, stream, onLevel) {
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  // Windows of 2048 samples (about 43 ms) read every 40 ms leave no gaps: a short sound, such as the test browser's
  // 20 ms beep, falls into some window however the timer drifts under load.
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Uint8Array(analyser.fftSize);
  let loud = 0;
  /** @type {(outcome: Outcome) => void} */
  let settle = () => {};
  const heard = new Promise((resolve) => { settle = resolve; });
  const timer = setTimeout(() => settle('failed'), waits.microphone);
  const poll = setInterval(() => {
    analyser.getByteTimeDomainData(samples);
    const level = loudness(samples);
    onLevel(level);
    if (level >= heardLevel && (loud += 1) >= heardReadings) {
      clearTimeout(timer);
      settle('passed');
    }
  }, 40);
  return {
    heard: /** @type {Promise<Outcome>} */ (heard),
    stop: () => {
      clearInterval(poll);
      clearTimeout(timer);
      source.disconnect();
    },
  };
}

/**
 * Plays three rising notes, quietly, and resolves when they ended.
 * @param {AudioContext} context
 */
export function playTone(context) {
  const start = context.currentTime + 0.05;
  const notes = [523.25, 659.25, 783.99];
  const gain = context.createGain();
  gain.connect(context.destination);
  gain.gain.setValueAtTime(0, start);
  notes.forEach((frequency, index) => {
    const at = start + index * 0.4;
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    gain.gain.setTargetAtTime(0.25, at, 0.02);
    gain.gain.setTargetAtTime(0, at + 0.3, 0.03);
    oscillator.start(at);
    oscillator.stop(at + 0.4);
  });
  return new Promise((resolve) => setTimeout(resolve, (start - context.currentTime + notes.length * 0.4) * 1000));
}

/**
 * Whether the platform offers a TURN relay.
 * @param {{ iceServers: RTCIceServer[] }} ice
 */
export function offersRelay(ice) {
  return ice.iceServers.some((server) => [server.urls].flat().some((url) => /^turns?:/.test(url)));
}

/**
 * A test call between two connections of this browser. With a TURN server both may use only relayed addresses, so
 * the call proves the relay works, as calls from behind any NAT need it; without one, whatever ICE finds.
 * @param {import('./call.js').ICEConfiguration} ice the platform's servers, from `/video/ice-servers`
 * @returns {Promise<{ connection: Outcome, route?: 'direct'|'relay', roundTripMilliseconds?: number }>}
 */
export async function testCall(ice) {
  const configuration = { iceServers: ice.iceServers, iceTransportPolicy: offersRelay(ice) ? 'relay' : ice.iceTransportPolicy };
  const caller = new RTCPeerConnection(/** @type {RTCConfiguration} */ (configuration));
  const callee = new RTCPeerConnection(/** @type {RTCConfiguration} */ (configuration));
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  let timer;
  try {
    // A candidate can come before the other end has the description it belongs to: it waits until then.
    /** @type {Map<RTCPeerConnection, RTCIceCandidate[]>} */
    const waiting = new Map([[caller, []], [callee, []]]);
    for (const [from, to] of [[caller, callee], [callee, caller]]) {
      from.addEventListener('icecandidate', ({ candidate }) => {
        if (!candidate) return;
        if (to.remoteDescription) void to.addIceCandidate(candidate).catch(() => {});
        else waiting.get(to)?.push(candidate);
      });
    }
    /** @param {RTCPeerConnection} to @param {RTCPeerConnection} from */
    const describe = async (to, from) => {
      await to.setRemoteDescription(/** @type {RTCSessionDescription} */ (from.localDescription));
      for (const candidate of waiting.get(to)?.splice(0) ?? []) await to.addIceCandidate(candidate).catch(() => {});
    };
    callee.addEventListener('datachannel', ({ channel }) => {
      channel.addEventListener('message', ({ data }) => channel.send(data));
    });
    const channel = caller.createDataChannel('tech-check');
    const opened = new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
    await caller.setLocalDescription();
    await describe(callee, caller);
    await callee.setLocalDescription();
    await describe(caller, callee);
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), waits.connection); });
    if ((await Promise.race([opened, timedOut])) === 'timeout') return { connection: 'failed' };
    const trips = [];
    for (let ping = 0; ping < 5; ping += 1) {
      const sent = performance.now();
      const echoed = new Promise((resolve) => channel.addEventListener('message', resolve, { once: true }));
      channel.send(String(ping));
      if ((await Promise.race([echoed, timedOut])) === 'timeout') return { connection: 'failed' };
      trips.push(performance.now() - sent);
    }
    trips.sort((a, b) => a - b);
    const way = route(await caller.getStats());
    if (!way) return { connection: 'failed' };
    return { connection: 'passed', route: way, roundTripMilliseconds: Math.max(0, Math.round(trips[2])) };
  } finally {
    clearTimeout(timer);
    caller.close();
    callee.close();
  }
}

/**
 * One line on a person's latest check, for themselves (`own`) or for their coach.
 * @param {TechCheck|null} check @param {{ own: boolean, name?: string }} whose
 */
export function checkSummary(check, { own, name = '' }) {
  if (!check) return own ? t('techcheck.own_none') : t('techcheck.client_none', { name });
  const date = day(check.checkedAt);
  if (check.passed) return own ? t('techcheck.own_passed', { date }) : t('techcheck.client_passed', { name, date });
  const problems = parts.filter((part) => check.report[part] !== 'passed')
    .map((part) => t('techcheck.problem', { part: t(`techcheck.part.${part}`), outcome: t(`techcheck.outcome.${check.report[part]}`) }))
    .join('; ');
  return own ? t('techcheck.own_failed', { date, problems }) : t('techcheck.client_failed', { name, date, problems });
}
