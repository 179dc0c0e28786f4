/**
 * Looking people up and opening their data (C7.2). Searching answers only which subject an
 * identifier belongs to; opening a subject's data needs a reason from the list (access/reasons.ts),
 * and every opening is written to the audit ledger with it.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { checkReason, reasonFields, referenceCheck } from '../access/reasons.js';
import { appendAudit } from '../audit/ledger.js';
import { unseal } from '../capture/sealed.js';
import type { ConsentEventView, ConsentState } from '../consent/ledger.js';
import { consentHistory, deriveState } from '../consent/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { transaction } from '../store/transaction.js';
import { identifierKinds } from './normalize.js';
import type { SubjectView } from './subjects.js';
import { CONTROLLER_TENANT, findSubjectId, loadSubject, normaliseAll } from './subjects.js';

export const findSubjectInput = z.strictObject({
  kind: z.enum(identifierKinds),
  value: z.string().min(1).max(512),
  tenant: z.string().max(300).default(CONTROLLER_TENANT),
});

/** The subject an identifier belongs to, without opening any of its data. */
export async function findSubject(
  ctx: AppContext,
  actor: Actor,
  input: z.input<typeof findSubjectInput>,
): Promise<{ id: string } | undefined> {
  requirePermission(actor, 'subjects:read');
  const data = findSubjectInput.parse(input);
  const [identifier] = normaliseAll(ctx.keys, [{ kind: data.kind, value: data.value }], 'value');
  if (identifier === undefined) return undefined;
  const id = await findSubjectId(ctx.store.db, data.tenant, identifier);
  return id === undefined ? undefined : { id };
}

/**
 * Why the data is opened: a reason from the declared list, its reference, a note (see
 * access/reasons.ts); and the partition, our own data unless a Provider's is named.
 */
export const openSubjectInput = reasonFields
  .extend({ tenant: z.string().max(300).default(CONTROLLER_TENANT) })
  .superRefine(referenceCheck);

export interface RecordView {
  readonly id: string;
  readonly kind: string;
  readonly declarationId: string;
  readonly declarationVersion: number;
  readonly purposes: readonly { id: string; basis: string | null }[];
  readonly categories: readonly string[];
  readonly source: { id: string; type: string };
  readonly collectionPoint: string | null;
  readonly data: unknown;
  readonly collectedAt: string;
  readonly expiresAt: string | null;
}

export interface SubjectFile extends SubjectView {
  readonly records: readonly RecordView[];
  readonly consentEvents: readonly ConsentEventView[];
  readonly consentState: readonly ConsentState[];
  readonly subscriptions: readonly {
    id: string;
    identifierId: string;
    declarationId: string;
    communicationId: string;
    state: string;
    sender: string;
    updatedAt: string;
  }[];
  readonly noticeTasks: readonly {
    id: string;
    recordId: string;
    sourceId: string;
    dueAt: string;
    status: string;
  }[];
}

/** Opens everything Steward holds on a subject; the opening and its reason are audited. */
export async function openSubject(
  ctx: AppContext,
  actor: Actor,
  subjectId: string,
  input: z.input<typeof openSubjectInput>,
): Promise<SubjectFile> {
  requirePermission(actor, 'subjects:read');
  const { tenant, ...stated } = openSubjectInput.parse(input);
  const db = ctx.store.db;
  // A merged record points at the one it was merged into.
  const merged = await db
    .selectFrom('subjects')
    .select('merged_into')
    .where('id', '=', subjectId)
    .where('tenant', '=', tenant)
    .executeTakeFirst();
  if (merged?.merged_into) subjectId = merged.merged_into;
  const subject = await loadSubject(db, subjectId, tenant);
  if (subject === undefined) throw notFound(`Subject ${subjectId}`);
  const opened = subjectId;
  await transaction(ctx.store, async (tx) => {
    const { purpose, details } = await checkReason(tx, stated, { subjectId: opened });
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.opened',
      target: `subject:${opened}`,
      purpose,
      details,
    });
  });
  const [records, events, subscriptions, tasks] = await Promise.all([
    db
      .selectFrom('records')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .where('tenant', '=', tenant)
      .orderBy('collected_at')
      .execute(),
    consentHistory(db, subjectId),
    db
      .selectFrom('subscriptions')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('notice_tasks').selectAll().where('subject_id', '=', subjectId).orderBy('due_at').execute(),
  ]);
  return {
    ...subject,
    records: records.map((r) => ({
      id: r.id,
      kind: r.kind,
      declarationId: r.declaration_id,
      declarationVersion: r.declaration_version,
      purposes: JSON.parse(r.purposes) as { id: string; basis: string | null }[],
      categories: JSON.parse(r.categories) as string[],
      source: { id: r.source_id, type: r.source_type },
      collectionPoint: r.collection_point,
      data: unseal(ctx.keys.records, r.data),
      collectedAt: r.collected_at,
      expiresAt: r.expires_at,
    })),
    consentEvents: events,
    consentState: deriveState(events),
    subscriptions: subscriptions.map((s) => ({
      id: s.id,
      identifierId: s.identifier_id,
      declarationId: s.declaration_id,
      communicationId: s.communication_id,
      state: s.state,
      sender: s.sender,
      updatedAt: s.updated_at,
    })),
    noticeTasks: tasks.map((t) => ({
      id: t.id,
      recordId: t.record_id,
      sourceId: t.source_id,
      dueAt: t.due_at,
      status: t.status,
    })),
  };
}

export const closeNoticeTaskInput = z.strictObject({
  status: z.enum(['sent', 'exempt']),
  note: z.string().trim().min(1, 'must say how the notice was given, or why it is exempt').max(2000),
});

/** Notices owed under Art. 14, oldest due first. */
export async function listNoticeTasks(
  ctx: AppContext,
  actor: Actor,
  status: 'open' | 'sent' | 'exempt' = 'open',
) {
  requirePermission(actor, 'subjects:read');
  const rows = await ctx.store.db
    .selectFrom('notice_tasks')
    .selectAll()
    .where('status', '=', status)
    .orderBy('due_at')
    .limit(1000)
    .execute();
  const now = ctx.clock.now().toISOString();
  return rows.map((t) => ({
    id: t.id,
    subjectId: t.subject_id,
    recordId: t.record_id,
    declarationId: t.declaration_id,
    sourceId: t.source_id,
    dueAt: t.due_at,
    overdue: t.status === 'open' && t.due_at < now,
    status: t.status,
    closedAt: t.closed_at,
    note: t.note,
  }));
}

export async function closeNoticeTask(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.input<typeof closeNoticeTaskInput>,
): Promise<void> {
  requirePermission(actor, 'subjects:write');
  const data = closeNoticeTaskInput.parse(input);
  await transaction(ctx.store, async (tx) => {
    const result = await tx
      .updateTable('notice_tasks')
      .set({ status: data.status, note: data.note, closed_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new AppError('not_found', `No open notice task ${id}.`);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: `notice_task.${data.status}`,
      target: `notice_task:${id}`,
      details: { note: data.note },
    });
  });
}
