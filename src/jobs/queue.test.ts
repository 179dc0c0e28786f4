import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { freshDatabase, dialects, testConfig } from '../../test/support/app.js';
import { createContext, createLogger } from '../app.js';
import { packageRoot } from '../config.js';
import type { AppContext, Clock } from '../context.js';
import { transaction } from '../store/transaction.js';
import { Worker, claimJob, defineJob, enqueue } from './queue.js';
import { ensureScheduled } from './schedule.js';

type Database = Awaited<ReturnType<typeof freshDatabase>>;

/** A clock the test moves by hand; `at` starts at a fixed instant unless given one. */
function fakeClock(at = new Date('2026-03-01T09:00:00.000Z')): Clock & { at: Date } {
  const clock = { at, now: () => new Date(clock.at) };
  return clock;
}

/** One secret per database: a store refuses a process with another (src/store/identity.ts). */
const secrets = new Map<string, Buffer>();
function secretOf(db: Database): Buffer {
  let secret = secrets.get(db.dataDir);
  if (secret === undefined) secrets.set(db.dataDir, (secret = randomBytes(32)));
  return secret;
}

function openContext(db: Database, clock?: Clock): Promise<AppContext> {
  return createContext(testConfig(db.url, db.dataDir, { declarationFiles: [], secret: secretOf(db) }), {
    log: createLogger('silent'),
    publishFiles: false,
    ...(db.schema ? { schema: db.schema } : {}),
    ...(clock ? { clock } : {}),
  });
}

/** Polls `check` until it holds; false when `timeoutMs` passes first. */
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

for (const dialect of await dialects()) {
  describe(`durable jobs on ${dialect}`, () => {
    let db: Database;
    let ctx: AppContext;
    const clock = fakeClock();

    const job = (id: string) =>
      ctx.store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const jobsOfType = (type: string) =>
      ctx.store.db.selectFrom('jobs').selectAll().where('type', '=', type).orderBy('id').execute();

    before(async () => {
      db = await freshDatabase(dialect);
      ctx = await openContext(db, clock);
    });
    after(async () => {
      await ctx.store.close();
      await db.drop();
    });

    test('a job enqueued with a payload runs once and is marked done with its result', async () => {
      const calls: { payload: { n: number }; attempt: number; version: number }[] = [];
      const double = defineJob({
        type: 'test.double',
        version: 3,
        payload: z.object({ n: z.number().int() }),
        async handler(_ctx, payload, meta) {
          calls.push({ payload, attempt: meta.attempt, version: meta.version });
          return { doubled: payload.n * 2 };
        },
      });
      const id = await enqueue(ctx.store.db, clock, double, { n: 21 });
      const queued = await job(id);
      assert.equal(queued.status, 'pending');
      assert.equal(queued.attempts, 0);

      const worker = new Worker(ctx, [double]);
      assert.equal(await worker.drain(), 1);
      assert.equal(await worker.drain(), 0, 'a finished job is not run again');

      assert.deepEqual(calls, [{ payload: { n: 21 }, attempt: 1, version: 3 }]);
      const done = await job(id);
      assert.equal(done.status, 'done');
      assert.equal(done.attempts, 1);
      assert.deepEqual(JSON.parse(done.result ?? 'null'), { doubled: 42 });
      assert.equal(done.last_error, null);
      assert.equal(done.lease_owner, null);
      assert.equal(done.lease_expires_at, null);
      assert.equal(done.claimed_by, worker.owner, 'the job says which worker ran it');
    });

    test('a bad payload is refused at enqueue with a ZodError and nothing is stored', async () => {
      const strict = defineJob({
        type: 'test.strict',
        version: 1,
        payload: z.object({ n: z.number().int() }),
        handler: async () => null,
      });
      await assert.rejects(
        // @ts-expect-error -- a string where the schema wants a number
        enqueue(ctx.store.db, clock, strict, { n: 'three' }, { id: 'strict-1' }),
        z.ZodError,
      );
      await assert.rejects(enqueue(ctx.store.db, clock, strict, { n: 1.5 }), z.ZodError);
      assert.deepEqual(await jobsOfType('test.strict'), []);
    });

    test('enqueueing twice with the same caller-chosen id stores one job', async () => {
      const once = defineJob({
        type: 'test.once',
        version: 1,
        payload: z.object({ label: z.string() }),
        handler: async () => null,
      });
      const first = await enqueue(ctx.store.db, clock, once, { label: 'first' }, { id: 'once-1' });
      const second = await enqueue(ctx.store.db, clock, once, { label: 'second' }, { id: 'once-1' });
      assert.equal(first, 'once-1');
      assert.equal(second, 'once-1');
      // Inside a transaction too: the conflict is ignored, the transaction still commits.
      await transaction(ctx.store, (tx) => enqueue(tx, clock, once, { label: 'third' }, { id: 'once-1' }));
      const rows = await jobsOfType('test.once');
      assert.equal(rows.length, 1);
      assert.deepEqual(JSON.parse(rows[0]!.payload), { label: 'first' }, 'the first enqueue wins');
    });

    test('ensureScheduled enqueues one job per period, however often it is called', async () => {
      const hourly = defineJob({
        type: 'test.hourly',
        version: 1,
        payload: z.object({}),
        handler: async () => null,
      });
      const hour = 60 * 60 * 1000;
      const scheduler = { store: ctx.store, clock: fakeClock(new Date('2026-03-01T10:05:00.000Z')) };
      await ensureScheduled(scheduler, hourly, hour);
      await ensureScheduled(scheduler, hourly, hour);
      scheduler.clock.at = new Date('2026-03-01T10:59:59.999Z');
      await Promise.all([ensureScheduled(scheduler, hourly, hour), ensureScheduled(scheduler, hourly, hour)]);
      assert.deepEqual(
        (await jobsOfType('test.hourly')).map((r) => r.id),
        ['test.hourly@2026-03-01T10:00:00.000Z'],
      );
      scheduler.clock.at = new Date('2026-03-01T11:00:00.000Z');
      await ensureScheduled(scheduler, hourly, hour);
      assert.deepEqual(
        (await jobsOfType('test.hourly')).map((r) => r.id),
        ['test.hourly@2026-03-01T10:00:00.000Z', 'test.hourly@2026-03-01T11:00:00.000Z'],
      );
    });

    test('a failing job is retried with backoff and is dead after max_attempts, keeping its last error', async () => {
      const attempts: number[] = [];
      const flaky = defineJob({
        type: 'test.flaky',
        version: 1,
        payload: z.object({}),
        maxAttempts: 3,
        async handler(_ctx, _payload, meta) {
          attempts.push(meta.attempt);
          throw new Error(`boom on attempt ${meta.attempt}`);
        },
      });
      const worker = new Worker(ctx, [flaky]);
      const id = await enqueue(ctx.store.db, clock, flaky, {});

      let delays: number[] = [];
      for (const attempt of [1, 2]) {
        const failedAt = clock.now().getTime();
        assert.equal(await worker.drain(), 1, `attempt ${attempt} runs`);
        const row = await job(id);
        assert.equal(row.status, 'pending');
        assert.equal(row.attempts, attempt);
        assert.equal(row.last_error, `boom on attempt ${attempt}`);
        assert.equal(row.lease_owner, null);
        const retryAt = new Date(row.run_at).getTime();
        assert.ok(retryAt > failedAt, 'the retry waits');
        delays = [...delays, retryAt - failedAt];
        assert.equal(await worker.drain(), 0, 'not retried before its run_at');
        clock.at = new Date(retryAt);
      }
      assert.ok(delays[1]! > delays[0]!, `the backoff grows: ${delays.join(', ')} ms`);

      assert.equal(await worker.drain(), 1, 'the last attempt runs');
      const dead = await job(id);
      assert.equal(dead.status, 'dead');
      assert.equal(dead.attempts, 3);
      assert.equal(dead.max_attempts, 3);
      assert.equal(dead.last_error, 'boom on attempt 3');
      assert.equal(dead.result, null);

      clock.at = new Date(clock.at.getTime() + 24 * 60 * 60 * 1000);
      assert.equal(await worker.drain(), 0, 'a dead job is never claimed again');
      assert.deepEqual(attempts, [1, 2, 3]);
    });

    test('a job whose workers keep dying is marked dead after max_attempts, and each type gets its own lease', async () => {
      let runs = 0;
      const crashy = defineJob({
        type: 'test.crashy',
        version: 1,
        payload: z.object({}),
        maxAttempts: 2,
        leaseMs: 1000,
        handler: async () => void (runs += 1),
      });
      const slow = defineJob({
        type: 'test.slow-lease',
        version: 1,
        payload: z.object({}),
        leaseMs: 600_000,
        handler: async () => undefined,
      });
      const id = await enqueue(ctx.store.db, clock, crashy, {});
      const leases = new Map([
        ['test.crashy', 1000],
        ['test.slow-lease', 600_000],
      ]);
      // Two workers claim it and die without finishing.
      for (const owner of ['dead-1', 'dead-2']) {
        const claimed = await claimJob(ctx.store, owner, leases, clock.now());
        assert.equal(claimed?.id, id);
        assert.equal(
          claimed?.lease_expires_at,
          new Date(clock.now().getTime() + 1000).toISOString(),
          'the lease is the job type’s own',
        );
        clock.at = new Date(clock.at.getTime() + 1001);
      }
      assert.equal(await new Worker(ctx, [crashy, slow]).drain(), 1);
      const dead = await job(id);
      assert.equal(dead.status, 'dead');
      assert.equal(runs, 0, 'the handler is not run a third time');
    });

    test('a job whose run_at is in the future is not claimed before its time', async () => {
      let runs = 0;
      const later = defineJob({
        type: 'test.later',
        version: 1,
        payload: z.object({}),
        handler: async () => {
          runs += 1;
          return 'ran';
        },
      });
      const worker = new Worker(ctx, [later]);
      const runAt = new Date(clock.now().getTime() + 60 * 60 * 1000);
      const id = await enqueue(ctx.store.db, clock, later, {}, { runAt });

      assert.equal(await worker.drain(), 0);
      clock.at = new Date(runAt.getTime() - 1);
      assert.equal(await worker.drain(), 0, 'one millisecond early is still early');
      assert.equal((await job(id)).status, 'pending');
      assert.equal(runs, 0);

      clock.at = runAt;
      assert.equal(await worker.drain(), 1);
      assert.equal(runs, 1);
      const done = await job(id);
      assert.equal(done.status, 'done');
      assert.equal(done.attempts, 1);
    });

    test('two workers on separate connections draining 200 jobs run each job exactly once', async () => {
      const contexts = [await openContext(db), await openContext(db)];
      const workers: Worker[] = [];
      try {
        const runs = new Map<string, number>();
        const byWorker = [0, 0];
        const countJob = (worker: number) =>
          defineJob({
            type: 'test.count',
            version: 1,
            payload: z.object({ n: z.number().int() }),
            async handler(_ctx, payload, meta) {
              runs.set(meta.id, (runs.get(meta.id) ?? 0) + 1);
              byWorker[worker] = (byWorker[worker] ?? 0) + 1;
              // Yield so the other worker's claims interleave with this one's.
              await sleep(1);
              return payload.n;
            },
          });
        const first = contexts[0]!;
        const ids = await transaction(first.store, async (tx) => {
          const out: string[] = [];
          for (let n = 0; n < 200; n += 1) out.push(await enqueue(tx, first.clock, countJob(0), { n }));
          return out;
        });
        contexts.forEach((c, i) =>
          workers.push(new Worker(c, [countJob(i)], { concurrency: 4, pollMs: 10 })),
        );
        for (const w of workers) w.start();
        const done = () =>
          first.store.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('type', '=', 'test.count')
            .where('status', '=', 'done')
            .executeTakeFirstOrThrow();
        const finished = await waitFor(async () => Number((await done()).n) === 200, 20_000);
        assert.ok(finished, `all 200 jobs finish; ${(await done()).n} did`);
        await Promise.all(workers.map((w) => w.stop()));

        assert.equal(runs.size, 200);
        const twice = [...runs].filter(([, n]) => n !== 1);
        assert.deepEqual(twice, [], 'no job ran more than once');
        assert.deepEqual(new Set(runs.keys()), new Set(ids));
        assert.ok(
          byWorker.every((n) => n > 0),
          `both workers took work: ${byWorker.join(' + ')}`,
        );
        const rows = await jobsOfType('test.count');
        assert.ok(rows.every((r) => r.status === 'done' && r.attempts === 1));
        assert.deepEqual(
          rows.map((r) => JSON.parse(r.result ?? 'null') as number).sort((x, y) => x - y),
          [...Array(200).keys()],
        );
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
        await Promise.all(contexts.map((c) => c.store.close()));
      }
    });

    test('a killed worker’s job is taken up by another worker after its lease ends', async () => {
      const type = 'test.lease';
      const leaseMs = 1000;
      let child: ChildProcess | undefined;
      try {
        const leased = defineJob({
          type,
          version: 1,
          payload: z.object({ label: z.string() }),
          leaseMs,
          async handler(handlerCtx, payload, meta) {
            const row = await job(meta.id);
            return { label: payload.label, attempt: meta.attempt, owner: row.lease_owner };
          },
        });
        const id = await enqueue(ctx.store.db, clock, leased, { label: 'long' }, { id: 'lease-1' });

        let stdout = '';
        let stderr = '';
        child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'job-worker.ts')], {
          cwd: packageRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            PATH: process.env.PATH ?? '',
            STEWARD_TEST_DATABASE_URL: db.url,
            STEWARD_TEST_DATA_DIR: db.dataDir,
            STEWARD_TEST_SECRET: secretOf(db).toString('base64'),
            STEWARD_TEST_JOB_TYPE: type,
            STEWARD_TEST_LEASE_MS: String(leaseMs),
            ...(db.schema ? { STEWARD_TEST_SCHEMA: db.schema } : {}),
          },
        });
        child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child?.once('exit', (_code, signal) => resolve(signal)),
        );
        await waitFor(() => /^claimed /m.test(stdout) || child?.exitCode !== null, 20_000);
        const claimed = /^claimed (\S+) (\S+)$/m.exec(stdout);
        assert.ok(claimed, `the child claimed the job; stdout: ${stdout} stderr: ${stderr}`);
        assert.equal(claimed[1], id);
        const childOwner = claimed[2]!;

        // The real (system-time) lease the child holds: renewed while it lives.
        const held = await job(id);
        assert.equal(held.status, 'running');
        assert.equal(held.lease_owner, childOwner);
        assert.equal(held.attempts, 1);
        await sleep(leaseMs * 1.2);
        const renewed = await job(id);
        assert.equal(renewed.lease_owner, childOwner);
        assert.ok(renewed.lease_expires_at! > held.lease_expires_at!, 'the live worker renews its lease');

        const next = new Worker(ctx, [leased]);
        clock.at = new Date();
        assert.equal(await next.drain(), 0, 'a live lease is respected');

        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');
        const orphaned = await job(id);
        assert.equal(orphaned.status, 'running');
        assert.equal(orphaned.lease_owner, childOwner);
        assert.equal(orphaned.claimed_by, childOwner);
        const expiry = new Date(orphaned.lease_expires_at!);

        clock.at = expiry;
        assert.equal(await next.drain(), 0, 'not taken up while the old lease lasts');
        clock.at = new Date(expiry.getTime() + 1);
        assert.equal(await next.drain(), 1, 'taken up once the old lease has expired');

        const done = await job(id);
        assert.equal(done.status, 'done');
        assert.equal(done.attempts, 2);
        assert.equal(done.lease_owner, null);
        assert.equal(done.claimed_by, next.owner, 'the job names the worker that took it up');
        assert.deepEqual(JSON.parse(done.result ?? 'null'), {
          label: 'long',
          attempt: 2,
          owner: next.owner,
        });
        assert.notEqual(next.owner, childOwner);
      } finally {
        if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  });
}
