// Runs under `node --test`: account keys, recovery keys and safety numbers in the browser's modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateAccountKeys,
  importAccountKeys,
  newRecoveryKey,
  parseRecoveryKey,
  recoveryKeyText,
  recoveryWrapKey,
  safetyNumber,
  unwrapScalars,
  wrapAccountKeys,
} from '../../Public/js/crypto/account-keys.js';
import { newConversationKey, sealMessage, openMessage, wrapConversationKey, unwrapConversationKey, importSigningPublicKey } from '../../Public/js/crypto/envelope.js';

const userId = '6f1c2a7e-0b5d-4c39-9a51-2d7e8f3b1c44';

test('wrapped account keys open only with the same wrap key and account', async () => {
  const { scalars, publicKeys } = await generateAccountKeys();
  const wrapKey = crypto.getRandomValues(new Uint8Array(32));
  const wrapped = await wrapAccountKeys(scalars, wrapKey, userId);
  assert.deepEqual(await unwrapScalars(wrapped, wrapKey, userId), scalars);
  await assert.rejects(unwrapScalars(wrapped, wrapKey, crypto.randomUUID()));
  await assert.rejects(unwrapScalars(wrapped, crypto.getRandomValues(new Uint8Array(32)), userId));
  const unlocked = await importAccountKeys(scalars, publicKeys);
  assert.equal(unlocked.signing.extractable, false);
});

test('a recovery key survives being written down and typed back, and unwraps the keys', async () => {
  const recovery = newRecoveryKey();
  const text = recoveryKeyText(recovery);
  assert.match(text, /^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
  assert.deepEqual(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' ')), recovery);
  assert.equal(parseRecoveryKey('ABCD-EFGH'), null);
  assert.equal(parseRecoveryKey('not base32!'), null);
  const { scalars } = await generateAccountKeys();
  const wrapped = await wrapAccountKeys(scalars, await recoveryWrapKey(recovery), userId);
  assert.deepEqual(await unwrapScalars(wrapped, await recoveryWrapKey(parseRecoveryKey(text) ?? new Uint8Array()), userId), scalars);
});

test('both people see the same 60-digit safety number; another key changes it', async () => {
  const a = (await generateAccountKeys()).publicKeys;
  const b = (await generateAccountKeys()).publicKeys;
  const number = await safetyNumber(a, b);
  assert.match(number, /^(\d{5} ){11}\d{5}$/);
  assert.equal(await safetyNumber(b, a), number);
  assert.notEqual(await safetyNumber(a, (await generateAccountKeys()).publicKeys), number);
});

test('a member opens a message with the key a distributor wrapped for them; a stranger cannot', async () => {
  const alice = await generateAccountKeys();
  const bob = await generateAccountKeys();
  const aliceKeys = await importAccountKeys(alice.scalars, alice.publicKeys);
  const bobKeys = await importAccountKeys(bob.scalars, bob.publicKeys);
  const conversation = crypto.randomUUID();
  const bobId = crypto.randomUUID();
  const aliceId = crypto.randomUUID();
  const raw = newConversationKey();
  const wrapped = await wrapConversationKey({ key: raw, member: bobId, memberAgreementKey: bob.publicKeys.agreementKey, conversation, epoch: 1, distributor: aliceId, signingKey: aliceKeys.signing });
  const aliceSigning = await importSigningPublicKey(alice.publicKeys.signingKey);
  const context = { conversation, member: bobId, agreementKey: bobKeys.agreement, agreementPoint: bob.publicKeys.agreementKey, distributorSigningKey: aliceSigning };
  const key = await unwrapConversationKey(wrapped, context);
  const envelope = await sealMessage({ kind: 'chat', text: 'Hallo', attachments: [] }, { id: crypto.randomUUID(), conversation, sender: aliceId, epoch: 1, key, signingKey: aliceKeys.signing });
  assert.equal((await openMessage(envelope, { key, senderSigningKey: aliceSigning })).text, 'Hallo');
  await assert.rejects(unwrapConversationKey({ ...wrapped, epoch: 2 }, context));
  await assert.rejects(unwrapConversationKey(wrapped, { ...context, member: aliceId }));
  await assert.rejects(openMessage({ ...envelope, sender: bobId }, { key, senderSigningKey: aliceSigning }));
});
