// Runs under `node --test`: call signals sealed and opened as two browsers do, and the checks of who is at the
// other end of a call (fingerprints in SDP and in getStats, the safety code, relay or direct).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importAESKey, newID } from '../../Public/js/crypto/bytes.js';
import { openSignal, sealSignal } from '../../Public/js/crypto/call.js';
import { remoteCertificateFingerprint, route, safetyCode, sdpFingerprint } from '../../Public/js/features/video/fingerprint.js';

const fingerprint = 'sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const sdp = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=fingerprint:${fingerprint.toLowerCase().replace('SHA', 'sha')}`,
  'm=video 9 UDP/TLS/RTP/SAVPF 96', `a=fingerprint:${fingerprint}`, ''].join('\r\n');

async function context() {
  const signing = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const key = await importAESKey(crypto.getRandomValues(new Uint8Array(32)));
  return { signing, key, engagement: newID(), from: newID(), to: newID(), author: newID() };
}

test('a sealed offer opens for the other peer, compressed, with nothing readable on the wire', async () => {
  const { signing, key, engagement, from, to, author } = await context();
  const content = { kind: 'offer', sdp: sdp.repeat(20), fingerprint, connection: newID() };
  const signal = await sealSignal(content, { id: newID(), engagement, from, to, author, epoch: 3, key, signingKey: signing.privateKey });
  assert.equal(signal.epoch, 3);
  assert.equal('author' in signal, false, 'the server fills in the author');
  assert.ok(signal.ciphertext.length < content.sdp.length / 4, 'the description is compressed before sealing');
  assert.doesNotMatch(atob(signal.ciphertext), /fingerprint|UDP\/TLS/);
  assert.deepEqual(await openSignal({ ...signal, author }, { key, authorSigningKey: signing.publicKey }), content);
});

test('a signal redirected, re-attributed, re-keyed or altered does not open', async () => {
  const { signing, key, engagement, from, to, author } = await context();
  const content = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0' }, connection: newID() };
  const signal = { ...(await sealSignal(content, { id: newID(), engagement, from, to, author, epoch: 1, key, signingKey: signing.privateKey })), author };
  const other = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const flipped = atob(signal.ciphertext).split('');
  flipped[20] = String.fromCharCode(flipped[20].charCodeAt(0) ^ 1);
  const cases = [
    [{ ...signal, to: newID() }, signing.publicKey],
    [{ ...signal, from: newID() }, signing.publicKey],
    [{ ...signal, author: newID() }, signing.publicKey],
    [{ ...signal, epoch: 2 }, signing.publicKey],
    [{ ...signal, ciphertext: btoa(flipped.join('')) }, signing.publicKey],
    [signal, other.publicKey],
  ];
  for (const [changed, authorSigningKey] of cases) {
    await assert.rejects(openSignal(changed, { key, authorSigningKey }));
  }
  assert.deepEqual(await openSignal(signal, { key, authorSigningKey: signing.publicKey }), content);
});

test('the fingerprint of an SDP is read alike from every section, and refused when sections disagree', () => {
  assert.equal(sdpFingerprint(sdp), fingerprint);
  const disagreeing = sdp.replace(`a=fingerprint:${fingerprint}`, `a=fingerprint:${fingerprint.slice(0, -2)}88`);
  assert.notEqual(disagreeing, sdp);
  assert.equal(sdpFingerprint(disagreeing), null);
  assert.equal(sdpFingerprint('v=0\r\n'), null);
});

test('the certificate met in DTLS and the route come from getStats', () => {
  const stats = new Map(Object.entries({
    T: { type: 'transport', remoteCertificateId: 'R', localCertificateId: 'L', selectedCandidatePairId: 'P' },
    R: { type: 'certificate', fingerprint: 'ab:cd', fingerprintAlgorithm: 'SHA-256' },
    L: { type: 'certificate', fingerprint: '11:22', fingerprintAlgorithm: 'sha-256' },
    P: { type: 'candidate-pair', localCandidateId: 'A', remoteCandidateId: 'B' },
    A: { type: 'local-candidate', candidateType: 'host' },
    B: { type: 'remote-candidate', candidateType: 'relay' },
  }));
  assert.equal(remoteCertificateFingerprint(stats), 'sha-256 AB:CD');
  assert.equal(route(stats), 'relay');
  stats.set('B', { type: 'remote-candidate', candidateType: 'srflx' });
  assert.equal(route(stats), 'direct');
  stats.delete('R');
  assert.equal(remoteCertificateFingerprint(stats), null, 'before the handshake');
});

test('both ends compute the same six-digit safety code; another certificate gives another code', async () => {
  const mine = 'sha-256 11:22', theirs = 'sha-256 AB:CD';
  const code = await safetyCode(mine, theirs);
  assert.match(code, /^\d{3} \d{3}$/);
  assert.equal(await safetyCode(theirs, mine), code);
  assert.notEqual(await safetyCode(mine, 'sha-256 AB:CE'), code);
});
