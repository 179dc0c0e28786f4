/**
 * Captured records whose expiry has passed (`records.expires_at < now`). The expiry is the
 * contract with the clocks: capture, lifecycle events, interactions and consent withdrawals keep
 * it at the moment every rule of the record has run out (NULL while a clock has not started), so
 * the sweep compares it with the run's instant and does no arithmetic of its own.
 *
 * A rule's run takes the expired records that rule governs (some purpose and category of the
 * record has it), in expiry order. A record under several rules has expired under all of them,
 * so any of their runs may take it; what happens to it is the same whichever does: anonymised
 * when one of its rules says anonymise (its non-identifying content is what that rule keeps),
 * deleted otherwise.
 *
 * Anonymising keeps what the data says but not whose it is: a new row with a new id (the old id
 * is in the audit ledger beside the person's), filed under the one anonymous subject, without the
 * fields whose names say they hold personal data (the same reading of field names erasure uses),
 * without those categories, its collection time cut to the day, and no expiry: it is no longer
 * anyone's personal data. Only the controller's partition is swept: data held as processor is
 * kept as its Provider instructs.
 */
import { randomUUID } from 'node:crypto';
import { fieldCategories, reduceRecordData } from '../../capture/field-categories.js';
import { seal, unseal } from '../../capture/sealed.js';
import { markSuppressionChange } from '../../consent/changes.js';
import type { AppContext } from '../../context.js';
import { relationshipFacts } from '../../policy/lifecycle.js';
import type { LegalBasis } from '../../policy/schema.js';
import type { RecordTable } from '../../store/schema.js';
import type { Tx } from '../../store/transaction.js';
import { CONTROLLER_TENANT } from '../../subjects/subjects.js';
import type { HoldSubject, RuleScope, SweepAction, SweepTarget } from '../targets.js';
import { afterCursor, keysetTarget } from '../targets.js';
import { releaseEmptySubjects } from './release-subjects.js';

/**
 * The subject anonymised records are filed under: it has no identifiers, so no request, search
 * or message ever reaches it, and every record filed under it is no one's.
 */
export const ANONYMOUS_SUBJECT = '00000000-0000-4000-8000-000000000000';

type Row = Pick<
  RecordTable,
  'id' | 'subject_id' | 'purposes' | 'categories' | 'expires_at' | 'collected_at'
> & { readonly rules: ReadonlySet<string>; readonly parsedCategories: string[] };

/** The retention rules that govern a record: one per purpose and category it holds. */
function rulesOf(scope: RuleScope, purposes: string, categories: readonly string[]): Set<string> {
  const rules = new Set<string>();
  for (const stored of JSON.parse(purposes) as { id: string; basis: LegalBasis | null }[]) {
    const purpose = scope.model.purposes.get(stored.id);
    if (purpose === undefined) continue;
    for (const category of categories) {
      const rule = scope.model.retentionFor(purpose, category);
      if (rule !== undefined) rules.add(rule.id);
    }
  }
  return rules;
}

/**
 * Whether removing a record can end a soft opt-in relationship: it was captured for a purpose a
 * soft opt-in counts, or a soft opt-in counts events (an event about the record goes with it).
 */
function relationshipEnds(scope: RuleScope): (row: Pick<Row, 'purposes'>) => boolean {
  const facts = scope.model.declaration.communications.flatMap(relationshipFacts);
  if (facts.some((f) => f.kind === 'event')) return () => true;
  const counted = new Set(facts.flatMap((f) => (f.kind === 'capture' ? [f.purpose] : [])));
  if (counted.size === 0) return () => false;
  return (row) => (JSON.parse(row.purposes) as { id: string }[]).some((p) => counted.has(p.id));
}

/** Files the anonymous subject once; every later call finds it. */
async function ensureAnonymousSubject(tx: Tx, at: string): Promise<void> {
  await tx
    .insertInto('subjects')
    .values({
      id: ANONYMOUS_SUBJECT,
      tenant: CONTROLLER_TENANT,
      jurisdiction: null,
      child: 0,
      restricted: 1,
      objected_at: null,
      merged_into: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** The purposes whose retention names the rule, for some category or by default. */
export function purposesNaming(scope: RuleScope): string[] {
  return scope.model.declaration.purposes
    .filter(
      (p) =>
        p.retention?.default === scope.rule.id ||
        Object.values(p.retention?.categories ?? {}).includes(scope.rule.id),
    )
    .map((p) => p.id);
}

/** The records of Steward's store that a rule governs, or undefined when no purpose names the rule. */
export function recordsTarget(ctx: AppContext, system: string, scope: RuleScope): SweepTarget | undefined {
  const purposes = purposesNaming(scope);
  const relationship = relationshipEnds(scope);
  if (purposes.length === 0) return undefined;
  const actionOf = (row: Row): SweepAction =>
    [...row.rules].some((id) => scope.model.retentionRules.get(id)?.action === 'anonymise')
      ? 'anonymise'
      : 'delete';

  async function anonymise(tx: Tx, rows: readonly Row[]): Promise<void> {
    const now = ctx.clock.now().toISOString();
    await ensureAnonymousSubject(tx, now);
    const full = await tx
      .selectFrom('records')
      .selectAll()
      .where('tenant', '=', CONTROLLER_TENANT)
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    for (const record of full) {
      const data = unseal(ctx.keys.records, record.data) as Record<string, unknown>;
      const reduced = reduceRecordData(data, () => false);
      const categories = (JSON.parse(record.categories) as string[]).filter((c) => !fieldCategories.has(c));
      await tx
        .insertInto('records')
        .values({
          ...record,
          id: randomUUID(),
          subject_id: ANONYMOUS_SUBJECT,
          categories: JSON.stringify(categories),
          data: seal(ctx.keys.records, reduced.data),
          collected_at: `${record.collected_at.slice(0, 10)}T00:00:00.000Z`,
          expires_at: null,
        })
        .execute();
    }
  }

  return keysetTarget<Row>(system, {
    collection: 'records',
    action: scope.rule.action,
    async select(db, cursor, size, at) {
      const rows = await afterCursor(
        db
          .selectFrom('records')
          .select(['id', 'subject_id', 'purposes', 'categories', 'expires_at', 'collected_at'])
          .where('tenant', '=', CONTROLLER_TENANT)
          .where('declaration_id', '=', scope.model.id)
          .where('expires_at', '<', at.toISOString())
          // A first cut in the store (stored purposes are JSON `[{"id":…}]`; `_` in an id matches
          // any character, which only lets more through): `governs` decides exactly.
          .where((eb) => eb.or(purposes.map((id) => eb('purposes', 'like', `%"id":"${id}"%`)))),
        'expires_at',
        'id',
        cursor,
      )
        .limit(size)
        .execute();
      return rows.map((r) => {
        const parsedCategories = JSON.parse(r.categories) as string[];
        return { ...r, parsedCategories, rules: rulesOf(scope, r.purposes, parsedCategories) };
      });
    },
    key: (r) => [r.expires_at ?? '', r.id],
    oldest: (r) => ({ clock: r.collected_at, deadline: r.expires_at ?? '' }),
    governs: (r) => r.rules.has(scope.rule.id),
    subjects: async (_db, rows) =>
      new Map(
        rows.map((r) => [r, { subjectId: r.subject_id, categories: r.parsedCategories } as HoldSubject]),
      ),
    actionOf,
    async apply(tx, rows) {
      const toAnonymise = rows.filter((r) => actionOf(r) === 'anonymise');
      if (toAnonymise.length > 0) await anonymise(tx, toAnonymise);
      const ids = rows.map((r) => r.id);
      await tx.deleteFrom('notice_tasks').where('record_id', 'in', ids).execute();
      await tx.deleteFrom('records').where('tenant', '=', CONTROLLER_TENANT).where('id', 'in', ids).execute();
      // A soft opt-in may have counted from these records (or from events about them, deleted
      // with them): the suppression index must look again at their people.
      for (const subject of new Set(rows.filter(relationship).map((r) => r.subject_id)))
        await markSuppressionChange(tx, ctx, subject);
      await releaseEmptySubjects(
        tx,
        ctx,
        rows.map((r) => r.subject_id),
      );
      return { deleted: rows.length - toAnonymise.length, anonymised: toAnonymise.length };
    },
  });
}
