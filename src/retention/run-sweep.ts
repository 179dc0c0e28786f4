/**
 * Carrying out retention runs: each run is a leased job (`retention.sweep`) that walks its rule's
 * targets on one system batch by batch, and a daily job (`retention.schedule`) asks for a run of
 * every rule on every system that holds data it keeps.
 *
 * - Each batch of Steward's store is one short transaction there: it locks the run's row, reads the
 *   cursor there, takes the holds lock (`lockHolds`), reads the holds of its rows, removes what
 *   expired and is not held, and writes the new cursor and counts, all before one COMMIT. A
 *   worker killed at any point leaves either the batch and its progress or neither, and the next
 *   claim of the job (after the lease runs out) continues at the committed cursor.
 * - Several workers on one run (a lease lost by a worker that still runs) never repeat a batch:
 *   the row lock puts their batches one after another, and each starts at the cursor the last
 *   one committed.
 * - A connected system's collection is swept by its connector in the system's own short
 *   transactions; each batch is recorded in the run (in flight before the system commits, done
 *   after) by transactions of its own on Steward's store (`connected/run.ts`), with the same
 *   guarantees: resumed exactly after a kill, never done twice by two workers.
 * - The run's instant (`at`) and rule are fixed when it starts, so a resumed run applies the
 *   same thresholds. It ends with one receipt in the audit ledger, written in the transaction
 *   that marks it done (or failed, after the job's last attempt).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { safeMessage } from '../execution/systems.js';
import { defineJob } from '../jobs/queue.js';
import type { RetentionRule } from '../policy/schema.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { lockHolds } from './holds.js';
import type { CollectionCounts, RunCursor, RunRequest, RunRow, RunView } from './runs.js';
import { countsOf, cursorOf, holdsOf, lockRun, requestRun, saveProgress, viewOf } from './runs.js';
import { ruleSweeps, targetsOf } from './sweeps.js';
import type { BatchResult, ConnectedTarget, SweepTarget } from './targets.js';
import { isConnected } from './targets.js';
import { currentRun, sweepConnectedTarget } from './connected/run.js';

/** How often every rule is swept: once a day, at UTC midnight (or when a worker first can). */
export const RETENTION_PERIOD_MS = 24 * 60 * 60 * 1000;
/** How long a run's claim lasts; the worker renews it while the run goes on. */
export const SWEEP_LEASE_MS = 60_000;
export const SWEEP_ATTEMPTS = 5;
const DEFAULT_BATCH = 1_000;

/** Seen by the CLI's progress bars and by tests: after each committed batch, and inside it. */
export interface SweepHooks {
  onBatch?(run: RunView): void | Promise<void>;
  /** Inside the batch's transaction, after its changes and progress, just before COMMIT. */
  beforeCommit?(tx: Tx, run: RunView): Promise<void>;
}

function ruleSnapshot(rule: RetentionRule): string {
  const { id, duration, trigger, event, anchor, action } = rule;
  return JSON.stringify({
    id,
    duration,
    trigger,
    ...(event ? { event } : {}),
    ...(anchor ? { anchor } : {}),
    action,
  });
}

/** Receipt of a run in the audit ledger: what it did, to what, which holds kept what, when. */
async function finish(
  tx: Tx,
  ctx: AppContext,
  run: RunRow,
  outcome: { status: 'done' } | { status: 'failed'; error: string },
): Promise<RunRow> {
  const now = ctx.clock.now().toISOString();
  const ended: RunRow = {
    ...run,
    status: outcome.status,
    error: outcome.status === 'failed' ? outcome.error : null,
    ended_at: now,
    updated_at: now,
  };
  const view = viewOf(ended);
  const seq = await appendAudit(tx, ctx.store.dialect, ctx.clock, {
    actor: 'system',
    action: 'retention.swept',
    target: `retention:${run.declaration_id}/${run.rule_id}@${run.system}`,
    details: {
      run: run.id,
      status: outcome.status,
      declaration: run.declaration_id,
      version: run.declaration_version,
      rule: run.rule_id,
      system: run.system,
      requestedBy: run.requested_by,
      trigger: run.trigger,
      at: run.at,
      deleted: view.deleted,
      anonymised: view.anonymised,
      held: view.held,
      collections: view.collections,
      holds: Object.entries(view.holds).map(([hold, rows]) => ({ hold, rows })),
      batches: run.batches,
      startedAt: run.started_at,
      endedAt: now,
      ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
    },
  });
  await tx
    .updateTable('retention_runs')
    .set({ status: ended.status, error: ended.error, ended_at: now, updated_at: now, receipt_seq: seq })
    .where('id', '=', run.id)
    .execute();
  return { ...ended, receipt_seq: seq };
}

/** Marks a pending run started (its instant and rule fixed), or returns it as it is. */
async function startRun(ctx: AppContext, runId: string): Promise<RunRow | undefined> {
  return transaction(ctx.store, async (tx) => {
    const run = await lockRun(tx, ctx, runId);
    if (run === undefined || run.status !== 'pending') return run;
    const active = ctx.policies.get(run.declaration_id);
    const rule = active?.model.retentionRules.get(run.rule_id);
    if (active === undefined || rule === undefined)
      return finish(tx, ctx, run, {
        status: 'failed',
        error: `Retention rule ${run.rule_id} of ${run.declaration_id} is no longer in force.`,
      });
    const now = ctx.clock.now().toISOString();
    const started: RunRow = {
      ...run,
      status: 'running',
      declaration_version: active.version.number,
      rule: ruleSnapshot(rule),
      at: now,
      started_at: now,
      updated_at: now,
    };
    await tx
      .updateTable('retention_runs')
      .set({
        status: started.status,
        declaration_version: started.declaration_version,
        rule: started.rule,
        at: started.at,
        started_at: started.started_at,
        updated_at: now,
      })
      .where('id', '=', runId)
      .execute();
    return started;
  });
}

/** The run after one batch of `target`: counts added, cursor moved on. */
function advance(run: RunRow, target: SweepTarget, result: BatchResult, now: string): RunRow {
  const counts = countsOf(run);
  const holds = holdsOf(run);
  const before: CollectionCounts = counts[target.collection] ?? { deleted: 0, anonymised: 0, held: 0 };
  const heldRows = Object.values(result.held).reduce((n, c) => n + c, 0);
  counts[target.collection] = {
    deleted: before.deleted + result.deleted,
    anonymised: before.anonymised + result.anonymised,
    held: before.held + heldRows,
  };
  for (const [hold, n] of Object.entries(result.held)) holds[hold] = (holds[hold] ?? 0) + n;
  const position = cursorOf(run).target;
  const cursor: RunCursor =
    result.cursor === null ? { target: position + 1, key: null } : { target: position, key: result.cursor };
  return {
    ...run,
    counts: JSON.stringify(counts),
    held: JSON.stringify(holds),
    cursor: JSON.stringify(cursor),
    batches: run.batches + 1,
    updated_at: now,
  };
}

/**
 * Carries a run to its end from wherever it stands: batch after batch, each committed with its
 * progress, then the receipt. Safe to call for a run another worker is also running.
 */
export async function sweepRun(ctx: AppContext, runId: string, hooks: SweepHooks = {}): Promise<RunView> {
  const started = await startRun(ctx, runId);
  if (started === undefined) throw new Error(`Retention run ${runId} does not exist.`);
  if (started.status !== 'running') return viewOf(started);
  const active = ctx.policies.get(started.declaration_id);
  const rule = started.rule === null ? undefined : (JSON.parse(started.rule) as RetentionRule);
  if (active === undefined || rule === undefined)
    return viewOf(
      await transaction(ctx.store, async (tx) => {
        const run = await lockRun(tx, ctx, runId);
        if (run === undefined || run.status !== 'running') return run ?? started;
        return finish(tx, ctx, run, {
          status: 'failed',
          error: `Declaration ${started.declaration_id} is no longer in force.`,
        });
      }),
    );
  const scope = { model: active.model, rule };
  const targets = await targetsOf(ctx, scope, started.system);
  // Steward's own batches are fixed; a connected system's, unless set, are sized by time.
  const size = ctx.config.retentionBatchSize ?? DEFAULT_BATCH;
  const connectedSize = ctx.config.retentionBatchSize;
  const at = new Date(started.at ?? ctx.clock.now().toISOString());
  for (;;) {
    const step = await transaction(ctx.store, async (tx): Promise<Step> => {
      const run = await lockRun(tx, ctx, runId);
      if (run === undefined || run.status !== 'running') return { done: true, run: run ?? started };
      const position = cursorOf(run).target;
      const target = targets[position];
      if (target === undefined) return { done: true, run: await finish(tx, ctx, run, { status: 'done' }) };
      // A connected system's batches run in its own transactions, outside this one.
      if (isConnected(target)) return { done: false, run, connected: target };
      await lockHolds(tx, ctx.store.dialect, 'batch');
      const result = await target.batch(tx, { cursor: cursorOf(run).key, size, at, dryRun: false });
      const next = advance(run, target, result, ctx.clock.now().toISOString());
      await saveProgress(tx, next);
      await hooks.beforeCommit?.(tx, viewOf(next));
      return { done: false, run: next };
    });
    if (step.done) return viewOf(step.run);
    if (step.connected !== undefined) {
      const swept = await sweepConnectedTarget(ctx, step.run, step.connected, {
        scope,
        at,
        size: connectedSize,
        ...(hooks.onBatch ? { onBatch: hooks.onBatch } : {}),
        ...(hooks.beforeCommit ? { beforeCommit: hooks.beforeCommit } : {}),
      });
      if (swept === 'superseded') return viewOf(await currentRun(ctx, step.run));
      continue;
    }
    await hooks.onBatch?.(viewOf(step.run));
    const pause = ctx.config.retentionPauseMs ?? 0;
    if (pause > 0) await sleep(pause);
  }
}

/** What one turn of the run loop found: the run ended, a batch done, or a connected target to sweep. */
interface Step {
  readonly done: boolean;
  readonly run: RunRow;
  readonly connected?: ConnectedTarget;
}

/** Ends a run whose job gave up, with its receipt. */
async function failRun(ctx: AppContext, runId: string, error: string): Promise<void> {
  await transaction(ctx.store, async (tx) => {
    const run = await lockRun(tx, ctx, runId);
    if (run !== undefined && (run.status === 'running' || run.status === 'pending'))
      await finish(tx, ctx, run, { status: 'failed', error });
  });
}

/** One retention run as a leased job; after its last attempt the run ends `failed`, with a receipt. */
export const retentionSweepJob = defineJob({
  type: 'retention.sweep',
  version: 1,
  payload: z.strictObject({ runId: z.string() }),
  maxAttempts: SWEEP_ATTEMPTS,
  leaseMs: SWEEP_LEASE_MS,
  async handler(ctx, { runId }, job) {
    try {
      const run = await sweepRun(ctx, runId);
      return { status: run.status, deleted: run.deleted, anonymised: run.anonymised, held: run.held };
    } catch (error) {
      const message = safeMessage(error);
      ctx.log.warn({ run: runId, attempt: job.attempt, err: message }, 'retention run failed');
      if (job.attempt < SWEEP_ATTEMPTS) throw error;
      await failRun(ctx, runId, message);
      return { status: 'failed' };
    }
  },
});

/** Asks for a run of one sweep (joining the one waiting or running). */
export function requestSweep(ctx: AppContext, input: RunRequest): Promise<{ run: RunRow; joined: boolean }> {
  return requestRun(ctx, retentionSweepJob, input);
}

/** Asks for a run of every sweep there is; the daily job. */
export async function scheduleRuns(ctx: AppContext): Promise<{ requested: number; joined: number }> {
  let requested = 0;
  let joined = 0;
  for (const sweep of await ruleSweeps(ctx)) {
    const { joined: already } = await requestSweep(ctx, {
      declarationId: sweep.declarationId,
      ruleId: sweep.rule.id,
      system: sweep.system,
      trigger: 'schedule',
      requestedBy: 'system',
    });
    if (already) joined += 1;
    else requested += 1;
  }
  return { requested, joined };
}

/** Every rule swept once a day (see `recurringJobs` in src/worker-jobs.ts). */
export const retentionScheduleJob = defineJob({
  type: 'retention.schedule',
  version: 1,
  payload: z.object({}),
  handler: (ctx) => scheduleRuns(ctx),
});
