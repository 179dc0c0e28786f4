/**
 * One request carried out across Steward's own data and Nordkust Kaffe's three company databases
 * — the web shop on PostgreSQL, the customer register on MariaDB, the support desk on SQLite —
 * through the public HTTP API, with the example declaration and its reviewed datasets as they
 * ship, the connection settings given as STEWARD_SYSTEM_<ID>_URL, and Steward's store on SQLite
 * and PostgreSQL. Every check of a company database is direct SQL on that database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Clock } from '../../src/context.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { dialects } from '../support/app.js';
import { anna, decoyOnly } from '../support/nordkust-systems.js';
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

const D = NORDKUST;
const SYSTEMS = ['shop', 'crm', 'support'] as const;
const servers =
  (await serviceAvailable('PostgreSQL', postgresUrl)) && (await serviceAvailable('MariaDB', mysqlUrl));

interface StepView {
  id: string;
  key: string;
  system: string;
  collection: string;
  action: string;
  status: string;
  error: string | null;
  taskId: string | null;
}
interface RequestView {
  request: { status: string; outcome: { summary: string[] } | null };
  tasks: { id: string; kind: string; target: string; status: string; note: string | null }[];
  plan: { steps: StepView[] } | null;
  receipt: {
    systems: {
      system: string;
      identifyingValues: number;
      statement: string;
      kept: { collection: string; rows: number; why: string }[];
    }[];
  } | null;
}

/** A clock the test moves on by hand (a failing step's backoff waits for it). */
function movableClock(): Clock & { skip(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), skip: (ms) => void (offset += ms) };
}

/** Steward with the nordkust declaration and three fresh company databases, torn down by `close`. */
async function world(dialect: 'sqlite' | 'postgres', clock?: Clock) {
  const nordkust = await startNordkust(dialect, clock ? { clock } : {});
  const { app, headers } = nordkust;
  const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();
  const view = async (id: string): Promise<RequestView> => {
    const res = await app.request({ method: 'GET', url: `/api/v1/requests/${id}`, headers });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<RequestView>();
  };
  const steps = (v: RequestView) => JSON.stringify(v.plan?.steps.map((s) => [s.key, s.status, s.error]));
  /** Steward's own data about Anna: an email to customer service. */
  const capture = () => recordEmail(nordkust, anna.email, 'Where is my order?');
  /** Anna's request, received by email and approved by an operator who checked it. */
  const approved = async (type: string, extra: Record<string, unknown> = {}) => {
    await capture();
    const res = await app.request({
      method: 'POST',
      url: '/api/v1/requests',
      headers,
      payload: {
        declarationId: D,
        type,
        channel: 'email',
        language: 'en',
        requester: { identifiers: [{ kind: 'email', value: anna.email }] },
        ...extra,
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { id } = res.json<{ id: string }>();
    await runJobs();
    await approve(nordkust, id);
    return id;
  };
  return {
    ...nordkust,
    runJobs,
    view,
    steps,
    approved,
    closeTask: (id: string, taskId: string | null, note: string) => closeTask(nordkust, id, taskId, note),
    decoyIntact: () => decoyIntact(nordkust),
  };
}

const withWorld = async (
  dialect: 'sqlite' | 'postgres',
  body: (w: Awaited<ReturnType<typeof world>>) => Promise<void>,
  clock?: Clock,
) => {
  const w = await world(dialect, clock);
  try {
    await body(w);
  } finally {
    await w.close();
  }
};

for (const dialect of await dialects()) {
  describe(
    `a request across PostgreSQL, MariaDB, SQLite and Steward (store on ${dialect})`,
    { skip: !servers, timeout: 300_000 },
    () => {
      test(
        'C9.2 C9.5 C9.9 access: the package holds Anna’s rows from all three systems, none of the decoy’s, as JSON and CSV with a schema, and says what each system holds and why',
        { timeout: 60_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const id = await w.approved('access');
            await w.runJobs();
            const v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));
            for (const s of SYSTEMS)
              assert.ok(
                v.plan?.steps.some((x) => x.system === s && x.action === 'read' && x.status === 'done'),
                `${s} is read`,
              );
            const files = await collectPackage(w.app, anna.email, async () => void (await w.runJobs()));
            const rows = (path: string) => {
              const text = files.get(path);
              assert.ok(text !== undefined, `${path} is in the package: ${[...files.keys()].join(', ')}`);
              return (JSON.parse(text) as { rows: Record<string, unknown>[] }).rows;
            };

            // Anna's rows, each system's, found by email and through the shop customer number.
            assert.deepEqual(
              rows('systems/shop/customers.json').map((r) => r.customer_no),
              [anna.customerNo],
            );
            assert.deepEqual(
              rows('systems/shop/orders.json')
                .map((r) => r.order_no)
                .sort(),
              ['O-100', 'O-101'],
            );
            assert.equal(rows('systems/shop/order_lines.json').length, 4);
            assert.equal(rows('systems/shop/payments.json').length, 2);
            assert.deepEqual(
              rows('systems/shop/invoices.json')
                .map((r) => r.invoice_no)
                .sort(),
              ['F-100', 'F-101'],
            );
            assert.deepEqual(
              rows('systems/shop/addresses.json').map((r) => r.street),
              ['Hamngatan 5'],
            );
            assert.deepEqual(
              rows('systems/crm/contacts.json')
                .map((r) => r.email)
                .sort(),
              [anna.otherEmail, anna.email].sort(),
            );
            assert.equal(rows('systems/crm/interests.json').length, 2);
            assert.deepEqual(
              rows('systems/support/tickets.json').map((r) => r.requester_email),
              [anna.email],
            );
            assert.equal(rows('systems/support/messages.json').length, 2);
            // And Steward's own data about her, beside the systems' sections.
            assert.ok(
              [...files].some(
                ([path, text]) => !path.startsWith('systems/') && text.includes('Where is my order?'),
              ),
              `Steward's record of her email is in the package: ${[...files.keys()].join(', ')}`,
            );
            for (const [path, text] of files)
              for (const value of decoyOnly)
                assert.ok(!text.includes(value), `${path} holds none of the decoy's data (${value})`);

            // C9.5: every collection also as CSV, and schema.json describes each field with its category.
            const schema = JSON.parse(files.get('schema.json') ?? '{}') as {
              files: { path: string; fields?: { name: string; category?: string }[] }[];
            };
            const described = (path: string) => schema.files.find((f) => f.path === path)?.fields ?? [];
            for (const [system, collection, header, category] of [
              ['shop', 'customers', 'id,customer_no,email,full_name', ['email', 'user.contact.email']],
              [
                'shop',
                'invoices',
                'id,invoice_no,order_id,billing_name',
                ['billing_address', 'user.contact.address'],
              ],
              [
                'crm',
                'contacts',
                'id,email,first_name,last_name,shop_customer_no',
                ['shop_customer_no', 'user.unique_id'],
              ],
              [
                'support',
                'tickets',
                'id,requester_email,requester_name,subject',
                ['subject', 'user.content.communication'],
              ],
            ] as const) {
              const csv = files.get(`systems/${system}/${collection}.csv`) ?? '';
              assert.ok(
                csv.startsWith(header),
                `${system}/${collection}.csv has a header: ${csv.slice(0, 80)}`,
              );
              assert.equal(
                csv.trimEnd().split('\r\n').length,
                rows(`systems/${system}/${collection}.json`).length + 1,
                `${system}/${collection}.csv has a line per row of the JSON file`,
              );
              assert.ok(
                csv.includes(system === 'crm' ? anna.otherEmail : anna.name),
                `${system}/${collection}.csv holds her rows`,
              );
              const fields = described(`systems/${system}/${collection}.json`);
              assert.deepEqual(
                fields.map((f) => f.name),
                csv.split('\r\n')[0]?.split(','),
                'schema.json describes every column',
              );
              assert.equal(
                described(`systems/${system}/${collection}.json`).find((f) => f.name === category[0])
                  ?.category,
                category[1],
              );
            }

            // C9.9: what each system holds about her and why.
            const info = JSON.parse(files.get('information.json') ?? '{}') as {
              systems?: {
                id: string;
                purposes: { name: string }[];
                categories: { key: string }[];
                collections: { name: string; rows: number }[];
              }[];
            };
            const held = (id: string) => {
              const s = info.systems?.find((x) => x.id === id);
              assert.ok(s, `the Art. 15 information names ${id}`);
              return s;
            };
            assert.ok(held('shop').purposes.some((p) => p.name === 'Bookkeeping'));
            assert.ok(held('shop').categories.some((c) => c.key === 'user.financial.purchase_history'));
            assert.equal(held('shop').collections.find((c) => c.name === 'invoices')?.rows, 2);
            assert.ok(held('crm').purposes.some((p) => p.name === 'Newsletter'));
            assert.ok(held('crm').categories.some((c) => c.key === 'user.contact.email'));
            assert.equal(held('crm').collections.find((c) => c.name === 'contacts')?.rows, 2);
            assert.ok(held('support').purposes.some((p) => p.name === 'Customer service'));
            assert.equal(held('support').collections.find((c) => c.name === 'messages')?.rows, 2);
            await w.decoyIntact();
          }),
      );

      test(
        'C9.2 C5.1 erasure: Anna’s rows go or are masked in all three databases, invoices keep only bookkeeping fields, the decoy is untouched, the receipt says 0 identifying values left, and the systems’ recipients are told',
        { timeout: 60_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const id = await w.approved('erasure');
            await w.runJobs();
            const v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));

            // The shop: the customer masked (orders refer to her), the address gone, vouchers reduced.
            const [customer] = await w.shop.all(
              'select customer_no, email, full_name, phone from customers where id = 1',
            );
            assert.ok(customer);
            assert.notEqual(customer.customer_no, anna.customerNo);
            assert.notEqual(customer.email, anna.email);
            assert.notEqual(customer.full_name, anna.name);
            assert.equal(customer.phone, null);
            assert.equal((await w.shop.all('select 1 from addresses where customer_id = 1')).length, 0);
            assert.deepEqual(
              await w.shop.all(
                'select delivery_phone, total_sek from orders where customer_id = 1 order by id',
              ),
              [
                { delivery_phone: null, total_sek: '249.00' },
                { delivery_phone: null, total_sek: '249.00' },
              ],
            );
            assert.equal(
              (await w.shop.all('select 1 from order_lines where order_id in (100, 101)')).length,
              4,
            );
            const payments = await w.shop.all(
              'select psp_reference, amount_sek from payments where order_id in (100, 101)',
            );
            assert.equal(payments.length, 2);
            assert.ok(
              payments.every((p) => !String(p.psp_reference).startsWith(anna.pspReference)),
              'the payment reference is masked',
            );
            assert.deepEqual(
              await w.shop.all(
                'select billing_name, billing_address, email, amount_sek from invoices where order_id in (100, 101) order by id',
              ),
              [
                {
                  billing_name: anna.name,
                  billing_address: 'Hamngatan 5, 452 30 Strömstad',
                  email: null,
                  amount_sek: '249.00',
                },
                {
                  billing_name: anna.name,
                  billing_address: 'Hamngatan 5, 452 30 Strömstad',
                  email: null,
                  amount_sek: '249.00',
                },
              ],
            );
            // The register: both her contacts (by email and by customer number) and their interests gone.
            assert.deepEqual(await w.crm.all('select id from contacts order by id'), [{ id: 3 }, { id: 4 }]);
            assert.equal((await w.crm.all('select 1 from interests where contact_id in (1, 2)')).length, 0);
            // The support desk: her ticket and its messages gone.
            assert.deepEqual(w.support.all('select id from tickets'), [{ id: 2 }]);
            assert.deepEqual(w.support.all('select ticket_id from messages'), [{ ticket_id: 2 }]);
            await w.decoyIntact();

            for (const system of [...SYSTEMS, 'steward']) {
              const r = v.receipt?.systems.find((s) => s.system === system);
              assert.equal(r?.identifyingValues, 0, `${system}: ${r?.statement}`);
              assert.match(r?.statement ?? '', /^0 identifying values left/);
            }
            assert.match(
              v.receipt?.systems.find((s) => s.system === 'shop')?.statement ?? '',
              /invoices \(2\).*Bookkeeping.*Bokföringslagen/,
            );
            const summary = v.request.outcome?.summary.join('\n') ?? '';
            assert.match(summary, /Kept in Web shop database: .*invoices .*"Bookkeeping"/);

            // C5.1: a notice per recipient of the systems that held her data, naming those systems:
            // the email service (notifyOnChange, serving all three) and the processor running two.
            const notices = new Map(
              v.tasks.filter((t) => t.kind === 'recipient_notice').map((t) => [t.target, t.note ?? '']),
            );
            assert.match(
              notices.get('email_service') ?? '',
              /held in Steward, Web shop database, Customer register and Support desk\./,
              JSON.stringify([...notices]),
            );
            assert.match(
              notices.get('hosting_provider') ?? '',
              /held in Web shop database and Customer register\./,
              'the support desk runs on our own server, so its operator is not told of it',
            );
          }),
      );

      test(
        'C9.2 rectification: a corrected name and address reach every field of those categories in every system, and only Anna’s',
        { timeout: 60_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const name = 'Anna Nordin';
            const address = 'Skeppsgatan 2, 452 31 Strömstad';
            const id = await w.approved('rectification', {
              rectification: [
                { field: 'Name', value: name },
                { field: 'Postal address', value: address },
              ],
            });
            await w.runJobs();
            let v = await w.view(id);
            assert.equal(v.request.status, 'in_progress', 'a person checks the correction first');
            const review = v.plan?.steps.find((s) => s.action === 'review');
            assert.equal(review?.status, 'manual');
            await w.closeTask(id, review?.taskId ?? null, 'Checked against her email; applied in Steward.');
            await w.runJobs();
            v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));

            assert.deepEqual(await w.shop.all('select full_name from customers where id = 1'), [
              { full_name: name },
            ]);
            assert.deepEqual(
              await w.shop.all('select street, postal_code from addresses where customer_id = 1'),
              [{ street: address, postal_code: address }],
            );
            assert.deepEqual(
              await w.shop.all(
                'select distinct billing_name, billing_address from invoices where order_id in (100, 101)',
              ),
              [{ billing_name: name, billing_address: address }],
            );
            assert.deepEqual(
              await w.crm.all('select first_name, last_name from contacts where id in (1, 2)'),
              [
                { first_name: name, last_name: name },
                { first_name: name, last_name: name },
              ],
            );
            assert.deepEqual(w.support.all('select requester_name from tickets where id = 1'), [
              { requester_name: name },
            ]);
            await w.decoyIntact();
          }),
      );

      test(
        'C9.10 restriction: the declared flag is set in the shop and the register, and the support desk, which declares none, gets a task',
        { timeout: 60_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const id = await w.approved('restriction');
            await w.runJobs();
            let v = await w.view(id);
            assert.deepEqual(await w.shop.all('select processing_restricted from customers where id = 1'), [
              { processing_restricted: true },
            ]);
            assert.deepEqual(
              await w.crm.all('select id, suppressed from contacts where id in (1, 2) order by id'),
              [
                { id: 1, suppressed: 1 },
                { id: 2, suppressed: 1 },
              ],
            );
            const manual = v.plan?.steps.find((s) => s.system === 'support');
            assert.equal(manual?.status, 'manual', w.steps(v));
            const task = v.tasks.find((t) => t.id === manual?.taskId);
            assert.match(task?.note ?? '', /Support desk declares no way to mark a person's data restricted/);
            assert.equal(v.request.status, 'in_progress', 'the request waits for the support desk');
            await w.closeTask(id, manual?.taskId ?? null, 'Ticket tagged "restricted" in the desk.');
            await w.runJobs();
            v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));
            await w.decoyIntact();
          }),
      );

      test(
        'C9.2 an unreachable system fails its steps with a clear error and no secret, the request stays in progress, and a retry once it is back completes it',
        { timeout: 60_000 },
        async () => {
          const clock = movableClock();
          await withWorld(
            dialect,
            async (w) => {
              await w.crm.remove();
              const id = await w.approved('erasure');
              let failed: StepView[] = [];
              for (let round = 0; round < 12 && failed.length === 0; round += 1) {
                await w.runJobs();
                clock.skip(60 * 60 * 1000);
                failed = (await w.view(id)).plan?.steps.filter((s) => s.status === 'failed') ?? [];
              }
              // The link through the shop customer number is searched in the register too: that
              // step fails with it, and the shop's steps that wait for the link do not run.
              assert.ok(
                failed.length > 0,
                `steps that need the register end failed: ${w.steps(await w.view(id))}`,
              );
              for (const s of failed) {
                assert.match(s.error ?? '', /^crm: .*unknown database/i);
                for (const secret of [w.crm.password, w.crm.url, encodeURIComponent(w.crm.password)])
                  assert.ok(!(s.error ?? '').includes(secret), `no secret in "${s.error}"`);
              }
              let v = await w.view(id);
              assert.equal(v.request.status, 'in_progress', 'the request does not complete');
              assert.ok(
                v.plan?.steps
                  .filter((s) => s.system === 'steward' || s.system === 'support')
                  .every((s) => s.status === 'done'),
                w.steps(v),
              );

              await w.crm.restore();
              for (const s of failed) {
                const retry = await w.app.request({
                  method: 'POST',
                  url: `/api/v1/requests/${id}/steps/${s.id}/retry`,
                  headers: w.headers,
                  payload: {},
                });
                assert.equal(retry.statusCode, 202, retry.body);
              }
              for (let round = 0; round < 6 && v.request.status !== 'completed'; round += 1) {
                await w.runJobs();
                v = await w.view(id);
              }
              assert.equal(v.request.status, 'completed', w.steps(v));
              assert.deepEqual(await w.crm.all('select id from contacts order by id'), [
                { id: 3 },
                { id: 4 },
              ]);
              await w.decoyIntact();
            },
            clock,
          );
        },
      );
    },
  );
}
