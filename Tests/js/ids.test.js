// Runs under `node --test`: message IDs are time-ordered (UUID version 7), other IDs random.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newID, newMessageID, uuidBytes } from '../../Public/js/crypto/bytes.js';

test('a message ID is a version 7 UUID in the server spelling, its first 48 bits the time', () => {
  const now = Date.UTC(2026, 11, 7, 14, 33, 31, 123);
  const id = newMessageID(now);
  assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{4}-7[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  const bytes = uuidBytes(id);
  assert.equal(bytes.slice(0, 6).reduce((time, byte) => time * 256 + byte, 0), now);
});

test('message IDs sort as text in the order they were made, and never repeat', () => {
  const start = Date.now();
  const ids = Array.from({ length: 2000 }, (_, index) => newMessageID(start + index));
  assert.deepEqual([...ids].sort(), ids);
  const sameMoment = Array.from({ length: 2000 }, () => newMessageID(start));
  assert.equal(new Set(sameMoment).size, sameMoment.length);
});

test('other IDs stay random: version 4, no time in them', () => {
  assert.match(newID(), /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
});
