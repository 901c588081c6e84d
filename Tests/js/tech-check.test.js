// Runs under `node --test`: the tech check's pure parts — what a refused camera or microphone means, how loud a
// stretch of sound is, whether the platform offers a relay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loudness, mediaProblem, outcomeOf } from '../../Public/js/features/video/media.js';
import { offersRelay } from '../../Public/js/features/video/tech-check.js';

test('a refusal from getUserMedia reads as denied, missing or failed', () => {
  const refusal = (name) => new DOMException('no', name);
  assert.equal(outcomeOf(refusal('NotAllowedError')), 'denied');
  assert.equal(outcomeOf(refusal('SecurityError')), 'denied');
  assert.equal(outcomeOf(refusal('NotFoundError')), 'missing');
  assert.equal(outcomeOf(refusal('OverconstrainedError')), 'missing');
  assert.equal(outcomeOf(refusal('NotReadableError')), 'failed');
  assert.equal(outcomeOf(refusal('AbortError')), 'failed');
  assert.equal(outcomeOf(new TypeError('no media devices here')), 'failed');
  assert.equal(outcomeOf(undefined), 'failed');
});

test('the call page names the worst of what went wrong, and nothing when both devices are there', () => {
  assert.equal(mediaProblem({ camera: null, microphone: null }), null);
  assert.equal(mediaProblem({ camera: 'denied', microphone: 'denied' }), 'call.media_denied');
  assert.equal(mediaProblem({ camera: 'missing', microphone: 'denied' }), 'call.media_denied');
  assert.equal(mediaProblem({ camera: 'failed', microphone: null }), 'call.media_busy');
  assert.equal(mediaProblem({ camera: 'missing', microphone: 'missing' }), 'call.no_devices');
  assert.equal(mediaProblem({ camera: 'missing', microphone: null }), 'call.no_camera');
  assert.equal(mediaProblem({ camera: null, microphone: 'missing' }), 'call.no_microphone');
});

test('silence is 0, a full-scale square wave fills the meter, a quiet sine stays low but above the threshold', () => {
  assert.equal(loudness(new Uint8Array(512).fill(128)), 0);
  assert.equal(loudness(new Uint8Array(0)), 0);
  assert.equal(loudness(Uint8Array.from({ length: 512 }, (_, i) => (i % 2 ? 0 : 255))), 1);
  // A sine of amplitude 0.05 (−26 dBFS): RMS 0.035, times four 0.14.
  const quiet = Uint8Array.from({ length: 1024 }, (_, i) => Math.round(128 + 0.05 * 128 * Math.sin((i / 1024) * 2 * Math.PI * 20)));
  assert.ok(Math.abs(loudness(quiet) - 0.14) < 0.02, String(loudness(quiet)));
  // A hum of one step either side of silence stays under the 0.08 that counts as sound.
  assert.ok(loudness(Uint8Array.from({ length: 512 }, (_, i) => (i % 2 ? 127 : 129))) < 0.08);
});

test('a relay is offered when any server has a turn: or turns: address', () => {
  assert.equal(offersRelay({ iceServers: [] }), false);
  assert.equal(offersRelay({ iceServers: [{ urls: 'stun:stun.example.org:3478' }] }), false);
  assert.equal(offersRelay({ iceServers: [{ urls: ['stun:a.example'] }, { urls: ['turn:a.example?transport=udp'], username: 'u', credential: 'c' }] }), true);
  assert.equal(offersRelay({ iceServers: [{ urls: 'turns:a.example:5349' }] }), true);
  assert.equal(offersRelay({ iceServers: [{ urls: ['https://turn.example'] }] }), false);
});
