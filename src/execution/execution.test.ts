/**
 * Requests carried out across Steward's own data and a connected company database, end to end:
 * HTTP through the test harness, Steward's store on SQLite and PostgreSQL, and the company's web
 * shop as a real SQLite file reached through its connector.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Shop } from '../../test/support/shop.js';
import { createShop, declarationWith, LEDGER_DATASET, SHOP_DATASET } from '../../test/support/shop.js';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { mailbox } from '../../test/support/mail.js';
import { collectPackage } from '../../test/support/result-links.js';
import type { Clock } from '../context.js';
import { Worker } from '../jobs/queue.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { jobDefinitions } from '../worker-jobs.js';
import { planFulfilment, runStep } from './run-step.js';

const D = 'sncn-general';

/** A clock the test moves on by hand (job backoff waits for it). */
function movableClock(): Clock & { skip(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), skip: (ms) => void (offset += ms) };
}

interface StepView {
  id: string;
  key: string;
  system: string;
  collection: string;
  action: string;
  status: string;
  error: string | null;
  result: { matched?: number; changed?: number; counts?: Record<string, number> } | null;
  taskId: string | null;
}
interface RequestView {
  request: { status: string; outcome: { summary: string[] } | null };
  tasks: { id: string; kind: string; target: string; status: string; note: string | null }[];
  plan: { systems: { id: string; name: string }[]; steps: StepView[] } | null;
  receipt: {
    systems: {
      system: string;
      identifyingValues: number;
      statement: string;
      remaining: { collection: string; rows: number; expected: boolean }[];
      kept: { collection: string; rows: number; why: string }[];
    }[];
  } | null;
}

/** Requests made and carried out through the HTTP API. */
function requestsOf(app: TestApp, officer: () => Record<string, string>) {
  const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();
  const view = async (id: string): Promise<RequestView> => {
    const res = await app.request({ method: 'GET', url: `/api/v1/requests/${id}`, headers: officer() });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<RequestView>();
  };
  const capture = async (email: string) => {
    const res = await app.request({
      method: 'POST',
      url: '/api/v1/records',
      headers: officer(),
      payload: {
        declarationId: D,
        source: 'website_forms',
        kind: 'form_submission',
        subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' },
        purposes: ['enquiries'],
        categories: ['user.contact.email', 'user.content.communication'],
        data: { message: 'Where is my order?' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<{ subjectId: string }>().subjectId;
  };
  /** A request entered from a letter and approved by an operator who checked it; not yet run. */
  const approved = async (type: string, email: string, extra: Record<string, unknown> = {}) => {
    const res = await app.request({
      method: 'POST',
      url: '/api/v1/requests',
      headers: officer(),
      payload: {
        declarationId: D,
        type,
        channel: 'post',
        language: 'en',
        requester: { identifiers: [{ kind: 'email', value: email }] },
        ...extra,
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { id } = res.json<{ id: string }>();
    await runJobs();
    const ok = await app.request({
      method: 'POST',
      url: `/api/v1/requests/${id}/approve`,
      headers: officer(),
      payload: { note: 'Signed letter matched the address on file' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    return id;
  };
  return { runJobs, view, capture, approved };
}

for (const dialect of await dialects()) {
  describe(`requests across Steward and a connected shop on ${dialect}`, () => {
    let app: TestApp;
    let dir: string;
    let shop: Shop;
    let headers: Record<string, string>;
    let r: ReturnType<typeof requestsOf>;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'steward-execution-'));
      shop = createShop(join(dir, 'shop.db'));
      shop.add(1, 'alice@example.com', 'Alice Andersson');
      shop.add(2, 'bob@example.com', 'Bob Berg');
      shop.add(3, 'carol@example.com', 'Carol Carlsson');
      shop.add(4, 'dave@example.com', 'Dave Dahl');
      shop.add(5, 'frank@example.com', 'Frank Fors');
      shop.add(6, 'gina@example.com', 'Gina Gran');
      shop.add(7, 'ivy@example.com', 'Ivy Ingvar');
      shop.add(8, 'hugo@example.com', 'Hugo Holm');
      shop.add(9, 'jon@example.com', 'Jon Jonsson');
      app = await startTestApp(dialect, {
        declarations: [declarationWith(dir, [{ id: 'shop', name: 'Web shop', dataset: SHOP_DATASET }])],
        config: { systems: new Map([['shop', { system: 'shop', url: `sqlite:${shop.path}` }]]) },
      });
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      r = requestsOf(app, () => headers);
    });
    after(async () => {
      await app.close();
      shop.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const bobIntact = () => {
      assert.deepEqual(shop.all('select email, full_name from customers where id = 2'), [
        { email: 'bob@example.com', full_name: 'Bob Berg' },
      ]);
      assert.equal(shop.all('select id from order_lines where order_id in (20, 21)').length, 4);
      assert.equal(shop.all('select id from addresses where customer_id = 2').length, 1);
    };

    test('C9.2 C5.1 an erasure runs across Steward and the shop: only the person’s rows go, invoices keep what bookkeeping needs, the receipt finds 0 identifying values, and the shop’s recipients are told', async () => {
      await r.capture('alice@example.com');
      const id = await r.approved('erasure', 'alice@example.com');
      await r.runJobs();
      const v = await r.view(id);
      assert.equal(
        v.request.status,
        'completed',
        JSON.stringify(v.plan?.steps.map((s) => [s.key, s.status, s.error])),
      );
      const steps = v.plan?.steps ?? [];
      assert.deepEqual(
        steps.map((s) => s.key),
        [
          'steward:subject:delete',
          'shop:addresses:delete',
          'shop:order_lines:delete',
          'shop:invoices:keep',
          'shop:orders:keep',
          'shop:customers:mask',
        ],
      );
      assert.ok(steps.every((s) => s.status === 'done'));
      // The shop's five steps committed in one transaction of the shop; Steward's ran on its own.
      assert.deepEqual(
        steps.map((s) => [s.key, (s.result as { together?: number } | null)?.together ?? null]),
        steps.map((s) => [s.key, s.system === 'shop' ? 5 : null]),
      );

      // Only Alice's rows: her lines and address go, her orders and invoices stay reduced.
      assert.equal(shop.all('select id from order_lines where order_id in (10, 11)').length, 0);
      assert.equal(shop.all('select id from addresses where customer_id = 1').length, 0);
      const [customer] = shop.all<{ email: string; full_name: string; phone: string | null }>(
        'select email, full_name, phone from customers where id = 1',
      );
      assert.notEqual(customer?.email, 'alice@example.com');
      assert.equal(customer?.full_name, '[erased]');
      assert.equal(customer?.phone, null);
      assert.deepEqual(
        shop.all('select billing_name, email, amount from invoices where order_id in (10, 11)'),
        [
          { billing_name: 'Alice Andersson', email: null, amount: 120.5 },
          { billing_name: 'Alice Andersson', email: null, amount: 120.5 },
        ],
      );
      assert.deepEqual(shop.all('select delivery_phone, total from orders where customer_id = 1'), [
        { delivery_phone: null, total: 120.5 },
        { delivery_phone: null, total: 120.5 },
      ]);
      bobIntact();

      const receipt = v.receipt?.systems.find((s) => s.system === 'shop');
      assert.equal(receipt?.identifyingValues, 0);
      assert.match(receipt?.statement ?? '', /^0 identifying values left/);
      assert.match(receipt?.statement ?? '', /invoices \(2\).*Bookkeeping.*Bokföringslagen/);
      const own = v.receipt?.systems.find((s) => s.system === 'steward');
      assert.equal(own?.identifyingValues, 0);

      const summary = v.request.outcome?.summary.join('\n') ?? '';
      assert.match(
        summary,
        /Web shop: we deleted 5 rows and removed your details from 1 row that other records need/,
      );
      assert.match(
        summary,
        /Kept in Web shop: 2 rows of invoices for “Bookkeeping”\. They hold name, postal address and purchase history\..*Bokföringslagen/,
      );
      const notices = v.tasks.filter((t) => t.kind === 'recipient_notice');
      const delivery = notices.find((t) => t.target === 'fulfilment_delivery');
      assert.ok(delivery, `the shop's delivery partner is told: ${notices.map((t) => t.target).join(', ')}`);
      assert.match(delivery.note ?? '', /held in Web shop/);
    });

    test('C5.1 a person the shop never held: the shop finds nothing and its recipients are not told', async () => {
      await r.capture('erin@example.com');
      const id = await r.approved('erasure', 'erin@example.com');
      await r.runJobs();
      const v = await r.view(id);
      assert.equal(v.request.status, 'completed');
      assert.ok(!v.tasks.some((t) => t.kind === 'recipient_notice' && t.target === 'fulfilment_delivery'));
      assert.match(v.request.outcome?.summary.join('\n') ?? '', /Web shop: we hold nothing about you there/);
      bobIntact();
    });

    test('C9.2 C9.5 C9.9 the access package holds the shop’s rows per collection as JSON and CSV with a schema, and says what the shop holds and why', async () => {
      await r.capture('carol@example.com');
      const id = await r.approved('access', 'carol@example.com');
      await r.runJobs();
      assert.equal((await r.view(id)).request.status, 'completed');
      await r.runJobs();
      const [done] = (
        await mailbox(app.ctx, { to: 'carol@example.com', kind: 'rights_completed' })
      ).reverse();
      assert.match(done?.text ?? '', /Web shop: 10 rows/);
      const files = await collectPackage(app, 'carol@example.com', async () => void (await r.runJobs()));
      const customers = JSON.parse(files.get('systems/shop/customers.json') ?? '{}') as {
        rows: { email: string }[];
      };
      assert.deepEqual(
        customers.rows.map((c) => c.email),
        ['carol@example.com'],
      );
      const lines = JSON.parse(files.get('systems/shop/order_lines.json') ?? '{}') as { count: number };
      assert.equal(lines.count, 4);
      assert.match(files.get('systems/shop/invoices.csv') ?? '', /^id,order_id,invoice_no,billing_name/);
      assert.match(files.get('systems/shop/invoices.csv') ?? '', /Carol Carlsson/);
      assert.ok(!(files.get('systems/shop/invoices.csv') ?? '').includes('Bob Berg'));
      const schema = JSON.parse(files.get('schema.json') ?? '{}') as {
        files: { path: string; fields?: { name: string; category?: string }[] }[];
      };
      const described = schema.files.find((f) => f.path === 'systems/shop/customers.json');
      assert.equal(described?.fields?.find((f) => f.name === 'email')?.category, 'user.contact.email');
      const info = JSON.parse(files.get('information.json') ?? '{}') as {
        systems?: {
          id: string;
          purposes: { name: string }[];
          categories: { key: string }[];
          collections: { name: string; rows: number }[];
        }[];
      };
      const held = info.systems?.find((s) => s.id === 'shop');
      assert.ok(held, 'Art. 15 information names the shop');
      assert.ok(held.purposes.some((p) => p.name === 'Bookkeeping'));
      assert.ok(held.categories.some((c) => c.key === 'user.financial.purchase_history'));
      assert.deepEqual(
        held.collections.find((c) => c.name === 'orders'),
        { name: 'orders', description: null, rows: 2 },
      );
      assert.match(files.get('index.html') ?? '', /Where else we hold it/);
    });

    test('C9.5 the portability package holds the shop’s data the person gave under contract, per collection as JSON and CSV, with a schema', async () => {
      await r.capture('ivy@example.com');
      const id = await r.approved('portability', 'ivy@example.com');
      await r.runJobs();
      assert.equal((await r.view(id)).request.status, 'completed');
      await r.runJobs();
      const files = await collectPackage(app, 'ivy@example.com', async () => void (await r.runJobs()));
      assert.ok(files.has('README.txt'));
      const orders = JSON.parse(files.get('systems/shop/orders.json') ?? '{}') as {
        rows: { total: number }[];
      };
      assert.deepEqual(
        orders.rows.map((o) => o.total),
        [120.5, 120.5],
      );
      assert.match(files.get('systems/shop/customers.csv') ?? '', /ivy@example\.com/);
      const schema = JSON.parse(files.get('schema.json') ?? '{}') as {
        format: string;
        files: { path: string; format: string }[];
      };
      assert.equal(schema.format, 'steward-portability-package');
      assert.ok(schema.files.some((f) => f.path === 'systems/shop/customers.csv' && f.format === 'csv'));
    });

    test('C9.2 rectification: after the review, every field of the category in the shop is corrected, and only the person’s', async () => {
      await r.capture('dave@example.com');
      const id = await r.approved('rectification', 'dave@example.com', {
        rectification: [
          { field: 'Telephone number', value: '+46709998877' },
          { field: 'Postal address', value: '7 Storgatan, Piteå' },
        ],
      });
      await r.runJobs();
      let v = await r.view(id);
      assert.equal(v.request.status, 'in_progress', 'a person checks the correction first');
      const review = v.plan?.steps.find((s) => s.action === 'review');
      assert.equal(review?.status, 'manual');
      const close = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/tasks/${review?.taskId}/close`,
        headers,
        payload: { note: 'Checked against the customer’s letter; applied in Steward.' },
      });
      assert.equal(close.statusCode, 204, close.body);
      await r.runJobs();
      v = await r.view(id);
      assert.equal(
        v.request.status,
        'completed',
        JSON.stringify(v.plan?.steps.map((s) => [s.key, s.status, s.error])),
      );
      assert.deepEqual(shop.all('select phone from customers where id = 4'), [{ phone: '+46709998877' }]);
      assert.deepEqual(shop.all('select address from addresses where customer_id = 4'), [
        { address: '7 Storgatan, Piteå' },
      ]);
      assert.deepEqual(shop.all('select distinct billing_address from invoices where order_id in (40, 41)'), [
        { billing_address: '7 Storgatan, Piteå' },
      ]);
      bobIntact();
      assert.match(v.request.outcome?.summary.join('\n') ?? '', /Web shop: we corrected .*customers\.phone/);
    });

    test('C9.10 restriction sets the shop’s declared flag and restricts Steward’s data', async () => {
      const subjectId = await r.capture('frank@example.com');
      const id = await r.approved('restriction', 'frank@example.com');
      await r.runJobs();
      const v = await r.view(id);
      assert.equal(v.request.status, 'completed');
      assert.deepEqual(shop.all('select restricted from customers where id = 5'), [{ restricted: 1 }]);
      assert.deepEqual(shop.all('select restricted from customers where id = 2'), [{ restricted: 0 }]);
      const subject = await app.ctx.store.db
        .selectFrom('subjects')
        .select('restricted')
        .where('id', '=', subjectId)
        .where('tenant', '=', CONTROLLER_TENANT)
        .executeTakeFirstOrThrow();
      assert.equal(subject.restricted, 1);
      assert.match(
        v.request.outcome?.summary.join('\n') ?? '',
        /Web shop: your data is marked restricted there \(1 row\)/,
      );
    });

    test('C9.2 a step run again after an interruption changes nothing twice', async () => {
      await r.capture('gina@example.com');
      const id = await r.approved('erasure', 'gina@example.com');
      await planFulfilment(app.ctx, id);
      const lines = (await r.view(id)).plan?.steps.find((s) => s.key === 'shop:order_lines:delete');
      assert.ok(lines);
      await runStep(app.ctx, lines.id, { id: 'by-hand', attempt: 1 });
      const first = (await r.view(id)).plan?.steps.find((s) => s.id === lines.id);
      assert.equal(first?.result?.changed, 4);
      // As if the worker died after committing its last batch (its progress recorded), before the
      // step was marked done.
      await app.ctx.store.db
        .updateTable('request_steps')
        .set({ status: 'running', result: null, finished_at: null })
        .where('id', '=', lines.id)
        .execute();
      await runStep(app.ctx, lines.id, { id: 'by-hand-again', attempt: 2 });
      const again = (await r.view(id)).plan?.steps.find((s) => s.id === lines.id);
      assert.equal(again?.status, 'done');
      assert.equal(again?.result?.changed, 4, 'the count carries on; nothing is counted or changed twice');
      assert.equal(shop.all('select id from order_lines where order_id in (60, 61)').length, 0);
      bobIntact();
      await r.runJobs();
      assert.equal((await r.view(id)).request.status, 'completed');
    });

    test('C9.2 steps run together whose worker stopped between the shop’s COMMIT and Steward’s record end as if it had not: each batch in flight is settled, nothing changed twice', async () => {
      await r.capture('jon@example.com');
      const id = await r.approved('erasure', 'jon@example.com');
      await planFulfilment(app.ctx, id);
      const planned = (await r.view(id)).plan?.steps.filter((s) => s.system === 'shop') ?? [];
      const rows = await app.ctx.store.db
        .selectFrom('request_steps')
        .select(['id', 'job_id'])
        .where(
          'id',
          'in',
          planned.map((s) => s.id),
        )
        .execute();
      const jobId = rows[0]?.job_id ?? '';
      assert.ok(jobId !== '' && rows.every((row) => row.job_id === jobId), 'the shop’s steps share one job');
      await app.ctx.store.db
        .updateTable('jobs')
        .set({ status: 'running', lease_owner: 'first-worker' })
        .where('id', '=', jobId)
        .execute();
      // The lease passes to another worker as the batches in flight are recorded: the shop then
      // commits, and Steward's record of the steps done is refused, as after a kill at that moment.
      const db = app.ctx.store.db;
      if (dialect === 'postgres') {
        await sql`create function steal_lease() returns trigger language plpgsql as $$
          begin update jobs set lease_owner = 'other-worker' where id = new.job_id; return new; end $$`.execute(
          db,
        );
        await sql`create trigger steal_lease after update of progress on request_steps for each row
          when (new.progress like '%inFlight%') execute function steal_lease()`.execute(db);
      } else {
        await sql`create trigger steal_lease after update of progress on request_steps
          when new.progress like '%inFlight%'
          begin update jobs set lease_owner = 'other-worker' where id = new.job_id; end`.execute(db);
      }
      const jon = () =>
        JSON.stringify([
          shop.all('select * from customers where id = 9'),
          shop.all('select * from orders where customer_id = 9 order by id'),
          shop.all('select * from invoices where order_id in (90, 91) order by id'),
          shop.all('select * from order_lines where order_id in (90, 91)'),
          shop.all('select * from addresses where customer_id = 9'),
        ]);
      const untouched = jon();
      try {
        await assert.rejects(
          runStep(app.ctx, planned[0]!.id, { id: jobId, attempt: 1, owner: 'first-worker' }),
          /another worker holds its lease now/,
        );
      } finally {
        await sql`drop trigger steal_lease${sql.raw(dialect === 'postgres' ? ' on request_steps' : '')}`.execute(
          db,
        );
        if (dialect === 'postgres') await sql`drop function steal_lease()`.execute(db);
      }
      const committed = jon();
      assert.notEqual(committed, untouched, 'the shop committed the steps');
      const stuck = await db
        .selectFrom('request_steps')
        .select(['status', 'progress'])
        .where('job_id', '=', jobId)
        .execute();
      assert.ok(stuck.every((s) => s.status === 'running'));
      assert.ok(
        stuck.some((s) => (s.progress ?? '').includes('inFlight')),
        'batches left in flight',
      );

      await db.updateTable('jobs').set({ lease_owner: 'second-worker' }).where('id', '=', jobId).execute();
      // The job's next run settles its first step; the others go on in jobs of their own.
      await runStep(app.ctx, planned[0]!.id, { id: jobId, attempt: 2, owner: 'second-worker' });
      await r.runJobs();
      assert.equal(jon(), committed, 'settling changed nothing a second time (no hash of a hash)');
      const settled = (await r.view(id)).plan?.steps.filter((s) => s.system === 'shop') ?? [];
      assert.deepEqual(
        settled.map((s) => [s.key, s.status, s.result?.changed]),
        [
          ['shop:addresses:delete', 'done', 1],
          ['shop:order_lines:delete', 'done', 4],
          ['shop:invoices:keep', 'done', 2],
          ['shop:orders:keep', 'done', 2],
          ['shop:customers:mask', 'done', 1],
        ],
      );
      const v = await r.view(id);
      assert.equal(v.request.status, 'completed');
      assert.equal(v.receipt?.systems.find((s) => s.system === 'shop')?.identifyingValues, 0);
      bobIntact();
    });

    test('C9.2 a worker whose lease another worker now holds changes nothing and records nothing', async () => {
      await r.capture('hugo@example.com');
      const id = await r.approved('erasure', 'hugo@example.com');
      await planFulfilment(app.ctx, id);
      const lines = (await r.view(id)).plan?.steps.find((s) => s.key === 'shop:order_lines:delete');
      assert.ok(lines);
      const row = await app.ctx.store.db
        .selectFrom('request_steps')
        .select('job_id')
        .where('id', '=', lines.id)
        .executeTakeFirstOrThrow();
      // Its job is claimed by another worker (or by none): this one's run stops at its first write.
      await app.ctx.store.db
        .updateTable('jobs')
        .set({ status: 'running', lease_owner: 'other-worker' })
        .where('id', '=', row.job_id ?? '')
        .execute();
      await assert.rejects(
        runStep(app.ctx, lines.id, { id: row.job_id ?? '', attempt: 1, owner: 'paused-worker' }),
        /another worker holds its lease now/,
      );
      const after = await app.ctx.store.db
        .selectFrom('request_steps')
        .select(['status', 'progress', 'result'])
        .where('id', '=', lines.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(after, { status: 'running', progress: null, result: null });
      assert.equal(
        shop.all(
          'select o.id from order_lines o join orders d on d.id = o.order_id join customers c on c.id = d.customer_id where c.email = ?',
          'hugo@example.com',
        ).length,
        4,
        'the batch it tried rolled back in the company database',
      );
    });
  });

  describe(`a connected system that cannot be reached on ${dialect}`, () => {
    let app: TestApp;
    let dir: string;
    let shop: Shop;
    const clock = movableClock();

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'steward-execution-'));
      shop = createShop(join(dir, 'shop.db'));
      app = await startTestApp(dialect, {
        clock,
        declarations: [
          declarationWith(dir, [
            { id: 'shop', name: 'Web shop', dataset: SHOP_DATASET },
            { id: 'ledger', name: 'Ledger', dataset: LEDGER_DATASET },
          ]),
        ],
        config: {
          systems: new Map([
            ['shop', { system: 'shop', url: `sqlite:${shop.path}` }],
            ['ledger', { system: 'ledger', url: `sqlite:${join(dir, 'ledger.db')}` }],
          ]),
        },
      });
    });
    after(async () => {
      await app.close();
      shop.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('C9.2 an unreachable system fails its step with a clear error, the request stays in progress, and a retry after the fix completes it', async () => {
      const headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const r = requestsOf(app, () => headers);
      await r.capture('heidi@example.com');
      const id = await r.approved('erasure', 'heidi@example.com');
      let failed: StepView | undefined;
      for (let round = 0; round < 12 && failed === undefined; round += 1) {
        await r.runJobs();
        clock.skip(60 * 60 * 1000);
        failed = (await r.view(id)).plan?.steps.find((s) => s.system === 'ledger' && s.status === 'failed');
      }
      assert.ok(failed, 'the ledger step ends failed');
      assert.match(failed.error ?? '', /^ledger: .*(unable to open|unreachable)/i);
      assert.ok(!(failed.error ?? '').includes(dir), 'the error does not show the file path');
      let v = await r.view(id);
      assert.equal(v.request.status, 'in_progress', 'the request does not complete');
      assert.ok(v.plan?.steps.filter((s) => s.system !== 'ledger').every((s) => s.status === 'done'));

      const ledger = new SQLite(join(dir, 'ledger.db'));
      ledger.exec('create table entries (id integer primary key, email text not null)');
      ledger
        .prepare('insert into entries values (1, ?), (2, ?)')
        .run('heidi@example.com', 'ivan@example.com');
      const retry = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/steps/${failed.id}/retry`,
        headers,
        payload: {},
      });
      assert.equal(retry.statusCode, 202, retry.body);
      await r.runJobs();
      v = await r.view(id);
      assert.equal(
        v.request.status,
        'completed',
        JSON.stringify(v.plan?.steps.map((s) => [s.key, s.status, s.error])),
      );
      assert.deepEqual(ledger.prepare('select email from entries').all(), [{ email: 'ivan@example.com' }]);
      ledger.close();
      const again = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/steps/${failed.id}/retry`,
        headers,
        payload: {},
      });
      assert.equal(again.statusCode, 409, 'a step that is done is not retried');
    });
  });
}
