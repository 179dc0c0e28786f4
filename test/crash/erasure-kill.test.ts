/**
 * An erasure whose worker process is killed with SIGKILL mid-step ends exactly as an
 * uninterrupted one: a real `steward start --role worker` process runs the request's steps
 * against a company SQLite database, is killed after some batches of a step have committed,
 * restarted, and so on until the request completes. Its end state is compared with the same
 * request run without a kill on an identical copy of the company database, under the same
 * secret (so keyed hashes match).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import type { TestApp } from '../support/app.js';
import { referenceDeclaration, startTestApp } from '../support/app.js';
import { exited, killAll, startWorker, until } from '../support/worker-process.js';

const D = 'sncn-general';
/** Alice's rows per collection, and rows per batch: 30 batches per step. */
const ROWS = 300;
const BATCH = 10;

const SCHEMA = `
  create table customers (id integer primary key, email text not null unique, full_name text not null);
  create table order_lines (id integer primary key,
    customer_id integer not null references customers(id) on delete cascade, sku text not null);
  create table invoices (id integer primary key,
    customer_id integer not null references customers(id) on delete restrict, invoice_no text not null,
    billing_name text not null, phone text not null, note text not null, amount real not null);
`;

const DATASET = `steward: 1
kind: dataset
system: crm
reviewed: { by: Test Reviewer, on: '2026-11-30' }
collections:
  - name: customers
    primaryKey: [id]
    erasure: { action: mask }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: email, type: TEXT, nullable: false, category: user.contact.email, identity: email, normalised: true, mask: format }
      - { name: full_name, type: TEXT, nullable: false, category: user.name, mask: fixed }
  - name: order_lines
    primaryKey: [id]
    erasure: { action: delete }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: customer_id, type: INTEGER, nullable: false, references: { collection: customers, field: id, onDelete: cascade } }
      - { name: sku, type: TEXT, nullable: false, category: user.financial.purchase_history }
  - name: invoices
    primaryKey: [id]
    purposes: [b2b_service_provision, bookkeeping]
    erasure: { action: keep, purpose: bookkeeping }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: customer_id, type: INTEGER, nullable: false, references: { collection: customers, field: id, onDelete: restrict } }
      - { name: invoice_no, type: TEXT, nullable: false }
      - { name: billing_name, type: TEXT, nullable: false, category: user.name }
      - { name: phone, type: TEXT, nullable: false, category: user.contact.phone_number, mask: hash }
      - { name: note, type: TEXT, nullable: false, category: user.job_title, mask: random }
      - { name: amount, type: REAL, nullable: false, category: user.financial.purchase_history }
`;

function declaration(dir: string): string {
  mkdirSync(join(dir, 'datasets'), { recursive: true });
  const file = join(dir, 'declaration.yaml');
  writeFileSync(
    file,
    `${readFileSync(referenceDeclaration, 'utf8').trimEnd()}\n\nsystems:
  - id: crm
    name: { en: CRM, sv: CRM }
    kind: sqlite
    operator: self
    purposes: [b2b_service_provision, bookkeeping]
    hosting: { country: SE }
    owner: crm-team@example.com
`,
  );
  writeFileSync(join(dir, 'datasets', 'crm.yaml'), DATASET);
  return file;
}

/** Alice (customer 1) with ROWS lines and invoices; Bob (2), the decoy, with a few. */
function companyDatabase(path: string): void {
  const db = new SQLite(path);
  db.exec(SCHEMA);
  const add = (id: number, email: string, name: string, rows: number) => {
    db.prepare('insert into customers values (?, ?, ?)').run(id, email, name);
    for (let i = 0; i < rows; i++) {
      const n = id * 10_000 + i;
      db.prepare('insert into order_lines values (?, ?, ?)').run(n, id, `SKU-${i}`);
      db.prepare('insert into invoices values (?, ?, ?, ?, ?, ?, ?)').run(
        n,
        id,
        `INV-${n}`,
        name,
        `+4670${String(n).padStart(7, '0')}`,
        `Call after ${i} pm`,
        10 + i,
      );
    }
  };
  db.transaction(() => {
    add(1, 'alice@example.com', 'Alice Andersson', ROWS);
    add(2, 'bob@example.com', 'Bob Berg', 5);
  })();
  db.close();
}

const dump = (path: string) => {
  const db = new SQLite(path, { readonly: true });
  try {
    return {
      customers: db.prepare('select * from customers order by id').all() as Record<string, unknown>[],
      order_lines: db.prepare('select * from order_lines order by id').all() as Record<string, unknown>[],
      invoices: db.prepare('select * from invoices order by id').all() as Record<string, unknown>[],
    };
  } finally {
    db.close();
  }
};

interface Run {
  readonly app: TestApp;
  readonly company: string;
  readonly requestId: string;
  readonly env: Record<string, string>;
}

/** A Steward store with one approved erasure for Alice, planned by no one yet. */
async function prepare(dir: string, secret: Buffer): Promise<Run> {
  const company = join(dir, 'crm.db');
  companyDatabase(company);
  const file = declaration(dir);
  const app = await startTestApp('sqlite', {
    declarations: [file],
    config: { secret, systems: new Map([['crm', { system: 'crm', url: `sqlite:${company}` }]]) },
  });
  const headers = {
    cookie: (await app.signInAs('privacy_officer')).cookie,
    'content-type': 'application/json',
  };
  const res = await app.request({
    method: 'POST',
    url: '/api/v1/requests',
    headers,
    payload: {
      declarationId: D,
      type: 'erasure',
      channel: 'post',
      language: 'en',
      requester: { identifiers: [{ kind: 'email', value: 'alice@example.com' }] },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const requestId = res.json<{ id: string }>().id;
  await new Worker(app.ctx, jobDefinitions).drain();
  const ok = await app.request({
    method: 'POST',
    url: `/api/v1/requests/${requestId}/approve`,
    headers,
    payload: { note: 'Signed letter matched the address on file' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const env = {
    STEWARD_DATA_DIR: app.config.dataDir,
    STEWARD_DATABASE_URL: app.config.databaseUrl,
    STEWARD_SECRET: secret.toString('base64'),
    STEWARD_DECLARATIONS: file,
    STEWARD_SYSTEM_CRM_URL: `sqlite:${company}`,
    STEWARD_EXECUTION_BATCH_SIZE: String(BATCH),
    STEWARD_WORKER_CONCURRENCY: '1',
  };
  return { app, company, requestId, env };
}

interface StepState {
  key: string;
  status: string;
  attempts: number;
  progress: string | null;
  result: string | null;
}
const stepsOf = (run: Run) =>
  run.app.ctx.store.db
    .selectFrom('request_steps')
    .select(['key', 'status', 'attempts', 'progress', 'result'])
    .where('request_id', '=', run.requestId)
    .orderBy('position')
    .execute() as Promise<StepState[]>;
const statusOf = async (run: Run) =>
  (
    await run.app.ctx.store.db
      .selectFrom('requests')
      .select('status')
      .where('id', '=', run.requestId)
      .executeTakeFirstOrThrow()
  ).status;

test(
  'C9.2 an erasure whose worker is SIGKILLed mid-step ends as an uninterrupted one: rows, receipt and step counts identical, hashes applied once, the decoy untouched',
  { timeout: 240_000 },
  async (t) => {
    const secret = Buffer.alloc(32, 7);
    const dirs = [
      mkdtempSync(join(tmpdir(), 'steward-kill-a-')),
      mkdtempSync(join(tmpdir(), 'steward-kill-b-')),
    ];
    const children: ChildProcess[] = [];
    const runs: Run[] = [];
    t.after(async () => {
      await killAll(children);
      for (const r of runs) await r.app.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
    const killed = await prepare(dirs[0]!, secret);
    const calm = await prepare(dirs[1]!, secret);
    runs.push(killed, calm);
    const before = dump(killed.company);

    // Uninterrupted: one worker until the request completes.
    const started = Date.now();
    const w = startWorker(calm.env);
    children.push(w.child);
    await until(
      'the uninterrupted request',
      120_000,
      async () => (await statusOf(calm)) === 'completed',
      w.output,
    );
    const calmMs = Date.now() - started;
    w.child.kill('SIGKILL');
    await exited(w.child);

    // Interrupted: killed once a change step has committed some batches (never the same count).
    const kills: string[] = [];
    // Kills in the delete step and in the kept collection's hash and random masks.
    const targets: [string, number][] = [
      ['order_lines', 3],
      ['order_lines', 17],
      ['invoices', 2],
      ['invoices', 9],
      ['invoices', 16],
      ['invoices', 27],
    ];
    for (const [collection, batches] of targets) {
      const worker = startWorker(killed.env);
      children.push(worker.child);
      let hit = '';
      await until(
        `${collection} past ${batches} batches`,
        60_000,
        async () => {
          const steps = await stepsOf(killed);
          const step = steps.find((s) => s.key.startsWith(`crm:${collection}:`));
          const n = step?.progress == null ? 0 : (JSON.parse(step.progress) as { batches: number }).batches;
          if (step?.status === 'running' && n >= batches) hit = `${step.key}@${n}`;
          return hit !== '' || step?.status === 'done' || (await statusOf(killed)) === 'completed';
        },
        worker.output,
      );
      worker.child.kill('SIGKILL');
      await exited(worker.child);
      if (hit !== '') kills.push(hit);
      // The dead worker's lease would lapse after a minute; let it lapse now.
      await killed.app.ctx.store.db
        .updateTable('jobs')
        .set({ lease_expires_at: '2000-01-01T00:00:00.000Z' })
        .where('status', '=', 'running')
        .execute();
    }
    if ((await statusOf(killed)) !== 'completed') {
      const last = startWorker(killed.env);
      children.push(last.child);
      await until(
        'the interrupted request',
        120_000,
        async () => (await statusOf(killed)) === 'completed',
        last.output,
      );
      last.child.kill('SIGKILL');
      await exited(last.child);
    }
    assert.ok(
      // The targets aim at both steps; a busy machine can let a step run out between two polls, so
      // the test asks for two kills mid-step at least. The contract suite's `resume` case covers
      // a kill between the company's COMMIT and the progress write on every connector.
      kills.length >= 2,
      `killed mid-step only ${kills.length} times: ${kills.join(', ')}; steps ${JSON.stringify(await stepsOf(calm))}`,
    );

    // The company databases: identical but for random values, which changed and kept their length.
    const a = dump(killed.company);
    const b = dump(calm.company);
    const withoutNote = (rows: Record<string, unknown>[]) => rows.map(({ note: _, ...r }) => r);
    assert.deepEqual(a.customers, b.customers);
    assert.deepEqual(a.order_lines, b.order_lines);
    assert.deepEqual(withoutNote(a.invoices), withoutNote(b.invoices));
    assert.equal(a.order_lines.filter((r) => r.customer_id === 1).length, 0);
    for (const [i, row] of a.invoices.entries()) {
      const was = before.invoices[i]!;
      if (row.customer_id === 2) {
        assert.deepEqual(row, was, 'the decoy is untouched');
        continue;
      }
      assert.notEqual(row.note, was.note);
      assert.equal(String(row.note).length, String(was.note).length);
      assert.match(String(row.phone), /^[0-9a-f]{64}$/);
    }
    assert.deepEqual(a.customers[1], before.customers[1], 'the decoy customer is untouched');
    assert.equal(a.order_lines.filter((r) => r.customer_id === 2).length, 5);

    // Every step done once, with the same counts; the receipts say the same.
    const results = async (run: Run) =>
      (await stepsOf(run)).map((s) => ({
        key: s.key,
        status: s.status,
        result: JSON.parse(s.result ?? 'null') as unknown,
      }));
    assert.deepEqual(await results(killed), await results(calm));
    const receipt = async (run: Run) => {
      const row = await run.app.ctx.store.db
        .selectFrom('request_plans')
        .select('receipt')
        .where('request_id', '=', run.requestId)
        .executeTakeFirstOrThrow();
      const parsed = JSON.parse(row.receipt ?? 'null') as { systems: Record<string, unknown>[] };
      return parsed.systems.map(({ checkedAt: _, ...s }) => s);
    };
    assert.deepEqual(await receipt(killed), await receipt(calm));
    const attempts = (await stepsOf(killed)).reduce((n, s) => n + s.attempts, 0);
    t.diagnostic(
      `kills at ${kills.join(', ')}; uninterrupted run ${calmMs} ms; ${attempts} step attempts for ${(await stepsOf(killed)).length} steps`,
    );
  },
);
