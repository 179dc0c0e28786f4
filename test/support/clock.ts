import type { Clock } from '../../src/context.js';

/** A clock a test sets by hand: at real time until `set` moves it, then counting on from there. */
export function settableClock(): Clock & { set(at: Date): void; reset(): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    set: (at) => void (offset = at.getTime() - Date.now()),
    reset: () => void (offset = 0),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `days` days before now, as a Date. */
export const daysAgo = (days: number): Date => new Date(Date.now() - days * DAY_MS);
