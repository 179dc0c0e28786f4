/**
 * Retention clocks: when data expires under a rule, and the reverse, the threshold a sweep
 * compares a clock column with. Both count in UTC with the calendar arithmetic of `addDuration`
 * (one month after 31 January is the last day of February), so a period ends on the same instant
 * whichever path asks: capture writing an expiry, a sweep selecting what has expired, the plan
 * counting it.
 *
 * A rule may be anchored to a calendar boundary: the period then counts from the end of the
 * month, quarter, calendar year or financial year in which its trigger fell ("seven years from the
 * end of the financial year in which the sale was made"), or from the end of the calendar year in
 * which that financial year ended (the Swedish Bookkeeping Act: "seven years after the end of the
 * calendar year in which the financial year ended"). Boundaries are UTC midnights; for the
 * EEA's time zones (UTC to UTC+3) that is at or after local midnight, never before.
 */
import type { RetentionRule } from '../policy/schema.js';
import { addDuration } from '../time.js';

export type RetentionAnchor = NonNullable<RetentionRule['anchor']>;

/** What a clock needs of a rule: its period and, optionally, the boundary it counts from. */
export type ClockRule = Pick<RetentionRule, 'duration' | 'anchor'>;

/** The declaration's financial year: the month (1 = January) it starts in. */
export interface FinancialYear {
  readonly startMonth: number;
}

const CALENDAR_YEAR: FinancialYear = { startMonth: 1 };

/** The first instant after the anchor period that contains `at`; `at` itself without an anchor. */
export function anchorEnd(
  at: Date,
  anchor: RetentionAnchor | undefined,
  fy: FinancialYear = CALENDAR_YEAR,
): Date {
  if (anchor === undefined) return at;
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  switch (anchor) {
    case 'month':
      return new Date(Date.UTC(year, month + 1, 1));
    case 'quarter':
      return new Date(Date.UTC(year, month - (month % 3) + 3, 1));
    case 'year':
      return new Date(Date.UTC(year + 1, 0, 1));
    case 'financial_year': {
      const start = fy.startMonth - 1;
      return new Date(Date.UTC(month >= start ? year + 1 : year, start, 1));
    }
    case 'calendar_year_of_financial_year_end': {
      // The financial year's last instant, then the end of the calendar year it falls in: with
      // the calendar as financial year the two ends coincide.
      const yearEnd = anchorEnd(at, 'financial_year', fy);
      return anchorEnd(new Date(yearEnd.getTime() - 1), 'year');
    }
  }
}

/** When data whose clock started at `start` expires under `rule`. */
export function expiresAt(rule: ClockRule, start: Date, fy: FinancialYear = CALENDAR_YEAR): Date {
  return addDuration(anchorEnd(start, rule.anchor, fy), rule.duration);
}

/** Whether data whose clock started at `start` has expired under `rule` at `now`. */
export function hasExpired(
  rule: ClockRule,
  start: Date,
  now: Date,
  fy: FinancialYear = CALENDAR_YEAR,
): boolean {
  return expiresAt(rule, start, fy).getTime() <= now.getTime();
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far month-end clamping can move an instant: 31 days down to 28 is three days. */
const CLAMP_SLACK_MS = 4 * DAY_MS;
/** How far an anchor can move a start: a year of 366 days, or two for a financial year's calendar year. */
const anchorSlackMs = (anchor: RetentionAnchor | undefined): number =>
  anchor === undefined ? 0 : (anchor === 'calendar_year_of_financial_year_end' ? 2 : 1) * 367 * DAY_MS;

/**
 * The threshold of a sweep: data whose clock started strictly before the returned instant has
 * expired at `now`, and data whose clock started at or after it has not. A set-based statement
 * can then select `clock < threshold`, served by an index on the clock column.
 *
 * Subtracting the duration from `now` is not exact: month-end clamping makes `expiresAt` flat in
 * places (30 and 31 January both expire on the last day of February), and an anchor makes it a
 * step per period. `expiresAt` never decreases as the start grows, so the threshold is found
 * exactly by bisection around that estimate, to the millisecond.
 */
export function expiredBefore(rule: ClockRule, now: Date, fy: FinancialYear = CALENDAR_YEAR): Date {
  const estimate = addDuration(now, `-${rule.duration}`).getTime();
  // lo has expired (or is before anything); hi has not.
  let lo = estimate - CLAMP_SLACK_MS - anchorSlackMs(rule.anchor);
  let hi = estimate + CLAMP_SLACK_MS;
  const expired = (t: number) => hasExpired(rule, new Date(t), now, fy);
  if (!expired(lo)) throw new RangeError(`no start before ${new Date(lo).toISOString()} has expired`);
  if (expired(hi)) throw new RangeError(`a start at ${new Date(hi).toISOString()} has already expired`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (expired(mid)) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}
