/**
 * Erasure conditions of the Nordkust declaration, through the public HTTP API across Steward's
 * data and the three company databases: an order not yet delivered defers the erasure of the
 * orders purpose's data (the shop) until a re-check after its delivery, a pending payment refuses
 * it, and the rest of the erasure (the customer register, the support desk, Steward's record)
 * goes ahead at once. The requester is told the condition and when it ends.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Clock } from '../../src/context.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { dialects } from '../support/app.js';
import { mailbox } from '../support/mail.js';
import { anna } from '../support/nordkust-systems.js';
import { approve, decoyIntact, NORDKUST, recordEmail, startNordkust } from '../support/nordkust.js';
import { mysqlUrl, postgresUrl, serviceAvailable } from '../support/services.js';

const servers =
  (await serviceAvailable('PostgreSQL', postgresUrl)) && (await serviceAvailable('MariaDB', mysqlUrl));

interface RequestView {
  request: { status: string; outcome: { summary: string[] } | null };
  timeline: { kind: string; details: Record<string, unknown> }[];
  plan: { steps: { key: string; system: string; collection: string; status: string }[] } | null;
  receipt: { systems: { system: string; statement: string }[] } | null;
}

const DAY = 86_400_000;

function movableClock(): Clock & { skip(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), skip: (ms) => void (offset += ms) };
}

async function world(dialect: 'sqlite' | 'postgres') {
  const clock = movableClock();
  const nordkust = await startNordkust(dialect, { clock });
  const { app } = nordkust;
  let headers = nordkust.headers;
  /** Days pass (the operator signs in again: sessions end). */
  const skip = async (ms: number) => {
    clock.skip(ms);
    headers = { ...headers, cookie: (await app.signInAs('privacy_officer')).cookie };
  };
  const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();
  const view = async (id: string) => {
    const res = await app.request({ method: 'GET', url: `/api/v1/requests/${id}`, headers });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<RequestView>();
  };
  const steps = (v: RequestView) => JSON.stringify(v.plan?.steps.map((s) => [s.key, s.status]));
  /** The shop reports an event of Anna's order O-100 (shop.orders id 100). */
  const report = async (event: string) => {
    const res = await app.request({
      method: 'POST',
      url: '/api/v1/lifecycle-events',
      headers,
      payload: {
        declarationId: NORDKUST,
        event,
        record: { system: 'shop', collection: 'orders', key: { id: 100 } },
      },
    });
    assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
  };
  const erasure = async () => {
    await recordEmail(nordkust, anna.email, 'Please erase everything about me.');
    const res = await app.request({
      method: 'POST',
      url: '/api/v1/requests',
      headers,
      payload: {
        declarationId: NORDKUST,
        type: 'erasure',
        channel: 'email',
        language: 'en',
        requester: { identifiers: [{ kind: 'email', value: anna.email }] },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { id } = res.json<{ id: string }>();
    await runJobs();
    await approve(nordkust, id);
    await runJobs();
    return id;
  };
  const annaInShop = async () =>
    (await nordkust.shop.all('select email from customers where id = 1'))[0]?.email === anna.email;
  return { ...nordkust, skip, runJobs, view, steps, report, erasure, annaInShop };
}

for (const dialect of await dialects()) {
  describe(
    `erasure conditions across the Nordkust systems (store on ${dialect})`,
    { skip: !servers, timeout: 300_000 },
    () => {
      test(
        'C9.2 an order not yet delivered defers the erasure of the shop’s order data only, the requester is told why and until when, and once it is delivered a re-check erases it',
        { timeout: 90_000 },
        async () => {
          const w = await world(dialect);
          try {
            await w.report('order_placed');
            const id = await w.erasure();
            let v = await w.view(id);
            assert.equal(v.request.status, 'in_progress', w.steps(v));
            const condition = v.plan?.steps.find((s) => s.key === '*:orders.open_order:condition');
            assert.equal(condition?.status, 'pending', w.steps(v));
            // The shop waits (every collection serves the orders purpose); the rest is done.
            for (const s of v.plan?.steps.filter((s) => s.system === 'shop') ?? [])
              assert.equal(s.status, 'pending', `${s.key} waits: ${w.steps(v)}`);
            for (const s of v.plan?.steps.filter((s) => s.system === 'crm' || s.system === 'support') ?? [])
              assert.equal(s.status, 'done', `${s.key} went ahead: ${w.steps(v)}`);
            assert.ok(await w.annaInShop(), 'her shop data is still there');
            assert.deepEqual(await w.crm.all('select id from contacts order by id'), [{ id: 3 }, { id: 4 }]);
            assert.deepEqual(w.support.all('select id from tickets'), [{ id: 2 }]);
            // Told now: the condition, its expected end (14 days after the order), the next check.
            const [notice] = await mailbox(w.app.ctx, { to: anna.email, kind: 'rights_conditions' });
            assert.ok(notice, 'a notice that part of the erasure waits was sent');
            assert.match(
              notice.text,
              /"Orders and delivery": You have an order that has not been delivered yet/,
            );
            assert.match(notice.text, /until the order is delivered \(expected by \d{4}-\d{2}-\d{2}\)/);
            assert.match(notice.text, /we check again on \d{4}-\d{2}-\d{2}/);
            assert.ok(v.timeline.some((e) => e.kind === 'erasure_conditions'));

            // A day on, still not delivered: checked again, still waiting.
            await w.skip(DAY + 60_000);
            await w.runJobs();
            v = await w.view(id);
            assert.equal(v.request.status, 'in_progress', w.steps(v));
            assert.ok(await w.annaInShop());

            // Delivered: the next check finds the condition ended and the shop's steps run.
            await w.report('delivered');
            await w.skip(DAY + 60_000);
            await w.runJobs();
            v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));
            assert.equal(await w.annaInShop(), false, 'her shop data is erased now');
            assert.equal((await w.shop.all('select 1 from addresses where customer_id = 1')).length, 0);
            const summary = v.request.outcome?.summary.join('\n') ?? '';
            assert.match(
              summary,
              /We erased your data for “Orders and delivery” on \d{4}-\d{2}-\d{2}, once the reason to wait had ended/,
            );
            assert.match(summary, /Kept in Web shop database: .*“Bookkeeping”/);
            const [done] = await mailbox(w.app.ctx, { to: anna.email, kind: 'rights_completed' });
            assert.match(done?.text ?? '', /Orders and delivery/);
            await decoyIntact(w);
          } finally {
            await w.close();
          }
        },
      );

      test(
        'C9.2 an order still not delivered when waiting would pass the request’s deadline is put before the operator',
        { timeout: 90_000 },
        async () => {
          const w = await world(dialect);
          try {
            await w.report('order_placed');
            const id = await w.erasure();
            const past = (v: RequestView) =>
              v.timeline.filter((e) => e.kind === 'erasure_deferral_past_deadline');
            assert.deepEqual(past(await w.view(id)), [], 'expected within 14 days: inside the month');
            // A month on, still not delivered: the next check falls after the deadline.
            await w.skip(31 * DAY);
            await w.runJobs();
            const v = await w.view(id);
            assert.equal(v.request.status, 'in_progress');
            const [event] = past(v);
            assert.equal(event?.details['condition'], 'orders.open_order');
            assert.match(String(event?.details['what']), /extend the request with reasons \(Art\. 12\(3\)\)/);
            assert.ok(await w.annaInShop());
          } finally {
            await w.close();
          }
        },
      );

      test(
        'C9.2 a pending payment refuses the erasure of the order data, which stays untouched, while the rest is erased, and the answer names the condition and when it ends',
        { timeout: 90_000 },
        async () => {
          const w = await world(dialect);
          try {
            await w.shop.all(`update payments set status = 'pending' where id = 100`);
            const id = await w.erasure();
            const v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));
            assert.equal(
              v.plan?.steps.find((s) => s.key === '*:orders.unpaid:condition')?.status,
              'skipped',
              w.steps(v),
            );
            assert.ok(await w.annaInShop(), 'her shop data stays');
            assert.deepEqual(
              await w.shop.all('select delivery_phone from orders where id = 100'),
              [{ delivery_phone: anna.phone }],
              'not even masked',
            );
            assert.deepEqual(await w.crm.all('select id from contacts order by id'), [{ id: 3 }, { id: 4 }]);
            assert.deepEqual(w.support.all('select id from tickets'), [{ id: 2 }]);
            const summary = v.request.outcome?.summary.join('\n') ?? '';
            assert.match(
              summary,
              /We did not erase your data for “Orders and delivery”: A payment for an order is not settled.*This applies until the payment is settled\. Ask us again once it has ended\./,
            );
            assert.match(summary, /Web shop database: not erased for now/);
            assert.match(
              v.receipt?.systems.find((s) => s.system === 'shop')?.statement ?? '',
              /orders\.unpaid refuses it/,
            );
            await decoyIntact(w);
          } finally {
            await w.close();
          }
        },
      );
    },
  );
}
