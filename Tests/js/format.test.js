// Runs under `node --test`: how moments read in the interface — "Heute, 17:33" in chat, one style elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// What the browser gives i18n.js: storage, the document and the catalogues.
globalThis.localStorage = { getItem: () => null, setItem() {} };
globalThis.document = /** @type {any} */ ({ documentElement: {} });
globalThis.fetch = /** @type {any} */ (async (url) => ({
  ok: true, json: async () => JSON.parse(await readFile(new URL(`../../Public${url}`, import.meta.url), 'utf8')),
}));
const { setLanguage } = await import('../../Public/js/core/i18n.js');
const { moment, recently } = await import('../../Public/js/core/format.js');

test('recent moments say today or yesterday with the time and no seconds; older ones the date as everywhere', async () => {
  const now = new Date(2026, 11, 6, 18, 0);
  const at = (day, hours, minutes) => new Date(2026, 11, day, hours, minutes).toISOString();
  await setLanguage('de');
  assert.equal(recently(at(6, 17, 33), now), 'Heute, 17:33');
  assert.equal(recently(at(6, 0, 5), now), 'Heute, 00:05');
  assert.equal(recently(at(5, 9, 5), now), 'Gestern, 09:05');
  assert.equal(recently(at(4, 23, 59), now), moment(at(4, 23, 59)));
  assert.match(moment(at(4, 23, 59)), /^04\.12\.2026, 23:59$/);
  await setLanguage('en');
  assert.match(recently(at(6, 17, 33), now), /^Today, 0?5:33\s?PM$/);
  assert.match(recently(at(5, 9, 5), now), /^Yesterday, 0?9:05\s?AM$/);
  assert.equal(recently(null, now), '');
});
