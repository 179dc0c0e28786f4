import type { AppContext } from '../context.js';
import type { JobDefinition } from './queue.js';
import { enqueue } from './queue.js';

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
  const slot = Math.floor(ctx.clock.now().getTime() / periodMs) * periodMs;
  await enqueue(ctx.store.db, ctx.clock, definition, payload, {
    id: `${definition.type}@${new Date(slot).toISOString()}`,
  });
}
