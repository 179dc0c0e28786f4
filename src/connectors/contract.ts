/**
 * The contract every connector implements: Steward's own data, PostgreSQL, MySQL and MariaDB,
 * SQLite, and later Redis, web APIs and manual systems. The execution engine talks to systems
 * only through it, so fulfilment has no special case for any of them.
 *
 * A connector is built for one system from its settings (never from the published declaration)
 * and its reviewed dataset. Every operation on a person takes the same `Seeds` (the request's
 * verified identifiers, plus values other systems found for fields linked to this one), so a job
 * that is killed and run again computes the same rows: nothing about a person is kept between
 * calls. Changes are idempotent: rows already deleted or masked no longer match.
 *
 * Errors thrown by a connector are `ConnectorError`s whose message never contains the
 * connection's secrets (URL, password); the original error goes to the log only after
 * `redactSecrets`.
 */
import type { Dataset, IdentityKind, Mask, OnDeleteRule } from './dataset.js';

/** A value a field can hold, as read from or bound to the database. */
export type FieldValue = string | number | bigint | boolean | null | Date | Uint8Array;
export type Row = Readonly<Record<string, unknown>>;

/** Where a person's search starts in one system. */
export interface Seeds {
  /** Steward's own subject id for the person, when Steward holds them (the `steward` connector's seed). */
  readonly subjectId?: string;
  /** The request's identifiers, normalised (emails lower-case, phones E.164). */
  readonly identities: readonly { readonly kind: IdentityKind; readonly value: string }[];
  /** Values other systems hold for fields this system's dataset declares `sameAs` (or its own fields). */
  readonly linked?: readonly {
    readonly collection: string;
    readonly field: string;
    readonly values: readonly FieldValue[];
  }[];
}

/**
 * Which rows of one collection belong to the person, as a tree the SQL connectors compile into
 * one statement (no keys are carried in memory, however many rows match):
 * - `match`: the collection's `field` holds one of `values` (`caseInsensitive` for emails not
 *   stored normalised);
 * - `child`: `field` references `parent.parentField` of a row in the parent's scope (the person's
 *   orders, through their customer row);
 * - `parent`: a row the person's rows reference (`child.childField` → this `field`), taken only
 *   when no row outside the person's scope references it too (`others`): an address only the
 *   person uses, never a shared one or reference data;
 * - `any`: one of several paths.
 */
export type Scope =
  | {
      readonly kind: 'match';
      readonly field: string;
      readonly values: readonly FieldValue[];
      readonly caseInsensitive?: boolean;
    }
  | {
      readonly kind: 'child';
      readonly field: string;
      readonly parent: string;
      readonly parentField: string;
      readonly parentScope: Scope;
    }
  | {
      readonly kind: 'parent';
      readonly field: string;
      readonly child: string;
      readonly childField: string;
      readonly childScope: Scope;
      /**
       * Every collection with a field referencing this one's `field`, with its scope for the
       * person (absent when none of its rows are the person's): a row referenced from outside
       * the person's scope is shared and left out.
       */
      readonly others: readonly {
        readonly collection: string;
        readonly field: string;
        readonly scope?: Scope;
      }[];
    }
  | { readonly kind: 'any'; readonly of: readonly Scope[] };

/** A collection's part of the person's data, as computed by `scopeFor` in `scope.ts`. */
export interface CollectionScope {
  readonly collection: string;
  readonly scope: Scope;
}

/** The rows of a collection the person holds, read a page at a time (keyset order on the key). */
export interface Page {
  readonly rows: readonly Row[];
  /** Pass as `after` to read the next page; absent on the last page. */
  readonly next?: readonly FieldValue[];
}

export interface ReadOptions {
  /** Key of the last row of the previous page. */
  readonly after?: readonly FieldValue[];
  /** Rows per page; connectors cap it (default 500, at most 5,000). */
  readonly limit?: number;
  /** Fields to read; default every field the dataset lists. */
  readonly fields?: readonly string[];
}

/** One field's treatment in an erasure or anonymisation step. */
export interface FieldMask {
  readonly field: string;
  readonly mask: Mask;
}

/** What a change step does to the person's rows of one collection. */
export type ChangeAction =
  | {
      readonly action: 'delete';
      /** Steward's own data only: purposes whose erasure an open condition defers or refuses. */
      readonly withhold?: readonly WithheldErasure[];
    }
  | { readonly action: 'mask'; readonly fields: readonly FieldMask[] }
  | {
      readonly action: 'update';
      readonly values: readonly { readonly field: string; readonly value: FieldValue }[];
    }
  | { readonly action: 'restrict' };

/** A purpose whose data an erasure leaves for now, and why (Steward's own data keeps its records). */
export interface WithheldErasure {
  readonly declarationId: string;
  readonly purpose: string;
  readonly condition: string;
  readonly effect: 'defer' | 'refuse';
  /** For the requester, in our words: the condition and when it ends. */
  readonly explanation: string;
  readonly until?: string;
}

export interface ChangeOptions {
  /** Count what would change and change nothing. */
  readonly dryRun?: boolean;
  /** Rows per statement (and per transaction); default 1,000. */
  readonly batchSize?: number;
  /**
   * Called after each committed batch: a job renews its lease and records progress here.
   * `changed` is the running total (with `resume.changed`), `cursor` the key of the batch's last
   * row (pass it back as `resume.cursor`), `matched` the rows in scope when the step first started.
   */
  readonly onBatch?: (done: BatchDone) => Promise<void> | void;
  /**
   * Awaited inside each batch's transaction, after its writes and before its COMMIT: a job
   * records the batch here (durably, in its own store), so that a crash between this system's
   * COMMIT and `onBatch` can be told apart from one before it (`resume.inFlight`). `matched` as
   * in `onBatch`.
   */
  readonly beforeCommit?: (batch: BatchInFlight, matched: number) => Promise<void> | void;
  /** Continue a change a killed job left: after `cursor`, settling `inFlight` first. */
  readonly resume?: ChangeResume;
}

/** One committed batch, as `onBatch` reports it. */
export interface BatchDone {
  readonly changed: number;
  readonly cursor: readonly FieldValue[];
  readonly matched: number;
}

/**
 * A batch about to commit: its keys (newest first) and, for masks and updates, per key the
 * SHA-256 (hex) of the row's written fields as read back inside the batch's transaction. Only
 * masked or set values are digested, never the values they replaced.
 */
export interface BatchInFlight {
  readonly keys: readonly (readonly FieldValue[])[];
  /** Absent for a delete: a deleted row is simply gone. */
  readonly digests?: readonly string[];
}

/**
 * Where a change stopped, as its job recorded it. On resume the in-flight batch is settled by
 * reading its keys: a row gone (delete) or holding the recorded digest was committed and is
 * counted, not changed again (a `hash` of a hash would no longer join); any other row is
 * changed now. The walk then goes on below `cursor`.
 */
export interface ChangeResume {
  readonly cursor?: readonly FieldValue[];
  readonly changed: number;
  readonly matched?: number;
  readonly inFlight?: BatchInFlight;
}

export interface ChangeResult {
  /** Rows in the person's scope when the step started. */
  readonly matched: number;
  /** Rows changed, with `resume.changed` (0 on a dry run, and on a second run of the same step). */
  readonly changed: number;
  readonly batches: number;
  /**
   * Rows the system itself kept despite the change, and why. Only Steward's own data keeps on
   * its own (legal holds, legal obligations, proof of consent); other systems keep what their
   * dataset says, which the plan records.
   */
  readonly kept?: readonly KeptRows[];
}

/** Rows a change left in place on purpose, explained for operators and the requester. */
export interface KeptRows {
  readonly collection: string;
  readonly count: number;
  readonly categories: readonly string[];
  /** `exemption`: another Art. 17(3) ground; `erasure_condition`: an open condition defers or refuses it. */
  readonly reason: 'legal_hold' | 'legal_obligation' | 'exemption' | 'erasure_condition';
  /** In our words for the requester: what is kept, under which obligation, until when. */
  readonly explanation: string;
  readonly purpose?: string;
  readonly until?: string;
}

/**
 * What a retention sweep does to one collection: the rows whose clock (the dataset's
 * `retention.clock`) is strictly before `before` have expired, and go in batches ordered by
 * (clock, primary key), each batch one short statement or transaction that locks only its own
 * rows. Rows of held persons and rows that other rows still must refer to are left in place.
 */
export interface SweepOptions {
  /** The threshold: `expiredBefore(rule, now, financialYear)` of the collection's rule. */
  readonly before: Date;
  /**
   * `delete`, or `anonymise`: every personal field masked as erasure masks it (the field's
   * `mask`, or its default), so the row keeps no identifying value; lint refuses masks that would.
   */
  readonly action: 'delete' | 'anonymise';
  /**
   * Rows per batch, fixed; at most 10,000. Without it the sweep sizes its batches by time: it
   * starts at 5,000 rows and grows or shrinks each full batch so it holds its locks about
   * `batchMs`, from 1,000 rows up to 50,000 (10,000 when `beforeCommit` records the keys, and
   * fewer where a statement binds every key).
   */
  readonly batchSize?: number;
  /** How long a batch should hold its locks when the sweep sizes them itself; default 50 ms. */
  readonly batchMs?: number;
  /**
   * Where batches pass over rows other transactions lock (`SKIP LOCKED`), how long the sweep
   * waits for such rows, walking again, before it ends and reports them as `busy`; default 5 s.
   */
  readonly lockWaitMs?: number;
  /**
   * The rows to leave alone, asked before every batch and applied to exactly that batch: a hold
   * placed while the sweep runs is honoured from the next batch on. A caller that must exclude
   * a race between reading holds and the batch takes its own lock here and releases it in
   * `onBatch`.
   */
  readonly held?: () => Promise<HeldRows> | HeldRows;
  /** Count what would go and change nothing. */
  readonly dryRun?: boolean;
  /** Continue a sweep a killed job left: after `cursor`, settling `inFlight` first. */
  readonly resume?: SweepResume;
  /** Called after each committed batch: a job renews its lease and records `cursor` and the counts. */
  readonly onBatch?: (progress: SweepProgress) => Promise<void> | void;
  /**
   * Awaited inside each batch's transaction before its COMMIT, with the batch's keys: a job
   * records them (as `resume.inFlight`) so a crash between this system's COMMIT and `onBatch`
   * is counted exactly. Without it a batch is one statement where the database allows.
   */
  readonly beforeCommit?: (batch: SweepInFlight) => Promise<void> | void;
}

/** Rows a sweep leaves alone: by key in the collection, or every row of a person (their seeds). */
export interface HeldRows {
  readonly keys?: readonly (readonly FieldValue[])[];
  readonly persons?: readonly Seeds[];
}

/** A position in a sweep's (clock, primary key) order: the last row of a batch. */
export interface SweepCursor {
  readonly clock: FieldValue;
  readonly key: readonly FieldValue[];
}

export interface SweepProgress {
  /** Rows deleted or anonymised so far (with `resume.swept`). */
  readonly swept: number;
  /** Where to go on from; absent only when a resumed sweep settled its batch in flight before any other. */
  readonly cursor?: SweepCursor;
  readonly batches: number;
}

export interface SweepInFlight {
  readonly keys: readonly (readonly FieldValue[])[];
  /** Where the walk goes on once this batch is settled. */
  readonly cursor: SweepCursor;
}

export interface SweepResume {
  readonly cursor?: SweepCursor;
  readonly swept: number;
  readonly inFlight?: SweepInFlight;
}

export interface SweepResult {
  readonly action: 'delete' | 'anonymise';
  /** Rows deleted or anonymised, with `resume.swept`; on a dry run, the rows that would be. */
  readonly swept: number;
  /** Expired rows left for a hold (as `held` answered last). */
  readonly held: number;
  /** Expired rows left because rows that stay refer to them (a deletion only), not held. */
  readonly blocked: number;
  /** Due rows other transactions still held when the sweep ended: the next run takes them. */
  readonly busy?: number;
  readonly batches: number;
  /** The last row swept: pass as `resume.cursor` to go on. */
  readonly cursor?: SweepCursor;
  /** The oldest clock value among the rows that would go (a dry run only), as the driver gives it. */
  readonly oldest?: FieldValue;
  /** The longest a batch held its locks, from its first statement to its COMMIT, in milliseconds. */
  readonly slowestBatchMs: number;
}

/** A live database's structure, as discovery and `describe` report it. */
export interface Introspection {
  readonly system: string;
  readonly kind: string;
  /** Server product and version ("PostgreSQL 15.20", "MariaDB 10.11.19", "SQLite 3.45"). */
  readonly server: string;
  readonly tables: readonly IntrospectedTable[];
}

export interface IntrospectedTable {
  readonly name: string;
  readonly schema?: string;
  readonly kind: 'table' | 'view' | 'partitioned';
  readonly columns: readonly IntrospectedColumn[];
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly {
    readonly columns: readonly string[];
    readonly references: {
      readonly table: string;
      readonly schema?: string;
      readonly columns: readonly string[];
    };
    readonly onDelete: OnDeleteRule;
  }[];
  readonly uniques: readonly (readonly string[])[];
  /** Partitions of a partitioned table (their names); its rows are read through the parent. */
  readonly partitions?: { readonly by: string; readonly names: readonly string[] };
  readonly triggers: readonly string[];
  /** Estimated rows (from statistics; not exact). */
  readonly rows?: number;
}

export interface IntrospectedColumn {
  readonly name: string;
  /** The database's own type name ("character varying(255)", "int", "TEXT"). */
  readonly type: string;
  readonly nullable: boolean;
  readonly default?: string;
}

export type CheckResult =
  | { readonly ok: true; readonly server: string; readonly latencyMs: number }
  | { readonly ok: false; readonly error: string };

/** What a connector can do; the plan turns a missing capability into a task for a person. */
export interface Capabilities {
  readonly read: boolean;
  readonly delete: boolean;
  readonly mask: boolean;
  readonly update: boolean;
  readonly restrict: boolean;
  readonly introspect: boolean;
  /** Retention sweeps of whole collections by their clock column (`sweep`). */
  readonly sweep: boolean;
}

export interface Connector {
  readonly system: string;
  readonly kind: string;
  readonly capabilities: Capabilities;
  /** The reviewed dataset this connector works from. */
  readonly dataset: Dataset;
  /** Connects and runs a trivial query; never throws. */
  check(): Promise<CheckResult>;
  /** The live structure (tables, keys, foreign keys, partitions, views, triggers). */
  introspect(): Promise<Introspection>;
  /**
   * A few values of a column, for discovery's classifier only: never stored, never logged.
   * Returns at most `limit` non-null values, as text.
   */
  sample(table: { name: string; schema?: string }, column: string, limit: number): Promise<string[]>;
  /** How many of the person's rows each collection holds (collections with none are left out). */
  count(seeds: Seeds): Promise<ReadonlyMap<string, number>>;
  /** The person's rows of one collection, a page at a time. */
  read(seeds: Seeds, collection: string, options?: ReadOptions): Promise<Page>;
  /**
   * Every page of the person's rows of one collection from `options.after` on (the first page
   * without it), read lazily, one page held at a time: what a loop of `read` gives, for a
   * connector that can walk many pages cheaper than it reads one (the SQL connectors find the
   * person's keys in the collections above once per walk, so each further page is one range of
   * the key). `pagesByRead` is that loop, for connectors with nothing to gain.
   */
  pages(seeds: Seeds, collection: string, options?: ReadOptions): AsyncIterable<Page>;
  /** Values of the person's rows for one field (for `sameAs` links and the read-back), at most `limit`. */
  values(seeds: Seeds, collection: string, field: string, limit: number): Promise<FieldValue[]>;
  /**
   * Changes the person's rows of one collection in batches, one short transaction each: delete,
   * mask, update (rectification) or restrict. Idempotent; a dry run changes nothing.
   */
  change(
    seeds: Seeds,
    collection: string,
    action: ChangeAction,
    options?: ChangeOptions,
  ): Promise<ChangeResult>;
  /**
   * Runs several changes of the person's rows in ONE transaction of the system, in the order
   * `work` makes them, committed when `work` resolves: what a request's steps in one system cost
   * when each of them fits in a batch (the raw SQL's one COMMIT instead of one per step). A change
   * in it is one batch at most: one that finds a full batch throws `TooLargeTogether` and
   * everything rolls back, so the caller runs the changes one by one instead. `beforeCommit` is
   * awaited after `work`, before the COMMIT (a job records the batches in flight there); if it
   * throws, nothing is committed. A change in it cannot resume (`resume` is refused). Optional:
   * a connector without it has its changes run one by one.
   */
  together?<T>(
    work: (changes: Pick<Connector, 'change'>) => Promise<T>,
    options?: { readonly beforeCommit?: () => Promise<void> },
  ): Promise<T>;
  /**
   * Deletes or anonymises the expired rows of one collection, set-based, in batches ordered by
   * the collection's retention clock and key; never a held row. Idempotent: a second run finds
   * nothing left to delete (or already anonymised rows skipped when every mask writes one value).
   */
  sweep(collection: string, options: SweepOptions): Promise<SweepResult>;
  /** Closes pools and clients. */
  close(): Promise<void>;
}

/** `Connector.pages` as a loop of `read`: one `read` per page, each page's `next` passed as `after`. */
export async function* pagesByRead(
  connector: Pick<Connector, 'read'>,
  seeds: Seeds,
  collection: string,
  options: ReadOptions = {},
): AsyncGenerator<Page> {
  let after = options.after;
  for (;;) {
    const page = await connector.read(seeds, collection, {
      ...options,
      ...(after === undefined ? {} : { after }),
    });
    yield page;
    if (page.next === undefined) return;
    after = page.next;
  }
}

/** An error from a system, safe to show to operators and store with a task: no secrets in it. */
export class ConnectorError extends Error {
  constructor(
    readonly system: string,
    readonly code: 'unreachable' | 'refused' | 'schema_mismatch' | 'constraint' | 'timeout' | 'failed',
    message: string,
  ) {
    super(`${system}: ${message}`);
    this.name = 'ConnectorError';
  }
}

/**
 * A change inside `Connector.together` found more rows than one batch: the transaction rolled
 * back, and the changes are to be run one by one, each in its own batches.
 */
export class TooLargeTogether extends Error {
  constructor(
    readonly system: string,
    readonly collection: string,
  ) {
    super(
      `${system}: "${collection}" holds more of the person's rows than one batch; changed step by step instead`,
    );
    this.name = 'TooLargeTogether';
  }
}

/**
 * Removes connection secrets from a message: the URL as given, its password, and any
 * `user:password@` part of any URL. Connectors pass every driver error through this.
 */
export function redactSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('[secret]');
  return out.replace(/\/\/[^/@\s:]+:[^/@\s]*@/g, '//[secret]@');
}

/** Settings of a connected system, from STEWARD_SYSTEM_<ID>_URL or the secrets file. */
export interface SystemSettings {
  readonly system: string;
  /** postgres://…, mysql://…, mariadb://…, sqlite:PATH */
  readonly url: string;
}

/** Builds a connector for one system; registered per kind in `registry.ts`. */
export type ConnectorFactory = (settings: SystemSettings, dataset: Dataset, keys: MaskKeys) => Connector;

/** Keys the masking strategies use (derived from Steward's root secret per system). */
export interface MaskKeys {
  /** HMAC key of the `hash` strategy. */
  readonly hash: Buffer;
}

/** A system the declarations name, as the app context knows it. */
export interface SystemEntry {
  readonly id: string;
  readonly kind: string;
  /** The declaration that declares it. */
  readonly declarationId: string;
  /** Its name, in the declaration's first language. */
  readonly name: string;
  /** Connection settings exist (their content is never shown). */
  readonly configured: boolean;
  /** Version number of the reviewed dataset in force, if any. */
  readonly datasetVersion?: number;
  /** Who reviewed that dataset, and when. */
  readonly reviewed?: { readonly by: string; readonly on: string };
  /** Version number of the latest dataset when it is a proposal nobody reviewed (no connector then). */
  readonly datasetProposal?: number;
}

/** The connected systems of the app context (`ctx.systems`): connectors created once, closed with it. */
export interface SystemRegistry {
  list(): readonly SystemEntry[];
  /** The connector of a system; throws a `ConnectorError` when it has no settings or no reviewed dataset. */
  connector(system: string): Promise<Connector>;
  /** Reloads the declared systems and datasets in force from the store; cheap when nothing changed. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}
