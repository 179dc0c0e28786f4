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
import { transaction } from '../store/transaction.js';
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
    const records = await tx
      .selectFrom('records')
      .select(['id', 'purposes'])
      .where('subject_id', '=', subjectId)
      .where('declaration_id', '=', active.model.id)
      .execute();
    if (
      records.length === 0 &&
      (await tx.selectFrom('subjects').select('id').where('id', '=', subjectId).executeTakeFirst()) ===
        undefined
    ) {
      throw new AppError('not_found', `Subject ${subjectId} was not found.`);
    }
    let removed = 0;
    let updated = 0;
    for (const record of records) {
      const purposes = JSON.parse(record.purposes) as { id: string; basis: string | null }[];
      if (!purposes.some((p) => p.id === purpose.id)) continue;
      const rest = purposes.filter((p) => p.id !== purpose.id);
      if (rest.length === 0) {
        await tx.deleteFrom('notice_tasks').where('record_id', '=', record.id).execute();
        await tx.deleteFrom('records').where('id', '=', record.id).execute();
        removed += 1;
      } else {
        await tx
          .updateTable('records')
          .set({ purposes: JSON.stringify(rest) })
          .where('id', '=', record.id)
          .execute();
        updated += 1;
      }
    }
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
