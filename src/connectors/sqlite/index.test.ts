/**
 * The SQLite connector: the contract suite on a temporary database file, and what is particular
 * to SQLite (the file must exist, only the connection's settings change, foreign keys hold).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Row } from '../contract.js';
import { ConnectorError } from '../contract.js';
import { fixtureStatements, runContractSuite, shopDataset } from '../contract-suite.js';
import type { ContractTarget } from '../contract-suite.js';
import { runSweepSuite } from '../sweep-suite.js';
import { connectorFactories } from '../registry.js';
import { createSqliteConnector } from './index.js';

const keys = { hash: Buffer.alloc(32, 1) };

async function createTarget(): Promise<ContractTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-sqlite-'));
  const path = join(dir, 'shop.db');
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  return {
    dialect: 'sqlite',
    factory: createSqliteConnector,
    settings: { system: 'shop', url: `sqlite:${path}` },
    unreachable: { system: 'shop', url: `sqlite:${join(dir, 'missing', 'shop.db')}` },
    secrets: [path],
    exec: (sql) => {
      db.exec(sql);
      return Promise.resolve();
    },
    query: (sql) => Promise.resolve(db.prepare(sql).all() as Row[]),
    drop: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

runContractSuite({ name: 'sqlite', create: createTarget });
runSweepSuite({ name: 'sqlite', create: createTarget });

test('sqlite is registered as a connector kind', () => {
  assert.equal(connectorFactories.sqlite, createSqliteConnector);
});

test('a bad SQLite URL is refused without showing it', () => {
  for (const url of [
    'postgres://u:pw@h/db',
    'sqlite:',
    'sqlite::memory:',
    'sqlite:file:x.db?mode=ro',
    'sqlite:a\0b',
  ]) {
    assert.throws(
      () => createSqliteConnector({ system: 'shop', url }, shopDataset(), keys),
      (error: unknown) =>
        error instanceof ConnectorError &&
        error.code === 'refused' &&
        (url === 'sqlite:' || !error.message.includes(url)) &&
        !error.message.includes('pw'),
    );
  }
});

test('a missing database file is reported by check() and never created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-sqlite-'));
  try {
    const path = join(dir, 'nope.db');
    const connector = createSqliteConnector({ system: 'shop', url: `sqlite:${path}` }, shopDataset(), keys);
    const result = await connector.check();
    assert.equal(result.ok, false);
    if (!result.ok) assert.ok(!result.error.includes(path));
    await connector.close();
    assert.equal(existsSync(path), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("only the connection's settings change: the file's journal mode stays; foreign keys hold for Steward's deletes", async () => {
  const target = await createTarget();
  try {
    for (const statement of fixtureStatements('sqlite')) await target.exec(statement);
    await target.exec('PRAGMA journal_mode = DELETE');
    const connector = createSqliteConnector(target.settings, shopDataset(), keys);
    const alice = { identities: [{ kind: 'email' as const, value: 'alice@example.com' }] };
    assert.equal((await connector.check()).ok, true);
    // Invoices are kept with ON DELETE RESTRICT: deleting their customer is refused, and nothing changes.
    await assert.rejects(
      connector.change(alice, 'customers', { action: 'delete' }),
      (error: unknown) => error instanceof ConnectorError && error.code === 'constraint',
    );
    assert.equal((await connector.count(alice)).get('customers'), 1);
    await connector.close();
    assert.equal(
      ((await target.query('PRAGMA journal_mode')) as { journal_mode: string }[])[0]?.journal_mode,
      'delete',
    );
  } finally {
    await target.drop();
  }
});

test('a batch that fails rolls back, leaving the earlier batches committed', async () => {
  const target = await createTarget();
  try {
    for (const statement of fixtureStatements('sqlite')) await target.exec(statement);
    // Order 11's lines cannot be deleted: a trigger refuses it; 102 is the highest key, so the
    // first batch (newest first) fails and nothing at all is deleted.
    await target.exec(
      `CREATE TRIGGER keep_102 BEFORE DELETE ON order_lines WHEN OLD.id = 102 BEGIN SELECT RAISE(ABORT, 'kept'); END`,
    );
    const connector = createSqliteConnector(target.settings, shopDataset(), keys);
    const alice = { identities: [{ kind: 'email' as const, value: 'alice@example.com' }] };
    await assert.rejects(
      connector.change(alice, 'order_lines', { action: 'delete' }, { batchSize: 1 }),
      (error: unknown) => error instanceof ConnectorError,
    );
    assert.equal((await connector.count(alice)).get('order_lines'), 3);
    await target.exec('DROP TRIGGER keep_102');
    await target.exec(
      `CREATE TRIGGER keep_100 BEFORE DELETE ON order_lines WHEN OLD.id = 100 BEGIN SELECT RAISE(ABORT, 'kept'); END`,
    );
    await assert.rejects(connector.change(alice, 'order_lines', { action: 'delete' }, { batchSize: 1 }));
    // 102 and 101 went in their own committed batches; 100's batch rolled back.
    assert.equal((await connector.count(alice)).get('order_lines'), 1);
    await connector.close();
  } finally {
    await target.drop();
  }
});
