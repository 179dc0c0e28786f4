/**
 * What a retention sweep works on: a target is one collection of one system under one rule (the
 * records of Steward's store that the rule governs, a connected system's orders table), and it
 * answers one question in batches: "after this cursor, which rows have expired, which of them does
 * a legal hold keep, and (unless this is a dry run) remove the others". The run loop
 * (`run-sweep.ts`) and the plan (`plan.ts`) only see this interface, so Steward's own store and
 * connected systems are swept by the same code.
 *
 * Every target walks its rows in the order of its clock column (then a unique key), so the first
 * row a batch would remove is the oldest expired one: the plan and the metric read their "oldest"
 * from it. Thresholds come from `clocks.ts` only.
 */
import type { ReferenceExpression, SelectQueryBuilder } from 'kysely';
import type { PolicyModel } from '../policy/model.js';
import type { RetentionRule } from '../policy/schema.js';
import type { Tx } from '../store/transaction.js';
import { expiredBefore, expiresAt } from './clocks.js';
import type { LegalHold } from './holds.js';
import { holdCovering, holdsBySubject } from './holds.js';

export type SweepAction = RetentionRule['action'];

/** Where a target's next batch starts: the clock value and key of the last row read. */
export type CursorKey = readonly (string | number)[];

/** The oldest row a batch would remove: when its clock started and when it expired. */
export interface OldestRow {
  readonly clock: string;
  readonly deadline: string;
}

export interface BatchInput {
  readonly cursor: CursorKey | null;
  readonly size: number;
  /** The run's instant: thresholds are computed from it, so a resumed run keeps them. */
  readonly at: Date;
  /** Count what would go, change nothing. */
  readonly dryRun: boolean;
}

export interface BatchResult {
  /** Rows removed (in a dry run: that would be). */
  readonly deleted: number;
  readonly anonymised: number;
  /** Rows a legal hold kept, by hold id. */
  readonly held: Readonly<Record<string, number>>;
  /** Where the next batch starts; null when nothing is left after this batch. */
  readonly cursor: CursorKey | null;
  readonly oldest?: OldestRow;
}

export interface SweepTarget {
  readonly system: string;
  readonly collection: string;
  /** What the rule does to this collection's rows (a target that cannot anonymise deletes). */
  readonly action: SweepAction;
  /**
   * One batch after `cursor`. Steward's targets work inside `tx`, the transaction that also
   * commits the run's progress, so a batch and its cursor commit together.
   */
  batch(tx: Tx, input: BatchInput): Promise<BatchResult>;
}

/**
 * A collection of a connected system under a rule. Its rows are swept by the system's connector
 * (`connector.sweep`), in the system's own short transactions; the run records each batch in
 * its own transactions on Steward's store (`connected/run.ts`), never one held open across the
 * system's batch.
 */
export interface ConnectedTarget {
  readonly system: string;
  readonly collection: string;
  readonly action: SweepAction;
  /** The data categories its rows (and the rows that go with them by cascade) hold: what a hold must cover. */
  readonly categories: readonly string[];
  /** The other systems of the declaration, whose linked values find a held person here too. */
  readonly linkedSystems: readonly string[];
}

/** Anything a run walks: a collection of Steward's store or of a connected system. */
export type RuleTarget = SweepTarget | ConnectedTarget;

export const isConnected = (target: RuleTarget): target is ConnectedTarget => !('batch' in target);

/** A rule of a declaration, with what its clocks need. */
export interface RuleScope {
  readonly model: PolicyModel;
  readonly rule: RetentionRule;
}

/** Clock values strictly before this instant have expired under the rule at `at`. */
export function thresholdOf(scope: RuleScope, at: Date): Date {
  return expiredBefore(scope.rule, at, scope.model.declaration.financialYear);
}

/** When a row whose clock started at `clock` expires under the rule. */
export function deadlineOf(scope: RuleScope, clock: string): string {
  return expiresAt(scope.rule, new Date(clock), scope.model.declaration.financialYear).toISOString();
}

/**
 * Orders a query by clock then key, and continues after `cursor` (a `[clock, key]` pair). The
 * first condition alone gives an index on (…, clock, key) its range.
 */
export function afterCursor<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  clock: ReferenceExpression<DB, TB> & string,
  key: ReferenceExpression<DB, TB> & string,
  cursor: CursorKey | null,
): SelectQueryBuilder<DB, TB, O> {
  let q = query;
  if (cursor !== null) {
    const [at, id] = cursor as [string, string | number];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the columns' types are the caller's
    const value = (v: unknown) => v as any;
    q = q
      .where(clock, '>=', value(at))
      .where((eb) => eb.or([eb(clock, '>', value(at)), eb(key, '>', value(id))]));
  }
  return q.orderBy(clock).orderBy(key);
}

/** A row's person and the data categories it holds, for the hold check. */
export interface HoldSubject {
  readonly subjectId: string;
  readonly categories: readonly string[];
}

/**
 * How a target over Steward's store is described: how it reads a batch in clock order, and what
 * it does with the rows that go. `keysetTarget` turns it into a `SweepTarget`.
 */
export interface KeysetSpec<Row> {
  readonly collection: string;
  readonly action: SweepAction;
  /** Rows whose clock is before the rule's threshold at `at`, after `cursor`, at most `size`. */
  select(db: Tx, cursor: CursorKey | null, size: number, at: Date): Promise<Row[]>;
  key(row: Row): CursorKey;
  /** The oldest-row report of a row that would go. */
  oldest(row: Row): OldestRow;
  /** Rows this rule does not govern are passed over (counted nowhere). */
  governs?(row: Row): boolean;
  /** Whose data each row is; rows without a person cannot be held. */
  subjects?(db: Tx, rows: readonly Row[]): Promise<ReadonlyMap<Row, HoldSubject>>;
  /** What one row would undergo; the target's action unless the row says otherwise. */
  actionOf?(row: Row): SweepAction;
  /** Removes the rows (none held), inside the batch's transaction. */
  apply(tx: Tx, rows: readonly Row[]): Promise<{ deleted: number; anonymised: number }>;
}

/** The hold that keeps each row, for rows some hold covers. */
async function heldRows<Row>(
  db: Tx,
  rows: readonly Row[],
  subjects: KeysetSpec<Row>['subjects'],
): Promise<Map<Row, LegalHold>> {
  const held = new Map<Row, LegalHold>();
  if (subjects === undefined || rows.length === 0) return held;
  const owners = await subjects(db, rows);
  const holds = await holdsBySubject(
    db,
    [...owners.values()].map((o) => o.subjectId),
  );
  if (holds.size === 0) return held;
  for (const [row, owner] of owners) {
    const hold = holdCovering(holds.get(owner.subjectId) ?? [], owner.categories);
    if (hold !== undefined) held.set(row, hold);
  }
  return held;
}

/** A Steward-store target from its description. */
export function keysetTarget<Row>(system: string, spec: KeysetSpec<Row>): SweepTarget {
  return {
    system,
    collection: spec.collection,
    action: spec.action,
    async batch(tx, { cursor, size, at, dryRun }) {
      const rows = await spec.select(tx, cursor, size, at);
      const last = rows[rows.length - 1];
      const next = rows.length < size || last === undefined ? null : spec.key(last);
      const governed = spec.governs === undefined ? rows : rows.filter((r) => spec.governs!(r));
      const kept = await heldRows(tx, governed, spec.subjects);
      const held: Record<string, number> = {};
      for (const hold of kept.values()) held[hold.id] = (held[hold.id] ?? 0) + 1;
      const going = governed.filter((r) => !kept.has(r));
      const first = going[0];
      let counts = { deleted: 0, anonymised: 0 };
      if (dryRun) {
        for (const row of going) {
          if ((spec.actionOf?.(row) ?? spec.action) === 'anonymise') counts.anonymised += 1;
          else counts.deleted += 1;
        }
      } else if (going.length > 0) counts = await spec.apply(tx, going);
      return {
        ...counts,
        held,
        cursor: next,
        ...(first === undefined ? {} : { oldest: spec.oldest(first) }),
      };
    },
  };
}
