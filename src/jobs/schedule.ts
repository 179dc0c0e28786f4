import type { AppContext } from '../context.js';
import type { JobDefinition } from './queue.js';
import { enqueue } from './queue.js';

/** The start of the period `now` falls in. */
export function periodStart(now: Date, periodMs: number): Date {
  return new Date(Math.floor(now.getTime() / periodMs) * periodMs);
}

/** The id of a recurring job's run for the period `now` falls in. */
export function scheduledJobId(definition: Pick<JobDefinition, 'type'>, periodMs: number, now: Date): string {
  return `${definition.type}@${periodStart(now, periodMs).toISOString()}`;
}

/**
 * Makes sure the job for the current period exists. The id names the period, so every process
 * may call this and the job is still enqueued once.
 */
export async function ensureScheduled(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  definition: JobDefinition,
  periodMs: number,
  payload: unknown = {},
): Promise<void> {
  await enqueue(ctx.store.db, ctx.clock, definition, payload, {
    id: scheduledJobId(definition, periodMs, ctx.clock.now()),
  });
}
