/**
 * One suite of cases every SQL connector must pass on a real database. Each connector's
 * `index.test.ts` calls `runContractSuite` with its factory and a way to make a fresh, empty
 * database per case; the suite creates the same small shop there (customers, addresses, cities,
 * orders and their lines, payments with a composite key, support tickets that reply to each
 * other, invoices kept for bookkeeping), with small per-dialect DDL differences, and a dataset
 * describing it.
 *
 * ```ts
 * runContractSuite({
 *   name: 'sqlite',
 *   create: async () => ({ dialect: 'sqlite', factory, settings, unreachable, secrets: [], exec, query, drop }),
 * });
 * ```
 *
 * A case a connector cannot support is skipped by id with its reason (`skipCases`).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type {
  ChangeAction,
  ChangeResume,
  Connector,
  ConnectorFactory,
  FieldValue,
  MaskKeys,
  Page,
  Row,
  Seeds,
  SystemSettings,
} from './contract.js';
import { ConnectorError, TooLargeTogether } from './contract.js';
import { datasetSchema } from './dataset.js';
import { maskValue } from './masking.js';
import type { Dataset, DatasetInput } from './dataset.js';

export type FixtureDialect = 'postgres' | 'mysql' | 'sqlite';

/** A fresh, empty database for one case, and how to reach it. */
export interface ContractTarget {
  /** The dialect the fixture's DDL is written in. */
  readonly dialect: FixtureDialect;
  /** The connector kind's factory (as registered in `registry.ts`). */
  readonly factory: ConnectorFactory;
  /** Settings reaching the fixture database. */
  readonly settings: SystemSettings;
  /** Settings that cannot work: a wrong password, database or path. */
  readonly unreachable: SystemSettings;
  /** Secrets besides the two URLs that no error may show (passwords). */
  readonly secrets: readonly string[];
  /** The PostgreSQL schema or MySQL database holding the fixture, written into the dataset. */
  readonly schema?: string;
  /** PostgreSQL: `payments` is partitioned by month (`PAYMENT_PARTITIONS`), read through its parent. */
  readonly partitioned?: boolean;
  /** Runs one fixture statement (DDL or INSERT) in the fixture's schema or database. */
  exec(sql: string): Promise<void>;
  /** Runs one query there and returns its rows (the suite's own checks). */
  query(sql: string): Promise<Row[]>;
  /** Drops the fixture database and closes what the target opened. */
  drop(): Promise<void>;
}

export const contractCases = [
  'finds',
  'references',
  'email-case',
  'pages',
  'walk',
  'memory',
  'erasure',
  'together',
  'idempotent',
  'dry-run',
  'keep-ends',
  'resume',
  'rectification',
  'restriction',
  'hostile',
  'secrets',
  'introspection',
  'sample',
] as const;
export type ContractCase = (typeof contractCases)[number];

export interface ContractSuiteOptions {
  /** Names the suite in the report ("contract: postgres"). */
  readonly name: string;
  /** Makes a fresh, empty database for one case (called once per case). */
  create(): Promise<ContractTarget>;
  /** Skips the whole suite, with the reason (a server that is not reachable). */
  readonly skip?: string | false;
  /** Cases this connector cannot support, with the reason. */
  readonly skipCases?: Partial<Record<ContractCase, string>>;
}

/** Registers the suite's cases with node's test runner. */
export function runContractSuite(options: ContractSuiteOptions): void {
  describe(`contract: ${options.name}`, { skip: options.skip ?? false }, () => {
    for (const c of cases) {
      const reason = options.skipCases?.[c.id];
      test(c.name, { skip: reason ?? false }, async (t) => {
        const target = await options.create();
        const fx = new Fixture(target);
        try {
          for (const statement of fixtureStatements(target.dialect, {
            partitioned: target.partitioned === true,
          }))
            await target.exec(statement);
          await c.run(fx, t);
        } finally {
          await fx.close();
          await target.drop();
        }
      });
    }
  });
}

const KEYS: MaskKeys = { hash: Buffer.alloc(32, 0x5a) };

// ---------------------------------------------------------------------------------------------
// The fixture: the same shop in each dialect.

/** The monthly partitions of `payments` when the target partitions it, the fixture's months first. */
export const PAYMENT_PARTITIONS = [
  'payments_2024_01',
  'payments_2024_02',
  'payments_2024_03',
  'payments_other',
];

/** The statements creating and filling the fixture, in order. */
export function fixtureStatements(
  dialect: FixtureDialect,
  options: { readonly partitioned?: boolean } = {},
): string[] {
  const d = dialectOf(dialect);
  const partitioned = options.partitioned === true && dialect === 'postgres';
  const month = (name: string, from: string, to: string) =>
    `CREATE TABLE ${name} PARTITION OF payments FOR VALUES FROM ('${from}') TO ('${to}')`;
  const table = (name: string, body: string) => `CREATE TABLE ${name} (${body})${d.tableSuffix}`;
  const fk = (column: string, target: string, rule: string) =>
    `FOREIGN KEY (${column}) REFERENCES ${target} ON DELETE ${rule}`;
  return [
    table('digits', `d ${d.int} PRIMARY KEY`),
    `INSERT INTO digits (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)`,
    table('cities', `id ${d.int} PRIMARY KEY, name VARCHAR(100) NOT NULL`),
    table(
      'addresses',
      `id ${d.int} PRIMARY KEY, line1 VARCHAR(200) NOT NULL, postcode VARCHAR(20), city_id ${d.int} NOT NULL, ` +
        fk('city_id', 'cities (id)', 'RESTRICT'),
    ),
    table(
      'customers',
      `id ${d.int} PRIMARY KEY, customer_no VARCHAR(40) NOT NULL UNIQUE, email VARCHAR(320) NOT NULL, ` +
        `phone VARCHAR(40), name VARCHAR(200) NOT NULL, address_id ${d.int}, ` +
        `processing_restricted BOOLEAN NOT NULL DEFAULT FALSE, ` +
        fk('address_id', 'addresses (id)', 'SET NULL'),
    ),
    table(
      'orders',
      `id ${d.int} PRIMARY KEY, customer_id ${d.int} NOT NULL, ship_to ${d.int}, total_cents ${d.int} NOT NULL, ` +
        `placed_on ${d.date} NOT NULL, ${fk('customer_id', 'customers (id)', 'CASCADE')}, ` +
        fk('ship_to', 'addresses (id)', 'SET NULL'),
    ),
    table(
      'order_lines',
      `id ${d.int} PRIMARY KEY, order_id ${d.int} NOT NULL, product VARCHAR(200) NOT NULL, ` +
        `quantity ${d.int} NOT NULL, note TEXT, ${fk('order_id', 'orders (id)', 'CASCADE')}`,
    ),
    table(
      'payments',
      `id ${d.int} NOT NULL, paid_on ${d.date} NOT NULL, order_id ${d.int} NOT NULL, amount_cents ${d.int} NOT NULL, ` +
        `card_last4 VARCHAR(4), PRIMARY KEY (id, paid_on), ${fk('order_id', 'orders (id)', 'CASCADE')}`,
    ) + (partitioned ? ' PARTITION BY RANGE (paid_on)' : ''),
    ...(partitioned
      ? [
          month('payments_2024_01', '2024-01-01', '2024-02-01'),
          month('payments_2024_02', '2024-02-01', '2024-03-01'),
          month('payments_2024_03', '2024-03-01', '2024-04-01'),
          'CREATE TABLE payments_other PARTITION OF payments DEFAULT',
        ]
      : []),
    table(
      'tickets',
      `id ${d.autoKey}, email VARCHAR(320), customer_id ${d.int}, reply_to ${d.int}, body TEXT NOT NULL, ` +
        `${fk('customer_id', 'customers (id)', 'SET NULL')}, ${fk('reply_to', 'tickets (id)', 'SET NULL')}`,
    ),
    table(
      'invoices',
      `id ${d.int} PRIMARY KEY, customer_id ${d.int} NOT NULL, number VARCHAR(40) NOT NULL UNIQUE, ` +
        `billing_name VARCHAR(200) NOT NULL, billing_email VARCHAR(320) NOT NULL, amount_cents ${d.int} NOT NULL, ` +
        fk('customer_id', 'customers (id)', 'RESTRICT'),
    ),
    `CREATE VIEW customer_emails AS SELECT id, email FROM customers`,
    ...d.trigger,
    `INSERT INTO cities (id, name) VALUES (1, 'Uppsala'), (2, 'Malmö')`,
    `INSERT INTO addresses (id, line1, postcode, city_id) VALUES
       (1, 'Alice Street 1', '111 11', 1), (2, 'Shared Road 2', '222 22', 1), (3, 'Carol Lane 3', NULL, 2)`,
    `INSERT INTO customers (id, customer_no, email, phone, name, address_id) VALUES
       (1, 'C-1001', 'Alice@Example.COM', '+46701234567', 'Alice Andersson', 1),
       (2, 'C-1002', 'bob@example.com', NULL, 'Bob Berg', 2),
       (3, 'C-1003', 'o''brien"x"@example.com', NULL, 'Carol O''Brien', 3),
       (4, 'C-1004', 'dave@example.com', NULL, 'Dave Dahl', NULL)`,
    `INSERT INTO orders (id, customer_id, ship_to, total_cents, placed_on) VALUES
       (10, 1, 2, 1500, ${d.day('2024-01-05')}), (11, 1, 1, 2500, ${d.day('2024-02-07')}),
       (20, 2, NULL, 990, ${d.day('2024-02-07')}), (30, 3, 3, 100, ${d.day('2024-03-01')}),
       (40, 4, NULL, 0, ${d.day('2024-03-02')})`,
    `INSERT INTO order_lines (id, order_id, product, quantity, note) VALUES
       (100, 10, 'Tea', 2, 'gift wrap'), (101, 10, 'Cup', 1, NULL), (102, 11, 'Pot', 1, 'leave at the door'),
       (200, 20, 'Tea', 5, NULL), (300, 30, 'Cup', 1, NULL)`,
    // The same payment ids recur on other days, as in a table partitioned by day.
    `INSERT INTO payments (id, paid_on, order_id, amount_cents, card_last4) VALUES
       (1000, ${d.day('2024-01-05')}, 10, 1500, '4242'), (1000, ${d.day('2024-02-07')}, 20, 990, '1111'),
       (1001, ${d.day('2024-02-07')}, 11, 2500, '4242'), (1001, ${d.day('2024-03-01')}, 30, 100, '2222')`,
    `INSERT INTO tickets (id, email, customer_id, reply_to, body) VALUES
       (500, 'alice@example.com', NULL, NULL, 'Where is my tea?'),
       (501, NULL, 1, NULL, 'Please change my address'),
       (510, 'bob@example.com', NULL, NULL, 'Refund, please')`,
    `INSERT INTO tickets (id, email, customer_id, reply_to, body) VALUES
       (502, 'support@shop.example', NULL, 500, 'It is on its way'),
       (511, 'support@shop.example', NULL, 510, 'Refunded')`,
    `INSERT INTO tickets (id, email, customer_id, reply_to, body) VALUES (503, NULL, NULL, 502, 'Thanks!')`,
    `INSERT INTO invoices (id, customer_id, number, billing_name, billing_email, amount_cents) VALUES
       (900, 1, 'INV-900', 'Alice Andersson', 'alice@example.com', 4000),
       (901, 2, 'INV-901', 'Bob Berg', 'bob@example.com', 990)`,
  ];
}

function dialectOf(dialect: FixtureDialect) {
  const int = dialect === 'mysql' ? 'INT' : 'INTEGER';
  return {
    int,
    date: dialect === 'sqlite' ? 'TEXT' : 'DATE',
    autoKey: {
      postgres: 'INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY',
      mysql: 'INT AUTO_INCREMENT PRIMARY KEY',
      sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    }[dialect],
    // Binary collation: comparisons as strict as the other dialects' (MySQL's default ignores case and accents).
    tableSuffix: dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '',
    day: (iso: string) => (dialect === 'sqlite' ? `'${iso}'` : `DATE '${iso}'`),
    /** A text of `n` x's. */
    repeat: (n: number) =>
      dialect === 'sqlite' ? `replace(hex(zeroblob(${n})), '00', 'x')` : `REPEAT('x', ${n})`,
    trigger: {
      postgres: [
        `CREATE FUNCTION orders_check_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
          `IF NEW.total_cents < 0 THEN RAISE EXCEPTION 'negative total'; END IF; RETURN NEW; END $$`,
        `CREATE TRIGGER orders_check BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_check_fn()`,
      ],
      mysql: [
        `CREATE TRIGGER orders_check BEFORE INSERT ON orders FOR EACH ROW BEGIN ` +
          `IF NEW.total_cents < 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative total'; END IF; END`,
      ],
      sqlite: [
        `CREATE TRIGGER orders_check BEFORE INSERT ON orders WHEN NEW.total_cents < 0 ` +
          `BEGIN SELECT RAISE(ABORT, 'negative total'); END`,
      ],
    }[dialect],
  };
}

/** `n` from 0 to 10^places - 1, from the digits table (every dialect, no recursion limit). */
function numbers(places: number): string {
  const names = ['a', 'b', 'c', 'e', 'f', 'g'].slice(0, places);
  const sum = names.map((n, i) => `${n}.d * ${10 ** i}`).join(' + ');
  return `(SELECT ${sum} AS n FROM ${names.map((n) => `digits ${n}`).join(' CROSS JOIN ')}) x`;
}

type CollectionInput = DatasetInput['collections'][number];

/** The dataset describing the fixture, its tables in `schema` when given. */
export function shopDataset(schema?: string, change?: (c: CollectionInput) => CollectionInput): Dataset {
  const id = { name: 'id', type: 'integer', nullable: false };
  const collections: CollectionInput[] = [
    {
      name: 'customers',
      primaryKey: ['id'],
      erasure: { action: 'mask' },
      restriction: { field: 'processing_restricted', value: true },
      fields: [
        { ...id, category: 'user.unique_id' },
        {
          name: 'customer_no',
          type: 'varchar(40)',
          nullable: false,
          category: 'user.unique_id',
          identity: 'customer',
        },
        {
          name: 'email',
          type: 'varchar(320)',
          nullable: false,
          category: 'user.contact.email',
          identity: 'email',
        },
        {
          name: 'phone',
          type: 'varchar(40)',
          nullable: true,
          category: 'user.contact.phone_number',
          identity: 'phone',
        },
        { name: 'name', type: 'varchar(200)', nullable: false, category: 'user.name' },
        {
          name: 'address_id',
          type: 'integer',
          nullable: true,
          references: { collection: 'addresses', field: 'id', onDelete: 'set_null' },
        },
        { name: 'processing_restricted', type: 'boolean', nullable: false },
      ],
    },
    {
      name: 'addresses',
      primaryKey: ['id'],
      erasure: { action: 'mask' },
      fields: [
        id,
        { name: 'line1', type: 'varchar(200)', nullable: false, category: 'user.contact.address.street' },
        {
          name: 'postcode',
          type: 'varchar(20)',
          nullable: true,
          category: 'user.contact.address.postal_code',
        },
        {
          name: 'city_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'cities', field: 'id', onDelete: 'restrict' },
        },
      ],
    },
    {
      name: 'cities',
      reference: true,
      primaryKey: ['id'],
      fields: [id, { name: 'name', type: 'varchar(100)', nullable: false }],
    },
    {
      name: 'orders',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      fields: [
        id,
        {
          name: 'customer_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'customers', field: 'id', onDelete: 'cascade' },
        },
        {
          name: 'ship_to',
          type: 'integer',
          nullable: true,
          references: { collection: 'addresses', field: 'id', onDelete: 'set_null' },
        },
        { name: 'total_cents', type: 'integer', nullable: false },
        { name: 'placed_on', type: 'date', nullable: false },
      ],
    },
    {
      name: 'order_lines',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      fields: [
        id,
        {
          name: 'order_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'orders', field: 'id', onDelete: 'cascade' },
        },
        { name: 'product', type: 'varchar(200)', nullable: false },
        { name: 'quantity', type: 'integer', nullable: false },
        { name: 'note', type: 'text', nullable: true, category: 'user.content' },
      ],
    },
    {
      name: 'payments',
      primaryKey: ['id', 'paid_on'],
      erasure: { action: 'delete' },
      fields: [
        id,
        { name: 'paid_on', type: 'date', nullable: false },
        {
          name: 'order_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'orders', field: 'id', onDelete: 'cascade' },
        },
        { name: 'amount_cents', type: 'integer', nullable: false },
        { name: 'card_last4', type: 'varchar(4)', nullable: true, category: 'user.financial' },
      ],
    },
    {
      name: 'tickets',
      primaryKey: ['id'],
      erasure: { action: 'mask' },
      fields: [
        id,
        {
          name: 'email',
          type: 'varchar(320)',
          nullable: true,
          category: 'user.contact.email',
          identity: 'email',
        },
        {
          name: 'customer_id',
          type: 'integer',
          nullable: true,
          references: { collection: 'customers', field: 'id', onDelete: 'set_null' },
        },
        {
          name: 'reply_to',
          type: 'integer',
          nullable: true,
          references: { collection: 'tickets', field: 'id', onDelete: 'set_null' },
        },
        { name: 'body', type: 'text', nullable: false, category: 'user.content' },
      ],
    },
    {
      name: 'invoices',
      primaryKey: ['id'],
      purposes: ['bookkeeping'],
      erasure: { action: 'keep', purpose: 'bookkeeping' },
      fields: [
        id,
        {
          name: 'customer_id',
          type: 'integer',
          nullable: false,
          references: { collection: 'customers', field: 'id', onDelete: 'restrict' },
        },
        { name: 'number', type: 'varchar(40)', nullable: false },
        { name: 'billing_name', type: 'varchar(200)', nullable: false, category: 'user.name' },
        {
          name: 'billing_email',
          type: 'varchar(320)',
          nullable: false,
          category: 'user.contact.email',
          identity: 'email',
        },
        { name: 'amount_cents', type: 'integer', nullable: false },
      ],
    },
  ];
  return datasetSchema.parse({
    steward: 1,
    kind: 'dataset',
    system: 'shop',
    collections: collections
      .map((c) => (schema === undefined ? c : { ...c, schema }))
      .map((c) => (change === undefined ? c : change(c))),
  });
}

/** The erasure of one person, children first, as the execution engine would order it. */
const ERASURE: readonly (readonly [string, ChangeAction])[] = [
  ['order_lines', { action: 'delete' }],
  ['payments', { action: 'delete' }],
  [
    'tickets',
    {
      action: 'mask',
      fields: [
        { field: 'email', mask: 'format' },
        { field: 'body', mask: 'fixed' },
      ],
    },
  ],
  // Kept for bookkeeping: the name and amount stay, the address outside that purpose goes.
  ['invoices', { action: 'mask', fields: [{ field: 'billing_email', mask: 'format' }] }],
  [
    'addresses',
    {
      action: 'mask',
      fields: [
        { field: 'line1', mask: 'fixed' },
        { field: 'postcode', mask: 'null' },
      ],
    },
  ],
  ['orders', { action: 'delete' }],
  [
    'customers',
    {
      action: 'mask',
      fields: [
        { field: 'email', mask: 'format' },
        { field: 'customer_no', mask: 'hash' },
        { field: 'phone', mask: 'null' },
        { field: 'name', mask: { strategy: 'fixed', value: 'Erased customer' } },
        { field: 'address_id', mask: 'keep' },
      ],
    },
  ],
];

/** Alice's rows, by collection and key. */
const ALICE_ROWS: Readonly<Record<string, readonly string[]>> = {
  customers: ['1'],
  addresses: ['1'],
  orders: ['10', '11'],
  order_lines: ['100', '101', '102'],
  payments: ['1000/2024-01-05', '1001/2024-02-07'],
  tickets: ['500', '501', '502', '503'],
  invoices: ['900'],
};

const alice: Seeds = { identities: [{ kind: 'email', value: 'alice@example.com' }] };
const carol: Seeds = { identities: [{ kind: 'email', value: `o'brien"x"@example.com` }] };
const dave: Seeds = { identities: [{ kind: 'customer', value: 'C-1004' }] };

const TABLES = [
  'cities',
  'addresses',
  'customers',
  'orders',
  'order_lines',
  'payments',
  'tickets',
  'invoices',
];
const KEY_OF: Readonly<Record<string, readonly string[]>> = { payments: ['id', 'paid_on'] };

/** A date column's value as YYYY-MM-DD (drivers give Dates at local midnight or text). */
function day(value: unknown): string {
  if (!(value instanceof Date)) return String(value);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

function keyOf(table: string, row: Row): string {
  return (KEY_OF[table] ?? ['id'])
    .map((k) => (k === 'paid_on' ? day(row[k]) : String(Number(row[k]))))
    .join('/');
}

const flag = (value: unknown): boolean => value === true || Number(value) === 1;

/** A value in a form that compares alike whatever the driver returned. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return day(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

type Snapshot = Record<string, Map<string, Record<string, unknown>>>;

class Fixture {
  readonly dataset: Dataset;
  private readonly opened: Connector[] = [];

  constructor(readonly target: ContractTarget) {
    this.dataset = shopDataset(target.schema);
  }

  connect(dataset: Dataset = this.dataset): Connector {
    const connector = this.target.factory(this.target.settings, dataset, KEYS);
    this.opened.push(connector);
    return connector;
  }

  connectUnreachable(): Connector {
    const connector = this.target.factory(this.target.unreachable, this.dataset, KEYS);
    this.opened.push(connector);
    return connector;
  }

  /** Every secret: both URLs and the target's passwords. */
  get secrets(): string[] {
    return [this.target.settings.url, this.target.unreachable.url, ...this.target.secrets];
  }

  assertNoSecrets(message: string): void {
    for (const secret of this.secrets)
      assert.ok(!message.includes(secret), `an error shows a secret: ${message}`);
    assert.doesNotMatch(message, /\/\/[^/@\s:]+:[^/@\s]*@/, 'an error shows user:password@');
  }

  async snapshot(): Promise<Snapshot> {
    const out: Snapshot = {};
    for (const table of TABLES) {
      const rows = await this.target.query(`SELECT * FROM ${table}`);
      out[table] = new Map(
        rows.map((r) => [
          keyOf(table, r),
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])),
        ]),
      );
    }
    return out;
  }

  async close(): Promise<void> {
    for (const connector of this.opened) await connector.close();
  }
}

/** Every row of the person's collection, page by page. */
async function readAll(
  connector: Connector,
  seeds: Seeds,
  collection: string,
  limit?: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  let after: readonly FieldValue[] | undefined;
  for (;;) {
    const page = await connector.read(seeds, collection, {
      ...(limit === undefined ? {} : { limit }),
      ...(after === undefined ? {} : { after }),
    });
    rows.push(...page.rows);
    if (page.next === undefined) return rows;
    after = page.next;
  }
}

async function keysOf(connector: Connector, seeds: Seeds, collection: string): Promise<string[]> {
  return (await readAll(connector, seeds, collection)).map((r) => keyOf(collection, r)).sort();
}

/** Rows of `after` that differ from `before`, by table; rows gone are listed as gone. */
function changedRows(before: Snapshot, after: Snapshot): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const b = before[table]!;
    const a = after[table]!;
    const keys = new Set([...b.keys(), ...a.keys()]);
    const changed = [...keys].filter((k) => JSON.stringify(b.get(k)) !== JSON.stringify(a.get(k))).sort();
    if (changed.length > 0) out[table] = changed;
  }
  return out;
}

async function runErasure(connector: Connector, seeds: Seeds, dryRun = false) {
  const results: Record<string, { matched: number; changed: number }> = {};
  for (const [collection, action] of ERASURE) {
    const r = await connector.change(seeds, collection, action, { dryRun });
    results[collection] = { matched: r.matched, changed: r.changed };
  }
  return results;
}

function isConnectorError(code?: ConnectorError['code']) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ConnectorError, `expected a ConnectorError, got ${String(error)}`);
    if (code !== undefined) assert.equal(error.code, code, error.message);
    return true;
  };
}

const HOSTILE = [
  `' OR 1=1 --`,
  `' OR '1'='1`,
  `"; DROP TABLE customers; --`,
  `alice@example.com' --`,
  `alice@example.com'); DELETE FROM customers; --`,
  `\\'; DELETE FROM customers; --`,
  `alice@example.com\\`,
  `\\`,
  `'`,
  `"`,
  '`',
  `%`,
  `_`,
  `alice%`,
  `$1`,
  `?`,
  `NULL`,
  `a\u0000b`,
  `alice@example.com\u0000`,
  `😀@😀.example`,
  `\u202Ealice@example.com`,
  `\u200Falice@example.com`,
  `a\u0301lice@example.com`,
  `ALİCE@example.com`,
  `x`.repeat(100_000),
];

interface Case {
  readonly id: ContractCase;
  readonly name: string;
  run(fx: Fixture, t: TestContext): Promise<void>;
}

const cases: readonly Case[] = [
  {
    id: 'finds',
    name: "C9.2 finds exactly the person's rows in every collection and none of a decoy's",
    async run(fx) {
      const c = fx.connect();
      const counts = await c.count(alice);
      assert.deepEqual(
        Object.fromEntries([...counts].sort()),
        Object.fromEntries(
          Object.entries(ALICE_ROWS)
            .map(([k, v]) => [k, v.length])
            .sort(),
        ),
      );
      for (const [collection, keys] of Object.entries(ALICE_ROWS))
        assert.deepEqual(await keysOf(c, alice, collection), [...keys].sort(), collection);
      // The same rows from the customer or phone number, but for the ticket she wrote from her
      // email alone, and its replies.
      const byNumber = new Map([...counts].map(([k, v]) => [k, k === 'tickets' ? 1 : v]));
      assert.deepEqual(await c.count({ identities: [{ kind: 'customer', value: 'C-1001' }] }), byNumber);
      assert.deepEqual(await c.count({ identities: [{ kind: 'phone', value: '+46701234567' }] }), byNumber);
      // A person with a quote in their address is found like anyone else.
      assert.deepEqual(Object.fromEntries([...(await c.count(carol))].sort()), {
        addresses: 1,
        customers: 1,
        order_lines: 1,
        orders: 1,
        payments: 1,
      });
      assert.deepEqual(
        await c.count({ identities: [{ kind: 'email', value: 'nobody@example.com' }] }),
        new Map(),
      );
      // values(): distinct, non-null, the person's only.
      assert.deepEqual((await c.values(alice, 'tickets', 'email', 10)).map(String).sort(), [
        'alice@example.com',
        'support@shop.example',
      ]);
      assert.deepEqual((await c.values(alice, 'orders', 'id', 10)).map(Number).sort(), [10, 11]);
      assert.equal((await c.values(alice, 'orders', 'id', 1)).length, 1);
      // A read returns the dataset's fields and no others.
      const [customer] = (await c.read(alice, 'customers')).rows;
      assert.deepEqual(
        Object.keys(customer ?? {}).sort(),
        fx.dataset.collections[0]!.fields.map((f) => f.name).sort(),
      );
      assert.equal(customer?.name, 'Alice Andersson');
    },
  },
  {
    id: 'references',
    name: 'C9.2 follows references down (orders, lines, payments, replies) and up (the private address, not the shared one, not reference data)',
    async run(fx) {
      const c = fx.connect();
      assert.deepEqual(await keysOf(c, alice, 'order_lines'), ['100', '101', '102']);
      assert.deepEqual(await keysOf(c, alice, 'payments'), ['1000/2024-01-05', '1001/2024-02-07']);
      // 502 replies to 500 (found by email), 503 to 502: replies carry no address of hers.
      assert.deepEqual(await keysOf(c, alice, 'tickets'), ['500', '501', '502', '503']);
      // Address 1 is only hers; address 2 is also Bob's, though her order 10 was shipped there.
      assert.deepEqual(await keysOf(c, alice, 'addresses'), ['1']);
      // Bob has no phone: with her phone as a seed too, whether his row is hers is unknown (NULL)
      // in SQL, and unknown must count as someone else's.
      const byBoth: Seeds = { identities: [...alice.identities, { kind: 'phone', value: '+46701234567' }] };
      assert.deepEqual(await keysOf(c, byBoth, 'addresses'), ['1']);
      assert.deepEqual(await keysOf(c, alice, 'cities'), []);
      assert.equal((await c.count(alice)).has('cities'), false);
      // Linked values from another system seed their collection and follow from there.
      const linked: Seeds = { identities: [], linked: [{ collection: 'orders', field: 'id', values: [20] }] };
      assert.deepEqual(await keysOf(c, linked, 'order_lines'), ['200']);
      assert.deepEqual(await keysOf(c, linked, 'payments'), ['1000/2024-02-07']);
      // Up from an order: Carol's customer row is taken, Bob's not, as his invoice (outside
      // this scope) refers to it too; the orders' addresses are referenced by customer rows
      // outside the scope, so neither is taken.
      assert.deepEqual(await keysOf(c, linked, 'customers'), []);
      assert.deepEqual(await keysOf(c, linked, 'addresses'), []);
      const carolsOrder: Seeds = {
        identities: [],
        linked: [{ collection: 'orders', field: 'id', values: [30] }],
      };
      assert.deepEqual(await keysOf(c, carolsOrder, 'customers'), ['3']);
      assert.deepEqual(await keysOf(c, carolsOrder, 'addresses'), []);
    },
  },
  {
    id: 'email-case',
    name: 'emails match whatever their case unless the field is declared normalised',
    async run(fx) {
      const c = fx.connect();
      // Stored as Alice@Example.COM.
      assert.deepEqual(await keysOf(c, alice, 'customers'), ['1']);
      assert.deepEqual(
        await keysOf(c, { identities: [{ kind: 'email', value: 'ALICE@EXAMPLE.COM' }] }, 'customers'),
        ['1'],
      );
      const normalised = fx.connect(
        shopDataset(fx.target.schema, (col) => ({
          ...col,
          fields: col.fields.map((f) => (f.identity === 'email' ? { ...f, normalised: true } : f)),
        })),
      );
      assert.deepEqual(await keysOf(normalised, alice, 'customers'), []);
      assert.deepEqual(await keysOf(normalised, alice, 'tickets'), ['500', '502', '503']);
      assert.deepEqual(
        await keysOf(
          normalised,
          { identities: [{ kind: 'email', value: 'Alice@Example.COM' }] },
          'customers',
        ),
        ['1'],
      );
    },
  },
  {
    id: 'pages',
    name: 'C9.2 keyset pages cover every row exactly once (5,000 order lines, a composite key)',
    async run(fx) {
      const d = dialectOf(fx.target.dialect);
      await fx.target.exec(
        `INSERT INTO order_lines (id, order_id, product, quantity, note) SELECT 10000 + n, 40, 'bulk', 1, NULL FROM ${numbers(4)} WHERE n < 5000`,
      );
      for (const date of ['2024-01-01', '2024-01-02'])
        await fx.target.exec(
          `INSERT INTO payments (id, paid_on, order_id, amount_cents, card_last4) SELECT n, ${d.day(date)}, 40, 1, NULL FROM ${numbers(3)} WHERE n < 150`,
        );
      const c = fx.connect();
      const seen = new Set<string>();
      let pages = 0;
      let after: readonly FieldValue[] | undefined;
      for (;;) {
        const page = await c.read(dave, 'order_lines', {
          limit: 97,
          ...(after === undefined ? {} : { after }),
        });
        pages++;
        assert.ok(page.rows.length <= 97);
        for (const r of page.rows) {
          const k = keyOf('order_lines', r);
          assert.ok(!seen.has(k), `row ${k} read twice`);
          seen.add(k);
        }
        if (page.next === undefined) break;
        assert.equal(page.next.length, 1);
        after = page.next;
      }
      assert.equal(seen.size, 5_000);
      assert.equal(pages, Math.ceil(5_000 / 97));
      assert.ok([...seen].every((k) => Number(k) >= 10_000 && Number(k) < 15_000));
      // Only the fields asked for, the key still paging.
      const narrow = await c.read(dave, 'order_lines', { limit: 10, fields: ['product'] });
      assert.deepEqual(Object.keys(narrow.rows[0] ?? {}), ['product']);
      assert.equal(narrow.next?.length, 1);
      // Composite keys page on both columns: 300 payments, ids repeating across two days.
      const payments = await readAll(c, dave, 'payments', 7);
      assert.equal(payments.length, 300);
      assert.equal(new Set(payments.map((r) => keyOf('payments', r))).size, 300);
      const first = await c.read(dave, 'payments', { limit: 7 });
      assert.equal(first.next?.length, 2);
      // Limits are capped: no page holds more than 5,000 rows.
      assert.equal((await c.read(dave, 'order_lines', { limit: 1_000_000 })).rows.length, 5_000);
      await assert.rejects(c.read(dave, 'payments', { after: [1] }), isConnectorError('refused'));
    },
  },
  {
    id: 'walk',
    name: 'C9.2 a walk of pages gives what a loop of reads gives, with the collections above looked up once or, past their bound, kept as subqueries',
    async run(fx) {
      const d = dialectOf(fx.target.dialect);
      // Dave: 1,200 orders with a line each (more order ids than a walk binds), one order with
      // 3,000 lines (few order ids), and the fixture's order 40.
      await fx.target.exec(
        `INSERT INTO orders (id, customer_id, ship_to, total_cents, placed_on) SELECT 100000 + n, 4, NULL, 1, ${d.day('2024-03-03')} FROM ${numbers(4)} WHERE n < 1200`,
      );
      await fx.target.exec(
        `INSERT INTO order_lines (id, order_id, product, quantity, note) SELECT 200000 + n, 100000 + n, 'one', 1, NULL FROM ${numbers(4)} WHERE n < 1200`,
      );
      const c = fx.connect();
      // Rows written in falling key order (a heap scan meets them so) still read in key order.
      for (let n = 9; n >= 0; n--)
        await fx.target.exec(
          `INSERT INTO order_lines (id, order_id, product, quantity, note) VALUES (${400_000 + n}, 30, 'late', 1, NULL)`,
        );
      assert.deepEqual(
        (await c.read(carol, 'order_lines')).rows.map((r) => keyOf('order_lines', r)),
        ['300', ...Array.from({ length: 10 }, (_, n) => String(400_000 + n))],
      );
      const walk = async (
        seeds: Seeds,
        collection: string,
        options: { limit: number; after?: readonly FieldValue[] },
      ) => {
        const keys: string[] = [];
        let pages = 0;
        for await (const page of c.pages(seeds, collection, options)) {
          pages++;
          assert.ok(page.rows.length <= options.limit);
          keys.push(...page.rows.map((r) => keyOf(collection, r)));
        }
        return { keys, pages };
      };
      const lines = await walk(dave, 'order_lines', { limit: 97 });
      assert.equal(lines.keys.length, 1_200);
      assert.equal(new Set(lines.keys).size, 1_200);
      assert.equal(lines.pages, Math.ceil(1_200 / 97));
      assert.deepEqual(
        lines.keys,
        (await readAll(c, dave, 'order_lines', 97)).map((r) => keyOf('order_lines', r)),
      );
      // Few order ids: the walk binds them.
      await fx.target.exec(
        `INSERT INTO order_lines (id, order_id, product, quantity, note) SELECT 300000 + n, 40, 'bulk', 1, NULL FROM ${numbers(4)} WHERE n < 3000`,
      );
      const fewer = await walk(
        { identities: [], linked: [{ collection: 'orders', field: 'id', values: [40, 11] }] },
        'order_lines',
        { limit: 500 },
      );
      assert.equal(fewer.keys.length, 3_001);
      assert.deepEqual(fewer.keys.slice(0, 1), ['102']);
      assert.equal(new Set(fewer.keys).size, 3_001);
      // From a key on, as `read` with `after`.
      const first = await c.read(dave, 'order_lines', { limit: 1_000 });
      const rest = await walk(dave, 'order_lines', { limit: 1_000, after: first.next! });
      assert.deepEqual(
        [...first.rows.map((r) => keyOf('order_lines', r)), ...rest.keys],
        (await readAll(c, dave, 'order_lines')).map((r) => keyOf('order_lines', r)),
      );
      // A page of one row at a time, in every collection and by every path (a cycle of replies,
      // a parent only the person references, linked values, a composite key): the same rows.
      const byBoth: Seeds = { identities: [...alice.identities, { kind: 'phone', value: '+46701234567' }] };
      const linked: Seeds = {
        identities: [],
        linked: [{ collection: 'orders', field: 'id', values: [20, 30] }],
      };
      for (const seeds of [alice, byBoth, carol, linked])
        for (const collection of TABLES) {
          const one = await walk(seeds, collection, { limit: 1 });
          assert.deepEqual(
            one.keys.sort(),
            await keysOf(c, seeds, collection),
            `${collection} of ${JSON.stringify(seeds)}`,
          );
        }
      assert.deepEqual((await walk(alice, 'tickets', { limit: 1 })).keys, ['500', '501', '502', '503']);
      // A collection outside the person's scope gives one empty page; a bad key is refused.
      assert.deepEqual((await walk(alice, 'cities', { limit: 5 })).keys, []);
      await assert.rejects(walk(dave, 'payments', { limit: 5, after: [1] }), isConnectorError('refused'));
    },
  },
  {
    id: 'memory',
    name: "C9.2 reading a person's 50,000 rows page by page holds a page at a time, by reads and by a walk (heap growth under 64 MB)",
    async run(fx, t) {
      const d = dialectOf(fx.target.dialect);
      const size = 2_000;
      await fx.target.exec(
        `INSERT INTO order_lines (id, order_id, product, quantity, note) SELECT 100000 + n, 40, 'bulk', 1, ${d.repeat(size)} FROM ${numbers(5)} WHERE n < 50000`,
      );
      const gc = collector();
      const c = fx.connect();
      async function* byReads(): AsyncGenerator<Page> {
        let after: readonly FieldValue[] | undefined;
        for (;;) {
          const p = await c.read(dave, 'order_lines', {
            limit: 500,
            ...(after === undefined ? {} : { after }),
          });
          yield p;
          if (p.next === undefined) return;
          after = p.next;
        }
      }
      for (const [how, pages] of [
        ['reads', byReads],
        ['walk', () => c.pages(dave, 'order_lines', { limit: 500 })],
      ] as const) {
        gc();
        const baseline = process.memoryUsage().heapUsed;
        let peak = 0;
        let rows = 0;
        let chars = 0;
        let largest = 0;
        let page = 0;
        for await (const p of pages()) {
          rows += p.rows.length;
          largest = Math.max(largest, p.rows.length);
          for (const r of p.rows) chars += String(r.note ?? '').length;
          if (page++ % 10 === 0) {
            gc();
            peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
          }
        }
        assert.equal(rows, 50_000, how);
        assert.equal(largest, 500, how);
        // Holding every row would take more than the bound.
        assert.ok(chars >= 50_000 * size && chars > 64 * 2 ** 20);
        t.diagnostic(
          `${how}: heap growth ${(peak / 2 ** 20).toFixed(1)} MB over ${(chars / 2 ** 20).toFixed(0)} MB of rows read`,
        );
        assert.ok(peak < 64 * 2 ** 20, `${how}: heap grew by ${Math.round(peak / 2 ** 20)} MB`);
      }
    },
  },
  {
    id: 'erasure',
    name: 'C9.2 erasure deletes children, masks parents, keeps invoices with the other fields masked, and touches only the person',
    async run(fx) {
      const c = fx.connect();
      const before = await fx.snapshot();
      const batches: number[] = [];
      const results: Record<string, number> = {};
      for (const [collection, action] of ERASURE) {
        // Tickets one per batch: replies are found through the tickets they answer.
        const options =
          collection === 'tickets'
            ? { batchSize: 1, onBatch: (d: { changed: number }) => void batches.push(d.changed) }
            : {};
        const r = await c.change(alice, collection, action, options);
        assert.equal(r.matched, ALICE_ROWS[collection]!.length, collection);
        results[collection] = r.changed;
      }
      assert.deepEqual(
        results,
        Object.fromEntries(Object.entries(ALICE_ROWS).map(([k, v]) => [k, v.length])),
      );
      assert.deepEqual(batches, [1, 2, 3, 4]);

      const after = await fx.snapshot();
      assert.deepEqual(
        changedRows(before, after),
        Object.fromEntries(Object.entries(ALICE_ROWS).map(([k, v]) => [k, [...v].sort()])),
      );
      for (const table of ['orders', 'order_lines', 'payments'])
        for (const key of ALICE_ROWS[table]!)
          assert.equal(after[table]!.has(key), false, `${table} ${key} deleted`);
      const customer = after.customers!.get('1')!;
      assert.match(String(customer.email), /^[a-z]+@[a-z]+\.invalid$/i);
      assert.notEqual(String(customer.email).toLowerCase(), 'alice@example.com');
      assert.match(String(customer.customer_no), /^[0-9a-f]{40}$/);
      assert.equal(customer.phone, null);
      assert.equal(customer.name, 'Erased customer');
      assert.equal(Number(customer.address_id), 1);
      const address = after.addresses!.get('1')!;
      assert.equal(address.line1, '[erased]');
      assert.equal(address.postcode, null);
      for (const key of ['500', '501', '502', '503']) assert.equal(after.tickets!.get(key)!.body, '[erased]');
      assert.match(String(after.tickets!.get('502')!.email), /^[a-z]+@[a-z]+\.invalid$/);
      assert.equal(after.tickets!.get('503')!.email, null);
      const invoice = after.invoices!.get('900')!;
      assert.equal(invoice.billing_name, 'Alice Andersson');
      assert.equal(Number(invoice.amount_cents), 4000);
      assert.match(String(invoice.billing_email), /^[a-z]+@[a-z]+\.invalid$/);
      // The masked rows no longer match anyone.
      assert.deepEqual(await c.count(alice), new Map());
    },
  },
  {
    id: 'together',
    name: 'C9.2 changes made together commit as one: the same rows as step by step, and nothing at all when one is larger than a batch or the commit is refused',
    async run(fx) {
      const c = fx.connect();
      assert.ok(c.together !== undefined, 'every SQL connector changes together');
      const before = await fx.snapshot();
      // Tickets come third: the two changes before them are rolled back with them.
      await assert.rejects(
        c.together(async (x) => {
          for (const [collection, action] of ERASURE)
            await x.change(alice, collection, action, collection === 'tickets' ? { batchSize: 1 } : {});
        }),
        (error: unknown) => error instanceof TooLargeTogether && error.collection === 'tickets',
      );
      assert.deepEqual(changedRows(before, await fx.snapshot()), {}, 'a change too large for one batch');
      await assert.rejects(
        c.together(
          async (x) => {
            for (const [collection, action] of ERASURE) await x.change(alice, collection, action);
          },
          {
            beforeCommit: () => Promise.reject(new Error('the job lost its lease')),
          },
        ),
        /lost its lease/,
      );
      assert.deepEqual(changedRows(before, await fx.snapshot()), {}, 'a refused commit');
      await assert.rejects(
        c.together((x) => x.change(alice, 'order_lines', { action: 'delete' }, { resume: { changed: 0 } })),
        isConnectorError('refused'),
      );

      const inFlight: Record<string, number> = {};
      let committing = 0;
      const results = await c.together(
        async (x) => {
          const out: Record<string, number> = {};
          for (const [collection, action] of ERASURE) {
            const r = await x.change(alice, collection, action, {
              beforeCommit: (batch) => void (inFlight[collection] = batch.keys.length),
            });
            assert.equal(r.matched, ALICE_ROWS[collection]!.length, collection);
            out[collection] = r.changed;
          }
          return out;
        },
        { beforeCommit: async () => void (committing += 1) },
      );
      const expected = Object.fromEntries(Object.entries(ALICE_ROWS).map(([k, v]) => [k, v.length]));
      assert.deepEqual(results, expected);
      assert.deepEqual(inFlight, expected, 'each change hands its batch over before the one COMMIT');
      assert.equal(committing, 1);
      assert.deepEqual(
        changedRows(before, await fx.snapshot()),
        Object.fromEntries(Object.entries(ALICE_ROWS).map(([k, v]) => [k, [...v].sort()])),
      );
      assert.deepEqual(await c.count(alice), new Map());
    },
  },
  {
    id: 'idempotent',
    name: 'C9.2 erasure is idempotent: a second run matches and changes nothing',
    async run(fx) {
      const c = fx.connect();
      await runErasure(c, alice);
      const once = await fx.snapshot();
      const again = await runErasure(c, alice);
      for (const [collection, r] of Object.entries(again))
        assert.deepEqual(r, { matched: 0, changed: 0 }, collection);
      assert.deepEqual(changedRows(once, await fx.snapshot()), {});
    },
  },
  {
    id: 'dry-run',
    name: 'C9.2 a dry run reports what would change and changes nothing',
    async run(fx) {
      const c = fx.connect();
      const before = await fx.snapshot();
      const report = await runErasure(c, alice, true);
      assert.deepEqual(
        report,
        Object.fromEntries(
          Object.entries(ALICE_ROWS).map(([k, v]) => [k, { matched: v.length, changed: 0 }]),
        ),
      );
      const restrict = await c.change(alice, 'customers', { action: 'restrict' }, { dryRun: true });
      assert.deepEqual(restrict, { matched: 1, changed: 0, batches: 0 });
      assert.deepEqual(changedRows(before, await fx.snapshot()), {});
    },
  },
  {
    id: 'keep-ends',
    name: 'a change that leaves rows in scope still ends: batches walk the keys instead of re-selecting',
    async run(fx) {
      const c = fx.connect();
      const action: ChangeAction = {
        action: 'mask',
        fields: [
          { field: 'email', mask: 'keep' },
          { field: 'body', mask: 'random' },
        ],
      };
      const r = await c.change(alice, 'tickets', action, { batchSize: 1 });
      assert.deepEqual(r, { matched: 4, changed: 4, batches: 4 });
      assert.equal((await c.count(alice)).get('tickets'), 4);
      const bodies = (await readAll(c, alice, 'tickets')).map((row) => String(row.body));
      assert.ok(bodies.every((b) => /^[A-Za-z0-9]+$/.test(b)));
    },
  },
  {
    id: 'resume',
    name: 'C9.2 a change killed before or after a batch COMMIT resumes from its cursor: hashed rows that stay in scope are masked once, counts are exact',
    async run(fx) {
      const c = fx.connect();
      const before = await fx.snapshot();
      const hash: ChangeAction = {
        action: 'mask',
        fields: [
          { field: 'email', mask: 'keep' },
          { field: 'body', mask: 'hash' },
        ],
      };
      // A job's record of its step, as run-step keeps it in Steward's store.
      type Saved = ChangeResume & { batches: number };
      const attempt = async (
        collection: string,
        action: ChangeAction,
        saved: Saved | undefined,
        kill: { beforeCommit?: number; afterCommit?: number },
      ) => {
        let p: Saved = saved ?? { changed: 0, batches: 0 };
        let commits = 0;
        let done = 0;
        try {
          const r = await c.change(alice, collection, action, {
            batchSize: 1,
            ...(saved === undefined ? {} : { resume: saved }),
            beforeCommit: (batch, matched) => {
              p = { ...p, matched, inFlight: batch };
              if (++commits === kill.beforeCommit) throw new Error('killed before COMMIT');
            },
            onBatch: (d) => {
              if (++done === kill.afterCommit) throw new Error('killed after COMMIT');
              p = { changed: d.changed, cursor: d.cursor, matched: d.matched, batches: p.batches + 1 };
            },
          });
          return { result: r, saved: p };
        } catch (error) {
          assert.match(String(error), /killed (before|after) COMMIT/);
          return { saved: p };
        }
      };
      const first = await attempt('tickets', hash, undefined, { beforeCommit: 2 });
      assert.equal(first.result, undefined);
      assert.equal(first.saved.changed, 1);
      assert.equal(first.saved.inFlight?.keys.length, 1);
      const second = await attempt('tickets', hash, first.saved, { afterCommit: 2 });
      assert.equal(second.result, undefined);
      assert.equal(second.saved.changed, 2, 'the second batch committed, its record did not');
      const third = await attempt('tickets', hash, second.saved, {});
      assert.deepEqual(third.result, { matched: 4, changed: 4, batches: 2 });
      assert.equal(third.saved.batches, 4);
      const after = await fx.snapshot();
      for (const key of ALICE_ROWS.tickets!) {
        const original = before.tickets!.get(key)!.body as string;
        const field = shopDataset()
          .collections.find((x) => x.name === 'tickets')!
          .fields.find((f) => f.name === 'body');
        assert.equal(
          after.tickets!.get(key)!.body,
          maskValue(original, 'hash', KEYS, field),
          `ticket ${key} hashed once`,
        );
      }
      assert.deepEqual(Object.keys(changedRows(before, after)), ['tickets']);

      // A delete killed after its COMMIT: the batch is counted once, from the in-flight keys.
      const lines = ALICE_ROWS.order_lines!.length;
      const killed = await attempt('order_lines', { action: 'delete' }, undefined, { afterCommit: 1 });
      assert.equal(killed.saved.changed, 0);
      const rest = await attempt('order_lines', { action: 'delete' }, killed.saved, {});
      assert.deepEqual(rest.result, { matched: lines, changed: lines, batches: lines });
      assert.equal((await c.count(alice)).get('order_lines'), undefined);
    },
  },
  {
    id: 'rectification',
    name: "C9.2 rectification updates the person's rows only, and a second run changes nothing",
    async run(fx) {
      const c = fx.connect();
      const before = await fx.snapshot();
      const action: ChangeAction = {
        action: 'update',
        values: [
          { field: 'name', value: 'Alice Smith' },
          { field: 'phone', value: '+46700000001' },
        ],
      };
      assert.deepEqual(await c.change(alice, 'customers', action), { matched: 1, changed: 1, batches: 1 });
      const after = await fx.snapshot();
      assert.deepEqual(changedRows(before, after), { customers: ['1'] });
      assert.equal(after.customers!.get('1')!.name, 'Alice Smith');
      assert.equal(after.customers!.get('1')!.phone, '+46700000001');
      assert.deepEqual(await c.change(alice, 'customers', action), { matched: 1, changed: 0, batches: 0 });
      await assert.rejects(
        c.change(alice, 'customers', { action: 'update', values: [{ field: 'id', value: 99 }] }),
        isConnectorError('refused'),
      );
      await assert.rejects(
        c.change(alice, 'customers', { action: 'update', values: [{ field: 'nonexistent', value: 1 }] }),
        isConnectorError('refused'),
      );
    },
  },
  {
    id: 'restriction',
    name: "C9.10 restriction sets the declared flag on the person's rows only, and is refused where none is declared",
    async run(fx) {
      const c = fx.connect();
      const before = await fx.snapshot();
      assert.deepEqual(await c.change(alice, 'customers', { action: 'restrict' }), {
        matched: 1,
        changed: 1,
        batches: 1,
      });
      const after = await fx.snapshot();
      assert.deepEqual(changedRows(before, after), { customers: ['1'] });
      for (const [key, row] of after.customers!)
        assert.equal(flag(row.processing_restricted), key === '1', key);
      assert.deepEqual(await c.change(alice, 'customers', { action: 'restrict' }), {
        matched: 1,
        changed: 0,
        batches: 0,
      });
      // Restricted data is kept: the person's rows are all still there.
      assert.equal((await c.count(alice)).get('orders'), 2);
      await assert.rejects(c.change(alice, 'orders', { action: 'restrict' }), isConnectorError('refused'));
    },
  },
  {
    id: 'hostile',
    name: 'C9.2 hostile identity values find nothing, change nothing and leave every table intact',
    async run(fx) {
      const c = fx.connect();
      const before = await fx.snapshot();
      const kinds = ['email', 'phone', 'customer', 'account'] as const;
      for (const value of HOSTILE) {
        const seeds: Seeds = { identities: kinds.map((kind) => ({ kind, value })) };
        try {
          assert.deepEqual(await c.count(seeds), new Map(), JSON.stringify(value.slice(0, 60)));
          const masked = await c.change(seeds, 'customers', {
            action: 'mask',
            fields: [{ field: 'name', mask: 'fixed' }],
          });
          assert.deepEqual(masked, { matched: 0, changed: 0, batches: 0 });
          assert.deepEqual(await c.change(seeds, 'orders', { action: 'delete' }), {
            matched: 0,
            changed: 0,
            batches: 0,
          });
          assert.deepEqual((await c.read(seeds, 'customers')).rows, []);
        } catch (error) {
          // PostgreSQL refuses NUL in text outright; refusing is fine, finding something is not.
          if (!value.includes('\0')) throw error;
          isConnectorError()(error);
          fx.assertNoSecrets((error as Error).message);
        }
      }
      // Values linked from another system are bound too, and a number column takes only numbers
      // (MySQL would read '10abc' as 10).
      const linked: Seeds = {
        identities: [],
        linked: [
          { collection: 'orders', field: 'id', values: ['10 OR 1=1', '10abc', "10'", ' 10', '1e1', '0x0A'] },
        ],
      };
      assert.deepEqual(await c.count(linked), new Map());
      assert.deepEqual(changedRows(before, await fx.snapshot()), {});
      assert.equal(Number((await fx.target.query('SELECT COUNT(*) AS n FROM customers'))[0]?.n), 4);
    },
  },
  {
    id: 'secrets',
    name: "errors never show the connection's URL or password",
    async run(fx) {
      const good = await fx.connect().check();
      assert.equal(good.ok, true, good.ok ? '' : good.error);
      if (good.ok) assert.ok(good.server.length > 0 && good.latencyMs >= 0);

      const bad = fx.connectUnreachable();
      const checked = await bad.check();
      assert.equal(checked.ok, false);
      if (!checked.ok) fx.assertNoSecrets(checked.error);
      await assert.rejects(bad.count(alice), (error) => {
        isConnectorError('unreachable')(error);
        fx.assertNoSecrets((error as Error).message);
        return true;
      });

      // A dataset naming a column or table the database lacks.
      const drifted = fx.connect(
        shopDataset(fx.target.schema, (col) =>
          col.name === 'customers'
            ? { ...col, fields: [...col.fields, { name: 'shoe_size', category: 'user' }] }
            : col,
        ),
      );
      for (const attempt of [
        () =>
          drifted.change(alice, 'customers', {
            action: 'mask',
            fields: [{ field: 'shoe_size', mask: 'fixed' }],
          }),
        () => drifted.read(alice, 'customers'),
      ])
        await assert.rejects(attempt(), (error) => {
          isConnectorError('schema_mismatch')(error);
          fx.assertNoSecrets((error as Error).message);
          return true;
        });
      const ghost = fx.connect(
        shopDataset(fx.target.schema, (col) =>
          col.name === 'tickets' ? { ...col, name: 'ghost_tickets' } : col,
        ),
      );
      await assert.rejects(ghost.count(alice), isConnectorError('schema_mismatch'));
      await assert.rejects(fx.connect().read(alice, 'no_such_collection'), isConnectorError('refused'));
    },
  },
  {
    id: 'introspection',
    name: 'introspection reports tables, views, composite keys, foreign keys with their ON DELETE rules, uniques and triggers',
    async run(fx) {
      const found = await fx.connect().introspect();
      assert.equal(found.system, fx.target.settings.system);
      assert.ok(found.server.length > 0);
      const table = (name: string) => {
        const t = found.tables.find(
          (x) =>
            x.name === name &&
            (fx.target.schema === undefined || x.schema === undefined || x.schema === fx.target.schema),
        );
        assert.ok(t !== undefined, `introspection lists ${name}`);
        return t;
      };
      for (const name of TABLES) assert.notEqual(table(name).kind, 'view', name);
      assert.equal(table('customer_emails').kind, 'view');
      assert.deepEqual(table('customers').primaryKey, ['id']);
      assert.deepEqual(table('payments').primaryKey, ['id', 'paid_on']);
      const fk = (name: string, column: string) => {
        const f = table(name).foreignKeys.find((x) => x.columns.length === 1 && x.columns[0] === column);
        assert.ok(f !== undefined, `${name}.${column} is a foreign key`);
        return f;
      };
      assert.deepEqual(
        [
          fk('order_lines', 'order_id'),
          fk('invoices', 'customer_id'),
          fk('tickets', 'reply_to'),
          fk('customers', 'address_id'),
        ].map((f) => `${f.references.table}.${f.references.columns.join(',')}:${f.onDelete}`),
        ['orders.id:cascade', 'customers.id:restrict', 'tickets.id:set_null', 'addresses.id:set_null'],
      );
      if (fx.target.partitioned === true) {
        assert.equal(table('payments').kind, 'partitioned');
        assert.deepEqual(table('payments').partitions?.names, PAYMENT_PARTITIONS);
        assert.match(table('payments').partitions?.by ?? '', /paid_on/);
        assert.equal(fk('payments', 'order_id').onDelete, 'cascade');
        for (const name of PAYMENT_PARTITIONS)
          assert.ok(
            !found.tables.some((x) => x.name === name),
            `partition ${name} is not reported as a table`,
          );
      }
      assert.ok(table('customers').uniques.some((u) => u.length === 1 && u[0] === 'customer_no'));
      assert.ok(table('orders').triggers.includes('orders_check'));
      const email = table('customers').columns.find((col) => col.name === 'email');
      assert.equal(email?.nullable, false);
      assert.equal(table('customers').columns.find((col) => col.name === 'phone')?.nullable, true);
    },
  },
  {
    id: 'sample',
    name: 'sample() gives a few non-null values of a column as text, and binds its limit',
    async run(fx) {
      const c = fx.connect();
      const table = {
        name: 'customers',
        ...(fx.target.schema === undefined ? {} : { schema: fx.target.schema }),
      };
      const emails = await c.sample(table, 'email', 2);
      assert.equal(emails.length, 2);
      assert.ok(emails.every((e) => typeof e === 'string' && e.includes('@')));
      // Three of the four phones are NULL.
      assert.deepEqual((await c.sample(table, 'phone', 10)).sort(), ['+46701234567']);
      assert.deepEqual((await c.sample(table, 'id', 10)).sort(), ['1', '2', '3', '4']);
      const before = await fx.snapshot();
      await assert.rejects(
        c.sample(table, 'email"; DROP TABLE customers; --', 1),
        isConnectorError('schema_mismatch'),
      );
      await assert.rejects(
        c.sample({ ...table, name: 'customers` ; DROP TABLE orders; --' }, 'id', 1),
        isConnectorError(),
      );
      assert.deepEqual(changedRows(before, await fx.snapshot()), {});
    },
  },
];

/** A function that runs a full garbage collection, so heap figures show what is retained. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return gc;
}
