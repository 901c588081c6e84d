// Runs under `node --test`: how the browser keeps a conversation's history complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contiguousUpTo, mergeMessages } from '../../Public/js/features/messaging/session.js';

/** @param {number} seq */
const message = (seq) => ({ id: `m${seq}`, conversation: 'c', sender: 's', epoch: 1, seq, ciphertext: '', signature: '', attachments: [], sentAt: '' });

test('merging keeps sequence order and drops what is already there', () => {
  const merged = mergeMessages([message(1), message(3)], [message(2), message(3), message(5)]);
  assert.deepEqual(merged.map((m) => m.seq), [1, 2, 3, 5]);
});

test('the complete prefix stops at the first gap, so the device knows where to catch up from', () => {
  const list = [message(4), message(5), message(7)];
  assert.equal(contiguousUpTo(list, 3), 5);
  assert.equal(contiguousUpTo(list, 0), 0);
  assert.equal(contiguousUpTo([], 9), 9);
  assert.equal(contiguousUpTo(mergeMessages(list, [message(6)]), 3), 7);
});

test('after a reset without the recovery key, what the old keys signed still opens, and the change is shown', async () => {
  const { generateAccountKeys, importAccountKeys } = await import('../../Public/js/crypto/account-keys.js');
  const { importAESKey } = await import('../../Public/js/crypto/bytes.js');
  const { newConversationKey, sealMessage } = await import('../../Public/js/crypto/envelope.js');
  const { ConversationSession } = await import('../../Public/js/features/messaging/session.js');
  const unlock = async () => {
    const made = await generateAccountKeys();
    return importAccountKeys(made.scalars, made.publicKeys);
  };
  const [me, samBefore, samAfter] = [await unlock(), await unlock(), await unlock()];
  const ME = '11111111-1111-4111-8111-111111111111';
  const SAM = '22222222-2222-4222-8222-222222222222';
  const conversation = {
    id: '6F9619FF-8B86-D011-B42D-00C04FC964FF', creator: ME, epoch: 1, needsNewKey: false, lastSeq: 2,
    createdAt: '2026-11-01T10:00:00Z', formerMembers: [],
    members: [
      { userId: ME, displayName: 'Me', ...me.publicKeys, deliveredSeq: 0, readSeq: 0,
        keyHistory: [{ version: 1, ...me.publicKeys, validFrom: '2026-10-01T00:00:00Z' }] },
      { userId: SAM, displayName: 'Sam', ...samAfter.publicKeys, deliveredSeq: 0, readSeq: 0,
        keyHistory: [
          { version: 1, ...samBefore.publicKeys, validFrom: '2026-10-01T00:00:00Z', validUntil: '2026-11-05T12:00:00Z' },
          { version: 2, ...samAfter.publicKeys, validFrom: '2026-11-05T12:00:00Z' },
        ] },
    ],
  };
  const session = new ConversationSession(/** @type {any} */ (conversation), ME, me);
  const key = await importAESKey(newConversationKey());
  session.epochKeys.set(1, key);
  const seal = async (/** @type {string} */ text, /** @type {CryptoKey} */ signingKey, /** @type {number} */ seq, /** @type {string} */ sentAt) => ({
    ...(await sealMessage({ kind: 'chat', text, attachments: [] }, { id: `00000000-0000-4000-8000-00000000000${seq}`, conversation: conversation.id, sender: SAM, epoch: 1, key, signingKey })),
    seq, attachments: [], sentAt,
  });
  const before = await session.open(await seal('before the reset', samBefore.signing, 1, '2026-11-02T09:00:00Z'));
  const after = await session.open(await seal('after the reset', samAfter.signing, 2, '2026-11-06T09:00:00Z'));
  assert.equal(before.content?.text, 'before the reset');
  assert.equal(after.content?.text, 'after the reset');
  // A key nobody in the history ever had is still refused.
  const stranger = await unlock();
  const forged = await session.open(await seal('forged', stranger.signing, 3, '2026-11-06T10:00:00Z'));
  assert.equal(forged.content, null);
  assert.equal(forged.problem, 'messaging.unverifiable');
  // A message stored in the very second the old version ended (times are whole seconds) is still Sam's old key's.
  const sameSecond = await session.open(await seal('same second', samBefore.signing, 5, '2026-11-05T12:00:00Z'));
  assert.equal(sameSecond.content?.text, 'same second');
  // Nor does Sam's old key sign anything dated after it ended (a server cannot move a message into another version).
  const late = await session.open(await seal('late', samBefore.signing, 4, '2026-11-06T11:00:00Z'));
  assert.equal(late.content, null);
  assert.deepEqual(session.keyChanges(), [{ userId: SAM, displayName: 'Sam', at: '2026-11-05T12:00:00Z' }]);
});

test('a browser notices when the server rewrites a key version it saw before, and keeps saying so', async () => {
  const { ConversationSession } = await import('../../Public/js/features/messaging/session.js');
  const store = new Map();
  const storage = { getItem: (/** @type {string} */ key) => store.get(key) ?? null, setItem: (/** @type {string} */ key, /** @type {string} */ value) => void store.set(key, value) };
  const version = (/** @type {number} */ n, /** @type {string} */ point) => ({ version: n, agreementKey: `A${point}`, signingKey: `S${point}`, validFrom: '2026-11-01T00:00:00Z' });
  const session = (/** @type {any[]} */ history) =>
    new ConversationSession(/** @type {any} */ ({ id: 'c', members: [{ userId: 'SAM', displayName: 'Sam', keyHistory: history }], formerMembers: [] }), 'ME', /** @type {any} */ ({}));
  assert.deepEqual(session([version(1, 'one')]).rewrittenHistories(storage), []);
  // A new version is what a reset looks like: fine.
  assert.deepEqual(session([version(1, 'one'), version(2, 'two')]).rewrittenHistories(storage), []);
  // Version 1 replaced, or gone: the server rewrote what this browser saw.
  assert.deepEqual(session([version(1, 'forged'), version(2, 'two')]).rewrittenHistories(storage), ['SAM']);
  assert.deepEqual(session([version(2, 'two')]).rewrittenHistories(storage), ['SAM']);
  // Once the record is what this browser saw again, the warning ends.
  assert.deepEqual(session([version(1, 'one'), version(2, 'two')]).rewrittenHistories(storage), []);
  // Storage that refuses (a locked-down browser) means nothing to compare with, and no error.
  const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
  assert.deepEqual(session([version(1, 'x')]).rewrittenHistories(refusing), []);
});
