import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { sqliteConnector } from '../../test/support/discovery.js';
import type { Connector, Introspection } from '../connectors/contract.js';
import { ConnectorError } from '../connectors/contract.js';
import type { Dataset, DatasetCollection } from '../connectors/dataset.js';
import { datasetSchema } from '../connectors/dataset.js';
import { diffDataset } from './diff.js';
import type { Proposal, ScanProgress } from './propose.js';
import { proposalToYaml, proposeDataset, scanSystem } from './propose.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-discovery-'));
const now = new Date('2025-06-01T00:00:00Z');

const shopDdl = `
CREATE TABLE countries (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT,
  phone TEXT,
  country_code TEXT REFERENCES countries(code),
  birth_date TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  street TEXT NOT NULL,
  city TEXT
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES customers(id) ON DELETE RESTRICT,
  total NUMERIC NOT NULL,
  note TEXT
);
CREATE TABLE order_lines (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  sku TEXT NOT NULL,
  qty INTEGER NOT NULL
);
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE RESTRICT,
  billing_name TEXT NOT NULL,
  amount NUMERIC NOT NULL
);
CREATE TABLE audit_trail (at TEXT, actor_email TEXT);
CREATE TABLE login_events (
  token TEXT NOT NULL UNIQUE,
  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,
  ip TEXT
);
CREATE TABLE tag_labels (code TEXT UNIQUE, label TEXT);
CREATE TABLE customer_tags (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  tag_code TEXT REFERENCES tag_labels(code)
);
CREATE VIEW customer_emails AS SELECT id, email FROM customers;
CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN SELECT 1; END;
`;

/** Distinct, recognisable values, so a leak of any of them into the output can be searched for. */
function fillShop(db: Database.Database): void {
  db.prepare("insert into countries values ('SE', 'Sverige'), ('DK', 'Danmark')").run();
  const customer = db.prepare('insert into customers values (?, ?, ?, ?, ?, ?, ?, ?)');
  const address = db.prepare('insert into addresses values (?, ?, ?, ?)');
  const order = db.prepare('insert into orders values (?, ?, ?, ?)');
  const line = db.prepare('insert into order_lines values (?, ?, ?, ?)');
  const invoice = db.prepare('insert into invoices values (?, ?, ?, ?)');
  const audit = db.prepare('insert into audit_trail values (?, ?)');
  const login = db.prepare('insert into login_events values (?, ?, ?)');
  const first = ['Xanthia', 'Quillon', 'Ysolde', 'Zebulon', 'Wendeline', 'Oriel', 'Perpetua', 'Thaddeus'];
  for (let i = 1; i <= 40; i++) {
    customer.run(
      i,
      `zq.person${i}@leakcheck.example`,
      first[i % first.length],
      `Qvarnström${i}`,
      `+46 70 ${String(100 + i)} 77 ${String(10 + i)}`,
      i % 2 === 0 ? 'SE' : 'DK',
      `19${String(50 + (i % 40))}-0${1 + (i % 9)}-1${i % 10}`,
      `2025-01-0${1 + (i % 9)}T08:00:00Z`,
    );
    address.run(i, i, `Leakgatan ${100 + i}`, `Zqstad${i}`);
    order.run(i, i, 1000 + i * 13.37, `Ring the doorbell zq${i} twice`);
    line.run(i, i, `SKU-ZQ${9000 + i}`, 1 + (i % 3));
    invoice.run(i, i, `Billing Zqname${i}`, 1000 + i * 13.37);
    audit.run(`2025-02-0${1 + (i % 9)}`, `auditor${i}@leakcheck.example`);
    login.run(`tok-zq-${i}-a1b2c3`, i, `81.2.${i}.${100 + i}`);
  }
}

function shopFile(name: string): string {
  const file = join(dir, `${name}.db`);
  const db = new Database(file);
  db.exec(shopDdl);
  fillShop(db);
  db.close();
  return file;
}

/** The SQLite connector of `file`, recording every value it samples. */
function connectorFor(file: string, seen?: string[]): Pick<Connector, 'introspect' | 'sample' | 'system'> {
  const connector = sqliteConnector(file);
  after(() => connector.close());
  return {
    system: connector.system,
    introspect: () => connector.introspect(),
    sample: async (t, c, limit) => {
      const values = await connector.sample(t, c, limit);
      seen?.push(...values);
      return values;
    },
  };
}

const collection = (p: Proposal | Dataset, name: string): DatasetCollection =>
  (datasetSchema.parse('dataset' in p ? p.dataset : p).collections.find((c) => c.name === name) ??
    assert.fail(`no collection ${name}`)) as DatasetCollection;

describe('discovery proposal', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('parses as a dataset, with keys, references, reference tables, erasure rules and masks', async () => {
    const progress: ScanProgress[] = [];
    const { proposal } = await scanSystem(connectorFor(shopFile('propose')), {
      now,
      onProgress: (p) => progress.push(p),
    });
    const dataset = datasetSchema.parse(proposal.dataset);
    assert.equal(dataset.system, 'shop');
    assert.equal(dataset.reviewed, undefined, 'a proposal is never reviewed');

    const names = dataset.collections.map((c) => c.name).sort();
    assert.deepEqual(names, [
      'addresses',
      'countries',
      'customer_tags',
      'customers',
      'invoices',
      'login_events',
      'order_lines',
      'orders',
    ]);

    const countries = collection(proposal, 'countries');
    assert.equal(countries.reference, true);
    assert.equal(countries.erasure, undefined);

    const customers = collection(proposal, 'customers');
    const field = (c: DatasetCollection, name: string) => c.fields.find((f) => f.name === name)!;
    assert.deepEqual(customers.primaryKey, ['id']);
    assert.deepEqual(field(customers, 'country_code').references, {
      collection: 'countries',
      field: 'code',
      onDelete: 'no_action',
    });
    assert.equal(field(customers, 'email').identity, 'email');
    assert.equal(
      field(customers, 'email').mask,
      'hash',
      'a unique identifier is hashed so joins still match',
    );
    assert.equal(field(customers, 'first_name').mask, 'fixed', 'NOT NULL text gets a fixed value');
    assert.equal(field(customers, 'last_name').mask, 'null', 'nullable fields become NULL');
    assert.equal(field(customers, 'id').mask, 'keep');
    assert.equal(field(customers, 'id').identity, 'customer');
    assert.equal(field(customers, 'birth_date').category, 'user.demographic.age');
    assert.equal(field(customers, 'created_at').category, undefined);
    assert.equal(field(customers, 'email').type, 'TEXT');
    assert.equal(field(customers, 'email').nullable, false);

    // Orders stay (invoices point at them with RESTRICT), so customers stay too, masked.
    assert.deepEqual(collection(proposal, 'invoices').erasure, { action: 'mask' });
    assert.deepEqual(collection(proposal, 'orders').erasure, { action: 'mask' });
    assert.deepEqual(collection(proposal, 'customers').erasure, { action: 'mask' });
    assert.deepEqual(
      collection(proposal, 'order_lines').erasure,
      { action: 'mask' },
      'lines of kept orders stay',
    );
    assert.deepEqual(collection(proposal, 'addresses').erasure, { action: 'delete' });
    assert.equal(field(collection(proposal, 'orders'), 'customer_id').references?.onDelete, 'restrict');
    assert.match(proposal.erasureReasons.get('customers') ?? '', /orders.*RESTRICT/);

    assert.deepEqual(collection(proposal, 'login_events').primaryKey, ['token']);
    const codes = proposal.notes.map((n) => `${n.code} ${n.collection ?? ''}`);
    assert.ok(codes.includes('discovery.keep_suggested invoices'), codes.join('\n'));
    assert.ok(codes.includes('discovery.no_primary_key audit_trail'));
    assert.ok(codes.includes('discovery.unique_key_used login_events'));
    assert.ok(codes.includes('discovery.view customer_emails'));
    assert.ok(codes.includes('discovery.triggers orders'));
    assert.ok(codes.includes('discovery.no_primary_key tag_labels'));
    assert.ok(
      codes.includes('discovery.reference_left_out customer_tags'),
      'no reference to a table left out',
    );
    assert.equal(field(collection(proposal, 'customer_tags'), 'tag_code').references, undefined);
    assert.match(
      proposal.notes.find((n) => n.collection === 'audit_trail')!.message,
      /looks personal \(actor_email\)/,
    );

    const sampled = progress.filter((p) => p.phase === 'sample');
    assert.equal(sampled.length, 11, 'one step per table and view');
    assert.deepEqual(
      sampled.map((p) => p.index),
      Array.from({ length: 11 }, (_, i) => i + 1),
    );
    assert.ok(sampled.every((p) => p.total === 11));
    assert.equal(progress.at(-1)?.phase, 'done');
  });

  test('the YAML for review parses back into the same dataset', async () => {
    const { proposal } = await scanSystem(connectorFor(shopFile('yaml')), { now });
    const yaml = proposalToYaml(proposal, now);
    assert.match(yaml, /^# Proposed by `steward systems scan` on 2025-06-01/);
    assert.match(yaml, /discovery\.keep_suggested \[invoices\]/);
    assert.match(yaml, /# 0\.\d\d name:email/);
    assert.deepEqual(datasetSchema.parse(parse(yaml)), datasetSchema.parse(proposal.dataset));
  });

  test('partitioned tables are described with their partitions', async () => {
    const introspection: Introspection = {
      system: 'events',
      kind: 'postgres',
      server: 'PostgreSQL 16',
      tables: [
        {
          name: 'page_views',
          kind: 'partitioned',
          columns: [
            { name: 'id', type: 'bigint', nullable: false },
            { name: 'visitor_id', type: 'uuid', nullable: false },
            { name: 'ip_address', type: 'inet', nullable: true },
            { name: 'viewed_at', type: 'timestamp with time zone', nullable: false },
          ],
          primaryKey: ['id', 'viewed_at'],
          foreignKeys: [],
          uniques: [],
          partitions: {
            by: 'RANGE (viewed_at)',
            names: ['page_views_2025_01', 'page_views_2025_02', 'page_views_2025_03'],
          },
          triggers: [],
        },
      ],
    };
    const proposal = await proposeDataset(introspection, () => Promise.resolve([]), { now });
    const pageViews = collection(proposal, 'page_views');
    assert.deepEqual(pageViews.partitioned, { by: 'RANGE (viewed_at)', partitions: 3 });
    assert.deepEqual(pageViews.primaryKey, ['id', 'viewed_at']);
    assert.equal(pageViews.fields.find((f) => f.name === 'visitor_id')?.category, 'user.device.cookie_id');
    assert.equal(pageViews.fields.find((f) => f.name === 'ip_address')?.category, 'user.device.ip_address');
    assert.ok(
      proposal.notes.some((n) => n.code === 'discovery.partitioned' && n.collection === 'page_views'),
    );
  });

  test('no sampled value reaches the proposal, its YAML, its notes, a diff, or an error', async () => {
    const seen: string[] = [];
    const file = shopFile('leak');
    const { introspection, proposal } = await scanSystem(connectorFor(file, seen), { now });
    assert.ok(seen.length > 300, 'the scan did sample');
    const reviewed = datasetSchema.parse(proposal.dataset);
    // A changed schema, so the diff has something to say about personal columns.
    const db = new Database(file);
    db.exec('ALTER TABLE customers ADD COLUMN mobile TEXT');
    db.exec('CREATE TABLE newsletter (id INTEGER PRIMARY KEY, email TEXT NOT NULL)');
    db.prepare('update customers set mobile = phone').run();
    db.prepare('insert into newsletter select id, email from customers').run();
    db.close();
    const fresh = await scanSystem(connectorFor(file, seen), { now });
    const warnings = diffDataset(reviewed, fresh);
    assert.ok(warnings.some((w) => w.code === 'discovery.new_personal_column'));

    // A sampler whose error quotes a value, as some drivers' messages do.
    const failing = await proposeDataset(
      introspection,
      (_t, column) =>
        Promise.reject(
          column === 'email'
            ? new ConnectorError('shop', 'failed', 'invalid byte in "zq.person1@leakcheck.example"')
            : new Error('value zq.person2@leakcheck.example is bad'),
        ),
      { now },
    );
    assert.ok(failing.notes.some((n) => n.code === 'discovery.sample_failed'));

    const output = [
      JSON.stringify(proposal.dataset),
      JSON.stringify(proposal.notes),
      JSON.stringify(proposal.fields),
      JSON.stringify([...proposal.erasureReasons]),
      proposalToYaml(proposal, now),
      proposalToYaml(fresh.proposal, now),
      JSON.stringify(warnings),
      JSON.stringify(failing),
      proposalToYaml(failing, now),
    ].join('\n');
    const distinct = [...new Set(seen)].filter((v) => v.length >= 4);
    assert.ok(distinct.length > 200);
    const leaked = distinct.filter((v) => output.includes(v));
    assert.deepEqual(leaked, []);
    for (const marker of ['leakcheck', 'Qvarnström', 'Xanthia', 'Leakgatan', 'Zqstad', 'tok-zq', 'doorbell'])
      assert.ok(!output.includes(marker), marker);
  });
});
