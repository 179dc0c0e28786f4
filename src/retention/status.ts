/**
 * How retention stands, per rule and system: the oldest row that has outlived its deadline and
 * is still there (held rows excepted: a hold is a reason to keep them), by how much, the last run
 * and the next. An overdue row older than one schedule period (and an hour's grace) is an alert:
 * a sweep should have removed it. The console page, `GET /api/v1/retention` and the metrics
 * read this.
 */
import type { AppContext } from '../context.js';
import { periodStart, scheduledJobId } from '../jobs/schedule.js';
import type { RetentionRule } from '../policy/schema.js';
import { safeMessage } from '../execution/systems.js';
import { dryRun, earlier } from './plan.js';
import { STEWARD_STORE } from './steward/index.js';
import { RETENTION_PERIOD_MS, retentionScheduleJob } from './run-sweep.js';
import type { RunView } from './runs.js';
import { activeRuns, lastFinishedRuns, runKey, viewOf } from './runs.js';
import type { SweepFilter } from './sweeps.js';
import { ruleSweeps } from './sweeps.js';
import type { OldestRow } from './targets.js';

/** How far past its deadline a row may be before the sweep counts as behind. */
export const ALERT_AFTER_MS = RETENTION_PERIOD_MS + 60 * 60 * 1000;

export interface SweepStatus {
  readonly declarationId: string;
  readonly rule: RetentionRule;
  readonly system: string;
  readonly collections: string[];
  /** The oldest expired row still there and not held. */
  readonly oldest: OldestRow | null;
  /** Seconds the oldest row has outlived its deadline (0 when none has). */
  readonly overdueSeconds: number;
  readonly alert: boolean;
  readonly lastRun: RunView | null;
  readonly activeRun: RunView | null;
  /** When the schedule next asks for a run (now, when a worker has not yet taken today's). */
  readonly nextRunAt: string;
  /** A connected system that could not be asked (unreachable, refused): its oldest row is unknown. */
  readonly problem?: string;
}

/** When the daily schedule next runs: today's slot until a worker ran it, then tomorrow's. */
async function nextRun(ctx: AppContext, now: Date): Promise<string> {
  const slot = periodStart(now, RETENTION_PERIOD_MS);
  const job = await ctx.store.db
    .selectFrom('jobs')
    .select('status')
    .where('id', '=', scheduledJobId(retentionScheduleJob, RETENTION_PERIOD_MS, now))
    .executeTakeFirst();
  return job?.status === 'done'
    ? new Date(slot.getTime() + RETENTION_PERIOD_MS).toISOString()
    : slot.toISOString();
}

export async function retentionStatus(ctx: AppContext, filter: SweepFilter = {}): Promise<SweepStatus[]> {
  const now = ctx.clock.now();
  const [last, active, next] = await Promise.all([
    lastFinishedRuns(ctx.store.db),
    activeRuns(ctx.store.db),
    nextRun(ctx, now),
  ]);
  const statuses: SweepStatus[] = [];
  for (const sweep of await ruleSweeps(ctx, filter)) {
    let oldest: OldestRow | null = null;
    let problem: string | undefined;
    try {
      for (const target of sweep.targets)
        oldest = earlier(oldest, (await dryRun(ctx, sweep.scope, target, now, true)).oldest);
    } catch (error) {
      if (sweep.system === STEWARD_STORE) throw error;
      problem = safeMessage(error);
    }
    const overdueMs = oldest === null ? 0 : Math.max(0, now.getTime() - new Date(oldest.deadline).getTime());
    const key = runKey(sweep.declarationId, sweep.rule.id, sweep.system);
    const lastRun = last.get(key);
    const activeRun = active.get(key);
    statuses.push({
      declarationId: sweep.declarationId,
      rule: sweep.rule,
      system: sweep.system,
      collections: sweep.targets.map((t) => t.collection),
      oldest,
      overdueSeconds: Math.floor(overdueMs / 1000),
      // A system that cannot be asked may be keeping expired rows: as much a reason to look.
      alert: overdueMs > ALERT_AFTER_MS || problem !== undefined,
      lastRun: lastRun === undefined ? null : viewOf(lastRun),
      activeRun: activeRun === undefined ? null : viewOf(activeRun),
      nextRunAt: next,
      ...(problem === undefined ? {} : { problem }),
    });
  }
  return statuses;
}
