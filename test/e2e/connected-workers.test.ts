/**
 * A batch of requests shared by several worker processes: Steward's store on PostgreSQL (a schema
 * of its own), Nordkust Kaffe's shop (PostgreSQL), register (MariaDB) and support desk (SQLite),
 * and three `steward start --role worker` processes as real children of this one, which serves
 * the API. Erasures, accesses, a rectification and a restriction for different people, submitted
 * at once, end exactly as the same batch run by one worker on identical copies of the databases
 * under the same secret: the same rows in every company database, the same step results,
 * receipts, tasks, events, audit entries and mail. A worker SIGKILLed while it holds a step leaves
 * the step to the others once its lease ends, and the end is the same again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyLedger } from '../../src/audit/ledger.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import type { Customer } from '../support/nordkust-systems.js';
import { anna, customers, decoy } from '../support/nordkust-systems.js';
import type { Nordkust } from '../support/nordkust.js';
import {
  approve,
  closeTask,
  decoyIntact,
  NORDKUST,
  recordEmail,
  startNordkust,
} from '../support/nordkust.js';
import { collectPackage } from '../support/result-links.js';
import { mysqlUrl, postgresUrl, serviceAvailable } from '../support/services.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { exited, killAll, startWorker, until } from '../support/worker-process.js';
import { ensureScheduled, scheduledJobId } from '../../src/jobs/schedule.js';
import { RETENTION_PERIOD_MS, retentionScheduleJob } from '../../src/retention/run-sweep.js';

const servers =
  (await serviceAvailable('PostgreSQL', postgresUrl)) && (await serviceAvailable('MariaDB', mysqlUrl));

/** One secret for every run, so keyed masks come out the same. */
const SECRET = randomBytes(32);
const WORKERS = 3;
const LEASE_SECONDS = 4;
/** Rows per batch: Björn's 150 further tickets make his support step 51 batches long. */
const BATCH = 3;
const HEAVY_TICKETS = 150;

const [bjorn, cecilia, david, eva, frida, gustav] = customers(6).map((c, i) =>
  i === 0 ? { ...c, extraTickets: HEAVY_TICKETS } : c,
) as [Customer, Customer, Customer, Customer, Customer, Customer];
const everyone: readonly Customer[] = [anna, decoy, bjorn, cecilia, david, eva, frida, gustav];
/** The shop's id of a customer: Anna 1, the decoy 2, the others from 3 on. */
const shopId = (p: Customer) => everyone.indexOf(p) + 1;

interface Ask {
  readonly who: Customer;
  readonly type: 'erasure' | 'access' | 'rectification' | 'restriction';
  readonly extra?: Record<string, unknown>;
}
const BATCH_OF_REQUESTS: readonly Ask[] = [
  { who: anna, type: 'erasure' },
  { who: bjorn, type: 'erasure' },
  { who: cecilia, type: 'erasure' },
  { who: david, type: 'access' },
  { who: eva, type: 'access' },
  {
    who: frida,
    type: 'rectification',
    extra: {
      rectification: [
        { field: 'Name', value: 'Frida Berglund' },
        { field: 'Postal address', value: 'Skeppsgatan 2, 452 31 Strömstad' },
      ],
    },
  },
  { who: gustav, type: 'restriction' },
];
const label = (a: Ask) => `${a.type} of ${a.who.name}`;

type Packages = Map<Customer, Map<string, string>>;
interface Run {
  /** Request id by `label`. */
  readonly ids: Map<string, string>;
  readonly packages: Packages;
}

const worldOf = () =>
  startNordkust('postgres', {
    others: everyone.slice(2),
    config: { secret: SECRET, executionBatchSize: BATCH, stepLeaseMs: LEASE_SECONDS * 1000 },
  });

/** Settings of a worker process on the world's store and systems. */
const workerEnv = (w: Nordkust) => ({
  ...w.env,
  STEWARD_EXECUTION_BATCH_SIZE: String(BATCH),
  STEWARD_STEP_LEASE_SECONDS: String(LEASE_SECONDS),
  STEWARD_WORKER_CONCURRENCY: '1',
  STEWARD_LOG_LEVEL: 'info',
});

/** Jobs that are due or running; 0 when the workers have nothing to do. */
async function busy(w: Nordkust): Promise<number> {
  const now = new Date().toISOString();
  const row = await w.app.ctx.store.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) =>
      eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)])]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The batch as people and operators bring it: Steward holds an email of each person; the requests
 * are submitted at once and, once their verification mail went out, approved at once; manual
 * steps (a correction's review, the support desk's restriction) are closed when they come up;
 * the access packages are collected. `settle` gives the workers time (or runs the jobs).
 */
async function runBatch(w: Nordkust, settle: () => Promise<void>): Promise<Run> {
  const { app, headers } = w;
  for (const { who } of BATCH_OF_REQUESTS) await recordEmail(w, who.email, `Where is my order? ${who.name}`);
  const created = await Promise.all(
    BATCH_OF_REQUESTS.map(async (a) => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/requests',
        headers,
        payload: {
          declarationId: NORDKUST,
          type: a.type,
          channel: 'email',
          language: 'en',
          requester: { identifiers: [{ kind: 'email', value: a.who.email }] },
          ...a.extra,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return [label(a), res.json<{ id: string }>().id] as const;
    }),
  );
  const ids = new Map(created);
  await until('the verification mails', 60_000, async () => {
    await settle();
    return (await busy(w)) === 0;
  });
  await Promise.all([...ids.values()].map((id) => approve(w, id)));
  const closed = new Set<string>();
  let stuck = '';
  await until(
    'every request to complete',
    90_000,
    async () => {
      await settle();
      const manual = await app.ctx.store.db
        .selectFrom('request_steps')
        .select(['request_id', 'task_id'])
        .where('request_id', 'in', [...ids.values()])
        .where('status', '=', 'manual')
        .execute();
      for (const { request_id: id, task_id: task } of manual) {
        if (task === null || closed.has(task)) continue;
        closed.add(task);
        await closeTask(w, id, task, 'Checked against their email, and done by hand where needed.');
      }
      const open = await app.ctx.store.db
        .selectFrom('requests')
        .innerJoin('request_steps', 'request_steps.request_id', 'requests.id')
        .select(['requests.reference', 'request_steps.key', 'request_steps.status', 'request_steps.job_id'])
        .where('requests.id', 'in', [...ids.values()])
        .where('requests.status', '!=', 'completed')
        .where('request_steps.status', 'not in', ['done', 'skipped'])
        .execute();
      stuck = open.map((s) => `${s.reference} ${s.key} ${s.status} job ${s.job_id ?? 'none'}`).join('\n');
      const requests = await app.ctx.store.db
        .selectFrom('requests')
        .select('id')
        .where('id', 'in', [...ids.values()])
        .where('status', '!=', 'completed')
        .execute();
      return requests.length === 0;
    },
    () => `steps not finished:\n${stuck}`,
  );
  const packages: Packages = new Map();
  for (const a of BATCH_OF_REQUESTS.filter((x) => x.type === 'access'))
    packages.set(a.who, await collectPackage(app, a.who.email, settle));
  await until('the last jobs', 60_000, async () => {
    await settle();
    return (await busy(w)) === 0;
  });
  return { ids, packages };
}

type Rows = Record<string, unknown>[];

/** Every row of every company table, in key order. */
async function companyRows(w: Nordkust): Promise<Record<string, Rows>> {
  const out: Record<string, Rows> = {};
  for (const [table, order] of [
    ['customers', 'id'],
    ['addresses', 'id'],
    ['orders', 'id'],
    ['order_lines', 'order_id, line_no'],
    ['payments', 'id'],
    ['invoices', 'id'],
  ] as const)
    out[`shop.${table}`] = await w.shop.all(`select * from ${table} order by ${order}`);
  out['crm.contacts'] = await w.crm.all('select * from contacts order by id');
  out['crm.interests'] = await w.crm.all('select * from interests order by contact_id, topic_id');
  out['support.tickets'] = w.support.all('select * from tickets order by id');
  out['support.messages'] = w.support.all('select * from messages order by id');
  return out;
}

/** What a locate step found is sealed under a fresh IV; what a person closed names their session. */
function comparable(result: string | null): unknown {
  if (result === null) return null;
  const { sealed: _, closedBy: __, ...rest } = JSON.parse(result) as Record<string, unknown>;
  return rest;
}

/**
 * Everything the batch left, keyed by what is the same across runs (people, step keys, kinds),
 * with ids and times left out: company rows, each request's steps and their results, receipt,
 * tasks, events and outcome; the audit ledger's actions; the mail sent.
 */
async function endState(w: Nordkust, run: Run, { attempts }: { attempts: boolean }) {
  const db = w.app.ctx.store.db;
  const requests: Record<string, unknown> = {};
  for (const [name, id] of run.ids) {
    const request = await db
      .selectFrom('requests')
      .select(['status', 'outcome'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const steps = await db
      .selectFrom('request_steps')
      .select(['key', 'system', 'action', 'status', 'attempts', 'result', 'error'])
      .where('request_id', '=', id)
      .orderBy('position')
      .execute();
    const plan = await db
      .selectFrom('request_plans')
      .select('receipt')
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    const tasks = await db
      .selectFrom('request_tasks')
      .select(['kind', 'target', 'action', 'status', 'note'])
      .where('request_id', '=', id)
      .orderBy('kind')
      .orderBy('target')
      .execute();
    const events = await db
      .selectFrom('request_events')
      .select('kind')
      .where('request_id', '=', id)
      .execute();
    const receipt = JSON.parse(plan.receipt ?? 'null') as { systems: Record<string, unknown>[] } | null;
    requests[name] = {
      status: request.status,
      outcome: JSON.parse(request.outcome ?? 'null') as unknown,
      steps: steps.map((s) => ({
        ...s,
        attempts: attempts ? s.attempts : undefined,
        result: comparable(s.result),
      })),
      receipt: receipt?.systems.map(({ checkedAt: _, ...s }) => s) ?? null,
      tasks,
      events: events.map((e) => e.kind).sort(),
    };
  }
  // A worker process runs the daily retention schedule when it starts; its sweeps are not the batch's.
  const audit = await db
    .selectFrom('audit_log')
    .select(['actor', 'action'])
    .where('action', 'not like', 'retention.%')
    .execute();
  const mail = await db.selectFrom('outbox').select(['to_address', 'kind']).execute();
  const count = (keys: string[]) =>
    keys.reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
  return {
    company: await companyRows(w),
    requests,
    audit: count(audit.map((a) => `${a.actor.startsWith('operator:') ? 'operator' : a.actor} ${a.action}`)),
    mail: count(mail.map((m) => `${m.to_address} ${m.kind}`)),
  };
}

/** The package holds exactly this person's rows in every system, and Steward's record of them. */
function assertPackageOf(p: Customer, files: Map<string, string>): void {
  const rows = (path: string) => {
    const text = files.get(path);
    assert.ok(text !== undefined, `${p.name}: ${path} is in the package: ${[...files.keys()].join(', ')}`);
    return (JSON.parse(text) as { rows: Record<string, unknown>[] }).rows;
  };
  const order = shopId(p) * 100;
  const values = (path: string, field: string) =>
    rows(path)
      .map((r) => String(r[field]))
      .sort();
  assert.deepEqual(values('systems/shop/customers.json', 'customer_no'), [p.customerNo]);
  assert.deepEqual(values('systems/shop/orders.json', 'order_no'), [`O-${order}`, `O-${order + 1}`]);
  assert.deepEqual(values('systems/shop/order_lines.json', 'order_id'), [
    ...Array<string>(2).fill(String(order)),
    ...Array<string>(2).fill(String(order + 1)),
  ]);
  assert.deepEqual(values('systems/shop/payments.json', 'psp_reference'), [
    `${p.pspReference}_${order}`,
    `${p.pspReference}_${order + 1}`,
  ]);
  assert.deepEqual(values('systems/shop/invoices.json', 'invoice_no'), [`F-${order}`, `F-${order + 1}`]);
  assert.deepEqual(values('systems/shop/addresses.json', 'street'), [p.street]);
  assert.deepEqual(values('systems/crm/contacts.json', 'email'), [p.email, p.otherEmail].sort());
  assert.equal(rows('systems/crm/interests.json').length, 2);
  assert.deepEqual(values('systems/support/tickets.json', 'requester_email'), [p.email]);
  assert.equal(rows('systems/support/messages.json').length, 2);
  assert.ok(
    [...files].some(
      ([path, text]) => !path.startsWith('systems/') && text.includes(`Where is my order? ${p.name}`),
    ),
    `${p.name}: Steward's record of their email is in the package`,
  );
  // C9.9: what each system holds about them, counted from their rows.
  const info = JSON.parse(files.get('information.json') ?? '{}') as {
    systems?: { id: string; collections: { name: string; rows: number }[] }[];
  };
  const held = (system: string, collection: string) =>
    info.systems?.find((s) => s.id === system)?.collections.find((c) => c.name === collection)?.rows;
  assert.deepEqual(
    [held('shop', 'invoices'), held('crm', 'contacts'), held('support', 'tickets')],
    [2, 2, 1],
    `${p.name}: the Art. 15 information counts their rows`,
  );
  const foreign = everyone
    .filter((q) => q !== p)
    .flatMap((q) => [q.email, q.otherEmail, q.customerNo, q.phone, q.pspReference, q.street, q.name])
    .filter((v): v is string => v !== undefined);
  for (const [path, text] of files)
    for (const value of foreign)
      assert.ok(!text.includes(value), `${p.name}'s ${path} holds nothing of anyone else's (${value})`);
}

/** The rows no request was about are as the fixture made them, and the batch did what it says. */
async function assertBatchDone(w: Nordkust, run: Run): Promise<void> {
  await decoyIntact(w);
  for (const [p, files] of run.packages) assertPackageOf(p, files);
  for (const who of [anna, bjorn, cecilia]) {
    const id = shopId(who);
    const [customer] = await w.shop.all('select customer_no, email, phone from customers where id = $1', [
      id,
    ]);
    assert.notEqual(customer?.customer_no, who.customerNo, `${who.name} is masked in the shop`);
    assert.equal(customer?.phone, null);
    assert.equal(
      (await w.crm.all('select 1 from contacts where email in (?, ?)', [who.email, who.otherEmail ?? '']))
        .length,
      0,
    );
    assert.equal(w.support.all('select 1 from tickets where requester_email = ?', who.email).length, 0);
    const receipt = await w.app.ctx.store.db
      .selectFrom('request_plans')
      .select('receipt')
      .where('request_id', '=', run.ids.get(`erasure of ${who.name}`) ?? '')
      .executeTakeFirstOrThrow();
    const systems = (
      JSON.parse(receipt.receipt ?? '{}') as { systems: { system: string; identifyingValues: number }[] }
    ).systems;
    assert.deepEqual(
      systems.map((s) => [s.system, s.identifyingValues]),
      ['steward', 'shop', 'crm', 'support'].map((s) => [s, 0]),
      `${who.name}: 0 identifying values left anywhere`,
    );
  }
  assert.deepEqual(await w.shop.all('select full_name from customers where id = $1', [shopId(frida)]), [
    { full_name: 'Frida Berglund' },
  ]);
  assert.deepEqual(
    await w.shop.all('select processing_restricted from customers where id = $1', [shopId(gustav)]),
    [{ processing_restricted: true }],
  );
  // C5.1: each request that changed data tells each recipient once.
  for (const a of BATCH_OF_REQUESTS.filter((x) => x.type !== 'access')) {
    const notices = await w.app.ctx.store.db
      .selectFrom('request_tasks')
      .select('target')
      .where('request_id', '=', run.ids.get(label(a)) ?? '')
      .where('kind', '=', 'recipient_notice')
      .execute();
    const targets = notices.map((n) => n.target).sort();
    assert.ok(
      targets.includes('email_service'),
      `${label(a)}: the email service is told (${targets.join(', ')})`,
    );
    assert.deepEqual(targets, [...new Set(targets)], `${label(a)}: no recipient is told twice`);
  }
  assert.deepEqual((await verifyLedger(w.app.ctx.store)).ok, true, 'the audit ledger verifies');
}

/** The worker that claimed each job of the world's steps, by step key and request. */
async function claims(w: Nordkust, run: Run) {
  return w.app.ctx.store.db
    .selectFrom('request_steps')
    .innerJoin('jobs', 'jobs.id', 'request_steps.job_id')
    .select([
      'request_steps.request_id as request',
      'request_steps.key as key',
      'jobs.id as job',
      'jobs.claimed_by as by',
      'jobs.attempts as attempts',
      'jobs.status as status',
    ])
    .where('request_steps.request_id', 'in', [...run.ids.values()])
    .execute();
}

const pidOf = (owner: string | null) => Number(owner?.split(':').at(-2));

interface Reference {
  readonly state: Awaited<ReturnType<typeof endState>>;
  readonly ms: number;
}
let reference: Promise<Reference> | undefined;
/** The batch run by one worker (in this process, each job as it comes), once for both tests. */
function referenceRun() {
  reference ??= (async () => {
    const w = await worldOf();
    try {
      const started = Date.now();
      const worker = new Worker(w.app.ctx, jobDefinitions);
      const run = await runBatch(w, async () => void (await worker.drain()));
      const ms = Date.now() - started;
      await assertBatchDone(w, run);
      return { state: await endState(w, run, { attempts: true }), ms };
    } finally {
      await w.close();
    }
  })();
  return reference;
}

/** A world with WORKERS worker processes, torn down (processes first) after `body`. */
async function withWorkers(body: (w: Nordkust, workers: WorkerProcess[]) => Promise<void>): Promise<void> {
  const w = await worldOf();
  const workers: WorkerProcess[] = [];
  try {
    // The daily retention schedule, which a worker runs when it starts, would sweep the systems'
    // expired rows (the register's old contacts) that the one-worker reference run leaves: today's
    // is marked done.
    await ensureScheduled(w.app.ctx, retentionScheduleJob, RETENTION_PERIOD_MS);
    await w.app.ctx.store.db
      .updateTable('jobs')
      .set({ status: 'done' })
      .where('id', '=', scheduledJobId(retentionScheduleJob, RETENTION_PERIOD_MS, w.app.ctx.clock.now()))
      .execute();
    for (let i = 0; i < WORKERS; i += 1) workers.push(startWorker(workerEnv(w)));
    await Promise.all(workers.map((p) => p.started));
    await body(w, workers);
  } finally {
    await killAll(workers.map((p) => p.child));
    await w.close();
  }
}

const outputOf = (workers: readonly WorkerProcess[]) => () =>
  workers.map((p, i) => `--- worker ${i} (pid ${p.child.pid}):\n${p.output().slice(-3000)}`).join('\n');

interface Held {
  readonly job: string;
  readonly owner: string;
  readonly key: string;
  readonly worker: WorkerProcess;
}

/** The worker holding a step that has committed at least 5 batches (Björn's support step). */
async function midStep(w: Nordkust, workers: readonly WorkerProcess[]): Promise<Held> {
  let held: Held | undefined;
  await until(
    'a worker mid-way through a long step',
    120_000,
    async () => {
      const running = await w.app.ctx.store.db
        .selectFrom('request_steps')
        .innerJoin('jobs', 'jobs.id', 'request_steps.job_id')
        .select([
          'jobs.id as job',
          'jobs.lease_owner as owner',
          'request_steps.key',
          'request_steps.progress',
        ])
        .where('request_steps.status', '=', 'running')
        .where('jobs.status', '=', 'running')
        .execute();
      for (const r of running) {
        const batches = (JSON.parse(r.progress ?? '{"batches":0}') as { batches: number }).batches;
        const worker = workers.find((p) => p.child.pid === pidOf(r.owner));
        if (batches >= 5 && r.owner !== null && worker !== undefined)
          held = { job: r.job, owner: r.owner, key: r.key, worker };
      }
      return held !== undefined;
    },
    outputOf(workers),
  );
  return held!;
}

/**
 * Watches the job of a step whose worker stopped: nobody takes it while the lease lasts, then
 * another worker does. Returns how long after the lease's end that was.
 */
async function takenUpAfterLease(w: Nordkust, held: Held, output: () => string): Promise<number> {
  const db = w.app.ctx.store.db;
  const job = () => db.selectFrom('jobs').selectAll().where('id', '=', held.job).executeTakeFirstOrThrow();
  const orphan = await job();
  assert.equal(orphan.status, 'running', 'stopped while it held the step');
  assert.equal(orphan.lease_owner, held.owner);
  const expiry = Date.parse(orphan.lease_expires_at ?? '');
  while (Date.now() < expiry - 200) {
    const now = await job();
    assert.deepEqual(
      [now.claimed_by, now.attempts],
      [held.owner, orphan.attempts],
      'nobody takes the step while its lease lasts',
    );
    await sleep(100);
  }
  let takenAt = 0;
  await until(
    'another worker to take the step up',
    LEASE_SECONDS * 1000 + 30_000,
    async () => {
      takenAt = Date.now();
      return (await job()).claimed_by !== held.owner;
    },
    output,
  );
  assert.ok(takenAt >= expiry, 'taken up only after the lease ended');
  return takenAt - expiry;
}

/** The end state is the reference's but for the attempts, and a survivor finished the step on its second. */
async function assertSameEndAfterStop(w: Nordkust, run: Run, held: Held, ref: Reference): Promise<void> {
  await assertBatchDone(w, run);
  assert.deepEqual(await endState(w, run, { attempts: false }), {
    ...ref.state,
    requests: withoutAttempts(ref.state.requests),
  });
  const job = (await claims(w, run)).find((j) => j.job === held.job);
  assert.ok(job !== undefined && job.by !== held.owner, `another worker finished ${held.key}: ${job?.by}`);
  assert.deepEqual([job.status, job.attempts], ['done', 2], 'the stopped attempt and the one that finished');
}

/**
 * The batch while the worker holding Björn's long step is killed (SIGKILL) or paused (SIGSTOP,
 * woken with SIGCONT once another worker has taken the step up) mid-way through it.
 */
async function batchWithStoppedWorker(t: TestContext, how: 'SIGKILL' | 'SIGSTOP'): Promise<void> {
  const ref = await referenceRun();
  await withWorkers(async (w, workers) => {
    const output = outputOf(workers);
    const stopped = (async () => {
      const held = await midStep(w, workers);
      held.worker.child.kill(how);
      if (how === 'SIGKILL') await exited(held.worker.child);
      const late = await takenUpAfterLease(w, held, output);
      // The paused worker wakes up in the middle of the step, which is another worker's now.
      if (how === 'SIGSTOP') held.worker.child.kill('SIGCONT');
      return { held, late };
    })();
    const run = await runBatch(w, () => sleep(50));
    const { held, late } = await stopped;
    if (how === 'SIGSTOP')
      await until(
        'the resumed worker to find its lease gone',
        30_000,
        async () => held.worker.output().includes('another worker holds its lease now'),
        output,
      );
    await assertSameEndAfterStop(w, run, held, ref);
    t.diagnostic(
      `${how} to pid ${held.worker.child.pid} holding ${held.key}; taken up ${late} ms after its lease ended`,
    );
  });
}

describe('several worker processes on one PostgreSQL store', { skip: !servers, timeout: 300_000 }, () => {
  test(
    'C9.2 C9.9 C9.10 C5.1 a batch of erasures, accesses, a rectification and a restriction for seven people, submitted at once and run by three worker processes, ends exactly as one worker ends it: the same rows in all three systems and Steward, each step claimed once, work spread over the workers, the decoy untouched, each package exactly its person’s rows',
    { timeout: 150_000 },
    async (t) => {
      const ref = await referenceRun();
      await withWorkers(async (w, workers) => {
        const started = Date.now();
        const run = await runBatch(w, () => sleep(50));
        const ms = Date.now() - started;
        await assertBatchDone(w, run);
        assert.deepEqual(await endState(w, run, { attempts: true }), ref.state);

        const jobs = await claims(w, run);
        const pids = new Set(workers.map((p) => p.child.pid));
        assert.ok(
          jobs.every((j) => j.status === 'done' && j.attempts === 1 && pids.has(pidOf(j.by))),
          `every step's job was claimed once, by one of the worker processes: ${JSON.stringify(jobs)}`,
        );
        const perWorker = new Map<number, number>();
        for (const j of jobs) perWorker.set(pidOf(j.by), (perWorker.get(pidOf(j.by)) ?? 0) + 1);
        assert.ok(
          perWorker.size >= 2,
          `the steps spread over the workers: ${JSON.stringify([...perWorker])}`,
        );
        t.diagnostic(
          `${jobs.length} step jobs per worker: ${[...perWorker.values()].join(' + ')}; three workers ${ms} ms, one worker in-process ${ref.ms} ms`,
        );
      });
    },
  );

  test(
    'C9.2 a worker SIGKILLed mid-step leaves the step leased until the lease ends; another worker takes it up and the batch ends exactly as one worker ends it',
    { timeout: 150_000 },
    (t) => batchWithStoppedWorker(t, 'SIGKILL'),
  );

  test(
    'C9.2 a worker paused (SIGSTOP) mid-step past its lease, then resumed while another worker runs the step, changes nothing more and the batch ends exactly as one worker ends it',
    { timeout: 150_000 },
    (t) => batchWithStoppedWorker(t, 'SIGSTOP'),
  );
});

/** The requests' step lists without the attempts (a step taken up again has one more). */
function withoutAttempts(requests: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(requests).map(([name, r]) => {
      const request = r as { steps: Record<string, unknown>[] };
      return [name, { ...request, steps: request.steps.map((s) => ({ ...s, attempts: undefined })) }];
    }),
  );
}
