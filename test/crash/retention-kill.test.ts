/**
 * A retention sweep whose worker process is killed with SIGKILL again and again ends as an
 * uninterrupted one would: real `steward start --role worker` processes sweep a rule over
 * Steward's store in small batches, are killed mid-run, and the next one continues at the cursor
 * the last committed batch left. Nothing a legal hold covers is deleted (holds placed before the
 * run, between two workers, and while a worker runs), progress is never lost or counted twice,
 * and the run ends with exactly one receipt, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { systemActor } from '../../src/access/actor.js';
import { rolePermissions } from '../../src/access/roles.js';
import { captureRecord } from '../../src/capture/capture-record.js';
import { placeLegalHold } from '../../src/retention/holds.js';
import { startRetentionRuns } from '../../src/retention/operate.js';
import type { RunView } from '../../src/retention/runs.js';
import { loadRun, viewOf } from '../../src/retention/runs.js';
import { verifyLedger } from '../../src/audit/ledger.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { killAll, startWorker, until } from '../support/worker-process.js';
import { dialects, startTestApp } from '../support/app.js';
import { cliEnv } from '../support/cli.js';
import { daysAgo } from '../support/clock.js';

const D = 'sncn-general';
const PEOPLE = 40;
const RECORDS_EACH = 10;
const BATCH = 5;

const officer = { ...systemActor('test'), permissions: new Set(rolePermissions.privacy_officer) };

for (const dialect of await dialects()) {
  describe(`retention sweep killed mid-run on ${dialect}`, () => {
    test(
      'C10.1 a sweep whose worker is SIGKILLed mid-run resumes at its cursor: every unheld expired record goes once, nothing held goes, counts and one receipt match',
      { timeout: 300_000 },
      async (t) => {
        const app = await startTestApp(dialect);
        const workers: WorkerProcess[] = [];
        t.after(async () => {
          await killAll(workers.map((w) => w.child));
          await app.close();
        });
        // Person p's records expired p days apart, so the sweep meets the people in order.
        const subjects: string[] = [];
        const records = new Map<string, string[]>();
        for (let p = 0; p < PEOPLE; p++) {
          const ids: string[] = [];
          for (let r = 0; r < RECORDS_EACH; r++) {
            const captured = await captureRecord(app.ctx, officer, {
              declarationId: D,
              subject: { identifiers: [{ kind: 'email', value: `kill-${p}@example.org` }] },
              kind: 'support_interaction',
              purposes: ['staff_training_qa'],
              categories: ['user.name', 'user.content.communication'],
              source: 'customer_support',
              collectedAt: daysAgo(2000 - p * 20 - r).toISOString(),
              data: { name: `Person ${p}`, message: 'Call back' },
            });
            ids.push(captured.id);
          }
          subjects.push(
            (
              await app.ctx.store.db
                .selectFrom('records')
                .select('subject_id')
                .where('tenant', '=', '')
                .where('id', '=', ids[0]!)
                .executeTakeFirstOrThrow()
            ).subject_id,
          );
          records.set(subjects[p]!, ids);
        }
        const fresh = await captureRecord(app.ctx, officer, {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'fresh@example.org' }] },
          kind: 'support_interaction',
          purposes: ['staff_training_qa'],
          categories: ['user.name'],
          source: 'customer_support',
          data: { name: 'Fresh' },
        });
        const hold = (p: number) =>
          placeLegalHold(app.ctx, officer, subjects[p]!, { reason: `Court order concerning person ${p}` });
        // Held from the start: one early, one in the middle.
        const heldBefore = [await hold(3), await hold(20)];

        const { runs } = await startRetentionRuns(app.ctx, officer, { rule: 'training_samples' });
        const runId = runs[0]!.id;
        const env = {
          ...cliEnv(app),
          STEWARD_RETENTION_BATCH_SIZE: String(BATCH),
          STEWARD_RETENTION_PAUSE_MS: '20',
          STEWARD_WORKER_CONCURRENCY: '1',
        };
        const progress = async (): Promise<RunView> => viewOf((await loadRun(app.ctx.store.db, runId))!);
        const lapseLeases = () =>
          app.ctx.store.db
            .updateTable('jobs')
            .set({ lease_expires_at: '2000-01-01T00:00:00.000Z' })
            .where('status', '=', 'running')
            .execute();

        const seen: RunView[] = [];
        const kills: number[] = [];
        const heldBetween: string[] = [];
        let heldDuring = '';
        for (const target of [8, 24, 40, 56]) {
          const worker = startWorker(env);
          workers.push(worker);
          await until(
            `the run past ${target} batches`,
            120_000,
            async () => {
              const now = await progress();
              // While this worker sweeps, a hold on one of the last people.
              if (heldDuring === '' && now.batches >= 30) heldDuring = (await hold(PEOPLE - 2)).id;
              return now.batches >= target || now.status === 'done';
            },
            worker.output,
          );
          await killAll([worker.child]);
          const at = await progress();
          if (at.status === 'running') kills.push(at.batches);
          seen.push(at);
          // Between two workers, a hold on a person the sweep has not reached yet.
          if (heldBetween.length === 0) heldBetween.push((await hold(PEOPLE - 5)).id);
          await lapseLeases();
        }
        const last = startWorker(env);
        workers.push(last);
        await until(
          'the run to end',
          120_000,
          async () => (await progress()).status !== 'running',
          last.output,
        );
        await killAll([last.child]);
        assert.ok(kills.length >= 2, `killed mid-run only ${kills.length} times (${kills.join(', ')})`);

        const run = await progress();
        assert.equal(run.status, 'done', run.error ?? '');
        for (let i = 1; i < seen.length; i++)
          assert.ok(seen[i]!.deleted >= seen[i - 1]!.deleted, 'progress never goes back after a kill');

        const held = new Set([3, 20, PEOPLE - 5, PEOPLE - 2].map((p) => subjects[p]!));
        const left = new Set(
          (await app.ctx.store.db.selectFrom('records').select('id').where('tenant', '=', '').execute()).map(
            (r) => r.id,
          ),
        );
        for (const [subject, ids] of records)
          for (const id of ids)
            assert.equal(
              left.has(id),
              held.has(subject),
              `record of ${held.has(subject) ? 'a held' : 'an unheld'} person`,
            );
        assert.ok(left.has(fresh.id), 'a record that has not expired stays');
        assert.equal(run.deleted, (PEOPLE - held.size) * RECORDS_EACH, 'each deleted record counted once');
        assert.equal(run.held, held.size * RECORDS_EACH, 'each held record counted once');
        const holds = [...heldBefore.map((h) => h.id), ...heldBetween, heldDuring];
        assert.deepEqual(Object.keys(run.holds).sort(), [...holds].sort());
        for (const id of holds) assert.equal(run.holds[id], RECORDS_EACH);
        assert.equal(run.batches, Math.ceil((PEOPLE * RECORDS_EACH) / BATCH) + 1, 'no batch was done twice');

        const receipts = await app.ctx.store.db
          .selectFrom('audit_log')
          .select(['seq', 'details'])
          .where('action', '=', 'retention.swept')
          .execute();
        const mine = receipts.filter((r) => (JSON.parse(r.details) as { run: string }).run === runId);
        assert.equal(mine.length, 1, 'one receipt');
        assert.equal(mine[0]?.seq, run.receiptSeq);
        assert.equal((await verifyLedger(app.ctx.store)).ok, true);
        t.diagnostic(`killed at batches ${kills.join(', ')}; ${run.batches} batches in all`);
      },
    );
  });
}
