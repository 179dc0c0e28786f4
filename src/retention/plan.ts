/**
 * The dry run (`steward retention plan [RULE]`, `GET /api/v1/retention/plan`): per rule and
 * system, how many rows would be deleted or anonymised now, how many a legal hold keeps (and
 * which hold), and the oldest of those that would go. It reads every target of Steward's store
 * with the same batches a run uses, in dry-run mode, outside any transaction, and asks each
 * connected system's connector for a dry run of its sweep: nothing is written anywhere. A system
 * that cannot be reached is reported with its problem, not left out.
 */
import type { AppContext } from '../context.js';
import type { RetentionRule } from '../policy/schema.js';
import type { SweepFilter } from './sweeps.js';
import { checkRuleFilter, ruleSweeps } from './sweeps.js';
import { safeMessage } from '../execution/systems.js';
import { dryRunConnected } from './connected/targets.js';
import { STEWARD_STORE } from './steward/index.js';
import type { CursorKey, OldestRow, RuleScope, RuleTarget, SweepAction, SweepTarget } from './targets.js';
import { isConnected } from './targets.js';

const PLAN_BATCH = 1_000;

export interface PlannedCollection {
  readonly collection: string;
  readonly action: SweepAction;
  readonly delete: number;
  readonly anonymise: number;
  readonly held: number;
  /** Rows each hold keeps, by hold id. */
  readonly holds: Readonly<Record<string, number>>;
  /** The oldest row that would go: when its clock started and when it expired. */
  readonly oldest: OldestRow | null;
  /** Expired rows of a connected system that stay because rows that stay refer to them. */
  readonly blocked?: number;
}

export interface PlannedSweep {
  readonly declarationId: string;
  readonly ruleId: string;
  readonly rule: Pick<RetentionRule, 'duration' | 'trigger' | 'action'> &
    Partial<Pick<RetentionRule, 'anchor' | 'event'>>;
  readonly system: string;
  readonly collections: PlannedCollection[];
  /** Rows that would go (deleted or anonymised). */
  readonly rows: number;
  readonly held: number;
  readonly oldest: OldestRow | null;
  /** Why the system could not be asked (unreachable, refused): its counts are missing. */
  readonly problem?: string;
}

export interface RetentionPlan {
  /** The instant the thresholds were computed from. */
  readonly at: string;
  readonly sweeps: PlannedSweep[];
}

/** Walks one target in dry-run batches; `firstOnly` stops at the first row that would go. */
export async function dryRunTarget(
  ctx: AppContext,
  target: SweepTarget,
  at: Date,
  firstOnly = false,
): Promise<PlannedCollection> {
  const totals = { delete: 0, anonymise: 0, held: 0 };
  const holds: Record<string, number> = {};
  let oldest: OldestRow | null = null;
  let cursor: CursorKey | null = null;
  do {
    const result = await target.batch(ctx.store.db, { cursor, size: PLAN_BATCH, at, dryRun: true });
    totals.delete += result.deleted;
    totals.anonymise += result.anonymised;
    for (const [hold, n] of Object.entries(result.held)) {
      holds[hold] = (holds[hold] ?? 0) + n;
      totals.held += n;
    }
    oldest ??= result.oldest ?? null;
    cursor = result.cursor;
  } while (cursor !== null && !(firstOnly && oldest !== null));
  return { collection: target.collection, action: target.action, ...totals, holds, oldest };
}

/**
 * What a run would do to one target now, changing nothing: a connected collection is counted by
 * its connector's dry run, a collection of Steward's store batch by batch.
 */
export async function dryRun(
  ctx: AppContext,
  scope: RuleScope,
  target: RuleTarget,
  at: Date,
  firstOnly = false,
): Promise<PlannedCollection> {
  if (!isConnected(target)) return dryRunTarget(ctx, target, at, firstOnly);
  const { blocked, ...counts } = await dryRunConnected(ctx, scope, target, at);
  return {
    collection: target.collection,
    action: target.action,
    ...counts,
    ...(blocked > 0 ? { blocked } : {}),
  };
}

/** The earlier of two oldest rows, by deadline. */
export function earlier(a: OldestRow | null, b: OldestRow | null): OldestRow | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.deadline < a.deadline ? b : a;
}

/**
 * What a run of each selected rule would do now. Needs `retention:read` (checked by the caller's
 * route or the CLI).
 *
 * @throws AppError `not_found` for a rule or declaration not in force.
 */
export async function planRetention(ctx: AppContext, filter: SweepFilter = {}): Promise<RetentionPlan> {
  checkRuleFilter(ctx, filter);
  const at = ctx.clock.now();
  const sweeps: PlannedSweep[] = [];
  for (const sweep of await ruleSweeps(ctx, filter)) {
    const collections: PlannedCollection[] = [];
    let problem: string | undefined;
    try {
      for (const target of sweep.targets) collections.push(await dryRun(ctx, sweep.scope, target, at));
    } catch (error) {
      if (sweep.system === STEWARD_STORE) throw error;
      problem = safeMessage(error);
    }
    const { duration, trigger, action, anchor, event } = sweep.rule;
    sweeps.push({
      declarationId: sweep.declarationId,
      ruleId: sweep.rule.id,
      rule: { duration, trigger, action, ...(anchor ? { anchor } : {}), ...(event ? { event } : {}) },
      system: sweep.system,
      collections,
      rows: collections.reduce((n, c) => n + c.delete + c.anonymise, 0),
      held: collections.reduce((n, c) => n + c.held, 0),
      oldest: collections.reduce<OldestRow | null>((o, c) => earlier(o, c.oldest), null),
      ...(problem === undefined ? {} : { problem }),
    });
  }
  return { at: at.toISOString(), sweeps };
}
