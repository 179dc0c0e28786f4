import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDuration } from './time.js';

const at = (s: string) => new Date(`${s}T12:00:00.000Z`);
const day = (d: Date) => d.toISOString().slice(0, 10);

test('addDuration counts calendar months and clamps to the end of a shorter month', () => {
  assert.equal(day(addDuration(at('2026-01-31'), 'P1M')), '2026-02-28');
  assert.equal(day(addDuration(at('2028-01-31'), 'P1M')), '2028-02-29');
  assert.equal(day(addDuration(at('2026-03-31'), 'P1M')), '2026-04-30');
  assert.equal(day(addDuration(at('2026-11-15'), 'P2M')), '2027-01-15');
  assert.equal(day(addDuration(at('2024-02-29'), 'P1Y')), '2025-02-28');
  assert.equal(day(addDuration(at('2026-01-01'), 'P2W3D')), '2026-01-18');
  assert.equal(addDuration(at('2026-01-01'), 'PT36H').toISOString(), '2026-01-03T00:00:00.000Z');
  assert.throws(() => addDuration(at('2026-01-01'), '1 month'), RangeError);
});
