/**
 * The retention sweep's cases of the connector contract, run by every SQL connector's
 * `index.test.ts` on its real server beside `runContractSuite`, on a database of its own per case
 * (the same `ContractTarget`): a small log of website events with a clock column (partitioned by
 * month on PostgreSQL) and accounts, orders, payments and order lines whose clocks and foreign
 * keys decide what may go.
 *
 * ```ts
 * runSweepSuite({ name: 'sqlite', create: createTarget });
 * ```
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  Connector,
  FieldValue,
  HeldRows,
  MaskKeys,
  Seeds,
  SweepCursor,
  SweepInFlight,
  SweepOptions,
  SweepProgress,
  SweepResult,
} from './contract.js';
import { ConnectorError } from './contract.js';
import type { ContractTarget, FixtureDialect } from './contract-suite.js';
import type { Dataset, DatasetInput } from './dataset.js';
import { datasetSchema } from './dataset.js';

export interface SweepSuiteOptions {
  readonly name: string;
  create(): Promise<ContractTarget>;
  readonly skip?: string | false;
}

const KEYS: MaskKeys = { hash: Buffer.alloc(32, 0x3c) };

/** Every case's threshold: rows whose clock is before it have expired. */
const BEFORE = new Date('2024-06-01T00:00:00.000Z');
const alice: Seeds = { identities: [{ kind: 'email', value: 'alice@example.com' }] };
const bob: Seeds = { identities: [{ kind: 'email', value: 'bob@example.com' }] };

interface EventRow {
  readonly id: number;
  /** ISO 8601 UTC instant. */
  readonly at: string;
  readonly email: string | null;
}

/**
 * 40 events, one every 4 days from 2024-03-01 (so 23 before the threshold), Alice's, Bob's and
 * Carol's in turn; two more exactly at the threshold and 1 ms before it.
 */
const EVENTS: readonly EventRow[] = [
  ...Array.from({ length: 40 }, (_, i) => ({
    id: i + 1,
    at: new Date(Date.parse('2024-03-01T06:00:00Z') + i * 4 * 86_400_000).toISOString(),
    email: ['alice@example.com', 'bob@example.com', 'carol@example.com', null][i % 4] ?? null,
  })),
  { id: 100, at: BEFORE.toISOString(), email: 'carol@example.com' },
  { id: 101, at: new Date(BEFORE.getTime() - 1).toISOString(), email: 'carol@example.com' },
];
const expired = (rows: readonly EventRow[]) => rows.filter((e) => Date.parse(e.at) < BEFORE.getTime());
const EXPIRED_IDS = expired(EVENTS)
  .map((e) => e.id)
  .sort((a, b) => a - b);

/**
 * SQLite keeps times as text in whatever ISO 8601 form the application wrote: these rows write
 * the same kind of instants with a space, an offset or no fraction, near the threshold, where a
 * comparison as text alone would be wrong.
 */
const SQLITE_FORMS: readonly { readonly id: number; readonly text: string; readonly expired: boolean }[] = [
  { id: 200, text: '2024-05-31 23:59:59', expired: true },
  { id: 201, text: '2024-06-01 00:00:00', expired: false },
  { id: 202, text: '2024-06-01T01:30:00+02:00', expired: true },
  { id: 203, text: '2024-05-31T22:30:00-02:00', expired: false },
  { id: 204, text: '2024-05-31T23:59:59Z', expired: true },
  { id: 205, text: '2024-06-01T00:00:00Z', expired: false },
];

function ddl(dialect: FixtureDialect, partitioned: boolean): string[] {
  const time = { postgres: 'TIMESTAMPTZ', mysql: 'DATETIME(6)', sqlite: 'TEXT' }[dialect];
  const wall = { postgres: 'TIMESTAMP', mysql: 'DATETIME(6)', sqlite: 'TEXT' }[dialect];
  const date = dialect === 'sqlite' ? 'TEXT' : 'DATE';
  const suffix = dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
  const table = (name: string, body: string, extra = '') => `CREATE TABLE ${name} (${body})${extra}${suffix}`;
  const pgPartitions = partitioned && dialect === 'postgres';
  return [
    table(
      'events',
      `id INTEGER NOT NULL, at ${time} NOT NULL, email VARCHAR(320), visitor VARCHAR(64) NOT NULL, ` +
        `ip VARCHAR(45), page VARCHAR(200) NOT NULL, PRIMARY KEY (id, at)`,
      pgPartitions ? ' PARTITION BY RANGE (at)' : '',
    ),
    ...(pgPartitions
      ? [
          `CREATE TABLE events_2024_h1 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-06-01')`,
          `CREATE TABLE events_other PARTITION OF events DEFAULT`,
        ]
      : []),
    `CREATE INDEX events_at ON events (at, id)`,
    table(
      'accounts',
      `id INTEGER PRIMARY KEY, email VARCHAR(320) NOT NULL, name VARCHAR(200) NOT NULL, closed_at ${wall} NULL`,
    ),
    `CREATE INDEX accounts_closed ON accounts (closed_at, id)`,
    table(
      'orders',
      `id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, placed_on ${date} NOT NULL, ` +
        `FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE RESTRICT`,
    ),
    `CREATE INDEX orders_placed ON orders (placed_on, id)`,
    table(
      'payments',
      `id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, reference VARCHAR(40) NOT NULL, ` +
        `FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT`,
    ),
    table(
      'order_lines',
      `id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, product VARCHAR(40) NOT NULL, ` +
        `FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE`,
    ),
    `CREATE INDEX payments_order ON payments (order_id)`,
    `CREATE INDEX order_lines_order ON order_lines (order_id)`,
  ];
}

function rows(dialect: FixtureDialect): string[] {
  const lit = (iso: string) => {
    const text = dialect === 'mysql' ? iso.replace('T', ' ').replace('Z', '') : iso;
    return dialect === 'postgres' ? `TIMESTAMPTZ '${text}'` : `'${text}'`;
  };
  const day = (iso: string) => (dialect === 'sqlite' ? `'${iso}'` : `DATE '${iso}'`);
  const quoted = (v: string | null) => (v === null ? 'NULL' : `'${v}'`);
  const events = EVENTS.map(
    (e) => `(${e.id}, ${lit(e.at)}, ${quoted(e.email)}, 'v-${e.id}', '192.0.2.${e.id % 250}', '/p/${e.id}')`,
  );
  const forms =
    dialect === 'sqlite'
      ? SQLITE_FORMS.map((f) => `(${f.id}, '${f.text}', 'dave@example.com', 'v-${f.id}', NULL, '/p/${f.id}')`)
      : [];
  // Accounts: 1 and 2 closed before the threshold, 3 after, 4 still open; 1 still has an order
  // that has not expired, so it cannot go yet.
  const wall = (iso: string) => (dialect === 'postgres' ? `TIMESTAMP '${iso}'` : `'${iso}'`);
  return [
    `INSERT INTO events (id, at, email, visitor, ip, page) VALUES ${[...events, ...forms].join(', ')}`,
    `INSERT INTO accounts (id, email, name, closed_at) VALUES
       (1, 'alice@example.com', 'Alice', ${wall('2024-01-10 00:00:00')}),
       (2, 'bob@example.com', 'Bob', ${wall('2024-02-10 00:00:00')}),
       (3, 'carol@example.com', 'Carol', ${wall('2024-07-01 00:00:00')}),
       (4, 'dave@example.com', 'Dave', NULL)`,
    `INSERT INTO orders (id, account_id, placed_on) VALUES
       (10, 1, ${day('2024-01-05')}), (11, 1, ${day('2024-06-01')}), (20, 2, ${day('2024-05-31')}),
       (30, 3, ${day('2024-02-01')})`,
    `INSERT INTO payments (id, order_id, reference) VALUES (100, 10, 'psp-10'), (110, 11, 'psp-11'),
       (200, 20, 'psp-20'), (300, 30, 'psp-30')`,
    `INSERT INTO order_lines (id, order_id, product) VALUES (1000, 10, 'Tea'), (1001, 10, 'Cup'),
       (1100, 11, 'Pot'), (2000, 20, 'Tea'), (3000, 30, 'Cup')`,
  ];
}

type CollectionInput = DatasetInput['collections'][number];

/** The fixture's dataset; `visitor` masked as given (random by default). */
export function sweepDataset(
  schema?: string,
  masks: { readonly visitor?: string; readonly email?: string } = {},
): Dataset {
  const id = { name: 'id', type: 'integer', nullable: false };
  const collections: CollectionInput[] = [
    {
      name: 'events',
      primaryKey: ['id', 'at'],
      erasure: { action: 'delete' },
      retention: { rule: 'statistics', clock: 'at' },
      fields: [
        id,
        { name: 'at', type: 'timestamp with time zone', nullable: false },
        {
          name: 'email',
          type: 'varchar(320)',
          nullable: true,
          category: 'user.contact.email',
          identity: 'email',
          mask: (masks.email ?? 'null') as 'null',
        },
        {
          name: 'visitor',
          type: 'varchar(64)',
          nullable: false,
          category: 'user.device.cookie_id',
          mask: (masks.visitor ?? 'random') as 'random',
        },
        {
          name: 'ip',
          type: 'varchar(45)',
          nullable: true,
          category: 'user.device.ip_address',
          mask: { strategy: 'fixed', value: '0.0.0.0' },
        },
        {
          name: 'page',
          type: 'varchar(200)',
          nullable: false,
          category: 'user.behavior.browsing_history',
          mask: 'keep',
        },
      ],
    },
    {
      name: 'accounts',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      retention: { rule: 'accounts', clock: 'closed_at' },
      fields: [
        { ...id, category: 'user.unique_id' },
        {
          name: 'email',
          type: 'varchar(320)',
          nullable: false,
          category: 'user.contact.email',
          identity: 'email',
        },
        { name: 'name', type: 'varchar(200)', nullable: false, category: 'user.name' },
        { name: 'closed_at', type: 'timestamp', nullable: true },
      ],
    },
    {
      name: 'orders',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      retention: { rule: 'accounts', clock: 'placed_on' },
      fields: [
        id,
        {
          name: 'account_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'accounts', field: 'id', onDelete: 'restrict' },
        },
        { name: 'placed_on', type: 'date', nullable: false, category: 'user.financial.purchase_history' },
      ],
    },
    {
      name: 'payments',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      retention: { rule: 'accounts', clock: 'placed_on', through: 'order_id' },
      fields: [
        id,
        {
          name: 'order_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'orders', field: 'id', onDelete: 'restrict' },
        },
        { name: 'reference', type: 'varchar(40)', nullable: false, category: 'user.financial.payment' },
      ],
    },
    {
      name: 'order_lines',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      retention: { with: 'order_id' },
      fields: [
        id,
        {
          name: 'order_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'orders', field: 'id', onDelete: 'cascade' },
        },
        {
          name: 'product',
          type: 'varchar(40)',
          nullable: false,
          category: 'user.financial.purchase_history',
        },
      ],
    },
  ];
  return datasetSchema.parse({
    steward: 1,
    kind: 'dataset',
    system: 'shop',
    collections: collections.map((c) => (schema === undefined ? c : { ...c, schema })),
  });
}

class SweepFixture {
  private readonly opened: Connector[] = [];

  constructor(readonly target: ContractTarget) {}

  connect(dataset: Dataset = sweepDataset(this.target.schema)): Connector {
    const connector = this.target.factory(this.target.settings, dataset, KEYS);
    this.opened.push(connector);
    return connector;
  }

  /** The ids of a table's rows, sorted. */
  async ids(table: string): Promise<number[]> {
    return (await this.target.query(`SELECT id FROM ${table}`))
      .map((r) => Number(r.id))
      .sort((a, b) => a - b);
  }

  /** Every row of every table, as text, to compare before and after. */
  async snapshot(): Promise<string> {
    const out: Record<string, unknown[]> = {};
    for (const table of ['events', 'accounts', 'orders', 'payments', 'order_lines'])
      out[table] = (await this.target.query(`SELECT * FROM ${table}`))
        .map((r) =>
          JSON.stringify(Object.values(r).map((v) => (v instanceof Date ? v.toISOString() : String(v)))),
        )
        .sort();
    return JSON.stringify(out);
  }

  async close(): Promise<void> {
    for (const c of this.opened) await c.close();
  }
}

/** The ids of the events fixture expected to be gone after a full delete sweep. */
function expiredEventIds(dialect: FixtureDialect): number[] {
  const forms = dialect === 'sqlite' ? SQLITE_FORMS.filter((f) => f.expired).map((f) => f.id) : [];
  return [...EXPIRED_IDS, ...forms].sort((a, b) => a - b);
}

function allEventIds(dialect: FixtureDialect): number[] {
  const forms = dialect === 'sqlite' ? SQLITE_FORMS.map((f) => f.id) : [];
  return [...EVENTS.map((e) => e.id), ...forms].sort((a, b) => a - b);
}

const without = (all: readonly number[], gone: readonly number[]) => all.filter((id) => !gone.includes(id));

const sweep = (c: Connector, collection: string, options: Partial<SweepOptions> = {}) =>
  c.sweep(collection, { before: BEFORE, action: 'delete', ...options });

interface Case {
  readonly name: string;
  run(fx: SweepFixture): Promise<void>;
}

const cases: readonly Case[] = [
  {
    name: 'C10.1 a sweep deletes exactly the rows whose clock is before the threshold, in batches, and reports them',
    async run(fx) {
      const c = fx.connect();
      const d = fx.target.dialect;
      const progress: number[] = [];
      const result = await sweep(c, 'events', { batchSize: 4, onBatch: (p) => void progress.push(p.swept) });
      const gone = expiredEventIds(d);
      assert.deepEqual(await fx.ids('events'), without(allEventIds(d), gone));
      assert.equal(result.swept, gone.length);
      assert.equal(result.batches, Math.ceil(gone.length / 4));
      assert.deepEqual(
        progress,
        Array.from({ length: result.batches }, (_, i) => Math.min(gone.length, (i + 1) * 4)),
      );
      assert.equal(result.held, 0);
      assert.ok(result.slowestBatchMs > 0);
      assert.equal(
        Number(result.cursor?.key[0]),
        d === 'sqlite' ? 202 : 101,
        'the cursor is the last row in clock order',
      );
      // Nothing else changed, and a second run finds nothing.
      assert.deepEqual(await fx.ids('accounts'), [1, 2, 3, 4]);
      assert.equal((await sweep(c, 'events')).swept, 0);
    },
  },
  {
    name: 'C10.1 held persons and held keys keep their rows, including a hold placed between two batches',
    async run(fx) {
      const c = fx.connect();
      const d = fx.target.dialect;
      const aliceExpired = expired(EVENTS).filter((e) => e.email === 'alice@example.com');
      const bobExpired = expired(EVENTS).filter((e) => e.email === 'bob@example.com');
      const heldKey = expired(EVENTS).find((e) => e.email === null)!;
      // Bob's hold arrives after the first batch; his first expired event is in that batch.
      let asked = 0;
      const key: FieldValue[] = [heldKey.id, d === 'mysql' ? heldKey.at.replace('Z', '') : heldKey.at];
      const held = (): HeldRows => {
        asked += 1;
        return { persons: asked === 1 ? [alice] : [alice, bob], keys: [key] };
      };
      const result = await sweep(c, 'events', { batchSize: 2, held });
      const remaining = await fx.ids('events');
      for (const e of aliceExpired) assert.ok(remaining.includes(e.id), `Alice's event ${e.id} is held`);
      assert.ok(remaining.includes(heldKey.id), 'the held key stays');
      const firstBatch = expired(EVENTS)
        .filter((e) => e.email !== 'alice@example.com' && e.id !== heldKey.id)
        .slice(0, 2)
        .map((e) => e.id);
      for (const e of bobExpired)
        assert.equal(remaining.includes(e.id), !firstBatch.includes(e.id), `Bob's event ${e.id}`);
      assert.ok(asked > 2, 'holds are asked for before every batch');
      const heldRows = aliceExpired.length + 1 + bobExpired.filter((e) => !firstBatch.includes(e.id)).length;
      assert.equal(result.held, heldRows);
      assert.equal(result.swept, expiredEventIds(d).length - heldRows);
    },
  },
  {
    name: 'C10.1 a dry run counts what would go and the oldest clock, and changes nothing',
    async run(fx) {
      const c = fx.connect();
      const before = await fx.snapshot();
      const plan = await sweep(c, 'events', { dryRun: true, held: () => ({ persons: [alice] }) });
      const aliceExpired = expired(EVENTS).filter((e) => e.email === 'alice@example.com').length;
      assert.equal(plan.swept, expiredEventIds(fx.target.dialect).length - aliceExpired);
      assert.equal(plan.held, aliceExpired);
      assert.equal(plan.batches, 0);
      // The oldest event that would go is Bob's first (Alice's, older, is held).
      assert.match(String(plan.oldest), /^2024-03-05[T ]06:00:00/);
      const anonymise = await sweep(c, 'events', { dryRun: true, action: 'anonymise' });
      assert.equal(anonymise.swept, expiredEventIds(fx.target.dialect).length);
      const accounts = await sweep(c, 'accounts', { dryRun: true });
      assert.deepEqual(
        [accounts.swept, accounts.blocked],
        [0, 2],
        'orders still refer to both closed accounts',
      );
      assert.equal(await fx.snapshot(), before);
    },
  },
  {
    name: 'C10.1 a sweep killed after a batch commits, or before, resumes from its cursor with exact counts',
    async run(fx) {
      const c = fx.connect();
      const d = fx.target.dialect;
      let recorded: { cursor?: SweepCursor; swept: number; inFlight?: SweepInFlight } = { swept: 0 };
      const record = (p: SweepProgress) => {
        recorded = { swept: p.swept, ...(p.cursor === undefined ? {} : { cursor: p.cursor }) };
      };
      const kill = new Error('killed');
      // Killed after the second batch committed, before the job recorded it.
      await assert.rejects(
        sweep(c, 'events', {
          batchSize: 3,
          beforeCommit: (batch) => {
            recorded = { ...recorded, inFlight: batch };
          },
          onBatch: (p) => {
            if (p.batches === 2) throw kill;
            record(p);
          },
        }),
        (e) => e === kill,
      );
      assert.equal(recorded.swept, 3);
      assert.equal((await fx.ids('events')).length, allEventIds(d).length - 6, 'two batches committed');
      // Resumed and killed again, this time inside a batch, before its COMMIT.
      await assert.rejects(
        sweep(c, 'events', {
          batchSize: 3,
          resume: recorded,
          beforeCommit: (batch) => {
            recorded = { ...recorded, inFlight: batch };
            throw kill;
          },
          onBatch: record,
        }),
      );
      assert.equal(recorded.swept, 6, 'the settled batch was recorded');
      assert.equal((await fx.ids('events')).length, allEventIds(d).length - 6, 'the third batch rolled back');
      const result = await sweep(c, 'events', { batchSize: 3, resume: recorded });
      assert.equal(result.swept, expiredEventIds(d).length, 'every expired row counted once');
      assert.deepEqual(await fx.ids('events'), without(allEventIds(d), expiredEventIds(d)));
    },
  },
  {
    name: 'C10.1 a batch still committing when another worker settles it is counted once: the settling read waits for its COMMIT',
    async run(fx) {
      const d = fx.target.dialect;
      // SQLite has one writer, and a second connection in this process would wait for the first
      // synchronously, stopping the process; across processes its BEGIN IMMEDIATE waits as well.
      if (d === 'sqlite') return;
      const stop = new Error('the first worker lost its lease');
      let second: Promise<SweepResult> | undefined;
      await assert.rejects(
        sweep(fx.connect(), 'events', {
          batchSize: 3,
          beforeCommit: async (batch) => {
            if (second !== undefined) return;
            // Another worker takes the run up now, with this batch in flight and not yet committed.
            second = sweep(fx.connect(), 'events', { batchSize: 3, resume: { swept: 0, inFlight: batch } });
            await new Promise((resolve) => setTimeout(resolve, 300));
          },
          onBatch: () => {
            throw stop;
          },
        }),
        (e) => e === stop,
      );
      assert.ok(second !== undefined);
      const result = await second;
      assert.equal(result.swept, expiredEventIds(d).length, 'the first worker’s batch counted by the second');
      assert.deepEqual(await fx.ids('events'), without(allEventIds(d), expiredEventIds(d)));
    },
  },
  {
    name: 'C10.1 rows another worker holds while it rolls back are waited for and swept, not left for the next run',
    async run(fx) {
      const d = fx.target.dialect;
      if (d === 'sqlite') return; // one writer: see the case above
      const superseded = new Error('another worker carries the run on');
      let second: Promise<SweepResult> | undefined;
      await assert.rejects(
        sweep(fx.connect(), 'events', {
          batchSize: 3,
          beforeCommit: async () => {
            // The first batch's rows stay locked while another worker starts from the top.
            second = sweep(fx.connect(), 'events', { batchSize: 3 });
            await new Promise((resolve) => setTimeout(resolve, 200));
            throw superseded;
          },
        }),
        (e: unknown) => e instanceof Error && e.message.endsWith(superseded.message),
      );
      const result = await second!;
      assert.equal(result.swept, expiredEventIds(d).length, 'every expired row, the locked ones too');
      assert.equal(result.busy, undefined);
      assert.deepEqual(await fx.ids('events'), without(allEventIds(d), expiredEventIds(d)));
    },
  },
  {
    name: 'C10.1 rows locked past the wait are reported busy, and the next sweep takes them',
    async run(fx) {
      const d = fx.target.dialect;
      // PostgreSQL's range batches wait for a locked row instead of passing over it.
      if (d !== 'mysql') return;
      const release = new Error('the application’s transaction ends');
      let second: SweepResult | undefined;
      await assert.rejects(
        sweep(fx.connect(), 'events', {
          batchSize: 3,
          beforeCommit: async () => {
            if (second === undefined)
              second = await sweep(fx.connect(), 'events', { batchSize: 3, lockWaitMs: 100 });
            throw release;
          },
        }),
        (e: unknown) => e instanceof Error && e.message.endsWith(release.message),
      );
      const all = expiredEventIds(d).length;
      assert.deepEqual([second!.swept, second!.busy], [all - 3, 3], 'the three locked rows are busy');
      const next = await sweep(fx.connect(), 'events', { batchSize: 3 });
      assert.deepEqual([next.swept, next.busy], [3, undefined]);
      assert.deepEqual(await fx.ids('events'), without(allEventIds(d), expiredEventIds(d)));
    },
  },
  {
    name: 'C10.1 a batch locks only its own rows and only while it runs: the table stays writable',
    async run(fx) {
      const c = fx.connect();
      const d = fx.target.dialect;
      // The expired row with the latest clock: in the last batch, never in the first.
      const later = EVENTS.find((e) => e.id === 101)!;
      const nowait = d === 'sqlite' ? '' : ' FOR UPDATE NOWAIT';
      const checks: string[] = [];
      let inserted = 1000;
      const write = async (where: string) => {
        inserted += 1;
        const at = d === 'mysql' ? '2030-01-01 00:00:00' : '2030-01-01T00:00:00Z';
        await fx.target.exec(
          `INSERT INTO events (id, at, email, visitor, ip, page) VALUES (${inserted}, '${at}', NULL, 'v', NULL, '/')`,
        );
        checks.push(where);
      };
      let batch = 0;
      await sweep(c, 'events', {
        batchSize: 3,
        beforeCommit: async () => {
          batch += 1;
          // SQLite has one writer at a time: while a batch runs nobody else writes.
          if (d === 'sqlite' || batch !== 1) return;
          await fx.target.query(`SELECT id FROM events WHERE id = ${later.id}${nowait}`);
          await write('inside a batch');
        },
        onBatch: async (p) => {
          if (p.batches !== 1) return;
          if (d !== 'sqlite') await fx.target.query(`SELECT id FROM events WHERE id = ${later.id}${nowait}`);
          await write('between batches');
        },
      });
      assert.ok(checks.includes('between batches'));
      if (d !== 'sqlite') assert.ok(checks.includes('inside a batch'));
      assert.ok(!(await fx.ids('events')).includes(later.id), 'the row checked later went too');
    },
  },
  {
    name: 'C10.1 without a fixed size, batches are sized by time: they grow while quick and shrink while slow, within bounds, and every expired row goes once',
    async run(fx) {
      const d = fx.target.dialect;
      const many = 12_000;
      const fill = async () => {
        await fx.target.exec('DELETE FROM events');
        const at = d === 'mysql' ? "'2024-02-01 00:00:00'" : "'2024-02-01T00:00:00Z'";
        for (let from = 0; from < many; from += 1_000) {
          const values = Array.from(
            { length: 1_000 },
            (_, i) => `(${10_000 + from + i}, ${at}, NULL, 'v', NULL, '/')`,
          );
          await fx.target.exec(
            `INSERT INTO events (id, at, email, visitor, ip, page) VALUES ${values.join(', ')}`,
          );
        }
      };
      const sizesOf = async (options: Partial<SweepOptions>) => {
        const sizes: number[] = [];
        let before = 0;
        const result = await sweep(fx.connect(), 'events', {
          ...options,
          onBatch: (p) => {
            sizes.push(p.swept - before);
            before = p.swept;
          },
        });
        assert.equal(result.swept, many);
        assert.deepEqual(await fx.ids('events'), []);
        return sizes;
      };
      await fill();
      // Quick batches (well within a minute each) double, up to what is left.
      assert.deepEqual(await sizesOf({ batchMs: 60_000 }), [5_000, 7_000]);
      await fill();
      // Slow ones (each held 20 ms against a 1 ms aim) halve, down to 1,000 rows.
      assert.deepEqual(
        await sizesOf({ batchMs: 1, beforeCommit: () => new Promise((r) => setTimeout(r, 20)) }),
        [5_000, 2_500, 1_250, 1_000, 1_000, 1_000, 250],
      );
      await fill();
      // A fixed size stays fixed.
      assert.deepEqual(await sizesOf({ batchSize: 4_000, batchMs: 60_000 }), [4_000, 4_000, 4_000]);
    },
  },
  {
    name: 'C10.1 anonymised rows keep no identifying value, keep the rest, and a second run changes nothing',
    async run(fx) {
      const d = fx.target.dialect;
      for (const visitor of ['random', 'fixed']) {
        await fx.target.exec('DELETE FROM events');
        for (const statement of rows(d).slice(0, 1)) await fx.target.exec(statement);
        const c = fx.connect(sweepDataset(fx.target.schema, { visitor }));
        const gone = expiredEventIds(d);
        const result = await sweep(c, 'events', { action: 'anonymise', batchSize: 5 });
        assert.equal(result.swept, gone.length, visitor);
        const after = await fx.target.query('SELECT id, email, visitor, ip, page FROM events');
        assert.equal(after.length, allEventIds(d).length, 'anonymised rows stay');
        for (const r of after) {
          const id = Number(r.id);
          if (gone.includes(id)) {
            assert.equal(r.email, null);
            assert.notEqual(r.visitor, `v-${id}`);
            assert.equal(r.ip, '0.0.0.0');
            assert.equal(r.page, `/p/${id}`, 'the page viewed stays for statistics');
            const values = Object.values(r).map(String);
            assert.ok(!values.some((v) => v.includes('@') || v.startsWith('v-') || v.startsWith('192.0.2')));
          } else assert.equal(r.visitor, `v-${id}`);
        }
        if (visitor === 'fixed') {
          const again = await sweep(c, 'events', { action: 'anonymise' });
          assert.equal(again.swept, 0, 'rows already holding the fixed values are left');
        }
      }
      // Masks that keep a stable identifier are refused, and change nothing.
      const before = await fx.snapshot();
      for (const masks of [{ visitor: 'hash' }, { email: 'format' }, { visitor: 'keep' }])
        await assert.rejects(
          sweep(fx.connect(sweepDataset(fx.target.schema, masks)), 'events', { action: 'anonymise' }),
          (e: unknown) =>
            e instanceof ConnectorError && e.code === 'refused' && /identifying/.test(e.message),
        );
      assert.equal(await fx.snapshot(), before);
    },
  },
  {
    name: 'C10.1 rows that rows staying must refer to are left and counted; a clock through a reference and a cascade finish the job',
    async run(fx) {
      const c = fx.connect();
      // Payments go by their order's date; then orders; lines go with their orders.
      assert.equal((await sweep(c, 'payments')).swept, 3);
      assert.deepEqual(await fx.ids('payments'), [110]);
      const orders = await sweep(c, 'orders');
      assert.deepEqual([orders.swept, orders.blocked], [3, 0]);
      assert.deepEqual(await fx.ids('orders'), [11]);
      assert.deepEqual(await fx.ids('order_lines'), [1100]);
      const accounts = await sweep(c, 'accounts');
      assert.deepEqual([accounts.swept, accounts.blocked], [1, 1], 'Alice still has an order');
      assert.deepEqual(await fx.ids('accounts'), [1, 3, 4]);
      await assert.rejects(
        sweep(c, 'order_lines'),
        (e: unknown) =>
          e instanceof ConnectorError && e.code === 'refused' && /ON DELETE CASCADE/.test(e.message),
      );
      await assert.rejects(
        sweep(c, 'events', { before: new Date('not a time') }),
        (e: unknown) => e instanceof ConnectorError && e.code === 'refused',
      );
    },
  },
];

/** Registers the sweep cases with node's test runner. */
export function runSweepSuite(options: SweepSuiteOptions): void {
  describe(`contract sweep: ${options.name}`, { skip: options.skip ?? false }, () => {
    for (const c of cases)
      test(c.name, async () => {
        const target = await options.create();
        const fx = new SweepFixture(target);
        try {
          for (const statement of [
            ...ddl(target.dialect, target.partitioned === true),
            ...rows(target.dialect),
          ])
            await target.exec(statement);
          await c.run(fx);
        } finally {
          await fx.close();
          await target.drop();
        }
      });
  });
}
