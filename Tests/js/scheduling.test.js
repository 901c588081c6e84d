// Runs under `node --test`: scheduling's times as a viewer in another zone sees them, and the hours coaches type.
// The viewer's zone is the process's (`TZ`), as it is the browser's in the web client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, byDay, clock, dayKey, fromLocalInput, localInput, parseExceptions, parseHours, period, weekStart, zoneName } from '../../Public/js/features/scheduling/time.js';
import { isJoinable } from '../../Public/js/features/scheduling/bookings.js';

/** Runs `body` as a viewer in `zone`. */
function inZone(zone, body) {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    body();
  } finally {
    process.env.TZ = before;
  }
}

test('free starts group by the viewer’s day, not the coach’s', () => {
  const starts = ['2026-12-08T14:00:00Z', '2026-12-08T04:30:00Z', '2026-12-08T09:00:00Z'].map((text) => new Date(text));
  const byStart = (/** @type {Date[]} */ instants) => byDay(instants, (instant) => instant);
  inZone('America/New_York', () => {
    assert.deepEqual(byStart(starts).map(({ day, items: times }) => [day, times.length]), [['2026-12-07', 1], ['2026-12-08', 2]]);
  });
  inZone('Asia/Kolkata', () => {
    assert.deepEqual(byStart(starts).map(({ day, items: times }) => [day, times.map((time) => time.toISOString())]),
      [['2026-12-08', ['2026-12-08T04:30:00.000Z', '2026-12-08T09:00:00.000Z', '2026-12-08T14:00:00.000Z']]]);
  });
});

test('a week starts on the viewer’s Monday and spans a DST change at the same wall-clock time', () => {
  inZone('Europe/Berlin', () => {
    const monday = weekStart(new Date('2026-03-29T12:00:00Z')); // Sunday, the day clocks go forward
    assert.equal(monday.toISOString(), '2026-03-22T23:00:00.000Z');
    const next = addDays(monday, 7);
    assert.equal(next.toISOString(), '2026-03-29T22:00:00.000Z'); // 6 days 23 hours later
    assert.equal(dayKey(next), '2026-03-30');
  });
  inZone('Australia/Lord_Howe', () => {
    // Lord Howe moves by 30 minutes on 2026-10-04 at 02:00.
    const before = new Date('2026-10-02T23:00:00Z'); // Saturday 10:00 (+11:00 after, +10:30 before)
    assert.equal(localInput(before), '2026-10-03T09:30');
    assert.equal(localInput(addDays(before, 2)), '2026-10-05T09:30');
    assert.equal(addDays(before, 2).getTime() - before.getTime(), (48 * 60 - 30) * 60_000);
  });
});

test('a datetime-local value is read in the viewer’s zone and written back unchanged', () => {
  inZone('America/New_York', () => {
    assert.equal(fromLocalInput('2026-12-08T10:00'), '2026-12-08T15:00:00.000Z');
    assert.equal(localInput(new Date('2026-12-08T15:00:00Z')), '2026-12-08T10:00');
    assert.equal(fromLocalInput('2026-11-01T01:30').slice(0, 16), '2026-11-01T05:30'); // the first 01:30 of fall-back
  });
});

test('times read in the viewer’s zone or the coach’s, with the zone named by place and offset', () => {
  inZone('America/New_York', () => {
    assert.equal(clock('2026-12-08T15:00:00Z'), '10:00 AM');
    assert.equal(clock('2026-12-08T15:00:00Z', 'Europe/Berlin'), '04:00 PM');
    assert.equal(period('2026-12-08T15:00:00Z', '2026-12-08T16:00:00Z', 'Asia/Kolkata'), 'Tue, Dec 8, 08:30 PM–09:30 PM');
  });
  assert.equal(zoneName('Asia/Kolkata', '2026-12-08T15:00:00Z'), 'Asia/Kolkata (GMT+5:30)');
  assert.equal(zoneName('America/New_York', '2026-07-01T12:00:00Z'), 'America/New York (GMT-4)');
  assert.equal(zoneName('Australia/Lord_Howe', '2026-07-01T12:00:00Z'), 'Australia/Lord Howe (GMT+10:30)');
});

test('hours as coaches type them become ranges; anything else names the part at fault', () => {
  assert.deepEqual(parseHours(' 13:30–17, 9-12 '), { hours: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:00' }], problem: null });
  assert.deepEqual(parseHours('8.15 bis 24').hours, [{ start: '08:15', end: '24:00' }]);
  assert.deepEqual(parseHours(''), { hours: [], problem: null });
  for (const bad of ['morgens', '12-9', '9-25', '9:75-10', '10-10']) assert.equal(parseHours(`8-9, ${bad}`).problem, bad, bad);
});

test('dates with other hours: a date alone is closed, a date with hours has those; no 30 February', () => {
  const { exceptions, problem } = parseExceptions('2026-12-31: 9-12\n\n2026-12-24\n2026-12-26 geschlossen\n');
  assert.equal(problem, null);
  assert.deepEqual(exceptions, [
    { date: '2026-12-24', hours: [] },
    { date: '2026-12-26', hours: [] },
    { date: '2026-12-31', hours: [{ start: '09:00', end: '12:00' }] },
  ]);
  assert.equal(parseExceptions('2026-02-30').problem, '2026-02-30');
  assert.equal(parseExceptions('2026-12-31: abends').problem, '2026-12-31: abends');
  assert.equal(parseExceptions('Heiligabend').problem, 'Heiligabend');
});

test('an online session can be joined from a quarter of an hour before it starts until it ends', () => {
  const booking = { status: 'confirmed', format: 'online', startsAt: '2026-12-08T10:00:00Z', endsAt: '2026-12-08T11:00:00Z' };
  const at = (text) => Date.parse(text);
  assert.equal(isJoinable(booking, at('2026-12-08T09:44:59Z')), false);
  assert.equal(isJoinable(booking, at('2026-12-08T09:45:00Z')), true);
  assert.equal(isJoinable(booking, at('2026-12-08T11:00:00Z')), true);
  assert.equal(isJoinable(booking, at('2026-12-08T11:00:01Z')), false);
  assert.equal(isJoinable({ ...booking, format: 'in_person' }, at('2026-12-08T10:30:00Z')), false);
  assert.equal(isJoinable({ ...booking, status: 'cancelled' }, at('2026-12-08T10:30:00Z')), false);
  assert.equal(isJoinable({ ...booking, status: 'proposed', startsAt: undefined }, at('2026-12-08T10:30:00Z')), false);
});
