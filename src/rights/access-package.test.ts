import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import { startReceiver } from '../../test/support/receiver.js';
import { smallShopDeclaration } from '../../test/support/paths.js';
import { captureRecord } from '../capture/capture-record.js';
import { hostActor } from '../cli/host-actor.js';
import { AppError } from '../errors.js';
import type { AccessInformation } from './art15.js';
import { writeAccessPackage } from './access-package.js';
import { transmitPortability, writePortabilityPackage } from './portability.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

const D = 'sncn-general';
const NOTICE = 'd'.repeat(64);
const EMAIL = 'erika.portable@example.com';
const HOSTILE = '<script>alert("x")</script>';

/** A Writable that keeps what is written, for unzipping afterwards. */
function collector(): { out: Writable; bytes(): Uint8Array } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, bytes: () => new Uint8Array(Buffer.concat(chunks)) };
}

async function unzip(bytes: Uint8Array, password?: string): Promise<Map<string, string>> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes), password === undefined ? {} : { password });
  const files = new Map<string, string>();
  for (const entry of await reader.getEntries()) {
    if (entry.directory) continue;
    files.set(entry.filename, await entry.getData(new TextWriter()));
  }
  await reader.close();
  return files;
}

function json<T>(files: Map<string, string>, path: string): T {
  const text = files.get(path);
  assert.ok(text !== undefined, `${path} in ${[...files.keys()].join(', ')}`);
  return JSON.parse(text) as T;
}

/** Every record row in the package's `records/*.json` files. */
function recordRows(
  files: Map<string, string>,
): { id: string; sourceName: string; data: Record<string, unknown> }[] {
  return [...files.keys()]
    .filter((p) => p.startsWith('records/') && p.endsWith('.json'))
    .flatMap(
      (p) =>
        json<{ rows: { id: string; sourceName: string; data: Record<string, unknown> }[] }>(files, p).rows,
    );
}

for (const dialect of await dialects()) {
  describe(`access and portability packages on ${dialect}`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    let subjectId: string;
    const ids: Record<'consent' | 'contract' | 'interest' | 'credit' | 'public', string> = {
      consent: '',
      contract: '',
      interest: '',
      credit: '',
      public: '',
    };

    const capture = async (payload: Record<string, unknown>): Promise<{ id: string; subjectId: string }> => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: EMAIL }], jurisdiction: 'DE' },
          ...payload,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string; subjectId: string }>();
    };

    before(async () => {
      // The test receivers listen on this machine, which transmissions may reach only when allowed.
      app = await startTestApp(dialect, { config: { transmitAllowedHosts: ['127.0.0.1', 'localhost'] } });
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const consent = await capture({
        kind: 'form_submission',
        purposes: ['personalised_content'],
        categories: ['user.preferences'],
        source: 'website_forms',
        data: { name: HOSTILE, interests: 'IoT, "sensors", offices' },
        consent: { noticeHash: NOTICE },
      });
      subjectId = consent.subjectId;
      ids.consent = consent.id;
      ids.contract = (
        await capture({
          kind: 'partner_account',
          purposes: ['b2b_service_provision'],
          categories: ['user.name', 'user.account.username'],
          source: 'partner_account',
          data: { username: 'erika', company: 'Acme AB' },
        })
      ).id;
      ids.interest = (
        await capture({
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.content.communication'],
          source: 'website_forms',
          data: { message: 'Do you ship to Lund?' },
        })
      ).id;
      ids.credit = (
        await capture({
          kind: 'credit_report',
          purposes: ['credit_check'],
          categories: ['user.financial.credit'],
          source: 'credit_institutions',
          data: { rating: 'AA', remarks: 0 },
        })
      ).id;
      ids.public = (
        await capture({
          kind: 'business_contact',
          purposes: ['customer_marketing'],
          categories: ['user.job_title'],
          source: 'public_business_data',
          data: { title: 'Head of Facilities' },
          consent: { noticeHash: NOTICE },
        })
      ).id;
      await subscribeConfirmed(app, headers, EMAIL);
    });
    after(() => app.close());

    test('C9.1 the access package holds every record, identifier, consent and subscription, as JSON and CSV', async () => {
      const sink = collector();
      const result = await writeAccessPackage(app.ctx, { subjectId, lang: 'en' }, sink.out);
      const files = await unzip(sink.bytes());
      assert.equal(result.records, 5);
      assert.equal(result.files, files.size);
      assert.equal(result.bytes, sink.bytes().byteLength);
      assert.deepEqual(new Set(recordRows(files).map((r) => r.id)), new Set(Object.values(ids)));
      for (const path of files.keys()) {
        if (path.startsWith('records/') && path.endsWith('.json')) {
          const csv = files.get(path.replace(/\.json$/, '.csv')) ?? '';
          for (const row of json<{ rows: { id: string }[] }>(files, path).rows)
            assert.ok(csv.includes(row.id), `${row.id} in the CSV beside ${path}`);
        }
      }
      const contract = files.get('records/partner_account.csv') ?? '';
      assert.match(
        contract,
        /^id,kind,.*,data\.username,data\.company\r\n/,
        'record data gets a column per key',
      );
      assert.match(contract, /,erika,Acme AB\r\n$/);
      assert.deepEqual(
        json<{ rows: { kind: string; value: string }[] }>(files, 'identifiers.json').rows.map((r) => [
          r.kind,
          r.value,
        ]),
        [['email', EMAIL]],
      );
      const consents = json<{ rows: { targetId: string; event: string }[] }>(
        files,
        'consent_events.json',
      ).rows;
      assert.ok(consents.some((c) => c.targetId === 'personalised_content' && c.event === 'given'));
      assert.ok(consents.some((c) => c.targetId === 'sncn_newsletter' && c.event === 'given'));
      const subscriptions = json<{ rows: { communicationId: string; state: string }[] }>(
        files,
        'subscriptions.json',
      );
      assert.deepEqual(
        subscriptions.rows.map((s) => [s.communicationId, s.state]),
        [['sncn_newsletter', 'confirmed']],
      );
      const tasks = json<{ rows: { recordId: string; status: string }[] }>(files, 'notice_tasks.json').rows;
      assert.deepEqual(new Set(tasks.map((t) => t.recordId)), new Set([ids.credit, ids.public]));
      const schema = json<{ files: { path: string }[] }>(files, 'schema.json');
      assert.deepEqual(
        new Set(schema.files.map((f) => f.path)),
        new Set(files.keys()),
        'schema.json describes every file',
      );
      const everything = [...files.values()].join('\n');
      const lookups = await app.ctx.store.db
        .selectFrom('identifiers')
        .select('lookup')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', subjectId)
        .execute();
      for (const { lookup } of lookups)
        assert.ok(!everything.includes(lookup), 'no keyed hash is in the package');
    });

    test('C9.1 a package of many records has every row in both files, page after page, with columns for keys first seen late', async () => {
      // Enough rows for several pages and for the CSV rows kept aside to move from memory to a
      // temporary file; several rows share each collection time (ties are ordered by id); from
      // row LATE on, the data has a key the earlier rows lack.
      const ROWS = 600;
      const LATE = 540;
      const base = Date.parse('2026-10-01T08:00:00Z');
      const many = 'many.records@example.com';
      let manySubject = '';
      for (let i = 0; i < ROWS; i += 1) {
        const record = await captureRecord(app.ctx, hostActor(), {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: many }], jurisdiction: 'SE' },
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.content.communication'],
          source: 'website_forms',
          collectedAt: new Date(base + Math.floor(i / 3) * 1000).toISOString(),
          data: {
            n: i,
            message: `Row ${i}, with "quotes", a comma,\r\na CRLF and\na lone LF. ${'x'.repeat(700)}`,
            ...(i >= LATE ? { late: `seen from ${LATE}` } : {}),
          },
        });
        manySubject = record.subjectId;
      }
      const sink = collector();
      const result = await writeAccessPackage(app.ctx, { subjectId: manySubject, lang: 'en' }, sink.out);
      assert.equal(result.records, ROWS);
      const files = await unzip(sink.bytes());
      const rows = json<{
        count: number;
        rows: { id: string; collectedAt: string; data: Record<string, unknown> }[];
      }>(files, 'records/enquiry.json');
      assert.equal(rows.count, ROWS);
      assert.deepEqual(
        rows.rows.map((r) => r.data.n as number).sort((a, b) => a - b),
        Array.from({ length: ROWS }, (_, i) => i),
        'every row once',
      );
      const order = rows.rows.map((r) => `${r.collectedAt} ${r.id}`);
      assert.deepEqual(order, [...order].sort(), 'oldest first, ties by id');
      const table = parse(files.get('records/enquiry.csv') ?? '', { columns: true }) as Record<
        string,
        string
      >[];
      assert.equal(table.length, ROWS);
      const header = Object.keys(table[0]!);
      assert.deepEqual(header.slice(-3), ['data.n', 'data.message', 'data.late'], 'a column per data key');
      table.forEach((line, i) => {
        const row = rows.rows[i]!;
        assert.equal(line.id, row.id, `CSV row ${i} is JSON row ${i}`);
        assert.equal(
          line['data.message'],
          row.data.message,
          `row ${i}: quotes, commas and line ends survive`,
        );
        assert.equal(line['data.late'], i >= LATE ? `seen from ${LATE}` : '', `row ${i}: data.late`);
        assert.equal(Object.keys(line).length, header.length);
      });
    });

    test('C9.1 CSV cells that a spreadsheet would run as formulas start with an apostrophe; JSON keeps the value', async () => {
      const data = {
        link: '=HYPERLINK("https://evil.example/","Open")',
        sum: '@SUM(A1:A9)',
        phone: '+46 70 123 45 67',
        minus: '-2+3',
        tab: '\tcmd',
        fine: 'a=b, quite fine',
        count: -3,
      };
      const { subjectId: formulaSubject } = await captureRecord(app.ctx, hostActor(), {
        declarationId: D,
        subject: {
          identifiers: [{ kind: 'email', value: 'formula.person@example.com' }],
          jurisdiction: 'SE',
        },
        kind: 'enquiry',
        purposes: ['enquiries'],
        categories: ['user.content.communication'],
        source: 'website_forms',
        data,
      });
      const sink = collector();
      await writeAccessPackage(app.ctx, { subjectId: formulaSubject, lang: 'en' }, sink.out);
      const files = await unzip(sink.bytes());
      const [line] = parse(files.get('records/enquiry.csv') ?? '', { columns: true }) as Record<
        string,
        string
      >[];
      assert.ok(line);
      assert.equal(line['data.link'], `'${data.link}`);
      assert.equal(line['data.sum'], `'${data.sum}`);
      assert.equal(line['data.phone'], `'${data.phone}`);
      assert.equal(line['data.minus'], `'${data.minus}`);
      assert.equal(line['data.tab'], `'${data.tab}`);
      assert.equal(line['data.fine'], data.fine);
      assert.equal(line['data.count'], '-3', 'numbers are not text: they stay as they are');
      const [row] = json<{ rows: { data: Record<string, unknown> }[] }>(files, 'records/enquiry.json').rows;
      assert.deepEqual(row?.data, data);
      assert.match(
        json<{ files: { path: string; description: string }[] }>(files, 'schema.json').files.find(
          (f) => f.path === 'records/enquiry.csv',
        )?.description ?? '',
        /starts with an apostrophe/,
      );
    });

    test('C9.1 any text survives the CSV: random values read back through csv-parse as the JSON has them', async () => {
      // Quotes, commas, every kind of line break, leading formula signs, astral characters.
      const text = fc.string({
        unit: fc.oneof(
          fc.constantFrom('"', ',', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', ' ', ';', "'"),
          fc.constantFrom('a', 'Ö', 'ß', '😀', '中'),
        ),
        maxLength: 24,
      });
      const values = fc.sample(text, { numRuns: 60, seed: 20261201 });
      const email = 'random.text@example.com';
      let randomSubject = '';
      for (const [n, value] of values.entries()) {
        randomSubject = (
          await captureRecord(app.ctx, hostActor(), {
            declarationId: D,
            subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' },
            kind: 'enquiry',
            purposes: ['enquiries'],
            categories: ['user.content.communication'],
            source: 'website_forms',
            data: { n, value },
          })
        ).subjectId;
      }
      const sink = collector();
      await writeAccessPackage(app.ctx, { subjectId: randomSubject, lang: 'en' }, sink.out);
      const files = await unzip(sink.bytes());
      const table = parse(files.get('records/enquiry.csv') ?? '', { columns: true }) as Record<
        string,
        string
      >[];
      const rows = json<{ rows: { data: { n: number; value: string } }[] }>(
        files,
        'records/enquiry.json',
      ).rows;
      assert.equal(table.length, values.length);
      table.forEach((line, i) => {
        const { value } = rows[i]!.data;
        assert.equal(value, values[rows[i]!.data.n], 'the JSON has the value as captured');
        const expected = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
        assert.equal(line['data.value'], expected, JSON.stringify(value));
      });
    });

    test('C9.9 access information lists the purposes held with basis, categories, recipients, transfers, retention dates, rights and the authority', async () => {
      const sink = collector();
      await writeAccessPackage(app.ctx, { subjectId, lang: 'en' }, sink.out);
      const info = json<AccessInformation>(await unzip(sink.bytes()), 'information.json');
      const purpose = (id: string) => {
        const found = info.purposes.find((p) => p.id === id);
        assert.ok(found, `purpose ${id} in ${info.purposes.map((p) => p.id).join(', ')}`);
        return found;
      };
      assert.ok(!info.purposes.some((p) => p.id === 'forum'), 'purposes with nothing held are not listed');
      // The subject is in Germany, where customer_marketing rests on consent (Sweden: legitimate interests).
      assert.equal(purpose('customer_marketing').legalBasis.code, 'consent');
      assert.equal(purpose('credit_check').legalBasis.code, 'legitimate_interests');
      assert.ok(purpose('credit_check').legitimateInterest);
      const b2b = purpose('b2b_service_provision');
      assert.deepEqual(
        b2b.categories.map((c) => c.key),
        ['user.account.username', 'user.name'],
      );
      assert.ok(b2b.recipients.some((r) => r.id === 'payment_processing'));
      assert.ok(
        b2b.transfers.some(
          (t) => t.country === 'US' && t.mechanism === 'scc' && t.reference === 'SCC-2020-012',
        ),
        'the transfer of mail_and_email to the US and its safeguard',
      );
      assert.ok(
        !purpose('personalised_content').transfers.length,
        'no transfers for a purpose without recipients',
      );
      const credit = purpose('credit_check');
      assert.equal(credit.retention.rules[0]?.rule, 'credit_reports');
      assert.ok(credit.retention.earliestExpiry, 'the concrete expiry date of the record');
      assert.match(credit.retention.text, /\d{4}-\d{2}-\d{2}/);
      assert.ok(purpose('newsletters').heldBecause.includes('subscription'));
      assert.ok(info.rights.some((r) => r.right === 'portability' && r.appliesTo.length > 0));
      assert.ok(info.rights.some((r) => r.right === 'withdrawal'));
      assert.match(info.complaint.authorities[0]?.name ?? '', /Integritetsskyddsmyndigheten/);
      assert.equal(info.complaint.authorities[0]?.website, 'https://www.imy.se');
      assert.match(info.complaint.text, /right to complain/);
      assert.equal(info.automatedDecisions.none, true);

      const swedish = collector();
      await writeAccessPackage(app.ctx, { subjectId, lang: 'sv' }, swedish.out);
      const sv = json<AccessInformation>(await unzip(swedish.bytes()), 'information.json');
      assert.match(
        sv.purposes.find((p) => p.id === 'customer_marketing')?.legalBasis.text ?? '',
        /^Samtycke/,
      );
      assert.match(sv.complaint.text, /rätt att klaga/);
    });

    test('C3b.1 the access package names the real source of data not obtained from the person', async () => {
      const sink = collector();
      await writeAccessPackage(app.ctx, { subjectId, lang: 'en' }, sink.out);
      const files = await unzip(sink.bytes());
      const info = json<AccessInformation>(files, 'information.json');
      const credit = info.sources.find((s) => s.id === 'credit_institutions');
      assert.equal(credit?.indirect, true);
      assert.equal(credit?.name, 'Credit reference and financial institutions');
      assert.match(credit?.organisation ?? '', /Credit reference agencies/);
      assert.equal(info.sources.find((s) => s.id === 'website_forms')?.indirect, false);
      assert.ok(
        info.purposes
          .find((p) => p.id === 'credit_check')
          ?.sources.some((s) => s.id === 'credit_institutions'),
      );
      const row = recordRows(files).find((r) => r.id === ids.credit);
      assert.equal(row?.sourceName, 'Credit reference and financial institutions');
      assert.ok(files.get('index.html')?.includes('Credit reference agencies consulted'));
    });

    test('C9.1 index.html shows the data and escapes hostile values', async () => {
      const sink = collector();
      await writeAccessPackage(app.ctx, { subjectId, lang: 'en' }, sink.out);
      const html = (await unzip(sink.bytes())).get('index.html') ?? '';
      assert.ok(html.startsWith('<!doctype html>'));
      assert.ok(
        html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'),
        'the value is shown, escaped',
      );
      assert.ok(!/<script/i.test(html), 'no script element');
      assert.match(html, /Content-Security-Policy/);
      assert.ok(html.includes('Integritetsskyddsmyndigheten'));
      assert.ok(html.includes('<th scope="col">'));
    });

    test('an encrypted package cannot be read without the passphrase and can with it', async () => {
      const sink = collector();
      await writeAccessPackage(
        app.ctx,
        { subjectId, lang: 'en', passphrase: 'correct horse battery' },
        sink.out,
      );
      const bytes = sink.bytes();
      assert.ok(!Buffer.from(bytes).includes('Acme AB'), 'nothing readable in the file');
      await assert.rejects(unzip(bytes));
      await assert.rejects(unzip(bytes, 'wrong horse'));
      const files = await unzip(bytes, 'correct horse battery');
      assert.equal(recordRows(files).length, 5);
      const reader = new ZipReader(new Uint8ArrayReader(bytes));
      const entries = await reader.getEntries();
      assert.ok(
        entries.every((entry) => entry.encrypted),
        'every entry is encrypted',
      );
      await reader.close();
    });

    test('C9.5 portability holds only records the person provided under consent or contract, as JSON and CSV with a schema', async () => {
      const sink = collector();
      const result = await writePortabilityPackage(app.ctx, { subjectId, lang: 'en' }, sink.out);
      const files = await unzip(sink.bytes());
      assert.equal(result.records, 2);
      assert.deepEqual(new Set(recordRows(files).map((r) => r.id)), new Set([ids.consent, ids.contract]));
      for (const path of [
        'records/form_submission.csv',
        'records/partner_account.csv',
        'subscriptions.json',
        'subscriptions.csv',
      ])
        assert.ok(files.has(path), path);
      assert.ok(!files.has('records/credit_report.json') && !files.has('records/enquiry.json'));
      assert.ok(!files.has('consent_events.json'), 'only data the person provided');
      const schema = json<{
        files: { path: string; fields?: { name: string }[]; columns?: { name: string }[] }[];
      }>(files, 'schema.json');
      const csv = schema.files.find((f) => f.path === 'records/partner_account.csv');
      assert.ok(csv?.columns?.some((c) => c.name === 'data.username'));
      assert.ok(
        schema.files
          .find((f) => f.path === 'records/partner_account.json')
          ?.fields?.some((f) => f.name === 'purposes'),
      );
    });

    test('C5m.1 transmission sends the portable data to the endpoint and audits host, bytes and status, never the data', async () => {
      const receiver = await startReceiver(202);
      try {
        const { port } = receiver;
        const result = await transmitPortability(app.ctx, 'operator:test', {
          subjectId,
          endpoint: `http://127.0.0.1:${port}/import`,
          requestReference: 'R-TEST-0001',
        });
        const received = receiver.received[0]?.body ?? '';
        assert.deepEqual(result, {
          ok: true,
          status: 202,
          bytes: Buffer.byteLength(received),
          host: `127.0.0.1:${port}`,
        });
        const document = JSON.parse(received) as { sections: Record<string, { rows: { id: string }[] }> };
        const sent = Object.entries(document.sections)
          .filter(([id]) => id.startsWith('records/'))
          .flatMap(([, s]) => s.rows.map((r) => r.id));
        assert.deepEqual(new Set(sent), new Set([ids.consent, ids.contract]));
        const entry = await app.ctx.store.db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'portability.transmitted')
          .executeTakeFirstOrThrow();
        assert.equal(entry.actor, 'operator:test');
        assert.equal(entry.target, `subject:${subjectId}`);
        assert.deepEqual(JSON.parse(entry.details), {
          host: `127.0.0.1:${port}`,
          bytes: result.bytes,
          status: 202,
          request: 'R-TEST-0001',
        });
        assert.ok(!entry.details.includes('erika'));
      } finally {
        await receiver.close();
      }
    });

    test('C5m.1 transmission refuses plain http to another machine and sends nothing', async () => {
      const before = await app.ctx.store.db.selectFrom('audit_log').select('seq').execute();
      await assert.rejects(
        transmitPortability(app.ctx, 'operator:test', {
          subjectId,
          endpoint: 'http://receiver.example/import',
        }),
        (error: unknown) =>
          error instanceof AppError &&
          error.code === 'validation_failed' &&
          /must use https/.test(error.message),
      );
      assert.equal(
        (await app.ctx.store.db.selectFrom('audit_log').select('seq').execute()).length,
        before.length,
      );
    });

    test('a receiver that refuses is an outcome, audited as a failed transmission', async () => {
      const receiver = await startReceiver(403);
      try {
        const { port } = receiver;
        const result = await transmitPortability(app.ctx, 'operator:test', {
          subjectId,
          endpoint: `http://localhost:${port}/import`,
        });
        assert.equal(result.ok, false);
        assert.equal(result.status, 403);
        const entry = await app.ctx.store.db
          .selectFrom('audit_log')
          .select('details')
          .where('action', '=', 'portability.transmission_failed')
          .executeTakeFirstOrThrow();
        assert.equal((JSON.parse(entry.details) as { status: number }).status, 403);
      } finally {
        await receiver.close();
      }
    });

    test('a subject is not found in another partition', async () => {
      await assert.rejects(
        writeAccessPackage(app.ctx, { subjectId, lang: 'en', tenant: 'visilion:acme' }, collector().out),
        (error: unknown) => error instanceof AppError && error.code === 'not_found',
      );
    });
  });
}

describe('access information of a shop whose processor transfers on a framework, with clauses behind it', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp('sqlite', { declarations: [smallShopDeclaration] });
  });
  after(() => app.close());

  test('C6.1 C9.9 a transfer lists the mechanism that carries it if the first ceases to, in the reader’s language', async () => {
    const { subjectId } = await captureRecord(app.ctx, hostActor(), {
      declarationId: 'nordkust-kaffe',
      subject: { identifiers: [{ kind: 'email', value: 'kund@example.se' }], jurisdiction: 'SE' },
      kind: 'order',
      purposes: ['orders'],
      categories: ['user.name', 'user.financial.purchase_history'],
      source: 'checkout',
      data: { name: 'Kim Kund', items: 2 },
    });
    for (const [lang, fallback] of [
      ['en', /^EU–US Data Privacy Framework[^;]*; if that no longer applies: Standard contractual clauses/],
      ['sv', /; om det inte längre gäller: Standardavtalsklausuler/],
    ] as const) {
      const sink = collector();
      await writeAccessPackage(app.ctx, { subjectId, lang }, sink.out);
      const info = json<AccessInformation>(await unzip(sink.bytes()), 'information.json');
      const toUs = info.purposes.find((p) => p.id === 'orders')?.transfers.find((t) => t.country === 'US');
      assert.ok(toUs, 'the transfer to the payment provider');
      assert.equal(toUs.mechanism, 'dpf');
      assert.deepEqual(
        toUs.fallbacks.map((f) => [f.mechanism, f.reference]),
        [['scc', 'PSP-DPA-2024-01 annex 3']],
      );
      assert.match(toUs.safeguard, fallback);
    }
  });
});
