/**
 * Rectification (Art. 16, C9.2): correcting a record's data fields, or an identifier's value.
 * The audit entry names the fields or the identifier that changed, never the old or new values:
 * the ledger is kept for good, and must not become a second copy of data that was wrong.
 *
 * A record under a legal hold is not changed: it is kept as it was for the matter the hold
 * serves. The person's correction is then recorded as a new record beside it (capture), which is
 * the supplementary statement Art. 16 allows.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { boundedJson } from '../bounded-json.js';
import { seal, unseal } from '../capture/sealed.js';
import { markSuppressionChange, suppressAddress } from '../consent/changes.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { activeHolds, holdCovering } from '../retention/holds.js';
import { transaction } from '../store/transaction.js';
import type { IdentifierKind } from '../subjects/normalize.js';
import { hashedOnlyKinds } from '../subjects/normalize.js';
import { CONTROLLER_TENANT, findSubjectId, normaliseAll } from '../subjects/subjects.js';
import { subjectForRequest } from './restrict-subject.js';

const fieldName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\s]+$/, 'must be a field name without spaces');

export const rectifyRecordInput = z
  .strictObject({
    recordId: z.uuid('must be a record id'),
    /** Fields to set, with their corrected values. */
    set: boundedJson(z.record(fieldName, z.unknown())).default({}),
    /** Fields to remove (wrong data with no correct value). */
    unset: z.array(fieldName).max(100).default([]),
    requestId: z.string().min(1).max(100).optional(),
  })
  .refine((v) => Object.keys(v.set).length > 0 || v.unset.length > 0, {
    message: 'name at least one field to set or unset',
    path: ['set'],
  });

export interface RectifyRecordResult {
  readonly recordId: string;
  /** The fields whose value changed, sorted; empty when the record already said this. */
  readonly changedFields: readonly string[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Corrects fields of one record's data. Needs `requests:manage`. */
export async function rectifyRecord(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof rectifyRecordInput>,
): Promise<RectifyRecordResult> {
  requirePermission(actor, 'requests:manage');
  const input = rectifyRecordInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    const record = await tx
      .selectFrom('records')
      .select(['id', 'subject_id', 'categories', 'data'])
      .where('id', '=', input.recordId)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    if (record === undefined) throw notFound(`Record ${input.recordId}`);
    const subject = await subjectForRequest(tx, record.subject_id);
    const hold = holdCovering(await activeHolds(tx, subject.id), JSON.parse(record.categories) as string[]);
    if (hold !== undefined) {
      throw new AppError(
        'conflict',
        `Record ${record.id} is under a legal hold (${hold.reason}) and must stay as it is; record the correction as a new record beside it instead.`,
        [{ path: 'recordId', message: 'under legal hold' }],
      );
    }
    const data = unseal(ctx.keys.records, record.data) as Record<string, unknown>;
    const next: Record<string, unknown> = { ...data };
    const changed = new Set<string>();
    for (const [field, value] of Object.entries(input.set)) {
      if (!same(next[field], value)) changed.add(field);
      next[field] = value;
    }
    for (const field of input.unset) {
      if (field in next) changed.add(field);
      delete next[field];
    }
    const changedFields = [...changed].sort();
    if (changedFields.length === 0) return { recordId: record.id, changedFields };
    await tx
      .updateTable('records')
      .set({ data: seal(ctx.keys.records, next) })
      .where('id', '=', record.id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'record.rectified',
      target: `subject:${subject.id}`,
      details: { record: record.id, fields: changedFields, request: input.requestId ?? null },
    });
    return { recordId: record.id, changedFields };
  });
}

export const rectifyIdentifierInput = z.strictObject({
  identifierId: z.uuid('must be an identifier id'),
  value: z.string().min(1).max(512),
  requestId: z.string().min(1).max(100).optional(),
});

export interface RectifyIdentifierResult {
  readonly identifierId: string;
  readonly kind: IdentifierKind;
  /** False when the corrected value normalises to the one on file. */
  readonly changed: boolean;
}

/**
 * Corrects an identifier's value, normalised as on capture (emails and phone numbers). The
 * subscriptions of an address follow it, and so do the suppression entries of the old value
 * (unsubscribes, objections), which also stay under the old value. Refused with `conflict` when
 * the new value belongs to someone else (merge them instead) or to another identifier of the
 * same person. Needs `requests:manage`.
 */
export async function rectifyIdentifier(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof rectifyIdentifierInput>,
): Promise<RectifyIdentifierResult> {
  requirePermission(actor, 'requests:manage');
  const input = rectifyIdentifierInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    const identifier = await tx
      .selectFrom('identifiers')
      .selectAll()
      .where('id', '=', input.identifierId)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    if (identifier === undefined) throw notFound(`Identifier ${input.identifierId}`);
    const subject = await subjectForRequest(tx, identifier.subject_id);
    const kind = identifier.kind as IdentifierKind;
    const [corrected] = normaliseAll(ctx.keys, [{ kind, value: input.value }], 'value');
    if (corrected === undefined) throw new Error('unreachable');
    if (corrected.lookup === identifier.lookup) return { identifierId: identifier.id, kind, changed: false };
    const owner = await findSubjectId(tx, CONTROLLER_TENANT, corrected);
    if (owner !== undefined) {
      throw new AppError(
        'conflict',
        owner === subject.id
          ? `This person already has that ${kind} as another identifier; keep that one and remove this.`
          : `That ${kind} belongs to another subject (${owner}); merge the two if they are the same person.`,
        [{ path: 'value', message: owner === subject.id ? 'already on file' : 'belongs to another subject' }],
      );
    }
    await tx
      .updateTable('identifiers')
      .set({ value: hashedOnlyKinds.has(kind) ? null : corrected.value, lookup: corrected.lookup })
      .where('id', '=', identifier.id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    const stops = await tx
      .selectFrom('suppressions')
      .select(['declaration_id', 'scope', 'reason'])
      .where('lookup', '=', identifier.lookup)
      .execute();
    for (const stop of stops) {
      await suppressAddress(tx, ctx.clock, {
        lookup: corrected.lookup,
        declarationId: stop.declaration_id,
        scope: stop.scope,
        reason: stop.reason,
        subjectId: subject.id,
      });
    }
    if (kind === 'email') await markSuppressionChange(tx, ctx, subject.id);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'identifier.rectified',
      target: `subject:${subject.id}`,
      details: { identifier: identifier.id, kind, request: input.requestId ?? null },
    });
    return { identifierId: identifier.id, kind, changed: true };
  });
}
