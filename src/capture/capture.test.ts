import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import { mailbox } from '../../test/support/mail.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { unsafeAnyTenant } from '../store/tenant-guard.js';

const D = 'sncn-general';
const NOTICE = 'b'.repeat(64);

for (const dialect of await dialects()) {
  describe(`capture on ${dialect}`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    before(async () => {
      app = await startTestApp(dialect);
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const post = async (url: string, payload: object, expected: number) => {
      const res = await app.request({ method: 'POST', url, headers, payload });
      assert.equal(res.statusCode, expected, `${url}: ${res.body}`);
      return res;
    };
    const open = async (subjectId: string) =>
      (
        await app.request({
          method: 'GET',
          url: `/api/v1/subjects/${subjectId}?reason=audit_sample&note=${encodeURIComponent('checking the capture test')}`,
          headers,
        })
      ).json<{
        subject: {
          records: {
            kind: string;
            purposes: { id: string; basis: string }[];
            categories: string[];
            source: { id: string; type: string };
            data: Record<string, unknown>;
            expiresAt: string | null;
            collectedAt: string;
          }[];
        };
      }>().subject;

    test('C3a.1 a form submission is recorded with subject, purposes and their bases, source, time, expiry and consent evidence', async () => {
      const res = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'Form.Filler@Example.com' }], jurisdiction: 'DE' },
          kind: 'form_submission',
          purposes: ['enquiries', 'personalised_content'],
          categories: ['user.name', 'user.contact.email'],
          source: 'website_forms',
          collectionPoint: 'newsletter_form',
          collectedAt: '2026-11-20T10:00:00Z',
          data: { name: 'Form Filler', message: 'Please call me' },
          consent: { noticeHash: NOTICE, element: 'contact-form#personalise' },
        },
        201,
      );
      const captured = res.json<{
        subjectId: string;
        purposes: { id: string; basis: string }[];
        expiresAt: string;
      }>();
      assert.deepEqual(captured.purposes, [
        { id: 'enquiries', basis: 'legitimate_interests' },
        { id: 'personalised_content', basis: 'consent' },
      ]);
      assert.ok(captured.expiresAt > '2026-11-20', 'the retention rules give an expiry');
      const [record] = (await open(captured.subjectId)).records;
      assert.deepEqual(record?.data, { name: 'Form Filler', message: 'Please call me' });
      assert.deepEqual(record?.source, { id: 'website_forms', type: 'direct' });
      assert.equal(record?.collectedAt, '2026-11-20T10:00:00.000Z');
      const consent = await app.ctx.store.db
        .selectFrom('consent_events')
        .selectAll()
        .where('subject_id', '=', captured.subjectId)
        .execute();
      assert.deepEqual(
        consent.map((c) => [c.target_id, c.event, c.notice_hash, c.element]),
        [['personalised_content', 'given', NOTICE, 'contact-form#personalise']],
      );
      const stored = await app.ctx.store.db
        .selectFrom('records')
        .select('data')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', captured.subjectId)
        .executeTakeFirstOrThrow();
      assert.ok(!stored.data.includes('Please call me'), 'record data is encrypted at rest');
    });

    test('C3a.1 undeclared purposes, categories, sources and bases are refused, naming each, and nothing is written', async () => {
      const allRecords = async () =>
        (
          await app.ctx.store.db
            .selectFrom('records')
            .select('id')
            .where(unsafeAnyTenant('records'))
            .execute()
        ).length;
      const before = await allRecords();
      const res = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'refused@example.com' }] },
          kind: 'form_submission',
          purposes: ['enquiries', 'selling_lists'],
          categories: ['user.contact.email', 'user.health'],
          source: 'data_broker',
          legalBasis: 'consent',
        },
        422,
      );
      const body = res.json<{ error: { code: string; details: { path: string; message: string }[] } }>();
      assert.equal(body.error.code, 'not_declared');
      const paths = body.error.details.map((d) => d.path);
      for (const path of ['purposes[1]', 'categories[1]', 'source', 'legalBasis'])
        assert.ok(paths.includes(path), `${path} in ${paths.join(',')}`);
      assert.equal(await allRecords(), before);
      assert.equal(
        (
          await app.ctx.store.db
            .selectFrom('identifiers')
            .select('id')
            .where(unsafeAnyTenant('identifiers'))
            .where('value', '=', 'refused@example.com')
            .execute()
        ).length,
        0,
      );
      const noConsent = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'refused@example.com' }] },
          kind: 'form_submission',
          purposes: ['personalised_content'],
          categories: ['user.preferences'],
          source: 'website_forms',
        },
        422,
      );
      assert.equal(noConsent.json<{ error: { code: string } }>().error.code, 'consent_required');
    });

    test('C3a.2 support interactions are records of the person with their purposes, and follow retention', async () => {
      const res = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: {
            identifiers: [
              { kind: 'email', value: 'caller@example.com' },
              { kind: 'phone', value: '+46 70 123 45 67' },
            ],
          },
          kind: 'support_interaction',
          purposes: ['after_sales_support'],
          categories: ['user.contact.phone_number', 'user.content.communication'],
          source: 'customer_support',
          collectedAt: '2026-11-01T08:30:00Z',
          data: { ticket: 'T-1042', channel: 'call_centre', summary: 'Gateway offline' },
        },
        201,
      );
      const subjectId = res.json<{ subjectId: string }>().subjectId;
      const file = await open(subjectId);
      const record = file.records.find((r) => r.kind === 'support_interaction');
      assert.equal(record?.purposes[0]?.id, 'after_sales_support');
      assert.ok(
        record?.expiresAt && record.expiresAt.startsWith('2029-11-01'),
        `support records expire by their rule, got ${record?.expiresAt}`,
      );
      const byPhone = await app.request({
        method: 'GET',
        url: '/api/v1/subjects?kind=phone&value=%2B46701234567',
        headers,
      });
      assert.equal(
        byPhone.json<{ subject: { id: string } }>().subject.id,
        subjectId,
        'the phone number is normalised to E.164',
      );
    });

    test('C4c.1 after-sales: a support interaction rests on contract and a product enquiry on legitimate interests, each a record of the person under its purpose and rule', async () => {
      const capture = async (payload: object) =>
        (await post('/api/v1/records', { declarationId: D, ...payload }, 201)).json<{ subjectId: string }>()
          .subjectId;
      const subject = { identifiers: [{ kind: 'email', value: 'after.sales@example.com' }] };
      const subjectId = await capture({
        subject,
        kind: 'support_interaction',
        purposes: ['after_sales_support'],
        categories: ['user.contact.email', 'user.content.communication'],
        source: 'customer_support',
        collectedAt: '2026-11-01T08:30:00Z',
        data: { ticket: 'T-2051', summary: 'Replacement part shipped' },
      });
      assert.equal(
        await capture({
          subject,
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.contact.email', 'user.content.communication'],
          source: 'website_forms',
          collectedAt: '2026-11-02T08:30:00Z',
          data: { question: 'Does the gateway support LTE-M?' },
        }),
        subjectId,
      );
      const records = (await open(subjectId)).records;
      const support = records.find((r) => r.kind === 'support_interaction');
      const enquiry = records.find((r) => r.kind === 'enquiry');
      assert.deepEqual(
        support?.purposes.map((p) => [p.id, p.basis]),
        [['after_sales_support', 'contract']],
      );
      assert.deepEqual(
        enquiry?.purposes.map((p) => [p.id, p.basis]),
        [['enquiries', 'legitimate_interests']],
      );
      assert.ok(
        enquiry?.expiresAt?.startsWith('2027-11-02'),
        `enquiries expire by their rule, got ${enquiry?.expiresAt}`,
      );
    });

    test('C4a.2 clicks in marketing messages are tracked only for people the tracking purpose covers, and recorded as their data', async () => {
      const subscribe = (email: string) => subscribeConfirmed(app, headers, email);
      await subscribe('tracked@example.com');
      await subscribe('untracked@example.com');
      await post(
        '/api/v1/consents',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'tracked@example.com' }] },
          event: 'given',
          targets: [{ kind: 'purpose', id: 'marketing_interaction_tracking' }],
          channel: 'preference_centre',
          noticeHash: NOTICE,
        },
        201,
      );
      const send = async (to: string) => {
        const sent = await post(
          '/api/v1/messages',
          {
            declarationId: D,
            communication: 'sncn_newsletter',
            to,
            subject: 'News',
            text: 'Read more at https://www.example.com/news?id=7 today.',
          },
          202,
        );
        const id = sent.json<{ outboxId: string }>().outboxId;
        const message = (await mailbox(app.ctx, { to })).find((m) => m.id === id);
        assert.ok(message, 'the message was delivered');
        return message.text;
      };
      const plain = await send('untracked@example.com');
      assert.match(
        plain,
        /Read more at https:\/\/www\.example\.com\/news\?id=7 today/,
        'no consent: the link is left alone',
      );
      const tracked = await send('tracked@example.com');
      const link = /http:\/\/localhost:8080(\/t\/\S+)/.exec(tracked)?.[1];
      assert.ok(link, 'with consent the link goes through the click recorder');
      const click = await app.request({ method: 'GET', url: link });
      assert.equal(click.statusCode, 302);
      assert.equal(click.headers.location, 'https://www.example.com/news?id=7');
      const subjectId = (
        await app.request({
          method: 'GET',
          url: '/api/v1/subjects?kind=email&value=tracked@example.com',
          headers,
        })
      ).json<{ subject: { id: string } }>().subject.id;
      const clicks = (await open(subjectId)).records.filter((r) => r.kind === 'message_click');
      assert.equal(clicks.length, 1);
      assert.deepEqual(clicks[0]?.source, { id: 'message_interaction', type: 'observed' });
      // After withdrawal the same link still leads on, but nothing more is recorded.
      await post(
        '/api/v1/consents',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'tracked@example.com' }] },
          event: 'withdrawn',
          targets: [{ kind: 'purpose', id: 'marketing_interaction_tracking' }],
          channel: 'preference_centre',
        },
        201,
      );
      assert.equal((await app.request({ method: 'GET', url: link })).statusCode, 302);
      assert.equal((await open(subjectId)).records.filter((r) => r.kind === 'message_click').length, 1);
      const forged = await app.request({ method: 'GET', url: `${link.slice(0, -3)}abc` });
      assert.equal(forged.statusCode, 400);
    });

    test('C4a.4 reposting public content is a declared purpose on public-content records, removed at once on objection', async () => {
      const res = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'account', value: 'forum:reviewer42' }] },
          kind: 'public_review',
          purposes: ['repost_public_content'],
          categories: ['user.name', 'user.content.public'],
          source: 'forum_posts',
          data: { review: 'Works great in our warehouse', url: 'https://forum.example.com/t/77' },
        },
        201,
      );
      const subjectId = res.json<{ subjectId: string }>().subjectId;
      const objection = await post(
        `/api/v1/subjects/${subjectId}/objections`,
        { declarationId: D, purpose: 'repost_public_content', channel: 'email' },
        200,
      );
      assert.deepEqual(objection.json(), {
        purpose: 'repost_public_content',
        removedRecords: 1,
        updatedRecords: 0,
      });
      assert.equal((await open(subjectId)).records.length, 0);
      const weighed = await post(
        `/api/v1/subjects/${subjectId}/objections`,
        { declarationId: D, purpose: 'product_development' },
        409,
      );
      assert.match(weighed.json<{ error: { message: string } }>().error.message, /operator decides/);
    });
  });
}
