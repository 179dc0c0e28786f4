/**
 * Retention runs over Nordkust Kaffe's three company databases (the web shop on PostgreSQL, the
 * customer register on MariaDB, the support desk on SQLite) through the public HTTP API, with
 * the example declaration and its reviewed datasets as they ship. The test clock stands at
 * 2027-04-05: the register's contacts not seen for two years (marketing), support tickets quiet
 * for two years (support_mail) and the shop's rows of 2015 (accounting: seven years after the
 * financial year) have expired; a few rows of each kind are added for the purpose. Every check of
 * a company database is direct SQL on that database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Worker } from '../../src/jobs/queue.js';
import { sweepRun } from '../../src/retention/run-sweep.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { dialects } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { settableClock } from '../support/clock.js';
import type { Nordkust } from '../support/nordkust.js';
import { recordEmail, startNordkust } from '../support/nordkust.js';
import { anna } from '../support/nordkust-systems.js';
import { mysqlUrl, postgresUrl, serviceAvailable } from '../support/services.js';

const servers =
  (await serviceAvailable('PostgreSQL', postgresUrl)) && (await serviceAvailable('MariaDB', mysqlUrl));
const NOW = new Date('2027-04-05T12:00:00Z');
const RULES = { marketing: 'crm', accounting: 'shop', support_mail: 'support' } as const;

interface PlannedCollection {
  collection: string;
  delete: number;
  anonymise: number;
  held: number;
  holds: Record<string, number>;
  blocked?: number;
  oldest: { clock: string; deadline: string } | null;
}
interface PlanBody {
  sweeps: {
    ruleId: string;
    system: string;
    rows: number;
    held: number;
    oldest: { clock: string } | null;
    collections: PlannedCollection[];
    problem?: string;
  }[];
}
interface RunBody {
  id: string;
  ruleId: string;
  system: string;
  status: string;
  deleted: number;
  held: number;
  holds: Record<string, number>;
  collections: Record<string, { deleted: number; held: number }>;
  error: string | null;
  receiptSeq: number | null;
}
interface Receipt {
  seq: number;
  run: string;
  details: {
    rule: string;
    system: string;
    status: string;
    deleted: number;
    held: number;
    holds: { hold: string; rows: number }[];
    collections: Record<string, { deleted: number; held: number }>;
  };
}

/** Rows added so that some of each system's rows have expired (and one of Anna's in the shop). */
async function addExpiredRows(w: Nordkust): Promise<void> {
  await w.shop.all(
    `insert into customers (id, customer_no, email, full_name, phone, created_at)
       values (50, 'NK-0050', 'olle.gammal@example.net', 'Olle Gammal', null, '2015-02-01T09:00:00Z')`,
  );
  await w.shop.all(`insert into addresses values (500, 50, 'Gamla vägen 1', '452 30', 1)`);
  for (const [order, customer, day] of [
    [5000, 50, '2015-03-01'],
    [5100, 1, '2015-05-01'],
  ] as const) {
    await w.shop.all(`insert into orders values ($1, $2, $3, null, null, $4, 99.00)`, [
      order,
      `O-${order}`,
      customer,
      `${day}T10:00:00Z`,
    ]);
    await w.shop.all(`insert into order_lines values ($1, 1, 'BRAZIL-500', 1, 99.00)`, [order]);
    await w.shop.all(`insert into payments values ($1, $1, $2, 99.00, 'paid', $3)`, [
      order,
      `psp_old_${order}`,
      `${day}T10:01:00Z`,
    ]);
    await w.shop.all(
      `insert into invoices values ($1, $2, $1, 'Old name', 'Old street', null, 99.00, $3::date + 1)`,
      [order, `F-${order}`, day],
    );
  }
  // A contact seen last month: not expired.
  await w.crm.all(
    `insert into contacts (id, email, first_name, last_name, created_at, last_seen_at)
       values (20, 'recent@example.net', 'Rita', 'Ny', '2027-03-01 08:00:00', '2027-03-01 08:00:00')`,
  );
  const support = new SQLite(w.support.url.replace(/^sqlite:/, ''));
  try {
    support.pragma('foreign_keys = ON');
    support
      .prepare('insert into tickets values (3, ?, ?, ?, 1, ?, ?, ?)')
      .run(
        'old@example.net',
        'Otto',
        'Old question',
        'closed',
        '2024-01-01T08:00:00Z',
        '2024-01-02T08:00:00Z',
      );
    support
      .prepare('insert into messages values (4, 3, ?, ?, ?)')
      .run('in', 'Old body', '2024-01-01T08:00:00Z');
  } finally {
    support.close();
  }
}

/** `n` register contacts last seen in 2023, a day apart from `id` on (`name-0@example.net`, ...). */
async function oldContacts(w: Nordkust, id: number, n: number, name: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const day = `2023-01-${String(i + 1).padStart(2, '0')} 08:00:00`;
    await w.crm.all(
      `insert into contacts (id, email, first_name, created_at, last_seen_at) values (?, ?, 'Old', ?, ?)`,
      [id + i, `${name}-${i}@example.net`, day, day],
    );
  }
}

/** What each system holds, as direct SQL reads it: compared before and after. */
async function snapshot(w: Nordkust) {
  const ids = async (sql: string) => (await w.shop.all(sql)).map((r) => Number(r['id']));
  return {
    customers: await ids('select id from customers order by id'),
    addresses: await ids('select id from addresses order by id'),
    orders: await ids('select id from orders order by id'),
    orderLines: await ids('select order_id * 10 + line_no as id from order_lines order by 1'),
    payments: await ids('select id from payments order by id'),
    invoices: await ids('select id from invoices order by id'),
    contacts: (await w.crm.all('select id from contacts order by id')).map((r) => Number(r['id'])),
    interests: (await w.crm.all('select contact_id from interests order by 1')).map((r) =>
      Number(r['contact_id']),
    ),
    tickets: w.support.all('select id from tickets order by id').map((r) => Number(r['id'])),
    messages: w.support.all('select id from messages order by id').map((r) => Number(r['id'])),
  };
}

for (const dialect of await dialects()) {
  describe(
    `retention runs in Nordkust's connected systems (store on ${dialect})`,
    { skip: !servers, timeout: 300_000 },
    () => {
      const world = async (config: Record<string, unknown> = {}) => {
        const clock = settableClock();
        clock.set(NOW);
        const w = await startNordkust(dialect, { clock, config });
        const call = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
          const res = await w.app.request({
            method,
            url,
            headers: w.headers,
            ...(payload === undefined ? {} : { payload }),
          });
          assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
          return res.json<Record<string, unknown>>();
        };
        const subjectOf = async (email: string) =>
          (
            await w.app.ctx.store.db
              .selectFrom('identifiers')
              .select('subject_id')
              .where('tenant', '=', '')
              .where('value', '=', email)
              .executeTakeFirstOrThrow()
          ).subject_id;
        const hold = async (email: string) => {
          await recordEmail(w, email, 'About my order');
          const body = await call('POST', `/api/v1/subjects/${await subjectOf(email)}/holds`, {
            reason: 'Dispute over a delivery, case 2027-114',
          });
          return (body['hold'] as { id: string }).id;
        };
        const plan = async (rule: string) =>
          (await call('GET', `/api/v1/retention/plan?rule=${rule}`)) as unknown as PlanBody;
        const start = async (rule: string, system?: string) =>
          (
            (await call('POST', `/api/v1/retention/${rule}/run`, system === undefined ? {} : { system })) as {
              runs: RunBody[];
            }
          ).runs;
        const runJobs = () => new Worker(w.app.ctx, jobDefinitions).drain();
        const receipts = async () =>
          ((await call('GET', '/api/v1/retention/receipts?limit=200'))['receipts'] as Receipt[]).filter(
            (r) => r.details.system !== 'steward',
          );
        return { ...w, clock, call, hold, plan, start, runJobs, receipts };
      };

      test(
        'C10.1 the plan counts each system’s expired rows and held rows without changing anything; a run deletes exactly the expired, unheld rows in all three databases, children before parents, with one receipt per rule and system naming the hold; a rerun changes nothing',
        { timeout: 120_000 },
        async () => {
          const w = await world();
          try {
            await addExpiredRows(w);
            const annaHold = await w.hold(anna.email);
            const before = await snapshot(w);

            // The plan, per rule and connected system.
            const crm = (await w.plan('marketing')).sweeps.find((s) => s.system === 'crm');
            assert.ok(crm, 'the register is swept under marketing');
            assert.equal(crm.problem, undefined);
            assert.deepEqual(
              crm.collections.map((c) => [c.collection, c.delete, c.held, c.holds]),
              [['contacts', 2, 2, { [annaHold]: 2 }]],
              'the decoy’s and Anna Lundberg’s contacts go; both of Anna’s are held, one found through her shop number',
            );
            assert.match(crm.oldest?.clock ?? '', /^2024-05-01T12:00:00/);
            const support = (await w.plan('support_mail')).sweeps.find((s) => s.system === 'support');
            assert.deepEqual(
              support?.collections.map((c) => [c.collection, c.delete, c.held]),
              [['tickets', 1, 1]],
            );
            assert.match(support?.oldest?.clock ?? '', /^2024-01-02T08:00:00/);
            const shop = (await w.plan('accounting')).sweeps.find((s) => s.system === 'shop');
            assert.deepEqual(
              shop?.collections.map((c) => [c.collection, c.delete, c.held, c.blocked ?? 0]),
              [
                ['payments', 1, 1, 0],
                ['invoices', 1, 1, 0],
                // Expired, but rows still there refer to them until the run removes those first.
                ['orders', 0, 1, 1],
                ['customers', 0, 0, 1],
              ],
              'children before parents, as the foreign keys say',
            );
            // The CLI's plan (its own process, at the real time: the shop's rows of 2015 have expired then too).
            const cli = await runCli(['retention', 'plan', 'accounting', '--system', 'shop'], w.env);
            assert.equal(cli.code, 0, cli.stderr);
            assert.match(cli.stdout, /accounting\s+shop\s+payments\s+delete\s+1\s+1\s+2015-03-01 \(expired/);
            assert.match(
              cli.stdout,
              /accounting on shop, customers: 1 more expired row once the rows that refer/,
            );
            assert.deepEqual(await snapshot(w), before, 'the plan changed nothing');

            // The runs.
            for (const rule of Object.keys(RULES)) await w.start(rule);
            await w.runJobs();
            const after = await snapshot(w);
            assert.deepEqual(after.customers, [1, 2], 'Olle’s customer row went after his order');
            assert.deepEqual(after.addresses, [10, 20], 'his address went with him (cascade)');
            assert.deepEqual(after.orders, [100, 101, 200, 201, 5100], 'Anna’s held old order stays');
            assert.ok(!after.orderLines.includes(50001) && after.orderLines.includes(51001));
            assert.deepEqual(after.payments, [100, 101, 200, 201, 5100]);
            assert.deepEqual(after.invoices, [100, 101, 200, 201, 5100]);
            assert.deepEqual(after.contacts, [1, 2, 20], 'Anna’s held contacts and the recent one stay');
            assert.deepEqual(after.interests, [1, 2], 'interests of deleted contacts went with them');
            assert.deepEqual(
              after.tickets,
              [1, 2],
              'the old ticket went; Anna’s is held, the decoy’s is recent',
            );
            assert.deepEqual(after.messages, [1, 2, 3]);

            const first = await w.receipts();
            assert.deepEqual(
              first.map((r) => `${r.details.rule}@${r.details.system}`).sort(),
              Object.entries(RULES)
                .map(([rule, system]) => `${rule}@${system}`)
                .sort(),
              'one receipt per rule and connected system',
            );
            const of = (rule: string) => first.find((r) => r.details.rule === rule)!.details;
            assert.equal(of('accounting').status, 'done');
            assert.equal(of('accounting').deleted, 4);
            assert.equal(of('accounting').held, 3);
            assert.deepEqual(of('accounting').holds, [{ hold: annaHold, rows: 3 }]);
            assert.deepEqual(of('accounting').collections['orders'], { deleted: 1, anonymised: 0, held: 1 });
            assert.equal(of('marketing').deleted, 2);
            assert.deepEqual(of('marketing').holds, [{ hold: annaHold, rows: 2 }]);
            assert.equal(of('support_mail').deleted, 1);
            assert.deepEqual(of('support_mail').holds, [{ hold: annaHold, rows: 1 }]);

            // A rerun finds nothing more to remove.
            for (const rule of Object.keys(RULES)) await w.start(rule);
            await w.runJobs();
            assert.deepEqual(await snapshot(w), after, 'the rerun changed nothing');
            const second = (await w.receipts()).filter((r) => !first.some((f) => f.seq === r.seq));
            assert.equal(second.length, 3);
            for (const r of second) {
              assert.equal(r.details.status, 'done');
              assert.equal(r.details.deleted, 0, `${r.details.rule}: nothing more`);
            }
            const verify = await w.call('GET', '/api/v1/audit/verify');
            assert.equal(verify['ok'], true, 'the ledger with its receipts verifies');
          } finally {
            await w.close();
          }
        },
      );

      test(
        'C10.1 a hold placed while a connected sweep runs keeps the rows it covers from the next batch on',
        { timeout: 120_000 },
        async () => {
          const w = await world({ retentionBatchSize: 1 });
          try {
            // Five contacts not seen for years, in clock order; the last one is held mid-run.
            await oldContacts(w, 30, 5, 'mid');
            const runs = await w.start('marketing', 'crm');
            let holdId = '';
            const run = await sweepRun(w.app.ctx, runs[0]!.id, {
              async onBatch(progress) {
                if (holdId === '' && progress.deleted >= 1) holdId = await w.hold('mid-4@example.net');
              },
            });
            assert.equal(run.status, 'done', run.error ?? '');
            assert.notEqual(holdId, '');
            const left = (await w.crm.all('select id from contacts where id >= 30 order by id')).map((r) =>
              Number(r['id']),
            );
            assert.deepEqual(left, [34], 'only the contact held mid-run stays');
            assert.deepEqual(run.holds, { [holdId]: 1 });
            // contacts 1–4 of the fixture have expired too; Anna is not held here.
            assert.equal(run.deleted, 4 + 4);
          } finally {
            await w.close();
          }
        },
      );

      test(
        'C10.1 workers carrying on one connected run at once (two starting together, a third taking it up mid-sweep) never do a batch twice: the counts are exact, one receipt',
        { timeout: 120_000 },
        async () => {
          const w = await world({ retentionBatchSize: 1 });
          try {
            await oldContacts(w, 40, 8, 'two');
            const runs = await w.start('marketing', 'crm');
            // Two start together; later a third takes the run up while the one sweeping goes on (a lost lease).
            let late: Promise<unknown> | undefined;
            const hooks = {
              onBatch(progress: { deleted: number }) {
                if (late === undefined && progress.deleted >= 3) late = sweepRun(w.app.ctx, runs[0]!.id);
              },
            };
            const [a, b] = await Promise.all([
              sweepRun(w.app.ctx, runs[0]!.id, hooks),
              sweepRun(w.app.ctx, runs[0]!.id, hooks),
            ]);
            assert.ok(late !== undefined, 'a third worker took the run up mid-sweep');
            await late;
            const run = (await w.call('GET', `/api/v1/retention/runs/${runs[0]!.id}`))['run'] as RunBody & {
              batches: number;
            };
            assert.equal(run.status, 'done', `${a.status} ${b.status} ${run.error ?? ''}`);
            const expired = 8 + 4; // the fixture's four contacts too
            assert.equal(run.deleted, expired, 'each contact counted once');
            assert.equal(run.batches, expired + 1, 'each batch recorded once');
            assert.deepEqual(
              (await w.crm.all('select id from contacts order by id')).map((r) => Number(r['id'])),
              [],
              'every expired contact is gone',
            );
            assert.equal((await w.receipts()).filter((r) => r.run === run.id).length, 1, 'one receipt');
          } finally {
            await w.close();
          }
        },
      );

      test(
        'C10.1 an unreachable system fails the run’s attempt with a clear error and no secret; the retry sweeps it',
        { timeout: 120_000 },
        async () => {
          const w = await world();
          try {
            await w.crm.remove();
            const runs = await w.start('marketing', 'crm');
            await w.runJobs();
            const job = await w.app.ctx.store.db
              .selectFrom('jobs')
              .select(['status', 'last_error'])
              .where('type', '=', 'retention.sweep')
              .executeTakeFirstOrThrow();
            assert.equal(job.status, 'pending', 'it will be tried again');
            assert.match(job.last_error ?? '', /^crm: /);
            assert.ok(!(job.last_error ?? '').includes(w.crm.password), 'no password in the error');
            const status = (await w.call('GET', '/api/v1/retention?rule=marketing'))['sweeps'] as {
              system: string;
              problem?: string;
              alert: boolean;
            }[];
            const crm = status.find((s) => s.system === 'crm');
            assert.match(crm?.problem ?? '', /^crm: /);
            assert.ok(!(crm?.problem ?? '').includes(w.crm.password));
            assert.equal(crm?.alert, true);

            await w.crm.restore();
            w.clock.set(new Date(NOW.getTime() + 60 * 60 * 1000));
            await w.runJobs();
            const run = (await w.call('GET', `/api/v1/retention/runs/${runs[0]!.id}`))['run'] as RunBody;
            assert.equal(run.status, 'done', run.error ?? '');
            assert.equal(run.deleted, 4, 'the fixture’s four contacts had expired');
          } finally {
            await w.close();
          }
        },
      );
    },
  );
}
