/**
 * A request's plan as operators see it on the request page: each system with its steps (status,
 * attempts, progress, outcome, the error of a failed step, what a manual step asks), and the
 * receipt of an erasure. Sealed values (the linked values a locate step found) never leave.
 */
import type { AppContext } from '../context.js';
import type { Tx } from '../store/transaction.js';
import type { PlannedSystem } from './complete.js';
import { loadPlanRow, systemsOf } from './complete.js';
import type { Receipt } from './receipt.js';
import type { StepPlan, StepProgress } from './steps.js';
import { dependenciesOf, loadSteps, planOf } from './steps.js';

export interface StepView {
  readonly id: string;
  readonly key: string;
  readonly system: string;
  readonly collection: string;
  readonly action: string;
  readonly status: string;
  readonly attempts: number;
  readonly dependsOn: readonly string[];
  readonly plan: StepPlan;
  readonly progress: StepProgress | null;
  readonly result: unknown;
  readonly error: string | null;
  /** The task to close, for a manual step. */
  readonly taskId: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface PlanView {
  readonly systems: readonly (Omit<PlannedSystem, 'recipients'> & {
    readonly recipients: readonly string[];
  })[];
  readonly steps: readonly StepView[];
  readonly receipt: Receipt | null;
}

/** The plan of a request, or null when it has none (not yet planned, or fulfilled before plans). */
export async function planView(
  ctx: Pick<AppContext, 'store'>,
  requestId: string,
  db: Tx = ctx.store.db,
): Promise<PlanView | null> {
  const plan = await loadPlanRow(db, requestId);
  if (plan === undefined) return null;
  const steps = await loadSteps(db, requestId);
  const jobs = steps.flatMap((s) => (s.job_id === null || s.status !== 'running' ? [] : [s.job_id]));
  const dead = new Set(
    jobs.length === 0
      ? []
      : (await db.selectFrom('jobs').select(['id', 'status']).where('id', 'in', jobs).execute())
          .filter((j) => j.status === 'dead')
          .map((j) => j.id),
  );
  return {
    systems: systemsOf(plan).map((s) => ({ ...s, recipients: s.recipients.map((r) => r.name) })),
    steps: steps.map((s) => {
      const { sealed: _sealed, ...result } = (s.result === null ? {} : JSON.parse(s.result)) as Record<
        string,
        unknown
      >;
      const died = s.job_id !== null && dead.has(s.job_id);
      return {
        id: s.id,
        key: s.key,
        system: s.system,
        collection: s.collection,
        action: s.action,
        // A step whose worker stopped on every attempt is as good as failed: it can be retried.
        status: died ? 'failed' : s.status,
        attempts: s.attempts,
        dependsOn: dependenciesOf(s),
        plan: planOf(s),
        progress: s.progress === null ? null : (JSON.parse(s.progress) as StepProgress),
        result: s.result === null ? null : result,
        error: died
          ? (s.error ?? 'The worker running it stopped before it finished, on every attempt.')
          : s.error,
        taskId: s.task_id,
        startedAt: s.started_at,
        finishedAt: s.finished_at,
      };
    }),
    receipt: plan.receipt === null ? null : (JSON.parse(plan.receipt) as Receipt),
  };
}
