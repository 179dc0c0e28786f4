/**
 * How a connected system's part of the access package is read (`heldCollections`,
 * `collectionSection`), on a real SQLite database with the contract suite's shop: a person whose
 * rows fit in first pages costs one read per collection and no count; a person with more is
 * counted once, and every row reaches the section exactly once, whether its first page was kept
 * or let go.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Connector, Seeds } from '../connectors/contract.js';
import { fixtureStatements, shopDataset } from '../connectors/contract-suite.js';
import { createSqliteConnector } from '../connectors/sqlite/index.js';
import { collectionSection, heldCollections } from './connected-data.js';

const alice: Seeds = { identities: [{ kind: 'email', value: 'alice@example.com' }] };
const dave: Seeds = { identities: [{ kind: 'customer', value: 'C-1004' }] };

let dir: string;
let connector: Connector;
/** The connector, with its `count` calls counted. */
let observed: Connector & { counts: number };

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-connected-'));
  const path = join(dir, 'shop.db');
  const db = new Database(path);
  for (const statement of fixtureStatements('sqlite')) db.exec(statement);
  // Dave: 6,000 order lines on his order 40, more than a first page.
  db.exec(
    `WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < 5999)
     INSERT INTO order_lines (id, order_id, product, quantity, note) SELECT 10000 + n, 40, 'bulk', 1, NULL FROM g`,
  );
  db.close();
  connector = createSqliteConnector({ system: 'shop', url: `sqlite:${path}` }, shopDataset(), {
    hash: Buffer.alloc(32, 3),
  });
  observed = {
    ...connector,
    counts: 0,
    count(seeds) {
      observed.counts += 1;
      return connector.count(seeds);
    },
  };
});

after(async () => {
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (rows: readonly Record<string, unknown>[]) => rows.map((r) => Number(r.id));

test('C9.2 rows that fit in first pages are read once per collection and counted from them, without a count', async () => {
  observed.counts = 0;
  const held = await heldCollections(observed, alice);
  assert.equal(observed.counts, 0);
  assert.deepEqual(
    Object.fromEntries(held.map((h) => [h.collection.name, h.count])),
    Object.fromEntries(await connector.count(alice)),
  );
  const tickets = held.find((h) => h.collection.name === 'tickets')!;
  const section = collectionSection(observed, alice, tickets, { systemName: 'Shop', lang: 'en' });
  assert.equal(section.id, 'systems/shop/tickets');
  assert.equal(section.count, 4);
  const pages = [];
  for await (const page of section.pages({ pageSize: 3 })) pages.push(ids(page));
  assert.deepEqual(pages, [[500, 501, 502], [503]]);
});

test('C9.2 a collection with more than a first page is counted once, and its section gives every row once, in key order', async () => {
  for (const kept of [undefined, { rows: 4_900 }]) {
    observed.counts = 0;
    const held = await heldCollections(observed, dave, kept === undefined ? {} : { kept });
    assert.equal(observed.counts, 1);
    const lines = held.find((h) => h.collection.name === 'order_lines')!;
    assert.equal(lines.count, 6_000);
    // Past the budget of kept rows, the first page is let go and read again.
    assert.equal(lines.first === undefined, kept !== undefined);
    const section = collectionSection(observed, dave, lines, { systemName: 'Shop', lang: 'en' });
    const seen: number[] = [];
    for await (const page of section.pages()) {
      assert.ok(page.length <= 500);
      seen.push(...ids(page));
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 6_000 }, (_, i) => 10_000 + i),
    );
    // A reader that wants only the first rows (the package's page to read) stops early.
    let firstRows: readonly Record<string, unknown>[] = [];
    for await (const page of section.pages({ pageSize: 20 })) {
      firstRows = page;
      break;
    }
    assert.deepEqual(
      ids(firstRows),
      Array.from({ length: 20 }, (_, i) => 10_000 + i),
    );
  }
});
