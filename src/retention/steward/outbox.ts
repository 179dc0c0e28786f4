/**
 * Messages in the outbox, counted from when they were written (`created_at`): a communication's
 * messages under the rule of its purpose for email addresses, and the messages about rights
 * requests (codes, answers) under the rule of the purpose that handles requests. Once SMTP took
 * a message only its address, subject and a digest stay; in the development outbox the body is
 * kept too. Both go whole: without its address and body a row says only that something was
 * sent, which the audit and consent ledgers already prove, so anonymising one is deleting it.
 * Messages to an address of a person under a hold stay.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Purpose } from '../../policy/schema.js';
import type { OutboxTable } from '../../store/schema.js';
import { normaliseEmail } from '../../subjects/normalize.js';
import { CONTROLLER_TENANT, lookupOf } from '../../subjects/subjects.js';
import type { HoldSubject, RuleScope, SweepTarget } from '../targets.js';
import { afterCursor, deadlineOf, keysetTarget, thresholdOf } from '../targets.js';
import { EMAIL_CATEGORY, communicationsUsing } from './subscriptions.js';

/** The DPV purpose of handling rights requests: its rule keeps what a request leaves behind. */
const RIGHTS_DPV = 'dpv:RightsFulfilment';

/** The purpose that handles rights requests, if the declaration has one. */
export function rightsPurpose(scope: Pick<RuleScope, 'model'>): Purpose | undefined {
  return scope.model.declaration.purposes.find((p) => p.dpv === RIGHTS_DPV);
}

/** True when this rule keeps what rights requests leave behind (their messages and links). */
export function keepsRequests(scope: RuleScope): boolean {
  const purpose = rightsPurpose(scope);
  return purpose !== undefined && scope.model.retentionFor(purpose, EMAIL_CATEGORY)?.id === scope.rule.id;
}

type Row = Pick<OutboxTable, 'id' | 'to_address' | 'created_at'>;

export function outboxTarget(ctx: AppContext, system: string, scope: RuleScope): SweepTarget | undefined {
  const communications = communicationsUsing(scope);
  const requests = keepsRequests(scope);
  if (communications.length === 0 && !requests) return undefined;
  return keysetTarget<Row>(system, {
    collection: 'outbox',
    action: 'delete',
    select: (db, cursor, size, at) =>
      afterCursor(
        db
          .selectFrom('outbox')
          .select(['id', 'to_address', 'created_at'])
          .where('created_at', '<', thresholdOf(scope, at).toISOString())
          .where((eb) =>
            eb.or([
              ...(communications.length > 0 ? [eb('communication_id', 'in', communications)] : []),
              ...(requests
                ? [
                    eb.and([
                      eb('communication_id', 'is', null),
                      sql<boolean>`kind like ${'rights\\_%'} escape '\\'`,
                    ]),
                  ]
                : []),
            ]),
          ),
        'created_at',
        'id',
        cursor,
      )
        .limit(size)
        .execute(),
    key: (r) => [r.created_at, r.id],
    oldest: (r) => ({ clock: r.created_at, deadline: deadlineOf(scope, r.created_at) }),
    async subjects(db, rows) {
      const lookups = new Map<Row, string>();
      for (const row of rows) {
        const email = normaliseEmail(row.to_address);
        if (email.ok) lookups.set(row, lookupOf(ctx.keys, 'email', email.value));
      }
      const owners = new Map<Row, HoldSubject>();
      if (lookups.size === 0) return owners;
      const found = await db
        .selectFrom('identifiers')
        .select(['lookup', 'subject_id'])
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('kind', '=', 'email')
        .where('lookup', 'in', [...new Set(lookups.values())])
        .execute();
      const byLookup = new Map(found.map((f) => [f.lookup, f.subject_id]));
      for (const [row, lookup] of lookups) {
        const subjectId = byLookup.get(lookup);
        if (subjectId !== undefined)
          owners.set(row, { subjectId, categories: [EMAIL_CATEGORY, 'user.content.communication'] });
      }
      return owners;
    },
    async apply(tx, rows) {
      await tx
        .deleteFrom('outbox')
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}
