import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { parse, stringify } from 'yaml';
import { placeholderDataset, sqliteConnector } from '../../test/support/discovery.js';
import type { Connector } from '../connectors/contract.js';
import { ConnectorError } from '../connectors/contract.js';
import type { Dataset } from '../connectors/dataset.js';
import { datasetSchema } from '../connectors/dataset.js';
import type { ScanSystems } from './systems-scan-command.js';
import { systemsScanCommands } from './systems-scan-command.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-scan-cli-'));
const database = join(dir, 'shop.db');
{
  const db = new Database(database);
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, full_name TEXT, phone TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id) ON DELETE RESTRICT, total NUMERIC NOT NULL);
    CREATE TABLE log_lines (at TEXT, line TEXT);
  `);
  const insert = db.prepare('insert into customers values (?, ?, ?, ?)');
  for (let i = 1; i <= 20; i++)
    insert.run(i, `cli.person${i}@scan.example`, `Maria Quist${i}`, `+46 70 ${100 + i} 00 11`);
  db.close();
}

/** Runs `steward systems …` in-process against a registry whose connector reads `database`. */
async function run(
  args: string[],
  options: { reviewed?: Dataset; refuse?: boolean; scanner?: boolean } = {},
) {
  let stdout = '';
  let stderr = '';
  let code = -1;
  let scannerUsed = false;
  const opened: Connector[] = [];
  const registry: ScanSystems = {
    connector: (id) => {
      if (options.refuse === true)
        return Promise.reject(
          new ConnectorError(id, 'refused', 'no connection settings: set STEWARD_SYSTEM_SHOP_URL'),
        );
      const connector = sqliteConnector(database, id, options.reviewed ?? placeholderDataset(id));
      opened.push(connector);
      return Promise.resolve(connector);
    },
    ...(options.scanner === true
      ? {
          scanner: (id: string) => {
            scannerUsed = true;
            const connector = sqliteConnector(database, id);
            opened.push(connector);
            return Promise.resolve(connector);
          },
        }
      : {}),
  };
  const program = new Command('steward').exitOverride();
  const systems = program.command('systems');
  systemsScanCommands({
    withSystems: async (fn) => {
      try {
        return await fn(registry);
      } finally {
        await Promise.all(opened.map((c) => c.close()));
      }
    },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    setExitCode: (c) => (code = c),
    clock: () => new Date('2025-06-01T00:00:00Z'),
  })(systems);
  await program.parseAsync(['node', 'steward', 'systems', ...args]);
  return { stdout, stderr, code, scannerUsed };
}

describe('steward systems scan and diff', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('scan writes a proposal that parses as a dataset, and prints its notes, never a sampled value', async () => {
    const out = join(dir, 'shop.yaml');
    const result = await run(['scan', 'shop', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const yaml = readFileSync(out, 'utf8');
    const dataset = datasetSchema.parse(parse(yaml));
    assert.equal(dataset.system, 'shop');
    assert.deepEqual(
      dataset.collections.map((c) => c.name),
      ['customers', 'orders'],
    );
    assert.match(result.stderr, /shop note discovery\.no_primary_key \[log_lines\]/);
    assert.match(result.stderr, /Proposed 2 collections \(0 reference\), \d+ personal fields/);
    for (const text of [yaml, result.stderr]) {
      assert.ok(!text.includes('scan.example'), 'no sampled email');
      assert.ok(!text.includes('Quist'), 'no sampled name');
    }

    const toStdout = await run(['scan', 'shop']);
    assert.equal(toStdout.code, 0);
    assert.deepEqual(datasetSchema.parse(parse(toStdout.stdout)), dataset);
  });

  test('scan never overwrites a reviewed dataset', async () => {
    const file = join(dir, 'reviewed.yaml');
    const reviewed = { ...placeholderDataset('shop'), reviewed: { by: 'Dana', on: '2025-05-01' } };
    writeFileSync(file, stringify(reviewed));
    const result = await run(['scan', 'shop', '--out', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /holds a reviewed dataset; scan never overwrites one/);
    assert.deepEqual(parse(readFileSync(file, 'utf8')), reviewed);
  });

  test('diff prints what changed in the lint style and exits 1; an unchanged schema exits 0', async () => {
    const proposal = await run(['scan', 'shop']);
    const reviewed = datasetSchema.parse({
      ...parse(proposal.stdout),
      reviewed: { by: 'Dana', on: '2025-05-01' },
    });
    const same = await run(['diff', 'shop'], { reviewed });
    assert.equal(same.code, 0, same.stdout);
    assert.match(same.stdout, /^shop: ok \(0 errors, 0 warnings, \d+ info\)$/m);

    const db = new Database(database);
    db.exec('ALTER TABLE customers ADD COLUMN date_of_birth TEXT');
    db.close();
    const changed = await run(['diff', 'shop'], { reviewed });
    assert.equal(changed.code, 1);
    assert.match(
      changed.stdout,
      /shop warning discovery\.new_personal_column \[customers\.date_of_birth\] New column customers\.date_of_birth looks like user\.demographic\.age/,
    );
    assert.match(changed.stdout, /\n {4}fix: Add the field to the dataset/);
    assert.match(changed.stdout, /shop: REVIEW NEEDED \(0 errors, 1 warning/);

    const json = await run(['diff', 'shop', '--json'], { reviewed });
    const report = JSON.parse(json.stdout) as { ok: boolean; warnings: { code: string }[] };
    assert.equal(report.ok, false);
    assert.ok(report.warnings.some((w) => w.code === 'discovery.new_personal_column'));
  });

  test('scan reads a system without a reviewed dataset through the registry’s scanner when it has one', async () => {
    const result = await run(['scan', 'shop'], { refuse: true, scanner: true });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.scannerUsed, true);
    assert.equal(datasetSchema.parse(parse(result.stdout)).system, 'shop');
  });

  test('a system the registry refuses prints the refusal and exits 1', async () => {
    const result = await run(['scan', 'shop'], { refuse: true });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^shop: no connection settings/);
    assert.equal(result.stdout, '');
  });
});
