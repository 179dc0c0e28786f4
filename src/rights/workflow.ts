/**
 * Moving a request along: the requester's code, an operator's review, refusal, extension, fee,
 * withdrawal, closing tasks, and the reminders and expiry the clock brings (C9.8, C9.7, C9.1).
 * Every step is on the request's timeline and in the audit ledger (via `moveRequest`).
 */
import { z } from 'zod';
import { sql } from 'kysely';
import { requestTypes } from '../policy/schema.js';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { checkReason, maskIdentifier, maskText, optionalReasonInput } from '../access/reasons.js';
import { appendAudit } from '../audit/ledger.js';
import { unseal } from '../capture/sealed.js';
import type { AppContext } from '../context.js';
import { safeEqual, sha256Hex } from '../crypto.js';
import { AppError, notFound } from '../errors.js';
import { defineJob } from '../jobs/queue.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import type { IdentifierKind } from '../subjects/normalize.js';
import { CONTROLLER_TENANT, findSubjectId, lookupOf } from '../subjects/subjects.js';
import { addDuration } from '../time.js';
import { tellRequester } from './tell-requester.js';
import { finishManualStep } from '../execution/run-step.js';
import { planView } from '../execution/view.js';
import { completeIfDone, startFulfilment } from './fulfil.js';
import type { RequestRow, RequestSummary } from './model.js';
import {
  VERIFICATION_WINDOW,
  addRequestEvent,
  closedStatuses,
  currentDeadline,
  loadRequest,
  moveRequest,
  summarise,
} from './model.js';
import type { RequestClaims } from './own-data-actions.js';
import { afterVerification } from './submit-request.js';
import type { CodeCheck } from './verify-request.js';
import { checkCode, issueChallenge, verifiedContact } from './verify-request.js';

/** Loads a request for its requester, who proves it with the token given at submission. */
async function requesterRequest(ctx: AppContext, id: string, token: string): Promise<RequestRow> {
  const row = await ctx.store.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || !safeEqual(sha256Hex(token), row.access_token_hash))
    throw new AppError('invalid_token', 'This link or token is not valid for any request.');
  return row;
}

export type EnterCodeResult =
  { readonly ok: true; readonly next: 'second_code' | 'wait' } | Extract<CodeCheck, { ok: false }>;

/**
 * The requester enters a code. Step 1 proves control of a contact on file; where the
 * declaration asks for a second channel, step 2 does so for a different contact on file, and
 * with none available an operator reviews instead.
 */
export async function enterCode(
  ctx: AppContext,
  input: { requestId: string; token: string; code: string },
): Promise<EnterCodeResult> {
  const row = await requesterRequest(ctx, input.requestId, input.token);
  if (row.status !== 'verifying') return { ok: false, reason: 'no_challenge' };
  const firstPassed = await verifiedContact(ctx.store.db, ctx, row.id);
  const step = firstPassed === undefined ? 1 : 2;
  const check = await checkCode(ctx, row.id, step, input.code);
  if (!check.ok) return check;
  return transaction(ctx.store, async (tx) => {
    const current = await loadRequest(tx, row.id);
    // A code to a request's address (no subject holds it) proves that address only.
    const identifier =
      check.identifierId === null
        ? { subject_id: null }
        : await tx
            .selectFrom('identifiers')
            .select('subject_id')
            .where('id', '=', check.identifierId)
            .where('tenant', '=', CONTROLLER_TENANT)
            .executeTakeFirstOrThrow();
    if (step === 1 && current.second_step === 'second_channel') {
      const issued = await issueChallenge(tx, ctx, current, 2, {
        subjectId: identifier.subject_id,
        exclude: check.identifierId,
        accessToken: input.token,
      });
      if (issued) {
        await addRequestEvent(tx, ctx, {
          requestId: row.id,
          actor: 'requester',
          kind: 'first_step_passed',
          visible: true,
        });
        return { ok: true, next: 'second_code' } as const;
      }
      await moveRequest(tx, ctx, 'requester', current, 'awaiting_review', {
        kind: 'awaiting_review',
        details: { why: 'no_second_channel_on_file' },
        set: { subject_id: identifier.subject_id },
      });
      return { ok: true, next: 'wait' } as const;
    }
    const verified = await moveRequest(tx, ctx, 'requester', current, 'verifying', {
      kind: 'verified',
      details: { method: step === 1 ? 'email_code' : 'email_code+second_channel' },
      set: { subject_id: identifier.subject_id, verified_at: ctx.clock.now().toISOString() },
    });
    await afterVerification(tx, ctx, 'requester', verified);
    return { ok: true, next: 'wait' } as const;
  });
}

/** A fresh code, for a requester whose code expired or never arrived. */
export async function resendCode(
  ctx: AppContext,
  input: { requestId: string; token: string },
): Promise<void> {
  const row = await requesterRequest(ctx, input.requestId, input.token);
  if (row.status !== 'verifying') return;
  await transaction(ctx.store, async (tx) => {
    const sent = await tx
      .selectFrom('verification_challenges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('request_id', '=', row.id)
      .executeTakeFirst();
    if (Number(sent?.n ?? 0) >= 5)
      throw new AppError('rate_limited', 'No more codes can be sent for this request; please contact us.');
    const first = await verifiedContact(tx, ctx, row.id);
    if (first === undefined) {
      const previous = await tx
        .selectFrom('verification_challenges as c')
        .leftJoin('identifiers as i', (j) =>
          j.onRef('i.id', '=', 'c.identifier_id').on('i.tenant', '=', CONTROLLER_TENANT),
        )
        .select(['i.subject_id', 'i.lookup', 'c.address'])
        .where('c.request_id', '=', row.id)
        .where('c.step', '=', 1)
        .orderBy('c.created_at', 'desc')
        .executeTakeFirst();
      await issueChallenge(tx, ctx, row, 1, {
        subjectId: previous?.subject_id ?? null,
        accessToken: input.token,
        ...(previous?.lookup ? { prefer: previous.lookup } : {}),
        // The address a connected system holds, unless the last code found none holding it.
        ...(previous?.address ? { address: unseal(ctx.keys.records, previous.address) as string } : {}),
      });
    } else if (first.id !== null) {
      const subject = await tx
        .selectFrom('identifiers')
        .select('subject_id')
        .where('id', '=', first.id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .executeTakeFirstOrThrow();
      await issueChallenge(tx, ctx, row, 2, {
        subjectId: subject.subject_id,
        exclude: first.id,
        accessToken: input.token,
      });
    }
  });
}

/** What the requester sees of their request: its state and the visible steps, nothing about data held. */
export async function requesterView(
  ctx: AppContext,
  input: { requestId: string; token: string },
): Promise<{
  reference: string;
  type: string;
  status: string;
  receivedAt: string;
  deadline: string;
  awaiting: 'code' | 'second_code' | null;
  steps: { at: string; kind: string }[];
}> {
  const row = await requesterRequest(ctx, input.requestId, input.token);
  const steps = await ctx.store.db
    .selectFrom('request_events')
    .select(['at', 'kind'])
    .where('request_id', '=', row.id)
    .where('visible', '=', 1)
    .orderBy('seq')
    .execute();
  const first = row.status === 'verifying' ? await verifiedContact(ctx.store.db, ctx, row.id) : undefined;
  return {
    reference: row.reference,
    type: row.type,
    status: row.status,
    receivedAt: row.received_at,
    deadline: currentDeadline(row),
    awaiting: row.status !== 'verifying' ? null : first === undefined ? 'code' : 'second_code',
    steps,
  };
}

/** The requester (or their agent) withdraws the request. */
export async function withdrawRequest(
  ctx: AppContext,
  actor: Actor | string,
  requestId: string,
  reason: string,
): Promise<RequestSummary> {
  return transaction(ctx.store, async (tx) => {
    const row = await loadRequest(tx, requestId);
    if (row.status === 'withdrawn') return summarise(row, ctx.clock.now());
    const moved = await moveRequest(tx, ctx, actor, row, 'withdrawn', {
      kind: 'withdrawn',
      details: { reason },
    });
    return summarise(moved, ctx.clock.now());
  });
}

export async function withdrawByRequester(
  ctx: AppContext,
  input: { requestId: string; token: string },
): Promise<void> {
  const row = await requesterRequest(ctx, input.requestId, input.token);
  if (closedStatuses.has(row.status)) return;
  await withdrawRequest(ctx, 'requester', row.id, 'withdrawn by the requester');
}

// ---- Operator actions ---------------------------------------------------------------------

export const listRequestsInput = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  overdue: z.union([z.boolean(), z.stringbool()]).optional(),
  dueBefore: z.string().datetime({ offset: true }).optional(),
  type: z.enum(requestTypes).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export async function listRequests(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof listRequestsInput>,
): Promise<RequestSummary[]> {
  requirePermission(actor, 'requests:read');
  const input = listRequestsInput.parse(raw);
  const closed = [...closedStatuses];
  const now = ctx.clock.now();
  // The deadline in force: an extension replaces the first date. Filters and order use it in
  // SQL, so `limit` counts the requests the caller asked for.
  const deadline = sql<string>`coalesce(extended_to, due_at)`;
  const rows = await ctx.store.db
    .selectFrom('requests')
    .selectAll()
    .$if(input.status === 'open' || input.overdue === true, (q) => q.where('status', 'not in', closed))
    .$if(input.status === 'closed', (q) => q.where('status', 'in', closed))
    .$if(input.type !== undefined, (q) => q.where('type', '=', input.type ?? ''))
    .$if(input.overdue === true, (q) => q.where(deadline, '<', now.toISOString()))
    .$if(input.dueBefore !== undefined, (q) =>
      q.where(deadline, '<', new Date(input.dueBefore ?? 0).toISOString()),
    )
    .orderBy(deadline)
    .orderBy('received_at')
    .limit(input.limit)
    .execute();
  return rows.map((r) => summarise(r, now));
}

/** How the request page is opened: what the requester wrote is shown only with a reason. */
export const openRequestInput = optionalReasonInput;

/** What the requester wrote, masked: enough to tell requests apart, not to learn who asked. */
function maskedClaims(claims: RequestClaims): RequestClaims {
  return {
    ...(claims.name !== undefined ? { name: maskText(claims.name) } : {}),
    identifiers: claims.identifiers.map((i) => ({ kind: i.kind, value: maskIdentifier(i.kind, i.value) })),
    ...(claims.details !== undefined ? { details: '[withheld]' } : {}),
    ...(claims.rectification !== undefined
      ? {
          rectification: claims.rectification.map((r) => ({
            field: r.field,
            value: '[withheld]',
            ...(r.parts === undefined
              ? {}
              : { parts: Object.fromEntries(Object.keys(r.parts).map((p) => [p, '[withheld]'])) }),
          })),
        }
      : {}),
    ...(claims.objection !== undefined
      ? {
          objection: {
            scope: claims.objection.scope,
            ...(claims.objection.purposeId ? { purposeId: claims.objection.purposeId } : {}),
            ...(claims.objection.grounds !== undefined ? { grounds: '[withheld]' } : {}),
          },
        }
      : {}),
    ...(claims.language !== undefined ? { language: claims.language } : {}),
    ...(claims.askedLanguage !== undefined ? { askedLanguage: claims.askedLanguage } : {}),
  };
}

/**
 * The request page: summary, what the requester supplied, timeline, tasks, verification state.
 * What the requester supplied (names, addresses, their words) is shown only to a role holding
 * `requests:claims` that states a reason, and that opening is audited with the reason; everyone
 * else sees it masked.
 */
export async function openRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  raw: z.input<typeof openRequestInput> = {},
) {
  requirePermission(actor, 'requests:read');
  const input = openRequestInput.parse(raw);
  const row = await ctx.store.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound(`Request ${id}`);
  if (input.reason !== undefined) requirePermission(actor, 'requests:claims');
  const reveal = input.reason !== undefined;
  const [events, tasks, challenges] = await Promise.all([
    ctx.store.db
      .selectFrom('request_events')
      .selectAll()
      .where('request_id', '=', id)
      .orderBy('seq')
      .execute(),
    ctx.store.db
      .selectFrom('request_tasks')
      .selectAll()
      .where('request_id', '=', id)
      .orderBy('created_at')
      .execute(),
    ctx.store.db
      .selectFrom('verification_challenges')
      .select([
        'step',
        'attempts',
        'max_attempts',
        'expires_at',
        'passed_at',
        'created_at',
        'identifier_id',
        'address',
      ])
      .where('request_id', '=', id)
      .orderBy('created_at')
      .execute(),
  ]);
  await transaction(ctx.store, async (tx) => {
    const stated =
      input.reason === undefined
        ? undefined
        : await checkReason(tx, { ...input, reason: input.reason }, { requestId: id });
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'request.opened',
      target: `request:${id}`,
      ...(stated !== undefined ? { purpose: stated.purpose } : {}),
      details: { claims: reveal ? 'shown' : 'masked', ...stated?.details },
    });
  });
  const claims = unseal(ctx.keys.records, row.claims) as RequestClaims;
  const plan = await planView(ctx, id);
  return {
    request: summarise(row, ctx.clock.now()),
    claims: reveal ? claims : maskedClaims(claims),
    claimsShown: reveal,
    timeline: events.map((e) => ({
      at: e.at,
      actor: e.actor,
      kind: e.kind,
      details: JSON.parse(e.details) as unknown,
      visibleToRequester: e.visible === 1,
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      target: t.target,
      action: t.action,
      status: t.status,
      note: t.note,
      result: t.result === null ? null : (JSON.parse(t.result) as unknown),
      doneAt: t.done_at,
      doneBy: t.done_by,
    })),
    /** The work across Steward's data and every connected system, step by step. */
    plan: plan === null ? null : { systems: plan.systems, steps: plan.steps },
    /** After an erasure: what each system still holds of the person, and why. */
    receipt: plan?.receipt ?? null,
    verification: challenges.map((c) => ({
      step: c.step,
      attempts: c.attempts,
      maxAttempts: c.max_attempts,
      expiresAt: c.expires_at,
      passedAt: c.passed_at,
      sentTo:
        c.identifier_id !== null
          ? 'a contact on file'
          : c.address !== null
            ? 'the address the request gave, held in a connected system'
            : 'nobody (no match on file)',
      createdAt: c.created_at,
    })),
  };
}

export const reviewInput = z.strictObject({
  note: z.string().min(1).max(2000).describe('What was checked, e.g. "ID seen on a video call"'),
  subjectId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('The subject, when the operator matched the requester'),
});

/** An operator approves a request awaiting review (or verifies one entered on paper) and fulfilment starts. */
export async function approveRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  raw: z.input<typeof reviewInput>,
): Promise<RequestSummary> {
  requirePermission(actor, 'requests:manage');
  const input = reviewInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    let row = await loadRequest(tx, id);
    if (row.status !== 'awaiting_review' && row.status !== 'verifying')
      throw new AppError(
        'conflict',
        `Request ${row.reference} is ${row.status}; only a request awaiting review or verification can be approved.`,
      );
    // Approving vouches for the person: without a subject named, the one their identifiers match.
    const subjectId = input.subjectId ?? row.subject_id ?? (await matchClaims(tx, ctx, row));
    if (subjectId !== null) {
      const subject = await tx
        .selectFrom('subjects')
        .select('id')
        .where('id', '=', subjectId)
        .where('tenant', '=', CONTROLLER_TENANT)
        .executeTakeFirst();
      if (subject === undefined) throw notFound(`Subject ${subjectId}`);
    }
    const now = ctx.clock.now().toISOString();
    if (row.status === 'verifying')
      row = await moveRequest(tx, ctx, actor, row, 'awaiting_review', {
        kind: 'verified_by_operator',
        details: { note: input.note },
        visible: false,
        set: { subject_id: subjectId, verified_at: now },
      });
    row = await moveRequest(tx, ctx, actor, row, 'awaiting_review', {
      kind: 'approved',
      details: { note: input.note },
      visible: false,
      set: { subject_id: subjectId, reviewed_at: now, verified_at: row.verified_at ?? now },
    });
    return summarise(await startFulfilment(tx, ctx, actorRef(actor), row), ctx.clock.now());
  });
}

async function matchClaims(tx: Tx, ctx: AppContext, row: RequestRow): Promise<string | null> {
  const claims = unseal(ctx.keys.records, row.claims) as RequestClaims;
  const matches = new Set<string>();
  for (const identifier of claims.identifiers) {
    const kind = identifier.kind as IdentifierKind;
    const found = await findSubjectId(tx, CONTROLLER_TENANT, {
      kind,
      value: identifier.value,
      lookup: lookupOf(ctx.keys, kind, identifier.value),
    });
    if (found !== undefined) matches.add(found);
  }
  return matches.size === 1 ? [...matches][0]! : null;
}

export const refusalGrounds = [
  'identity_not_verified',
  'manifestly_unfounded',
  'excessive',
  'exemption',
  'not_covered',
  'other',
] as const;

export const refuseInput = z.strictObject({
  ground: z.enum(refusalGrounds),
  reasons: z.string().min(10, 'state the reasons (they are sent to the requester)').max(5000),
});

/** Refuses with reasons, and tells the requester of the right to complain (C9.7). */
export async function refuseRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  raw: z.input<typeof refuseInput>,
): Promise<RequestSummary> {
  requirePermission(actor, 'requests:manage');
  const input = refuseInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    const row = await loadRequest(tx, id);
    const moved = await moveRequest(tx, ctx, actor, row, 'refused', {
      kind: 'refused',
      details: { ground: input.ground },
      set: { outcome: JSON.stringify({ refused: true, ground: input.ground, reasons: input.reasons }) },
    });
    await tellRequester(tx, ctx, row.id, { kind: 'refused', reasons: input.reasons });
    return summarise(moved, ctx.clock.now());
  });
}

export const extendInput = z.strictObject({
  by: z
    .string()
    .regex(/^P\d+[MD]$/, 'an ISO duration in months or days, e.g. P2M')
    .default('P2M'),
  reasons: z.string().min(10, 'state the reasons (they are sent to the requester)').max(5000),
});

/**
 * Extends the deadline (Art. 12(3)): at most the declaration's maximum, once, and only before
 * the first deadline passes; the requester is told why.
 */
export async function extendRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  raw: z.input<typeof extendInput>,
): Promise<RequestSummary> {
  requirePermission(actor, 'requests:manage');
  const input = extendInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    const row = await loadRequest(tx, id);
    const active = ctx.policies.get(row.declaration_id);
    if (active === undefined) throw notFound(`Declaration ${row.declaration_id}`);
    const now = ctx.clock.now();
    if (closedStatuses.has(row.status)) throw new AppError('conflict', `Request ${row.reference} is closed.`);
    if (row.extended_to !== null)
      throw new AppError('conflict', `Request ${row.reference} was already extended.`);
    if (row.due_at <= now.toISOString())
      throw new AppError(
        'conflict',
        `The first deadline of ${row.reference} has passed (${row.due_at.slice(0, 10)}); an extension must be notified before it.`,
      );
    const due = new Date(row.due_at);
    const extended = addDuration(due, input.by);
    const limit = addDuration(due, active.model.declaration.rights.maxExtension);
    if (extended > limit)
      throw new AppError(
        'validation_failed',
        `An extension can be at most ${active.model.declaration.rights.maxExtension}.`,
        [{ path: 'by', message: 'longer than the declaration allows' }],
      );
    const moved = await moveRequest(tx, ctx, actor, row, row.status, {
      kind: 'extended',
      details: { to: extended.toISOString(), reasons: input.reasons },
      set: { extended_to: extended.toISOString() },
    });
    await tellRequester(tx, ctx, row.id, {
      kind: 'extended',
      reasons: input.reasons,
      newDeadline: extended.toISOString(),
    });
    return summarise(moved, now);
  });
}

export const feeInput = z.strictObject({
  ground: z.enum(['further_copy', 'manifestly_excessive']),
  amount: z.number().nonnegative(),
  currency: z.string().length(3),
  reasons: z.string().min(10).max(2000),
});

/**
 * Marks a fee (C9.1): the first copy is free; a further copy of an access package, or a
 * manifestly excessive request, may be charged, with the reasons recorded.
 */
export async function setFee(
  ctx: AppContext,
  actor: Actor,
  id: string,
  raw: z.input<typeof feeInput>,
): Promise<RequestSummary> {
  requirePermission(actor, 'requests:manage');
  const input = feeInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    const row = await loadRequest(tx, id);
    if (closedStatuses.has(row.status))
      throw new AppError(
        'conflict',
        `Request ${row.reference} is ${row.status}; a fee can only be set while it is open.`,
      );
    const fees = ctx.policies.get(row.declaration_id)?.model.declaration.rights.fees;
    if (fees?.excessive === 'refuse' && input.ground === 'manifestly_excessive')
      throw new AppError(
        'conflict',
        'The declaration refuses excessive requests instead of charging for them.',
      );
    if (input.ground === 'further_copy') {
      if (row.type !== 'access' || row.subject_id === null)
        throw new AppError(
          'conflict',
          'A further-copy fee applies to access requests of a known person only.',
        );
      const earlier = await tx
        .selectFrom('requests')
        .select('id')
        .where('subject_id', '=', row.subject_id)
        .where('type', '=', 'access')
        .where('status', '=', 'completed')
        .where('id', '!=', row.id)
        .executeTakeFirst();
      if (earlier === undefined && fees?.firstCopyFree !== false)
        throw new AppError('conflict', 'This is the first copy for this person: it is free.');
    }
    const moved = await moveRequest(tx, ctx, actor, row, row.status, {
      kind: 'fee_set',
      details: { ground: input.ground, amount: input.amount, currency: input.currency },
      set: { fee: JSON.stringify(input) },
    });
    return summarise(moved, ctx.clock.now());
  });
}

export const listTasksInput = z.strictObject({
  kind: z.enum(['system', 'recipient_notice', 'provider_route', 'manual']).optional(),
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface TaskSummary {
  readonly id: string;
  readonly requestId: string;
  readonly reference: string;
  readonly requestType: string;
  readonly kind: string;
  readonly target: string;
  readonly action: string;
  readonly status: string;
  readonly note: string | null;
  readonly createdAt: string;
  readonly doneAt: string | null;
  readonly doneBy: string | null;
}

/**
 * Tasks across requests, oldest first: the work still owed after the requester has their answer,
 * such as telling each recipient of an erasure (Art. 19, C5.1), until an operator closes it.
 */
export async function listTasks(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof listTasksInput>,
): Promise<TaskSummary[]> {
  requirePermission(actor, 'requests:read');
  const input = listTasksInput.parse(raw);
  const closed = ['done', 'skipped'] as const;
  const { kind } = input;
  const rows = await ctx.store.db
    .selectFrom('request_tasks as t')
    .innerJoin('requests as r', 'r.id', 't.request_id')
    .select([
      't.id',
      't.request_id',
      'r.reference',
      'r.type',
      't.kind',
      't.target',
      't.action',
      't.status',
      't.note',
      't.created_at',
      't.done_at',
      't.done_by',
    ])
    .$if(kind !== undefined, (q) => q.where('t.kind', '=', kind!))
    .$if(input.status === 'open', (q) => q.where('t.status', 'not in', closed))
    .$if(input.status === 'closed', (q) => q.where('t.status', 'in', closed))
    .orderBy('t.created_at')
    .orderBy('t.id')
    .limit(input.limit)
    .execute();
  return rows.map((t) => ({
    id: t.id,
    requestId: t.request_id,
    reference: t.reference,
    requestType: t.type,
    kind: t.kind,
    target: t.target,
    action: t.action,
    status: t.status,
    note: t.note,
    createdAt: t.created_at,
    doneAt: t.done_at,
    doneBy: t.done_by,
  }));
}

export const closeTaskInput = z.strictObject({
  note: z.string().min(1).max(2000),
  outcome: z.enum(['done', 'skipped']).default('done'),
  summary: z.string().max(2000).optional().describe('What to tell the requester about this step'),
});

/** An operator closes a manual task (a rectification applied, a recipient told, a Provider informed). */
export async function closeTask(
  ctx: AppContext,
  actor: Actor,
  requestId: string,
  taskId: string,
  raw: z.input<typeof closeTaskInput>,
): Promise<void> {
  requirePermission(actor, 'requests:manage');
  const input = closeTaskInput.parse(raw);
  await transaction(ctx.store, async (tx) => {
    const task = await tx
      .selectFrom('request_tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (task === undefined) throw notFound(`Task ${taskId}`);
    if (task.status === 'done' || task.status === 'skipped') return;
    const now = ctx.clock.now().toISOString();
    const previous = JSON.parse(task.result ?? '{}') as { summary?: string[] };
    await tx
      .updateTable('request_tasks')
      .set({
        status: input.outcome,
        note: input.note,
        done_at: now,
        done_by: actorRef(actor),
        updated_at: now,
        result: JSON.stringify({
          ...previous,
          summary: input.summary ? [input.summary] : (previous.summary ?? []),
        }),
      })
      .where('id', '=', taskId)
      .execute();
    await addRequestEvent(tx, ctx, {
      requestId,
      actor: actorRef(actor),
      kind: 'task_closed',
      details: { task: task.kind, target: task.target, outcome: input.outcome },
    });
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'request.task_closed',
      target: `request:${requestId}`,
      details: { task: task.kind, target: task.target },
    });
    if (task.kind !== 'system') return;
    // A system task is a manual step of the request's plan (or, before plans, the whole work).
    const step = await finishManualStep(tx, ctx, requestId, taskId, {
      status: input.outcome,
      ...(input.summary === undefined ? {} : { summary: input.summary }),
      by: actorRef(actor),
    });
    if (!step) await completeIfDone(tx, ctx, requestId);
  });
}

// ---- The clock ------------------------------------------------------------------------------

/**
 * Daily: reminds operators of deadlines within the declaration's reminder periods (one
 * reminder per period per request) and expires requests whose code was never entered.
 */
export const deadlineSweepJob = defineJob({
  type: 'rights.deadline-sweep',
  version: 1,
  payload: z.strictObject({}),
  async handler(ctx) {
    const now = ctx.clock.now();
    const open = await ctx.store.db
      .selectFrom('requests')
      .selectAll()
      .where('status', 'not in', [...closedStatuses])
      .execute();
    let reminded = 0;
    let expired = 0;
    for (const row of open) {
      await transaction(ctx.store, async (tx) => {
        if (row.status === 'verifying' && row.verified_at === null) {
          if (addDuration(new Date(row.received_at), VERIFICATION_WINDOW) <= now) {
            await moveRequest(tx, ctx, 'system', row, 'expired', { kind: 'expired_unverified' });
            expired += 1;
          }
          return;
        }
        const periods = ctx.policies.get(row.declaration_id)?.model.declaration.rights.reminderBefore ?? [];
        const deadline = new Date(currentDeadline(row));
        for (const period of periods) {
          const remindAt = addDuration(deadline, `-${period}`);
          if (remindAt > now) continue;
          const kind = `reminder_${period}_${deadline.toISOString().slice(0, 10)}`;
          const sent = await tx
            .selectFrom('request_events')
            .select('seq')
            .where('request_id', '=', row.id)
            .where('kind', '=', kind)
            .executeTakeFirst();
          if (sent !== undefined) continue;
          await addRequestEvent(tx, ctx, {
            requestId: row.id,
            actor: 'system',
            kind,
            details: { deadline: deadline.toISOString(), overdue: deadline <= now },
          });
          ctx.log.warn(
            { request: row.reference, deadline: deadline.toISOString() },
            'rights request deadline approaching',
          );
          reminded += 1;
        }
      });
    }
    return { reminded, expired };
  },
});
