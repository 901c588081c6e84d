// @ts-check
/**
 * The camera and microphone, shared by the call page and the tech check: as much of them as the browser allows, and
 * for each one that could not be had, why (in the tech check's words: denied, missing, failed).
 */
import { t } from '../../core/i18n.js';

/** @typedef {'passed'|'failed'|'denied'|'missing'|'skipped'} Outcome */
/** @typedef {{ stream: MediaStream, camera: Outcome|null, microphone: Outcome|null }} LocalMedia */

/** What the camera is asked for: a picture good enough for a face at 720p. */
export const camera = { width: { ideal: 1280 }, height: { ideal: 720 } };

/**
 * What a refusal from `getUserMedia` means for the device asked for.
 * @param {unknown} error
 * @returns {'denied'|'missing'|'failed'}
 */
export function outcomeOf(error) {
  const name = error && typeof error === 'object' && 'name' in error ? String(/** @type {{ name: unknown }} */ (error).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  return 'failed';
}

/**
 * Asks for camera and microphone together (one question to the person), and when that fails, for each alone: a
 * missing camera need not cost the microphone. `camera`/`microphone` are null when the device was had.
 * @param {MediaDevices} [devices]
 * @returns {Promise<LocalMedia>}
 */
export async function localMedia(devices = navigator.mediaDevices) {
  try {
    return { stream: await devices.getUserMedia({ audio: true, video: camera }), camera: null, microphone: null };
  } catch (error) {
    const both = outcomeOf(error);
    // Asking again after a refusal would only be refused again (or ask the person twice).
    if (both === 'denied') return { stream: new MediaStream(), camera: 'denied', microphone: 'denied' };
    const stream = new MediaStream();
    /** @param {MediaStreamConstraints} constraints */
    const alone = async (constraints) => {
      try {
        for (const track of (await devices.getUserMedia(constraints)).getTracks()) stream.addTrack(track);
        return null;
      } catch (error) {
        return outcomeOf(error);
      }
    };
    return { stream, camera: await alone({ video: camera }), microphone: await alone({ audio: true }) };
  }
}

/**
 * What the call page tells a person whose camera or microphone could not be had, or null when both are there.
 * @param {{ camera: Outcome|null, microphone: Outcome|null }} media
 */
export function mediaProblem({ camera, microphone }) {
  if (camera === 'denied' || microphone === 'denied') return t('call.media_denied');
  if (camera === 'failed' || microphone === 'failed') return t('call.media_busy');
  if (camera && microphone) return t('call.no_devices');
  if (camera) return t('call.no_camera');
  if (microphone) return t('call.no_microphone');
  return null;
}

/**
 * The loudness of a stretch of sound as 0…1: its root mean square, scaled so ordinary speech near the microphone
 * fills most of the meter. `samples` are the analyser's time-domain bytes, 128 being silence.
 * @param {Uint8Array} samples
 */
export function loudness(samples) {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += ((sample - 128) / 128) ** 2;
  return Math.min(1, Math.sqrt(sum / samples.length) * 4);
}
