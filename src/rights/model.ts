/**
 * Rights requests: the types, the states a request moves through, its deadline, and how one is
 * shown to operators and to the requester. The workflow (src/rights/workflow.ts) is the only code
 * that changes a request's state; every change goes through `moveRequest`.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { actorRef } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { defineTopic } from '../events.js';
import type { RequestType } from '../policy/schema.js';
import type { RequestStatus, RequestTable } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';
import { addDuration } from '../time.js';

export type { RequestType };
export type RequestRow = RequestTable;

export const requestChannels = ['privacy_centre', 'api', 'email', 'post', 'phone', 'drp'] as const;
export type RequestChannel = (typeof requestChannels)[number];

/** Statuses after which nothing more happens to a request. */
export const closedStatuses: ReadonlySet<RequestStatus> = new Set([
  'completed',
  'refused',
  'withdrawn',
  'expired',
  'routed',
]);

/** Which status may follow which. Anything else is refused with a clear error. */
const transitions: Record<RequestStatus, readonly RequestStatus[]> = {
  received: ['verifying', 'awaiting_review', 'in_progress', 'routed', 'refused', 'withdrawn'],
  verifying: ['verifying', 'awaiting_review', 'in_progress', 'refused', 'withdrawn', 'expired'],
  awaiting_review: ['in_progress', 'refused', 'withdrawn'],
  in_progress: ['completed', 'refused', 'withdrawn'],
  routed: [],
  completed: [],
  refused: [],
  withdrawn: [],
  expired: [],
};

/** How long an unverified request waits for its code before it expires. */
export const VERIFICATION_WINDOW = 'P14D';

/** A reference people can read out on the phone: no 0/O or 1/I. */
export function newReference(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `R-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The legal deadline: the declaration's period from receipt, on the calendar (31 Jan + 1 month = end of Feb). */
export function deadlineFrom(receivedAt: Date, period: string): Date {
  return addDuration(receivedAt, period);
}

/** The deadline in force: the extended one when the request was extended. */
export function currentDeadline(row: Pick<RequestRow, 'due_at' | 'extended_to'>): string {
  return row.extended_to ?? row.due_at;
}

export async function loadRequest(db: Tx, id: string): Promise<RequestRow> {
  const row = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound(`Request ${id}`);
  return row;
}

/** Adds a step to the request's timeline; `visible` steps are shown to the requester. */
export async function addRequestEvent(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  entry: { requestId: string; actor: string; kind: string; details?: unknown; visible?: boolean },
): Promise<void> {
  await tx
    .insertInto('request_events')
    .values({
      request_id: entry.requestId,
      at: ctx.clock.now().toISOString(),
      actor: entry.actor,
      kind: entry.kind,
      details: JSON.stringify(entry.details ?? {}),
      visible: entry.visible ? 1 : 0,
    })
    .execute();
}

/**
 * A request moved to a state (or, when `from` is its status, changed within it: an extension).
 * Published by `moveRequest` inside the change's transaction; integrations subscribe in src/app.ts.
 */
export interface RequestMoved {
  /** The context the change ran under. */
  readonly ctx: AppContext;
  /** The request as it is now. */
  readonly request: RequestRow;
  readonly from: RequestStatus;
  /** The timeline step: `completed`, `extended`, `fulfilment_started`... */
  readonly kind: string;
}

export const requestMoved = defineTopic<RequestMoved>('rights.request-moved');

/**
 * Moves a request to `to` (checking the transition), records the step on its timeline and in
 * the audit ledger, and publishes `requestMoved`, all inside the caller's transaction. Returns
 * the updated row.
 */
export async function moveRequest(
  tx: Tx,
  ctx: AppContext,
  actor: Actor | string,
  row: RequestRow,
  to: RequestStatus,
  change: { kind: string; details?: unknown; visible?: boolean; set?: Partial<RequestRow> },
): Promise<RequestRow> {
  if (row.status !== to && !transitions[row.status].includes(to))
    throw new AppError(
      'conflict',
      `Request ${row.reference} is ${row.status.replace('_', ' ')}; it cannot become ${to.replace('_', ' ')}.`,
    );
  const now = ctx.clock.now().toISOString();
  const updated: RequestRow = {
    ...row,
    ...change.set,
    status: to,
    updated_at: now,
    closed_at: closedStatuses.has(to) ? now : row.closed_at,
  };
  await tx
    .updateTable('requests')
    .set({ ...change.set, status: to, updated_at: now, closed_at: updated.closed_at })
    .where('id', '=', row.id)
    .execute();
  const ref = typeof actor === 'string' ? actor : actorRef(actor);
  await addRequestEvent(tx, ctx, {
    requestId: row.id,
    actor: ref,
    kind: change.kind,
    details: { status: to, ...(change.details as object | undefined) },
    visible: change.visible ?? true,
  });
  await ctx.events.publish(tx, requestMoved, { ctx, request: updated, from: row.status, kind: change.kind });
  await appendAudit(tx, ctx.store.dialect, ctx.clock, {
    actor: ref,
    action: `request.${change.kind}`,
    target: `request:${row.id}`,
    details: { status: to, type: row.type },
  });
  return updated;
}

/** What an operator sees of a request (claims are opened only on the request page, with audit). */
export interface RequestSummary {
  readonly id: string;
  readonly reference: string;
  readonly declarationId: string;
  readonly serviceId: string | null;
  readonly type: string;
  readonly status: RequestStatus;
  readonly channel: string;
  readonly subjectId: string | null;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly extendedTo: string | null;
  readonly deadline: string;
  readonly overdue: boolean;
  readonly secondStep: string;
  readonly verifiedAt: string | null;
  readonly closedAt: string | null;
  readonly outcome: unknown;
  readonly fee: unknown;
}

export function summarise(row: RequestRow, now: Date): RequestSummary {
  const deadline = currentDeadline(row);
  return {
    id: row.id,
    reference: row.reference,
    declarationId: row.declaration_id,
    serviceId: row.service_id,
    type: row.type,
    status: row.status,
    channel: row.channel,
    subjectId: row.subject_id,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    extendedTo: row.extended_to,
    deadline,
    overdue: !closedStatuses.has(row.status) && deadline < now.toISOString(),
    secondStep: row.second_step,
    verifiedAt: row.verified_at,
    closedAt: row.closed_at,
    outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as unknown),
    fee: row.fee === null ? null : (JSON.parse(row.fee) as unknown),
  };
}
