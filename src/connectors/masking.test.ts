/** Unit tests of the masking strategies and the default mask of a field. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import type { MaskKeys } from './contract.js';
import { fieldSchema } from './dataset.js';
import type { Mask } from './dataset.js';
import { ERASED, defaultMask, isSetBased, maskValue } from './masking.js';

const keys: MaskKeys = { hash: Buffer.alloc(32, 7) };
const otherKeys: MaskKeys = { hash: Buffer.alloc(32, 8) };
const field = (input: Record<string, unknown>) => fieldSchema.parse({ name: 'f', ...input });

test('null, fixed and keep write one value for every row', () => {
  assert.equal(maskValue('Alice', 'null', keys), null);
  assert.equal(maskValue('Alice', 'fixed', keys), ERASED);
  assert.equal(maskValue('Alice', { strategy: 'fixed', value: 'gone' }, keys), 'gone');
  assert.equal(maskValue('Alice', 'keep', keys), 'Alice');
  for (const m of ['null', 'fixed', 'keep', { strategy: 'fixed', value: 'x' }] as Mask[])
    assert.ok(isSetBased(m));
  for (const m of ['random', 'hash', 'format'] as Mask[]) assert.equal(isSetBased(m), false);
});

test('NULL stays NULL under every per-row strategy', () => {
  for (const m of ['random', 'hash', 'format'] as Mask[]) assert.equal(maskValue(null, m, keys), null);
});

test('random: same length, letters and digits, different each time', () => {
  const a = maskValue('Ångström 42', 'random', keys);
  const b = maskValue('Ångström 42', 'random', keys);
  assert.equal(typeof a, 'string');
  assert.equal((a as string).length, 'Ångström 42'.length);
  assert.match(a as string, /^[A-Za-z0-9]+$/);
  assert.notEqual(a, b);
  assert.equal(Array.from(maskValue('😀😀', 'random', keys) as string).length, 2);
});

test('hash: HMAC-SHA-256 hex under the key, stable, cut to a declared column length', () => {
  const expected = createHmac('sha256', keys.hash).update('alice@example.com').digest('hex');
  assert.equal(maskValue('alice@example.com', 'hash', keys), expected);
  assert.equal(maskValue('alice@example.com', 'hash', keys), maskValue('alice@example.com', 'hash', keys));
  assert.notEqual(maskValue('alice@example.com', 'hash', otherKeys), expected);
  assert.equal(maskValue(42, 'hash', keys), createHmac('sha256', keys.hash).update('42').digest('hex'));
  const full = maskValue('+46701234567', 'hash', keys) as string;
  assert.equal(maskValue('+46701234567', 'hash', keys, field({ type: 'varchar(20)' })), full.slice(0, 20));
  assert.equal((maskValue('x', 'hash', keys, field({ type: 'text' })) as string).length, 64);
});

test('format: letters keep their case, digits stay digits, other characters stay', () => {
  const out = maskValue('Ab-12 c.D/é', 'format', keys) as string;
  assert.match(out, /^[A-Z][a-z]-\d\d [a-z]\.[A-Z]\/[a-z]$/);
  assert.notEqual(out, 'Ab-12 c.D/é');
  assert.equal(maskValue('Ab-12 c.D/é', 'format', keys), out);
});

test('format: an email stays a valid address that cannot receive mail', () => {
  const out = maskValue('Jane.Doe+news@mail.example.co.uk', 'format', keys) as string;
  assert.match(out, /^[A-Z][a-z]{3}\.[A-Z][a-z]{2}\+[a-z]{4}@[a-z]{4}\.[a-z]{7}\.[a-z]{2}\.invalid$/);
  assert.notEqual(out, maskValue('jane.doe+news@mail.example.co.uk', 'format', keys));
});

test('format: distinct inputs give distinct outputs, the same input the same output', () => {
  fc.assert(
    fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => {
      const ma = maskValue(a, 'format', keys);
      assert.equal(ma, maskValue(a, 'format', keys));
      assert.match(ma as string, /^[^@\s]+@[^@\s]+$/);
      // Only a value made of characters that are kept (no letter or digit) can map to itself.
      if (a !== b && /[\p{L}\p{Nd}]{12}/u.test(a)) assert.notEqual(ma, maskValue(b, 'format', keys));
    }),
  );
  const seen = new Set<string>();
  for (let i = 0; i < 5_000; i++) seen.add(maskValue(`C-${100_000 + i}-customer`, 'format', keys) as string);
  assert.equal(seen.size, 5_000);
});

test('format: numbers keep their digit count and sign, dates their year', () => {
  const n = maskValue(12_345, 'format', keys) as number;
  assert.equal(String(n).length, 5);
  assert.equal((maskValue(-12.5, 'format', keys) as number) < 0, true);
  assert.equal(typeof maskValue(12_345n, 'format', keys), 'bigint');
  const d = maskValue(new Date('1984-06-01T00:00:00Z'), 'format', keys) as Date;
  assert.equal(d.getUTCFullYear(), 1984);
});

test('defaultMask: emails formatted, other identities hashed, NOT NULL columns never null', () => {
  assert.equal(defaultMask(field({ identity: 'email' })), 'format');
  assert.equal(defaultMask(field({ identity: 'phone' })), 'hash');
  assert.equal(defaultMask(field({ identity: 'customer', nullable: true })), 'hash');
  assert.equal(defaultMask(field({ category: 'user.name', nullable: true })), 'null');
  assert.equal(defaultMask(field({ category: 'user.name', nullable: false })), 'fixed');
  assert.equal(defaultMask(field({ category: 'user.name' })), 'fixed');
  assert.equal(
    defaultMask(field({ category: 'user.demographic', nullable: false, type: 'integer' })),
    'format',
  );
  assert.equal(defaultMask(field({ name: 'total' })), 'keep');
});

test('format: a date or date-time read as text (as the PostgreSQL driver gives it) stays a valid one of the same year', () => {
  for (const value of [
    '2024-03-05',
    '2024-03-05T10:20:30Z',
    '2024-03-05T10:20:30.5+05:30',
    '2023-12-31 23:59:59',
  ]) {
    const out = maskValue(value, 'format', keys) as string;
    assert.equal(out.length, value.length);
    assert.equal(out.slice(0, 5), value.slice(0, 5));
    assert.equal(out.slice(10), value.slice(10), 'the time of day and zone are kept');
    assert.ok(!Number.isNaN(Date.parse(out.slice(0, 10))), `${out} is a date`);
    assert.equal(new Date(`${out.slice(0, 10)}T00:00:00Z`).toISOString().slice(0, 10), out.slice(0, 10));
  }
  const many = new Set(
    Array.from({ length: 20 }, (_, i) =>
      maskValue(`2024-01-${String(i + 1).padStart(2, '0')}`, 'format', keys),
    ),
  );
  assert.ok(many.size > 10, 'different dates mask to different days');
});
