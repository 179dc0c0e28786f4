/**
 * `steward systems list|test` and the dataset part of `steward policy lint`, run as a separate
 * process against a real store, the way an operator runs them.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { connectorFactories } from '../connectors/registry.js';
import type { TestApp } from '../../test/support/app.js';
import { smallShopDeclaration, startTestApp } from '../../test/support/app.js';
import { cliEnv, runCli } from '../../test/support/cli.js';

const SHOP_URL = 'postgres://shop_owner:Cl1-n0t-sh0wn@db.shop.internal:5432/shop';
const leaks = (text: string) => /Cl1-n0t-sh0wn|shop_owner|db\.shop\.internal/.test(text);

describe('steward systems (CLI)', () => {
  let app: TestApp;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'steward-systems-cli-'));

  before(async () => {
    app = await startTestApp('sqlite', { declarations: [smallShopDeclaration] });
    env = { ...cliEnv(app), STEWARD_DECLARATIONS: smallShopDeclaration, STEWARD_SYSTEM_SHOP_URL: SHOP_URL };
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('list: every declared system, whether it is configured, its dataset and who reviewed it', async () => {
    const res = await runCli(['systems', 'list'], env);
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^SYSTEM\s+KIND\s+CONFIGURED\s+DATASET\s+REVIEWED\s+LAST CHECK$/);
    assert.match(lines[1] ?? '', /^crm\s+mariadb\s+no\s+v1\s+Maja Lind on 2025-04-22\s+never$/);
    assert.match(lines[2] ?? '', /^shop\s+postgres\s+yes\s+v1\s+Maja Lind on 2025-04-22\s+never$/);
    assert.match(lines[3] ?? '', /^support\s+sqlite\s+no\s+v1\s+Jonas Berg on 2025-04-23\s+never$/);
    assert.ok(!leaks(res.stdout + res.stderr));

    const json = await runCli(['systems', 'list', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { systems: { id: string; configured: boolean }[] };
    assert.deepEqual(
      parsed.systems.map((s) => [s.id, s.configured]),
      [
        ['crm', false],
        ['shop', true],
        ['support', false],
      ],
    );
    assert.ok(!leaks(json.stdout));
  });

  test('test: a system that cannot be reached exits 1 with the reason and no secret; the check is kept', async () => {
    const unconfigured = await runCli(['systems', 'test', 'crm'], env);
    assert.equal(unconfigured.code, 1);
    assert.match(
      unconfigured.stdout,
      /^crm: FAILED: crm: no connection settings: set STEWARD_SYSTEM_CRM_URL/,
    );

    const shop = await runCli(['systems', 'test', 'shop'], env);
    assert.equal(shop.code, 1);
    assert.match(shop.stdout, /^shop: FAILED: /);
    assert.ok(!leaks(shop.stdout + shop.stderr), shop.stdout + shop.stderr);

    const unknown = await runCli(['systems', 'test', 'warehouse'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /System "warehouse" was not found/);

    const listed = await runCli(['systems', 'list'], env);
    assert.match(listed.stdout, /\ncrm\s.*\d{4}-\d{2}-\d{2}T[\d:.]+Z failed\n/);
  });

  test('test: a reachable SQLite system answers ok with its server version', async (t) => {
    if (connectorFactories['sqlite'] === undefined) {
      t.skip('this build has no sqlite connector (src/connectors/sqlite registers it)');
      return;
    }
    const file = join(dir, 'support.db');
    const db = new Database(file);
    db.exec(
      'create table queues (id integer primary key, name text not null); create table tickets (id integer primary key, requester_email text not null, requester_name text, subject text not null, queue_id integer not null references queues(id), status text not null, opened_at text not null, updated_at text not null); create table messages (id integer primary key, ticket_id integer not null references tickets(id) on delete cascade, direction text not null, body text not null, sent_at text not null);',
    );
    db.close();
    const res = await runCli(['systems', 'test', 'support'], {
      ...env,
      STEWARD_SYSTEM_SUPPORT_URL: `sqlite:${file}`,
    });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /^support: ok, SQLite [\d.]+, \d+ ms$/m);
  });

  test('scan proposes a dataset from the live SQLite file, without a sampled value; diff names what changed', async () => {
    const file = join(dir, 'scanned.db');
    const db = new Database(file);
    db.exec(
      "create table queues (id integer primary key, name text not null); create table tickets (id integer primary key, requester_email text not null, requester_name text, subject text not null, queue_id integer not null references queues(id), status text not null, opened_at text not null); insert into queues values (1, 'General'); insert into tickets values (1, 'ingrid.sample@example.com', 'Ingrid Samplesdotter', 'Where is my parcel', 1, 'open', '2025-01-01');",
    );
    db.close();
    const scanEnv = { ...env, STEWARD_SYSTEM_SUPPORT_URL: `sqlite:${file}` };
    const out = join(dir, 'proposed-support.yaml');
    const scan = await runCli(['systems', 'scan', 'support', '--out', out], scanEnv);
    assert.equal(scan.code, 0, scan.stdout + scan.stderr);
    const proposal = readFileSync(out, 'utf8');
    assert.match(proposal, /name: requester_email.*category: user\.contact\.email, identity: email/);
    assert.match(proposal, /name: queues\n\s+primaryKey: \[ id \]\n\s+reference: true/);
    assert.doesNotMatch(proposal + scan.stdout + scan.stderr, /ingrid|Samplesdotter|parcel/i);

    const diff = await runCli(['systems', 'diff', 'support'], scanEnv);
    assert.equal(diff.code, 1, diff.stdout + diff.stderr);
    assert.match(diff.stdout, /error discovery\.table_missing \[messages\]/);
    assert.doesNotMatch(diff.stdout + diff.stderr, /ingrid|Samplesdotter|parcel/i);
  });

  test('policy lint checks the datasets beside a declaration and fails on their errors', async () => {
    const ok = await runCli(['policy', 'lint', smallShopDeclaration]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    for (const system of ['crm', 'shop', 'support'])
      assert.match(ok.stdout, new RegExp(`datasets/${system}\\.yaml: ok \\(0 errors, 0 warnings\\)`));

    const copy = join(dir, 'shop', 'declaration.yaml');
    mkdirSync(join(dir, 'shop', 'datasets'), { recursive: true });
    copyFileSync(smallShopDeclaration, copy);
    for (const system of ['crm', 'shop']) {
      const from = join(dirname(smallShopDeclaration), 'datasets', `${system}.yaml`);
      copyFileSync(from, join(dir, 'shop', 'datasets', `${system}.yaml`));
    }
    const support = readFileSync(join(dirname(smallShopDeclaration), 'datasets', 'support.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'shop', 'datasets', 'support.yaml'),
      support.replace(/^reviewed: .*\n/m, '').replace('    erasure: { action: delete }\n', ''),
    );
    const bad = await runCli(['policy', 'lint', copy]);
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(
      bad.stdout,
      /datasets\/support\.yaml:\d+ error dataset\.no_erasure_rule \[collections\[0\]\]/,
    );
    assert.match(bad.stdout, /datasets\/support\.yaml:\d+ warning dataset\.unreviewed/);
    assert.match(bad.stdout, /datasets\/support\.yaml: FAILED \(1 error, 1 warning\)/);

    const json = await runCli(['policy', 'lint', '--json', copy]);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      files: { datasets: { issues: { code: string }[] }[] }[];
    };
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.files[0]?.datasets.map((d) => d.issues.map((i) => i.code)),
      [[], [], ['dataset.unreviewed', 'dataset.no_erasure_rule']],
    );
  });
});
