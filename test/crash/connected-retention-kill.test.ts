/**
 * A retention sweep of a connected system (Nordkust's customer register on MariaDB) whose worker
 * process is killed with SIGKILL again and again ends as an uninterrupted one would: real
 * `steward start --role worker` processes sweep the register in batches of two, are killed
 * mid-run (mostly while a batch is in flight: recorded in the run, committed or not in the
 * register, not yet counted), and the next one settles that batch and continues at the cursor. Every expired contact goes
 * once, a held person's contacts stay, the counts are exact and the run has one receipt.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verifyLedger } from '../../src/audit/ledger.js';
import type { RunView } from '../../src/retention/runs.js';
import { loadRun, viewOf } from '../../src/retention/runs.js';
import { dialects } from '../support/app.js';
import { recordEmail, startNordkust } from '../support/nordkust.js';
import { mysqlUrl, postgresUrl, serviceAvailable } from '../support/services.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { killAll, startWorker, until } from '../support/worker-process.js';

const servers =
  (await serviceAvailable('PostgreSQL', postgresUrl)) && (await serviceAvailable('MariaDB', mysqlUrl));
const OLD = 60;
const BATCH = 2;
const HELD = 'held.contact@example.net';

for (const dialect of await dialects()) {
  describe(`a connected retention sweep killed mid-run (store on ${dialect})`, { skip: !servers }, () => {
    test(
      'C10.1 a sweep of a connected system whose worker is SIGKILLed mid-run resumes exactly: every unheld expired row goes once, held rows stay, counts and one receipt match',
      { timeout: 300_000 },
      async (t) => {
        const w = await startNordkust(dialect);
        const workers: WorkerProcess[] = [];
        t.after(async () => {
          await killAll(workers.map((x) => x.child));
          await w.close();
        });
        // Contacts not seen since 2020, a day apart; the held person's are two in the middle.
        for (let i = 0; i < OLD; i++) {
          const day = new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 19).replace('T', ' ');
          await w.crm.all(
            `insert into contacts (id, email, first_name, created_at, last_seen_at) values (?, ?, 'Old', ?, ?)`,
            [100 + i, i === 30 || i === 31 ? HELD : `old-${i}@example.net`, day, day],
          );
        }
        await recordEmail(w, HELD, 'Please keep my complaint on file');
        const subject = (
          await w.app.ctx.store.db
            .selectFrom('identifiers')
            .select('subject_id')
            .where('tenant', '=', '')
            .where('value', '=', HELD)
            .executeTakeFirstOrThrow()
        ).subject_id;
        const placed = await w.app.request({
          method: 'POST',
          url: `/api/v1/subjects/${subject}/holds`,
          headers: w.headers,
          payload: { reason: 'Complaint under review, case 88' },
        });
        assert.equal(placed.statusCode, 201, placed.body);
        const holdId = placed.json<{ hold: { id: string } }>().hold.id;
        // The fixture's contacts 1 and 4 were last seen more than two years ago too.
        const expired = (await w.crm.all('select id, email from contacts where last_seen_at < ?', [
          new Date(Date.now() - 2 * 365 * 86_400_000 - 86_400_000),
        ])) as { id: number; email: string }[];
        const unheld = expired.filter((c) => c.email !== HELD).map((c) => Number(c.id));

        const started = await w.app.request({
          method: 'POST',
          url: '/api/v1/retention/marketing/run',
          headers: w.headers,
          payload: { system: 'crm' },
        });
        assert.equal(started.statusCode, 202, started.body);
        const runId = started.json<{ runs: RunView[] }>().runs[0]!.id;
        const env = {
          ...w.env,
          STEWARD_RETENTION_BATCH_SIZE: String(BATCH),
          STEWARD_RETENTION_PAUSE_MS: '25',
          STEWARD_WORKER_CONCURRENCY: '1',
        };
        const progress = async (): Promise<RunView> => viewOf((await loadRun(w.app.ctx.store.db, runId))!);
        const lapseLeases = () =>
          w.app.ctx.store.db
            .updateTable('jobs')
            .set({ lease_expires_at: '2000-01-01T00:00:00.000Z' })
            .where('status', '=', 'running')
            .execute();

        const kills: number[] = [];
        let last = 0;
        /** Kills that left a batch in flight, for the next worker to settle. */
        let inFlight = 0;
        for (const target of [4, 10, 16, 22]) {
          const worker = startWorker(env);
          workers.push(worker);
          await until(
            `the run past ${target} batches`,
            120_000,
            async () => {
              // Killed while a batch is in flight once past the target (the pause is in that window).
              const row = (await loadRun(w.app.ctx.store.db, runId))!;
              const now = viewOf(row);
              if (now.status === 'done' || now.status === 'failed') return true;
              return now.batches >= target && (row.cursor ?? '').includes('"inFlight"');
            },
            worker.output,
          );
          await killAll([worker.child]);
          const at = await progress();
          assert.ok(at.deleted >= last, 'progress never goes back after a kill');
          last = at.deleted;
          if (at.status === 'running') kills.push(at.batches);
          const cursor = (await loadRun(w.app.ctx.store.db, runId))?.cursor ?? '';
          if (cursor.includes('"inFlight"')) inFlight += 1;
          await lapseLeases();
        }
        const final = startWorker(env);
        workers.push(final);
        await until(
          'the run to end',
          120_000,
          async () => ['done', 'failed'].includes((await progress()).status),
          final.output,
        );
        await killAll([final.child]);
        assert.ok(kills.length >= 2, `killed mid-run only ${kills.length} times (${kills.join(', ')})`);
        assert.ok(
          inFlight >= 1,
          'at least one kill left a batch in flight (the pause comes before it is recorded)',
        );

        const run = await progress();
        assert.equal(run.status, 'done', run.error ?? '');
        const left = new Set((await w.crm.all('select id from contacts')).map((r) => Number(r['id'])));
        for (const id of unheld) assert.ok(!left.has(id), `expired contact ${id} is gone`);
        assert.ok(left.has(130) && left.has(131), 'the held person’s contacts stay');
        assert.ok(left.has(2) && left.has(3), 'contacts seen lately stay');
        assert.equal(run.deleted, unheld.length, 'each deleted contact counted once');
        assert.equal(run.held, 2);
        assert.deepEqual(run.holds, { [holdId]: 2 });
        // Each batch recorded once (a settled batch in place of the one its killed worker did), and the last.
        assert.equal(run.batches, Math.ceil(unheld.length / BATCH) + 1, 'no batch was done twice');

        const receipts = await w.app.ctx.store.db
          .selectFrom('audit_log')
          .select(['seq', 'details'])
          .where('action', '=', 'retention.swept')
          .execute();
        const mine = receipts.filter((r) => (JSON.parse(r.details) as { run: string }).run === runId);
        assert.equal(mine.length, 1, 'one receipt');
        assert.equal(mine[0]?.seq, run.receiptSeq);
        assert.equal((await verifyLedger(w.app.ctx.store)).ok, true);
        t.diagnostic(
          `killed at batches ${kills.join(', ')} (${inFlight} with a batch in flight); ${run.batches} batches in all`,
        );
      },
    );
  });
}
