import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sqliteConnector } from '../../test/support/discovery.js';
import type { Dataset } from '../connectors/dataset.js';
import { datasetSchema } from '../connectors/dataset.js';
import type { DiscoveryWarning } from './diff.js';
import { diffDataset } from './diff.js';
import { scanSystem } from './propose.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-discovery-diff-'));
const now = new Date('2025-06-01T00:00:00Z');

const ddl = `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  first_name TEXT,
  nickname_old TEXT,
  loyalty_points INTEGER,
  notes TEXT
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,
  total NUMERIC NOT NULL
);
CREATE TABLE legacy_export (id INTEGER PRIMARY KEY, payload TEXT);
`;

async function scan(file: string) {
  const connector = sqliteConnector(file);
  try {
    return await scanSystem(connector, { now });
  } finally {
    await connector.close();
  }
}

function byCode(warnings: readonly DiscoveryWarning[]): Map<string, DiscoveryWarning[]> {
  const out = new Map<string, DiscoveryWarning[]>();
  for (const w of warnings) out.set(w.code, [...(out.get(w.code) ?? []), w]);
  return out;
}

describe('discovery diff', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a schema unchanged since the review gives no findings', async () => {
    const file = join(dir, 'same.db');
    const db = new Database(file);
    db.exec(ddl);
    db.close();
    const first = await scan(file);
    const reviewed: Dataset = datasetSchema.parse(first.proposal.dataset);
    assert.deepEqual(diffDataset(reviewed, await scan(file)), []);
  });

  test('changes since the review, each with its code, severity, place, message and hint', async () => {
    const file = join(dir, 'changed.db');
    let db = new Database(file);
    db.exec(ddl);
    db.close();
    const reviewed: Dataset = datasetSchema.parse((await scan(file)).proposal.dataset);
    // The reviewer decided `notes` holds nothing personal here.
    const customers = reviewed.collections.find((c) => c.name === 'customers')!;
    delete customers.fields.find((f) => f.name === 'notes')!.category;
    delete customers.fields.find((f) => f.name === 'notes')!.mask;

    db = new Database(file);
    db.pragma('foreign_keys = OFF');
    db.exec(`
      ALTER TABLE customers DROP COLUMN nickname_old;
      ALTER TABLE customers ADD COLUMN mobile_phone TEXT;
      ALTER TABLE customers ADD COLUMN shoe_size INTEGER;
      CREATE TABLE orders_new (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER REFERENCES customers(id) ON DELETE RESTRICT,
        total TEXT NOT NULL
      );
      DROP TABLE orders;
      ALTER TABLE orders_new RENAME TO orders;
      DROP TABLE legacy_export;
      CREATE TABLE warehouses (id INTEGER PRIMARY KEY, code TEXT NOT NULL, capacity INTEGER);
      CREATE TABLE newsletter_signups (id INTEGER PRIMARY KEY, email TEXT NOT NULL, signed_up_at TEXT);
    `);
    const insert = db.prepare('insert into customers (id, email, notes) values (?, ?, ?)');
    for (let i = 1; i <= 10; i++) insert.run(i, `p${i}@example.se`, `reach me at p${i}@example.se`);
    db.close();

    const warnings = diffDataset(reviewed, await scan(file));
    const codes = byCode(warnings);
    const one = (code: string) => {
      const list = codes.get(code) ?? [];
      assert.equal(list.length, 1, `${code}: ${JSON.stringify(warnings, null, 2)}`);
      return list[0]!;
    };

    const missingColumn = one('discovery.column_missing');
    assert.deepEqual(
      [missingColumn.severity, missingColumn.collection, missingColumn.field],
      ['error', 'customers', 'nickname_old'],
    );
    const missingTable = one('discovery.table_missing');
    assert.deepEqual([missingTable.severity, missingTable.collection], ['error', 'legacy_export']);

    const personalColumn = one('discovery.new_personal_column');
    assert.deepEqual([personalColumn.severity, personalColumn.field], ['warning', 'mobile_phone']);
    assert.match(personalColumn.message, /user\.contact\.phone_number/);
    const plainColumn = one('discovery.new_column');
    assert.deepEqual([plainColumn.severity, plainColumn.field], ['info', 'shoe_size']);

    const personalTable = one('discovery.new_personal_table');
    assert.deepEqual([personalTable.severity, personalTable.collection], ['warning', 'newsletter_signups']);
    const plainTable = one('discovery.new_table');
    assert.deepEqual([plainTable.severity, plainTable.collection], ['info', 'warehouses']);

    const type = one('discovery.type_changed');
    assert.deepEqual([type.collection, type.field], ['orders', 'total']);
    assert.match(type.message, /now TEXT; the dataset says NUMERIC/);
    const reference = one('discovery.reference_changed');
    assert.deepEqual(
      [reference.severity, reference.collection, reference.field],
      ['warning', 'orders', 'customer_id'],
    );
    assert.match(reference.message, /ON DELETE restrict.*ON DELETE cascade/);

    const unlabelled = one('discovery.unlabelled_personal_column');
    assert.deepEqual([unlabelled.collection, unlabelled.field], ['customers', 'notes']);

    for (const w of warnings) {
      assert.ok(w.message.length > 0 && w.hint.length > 0, w.code);
      assert.ok(!`${w.message} ${w.hint}`.includes('@example.se'), 'no sampled value in a finding');
    }
  });
});
