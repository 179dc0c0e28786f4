/**
 * Proof of consents that ended: the consent ledger's events of one person, declaration and target
 * (a purpose, a communication, a cookie category) whose last event is a withdrawal or an expiry.
 * The declaration says how long such proof is kept by a purpose on a legal obligation that lists
 * `user.consent` (the reference declaration's `consent_records`, as erasure reads it too); its
 * rule counts from the end of the consent. Consents still given are never swept: they are the
 * basis of what is done now. The events of the target go together; a proof without its person
 * proves nothing, so anonymising it is deleting it.
 */
import { sql } from 'kysely';
import { markConsentChange } from '../../consent/changes.js';
import type { AppContext } from '../../context.js';
import type { Purpose } from '../../policy/schema.js';
import { categoryCovers } from '../../policy/taxonomy.js';
import type { ConsentEventTable } from '../../store/schema.js';
import type { RuleScope, SweepTarget } from '../targets.js';
import { afterCursor, deadlineOf, keysetTarget, thresholdOf } from '../targets.js';
import { releaseEmptySubjects } from './release-subjects.js';

export const CONSENT_CATEGORY = 'user.consent';

/** The purpose whose retention says how long proof of consent is kept, if the declaration has one. */
export function consentProofPurpose(scope: Pick<RuleScope, 'model'>): Purpose | undefined {
  return scope.model.declaration.purposes.find(
    (p) =>
      scope.model.basesOf(p).includes('legal_obligation') &&
      p.categories.some((c) => categoryCovers(c, CONSENT_CATEGORY)),
  );
}

type Row = Pick<ConsentEventTable, 'subject_id' | 'target_kind' | 'target_id' | 'at'> & { seq: number };

/** The consent proofs a rule keeps, or undefined when the rule is not the proof's. */
export function consentProofsTarget(
  ctx: AppContext,
  system: string,
  scope: RuleScope,
): SweepTarget | undefined {
  const purpose = consentProofPurpose(scope);
  if (purpose === undefined || scope.model.retentionFor(purpose, CONSENT_CATEGORY)?.id !== scope.rule.id)
    return undefined;
  return keysetTarget<Row>(system, {
    // Counted per ended consent (the events of one person and target), held or removed together.
    collection: 'consent_proofs',
    action: 'delete',
    select: (db, cursor, size, at) =>
      afterCursor(
        db
          .selectFrom('consent_events as e')
          .select(['e.seq', 'e.subject_id', 'e.target_kind', 'e.target_id', 'e.at'])
          .where('e.declaration_id', '=', scope.model.id)
          // Written as the partial index consent_events_ended says it, so the index serves it.
          .where(sql<boolean>`e.event in ('withdrawn', 'expired')`)
          .where('e.at', '<', thresholdOf(scope, at).toISOString())
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('consent_events as later')
                  .select('later.seq')
                  .whereRef('later.subject_id', '=', 'e.subject_id')
                  .whereRef('later.declaration_id', '=', 'e.declaration_id')
                  .whereRef('later.target_kind', '=', 'e.target_kind')
                  .whereRef('later.target_id', '=', 'e.target_id')
                  .whereRef('later.seq', '>', 'e.seq'),
              ),
            ),
          ),
        'e.at',
        'e.seq',
        cursor,
      )
        .limit(size)
        .execute(),
    key: (r) => [r.at, r.seq],
    oldest: (r) => ({ clock: r.at, deadline: deadlineOf(scope, r.at) }),
    subjects: async (_db, rows) =>
      new Map(rows.map((r) => [r, { subjectId: r.subject_id, categories: [CONSENT_CATEGORY] }])),
    async apply(tx, rows) {
      for (const row of rows) {
        await tx
          .deleteFrom('consent_events')
          .where('subject_id', '=', row.subject_id)
          .where('declaration_id', '=', scope.model.id)
          .where('target_kind', '=', row.target_kind)
          .where('target_id', '=', row.target_id)
          .where('seq', '<=', row.seq)
          .execute();
      }
      // Consent token caches read past this entry before they trust what they hold.
      for (const subject of new Set(rows.map((r) => r.subject_id))) await markConsentChange(tx, ctx, subject);
      await releaseEmptySubjects(
        tx,
        ctx,
        rows.map((r) => r.subject_id),
      );
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}
