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
