// Runs under `node --test`: German and English catalogues say the same things.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';

const load = async (language) => JSON.parse(await readFile(new URL(`../../Public/i18n/${language}.json`, import.meta.url), 'utf8'));

test('de.json and en.json have the same keys, none empty', async () => {
  const [de, en] = await Promise.all([load('de'), load('en')]);
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
  for (const [key, value] of [...Object.entries(de), ...Object.entries(en)]) assert.ok(value.trim().length > 0, key);
});

test('every t("…") key used in the client exists in the catalogues', async () => {
  const en = await load('en');
  const files = await readdir(new URL('../../Public/js/', import.meta.url), { recursive: true });
  const missing = [];
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    const source = await readFile(new URL(`../../Public/js/${file}`, import.meta.url), 'utf8');
    for (const match of source.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) if (!(match[1] in en)) missing.push(`${file}: ${match[1]}`);
  }
  assert.deepEqual(missing, []);
});
