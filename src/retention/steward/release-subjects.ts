/**
 * People a sweep left with nothing: once the last of a person's records, subscriptions, consent
 * proofs, browser links and rights requests has gone under its rule, their identifiers (email
 * addresses are kept in the clear) serve no purpose any more, so they go too, with the person and
 * the lifecycle events reported about them and their released holds (whose placing and release
 * the audit ledger keeps). A person under a legal hold, or one others were merged into, stays.
 * An objection outlives the person as erasure keeps it: their addresses are suppressed by keyed
 * hash first.
 *
 * Called by the targets that remove a person's rows, in the batch's transaction, with the people
 * those rows belonged to.
 */
import { sql } from 'kysely';
import { markSuppressionChange, suppressAddress } from '../../consent/changes.js';
import { ALL } from '../../consent/suppression.js';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../store/transaction.js';
import { CONTROLLER_TENANT } from '../../subjects/subjects.js';

/** Tables whose rows of a person keep them (and their identifiers) in the store. */
const keeping = ['consent_events', 'subscriptions', 'web_links', 'requests'] as const;

/** Removes the people among `subjectIds` who have nothing left; returns how many went. */
export async function releaseEmptySubjects(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'store'>,
  subjectIds: Iterable<string>,
): Promise<number> {
  // The anonymous subject is never empty: anonymised records are filed under it as it is made.
  const ids = [...new Set(subjectIds)];
  if (ids.length === 0) return 0;
  let query = tx
    .selectFrom('subjects as s')
    .select(['s.id', 's.objected_at'])
    .where('s.tenant', '=', CONTROLLER_TENANT)
    .where('s.id', 'in', ids)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('records as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.subject_id', '=', 's.id')
            .where('r.tenant', '=', CONTROLLER_TENANT),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('legal_holds as h')
            .select(sql.lit(1).as('one'))
            .whereRef('h.subject_id', '=', 's.id')
            .where('h.released_at', 'is', null),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('subjects as merged')
            .select(sql.lit(1).as('one'))
            .whereRef('merged.merged_into', '=', 's.id')
            .where('merged.tenant', '=', CONTROLLER_TENANT),
        ),
      ),
    );
  for (const table of keeping)
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom(table).select(sql.lit(1).as('one')).whereRef(`${table}.subject_id`, '=', 's.id')),
      ),
    );
  const empty = await query.execute();
  for (const subject of empty) {
    if (subject.objected_at !== null) {
      const addresses = await tx
        .selectFrom('identifiers')
        .select('lookup')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', subject.id)
        .where('kind', '=', 'email')
        .execute();
      for (const { lookup } of addresses)
        await suppressAddress(tx, ctx.clock, {
          lookup,
          declarationId: ALL,
          scope: ALL,
          reason: 'objected',
          subjectId: null,
        });
    }
    await tx
      .updateTable('suppressions')
      .set({ subject_id: null })
      .where('subject_id', '=', subject.id)
      .execute();
    await tx
      .deleteFrom('identifiers')
      .where('tenant', '=', CONTROLLER_TENANT)
      .where('subject_id', '=', subject.id)
      .execute();
    await tx
      .deleteFrom('lifecycle_events')
      .where('tenant', '=', CONTROLLER_TENANT)
      .where('subject_id', '=', subject.id)
      .execute();
    await tx.deleteFrom('notice_tasks').where('subject_id', '=', subject.id).execute();
    // Released holds: their placing and release stay in the audit ledger.
    await tx.deleteFrom('legal_holds').where('subject_id', '=', subject.id).execute();
    await tx
      .deleteFrom('subjects')
      .where('tenant', '=', CONTROLLER_TENANT)
      .where('id', '=', subject.id)
      .execute();
    // The in-memory suppression index reloads this person before it answers again.
    await markSuppressionChange(tx, ctx, subject.id);
  }
  return empty.length;
}
