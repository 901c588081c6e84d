// Runs under `node --test`: coalesced refreshes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesced } from '../../Public/js/core/coalesce.js';

test('a burst of calls while one run is in flight costs one more run, which starts after it', async () => {
  const log = [];
  let release = () => {};
  let runs = 0;
  const refresh = coalesced(async () => {
    const run = ++runs;
    log.push(`start ${run}`);
    if (run === 1) await new Promise((resolve) => { release = resolve; });
    log.push(`end ${run}`);
  });
  const first = refresh();
  const burst = Array.from({ length: 50 }, () => refresh());
  assert.equal(runs, 1);
  release();
  await Promise.all([first, ...burst]);
  assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'end 2']);
  await refresh();
  assert.equal(runs, 3);
});

test('a failed run does not stop the one asked for after it', async () => {
  let runs = 0;
  const refresh = coalesced(async () => {
    runs += 1;
    await Promise.resolve();
    if (runs === 1) throw new Error('offline');
  });
  const first = refresh();
  const second = refresh();
  await assert.rejects(first);
  await second;
  assert.equal(runs, 2);
});
