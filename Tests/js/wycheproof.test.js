// Runs under `node --test`: the WebCrypto primitives envelope.js relies on, against Project Wycheproof's vectors from
// the swift-crypto checkout (LotseCryptoTests/WycheproofTests reads the same files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const directory = new URL('../../.build/checkouts/swift-crypto/Tests/Test%20Vectors/', import.meta.url);
/** @param {string} name */
const load = async (name) => JSON.parse(await readFile(new URL(name, directory), 'utf8'));
/** @param {string} hex */
const bytes = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));

test('AES-256-GCM with 96-bit nonces matches every vector', async () => {
  const file = await load('aes_gcm_test.json');
  let checked = 0;
  for (const group of file.testGroups.filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128)) {
    for (const vector of group.tests) {
      const key = await crypto.subtle.importKey('raw', bytes(vector.key), 'AES-GCM', false, ['decrypt']);
      const opened = await crypto.subtle
        .decrypt({ name: 'AES-GCM', iv: bytes(vector.iv), additionalData: bytes(vector.aad) }, key, bytes(vector.ct + vector.tag))
        .then((plain) => Buffer.from(plain).toString('hex'), () => null);
      if (vector.result === 'valid') assert.equal(opened, vector.msg, `tcId ${vector.tcId}`);
      else if (vector.result === 'invalid') assert.equal(opened, null, `tcId ${vector.tcId}`);
      checked += 1;
    }
  }
  assert.ok(checked > 30);
});

test('ECDSA P-256 SHA-256 verifies exactly the valid signatures', async () => {
  const file = await load('ecdsa_secp256r1_sha256_p1363_test.json');
  let checked = 0;
  for (const group of file.testGroups) {
    const key = await crypto.subtle.importKey('raw', bytes(group.publicKey.uncompressed), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    for (const vector of group.tests.filter((t) => t.result !== 'acceptable')) {
      const signature = bytes(vector.sig);
      const valid =
        signature.length === 64 && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, bytes(vector.msg)).catch(() => false));
      assert.equal(valid, vector.result === 'valid', `tcId ${vector.tcId}`);
      checked += 1;
    }
  }
  assert.equal(checked, file.numberOfTests);
});

test('P-256 ECDH on raw points agrees on every valid vector and refuses invalid points', async () => {
  const file = await load('ecdh_secp256r1_ecpoint_test.json');
  let checked = 0;
  for (const vector of file.testGroups.flatMap((g) => g.tests).filter((t) => t.result !== 'acceptable')) {
    const scalar = bytes(vector.private.padStart(64, '0').slice(-64));
    const publicRaw = bytes(vector.public);
    // WebCrypto imports private keys only as JWK or PKCS#8; this PKCS#8 prefix wraps the bare scalar.
    const shared = await (async () => {
      const peer = await crypto.subtle.importKey('raw', publicRaw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
      const pkcs8 = new Uint8Array([
        ...bytes('308141020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420'),
        ...scalar,
      ]);
      const own = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
      return Buffer.from(await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, own, 256)).toString('hex');
    })().catch(() => null);
    if (vector.result === 'valid') assert.equal(shared, vector.shared, `tcId ${vector.tcId}`);
    else assert.equal(shared, null, `tcId ${vector.tcId}`);
    checked += 1;
  }
  assert.ok(checked > 200);
});
