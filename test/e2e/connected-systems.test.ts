/**
 * One request carried out across Steward's own data and Nordkust Kaffe's three company databases
 * — the web shop on PostgreSQL, the customer register on MariaDB, the support desk on SQLite —
 * through the public HTTP API, with the example declaration and its reviewed datasets as they
 * ship, the connection settings given as STEWARD_SYSTEM_<ID>_URL, and Steward's store on SQLite
 * and PostgreSQL. Every check of a company database is direct SQL on that database.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Clock } from '../../src/context.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { dialects } from '../support/app.js';
import { anna, decoy, decoyOnly } from '../support/nordkust-systems.js';
import {
  approve,
  closeTask,
  decoyIntact,
  NORDKUST,
  recordEmail,
  startNordkust,
} from '../support/nordkust.js';
import { mailbox } from '../support/mail.js';
import { startReceiver } from '../support/receiver.js';
import { unzip } from '../support/result-links.js';
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
  plan: { note?: string };
  taskId: string | null;
}
interface RequestView {
  request: { reference: string; status: string; outcome: { summary: string[] } | null };
  timeline: { kind: string; details: Record<string, unknown> }[];
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
  const nordkust = await startNordkust(dialect, {
    ...(clock ? { clock } : {}),
    // Portable data may be sent to a receiver on this machine (plain HTTP, for the test only).
    config: { transmitAllowedHosts: ['127.0.0.1'] },
  });
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
  /** The newest code mailed to `to`. */
  const codeFor = async (to: string) => {
    const [mail] = (await mailbox(app.ctx, { to, kind: 'rights_code' })).reverse();
    const code = /(?:Your code|Din kod): (\d{6})/.exec(mail?.text ?? '')?.[1];
    assert.ok(code, `a code reached ${to}`);
    return code;
  };
  /**
   * A request through the privacy centre from someone Steward holds no record of, confirmed
   * with the code mailed to the address given (`identifiers` first among those named).
   */
  const askAsStranger = async (
    type: string,
    identifiers: { kind: string; value: string }[],
    extra: Record<string, unknown> = {},
  ) => {
    const res = await app.request({
      method: 'POST',
      url: '/api/v1/privacy-centre/requests',
      headers: { 'content-type': 'application/json' },
      payload: { declarationId: D, type, language: 'en', requester: { identifiers }, ...extra },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { id, accessToken } = res.json<{ id: string; accessToken: string }>();
    await runJobs();
    const entered = await app.request({
      method: 'POST',
      url: `/api/v1/privacy-centre/requests/${id}/code`,
      headers: { 'content-type': 'application/json' },
      payload: { token: accessToken, code: await codeFor(identifiers[0]!.value) },
    });
    assert.equal(entered.statusCode, 200, entered.body);
    assert.deepEqual(entered.json(), { ok: true, next: 'wait' });
    return id;
  };
  /** The result link of the newest completion mail to `to`, its code asked for and mailed. */
  const resultLink = async (to: string) => {
    const [done] = (await mailbox(app.ctx, { to, kind: 'rights_completed' })).reverse();
    const link = /\/privacy-centre\/results\/([A-Za-z0-9_-]+)/.exec(done?.text ?? '')?.[1];
    assert.ok(link, `the completion mail carries the result link: ${done?.text}`);
    const asked = await app.request({ method: 'POST', url: `/api/v1/privacy-centre/results/${link}/code` });
    assert.equal(asked.statusCode, 202);
    await runJobs();
    return { link, code: await codeFor(to) };
  };
  /** Sends a portability result on to `endpoint` with its link's code (C5m.1). */
  const send = (link: string, code: string, endpoint: string) =>
    app.request({
      method: 'POST',
      url: `/api/v1/privacy-centre/results/${link}/send`,
      headers: { 'content-type': 'application/json' },
      payload: { code, endpoint },
    });
  /** Downloads the result the newest completion mail to `to` links to (or `result`), and unpacks it. */
  const collect = async (to: string, result?: { link: string; code: string }) => {
    const { link, code } = result ?? (await resultLink(to));
    const zip = await app.request({
      method: 'POST',
      url: `/api/v1/privacy-centre/results/${link}/download`,
      headers: { 'content-type': 'application/json' },
      payload: { code },
    });
    assert.equal(zip.statusCode, 200, zip.body.slice(0, 300));
    const files = await unzip(zip.rawPayload);
    const rows = (path: string) => {
      const text = files.get(path);
      assert.ok(text !== undefined, `${path} is in the package: ${[...files.keys()].join(', ')}`);
      return (JSON.parse(text) as { rows: Record<string, unknown>[] }).rows;
    };
    return { files, rows };
  };
  return {
    ...nordkust,
    runJobs,
    view,
    steps,
    approved,
    closeTask: (id: string, taskId: string | null, note: string) => closeTask(nordkust, id, taskId, note),
    decoyIntact: () => decoyIntact(nordkust),
    askAsStranger,
    resultLink,
    send,
    collect,
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
            await w.runJobs();
            const { files, rows } = await w.collect(anna.email);

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
            assert.match(summary, /Kept in Web shop database: .*invoices .*“Bookkeeping”/);

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
        'C9.2 rectification: a corrected name and address given in parts reach every field of those categories in every system, each part its own column, and only Anna’s',
        { timeout: 60_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const name = 'Anna Nordin';
            const address = 'Skeppsgatan 2, 452 31 Strömstad';
            const id = await w.approved('rectification', {
              rectification: [
                { field: 'Name', value: name, parts: { first: 'Anna', last: 'Nordin' } },
                {
                  field: 'Postal address',
                  value: address,
                  parts: { street: 'Skeppsgatan 2', postal_code: '452 31', city: 'Strömstad' },
                },
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
              [{ street: 'Skeppsgatan 2', postal_code: '452 31' }],
            );
            assert.match(
              v.plan?.steps.find((s) => s.key === 'shop:addresses:update')?.plan.note ?? '',
              /addresses has no field for the city given in the correction/,
              'the city is a reference to the towns table: a person checks it',
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
                { first_name: 'Anna', last_name: 'Nordin' },
                { first_name: 'Anna', last_name: 'Nordin' },
              ],
            );
            assert.deepEqual(w.support.all('select requester_name from tickets where id = 1'), [
              { requester_name: name },
            ]);
            await w.decoyIntact();
          }),
      );

      test(
        'C9.6 C9.2 C9.5 someone Steward holds no record of, but the company’s systems do, proves the address they gave with a code, and their access and portability packages hold those systems’ rows found by that address alone',
        { timeout: 90_000 },
        async () =>
          withWorld(dialect, async (w) => {
            // An address no system holds gets the same answer, and no code goes to it.
            const nobody = 'nobody.here@example.com';
            const unknown = await w.app.request({
              method: 'POST',
              url: '/api/v1/privacy-centre/requests',
              headers: { 'content-type': 'application/json' },
              payload: {
                declarationId: D,
                type: 'access',
                requester: { identifiers: [{ kind: 'email', value: nobody }] },
              },
            });
            assert.equal(unknown.statusCode, 201, unknown.body);
            await w.runJobs();
            assert.equal((await mailbox(w.app.ctx, { to: nobody })).length, 0, 'nothing is sent to it');
            const withheld = (await w.view(unknown.json<{ id: string }>().id)).timeline.find(
              (e) => e.kind === 'code_withheld',
            );
            assert.deepEqual(withheld?.details, { step: 1, why: 'not_on_file' });

            // Anna, unknown to Steward, also names the decoy's phone number, which she has not proven.
            const id = await w.askAsStranger('access', [
              { kind: 'email', value: anna.email },
              { kind: 'phone', value: decoy.phone },
            ]);
            await w.runJobs();
            const v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));
            await w.runJobs();
            const { files, rows } = await w.collect(anna.email);
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
            assert.deepEqual(
              rows('systems/crm/contacts.json')
                .map((r) => r.email)
                .sort(),
              [anna.otherEmail, anna.email].sort(),
              'the register’s contact found through her shop customer number too',
            );
            assert.equal(rows('systems/support/messages.json').length, 2);
            assert.deepEqual(
              [...files.keys()].filter((path) => !path.startsWith('systems/')).sort(),
              ['index.html', 'information.json', 'schema.json'],
              'Steward holds nothing of her own: only the systems’ sections',
            );
            const info = JSON.parse(files.get('information.json') ?? '{}') as {
              subject: { id: string | null };
              summary: { records: number; categories: { key: string }[]; text: string };
              systems?: { id: string; collections: { name: string; rows: number }[] }[];
            };
            assert.equal(info.subject.id, null);
            assert.deepEqual(info.systems?.map((s) => s.id).sort(), ['crm', 'shop', 'support']);
            // The summary counts the systems' rows: she is not told Steward holds nothing.
            const systemRows = [...files.keys()]
              .filter((path) => path.startsWith('systems/') && path.endsWith('.json'))
              .reduce((n, path) => n + rows(path).length, 0);
            assert.ok(systemRows > 0);
            assert.equal(info.summary.records, systemRows);
            assert.match(info.summary.text, new RegExp(`^We hold ${systemRows} records about you`));
            assert.ok(info.summary.categories.some((c) => c.key.startsWith('user.contact')));
            for (const [path, text] of files)
              for (const value of decoyOnly)
                assert.ok(!text.includes(value), `${path} holds none of the decoy's data (${value})`);

            // C9.5, C5m.1: her portable rows, sent on to another organisation as she asks.
            const portability = await w.askAsStranger('portability', [{ kind: 'email', value: anna.email }]);
            await w.runJobs();
            assert.equal((await w.view(portability)).request.status, 'completed');
            await w.runJobs();
            const receiver = await startReceiver(202);
            try {
              const { link, code } = await w.resultLink(anna.email);
              const sent = await w.send(link, code, `http://127.0.0.1:${receiver.port}/in`);
              assert.equal(sent.statusCode, 200, sent.body);
              const body = receiver.received.at(-1)?.body ?? '';
              const document = JSON.parse(body) as {
                sections: Record<string, { rows: { order_no?: string }[] }>;
              };
              assert.deepEqual(document.sections['systems/shop/orders']?.rows.map((r) => r.order_no).sort(), [
                'O-100',
                'O-101',
              ]);
              for (const value of decoyOnly)
                assert.ok(!body.includes(value), `none of the decoy's data (${value})`);
            } finally {
              await receiver.close();
            }
            await w.decoyIntact();
          }),
      );

      test(
        'C9.6 C9.2 someone only the company’s systems hold: a correction and then an erasure reach every system by the proven address, the receipt says 0 identifying values left, and each answer goes to that address',
        { timeout: 90_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const me = [{ kind: 'email', value: anna.email }];
            const answers = async () => mailbox(w.app.ctx, { to: anna.email, kind: 'rights_completed' });
            const address = 'Skeppsgatan 2, 452 31 Strömstad';
            // Parts a postal address does not have are refused, naming them.
            const odd = await w.app.request({
              method: 'POST',
              url: '/api/v1/privacy-centre/requests',
              headers: { 'content-type': 'application/json' },
              payload: {
                declarationId: D,
                type: 'rectification',
                requester: { identifiers: me },
                rectification: [{ field: 'Postal address', value: address, parts: { floor: '2' } }],
              },
            });
            assert.equal(odd.statusCode, 400, odd.body);
            assert.match(odd.body, /rectification\[0\]\.parts\.floor.*street, postal_code, city/);

            // Given as one text each, a name and an address are never smeared over split columns.
            const fixed = await w.askAsStranger('rectification', me, {
              rectification: [
                { field: 'Name', value: 'Anna Nordin' },
                { field: 'Postal address', value: address },
              ],
            });
            await w.runJobs();
            let v = await w.view(fixed);
            const review = v.plan?.steps.find((s) => s.action === 'review');
            assert.equal(review?.status, 'manual', w.steps(v));
            await w.closeTask(fixed, review?.taskId ?? null, 'Checked against her order confirmation.');
            await w.runJobs();
            v = await w.view(fixed);
            assert.equal(v.request.status, 'in_progress', 'the split columns wait for their owners');
            const byHand = new Map(
              v.plan?.steps.filter((s) => s.status === 'manual').map((s) => [s.key, s]) ?? [],
            );
            assert.deepEqual([...byHand.keys()].sort(), ['crm:contacts:manual', 'shop:addresses:manual']);
            assert.match(
              v.tasks.find((t) => t.id === byHand.get('shop:addresses:manual')?.taskId)?.note ?? '',
              /keeps "Postal address" in parts in addresses \(street: street and postal_code: postal_code\), and the correction was given as one text/,
            );
            assert.deepEqual(
              await w.shop.all('select street, postal_code from addresses where customer_id = 1'),
              [{ street: 'Hamngatan 5', postal_code: '452 30' }],
            );
            assert.deepEqual(
              await w.crm.all('select distinct first_name, last_name from contacts where id in (1, 2)'),
              [{ first_name: 'Anna', last_name: 'Lund' }],
            );
            assert.deepEqual(await w.shop.all('select full_name from customers where id = 1'), [
              { full_name: 'Anna Nordin' },
            ]);
            assert.deepEqual(
              await w.shop.all('select distinct billing_address from invoices where order_id in (100, 101)'),
              [{ billing_address: address }],
              'a column holding the whole address gets the whole text',
            );
            assert.deepEqual(w.support.all('select requester_name from tickets where id = 1'), [
              { requester_name: 'Anna Nordin' },
            ]);
            for (const step of byHand.values())
              await w.closeTask(fixed, step.taskId, 'Street, postcode and names set in the system.');
            await w.runJobs();
            v = await w.view(fixed);
            assert.equal(v.request.status, 'completed', w.steps(v));
            await w.runJobs();
            assert.match((await answers()).at(-1)?.text ?? '', new RegExp(v.request.reference));

            const erased = await w.askAsStranger('erasure', me);
            await w.runJobs();
            v = await w.view(erased);
            assert.equal(v.request.status, 'completed', w.steps(v));
            const [customer] = await w.shop.all('select email, full_name from customers where id = 1');
            assert.notEqual(customer?.email, anna.email);
            assert.notEqual(customer?.full_name, 'Anna Nordin');
            assert.deepEqual(await w.crm.all('select id from contacts order by id'), [{ id: 3 }, { id: 4 }]);
            assert.deepEqual(w.support.all('select id from tickets'), [{ id: 2 }]);
            for (const system of [...SYSTEMS, 'steward']) {
              const r = v.receipt?.systems.find((s) => s.system === system);
              assert.equal(r?.identifyingValues, 0, `${system}: ${r?.statement}`);
            }
            await w.runJobs();
            assert.match(
              (await answers()).at(-1)?.text ?? '',
              new RegExp(`${v.request.reference}[^]*Web shop database: we`),
              'the confirmation of the erasure reached the address she proved',
            );
            assert.ok(
              (await w.view(erased)).tasks.every((t) => t.kind !== 'manual'),
              'nobody has to answer her by hand',
            );
            await w.decoyIntact();
          }),
      );

      test(
        'C5m.1 C9.5 portable data sent straight to another organisation holds the connected systems’ rows, the same sections and rows as the download',
        { timeout: 60_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const id = await w.approved('portability');
            await w.runJobs();
            assert.equal((await w.view(id)).request.status, 'completed');
            await w.runJobs();
            // The receiver refuses the first time, so the link and its code still fetch the download.
            const receiver = await startReceiver(503);
            try {
              const result = await w.resultLink(anna.email);
              const refused = await w.send(result.link, result.code, `http://127.0.0.1:${receiver.port}/in`);
              assert.equal(refused.statusCode, 502, refused.body);
              const document = JSON.parse(receiver.received.at(-1)?.body ?? '{}') as {
                sections: Record<string, { count: number; rows: Record<string, unknown>[] }>;
              };
              const { files, rows } = await w.collect(anna.email, result);
              const downloaded = [...files.keys()]
                .filter((path) => path.endsWith('.json') && path !== 'schema.json')
                .map((path) => path.replace(/\.json$/, ''))
                .sort();
              assert.deepEqual(Object.keys(document.sections).sort(), downloaded);
              assert.ok(
                downloaded.filter((s) => s.startsWith('systems/')).length >= 3,
                `the systems' collections are there: ${downloaded.join(', ')}`,
              );
              for (const section of downloaded)
                assert.deepEqual(document.sections[section]?.rows, rows(`${section}.json`), section);
              assert.deepEqual(document.sections['systems/shop/orders']?.rows.map((r) => r.order_no).sort(), [
                'O-100',
                'O-101',
              ]);
            } finally {
              await receiver.close();
            }
          }),
      );

      test(
        'C9.2 an erasure an older version left with its per-system task job (rights.run-task) is planned after the upgrade and completes across every system',
        { timeout: 60_000 },
        async () =>
          withWorld(dialect, async (w) => {
            const id = await w.approved('erasure');
            // What the older version wrote when the request entered fulfilment: a task for
            // Steward's data and its job, instead of the planning job this version enqueued.
            const db = w.app.ctx.store.db;
            await db.deleteFrom('jobs').where('id', '=', `plan:${id}`).execute();
            const now = new Date().toISOString();
            const taskId = randomUUID();
            await db
              .insertInto('request_tasks')
              .values({
                id: taskId,
                request_id: id,
                kind: 'system',
                target: 'steward',
                action: 'erasure',
                status: 'pending',
                result: null,
                note: null,
                created_at: now,
                updated_at: now,
                done_at: null,
                done_by: null,
              })
              .execute();
            await db
              .insertInto('jobs')
              .values({
                id: randomUUID(),
                type: 'rights.run-task',
                version: 1,
                payload: JSON.stringify({ taskId }),
                status: 'pending',
                run_at: now,
                attempts: 0,
                max_attempts: 5,
                lease_owner: null,
                lease_expires_at: null,
                last_error: null,
                result: null,
                created_at: now,
                updated_at: now,
              })
              .execute();

            await w.runJobs();
            const v = await w.view(id);
            assert.equal(v.request.status, 'completed', w.steps(v));
            for (const system of [...SYSTEMS, 'steward'])
              assert.equal(v.receipt?.systems.find((s) => s.system === system)?.identifyingValues, 0, system);
            assert.deepEqual(await w.crm.all('select id from contacts order by id'), [{ id: 3 }, { id: 4 }]);
            assert.deepEqual(w.support.all('select id from tickets'), [{ id: 2 }]);
            assert.deepEqual(
              v.tasks.filter((t) => t.kind === 'system').map((t) => [t.id, t.status]),
              [[taskId, 'skipped']],
              'the old task is closed as replaced by the plan',
            );
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
