/**
 * The stored steps of a request's plan (`request_steps`): writing a plan and reading it back. A manual step is also a task (`request_tasks`, kind `system`) that a person
 * closes in the console; closing it finishes the step.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ChangeAction } from '../connectors/contract.js';
import type { AppContext } from '../context.js';
import type { RequestStepStatus, RequestStepTable } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';
import type { OpenCondition } from './conditions.js';
import type { KeptPlan, PlannedStep, PlannedUpdate, StepAction } from './plan.js';

export type StepRow = Selectable<RequestStepTable>;

/** What the plan asked of a step, as stored in `plan`. */
export interface StepPlan {
  readonly change?: ChangeAction;
  readonly updates?: readonly PlannedUpdate[];
  readonly note?: string;
  readonly kept?: KeptPlan;
  readonly cascades?: readonly string[];
  readonly collections?: readonly string[];
  readonly systems?: readonly string[];
  /** A `condition` step's condition; Steward's erasure: the conditions whose purposes it keeps meanwhile. */
  readonly condition?: OpenCondition;
  readonly withhold?: readonly OpenCondition[];
  readonly refusedBy?: string;
  /** The plan could not be made as things stood: a retry plans the system again. */
  readonly planFailed?: boolean;
}

/**
 * Progress across attempts, committed after each batch: what a re-run resumes from
 * (`ChangeOptions.resume`). Keys are stored with `encodeValue`.
 */
export interface StepProgress {
  readonly changed: number;
  readonly batches: number;
  /** Rows in scope when the step first started. */
  readonly matched?: number;
  /** Key of the last row of the last committed batch. */
  readonly cursor?: readonly unknown[];
  /**
   * The batch being committed in the connected system (written just before its COMMIT,
   * replaced by the progress after it): keys, and digests of the masked values written.
   */
  readonly inFlight?: {
    readonly keys: readonly (readonly unknown[])[];
    readonly digests?: readonly string[];
  };
}

/** How many times a step's job runs before the step is `failed` for an operator to retry. */
export const STEP_ATTEMPTS = 5;
/**
 * How long a step's claim lasts (STEWARD_STEP_LEASE_SECONDS, a minute unless set); renewed after
 * each batch and on a timer while it runs.
 */
export const stepLeaseMs = (ctx: Pick<AppContext, 'config'>): number => ctx.config.stepLeaseMs ?? 60_000;

const finished: ReadonlySet<RequestStepStatus> = new Set(['done', 'skipped']);
export const isFinished = (status: RequestStepStatus) => finished.has(status);

export const planOf = (row: Pick<StepRow, 'plan'>) => JSON.parse(row.plan) as StepPlan;
export const dependenciesOf = (row: Pick<StepRow, 'depends_on'>) => JSON.parse(row.depends_on) as string[];

/**
 * Serialises the work on one request's steps: on PostgreSQL two steps finishing at once would
 * each miss the other's commit and neither start the step waiting for both. SQLite's writer
 * lock (BEGIN IMMEDIATE) already does this.
 */
export async function lockRequest(tx: Tx, ctx: Pick<AppContext, 'store'>, requestId: string): Promise<void> {
  if (ctx.store.dialect !== 'postgres') return;
  await tx.selectFrom('requests').select('id').where('id', '=', requestId).forUpdate().execute();
}

export async function loadSteps(db: Tx, requestId: string): Promise<StepRow[]> {
  return db
    .selectFrom('request_steps')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('position')
    .execute();
}

/** Opens the task a person closes for a manual step; returns its id. */
async function openTask(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  requestId: string,
  step: { system: string; action: string; note: string },
): Promise<string> {
  const id = randomUUID();
  const now = ctx.clock.now().toISOString();
  await tx
    .insertInto('request_tasks')
    .values({
      id,
      request_id: requestId,
      kind: 'system',
      target: step.system,
      action: step.action,
      status: 'pending',
      result: JSON.stringify({ manual: true, summary: [] }),
      note: step.note,
      created_at: now,
      updated_at: now,
      done_at: null,
      done_by: null,
    })
    .execute();
  return id;
}

/**
 * Writes planned steps (skipping keys the request has already) and, for manual ones, their
 * tasks. Returns the ids by key. Call `startReady` after.
 */
export async function insertSteps(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  requestId: string,
  steps: readonly PlannedStep[],
): Promise<Map<string, string>> {
  const now = ctx.clock.now().toISOString();
  const stored = await loadSteps(tx, requestId);
  const existing = new Set(stored.map((s) => s.key));
  let position = stored.reduce((n, s) => Math.max(n, s.position), 0);
  const ids = new Map<string, string>();
  for (const step of steps) {
    if (existing.has(step.key)) continue;
    const id = randomUUID();
    ids.set(step.key, id);
    const plan: StepPlan = {
      ...(step.change === undefined ? {} : { change: step.change }),
      ...(step.updates === undefined ? {} : { updates: step.updates }),
      ...(step.note === undefined ? {} : { note: step.note }),
      ...(step.kept === undefined ? {} : { kept: step.kept }),
      ...(step.cascades === undefined ? {} : { cascades: step.cascades }),
      ...(step.collections === undefined ? {} : { collections: step.collections }),
      ...(step.systems === undefined ? {} : { systems: step.systems }),
      ...(step.condition === undefined ? {} : { condition: step.condition }),
      ...(step.withhold === undefined ? {} : { withhold: step.withhold }),
      ...(step.refusedBy === undefined ? {} : { refusedBy: step.refusedBy }),
      ...(step.status === 'failed' ? { planFailed: true } : {}),
    };
    const taskId =
      step.status === 'manual'
        ? await openTask(tx, ctx, requestId, {
            system: step.system,
            action: step.action,
            note: step.note ?? '',
          })
        : null;
    await tx
      .insertInto('request_steps')
      .values({
        id,
        request_id: requestId,
        key: step.key,
        position: (position += 1),
        system: step.system,
        collection: step.collection,
        action: step.action,
        depends_on: JSON.stringify(step.dependsOn),
        status: step.status,
        plan: JSON.stringify(plan),
        progress: null,
        result: null,
        error: step.status === 'failed' ? (step.note ?? 'The step could not be planned.') : null,
        task_id: taskId,
        job_id: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: step.status === 'failed' || step.status === 'skipped' ? now : null,
      })
      .execute();
  }
  return ids;
}

/** Turns a step into a task for a person (an action that needs a decision). */
export async function makeManual(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  step: Pick<StepRow, 'id' | 'request_id' | 'system' | 'action'>,
  note: string,
  result: unknown,
): Promise<void> {
  const taskId = await openTask(tx, ctx, step.request_id, { system: step.system, action: step.action, note });
  const now = ctx.clock.now().toISOString();
  await tx
    .updateTable('request_steps')
    .set({ status: 'manual', task_id: taskId, result: JSON.stringify(result), updated_at: now })
    .where('id', '=', step.id)
    .execute();
}

/** True when every step of the request is done or skipped (and it has some). */
export async function allDone(db: Tx, requestId: string): Promise<boolean> {
  const steps = await loadSteps(db, requestId);
  return steps.length > 0 && steps.every((s) => isFinished(s.status));
}

export type { StepAction };
