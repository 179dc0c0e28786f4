/**
 * Subscriptions that ended: a person's unsubscribed address for one communication, counted from
 * the unsubscription (`updated_at`) under the rule of the communication's purpose for email
 * addresses. The suppression entry stays (a keyed hash, so the address stays unsubscribed if it
 * comes back) and the proof of consent is the consent ledger's, swept under its own rule. A
 * subscription row is nothing but the tie between a person and a list, so anonymising it is
 * deleting it.
 */
import { markSuppressionChange } from '../../consent/changes.js';
import type { AppContext } from '../../context.js';
import type { SubscriptionTable } from '../../store/schema.js';
import type { RuleScope, SweepTarget } from '../targets.js';
import { afterCursor, deadlineOf, keysetTarget, thresholdOf } from '../targets.js';
import { releaseEmptySubjects } from './release-subjects.js';

export const EMAIL_CATEGORY = 'user.contact.email';

/** The communications whose purpose keeps email addresses under this rule. */
export function communicationsUsing(scope: RuleScope): string[] {
  return scope.model.declaration.communications
    .filter((c) => {
      const purpose = scope.model.purposes.get(c.purpose);
      return purpose !== undefined && scope.model.retentionFor(purpose, EMAIL_CATEGORY)?.id === scope.rule.id;
    })
    .map((c) => c.id);
}

type Row = Pick<SubscriptionTable, 'id' | 'subject_id' | 'updated_at'>;

export function subscriptionsTarget(
  ctx: AppContext,
  system: string,
  scope: RuleScope,
): SweepTarget | undefined {
  const communications = communicationsUsing(scope);
  if (communications.length === 0) return undefined;
  return keysetTarget<Row>(system, {
    collection: 'subscriptions',
    action: 'delete',
    select: (db, cursor, size, at) =>
      afterCursor(
        db
          .selectFrom('subscriptions')
          .select(['id', 'subject_id', 'updated_at'])
          .where('declaration_id', '=', scope.model.id)
          .where('state', '=', 'unsubscribed')
          .where('updated_at', '<', thresholdOf(scope, at).toISOString())
          .where('communication_id', 'in', communications),
        'updated_at',
        'id',
        cursor,
      )
        .limit(size)
        .execute(),
    key: (r) => [r.updated_at, r.id],
    oldest: (r) => ({ clock: r.updated_at, deadline: deadlineOf(scope, r.updated_at) }),
    subjects: async (_db, rows) =>
      new Map(rows.map((r) => [r, { subjectId: r.subject_id, categories: [EMAIL_CATEGORY] }])),
    async apply(tx, rows) {
      await tx
        .deleteFrom('subscriptions')
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      // The in-memory suppression index reloads these people before it answers again.
      for (const subject of new Set(rows.map((r) => r.subject_id)))
        await markSuppressionChange(tx, ctx, subject);
      await releaseEmptySubjects(
        tx,
        ctx,
        rows.map((r) => r.subject_id),
      );
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}
