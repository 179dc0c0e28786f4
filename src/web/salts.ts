/**
 * The random daily salts behind cookieless visitor ids. Each UTC day gets its own 32 random
 * bytes, created on first use; an hourly job deletes every salt older than 48 hours, after which
 * that day's ids can no longer be recomputed from an address and a browser. A salt is never
 * derived from a date and a secret: that could be recomputed at any time.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineJob } from '../jobs/queue.js';

/** How long a salt lives after it was created. */
export const SALT_LIFETIME_MS = 48 * 60 * 60 * 1000;

type SaltContext = Pick<AppContext, 'store' | 'clock'>;

const cache = new WeakMap<SaltContext['store'], Map<string, Buffer>>();

/**
 * The salt of `day` (YYYY-MM-DD), created if it does not exist yet and the day is today or
 * yesterday; undefined for older days, whose salt is gone for good.
 */
export async function saltFor(ctx: SaltContext, day: string): Promise<Buffer | undefined> {
  let known = cache.get(ctx.store);
  if (known === undefined) cache.set(ctx.store, (known = new Map()));
  const cached = known.get(day);
  const now = ctx.clock.now();
  if (cached !== undefined) return cached;
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const row = await ctx.store.db
    .selectFrom('visitor_salts')
    .select('salt')
    .where('day', '=', day)
    .executeTakeFirst();
  if (row === undefined && day !== today && day !== yesterday) return undefined;
  if (row === undefined) {
    await ctx.store.db
      .insertInto('visitor_salts')
      .values({ day, salt: randomBytes(32).toString('base64'), created_at: now.toISOString() })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
  }
  const stored = await ctx.store.db
    .selectFrom('visitor_salts')
    .select('salt')
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  const salt = Buffer.from(stored.salt, 'base64');
  // Keep at most the last few days in memory; the job below drops them from the store.
  if (known.size > 4) known.clear();
  known.set(day, salt);
  return salt;
}

/** Deletes salts older than 48 hours, in the store and in this process's memory. */
export async function deleteOldSalts(ctx: SaltContext): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - SALT_LIFETIME_MS).toISOString();
  const deleted = await ctx.store.db
    .deleteFrom('visitor_salts')
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  cache.get(ctx.store)?.clear();
  return Number(deleted.numDeletedRows);
}

export const deleteOldSaltsJob = defineJob({
  type: 'web.delete-old-salts',
  version: 1,
  payload: z.strictObject({}),
  async handler(ctx) {
    return { deleted: await deleteOldSalts(ctx) };
  },
});
