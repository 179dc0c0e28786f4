/**
 * Several real worker processes on one PostgreSQL store run the daily retention schedule: one of
 * them asks for a run of every rule, all of them take runs, and leases are made to lapse while
 * their workers still run, so two live workers carry on the same run at once. Every batch is done
 * once: each run's counts are exactly the rows its rule had to remove, its batch count is what
 * one worker alone would need, and it has one receipt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemActor } from '../../src/access/actor.js';
import { rolePermissions } from '../../src/access/roles.js';
import { captureRecord } from '../../src/capture/capture-record.js';
import { viewOf } from '../../src/retention/runs.js';
import { verifyLedger } from '../../src/audit/ledger.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { killAll, startWorker, until } from '../support/worker-process.js';
import { startTestApp } from '../support/app.js';
import { cliEnv } from '../support/cli.js';
import { daysAgo } from '../support/clock.js';
import { postgresUrl, serviceAvailable } from '../support/services.js';

const D = 'sncn-general';
const BATCH = 4;
const WORKERS = 3;
const officer = { ...systemActor('test'), permissions: new Set(rolePermissions.privacy_officer) };

/** Rules with data to sweep: the purpose, categories and source a record of each has, and how many. */
const rules = {
  training_samples: {
    purpose: 'staff_training_qa',
    categories: ['user.name'],
    source: 'customer_support',
    n: 37,
  },
  enquiries: { purpose: 'enquiries', categories: ['user.name'], source: 'website_forms', n: 29 },
  security_logs: {
    purpose: 'security_monitoring',
    categories: ['user.account.username'],
    source: 'partner_account',
    n: 33,
  },
  fraud_checks: {
    purpose: 'fraud_prevention',
    categories: ['user.financial.purchase_history'],
    source: 'partner_account',
    n: 26,
  },
  survey_answers: { purpose: 'surveys', categories: ['user.content.survey'], source: 'surveys', n: 31 },
} as const;

test(
  'C10.1 several workers on PostgreSQL run the schedule and share the runs; each batch is done once, even by two workers on one run',
  { timeout: 300_000, skip: !(await serviceAvailable('PostgreSQL', postgresUrl)) },
  async (t) => {
    const app = await startTestApp('postgres');
    const workers: WorkerProcess[] = [];
    t.after(async () => {
      await killAll(workers.map((w) => w.child));
      await app.close();
    });
    let person = 0;
    for (const [rule, r] of Object.entries(rules))
      for (let i = 0; i < r.n; i++)
        await captureRecord(app.ctx, officer, {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: `${rule}-${(person += 1)}@example.org` }] },
          kind: 'note',
          purposes: [r.purpose],
          categories: [...r.categories],
          source: r.source,
          collectedAt: daysAgo(1500 - i).toISOString(),
          data: { note: `n${i}` },
        });

    const env = {
      ...cliEnv(app),
      STEWARD_RETENTION_BATCH_SIZE: String(BATCH),
      STEWARD_RETENTION_PAUSE_MS: '15',
      STEWARD_WORKER_CONCURRENCY: '2',
    };
    for (let i = 0; i < WORKERS; i++) workers.push(startWorker(env));
    const output = () => workers.map((w, i) => `--- worker ${i}\n${w.output()}`).join('\n');

    // Who holds each run's job, as seen while they work. Each job's lease is made to lapse once
    // (more would use up its attempts), so another worker takes it over while the first goes on.
    const owners = new Map<string, Set<string>>();
    const lapsed = new Set<string>();
    const db = app.ctx.store.db;
    await until(
      'every rule with data swept',
      240_000,
      async () => {
        const running = await db
          .selectFrom('jobs')
          .select(['id', 'lease_owner'])
          .where('type', '=', 'retention.sweep')
          .where('status', '=', 'running')
          .execute();
        for (const job of running) {
          if (job.lease_owner === null) continue;
          const seen = owners.get(job.id) ?? new Set<string>();
          seen.add(job.lease_owner);
          owners.set(job.id, seen);
        }
        const fresh = running.filter((j) => !lapsed.has(j.id)).map((j) => j.id);
        if (fresh.length > 0) {
          for (const id of fresh) lapsed.add(id);
          await db
            .updateTable('jobs')
            .set({ lease_expires_at: '2000-01-01T00:00:00.000Z' })
            .where('id', 'in', fresh)
            .where('status', '=', 'running')
            .execute();
        }
        const runs = await db.selectFrom('retention_runs').select(['rule_id', 'status']).execute();
        return (
          Object.keys(rules).every((rule) => runs.some((r) => r.rule_id === rule)) &&
          runs.every((r) => r.status === 'done' || r.status === 'failed')
        );
      },
      output,
    );

    const runs = (await db.selectFrom('retention_runs').selectAll().execute()).map(viewOf);
    assert.ok(runs.length >= Object.keys(rules).length, 'the schedule asked for a run of every rule');
    assert.equal(
      new Set(runs.map((r) => `${r.ruleId}@${r.system}`)).size,
      runs.length,
      'one run per rule and system, though every worker scheduled',
    );
    for (const run of runs)
      assert.equal(run.status, 'done', `${run.ruleId}: ${run.error ?? ''}\n${output()}`);
    for (const [rule, r] of Object.entries(rules)) {
      const run = runs.find((x) => x.ruleId === rule)!;
      const removed = run.deleted + run.anonymised;
      assert.equal(removed, r.n, `${rule}: every expired record counted once`);
      const records = run.collections['records']!;
      const others = Object.keys(run.collections).length - 1;
      assert.equal(
        run.batches,
        Math.floor(r.n / BATCH) + 1 + others,
        `${rule}: as many batches as one worker alone would need`,
      );
      assert.equal(records.held, 0);
    }
    const left = await db
      .selectFrom('records')
      .select('id')
      .where('tenant', '=', '')
      .where('subject_id', '!=', '00000000-0000-4000-8000-000000000000')
      .execute();
    assert.equal(left.length, 0, 'nothing expired is left (anonymised surveys are no one’s)');
    const receipts = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'retention.swept')
      .execute();
    const perRun = new Map<string, number>();
    for (const r of receipts) {
      const run = (JSON.parse(r.details) as { run: string }).run;
      perRun.set(run, (perRun.get(run) ?? 0) + 1);
    }
    for (const run of runs) assert.equal(perRun.get(run.id), 1, `${run.ruleId}: one receipt`);
    assert.equal((await verifyLedger(app.ctx.store)).ok, true);

    const allOwners = new Set([...owners.values()].flatMap((s) => [...s]));
    const shared = [...owners.values()].filter((s) => s.size > 1).length;
    assert.ok(allOwners.size >= 2, `several workers took runs (${[...allOwners].join(', ')})`);
    assert.ok(shared >= 1, 'some run was carried on by two workers at once after its lease lapsed');
    t.diagnostic(
      `${runs.length} runs by ${allOwners.size} workers; ${shared} runs changed hands while running`,
    );
  },
);
