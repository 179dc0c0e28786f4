/**
 * Running a request's plan: each step is a durable job (`execution.run-step`) that a worker
 * claims with a lease, in any process started with `--role worker` or `all`.
 *
 * - A step whose dependencies are done is enqueued in the same transaction that finished the
 *   last of them, under a lock on the request, so it starts exactly once. A system's change steps
 *   that are ready together share a job, with the steps that wait only for them: the job commits
 *   them in one transaction of the system when each fits in a batch, else runs them one by one.
 * - Changes are idempotent (rows already changed no longer match) and progress is committed per
 *   batch, before the company's COMMIT: a worker killed at any moment, mid-batch included, leaves a
 *   step that the next claim runs again to the same end, its count carried on from the last
 *   committed batch.
 * - A worker that lost the step's lease (paused or cut off for longer than it) writes nothing
 *   more: each progress write and the finishing transaction require the lease, and the batch it
 *   finds the lease gone in (checked before that batch's COMMIT) rolls back in the company's database.
 * - A step that keeps failing (the job's attempts, with backoff) ends `failed` with the error
 *   shown to operators, and the request does not complete; an operator retries it.
 * - When the last step is done the request completes (`complete.ts`); after an erasure, first
 *   the read-back receipt (`receipt.ts`).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { seal, unseal } from '../capture/sealed.js';
import type { ChangeAction, Connector, FieldValue } from '../connectors/contract.js';
import { TooLargeTogether } from '../connectors/contract.js';
import { STEWARD_SYSTEM } from '../connectors/steward/index.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { RequestType } from '../policy/schema.js';
import { defineJob, enqueue } from '../jobs/queue.js';
import { addRequestEvent, loadRequest } from '../rights/model.js';
import type { RequestRow } from '../rights/model.js';
import { ownDataActions } from '../rights/own-data-actions.js';
import type { RequestClaims } from '../rights/own-data-actions.js';
import { recipientsToNotify } from '../rights/recipients.js';
import { answerAddress } from '../rights/verify-request.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { tellRequester } from '../rights/tell-requester.js';
import { languageOf } from '../rights/emails.js';
import { addDuration } from '../time.js';
import type { OpenCondition } from './conditions.js';
import { checkConditions, conditionKey, openCondition } from './conditions.js';
import type { PlannedSystem, StepResult } from './complete.js';
import { completeIfDone, loadPlanRow, resultOf, systemsOf } from './complete.js';
import type { PlannedStep, PlanSystem } from './plan.js';
import { conditionStepKey, LOCATE_KEY, planRequest } from './plan.js';
import { linkedOf, requestReceipt } from './receipt.js';
import type { RequestSeeds } from './seeds.js';
import { decodeValue, encodeValue, locateLinked, requestSeeds, seedsFor } from './seeds.js';
import type { StepProgress, StepRow } from './steps.js';
import {
  allDone,
  dependenciesOf,
  insertSteps,
  isFinished,
  loadSteps,
  lockRequest,
  makeManual,
  planOf,
  STEP_ATTEMPTS,
  stepLeaseMs,
} from './steps.js';
import { connectedSystems, connectorFor, safeMessage, stewardSystem } from './systems.js';

const changesData: ReadonlySet<string> = new Set(['rectification', 'erasure', 'restriction']);

// ---- Planning -------------------------------------------------------------------------------

/** The systems of a request's plan, with Steward's own recipients as found before any change. */
async function planSystems(
  ctx: AppContext,
  request: RequestRow,
  stewardRecipients: PlanSystem['recipients'],
) {
  const model = ctx.policies.get(request.declaration_id)?.model;
  if (model === undefined) throw new Error(`The declaration ${request.declaration_id} is not in force.`);
  const connected =
    request.type === 'objection' || request.type === 'withdrawal' ? [] : await connectedSystems(ctx, model);
  return { model, systems: [stewardSystem(stewardRecipients), ...connected] };
}

function planFor(
  model: Parameters<typeof planRequest>[0]['model'],
  request: RequestRow,
  claims: RequestClaims,
  systems: PlanSystem[],
  conditions: readonly OpenCondition[] = [],
) {
  return planRequest({
    type: request.type as RequestType,
    model,
    jurisdiction: request.jurisdiction ?? 'default',
    systems,
    ...(claims.rectification === undefined ? {} : { corrections: claims.rectification }),
    ...(conditions.length === 0 ? {} : { conditions }),
    language: languageOf(model.declaration, claims.language),
  });
}

/** An erasure's conditions that hold for the person now (outside any transaction: it may ask systems). */
async function openConditions(
  ctx: AppContext,
  model: Parameters<typeof planRequest>[0]['model'],
  request: RequestRow,
  claims: RequestClaims,
): Promise<OpenCondition[]> {
  if (request.type !== 'erasure') return [];
  const language = languageOf(model.declaration, claims.language);
  const base = await requestSeeds(ctx.store.db, ctx, request);
  const now = ctx.clock.now();
  return (await checkConditions(ctx, model, base))
    .filter((c) => c.holds)
    .map((c) => openCondition(model, c, now, language));
}

/**
 * Whether waiting for a condition may pass the request's deadline (Art. 12(3)): its expected end
 * (or, with none, the next check) after the deadline. The operator is told on the timeline.
 */
async function noteDeadline(
  tx: Tx,
  ctx: AppContext,
  request: RequestRow,
  condition: OpenCondition,
  next: Date,
): Promise<void> {
  // The later of its expected end and the next check: an expected end already past does not count.
  const end = [condition.endsOn ?? '', next.toISOString()].sort().at(-1)!;
  if (end <= request.due_at) return;
  const kind = 'erasure_deferral_past_deadline';
  const noted = await tx
    .selectFrom('request_events')
    .select('seq')
    .where('request_id', '=', request.id)
    .where('kind', '=', kind)
    .where('details', 'like', `%"condition":"${conditionKey(condition)}"%`)
    .executeTakeFirst();
  if (noted !== undefined) return;
  await addRequestEvent(tx, ctx, {
    requestId: request.id,
    actor: 'system',
    kind,
    details: {
      condition: conditionKey(condition),
      dueAt: request.due_at,
      ...(condition.endsOn === undefined ? { nextCheck: next.toISOString() } : { endsOn: condition.endsOn }),
      what: `Erasure of "${condition.purposeName}" data waits for ${condition.condition}, which ${condition.endsOn === undefined ? 'has no known end' : `is expected to end on ${condition.endsOn.slice(0, 10)}`}, after the deadline of ${request.due_at.slice(0, 10)}: extend the request with reasons (Art. 12(3)), or answer the rest and explain this part.`,
    },
  });
}

/**
 * Plans a request that entered fulfilment and starts the steps that wait for nothing. What must
 * be read before anything changes is read here: the recipients of Steward's data, the address
 * to answer, the identifiers to search with. Runs once per request.
 */
export async function planFulfilment(
  ctx: AppContext,
  requestId: string,
): Promise<{ steps: number } | { skipped: true }> {
  const request = await loadRequest(ctx.store.db, requestId);
  if (request.status !== 'in_progress' || (await loadPlanRow(ctx.store.db, requestId)) !== undefined)
    return { skipped: true };
  const claims = unseal(ctx.keys.records, request.claims) as RequestClaims;
  const stewardRecipients =
    request.subject_id !== null && changesData.has(request.type)
      ? (await recipientsToNotify(ctx, request.subject_id)).map(({ recipientId, name, why }) => ({
          recipientId,
          name,
          why,
        }))
      : [];
  const { model, systems } = await planSystems(ctx, request, stewardRecipients);
  const conditions = await openConditions(ctx, model, request, claims);
  const plan = planFor(model, request, claims, systems, conditions);
  return transaction(ctx.store, async (tx) => {
    await lockRequest(tx, ctx, requestId);
    if ((await loadPlanRow(tx, requestId)) !== undefined) return { skipped: true as const };
    const now = ctx.clock.now().toISOString();
    const seeds = await requestSeeds(tx, ctx, request);
    const contact = await answerAddress(tx, ctx, request);
    const stored: PlannedSystem[] = systems.map((s) => ({
      id: s.id,
      name: s.name,
      ...(s.owner === undefined ? {} : { owner: s.owner }),
      recipients: s.recipients,
    }));
    await tx
      .insertInto('request_plans')
      .values({
        request_id: requestId,
        seeds: seal(ctx.keys.records, seeds),
        answer_to: contact === undefined ? null : seal(ctx.keys.records, contact.value),
        systems: JSON.stringify(stored),
        receipt: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await insertSteps(tx, ctx, requestId, plan.steps);
    if (conditions.length > 0) {
      await addRequestEvent(tx, ctx, {
        requestId,
        actor: 'system',
        kind: 'erasure_conditions',
        details: { conditions: conditions.map((c) => ({ condition: conditionKey(c), effect: c.effect })) },
        visible: true,
      });
      for (const c of conditions)
        if (c.effect === 'defer')
          await noteDeadline(tx, ctx, request, c, addDuration(ctx.clock.now(), c.recheck));
      // The requester learns now that part of the erasure waits or is refused, and why.
      await tellRequester(tx, ctx, requestId, {
        kind: 'conditions',
        lines: conditions.map((c) => `"${c.purposeName}": ${c.words}`),
        dueAt: request.due_at,
        ...(contact === undefined ? {} : { to: contact.value }),
      });
    }
    await addRequestEvent(tx, ctx, {
      requestId,
      actor: 'system',
      kind: 'plan_made',
      details: {
        systems: systems.map((s) => s.id),
        steps: plan.steps.length,
        failed: plan.steps.filter((s) => s.status === 'failed').map((s) => s.key),
        manual: plan.steps.filter((s) => s.status === 'manual').map((s) => s.key),
      },
    });
    await afterStepDone(tx, ctx, requestId);
    return { steps: plan.steps.length };
  });
}

/** Plans a request once it is in fulfilment (enqueued by `startFulfilment`). */
export const planJob = defineJob({
  type: 'execution.plan',
  version: 1,
  payload: z.strictObject({ requestId: z.string() }),
  handler: (ctx, { requestId }) => planFulfilment(ctx, requestId),
});

/** Queues the planning of a request, in the transaction that moved it into fulfilment. */
export async function schedulePlan(tx: Tx, ctx: Pick<AppContext, 'clock'>, requestId: string): Promise<void> {
  await enqueue(tx, ctx.clock, planJob, { requestId }, { id: `plan:${requestId}` });
}

// ---- Starting and finishing steps -------------------------------------------------------------

/** Steps that change or count a system's rows: a system's ready ones share one job (`runStep`). */
const sharesJob: ReadonlySet<string> = new Set(['delete', 'mask', 'keep', 'update', 'restrict']);

/**
 * Hands every pending step whose dependencies are all done to a job. Call inside the transaction
 * that finished the last dependency, after `lockRequest`, so a step is started exactly once.
 *
 * A system's ready change steps share one job, and so do its steps that wait only for those
 * (children before parents, in order): the job runs them in one transaction of the system when
 * each fits in a batch (`Connector.together`), else one by one.
 */
export async function startReady(tx: Tx, ctx: Pick<AppContext, 'clock'>, requestId: string): Promise<number> {
  const steps = await loadSteps(tx, requestId);
  const done = new Set(steps.filter((s) => isFinished(s.status)).map((s) => s.key));
  const groups = new Map<string, { jobId: string; keys: Set<string> }>();
  const waiting = (step: StepRow, group?: { keys: Set<string> }) =>
    step.status === 'pending' &&
    step.job_id === null &&
    group?.keys.has(step.key) !== true &&
    dependenciesOf(step).every((key) => done.has(key) || group?.keys.has(key) === true);
  const assign = (step: StepRow, jobId: string) =>
    tx
      .updateTable('request_steps')
      .set({ job_id: jobId, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', step.id)
      .execute();
  let started = 0;
  for (const step of steps) {
    if (!waiting(step)) continue;
    // A step that ran before (on its own, or tried together) keeps a job of its own.
    const shared = sharesJob.has(step.action) && step.progress === null;
    const group = shared ? groups.get(step.system) : undefined;
    if (group !== undefined) {
      await assign(step, group.jobId);
      group.keys.add(step.key);
      continue;
    }
    const jobId = `step:${step.id}:${randomUUID()}`;
    await assign(step, jobId);
    await enqueue(tx, ctx.clock, runStepJob, { stepId: step.id }, { id: jobId });
    if (shared) groups.set(step.system, { jobId, keys: new Set([step.key]) });
    started += 1;
  }
  for (const [system, group] of groups)
    for (let grew = true; grew;) {
      grew = false;
      for (const step of steps)
        if (
          step.system === system &&
          sharesJob.has(step.action) &&
          step.progress === null &&
          waiting(step, group)
        ) {
          await assign(step, group.jobId);
          group.keys.add(step.key);
          grew = true;
        }
    }
  return started;
}

/** After a step finished: start what waited for it, and complete the request when nothing is left. */
export async function afterStepDone(tx: Tx, ctx: AppContext, requestId: string): Promise<void> {
  await startReady(tx, ctx, requestId);
  if (!(await allDone(tx, requestId))) return;
  const request = await loadRequest(tx, requestId);
  if (request.type === 'erasure') await requestReceipt(tx, ctx, requestId);
  else await completeIfDone(tx, ctx, requestId);
}

// ---- Running one step -------------------------------------------------------------------------

/** How often a change step's progress is written after a batch, at most (see `onBatch`). */
const PROGRESS_EVERY_MS = 2_000;

interface Performed {
  readonly result: StepResult & Record<string, unknown>;
  /** A change step's progress at its end, written with its result. */
  readonly progress?: StepProgress;
  /** The step needs a person after all (an objection to weigh): their task. */
  readonly manual?: string;
  /** A condition still holds: the step runs again then. */
  readonly waitUntil?: Date;
}

/** The seeds this step searches with: the request's, with the linked values found for its system. */
async function stepSeeds(ctx: AppContext, step: StepRow) {
  const plan = await loadPlanRow(ctx.store.db, step.request_id);
  const base: RequestSeeds =
    plan?.seeds == null ? { identities: [] } : (unseal(ctx.keys.records, plan.seeds) as RequestSeeds);
  const locate = (await loadSteps(ctx.store.db, step.request_id)).find((s) => s.key === LOCATE_KEY);
  return { base, seeds: seedsFor(base, step.system, linkedOf(ctx, locate)) };
}

/** The update of a rectification step: the corrected values, read from the sealed claims. */
function updateOf(ctx: AppContext, request: RequestRow, step: StepRow): ChangeAction {
  const claims = unseal(ctx.keys.records, request.claims) as RequestClaims;
  const values = (planOf(step).updates ?? []).flatMap((u) => {
    const correction = claims.rectification?.[u.correction];
    const value = u.part === undefined ? correction?.value : correction?.parts?.[u.part];
    return value === undefined ? [] : [{ field: u.field, value: value as FieldValue }];
  });
  return { action: 'update', values };
}

/**
 * The job a step runs as: `owner` is the worker holding its lease. Without one (a step run by
 * hand, as tests do) nothing about the lease is checked.
 */
interface StepJob {
  readonly id: string;
  readonly attempt: number;
  readonly owner?: string;
}

/**
 * The step's lease went to another worker while this one ran it (this process was paused or cut
 * off for longer than the lease): that worker carries the step on, and this one writes nothing more.
 */
class LeaseLost extends Error {
  constructor(job: StepJob) {
    super(`Job ${job.id}: another worker holds its lease now; this worker stops running the step.`);
    this.name = 'LeaseLost';
  }
}

/**
 * Fails with `LeaseLost` unless this worker still holds the job's lease. On PostgreSQL the job's
 * row stays locked to the end of `tx`, so no claim can slip in before the transaction commits
 * (SQLite has one writer at a time).
 */
async function holdLease(tx: Tx, ctx: Pick<AppContext, 'store'>, job: StepJob): Promise<void> {
  if (job.owner === undefined) return;
  const query = tx.selectFrom('jobs').select('lease_owner').where('id', '=', job.id);
  const row = await (ctx.store.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  if (row?.lease_owner !== job.owner) throw new LeaseLost(job);
}

async function performChange(
  ctx: AppContext,
  request: RequestRow,
  step: StepRow,
  job: StepJob,
  connector: Connector,
  seeds: ReturnType<typeof seedsFor>,
): Promise<Performed> {
  const plan = planOf(step);
  const change =
    plan.withhold !== undefined
      ? await withholding(ctx, request, plan.withhold)
      : (plan.change ?? (step.action === 'update' ? updateOf(ctx, request, step) : undefined));
  if (change === undefined) {
    // A kept collection that needs nothing masked: counted, for the answer and the receipt.
    const matched = (await connector.count(seeds)).get(step.collection) ?? 0;
    return { result: { matched, changed: 0, batches: 0 } };
  }
  const before: StepProgress =
    step.progress === null ? { changed: 0, batches: 0 } : (JSON.parse(step.progress) as StepProgress);
  let progress = before;
  // Each write is conditional on the lease, so a worker that lost it stops at its next batch
  // (thrown in `beforeCommit`, that batch rolls back in the company's database).
  const owner = job.owner;
  let savedAt = ctx.clock.now().getTime();
  const save = async (next: StepProgress, renew: boolean) => {
    const now = ctx.clock.now();
    savedAt = now.getTime();
    const saved = await ctx.store.db
      .updateTable('request_steps')
      .set({ progress: JSON.stringify(next), updated_at: now.toISOString() })
      .where('id', '=', step.id)
      .$if(owner !== undefined, (q) =>
        q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('jobs')
              .select('jobs.id')
              .where('jobs.id', '=', job.id)
              .where('jobs.lease_owner', '=', owner ?? ''),
          ),
        ),
      )
      .executeTakeFirst();
    if (Number(saved.numUpdatedRows) === 0) throw new LeaseLost(job);
    if (renew)
      await ctx.store.db
        .updateTable('jobs')
        .set({ lease_expires_at: new Date(now.getTime() + stepLeaseMs(ctx)).toISOString() })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .$if(owner !== undefined, (q) => q.where('lease_owner', '=', owner ?? ''))
        .execute();
  };
  const decodeKey = (key: readonly unknown[]) => key.map(decodeValue);
  const encodeKey = (key: readonly FieldValue[]) => key.map(encodeValue);
  const result = await connector.change(seeds, step.collection, change, {
    ...(ctx.config.executionBatchSize === undefined ? {} : { batchSize: ctx.config.executionBatchSize }),
    ...(step.progress === null
      ? {}
      : {
          resume: {
            changed: before.changed,
            ...(before.matched === undefined ? {} : { matched: before.matched }),
            ...(before.cursor === undefined ? {} : { cursor: decodeKey(before.cursor) }),
            ...(before.inFlight === undefined
              ? {}
              : {
                  inFlight: {
                    keys: before.inFlight.keys.map(decodeKey),
                    ...(before.inFlight.digests === undefined ? {} : { digests: before.inFlight.digests }),
                  },
                }),
          },
        }),
    // Committed in Steward's store before the system's COMMIT: a kill after that COMMIT leaves
    // this entry, and the re-run settles the batch row by row instead of changing it again.
    beforeCommit: async ({ keys, digests }, matched) => {
      const { inFlight: _, ...rest } = progress;
      progress = {
        ...rest,
        matched,
        inFlight: { keys: keys.map(encodeKey), ...(digests === undefined ? {} : { digests }) },
      };
      await save(progress, false);
    },
    onBatch: async ({ changed, cursor, matched }) => {
      // `changed` is the total across runs (the connector starts from `resume.changed`). The next
      // batch's in-flight entry carries this one's cursor and count, and the finishing
      // transaction the last one's, so a write of its own only keeps a long step's page fresh;
      // a kill before either leaves this batch in flight, settled row by row on resume.
      progress = { changed, batches: progress.batches + 1, matched, cursor: encodeKey(cursor) };
      if (ctx.clock.now().getTime() - savedAt < PROGRESS_EVERY_MS) return;
      await save(progress, true);
    },
  });
  const { inFlight: _, ...settled } = progress;
  progress = { ...settled, changed: result.changed, batches: before.batches + result.batches };
  return {
    progress,
    result: {
      matched: result.matched,
      changed: progress.changed,
      batches: progress.batches,
      ...(result.kept === undefined || result.kept.length === 0 ? {} : { systemKept: result.kept }),
    },
  };
}

/**
 * Steward's erasure with what its conditions keep: a refused purpose's records always, a deferred
 * one's while its condition step is not done.
 */
async function withholding(
  ctx: AppContext,
  request: RequestRow,
  conditions: readonly OpenCondition[],
): Promise<ChangeAction> {
  const steps = await loadSteps(ctx.store.db, request.id);
  const ended = (c: OpenCondition) => steps.some((s) => s.key === conditionStepKey(c) && s.status === 'done');
  const withhold = conditions
    .filter((c) => c.effect === 'refuse' || !ended(c))
    .map((c) => ({
      declarationId: request.declaration_id,
      purpose: c.purpose,
      condition: c.condition,
      effect: c.effect,
      explanation: c.words,
      ...(c.endsOn === undefined ? {} : { until: c.endsOn }),
    }));
  return { action: 'delete', ...(withhold.length === 0 ? {} : { withhold }) };
}

async function perform(
  ctx: AppContext,
  request: RequestRow,
  step: StepRow,
  job: StepJob,
): Promise<Performed> {
  const plan = planOf(step);
  const { base, seeds } = await stepSeeds(ctx, step);
  switch (step.action) {
    case 'locate': {
      const linked = await locateLinked(ctx, request, base, plan.systems ?? []);
      const found = Object.fromEntries(
        Object.entries(linked).map(([system, list]) => [
          system,
          list.reduce((n, l) => n + l.values.length, 0),
        ]),
      );
      const encoded = Object.fromEntries(
        Object.entries(linked).map(([system, list]) => [
          system,
          list.map((l) => ({ ...l, values: l.values.map(encodeValue) })),
        ]),
      );
      return { result: { found, sealed: seal(ctx.keys.records, encoded) } };
    }
    case 'objection':
    case 'withdrawal': {
      const claims = unseal(ctx.keys.records, request.claims) as RequestClaims;
      const { contact: _, ...outcome } = await ownDataActions[step.action]!(ctx, request, claims);
      return outcome.manual === true
        ? { result: { ...outcome, summary: outcome.summary }, manual: outcome.summary.join(' ') }
        : { result: { ...outcome, summary: outcome.summary } };
    }
    case 'condition': {
      const condition = plan.condition!;
      const model = ctx.policies.get(request.declaration_id)?.model;
      if (model === undefined) throw new Error(`The declaration ${request.declaration_id} is not in force.`);
      const [state] = await checkConditions(ctx, model, base, [conditionKey(condition)]);
      const now = ctx.clock.now();
      if (state?.holds === true)
        return {
          result: {
            checkedAt: now.toISOString(),
            holds: true,
            ...(state.problem === undefined ? {} : { problem: state.problem }),
          },
          waitUntil: addDuration(now, condition.recheck),
        };
      return { result: { checkedAt: now.toISOString(), holds: false, endedBy: now.toISOString() } };
    }
    case 'read': {
      const connector = await connectorFor(ctx, step.system, request);
      const counts = await connector.count(seeds);
      const wanted = plan.collections;
      const kept = [...counts].filter(([c, n]) => n > 0 && (wanted === undefined || wanted.includes(c)));
      return { result: { counts: Object.fromEntries(kept) } };
    }
    case 'delete':
    case 'mask':
    case 'keep':
    case 'update':
    case 'restrict': {
      const connector = await connectorFor(ctx, step.system, request);
      return performChange(ctx, request, step, job, connector, seeds);
    }
    default:
      throw new Error(`A ${step.action} step is done by a person, not by a job.`);
  }
}

/** Runs one step once, on its own; see the module comment for what happens when it fails. */
async function runOne(
  ctx: AppContext,
  request: RequestRow,
  step: StepRow,
  job: StepJob,
): Promise<{ done: true } | { failed: true }> {
  const stepId = step.id;
  const now = () => ctx.clock.now().toISOString();
  await ctx.store.db
    .updateTable('request_steps')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(now())),
      updated_at: now(),
    }))
    .where('id', '=', stepId)
    .execute();
  let performed: Performed;
  try {
    performed = await perform(ctx, request, step, job);
  } catch (error) {
    if (error instanceof LeaseLost) throw error;
    const message = safeMessage(error);
    const final = job.attempt >= STEP_ATTEMPTS;
    ctx.log.warn(
      { step: step.key, request: request.id, attempt: job.attempt, final, err: message },
      'request step failed',
    );
    await transaction(ctx.store, async (tx) => {
      await lockRequest(tx, ctx, request.id);
      await holdLease(tx, ctx, job);
      await tx
        .updateTable('request_steps')
        .set({
          status: final ? 'failed' : 'pending',
          error: message,
          updated_at: now(),
          finished_at: final ? now() : null,
        })
        .where('id', '=', stepId)
        .execute();
      if (!final) return;
      await addRequestEvent(tx, ctx, {
        requestId: request.id,
        actor: 'system',
        kind: 'step_failed',
        details: { step: step.key, attempts: job.attempt, error: message },
      });
    });
    if (final) return { failed: true };
    throw error;
  }
  await transaction(ctx.store, async (tx) => {
    await lockRequest(tx, ctx, request.id);
    await holdLease(tx, ctx, job);
    if (performed.manual !== undefined) {
      await makeManual(tx, ctx, step, performed.manual, performed.result);
      return;
    }
    if (performed.waitUntil !== undefined) {
      // Still holds: the step waits, and a job checks again then.
      const jobId = `step:${step.id}:${randomUUID()}`;
      await tx
        .updateTable('request_steps')
        .set({
          status: 'pending',
          job_id: jobId,
          result: JSON.stringify(performed.result),
          updated_at: now(),
        })
        .where('id', '=', stepId)
        .execute();
      await enqueue(tx, ctx.clock, runStepJob, { stepId }, { id: jobId, runAt: performed.waitUntil });
      const condition = planOf(step).condition;
      if (condition !== undefined) await noteDeadline(tx, ctx, request, condition, performed.waitUntil);
      return;
    }
    await tx
      .updateTable('request_steps')
      .set({
        status: 'done',
        result: JSON.stringify(performed.result),
        ...(performed.progress === undefined ? {} : { progress: JSON.stringify(performed.progress) }),
        error: null,
        updated_at: now(),
        finished_at: now(),
      })
      .where('id', '=', stepId)
      .execute();
    await afterStepDone(tx, ctx, request.id);
  });
  return { done: true };
}

/**
 * Runs the steps of one job: a step on its own, or a system's steps that share the job
 * (`startReady`). Those run in one transaction of the system when nothing of them was done
 * before and each fits in a batch (`runTogether`). Otherwise each goes on alone: this job keeps
 * its first step, the others get jobs of their own (and so attempts of their own), each resuming
 * from its own progress.
 */
export async function runStep(ctx: AppContext, stepId: string, job: StepJob): Promise<unknown> {
  const lead = await ctx.store.db
    .selectFrom('request_steps')
    .selectAll()
    .where('id', '=', stepId)
    .executeTakeFirst();
  if (lead === undefined) return { skipped: true };
  const steps = lead.job_id === null ? [lead] : await stepsOfJob(ctx, lead.request_id, lead.job_id);
  const live = steps.filter((s) => s.status === 'pending' || s.status === 'running');
  if (live.length === 0) return { skipped: true };
  const request = await loadRequest(ctx.store.db, lead.request_id);
  if (request.status !== 'in_progress') {
    const now = ctx.clock.now().toISOString();
    await ctx.store.db
      .updateTable('request_steps')
      .set({
        status: 'skipped',
        error: `The request is ${request.status.replace('_', ' ')}.`,
        updated_at: now,
        finished_at: now,
      })
      .where(
        'id',
        'in',
        live.map((s) => s.id),
      )
      .execute();
    return { skipped: true, status: request.status };
  }
  if (live.length > 1) {
    if (live.every((s) => s.progress === null)) {
      const together = await runTogether(ctx, request, live, job);
      if (together !== undefined) return together;
    }
    await goAlone(ctx, request.id, live, lead.id, job);
  }
  // Read again: a change tried together may have left its batch in flight.
  const step = await ctx.store.db
    .selectFrom('request_steps')
    .selectAll()
    .where('id', '=', lead.id)
    .executeTakeFirstOrThrow();
  if (step.status !== 'pending' && step.status !== 'running') return { skipped: true };
  return runOne(ctx, request, step, job);
}

/**
 * The steps of a job that could not run together go on one by one: each is marked as started
 * (a progress of its own, so `startReady` gives it a job of its own from now on) and all but
 * `keep`, the step this job runs, are handed to `startReady`.
 */
async function goAlone(
  ctx: AppContext,
  requestId: string,
  steps: readonly StepRow[],
  keep: string,
  job: StepJob,
): Promise<void> {
  const others = steps.filter((s) => s.id !== keep);
  await transaction(ctx.store, async (tx) => {
    await lockRequest(tx, ctx, requestId);
    await holdLease(tx, ctx, job);
    const now = ctx.clock.now().toISOString();
    await tx
      .updateTable('request_steps')
      .set({ progress: JSON.stringify({ changed: 0, batches: 0 } satisfies StepProgress), updated_at: now })
      .where(
        'id',
        'in',
        steps.map((s) => s.id),
      )
      .where('progress', 'is', null)
      .execute();
    if (others.length > 0)
      await tx
        .updateTable('request_steps')
        .set({ status: 'pending', job_id: null, updated_at: now })
        .where(
          'id',
          'in',
          others.map((s) => s.id),
        )
        .execute();
    await startReady(tx, ctx, requestId);
  });
}

/** The steps sharing a job, dependencies first. */
async function stepsOfJob(ctx: AppContext, requestId: string, jobId: string): Promise<StepRow[]> {
  const steps = await ctx.store.db
    .selectFrom('request_steps')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('job_id', '=', jobId)
    .orderBy('position')
    .execute();
  const ordered: StepRow[] = [];
  const placed = new Set<string>();
  const inJob = new Set(steps.map((s) => s.key));
  while (ordered.length < steps.length) {
    const next = steps.find(
      (s) => !placed.has(s.key) && dependenciesOf(s).every((k) => placed.has(k) || !inJob.has(k)),
    );
    if (next === undefined) throw new Error(`The steps of job ${jobId} wait for each other.`);
    ordered.push(next);
    placed.add(next.key);
  }
  return ordered;
}

/**
 * A system's steps run in one transaction of the system (`Connector.together`), recorded in
 * flight before its COMMIT and done in one transaction of Steward's after it. Undefined when they
 * cannot be (a connector without it, a collection with more than one batch of the person's
 * rows, any error): nothing was committed in the system then, and the caller runs them one by one.
 */
async function runTogether(
  ctx: AppContext,
  request: RequestRow,
  steps: readonly StepRow[],
  job: StepJob,
): Promise<{ done: true; together: number } | undefined> {
  const system = steps[0]!.system;
  // A system that cannot be had now (its settings gone) fails its steps one by one, with the error.
  const connector = await connectorFor(ctx, system, request).catch(() => undefined);
  // Steward's own data keeps what a condition withholds step by step; it has no `together` either.
  if (
    connector?.together === undefined ||
    steps.some((s) => s.system !== system || planOf(s).withhold !== undefined)
  )
    return undefined;
  const { seeds } = await stepSeeds(ctx, steps[0]!);
  const now = () => ctx.clock.now().toISOString();
  const ids = steps.map((s) => s.id);
  await ctx.store.db
    .updateTable('request_steps')
    .set((eb) => ({
      status: 'running',
      started_at: eb.fn.coalesce('started_at', eb.val(now())),
      updated_at: now(),
    }))
    .where('id', 'in', ids)
    .execute();
  const inFlight = new Map<string, StepProgress>();
  const progress = new Map<string, StepProgress>();
  const encodeKey = (key: readonly FieldValue[]) => key.map(encodeValue);
  let results: Map<string, Performed['result']>;
  try {
    results = await connector.together(
      async (changes) => {
        const out = new Map<string, Performed['result']>();
        for (const step of steps) {
          const change =
            planOf(step).change ??
            (step.action === 'update' ? updateOf(ctx, request, step) : { action: 'mask', fields: [] });
          const result = await changes.change(seeds, step.collection, change, {
            ...(ctx.config.executionBatchSize === undefined
              ? {}
              : { batchSize: ctx.config.executionBatchSize }),
            beforeCommit: ({ keys, digests }, matched) =>
              void inFlight.set(step.id, {
                changed: 0,
                batches: 0,
                matched,
                inFlight: { keys: keys.map(encodeKey), ...(digests === undefined ? {} : { digests }) },
              }),
            onBatch: ({ changed, cursor, matched }) =>
              void progress.set(step.id, { changed, batches: 1, matched, cursor: encodeKey(cursor) }),
          });
          out.set(step.id, {
            matched: result.matched,
            changed: result.changed,
            batches: result.batches,
            // Shown on the request page: this step committed with the others, at once.
            together: steps.length,
            ...(result.kept === undefined || result.kept.length === 0 ? {} : { systemKept: result.kept }),
          });
        }
        return out;
      },
      {
        // What `performChange` records before each batch's COMMIT, for every step at once.
        beforeCommit: () =>
          transaction(ctx.store, async (tx) => {
            await holdLease(tx, ctx, job);
            for (const [id, entry] of inFlight)
              await tx
                .updateTable('request_steps')
                .set({ progress: JSON.stringify(entry), updated_at: now() })
                .where('id', '=', id)
                .execute();
          }),
      },
    );
  } catch (error) {
    if (error instanceof LeaseLost) throw error;
    if (!(error instanceof TooLargeTogether))
      ctx.log.info(
        { request: request.id, system, err: safeMessage(error) },
        'steps tried together failed; running them one by one',
      );
    return undefined;
  }
  await transaction(ctx.store, async (tx) => {
    await lockRequest(tx, ctx, request.id);
    await holdLease(tx, ctx, job);
    for (const step of steps) {
      const result = results.get(step.id)!;
      const done = progress.get(step.id) ?? { changed: 0, batches: 0, matched: result.matched };
      await tx
        .updateTable('request_steps')
        .set((eb) => ({
          status: 'done',
          attempts: eb('attempts', '+', 1),
          result: JSON.stringify(result),
          progress: JSON.stringify(done),
          error: null,
          updated_at: now(),
          finished_at: now(),
        }))
        .where('id', '=', step.id)
        .execute();
    }
    await afterStepDone(tx, ctx, request.id);
  });
  return { done: true, together: steps.length };
}

/** One step of a request's plan as a leased job. */
export const runStepJob = defineJob({
  type: 'execution.run-step',
  version: 1,
  payload: z.strictObject({ stepId: z.string() }),
  maxAttempts: STEP_ATTEMPTS,
  leaseMs: stepLeaseMs,
  handler: (ctx, { stepId }, job) => runStep(ctx, stepId, job),
});

// ---- People: retrying a failed step, closing a manual one ---------------------------------------

/** True when the step's job died without the step finishing (its worker stopped every attempt). */
export async function jobDied(db: Tx, step: Pick<StepRow, 'status' | 'job_id'>): Promise<boolean> {
  if (step.status !== 'running' || step.job_id === null) return false;
  const job = await db.selectFrom('jobs').select('status').where('id', '=', step.job_id).executeTakeFirst();
  return job?.status === 'dead';
}

/**
 * The steps of one system planned again, for a retry of a step that could not be planned (no
 * settings, no reviewed dataset, a dataset problem) after the cause was fixed.
 */
async function replanned(ctx: AppContext, request: RequestRow, step: StepRow): Promise<PlannedStep[]> {
  const plan = await loadPlanRow(ctx.store.db, request.id);
  const steward = plan === undefined ? undefined : systemsOf(plan).find((s) => s.id === STEWARD_SYSTEM);
  const { model, systems } = await planSystems(ctx, request, steward?.recipients ?? []);
  const claims = unseal(ctx.keys.records, request.claims) as RequestClaims;
  return planFor(model, request, claims, systems).steps.filter((s) => s.system === step.system);
}

export const retryStepInput = z.strictObject({
  note: z.string().min(1).max(2000).optional().describe('What was fixed, for the timeline'),
});

/**
 * An operator retries a failed step: it runs again with fresh attempts; a step that failed
 * because its system could not be planned is planned again, and its collections' steps replace
 * it. Needs `requests:manage`.
 *
 * @throws AppError `conflict` when the step has not failed, or the cause is still there.
 */
export async function retryStep(
  ctx: AppContext,
  actor: Actor,
  requestId: string,
  stepId: string,
  raw: z.input<typeof retryStepInput> = {},
): Promise<void> {
  requirePermission(actor, 'requests:manage');
  const input = retryStepInput.parse(raw);
  const request = await loadRequest(ctx.store.db, requestId);
  const step = await ctx.store.db
    .selectFrom('request_steps')
    .selectAll()
    .where('id', '=', stepId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (step === undefined) throw notFound(`Step ${stepId}`);
  if (request.status !== 'in_progress')
    throw new AppError(
      'conflict',
      `Request ${request.reference} is ${request.status.replace('_', ' ')}; its steps no longer run.`,
    );
  if (step.status !== 'failed' && !(await jobDied(ctx.store.db, step)))
    throw new AppError('conflict', `Step ${step.key} is ${step.status}; only a failed step can be retried.`);
  const fresh = planOf(step).planFailed === true ? await replanned(ctx, request, step) : undefined;
  if (fresh !== undefined) {
    const still = fresh.find((s) => s.key === step.key && s.status === 'failed');
    if (still !== undefined)
      throw new AppError('conflict', still.note ?? `Step ${step.key} still cannot be planned.`);
  }
  await transaction(ctx.store, async (tx) => {
    await lockRequest(tx, ctx, requestId);
    const now = ctx.clock.now().toISOString();
    if (fresh === undefined) {
      await tx
        .updateTable('request_steps')
        .set({ status: 'pending', job_id: null, finished_at: null, updated_at: now })
        .where('id', '=', stepId)
        .execute();
      // The unfinished steps its dead job also held start again with it.
      if (step.job_id !== null)
        await tx
          .updateTable('request_steps')
          .set({ status: 'pending', job_id: null, updated_at: now })
          .where('request_id', '=', requestId)
          .where('job_id', '=', step.job_id)
          .where('status', 'in', ['pending', 'running'])
          .execute();
    } else {
      // The old failures of this system give way to its steps as planned now.
      const existing = (await loadSteps(tx, requestId)).filter((s) => s.system === step.system);
      for (const old of existing)
        if (old.status === 'failed') await tx.deleteFrom('request_steps').where('id', '=', old.id).execute();
      await insertSteps(tx, ctx, requestId, fresh);
    }
    await addRequestEvent(tx, ctx, {
      requestId,
      actor: actorRef(actor),
      kind: 'step_retried',
      details: { step: step.key, replanned: fresh?.map((s) => s.key) ?? null, note: input.note ?? null },
    });
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'request.step_retried',
      target: `request:${requestId}`,
      details: { step: step.key },
    });
    await afterStepDone(tx, ctx, requestId);
  });
}

/**
 * A person closed the task of a manual step (done by hand, or skipped): the step is finished
 * with what they said, and the plan goes on. Returns false for a task of no step (a request
 * fulfilled before plans existed). Inside the caller's transaction.
 */
export async function finishManualStep(
  tx: Tx,
  ctx: AppContext,
  requestId: string,
  taskId: string,
  outcome: { status: 'done' | 'skipped'; summary?: string; by: string },
): Promise<boolean> {
  const step = await tx
    .selectFrom('request_steps')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('task_id', '=', taskId)
    .executeTakeFirst();
  if (step === undefined) return false;
  await lockRequest(tx, ctx, requestId);
  const now = ctx.clock.now().toISOString();
  const previous = resultOf(step);
  await tx
    .updateTable('request_steps')
    .set({
      status: outcome.status,
      result: JSON.stringify({
        ...previous,
        summary: outcome.summary === undefined ? (previous.summary ?? []) : [outcome.summary],
        closedBy: outcome.by,
      }),
      updated_at: now,
      finished_at: now,
    })
    .where('id', '=', step.id)
    .execute();
  // A correction found inaccurate is applied nowhere: what waited for the review is skipped.
  if (outcome.status === 'skipped' && step.action === 'review')
    await skipDependents(tx, ctx, requestId, step.key);
  await afterStepDone(tx, ctx, requestId);
  return true;
}

/** Skips every step that waits, directly or not, for `key`. */
async function skipDependents(tx: Tx, ctx: AppContext, requestId: string, key: string): Promise<void> {
  const steps = await loadSteps(tx, requestId);
  const skipped = new Set([key]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of steps)
      if (!skipped.has(s.key) && dependenciesOf(s).some((k) => skipped.has(k))) {
        skipped.add(s.key);
        grew = true;
      }
  }
  const now = ctx.clock.now().toISOString();
  for (const s of steps)
    if (s.key !== key && skipped.has(s.key) && !isFinished(s.status))
      await tx
        .updateTable('request_steps')
        .set({
          status: 'skipped',
          error: `Not done: ${key} was closed without applying the correction.`,
          updated_at: now,
          finished_at: now,
        })
        .where('id', '=', s.id)
        .execute();
}
