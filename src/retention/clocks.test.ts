import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { anchorEnd, expiredBefore, expiresAt, hasExpired } from './clocks.js';

const at = (iso: string) => new Date(iso);

describe('retention clocks', () => {
  test('C10.1 a period without an anchor counts from the trigger, clamping at month ends', () => {
    assert.equal(
      expiresAt({ duration: 'P30D' }, at('2026-01-10T12:00:00Z')).toISOString(),
      '2026-02-09T12:00:00.000Z',
    );
    assert.equal(
      expiresAt({ duration: 'P1M' }, at('2026-01-31T00:00:00Z')).toISOString(),
      '2026-02-28T00:00:00.000Z',
    );
    assert.equal(
      expiresAt({ duration: 'P3Y' }, at('2024-02-29T08:00:00Z')).toISOString(),
      '2027-02-28T08:00:00.000Z',
    );
  });

  test('C10.1 an anchored period counts from the end of the month, quarter, year or financial year', () => {
    const sale = at('2026-05-17T09:30:00Z');
    assert.equal(anchorEnd(sale, 'month').toISOString(), '2026-06-01T00:00:00.000Z');
    assert.equal(anchorEnd(sale, 'quarter').toISOString(), '2026-07-01T00:00:00.000Z');
    assert.equal(anchorEnd(sale, 'year').toISOString(), '2027-01-01T00:00:00.000Z');
    // A financial year from July to June: May 2026 belongs to the year that ends on 1 July 2026.
    assert.equal(
      anchorEnd(sale, 'financial_year', { startMonth: 7 }).toISOString(),
      '2026-07-01T00:00:00.000Z',
    );
    assert.equal(
      anchorEnd(at('2026-07-01T00:00:00Z'), 'financial_year', { startMonth: 7 }).toISOString(),
      '2027-07-01T00:00:00.000Z',
    );
    // Seven years from the end of the calendar year of the sale.
    assert.equal(
      expiresAt({ duration: 'P7Y', anchor: 'year' }, sale).toISOString(),
      '2034-01-01T00:00:00.000Z',
    );
    // The last instant of a year still belongs to it.
    assert.equal(anchorEnd(at('2026-12-31T23:59:59.999Z'), 'year').toISOString(), '2027-01-01T00:00:00.000Z');
  });

  test('C10.1 the Bookkeeping Act period counts from the end of the calendar year in which the financial year ended', () => {
    const anchor = 'calendar_year_of_financial_year_end' as const;
    // Financial year May to April: a sale in May 2026 falls in the year ending 30 April 2027, so
    // the period counts from 1 January 2028.
    const mayToApril = { startMonth: 5 };
    assert.equal(
      anchorEnd(at('2026-05-17T09:30:00Z'), anchor, mayToApril).toISOString(),
      '2028-01-01T00:00:00.000Z',
    );
    assert.equal(
      anchorEnd(at('2026-04-30T23:59:59.999Z'), anchor, mayToApril).toISOString(),
      '2027-01-01T00:00:00.000Z',
    );
    assert.equal(
      expiresAt({ duration: 'P7Y', anchor }, at('2026-05-17T09:30:00Z'), mayToApril).toISOString(),
      '2035-01-01T00:00:00.000Z',
    );
    // With the calendar year as financial year, both ends are the same instant.
    for (const iso of ['2026-01-01T00:00:00Z', '2026-05-17T09:30:00Z', '2026-12-31T23:59:59.999Z'])
      assert.equal(anchorEnd(at(iso), anchor).toISOString(), anchorEnd(at(iso), 'year').toISOString());
  });

  test('C10.1 the sweep threshold separates exactly what has expired from what has not', () => {
    const rules = [
      { duration: 'P30D' },
      { duration: 'P1M' },
      { duration: 'P13M' },
      { duration: 'P2Y' },
      { duration: 'PT12H' },
      { duration: 'P1M', anchor: 'month' as const },
      { duration: 'P6M', anchor: 'quarter' as const },
      { duration: 'P7Y', anchor: 'year' as const },
      { duration: 'P5Y', anchor: 'financial_year' as const },
      { duration: 'P7Y', anchor: 'calendar_year_of_financial_year_end' as const },
    ];
    // Month ends, leap days and year ends are where subtracting the duration goes wrong.
    const nows = [
      '2026-03-31T00:00:00Z',
      '2026-03-01T00:00:00Z',
      '2028-02-29T13:45:00Z',
      '2027-01-01T00:00:00Z',
      '2026-12-02T10:00:00.123Z',
      '2026-07-01T00:00:00Z',
    ];
    const fy = { startMonth: 7 };
    for (const rule of rules) {
      for (const iso of nows) {
        const now = at(iso);
        const threshold = expiredBefore(rule, now, fy);
        const label = `${rule.duration}${rule.anchor ? `/${rule.anchor}` : ''} at ${iso}`;
        assert.ok(
          hasExpired(rule, new Date(threshold.getTime() - 1), now, fy),
          `${label}: just before has expired`,
        );
        assert.ok(!hasExpired(rule, threshold, now, fy), `${label}: the threshold itself has not`);
      }
    }
  });

  test('C10.1 an anchored threshold falls on the boundary of a period', () => {
    const threshold = expiredBefore({ duration: 'P7Y', anchor: 'year' }, at('2034-01-01T00:00:00Z'));
    // Everything from 2026 has expired on the first instant of 2034; nothing from 2027 has.
    assert.equal(threshold.toISOString(), '2027-01-01T00:00:00.000Z');
    const earlier = expiredBefore({ duration: 'P7Y', anchor: 'year' }, at('2033-12-31T23:59:59Z'));
    assert.equal(earlier.toISOString(), '2026-01-01T00:00:00.000Z');
  });
});
