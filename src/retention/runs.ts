/**
 * Retention runs (`retention_runs`): one sweep of a rule over one system, from the request (by
 * the schedule, an operator or the CLI) to its receipt. A run is carried out by a leased job
 * (`run-sweep.ts`); at most one run of a rule over a system is waiting or running at a time, and
 * asking for another while one is joins it.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import { enqueue } from '../jobs/queue.js';
import type { JobDefinition } from '../jobs/queue.js';
import { isUniqueViolation } from '../store/database.js';
import type { RetentionRunStatus, RetentionRunTable } from '../store/schema.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';

export type RunRow = Selectable<RetentionRunTable>;

/** What one collection of a run did. */
export interface CollectionCounts {
  readonly deleted: number;
  readonly anonymised: number;
  readonly held: number;
  /** Expired rows of a connected system left because rows that stay refer to them (a deletion). */
  readonly blocked?: number;
  /** Expired rows of a connected system that other transactions held until the sweep ended. */
  readonly busy?: number;
}

/** Where a run is: the position of the target its next batch reads, and the key it continues after. */
export interface RunCursor {
  readonly target: number;
  readonly key: readonly (string | number)[] | null;
}

export interface RunView {
  readonly id: string;
  readonly declarationId: string;
  readonly declarationVersion: number | null;
  readonly ruleId: string;
  readonly system: string;
  readonly status: RetentionRunStatus;
  readonly trigger: string;
  readonly requestedBy: string;
  /** The instant the run's thresholds are computed from. */
  readonly at: string | null;
  readonly collections: Readonly<Record<string, CollectionCounts>>;
  /** Rows each legal hold kept, by hold id. */
  readonly holds: Readonly<Record<string, number>>;
  readonly deleted: number;
  readonly anonymised: number;
  readonly held: number;
  readonly batches: number;
  readonly error: string | null;
  /** The audit ledger entry that is this run's receipt, once it finished. */
  readonly receiptSeq: number | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

export const countsOf = (row: Pick<RunRow, 'counts'>) =>
  JSON.parse(row.counts) as Record<string, CollectionCounts>;
export const holdsOf = (row: Pick<RunRow, 'held'>) => JSON.parse(row.held) as Record<string, number>;
export const cursorOf = (row: Pick<RunRow, 'cursor'>): RunCursor =>
  row.cursor === null ? { target: 0, key: null } : (JSON.parse(row.cursor) as RunCursor);

const sum = (counts: Record<string, CollectionCounts>, field: 'deleted' | 'anonymised' | 'held') =>
  Object.values(counts).reduce((n, c) => n + c[field], 0);

export function viewOf(row: RunRow): RunView {
  const collections = countsOf(row);
  return {
    id: row.id,
    declarationId: row.declaration_id,
    declarationVersion: row.declaration_version,
    ruleId: row.rule_id,
    system: row.system,
    status: row.status,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    at: row.at,
    collections,
    holds: holdsOf(row),
    deleted: sum(collections, 'deleted'),
    anonymised: sum(collections, 'anonymised'),
    held: sum(collections, 'held'),
    batches: row.batches,
    error: row.error,
    receiptSeq: row.receipt_seq,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

const activeStatuses: readonly RetentionRunStatus[] = ['pending', 'running'];

/** The run of a rule over a system that is waiting or running, if any. */
export async function activeRun(
  db: Tx,
  key: { declarationId: string; ruleId: string; system: string },
): Promise<RunRow | undefined> {
  return db
    .selectFrom('retention_runs')
    .selectAll()
    .where('declaration_id', '=', key.declarationId)
    .where('rule_id', '=', key.ruleId)
    .where('system', '=', key.system)
    .where('status', 'in', activeStatuses)
    .executeTakeFirst();
}

export interface RunRequest {
  readonly declarationId: string;
  readonly ruleId: string;
  readonly system: string;
  readonly trigger: 'schedule' | 'operator' | 'cli';
  readonly requestedBy: string;
}

/**
 * Asks for a run of a rule over a system, with the job that carries it out; the run already
 * waiting or running is answered instead (`joined: true`).
 */
export async function requestRun(
  ctx: AppContext,
  sweepJob: JobDefinition,
  input: RunRequest,
): Promise<{ run: RunRow; joined: boolean }> {
  const existing = await activeRun(ctx.store.db, input);
  if (existing !== undefined) return { run: existing, joined: true };
  const now = ctx.clock.now().toISOString();
  const id = randomUUID();
  const row: RunRow = {
    id,
    declaration_id: input.declarationId,
    declaration_version: null,
    rule_id: input.ruleId,
    system: input.system,
    status: 'pending',
    trigger: input.trigger,
    requested_by: input.requestedBy,
    rule: null,
    at: null,
    cursor: null,
    counts: '{}',
    held: '{}',
    batches: 0,
    job_id: `retention-run:${id}`,
    error: null,
    receipt_seq: null,
    created_at: now,
    started_at: null,
    ended_at: null,
    updated_at: now,
  };
  try {
    await transaction(ctx.store, async (tx) => {
      await tx.insertInto('retention_runs').values(row).execute();
      await enqueue(tx, ctx.clock, sweepJob, { runId: id }, { id: row.job_id! });
    });
    return { run: row, joined: false };
  } catch (error) {
    // Another process asked at the same moment: its run is the one.
    if (!isUniqueViolation(error)) throw error;
    const theirs = await activeRun(ctx.store.db, input);
    if (theirs === undefined) throw error;
    return { run: theirs, joined: true };
  }
}

export async function loadRun(db: Tx, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('retention_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes a run's progress: counts, holds, cursor and batches, as `next` has them. */
export async function saveProgress(
  tx: Tx,
  next: Pick<RunRow, 'id' | 'counts' | 'held' | 'cursor' | 'batches' | 'updated_at'>,
): Promise<void> {
  await tx
    .updateTable('retention_runs')
    .set({
      counts: next.counts,
      held: next.held,
      cursor: next.cursor,
      batches: next.batches,
      updated_at: next.updated_at,
    })
    .where('id', '=', next.id)
    .execute();
}

/** Locks a run's row for the rest of the transaction (PostgreSQL; SQLite has one writer anyway). */
export async function lockRun(
  tx: Tx,
  ctx: Pick<AppContext, 'store'>,
  id: string,
): Promise<RunRow | undefined> {
  const query = tx.selectFrom('retention_runs').selectAll().where('id', '=', id);
  return (ctx.store.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

/** Runs, newest first, optionally of one rule and system. */
export async function listRuns(
  db: Tx,
  filter: { declarationId?: string; ruleId?: string; system?: string; limit: number },
): Promise<RunRow[]> {
  let query = db.selectFrom('retention_runs').selectAll();
  if (filter.declarationId !== undefined) query = query.where('declaration_id', '=', filter.declarationId);
  if (filter.ruleId !== undefined) query = query.where('rule_id', '=', filter.ruleId);
  if (filter.system !== undefined) query = query.where('system', '=', filter.system);
  return query.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).execute();
}

/** The last finished run of each rule and system. */
export async function lastFinishedRuns(db: Tx): Promise<Map<string, RunRow>> {
  const rows = await db
    .selectFrom('retention_runs as r')
    .selectAll('r')
    .where('r.status', 'in', ['done', 'failed'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('retention_runs as later')
            .select('later.id')
            .whereRef('later.declaration_id', '=', 'r.declaration_id')
            .whereRef('later.rule_id', '=', 'r.rule_id')
            .whereRef('later.system', '=', 'r.system')
            .where('later.status', 'in', ['done', 'failed'])
            .whereRef('later.created_at', '>', 'r.created_at'),
        ),
      ),
    )
    .execute();
  return new Map(rows.map((r) => [runKey(r.declaration_id, r.rule_id, r.system), r]));
}

/** The runs waiting or running, by rule and system. */
export async function activeRuns(db: Tx): Promise<Map<string, RunRow>> {
  const rows = await db
    .selectFrom('retention_runs')
    .selectAll()
    .where('status', 'in', activeStatuses)
    .execute();
  return new Map(rows.map((r) => [runKey(r.declaration_id, r.rule_id, r.system), r]));
}

export const runKey = (declarationId: string, ruleId: string, system: string) =>
  `${declarationId}\u0000${ruleId}\u0000${system}`;
