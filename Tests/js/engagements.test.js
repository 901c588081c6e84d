// Runs under `node --test`: what coaches type into the engagement forms becomes the API's plain values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minorUnits } from '../../Public/js/core/format.js';
import { otherPeople, slugFrom } from '../../Public/js/features/engagements/format.js';

test('amounts in German or English notation become minor units; anything else is refused', () => {
  assert.equal(minorUnits('120'), 12_000);
  assert.equal(minorUnits('120,50'), 12_050);
  assert.equal(minorUnits(' 1 200.5 '), 120_050);
  assert.equal(minorUnits('0.07'), 7);
  for (const bad of ['', '12,345', '-5', 'zehn', '1e3']) assert.equal(minorUnits(bad), null, bad);
});

test('the other people of an engagement, without oneself, by name', () => {
  const person = (userId, displayName) => ({ userId, displayName });
  const engagement = { coach: person('c', 'Carla'), clients: [person('b', 'Ben'), person('a', 'Anna')] };
  assert.equal(otherPeople(/** @type {any} */ (engagement), 'c'), 'Anna, Ben');
  assert.equal(otherPeople(/** @type {any} */ (engagement), 'a'), 'Ben, Carla');
});

test('a page address from a name: lower case, umlauts spelled out, dashes between words', () => {
  assert.equal(slugFrom('Carla Coach'), 'carla-coach');
  assert.equal(slugFrom('Jörg Müller-Lüdenscheidt'), 'joerg-mueller-luedenscheidt');
  assert.equal(slugFrom('  Dr. Anna Maria Straße! '), 'dr-anna-maria-strasse');
  assert.equal(slugFrom('Zoë Çelik'), 'zoe-celik');
  assert.equal(slugFrom('x'.repeat(80)).length, 60);
  assert.equal(slugFrom('---'), '');
});
