// Runs under `node --test`: the export's ZIP writer, read back by Python's zipfile (another implementation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32 as zlibCRC } from 'node:zlib';
import { crc32, ZipEntry, ZipWriter } from '../../Public/js/features/privacy/zip.js';

test('CRC-32 matches zlib, also when continued over pieces', () => {
  const bytes = new Uint8Array(randomBytes(100_000));
  assert.equal(crc32(0, bytes), zlibCRC(bytes));
  assert.equal(crc32(crc32(0, bytes.subarray(0, 33_333)), bytes.subarray(33_333)), zlibCRC(bytes));
  assert.equal(crc32(0, new Uint8Array()), 0);
});

test('an archive written in pieces opens in another implementation with every name and byte intact', async () => {
  const zip = new ZipWriter(new Date(2026, 11, 6, 14, 30, 10));
  const streamed = new ZipEntry('lotse-export.json');
  const pages = ['{"messages":[', '{"text":"Grüße, Małgorzata 👋"}', ',{"text":"zwei"}', ']}'];
  for (const page of pages) streamed.write(page);
  zip.add(streamed);
  const binary = new Uint8Array(randomBytes(300_000));
  zip.addFile('attachments/Übung.pdf', binary);
  zip.addFile(zip.uniqueName('attachments/Übung.pdf'), 'second');
  zip.addFile(zip.uniqueName('attachments/README'), 'no extension');
  zip.addFile(zip.uniqueName('attachments/README'), 'again');
  zip.addFile('empty.txt', '');
  const blob = zip.finish();
  assert.equal(blob.type, 'application/zip');

  const file = join(mkdtempSync(join(tmpdir(), 'lotse-zip-')), 'export.zip');
  writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
  const read = JSON.parse(execFileSync('python3', ['-c', `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    assert archive.testzip() is None
    print(json.dumps({info.filename: [base64.b64encode(archive.read(info)).decode(), list(info.date_time)] for info in archive.infolist()}))
`, file]).toString());
  assert.deepEqual(Object.keys(read), ['lotse-export.json', 'attachments/Übung.pdf', 'attachments/Übung (2).pdf', 'attachments/README', 'attachments/README (2)', 'empty.txt']);
  const text = (/** @type {string} */ name) => Buffer.from(read[name][0], 'base64').toString('utf8');
  assert.deepEqual(JSON.parse(text('lotse-export.json')), { messages: [{ text: 'Grüße, Małgorzata 👋' }, { text: 'zwei' }] });
  assert.deepEqual(new Uint8Array(Buffer.from(read['attachments/Übung.pdf'][0], 'base64')), binary);
  assert.equal(text('attachments/Übung (2).pdf'), 'second');
  assert.equal(text('attachments/README (2)'), 'again');
  assert.equal(text('empty.txt'), '');
  assert.deepEqual(read['empty.txt'][1], [2026, 12, 6, 14, 30, 10]);
});
