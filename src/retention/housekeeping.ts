/**
 * Housekeeping: what Steward keeps only to work goes once it is older than the housekeeping
 * period (STEWARD_HOUSEKEEPING_DAYS, 30 by default), by a job that runs every hour. No retention
 * rule covers these rows because no purpose collects them; they are the machinery's own:
 *
 * - finished jobs (`done`, or `dead` once no request step still waits on them: a person retries
 *   that step from the request's page). Payloads can carry sealed messages and addresses; a job
 *   that is pending or running is never touched.
 * - processed website batches (`web_batches`): their ids only refuse a replay, and a batch whose
 *   events are more than a day old is refused anyway (web/ingest.ts).
 * - old rows of the two change logs (`suppression_changes`, `consent_changes`): a subject id and
 *   a time, there only so that every process's in-memory index knows what to reload. The newest
 *   row always stays (the head a starting process counts from), and a process that finds the row
 *   it applied last gone rebuilds its index (`changesLost` in consent/changes.ts), so no answer
 *   is ever staler than the last commit.
 *
 * What is kept as proof is not here: the consent ledger (`consent_events`, under its own rule),
 * the suppression entries (keyed hashes that keep an address unsubscribed), the audit ledger.
 * Each table is cut in batches, each its own short transaction.
 */
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineJob } from '../jobs/queue.js';

/** The housekeeping period when the settings name none. */
export const DEFAULT_HOUSEKEEPING_MS = 30 * 24 * 60 * 60 * 1000;
const BATCH = 1_000;

/** Rows removed, per table. */
export interface HousekeepingCounts {
  readonly jobs: number;
  readonly webBatches: number;
  readonly suppressionChanges: number;
  readonly consentChanges: number;
}

/** Deletes what `keys` returns, a batch at a time, until a batch comes back short. */
async function inBatches<K extends string | number>(
  keys: () => Promise<K[]>,
  remove: (batch: K[]) => Promise<unknown>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await keys();
    if (batch.length > 0) await remove(batch);
    total += batch.length;
    if (batch.length < BATCH) return total;
  }
}

/** Removes what is older than the housekeeping period; returns how many rows of each table went. */
export async function keepHouse(
  ctx: Pick<AppContext, 'store' | 'clock' | 'config'>,
): Promise<HousekeepingCounts> {
  const db = ctx.store.db;
  const cutoff = new Date(
    ctx.clock.now().getTime() - (ctx.config.housekeepingMs ?? DEFAULT_HOUSEKEEPING_MS),
  ).toISOString();

  const jobs = await inBatches(
    async () =>
      (
        await db
          .selectFrom('jobs')
          .select('id')
          .where('status', 'in', ['done', 'dead'])
          .where('updated_at', '<', cutoff)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('request_steps')
                  .select('request_steps.id')
                  .whereRef('request_steps.job_id', '=', 'jobs.id')
                  .where('request_steps.status', '=', 'running'),
              ),
            ),
          )
          .limit(BATCH)
          .execute()
      ).map((r) => r.id),
    // The status is checked again: a dead job retried since it was read is pending.
    (ids) => db.deleteFrom('jobs').where('id', 'in', ids).where('status', 'in', ['done', 'dead']).execute(),
  );

  const webBatches = await inBatches(
    async () =>
      (
        await db
          .selectFrom('web_batches')
          .select('id')
          .where('received_at', '<', cutoff)
          .limit(BATCH)
          .execute()
      ).map((r) => r.id),
    (ids) => db.deleteFrom('web_batches').where('id', 'in', ids).execute(),
  );

  const changeLog = async (table: 'suppression_changes' | 'consent_changes') => {
    const head = await db
      .selectFrom(table)
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const newest = Number(head?.seq ?? 0);
    return inBatches(
      async () =>
        (
          await db
            .selectFrom(table)
            .select('seq')
            .where('at', '<', cutoff)
            .where('seq', '<', newest)
            .orderBy('seq')
            .limit(BATCH)
            .execute()
        ).map((r) => Number(r.seq)),
      (seqs) => db.deleteFrom(table).where('seq', 'in', seqs).execute(),
    );
  };

  return {
    jobs,
    webBatches,
    suppressionChanges: await changeLog('suppression_changes'),
    consentChanges: await changeLog('consent_changes'),
  };
}

export const housekeepingJob = defineJob({
  type: 'retention.housekeeping',
  version: 1,
  payload: z.strictObject({}),
  async handler(ctx) {
    return keepHouse(ctx);
  },
});
