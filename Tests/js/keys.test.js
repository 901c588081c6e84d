// Runs under `node --test`: the browser's key derivation against the independent reference vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fromBase64, toBase64 } from '../../Public/js/crypto/bytes.js';
import { derivePasswordKeys, newKDFParameters } from '../../Public/js/crypto/keys.js';

const vectors = JSON.parse(await readFile(new URL('../Fixtures/password-keys.json', import.meta.url), 'utf8'));

test('there are reference vectors', () => {
  assert.ok(vectors.length >= 3);
});

for (const vector of vectors) {
  test(`keys.js derives the reference keys for ${JSON.stringify(vector.password)}`, async () => {
    const keys = await derivePasswordKeys(vector.password, { algorithm: 'pbkdf2-sha256', iterations: vector.iterations, salt: vector.salt });
    assert.equal(keys.loginKey, vector.loginKey);
    assert.equal(toBase64(keys.wrapKey), vector.wrapKey);
  });
}

test('new parameters have a fresh 16-byte salt and 600,000 iterations', () => {
  const a = newKDFParameters();
  const b = newKDFParameters();
  assert.equal(fromBase64(a.salt).length, 16);
  assert.notEqual(a.salt, b.salt);
  assert.equal(a.iterations, 600_000);
});

test('an unknown algorithm is refused', async () => {
  await assert.rejects(derivePasswordKeys('pw', { algorithm: 'md5', iterations: 1, salt: 'AAAA' }));
});
