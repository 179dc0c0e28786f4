/**
 * Objections that need no weighing: to direct marketing (C4a.7), and to reusing content a person
 * made public (C4a.4), which stops at once and removes what was kept for it. An objection to
 * other legitimate-interest processing is weighed by an operator (a rights request).
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { activeHolds, holdCovering } from '../retention/holds.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { objectToDirectMarketing } from './subscriptions.js';

export const objectionInput = z.strictObject({
  declarationId: z.string().min(1).max(100),
  purpose: z.string().min(1).max(100),
  channel: z.string().min(1).max(50).default('api'),
});

export interface ObjectionResult {
  readonly purpose: string;
  readonly removedRecords: number;
  readonly updatedRecords: number;
}

export async function objectToPurpose(
  ctx: AppContext,
  actor: Actor,
  subjectId: string,
  raw: z.input<typeof objectionInput>,
): Promise<ObjectionResult> {
  requirePermission(actor, 'consent:write');
  const input = objectionInput.parse(raw);
  const active = ctx.policies.get(input.declarationId);
  const purpose = active?.model.purposes.get(input.purpose);
  if (active === undefined || purpose === undefined) {
    throw new AppError(
      'not_declared',
      `Purpose "${input.purpose}" is not declared in "${input.declarationId}".`,
      [{ path: 'purpose', message: 'unknown purpose' }],
    );
  }
  if (purpose.directMarketing === true && purpose.publicContent !== true) {
    await objectToDirectMarketing(ctx, actorRef(actor), { subjectId, channel: input.channel });
    return { purpose: purpose.id, removedRecords: 0, updatedRecords: 0 };
  }
  if (purpose.publicContent !== true) {
    throw new AppError(
      'conflict',
      `An objection to "${purpose.id}" is weighed against the interest pursued: open an objection request so an operator decides, with reasons.`,
      [{ path: 'purpose', message: 'needs an operator decision' }],
    );
  }
  return transaction(ctx.store, async (tx) => {
    const subject = await tx
      .selectFrom('subjects')
      .select('id')
      .where('id', '=', subjectId)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    if (subject === undefined) throw new AppError('not_found', `Subject ${subjectId} was not found.`);
    const dropped = await dropPurposes(tx, {
      subjectId,
      declarationId: active.model.id,
      purposes: [purpose.id],
    });
    const removed = dropped.removed;
    const updated = dropped.updated + dropped.held;
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.objected_to_purpose',
      target: `subject:${subjectId}`,
      details: {
        purpose: purpose.id,
        removedRecords: removed,
        updatedRecords: updated,
        channel: input.channel,
      },
    });
    return { purpose: purpose.id, removedRecords: removed, updatedRecords: updated };
  });
}

/** What `dropPurposes` did to a subject's records. */
export interface DroppedPurposes {
  /** Records that served nothing else, deleted with their notice tasks. */
  readonly removed: number;
  /** Records that keep serving other purposes, with the dropped ones taken off. */
  readonly updated: number;
  /** Records that served nothing else but are under a legal hold: kept, serving no purpose. */
  readonly held: number;
}

/**
 * Stops purposes for one subject, inside the caller's transaction: each of the subject's records
 * of the declaration loses the purposes, and a record left with none is deleted, unless a legal
 * hold covers it (C4f.2), when it stays with no purpose. Used by objections and consent withdrawal.
 * Only our own records serve purposes: data held as processor has none to drop.
 */
export async function dropPurposes(
  tx: Tx,
  input: { subjectId: string; declarationId: string; purposes: readonly string[] },
): Promise<DroppedPurposes> {
  const drop = new Set(input.purposes);
  const records = await tx
    .selectFrom('records')
    .select(['id', 'purposes', 'categories'])
    .where('subject_id', '=', input.subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('declaration_id', '=', input.declarationId)
    .execute();
  const holds = await activeHolds(tx, input.subjectId);
  let removed = 0;
  let updated = 0;
  let held = 0;
  for (const record of records) {
    const purposes = JSON.parse(record.purposes) as { id: string; basis: string | null }[];
    if (!purposes.some((p) => drop.has(p.id))) continue;
    const rest = purposes.filter((p) => !drop.has(p.id));
    if (rest.length === 0 && holdCovering(holds, JSON.parse(record.categories) as string[]) === undefined) {
      await tx.deleteFrom('notice_tasks').where('record_id', '=', record.id).execute();
      await tx
        .deleteFrom('records')
        .where('id', '=', record.id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .execute();
      removed += 1;
      continue;
    }
    await tx
      .updateTable('records')
      .set({ purposes: JSON.stringify(rest) })
      .where('id', '=', record.id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    if (rest.length === 0) held += 1;
    else updated += 1;
  }
  return { removed, updated, held };
}
