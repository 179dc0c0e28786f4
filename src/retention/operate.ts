/**
 * What operators (the API, the console, the CLI) do with retention: read how each rule stands,
 * read the plan, ask for a run now, read runs and their receipts. Reading needs
 * `retention:read`; asking for a run needs `retention:run`. Receipts hold counts and hold ids,
 * never anyone's data.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { RetentionPlan } from './plan.js';
import { planRetention } from './plan.js';
import { requestSweep } from './run-sweep.js';
import type { RunView } from './runs.js';
import { listRuns, loadRun, viewOf } from './runs.js';
import type { SweepStatus } from './status.js';
import { retentionStatus } from './status.js';
import type { SweepFilter } from './sweeps.js';
import { checkRuleFilter, ruleSweeps } from './sweeps.js';

const ruleId = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be a retention rule id');
const declarationId = z.string().min(1).max(100);
const system = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be a system id');

export const sweepFilterInput = z.strictObject({
  rule: ruleId.optional().describe('Only this retention rule'),
  declarationId: declarationId.optional().describe('Only rules of this declaration'),
  system: system.optional().describe('Only this system (`steward` for Steward’s own store)'),
});

export const runInput = z.strictObject({
  declarationId: declarationId.optional().describe('Needed when several declarations declare the rule'),
  system: system.optional().describe('Only this system; every system that holds the rule’s data otherwise'),
});
export type RunInput = z.input<typeof runInput>;

const toFilter = (input: z.infer<typeof sweepFilterInput>): SweepFilter => ({
  ...(input.rule === undefined ? {} : { ruleId: input.rule }),
  ...(input.declarationId === undefined ? {} : { declarationId: input.declarationId }),
  ...(input.system === undefined ? {} : { system: input.system }),
});

/** Every rule and system: oldest overdue row against its deadline, last run, next run. */
export async function readRetentionStatus(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof sweepFilterInput> = {},
): Promise<SweepStatus[]> {
  requirePermission(actor, 'retention:read');
  const filter = toFilter(sweepFilterInput.parse(raw));
  checkRuleFilter(ctx, filter);
  return retentionStatus(ctx, filter);
}

/** What a run of each selected rule would do now; changes nothing. */
export async function readRetentionPlan(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof sweepFilterInput> = {},
): Promise<RetentionPlan> {
  requirePermission(actor, 'retention:read');
  return planRetention(ctx, toFilter(sweepFilterInput.parse(raw)));
}

/**
 * Asks for a run now of each selected rule (every rule when none is named), on every system that
 * holds its data (or the one named); a run already waiting or running is joined. The runs are
 * carried out by the workers (and by the CLI itself, which also sweeps in its own process).
 */
export async function startRetentionRuns(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof sweepFilterInput> = {},
  trigger: 'operator' | 'cli' = 'operator',
): Promise<{ runs: RunView[]; joined: number }> {
  requirePermission(actor, 'retention:run');
  const filter = toFilter(sweepFilterInput.parse(raw));
  checkRuleFilter(ctx, filter);
  const sweeps = await ruleSweeps(ctx, filter);
  if (sweeps.length === 0 && filter.ruleId !== undefined)
    throw notFound(`A system holding data of rule "${filter.ruleId}"`);
  const runs: RunView[] = [];
  let joined = 0;
  for (const sweep of sweeps) {
    const requested = await requestSweep(ctx, {
      declarationId: sweep.declarationId,
      ruleId: sweep.rule.id,
      system: sweep.system,
      trigger,
      requestedBy: actorRef(actor),
    });
    if (requested.joined) joined += 1;
    runs.push(viewOf(requested.run));
  }
  return { runs, joined };
}

export const runsInput = sweepFilterInput.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Runs, newest first. */
export async function readRetentionRuns(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof runsInput> = {},
): Promise<RunView[]> {
  requirePermission(actor, 'retention:read');
  const input = runsInput.parse(raw);
  const rows = await listRuns(ctx.store.db, { ...toFilter(input), limit: input.limit });
  return rows.map(viewOf);
}

export async function readRetentionRun(ctx: AppContext, actor: Actor, id: string): Promise<RunView> {
  requirePermission(actor, 'retention:read');
  const row = await loadRun(ctx.store.db, id);
  if (row === undefined) throw notFound(`Retention run ${id}`);
  return viewOf(row);
}

export interface RetentionReceipt {
  readonly seq: number;
  readonly at: string;
  readonly hash: string;
  readonly run: string;
  readonly details: Record<string, unknown>;
}

/** The receipts of finished runs, as the audit ledger holds them, newest first. */
export async function readRetentionReceipts(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof runsInput> = {},
): Promise<RetentionReceipt[]> {
  requirePermission(actor, 'retention:read');
  const input = runsInput.parse(raw);
  const filter = toFilter(input);
  let query = ctx.store.db
    .selectFrom('retention_runs as r')
    .innerJoin('audit_log as a', 'a.seq', 'r.receipt_seq')
    .select(['r.id as run', 'a.seq', 'a.at', 'a.hash', 'a.details']);
  if (filter.declarationId !== undefined) query = query.where('r.declaration_id', '=', filter.declarationId);
  if (filter.ruleId !== undefined) query = query.where('r.rule_id', '=', filter.ruleId);
  if (filter.system !== undefined) query = query.where('r.system', '=', filter.system);
  const rows = await query.orderBy('a.seq', 'desc').limit(input.limit).execute();
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}
