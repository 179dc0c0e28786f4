/**
 * The receipt of an erasure: once every step is done, the person is searched for again in every
 * system with the same seeds (`count`, then the identifying fields of whatever is still found),
 * and the request records, per system, "0 identifying values left" or what remains and why (a
 * collection kept for an obligation, rows masked because others need them). It is written
 * before the request completes, and the sealed seeds are then cleared: nothing is left to search
 * with.
 */
import { z } from 'zod';
import { unseal } from '../capture/sealed.js';
import type { Connector, FieldValue } from '../connectors/contract.js';
import type { AppContext } from '../context.js';
import { defineJob, enqueue } from '../jobs/queue.js';
import { loadRequest } from '../rights/model.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { completeIfDone, latestKept, loadPlanRow, resultOf, systemsOf } from './complete.js';
import type { LinkedValues, RequestSeeds } from './seeds.js';
import { decodeValue, seedsFor } from './seeds.js';
import { LOCATE_KEY } from './plan.js';
import type { StepRow } from './steps.js';
import { loadSteps, lockRequest, planOf } from './steps.js';
import { connectorFor, safeMessage } from './systems.js';

/** What a system still holds of the person after the erasure, and why. */
export interface SystemReceipt {
  readonly system: string;
  readonly name: string;
  readonly checkedAt: string;
  /** Values of identifying fields still equal to one the request searched with. */
  readonly identifyingValues: number;
  /** Where those values are. */
  readonly identifyingFields: readonly {
    readonly collection: string;
    readonly field: string;
    readonly values: number;
  }[];
  /** Rows still found, per collection, with the reason they stay. */
  readonly remaining: readonly {
    readonly collection: string;
    readonly rows: number;
    readonly why: string;
    readonly expected: boolean;
  }[];
  /** Rows kept on purpose (an obligation, a hold), whether or not the search still finds them. */
  readonly kept: readonly { readonly collection: string; readonly rows: number; readonly why: string }[];
  /** In one sentence, for the request page. */
  readonly statement: string;
  /** The search could not run (the system was unreachable): nothing is claimed. */
  readonly error?: string;
}

export interface Receipt {
  readonly at: string;
  readonly systems: readonly SystemReceipt[];
}

/** Identifying values compared as text, emails without regard to case. */
const comparable = (v: FieldValue) => String(v).trim().toLowerCase();

/** Why rows of a collection are still there, from the step that handled it. */
function whyRemaining(
  step: StepRow | undefined,
  collection: string,
  systemKept: readonly { collection: string; explanation: string }[],
): { why: string; expected: boolean } {
  const kept = systemKept.find((k) => k.collection === collection);
  if (kept !== undefined) return { why: kept.explanation, expected: true };
  if (step === undefined) {
    if (collection === 'subject' && systemKept.length > 0)
      return {
        why: 'A placeholder with no identifiers, marked restricted, so that what is kept is only stored.',
        expected: true,
      };
    if (collection === 'requests')
      return {
        why: 'The record of the requests made and how they were answered, which we must be able to show.',
        expected: true,
      };
    return { why: 'No step handled this collection: check the dataset.', expected: false };
  }
  const plan = planOf(step);
  if (plan.refusedBy !== undefined)
    return { why: `Not erased: the condition ${plan.refusedBy} refuses it for now.`, expected: true };
  if (plan.kept !== undefined)
    return {
      why: `Kept for "${plan.kept.purposeName}"${plan.kept.obligation === undefined ? '' : ` (${plan.kept.obligation})`}, for ${plan.kept.retention}${plan.kept.maskedFields.length === 0 ? '' : `; ${plan.kept.maskedFields.join(', ')} masked`}.`,
      expected: true,
    };
  if (step.action === 'mask')
    return {
      why: `Masked, not deleted${plan.note === undefined ? '' : `: ${plan.note.replace(/^Masked, not deleted: /, '')}`}`,
      expected: true,
    };
  return { why: `Still found after the ${step.action} step: check this collection.`, expected: false };
}

async function readBack(
  connector: Connector,
  seeds: ReturnType<typeof seedsFor>,
  steps: readonly StepRow[],
): Promise<Pick<SystemReceipt, 'identifyingValues' | 'identifyingFields' | 'remaining'>> {
  const counts = await connector.count(seeds);
  const searched = new Set([
    ...seeds.identities.map((i) => comparable(i.value)),
    ...(seeds.linked ?? []).flatMap((l) => l.values.map(comparable)),
  ]);
  const systemKept = latestKept(steps);
  const identifyingFields: { collection: string; field: string; values: number }[] = [];
  const remaining: SystemReceipt['remaining'][number][] = [];
  for (const [collection, rows] of counts) {
    if (rows === 0) continue;
    const step =
      steps.find((s) => s.collection === collection) ??
      steps.find((s) => planOf(s).cascades?.includes(collection));
    remaining.push({ collection, rows, ...whyRemaining(step, collection, systemKept) });
    const fields = connector.dataset.collections.find((c) => c.name === collection)?.fields ?? [];
    for (const f of fields) {
      if (f.identity === undefined) continue;
      const values = await connector.values(seeds, collection, f.name, 1000);
      const left = values.filter((v) => searched.has(comparable(v))).length;
      if (left > 0) identifyingFields.push({ collection, field: f.name, values: left });
    }
  }
  return {
    identifyingValues: identifyingFields.reduce((n, f) => n + f.values, 0),
    identifyingFields,
    remaining,
  };
}

/** What the steps kept on purpose: the plan's kept collections, and what Steward kept on its own. */
function keptBy(steps: readonly StepRow[]): SystemReceipt['kept'][number][] {
  const kept: SystemReceipt['kept'][number][] = [];
  for (const step of steps) {
    const plan = planOf(step);
    const rows = resultOf(step).matched ?? 0;
    if (plan.kept !== undefined && rows > 0)
      kept.push({ collection: step.collection, rows, why: whyRemaining(step, step.collection, []).why });
  }
  for (const k of latestKept(steps))
    kept.push({ collection: k.collection, rows: k.count, why: k.explanation });
  return kept;
}

function statementOf(
  r: Pick<SystemReceipt, 'identifyingValues' | 'identifyingFields' | 'remaining' | 'kept'>,
): string {
  const onPurpose = new Set(r.kept.map((k) => k.collection));
  const stays = r.remaining
    .filter((x) => !onPurpose.has(x.collection))
    .map((x) => `${x.collection} (${x.rows}): ${x.why}`);
  const kept = r.kept.map((k) => `${k.collection} (${k.rows}): ${k.why}`);
  const head =
    r.identifyingValues === 0
      ? '0 identifying values left'
      : `${r.identifyingValues} identifying value${r.identifyingValues === 1 ? '' : 's'} left, in ${r.identifyingFields.map((f) => `${f.collection}.${f.field}`).join(', ')}`;
  if (stays.length === 0 && kept.length === 0) return `${head}; nothing of the person remains.`;
  return [
    `${head}.`,
    ...(kept.length === 0 ? [] : [`Kept on purpose: ${kept.join(' ')}`]),
    ...(stays.length === 0 ? [] : [`Still found: ${stays.join(' ')}`]),
  ].join(' ');
}

/** Searches every system of the request again and describes what is left. Never throws for one system. */
export async function buildReceipt(ctx: AppContext, requestId: string): Promise<Receipt> {
  const request = await loadRequest(ctx.store.db, requestId);
  const plan = await loadPlanRow(ctx.store.db, requestId);
  const steps = await loadSteps(ctx.store.db, requestId);
  const base: RequestSeeds =
    plan?.seeds == null ? { identities: [] } : (unseal(ctx.keys.records, plan.seeds) as RequestSeeds);
  const locate = steps.find((s) => s.key === LOCATE_KEY);
  const linked = linkedOf(ctx, locate);
  const systems: SystemReceipt[] = [];
  for (const system of plan === undefined ? [] : systemsOf(plan)) {
    const own = steps.filter((s) => s.system === system.id);
    const checkedAt = ctx.clock.now().toISOString();
    try {
      const connector = await connectorFor(ctx, system.id, request);
      const found = {
        ...(await readBack(connector, seedsFor(base, system.id, linked), own)),
        kept: keptBy(own),
      };
      systems.push({
        system: system.id,
        name: system.name,
        checkedAt,
        ...found,
        statement: statementOf(found),
      });
    } catch (error) {
      const message = safeMessage(error);
      systems.push({
        system: system.id,
        name: system.name,
        checkedAt,
        identifyingValues: 0,
        identifyingFields: [],
        remaining: [],
        kept: keptBy(own),
        statement: `Could not search ${system.name} again: ${message}`,
        error: message,
      });
    }
  }
  return { at: ctx.clock.now().toISOString(), systems };
}

/** The linked values a locate step found (sealed in its result), decoded. */
export function linkedOf(
  ctx: Pick<AppContext, 'keys'>,
  locate: Pick<StepRow, 'result'> | undefined,
): LinkedValues {
  const sealed = locate === undefined ? undefined : (resultOf(locate) as { sealed?: string }).sealed;
  if (sealed === undefined) return {};
  const raw = unseal(ctx.keys.records, sealed) as LinkedValues;
  return Object.fromEntries(
    Object.entries(raw).map(([system, list]) => [
      system,
      list.map((l) => ({ ...l, values: l.values.map((v: unknown) => decodeValue(v)) })),
    ]),
  );
}

/** Writes the receipt, forgets what the search used, and completes the request. */
export const receiptJob = defineJob({
  type: 'execution.receipt',
  version: 1,
  payload: z.strictObject({ requestId: z.string() }),
  async handler(ctx, { requestId }) {
    const request = await loadRequest(ctx.store.db, requestId);
    if (request.status !== 'in_progress') return { skipped: true };
    const receipt = await buildReceipt(ctx, requestId);
    await transaction(ctx.store, async (tx) => {
      await lockRequest(tx, ctx, requestId);
      const now = ctx.clock.now().toISOString();
      await tx
        .updateTable('request_plans')
        .set({ receipt: JSON.stringify(receipt), seeds: null, updated_at: now })
        .where('request_id', '=', requestId)
        .execute();
      await forgetLinked(tx, requestId);
      await completeIfDone(tx, ctx, requestId);
    });
    return { systems: receipt.systems.length };
  },
});

/** Removes the sealed linked values from the locate step, keeping how many were found. */
async function forgetLinked(tx: Tx, requestId: string): Promise<void> {
  const steps = await loadSteps(tx, requestId);
  for (const step of steps.filter((s) => s.key === LOCATE_KEY)) {
    const { sealed: _, ...rest } = resultOf(step) as { sealed?: string };
    await tx
      .updateTable('request_steps')
      .set({ result: JSON.stringify(rest) })
      .where('id', '=', step.id)
      .execute();
  }
}

/** Asks for the receipt (once per request) when the last step of an erasure is done. */
export async function requestReceipt(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  requestId: string,
): Promise<void> {
  await enqueue(tx, ctx.clock, receiptJob, { requestId }, { id: `receipt:${requestId}` });
}
