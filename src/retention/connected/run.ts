/**
 * One connected target of a retention run: the system's connector sweeps the collection in its
 * own short transactions (`connector.sweep`), and the run records each batch in transactions of
 * its own on Steward's store, none held open across the system's batch:
 *
 * - before the system commits a batch (`beforeCommit`, inside the system's transaction), the
 *   batch's keys are written into the run's cursor as in flight, in a Steward transaction that
 *   locks the run's row and first checks that the run is still running and that nobody wrote it
 *   since this worker last did. If another worker did (a lease lost while this worker still
 *   ran), this worker throws, so the system's transaction rolls back, and stops: every batch is
 *   done by one worker only;
 * - after the commit (`onBatch`) the cursor, the swept count and the collection's counts are
 *   written and the in-flight entry cleared, under the same check;
 * - before its first batch a worker claims the target (a write under the same check): of two
 *   that start together one stops there, and a worker taking the run up from a lost lease makes
 *   the other stop at its next write;
 * - a worker killed between the two leaves the batch in flight: the next one passes it as
 *   `resume.inFlight` and the connector settles it (counts what was committed, redoes the rest).
 *
 * Holds are read fresh before every batch (`heldPersons`), so a hold placed during the sweep
 * counts from the next batch. The job's lease is renewed by the worker while this runs.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../context.js';
import type {
  FieldValue,
  SweepCursor,
  SweepInFlight,
  SweepProgress,
  SweepResult,
} from '../../connectors/contract.js';
import { transaction } from '../../store/transaction.js';
import type { Tx } from '../../store/transaction.js';
import type { CollectionCounts, RunCursor, RunRow, RunView } from '../runs.js';
import { countsOf, cursorOf, holdsOf, loadRun, lockRun, saveProgress, viewOf } from '../runs.js';
import type { ConnectedTarget, RuleScope } from '../targets.js';
import { thresholdOf } from '../targets.js';
import { heldByHold, heldPersons, sweepingConnector } from './targets.js';

/** A connected target's progress, as the run's cursor keeps it (JSON). */
export interface ConnectedProgress {
  readonly swept: number;
  /** Set by the worker that took the target up last. */
  readonly claim?: string;
  readonly cursor?: { readonly clock: unknown; readonly key: readonly unknown[] };
  readonly inFlight?: {
    readonly keys: readonly (readonly unknown[])[];
    readonly cursor: { readonly clock: unknown; readonly key: readonly unknown[] };
  };
}

export interface ConnectedCursor extends RunCursor {
  readonly sweep?: ConnectedProgress;
}

/** JSON holds no bigint, date or bytes: such values are kept with a marker. */
const encode = (v: FieldValue): unknown =>
  typeof v === 'bigint'
    ? { bigint: v.toString() }
    : v instanceof Date
      ? { date: v.toISOString() }
      : v instanceof Uint8Array
        ? { bytes: Buffer.from(v).toString('base64') }
        : v;
const decode = (v: unknown): FieldValue => {
  if (typeof v !== 'object' || v === null) return v as FieldValue;
  if ('bigint' in v) return BigInt(String(v.bigint));
  if ('date' in v) return new Date(String(v.date));
  if ('bytes' in v) return new Uint8Array(Buffer.from(String(v.bytes), 'base64'));
  return v as FieldValue;
};
const encodeCursor = (c: SweepCursor) => ({ clock: encode(c.clock), key: c.key.map(encode) });
const decodeCursor = (c: NonNullable<ConnectedProgress['cursor']>): SweepCursor => ({
  clock: decode(c.clock),
  key: c.key.map(decode),
});
const encodeInFlight = (b: SweepInFlight): NonNullable<ConnectedProgress['inFlight']> => ({
  keys: b.keys.map((k) => k.map(encode)),
  cursor: encodeCursor(b.cursor),
});

/** Another worker wrote the run since this one last did: this one stops. */
class Superseded extends Error {
  constructor(runId: string) {
    super(`Retention run ${runId}: another worker carries it on; this worker stops.`);
    this.name = 'Superseded';
  }
}

export interface ConnectedRunInput {
  readonly scope: RuleScope;
  readonly at: Date;
  /** Rows per batch; undefined lets the connector size batches by time. */
  readonly size: number | undefined;
  readonly onBatch?: (run: RunView) => void | Promise<void>;
  readonly beforeCommit?: (tx: Tx, run: RunView) => Promise<void>;
}

/** The run with the collection's counts and the target's progress replaced. */
function withProgress(
  run: RunRow,
  target: ConnectedTarget,
  progress: ConnectedProgress,
  extra: {
    held?: number;
    blocked?: number;
    busy?: number;
    holds?: Record<string, number>;
    next?: boolean;
  } = {},
): RunRow {
  const counts = countsOf(run);
  const holds = holdsOf(run);
  const before: CollectionCounts = counts[target.collection] ?? { deleted: 0, anonymised: 0, held: 0 };
  counts[target.collection] = {
    deleted: target.action === 'delete' ? progress.swept : 0,
    anonymised: target.action === 'anonymise' ? progress.swept : 0,
    held: extra.held ?? before.held,
    ...(extra.blocked ? { blocked: extra.blocked } : {}),
    ...(extra.busy ? { busy: extra.busy } : {}),
  };
  for (const [hold, n] of Object.entries(extra.holds ?? {})) holds[hold] = (holds[hold] ?? 0) + n;
  const position = cursorOf(run).target;
  const cursor: ConnectedCursor =
    extra.next === true
      ? { target: position + 1, key: null }
      : { target: position, key: null, sweep: progress };
  return {
    ...run,
    counts: JSON.stringify(counts),
    held: JSON.stringify(holds),
    cursor: JSON.stringify(cursor),
  };
}

/**
 * Sweeps the run's current target, a connected collection, to its end. Returns the run as this
 * worker left it (its cursor on the next target), or `superseded` when another worker carries
 * the run on (or it ended).
 *
 * @throws ConnectorError when the system cannot be reached or refuses: the job's attempt fails.
 */
export async function sweepConnectedTarget(
  ctx: AppContext,
  run: RunRow,
  target: ConnectedTarget,
  input: ConnectedRunInput,
): Promise<RunRow | 'superseded'> {
  const connector = await sweepingConnector(ctx, target);
  let known = run;
  let superseded = false;

  /** Writes the run, if it is still as this worker left it. */
  const record = (change: (run: RunRow) => RunRow, batch: boolean, inside?: boolean) =>
    transaction(ctx.store, async (tx) => {
      const now = await lockRun(tx, ctx, run.id);
      if (
        now === undefined ||
        now.status !== 'running' ||
        now.batches !== known.batches ||
        now.cursor !== known.cursor
      ) {
        superseded = true;
        throw new Superseded(run.id);
      }
      const next = {
        ...change(now),
        batches: now.batches + (batch ? 1 : 0),
        updated_at: ctx.clock.now().toISOString(),
      };
      await saveProgress(tx, next);
      if (inside === true) await input.beforeCommit?.(tx, viewOf(next));
      known = next;
      return next;
    });

  // The worker claims the target first: of two that start together one claims and the other
  // stops here; a later one (a lease lost) claims over it, and the earlier one stops at its next
  // write. Only the claimer's empty sweep can end the target.
  let claimed: RunRow;
  try {
    claimed = await record((r) => {
      const current = (cursorOf(r) as ConnectedCursor).sweep ?? { swept: 0 };
      return withProgress(r, target, { ...current, claim: randomUUID() });
    }, false);
  } catch (error) {
    if (superseded) return 'superseded';
    throw error;
  }
  const { claim: _claim, ...state } = (cursorOf(claimed) as ConnectedCursor).sweep ?? { swept: 0 };
  let progress: ConnectedProgress = state;
  const before = thresholdOf(input.scope, input.at);
  const holds = heldPersons(ctx, target);
  const pause = ctx.config.retentionPauseMs ?? 0;
  let result: SweepResult;
  try {
    result = await connector.sweep(target.collection, {
      before,
      action: target.action,
      ...(input.size === undefined ? {} : { batchSize: input.size }),
      held: () => holds.held(),
      ...(state.cursor === undefined && state.inFlight === undefined
        ? {}
        : {
            resume: {
              swept: state.swept,
              ...(state.cursor === undefined ? {} : { cursor: decodeCursor(state.cursor) }),
              ...(state.inFlight === undefined
                ? {}
                : {
                    inFlight: {
                      keys: state.inFlight.keys.map((k) => k.map(decode)),
                      cursor: decodeCursor(state.inFlight.cursor),
                    },
                  }),
            },
          }),
      beforeCommit: async (batch) => {
        await record(
          (r) => withProgress(r, target, { ...progress, inFlight: encodeInFlight(batch) }),
          false,
          true,
        );
      },
      onBatch: async (done: SweepProgress) => {
        // The pause between batches comes while the batch is still in flight: a worker killed
        // now leaves it for the next to settle, which is exact either way.
        if (pause > 0) await sleep(pause);
        progress = {
          swept: done.swept,
          ...(done.cursor !== undefined
            ? { cursor: encodeCursor(done.cursor) }
            : progress.cursor
              ? { cursor: progress.cursor }
              : {}),
        };
        const next = await record((r) => withProgress(r, target, progress), true);
        await input.onBatch?.(viewOf(next));
      },
    });
  } catch (error) {
    if (superseded) return 'superseded';
    throw error;
  }
  const byHold = await heldByHold(connector, target, before, holds, result.held);
  try {
    const next = await record(
      (r) =>
        withProgress(
          r,
          target,
          { swept: result.swept },
          {
            held: result.held,
            blocked: result.blocked,
            ...(result.busy === undefined ? {} : { busy: result.busy }),
            holds: byHold,
            next: true,
          },
        ),
      true,
    );
    await input.onBatch?.(viewOf(next));
    return next;
  } catch (error) {
    if (superseded) return 'superseded';
    throw error;
  }
}

/** The run as it stands, for a worker that stopped because another carries it on. */
export async function currentRun(ctx: AppContext, run: RunRow): Promise<RunRow> {
  return (await loadRun(ctx.store.db, run.id)) ?? run;
}
