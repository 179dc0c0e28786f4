/**
 * Messages in the outbox, under the rule of their purpose for email addresses: a communication's
 * messages under its purpose's rule, and the messages about rights
 * requests (codes, answers) under the rule of the purpose that handles requests. Each counts as
 * its rule's trigger says, like a record of that purpose written when the message was: from its
 * writing (`created_at`) under `collected`, from the reported end under `contract_end` (an order
 * confirmation is kept while the contract runs). Once SMTP took
 * a message only its address, subject and a digest stay; in the development outbox the body is
 * kept too. Both go whole: without its address and body a row says only that something was
 * sent, which the audit and consent ledgers already prove, so anonymising one is deleting it.
 * Messages to an address of a person under a hold stay.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { rightsHandlingPurpose } from '../../policy/model.js';
import type { Purpose } from '../../policy/schema.js';
import type { OutboxTable } from '../../store/schema.js';
import { normaliseEmail } from '../../subjects/normalize.js';
import { CONTROLLER_TENANT, lookupOf } from '../../subjects/subjects.js';
import type { Tx } from '../../store/transaction.js';
import { messageClockStarts } from '../record-clocks.js';
import type { HoldSubject, RuleScope, SweepTarget } from '../targets.js';
import { afterCursor, deadlineOf, keysetTarget, thresholdOf } from '../targets.js';
import { EMAIL_CATEGORY, communicationsUsing } from './subscriptions.js';

/** The purpose that handles rights requests, if the declaration has one. */
export function rightsPurpose(scope: Pick<RuleScope, 'model'>): Purpose | undefined {
  return rightsHandlingPurpose(scope.model.declaration);
}

/** True when this rule keeps what rights requests leave behind (their messages and links). */
export function keepsRequests(scope: RuleScope): boolean {
  const purpose = rightsPurpose(scope);
  return purpose !== undefined && scope.model.retentionFor(purpose, EMAIL_CATEGORY)?.id === scope.rule.id;
}

type Stored = Pick<OutboxTable, 'id' | 'to_address' | 'created_at' | 'communication_id'>;
/** A message with its owner on file and, under a rule that waits for an event, when its clock started. */
type Row = Stored & { readonly subjectId?: string; readonly start: string; readonly expired: boolean };

/** The person on file for each message's address, if any. */
async function ownersOf(ctx: AppContext, db: Tx, rows: readonly Stored[]): Promise<Map<Stored, string>> {
  const lookups = new Map<Stored, string>();
  for (const row of rows) {
    const email = normaliseEmail(row.to_address);
    if (email.ok) lookups.set(row, lookupOf(ctx.keys, 'email', email.value));
  }
  const owners = new Map<Stored, string>();
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
    if (subjectId !== undefined) owners.set(row, subjectId);
  }
  return owners;
}

export function outboxTarget(ctx: AppContext, system: string, scope: RuleScope): SweepTarget | undefined {
  const communications = communicationsUsing(scope);
  const requests = keepsRequests(scope);
  if (communications.length === 0 && !requests) return undefined;
  const purposeOf = (row: Stored): Purpose | undefined => {
    if (row.communication_id === null) return rightsPurpose(scope);
    const communication = scope.model.declaration.communications.find((c) => c.id === row.communication_id);
    return communication === undefined ? undefined : scope.model.purposes.get(communication.purpose);
  };

  /**
   * Owners and clocks of a batch. A rule counting from collection counts from the writing; any
   * other starts as a record of the message's purpose written then would (record-clocks.ts), and
   * never earlier, so `created_at` below the threshold stays a sound first cut. A message whose
   * address no longer belongs to anyone on file counts from its writing: nothing can report an
   * event about a person Steward no longer knows.
   */
  async function judge(db: Tx, stored: Stored[], at: Date): Promise<Row[]> {
    const owners = await ownersOf(ctx, db, stored);
    const byWriting = (r: Stored, subjectId?: string): Row => ({
      ...r,
      ...(subjectId === undefined ? {} : { subjectId }),
      start: r.created_at,
      expired: true,
    });
    if (scope.rule.trigger === 'collected') return stored.map((r) => byWriting(r, owners.get(r)));
    const waiting = stored.flatMap((r) => {
      const subjectId = owners.get(r);
      const purpose = purposeOf(r);
      return subjectId === undefined || purpose === undefined
        ? []
        : [{ row: r, subjectId, purpose, writtenAt: r.created_at }];
    });
    const starts = await messageClockStarts(db, scope.model, scope.rule, waiting);
    const judged = new Map(waiting.map((w, i) => [w.row, starts[i]]));
    return stored.map((r) => {
      if (!judged.has(r)) return byWriting(r, owners.get(r));
      const start = judged.get(r);
      const subjectId = owners.get(r)!;
      if (start === undefined) return { ...r, subjectId, start: r.created_at, expired: false };
      const iso = start.toISOString();
      return { ...r, subjectId, start: iso, expired: new Date(deadlineOf(scope, iso)) <= at };
    });
  }

  return keysetTarget<Row>(system, {
    collection: 'outbox',
    action: 'delete',
    select: async (db, cursor, size, at) =>
      judge(
        db,
        await afterCursor(
          db
            .selectFrom('outbox')
            .select(['id', 'to_address', 'created_at', 'communication_id'])
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
        at,
      ),
    key: (r) => [r.created_at, r.id],
    governs: (r) => r.expired,
    oldest: (r) => ({ clock: r.start, deadline: deadlineOf(scope, r.start) }),
    subjects: async (_db, rows) => {
      const owners = new Map<Row, HoldSubject>();
      for (const row of rows)
        if (row.subjectId !== undefined)
          owners.set(row, {
            subjectId: row.subjectId,
            categories: [EMAIL_CATEGORY, 'user.content.communication'],
          });
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
