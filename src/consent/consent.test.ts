import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import { subscribeConfirmed as subscribeWithLink } from '../../test/support/consent.js';
import type { Verdict } from './suppression.js';
import { checkSuppression } from './suppression.js';
import { mailbox } from '../../test/support/mail.js';
import { unsafeAnyTenant } from '../store/tenant-guard.js';

const D = 'sncn-general';
const NOTICE = 'a'.repeat(64);

for (const dialect of await dialects()) {
  describe(`consent and marketing choices on ${dialect}`, () => {
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

    const post = async (url: string, payload: object, expected?: number) => {
      const res = await app.request({ method: 'POST', url, headers, payload });
      if (expected !== undefined) assert.equal(res.statusCode, expected, `${url}: ${res.body}`);
      return res;
    };
    const capture = (email: string, extra: Record<string, unknown> = {}) =>
      post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: email }] },
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.contact.email'],
          source: 'website_forms',
          ...extra,
        },
        201,
      );
    const check = async (
      communication: string,
      addresses: string[],
      jurisdiction = 'default',
    ): Promise<Verdict[]> => {
      const res = await post(
        `/api/v1/suppression/check?declarationId=${D}&communication=${communication}&jurisdiction=${jurisdiction}`,
        { addresses },
        200,
      );
      const body = res.json<{ results: { address: string; allowed: boolean; reason: string }[] }>();
      assert.deepEqual(
        body.results.map((r) => r.address),
        addresses,
        'answers come back in order',
      );
      return body.results.map(({ allowed, reason }) => ({ allowed, reason }) as Verdict);
    };
    const subscribeConfirmed = (email: string, communication = 'sncn_newsletter') =>
      subscribeWithLink(app, headers, email, communication);

    test('C4a.1 opt-in needs a consent record; opt-out needs only the absence of an objection, by jurisdiction', async () => {
      await capture('known-se@example.se', {
        subject: { identifiers: [{ kind: 'email', value: 'known-se@example.se' }], jurisdiction: 'SE' },
      });
      await capture('known-de@example.de', {
        subject: { identifiers: [{ kind: 'email', value: 'known-de@example.de' }], jurisdiction: 'DE' },
      });
      // product_updates: opt-in by default, opt-out in Sweden.
      const verdicts = await check('product_updates', [
        'known-se@example.se',
        'known-de@example.de',
        'stranger@example.org',
      ]);
      assert.deepEqual(verdicts, [
        { allowed: true, reason: 'opt_out' },
        { allowed: false, reason: 'no_consent' },
        { allowed: false, reason: 'unknown_opt_in_required' },
      ]);
      assert.deepEqual(await check('product_updates', ['stranger@example.org'], 'SE'), [
        { allowed: true, reason: 'opt_out' },
      ]);
      await post(
        '/api/v1/unsubscriptions',
        { declarationId: D, email: 'known-se@example.se', communication: 'product_updates' },
        200,
      );
      assert.deepEqual(await check('product_updates', ['known-se@example.se']), [
        { allowed: false, reason: 'unsubscribed' },
      ]);
    });

    test('C4a.5 subscriptions are per address and list, double opt-in waits for the link, and the sender is recorded', async () => {
      const res = await post(
        '/api/v1/subscriptions',
        {
          declarationId: D,
          communication: 'group_newsletter',
          email: 'Grace@Example.COM',
          channel: 'web_form',
          noticeHash: NOTICE,
        },
        201,
      );
      assert.equal(res.json<{ state: string }>().state, 'unconfirmed');
      assert.deepEqual(await check('group_newsletter', ['Grace@example.com']), [
        { allowed: false, reason: 'unconfirmed' },
      ]);
      await subscribeConfirmed('Grace@example.com', 'group_newsletter');
      assert.deepEqual(
        await check('group_newsletter', ['  Grace@EXAMPLE.com ']),
        [{ allowed: true, reason: 'consent' }],
        'the address is normalised (domain case, spaces) but the local part is kept',
      );
      assert.deepEqual(await check('group_newsletter', ['grace@example.com']), [
        { allowed: false, reason: 'unknown_opt_in_required' },
      ]);
      const sub = await app.ctx.store.db
        .selectFrom('subscriptions')
        .select(['sender', 'state'])
        .where('communication_id', '=', 'group_newsletter')
        .executeTakeFirstOrThrow();
      assert.deepEqual(sub, { sender: 'Sony Europe B.V.', state: 'confirmed' });
      const events = await app.ctx.store.db
        .selectFrom('consent_events')
        .selectAll()
        .where('target_id', '=', 'group_newsletter')
        .execute();
      assert.equal(events.length, 1, 'consent is recorded once, at confirmation');
      // Consent is given at confirmation, on the version then in force.
      assert.equal(events[0]?.notice_hash, app.ctx.policies.get(D)?.version.contentHash);
      assert.equal(events[0]?.declaration_version, 1);
      assert.equal(events[0]?.channel, 'email_confirmation');
    });

    test('C4a.8 C4a.9 unsubscribing one address or one list leaves the others; "all marketing" stops every list for that address', async () => {
      const subject = (
        await capture('first@example.com', {
          subject: {
            identifiers: [
              { kind: 'email', value: 'first@example.com' },
              { kind: 'email', value: 'second@example.com' },
            ],
          },
        })
      ).json<{ subjectId: string }>().subjectId;
      for (const email of ['first@example.com', 'second@example.com']) {
        await subscribeConfirmed(email, 'sncn_newsletter');
        await subscribeConfirmed(email, 'group_newsletter');
      }
      await post(
        '/api/v1/unsubscriptions',
        { declarationId: D, email: 'first@example.com', communication: 'sncn_newsletter' },
        200,
      );
      assert.deepEqual(await check('sncn_newsletter', ['first@example.com', 'second@example.com']), [
        { allowed: false, reason: 'unsubscribed' },
        { allowed: true, reason: 'consent' },
      ]);
      assert.deepEqual(await check('group_newsletter', ['first@example.com']), [
        { allowed: true, reason: 'consent' },
      ]);
      await post('/api/v1/unsubscriptions', { declarationId: D, email: 'second@example.com' }, 200);
      assert.deepEqual(await check('group_newsletter', ['first@example.com', 'second@example.com']), [
        { allowed: true, reason: 'consent' },
        { allowed: false, reason: 'unsubscribed' },
      ]);
      // Subscribing again to one list lifts "all marketing" for that list only.
      await subscribeConfirmed('second@example.com', 'group_newsletter');
      assert.deepEqual(await check('group_newsletter', ['second@example.com']), [
        { allowed: true, reason: 'consent' },
      ]);
      assert.deepEqual(await check('sncn_newsletter', ['second@example.com']), [
        { allowed: false, reason: 'unsubscribed' },
      ]);
      const withdrawn = await app.ctx.store.db
        .selectFrom('consent_events')
        .select(['target_id', 'event'])
        .where('subject_id', '=', subject)
        .where('event', '=', 'withdrawn')
        .execute();
      assert.equal(
        withdrawn.length,
        4,
        'one withdrawal for the first list of the first address, one per marketing list for the second',
      );
    });

    test('C4a.7 an objection covers every address and list of the person, needs no reasons, and outlives erasure', async () => {
      const subject = (
        await capture('obj-a@example.com', {
          subject: {
            identifiers: [
              { kind: 'email', value: 'obj-a@example.com' },
              { kind: 'email', value: 'obj-b@example.com' },
            ],
          },
        })
      ).json<{ subjectId: string }>().subjectId;
      await subscribeConfirmed('obj-a@example.com');
      await post(`/api/v1/subjects/${subject}/marketing-objection`, { channel: 'phone' }, 204);
      for (const communication of ['sncn_newsletter', 'group_newsletter', 'product_updates']) {
        assert.deepEqual(await check(communication, ['obj-a@example.com', 'obj-b@example.com'], 'SE'), [
          { allowed: false, reason: 'objected' },
          { allowed: false, reason: 'objected' },
        ]);
      }
      // An address added later is covered too.
      await capture('obj-a@example.com', {
        subject: {
          identifiers: [
            { kind: 'email', value: 'obj-a@example.com' },
            { kind: 'email', value: 'obj-c@example.com' },
          ],
        },
      });
      assert.deepEqual(await check('product_updates', ['obj-c@example.com'], 'SE'), [
        { allowed: false, reason: 'objected' },
      ]);
      // Service messages still go.
      assert.deepEqual(await check('order_confirmations', ['obj-a@example.com']), [
        { allowed: true, reason: 'transactional' },
      ]);
      // Erasure (issue 4 adds the request): the person's rows go, the keyed-hash suppression stays.
      await sql`update suppressions set subject_id = null where subject_id = ${subject}`.execute(
        app.ctx.store.db,
      );
      await sql`delete from subjects where id = ${subject}`.execute(app.ctx.store.db);
      await sql`insert into suppression_changes (subject_id, at) values (null, ${new Date().toISOString()})`.execute(
        app.ctx.store.db,
      );
      assert.equal(
        (
          await app.ctx.store.db
            .selectFrom('identifiers')
            .select('id')
            .where('value', '=', 'obj-a@example.com')
            .where(unsafeAnyTenant('identifiers'))
            .execute()
        ).length,
        0,
      );
      assert.deepEqual(await check('product_updates', ['obj-a@example.com', 'obj-b@example.com'], 'SE'), [
        { allowed: false, reason: 'objected' },
        { allowed: false, reason: 'objected' },
      ]);
      const stored = await app.ctx.store.db
        .selectFrom('suppressions')
        .selectAll()
        .where('reason', '=', 'objected')
        .execute();
      assert.ok(
        stored.every((s) => !JSON.stringify(s).includes('obj-a')),
        'only keyed hashes are kept',
      );
    });

    test('C4a.10 service messages pass suppression, cannot be unsubscribed, and cannot carry marketing', async () => {
      await capture('buyer@example.com');
      await post('/api/v1/unsubscriptions', { declarationId: D, email: 'buyer@example.com' }, 200);
      assert.deepEqual(await check('order_confirmations', ['buyer@example.com']), [
        { allowed: true, reason: 'transactional' },
      ]);
      const refused = await post(
        '/api/v1/unsubscriptions',
        { declarationId: D, email: 'buyer@example.com', communication: 'order_confirmations' },
        400,
      );
      assert.match(refused.json<{ error: { message: string } }>().error.message, /service message/);
      const promo = await post(
        '/api/v1/messages',
        {
          declarationId: D,
          communication: 'order_confirmations',
          to: 'buyer@example.com',
          subject: 'Your order, and 20% off',
          text: 'Thanks!',
          containsMarketing: true,
        },
        400,
      );
      assert.match(promo.body, /cannot carry marketing/);
      const sent = await post(
        '/api/v1/messages',
        {
          declarationId: D,
          communication: 'order_confirmations',
          to: 'buyer@example.com',
          subject: 'Your order',
          text: 'Order 1 confirmed.',
        },
        202,
      );
      const message = await app.ctx.store.db
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', sent.json<{ outboxId: string }>().outboxId)
        .executeTakeFirstOrThrow();
      assert.equal(
        JSON.parse(message.headers)['List-Unsubscribe'],
        undefined,
        'no unsubscribe header on a service message',
      );
    });

    test('C4a.6 every marketing message carries List-Unsubscribe (HTTPS and mailto) and List-Unsubscribe-Post', async () => {
      await subscribeConfirmed('reader@example.com');
      const sent = await post(
        '/api/v1/messages',
        {
          declarationId: D,
          communication: 'sncn_newsletter',
          to: 'reader@example.com',
          subject: 'News',
          text: 'Hello',
          containsMarketing: true,
        },
        202,
      );
      const id = sent.json<{ outboxId: string }>().outboxId;
      const h =
        (await mailbox(app.ctx, { to: 'reader@example.com' })).find((m) => m.id === id)?.headers ?? {};
      assert.match(
        h['List-Unsubscribe'] ?? '',
        /^<http:\/\/localhost:8080\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>, <mailto:unsubscribe@example\.test\?subject=unsubscribe%20/,
      );
      assert.equal(h['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
      // The copy kept in the outbox shows the headers were there, without the token.
      const row = await app.ctx.store.db
        .selectFrom('outbox')
        .select('headers')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(
        (JSON.parse(row.headers) as Record<string, string>)['List-Unsubscribe'],
        '<http://localhost:8080/u/[removed]>, <mailto:unsubscribe@example.test?subject=unsubscribe%20[removed]>',
      );
      const blocked = await post(
        '/api/v1/messages',
        {
          declarationId: D,
          communication: 'sncn_newsletter',
          to: 'nobody@example.com',
          subject: 'News',
          text: 'Hello',
        },
        200,
      );
      assert.deepEqual(blocked.json(), {
        sent: false,
        verdict: { allowed: false, reason: 'unknown_opt_in_required' },
      });
    });

    test('C12.1 a record stating an age under the threshold is refused and stored nowhere; a child found later is excluded from marketing', async () => {
      const refused = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'kid@example.com' }] },
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.contact.email'],
          source: 'website_forms',
          data: { birthDate: '2015-06-01' },
        },
        422,
      );
      assert.equal(refused.json<{ error: { code: string } }>().error.code, 'child_data_refused');
      assert.equal(
        (
          await app.ctx.store.db
            .selectFrom('identifiers')
            .select('id')
            .where('value', '=', 'kid@example.com')
            .where(unsafeAnyTenant('identifiers'))
            .execute()
        ).length,
        0,
      );
      const adult = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'teen@example.com' }] },
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.contact.email'],
          source: 'website_forms',
          statedAge: 16,
        },
        201,
      );
      await subscribeConfirmed('teen@example.com');
      await sql`update subjects set child = 1 where id = ${adult.json<{ subjectId: string }>().subjectId}`.execute(
        app.ctx.store.db,
      );
      await sql`insert into suppression_changes (subject_id, at) values (${adult.json<{ subjectId: string }>().subjectId}, ${new Date().toISOString()})`.execute(
        app.ctx.store.db,
      );
      assert.deepEqual(await check('sncn_newsletter', ['teen@example.com']), [
        { allowed: false, reason: 'child' },
      ]);
    });

    test('C4a.3 data held as processor can never be selected for marketing, even when the same address is ours too', async () => {
      const res = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'end-user@hospital.example' }] },
          service: 'msafety',
          provider: 'region-skane',
          kind: 'service_data',
          categories: ['user.contact.email'],
          source: 'website_forms',
        },
        201,
      );
      assert.equal(res.json<{ tenant: string }>().tenant, 'msafety:region-skane');
      const withPurpose = await post(
        '/api/v1/records',
        {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'end-user@hospital.example' }] },
          service: 'msafety',
          provider: 'region-skane',
          kind: 'service_data',
          purposes: ['newsletters'],
          categories: ['user.contact.email'],
          source: 'website_forms',
        },
        422,
      );
      assert.match(
        withPurpose.json<{ error: { message: string } }>().error.message,
        /only on its Provider's instructions/,
      );
      // Marketing cannot reach the address through the processor data, even in an opt-out jurisdiction.
      assert.deepEqual(await check('sncn_newsletter', ['end-user@hospital.example']), [
        { allowed: false, reason: 'unknown_opt_in_required' },
      ]);
      const sub = await post(
        '/api/v1/subscriptions',
        {
          declarationId: D,
          communication: 'product_updates',
          email: 'end-user@hospital.example',
          jurisdiction: 'SE',
          channel: 'web_form',
        },
        201,
      );
      const subject = await app.ctx.store.db
        .selectFrom('subscriptions')
        .innerJoin('subjects', 'subjects.id', 'subscriptions.subject_id')
        .select('subjects.tenant')
        .where('subscriptions.id', '=', sub.json<{ subscriptionId: string }>().subscriptionId)
        // The question is which partition it is in.
        .where(unsafeAnyTenant('subjects'))
        .executeTakeFirstOrThrow();
      assert.equal(
        subject.tenant,
        '',
        'a marketing subscription creates a separate controller record, never reuses the Provider’s',
      );
      const lookup = await app.request({
        method: 'GET',
        url: '/api/v1/subjects?kind=email&value=end-user@hospital.example&tenant=msafety:region-skane',
        headers,
      });
      const controller = await app.request({
        method: 'GET',
        url: '/api/v1/subjects?kind=email&value=end-user@hospital.example',
        headers,
      });
      assert.notEqual(
        lookup.json<{ subject: { id: string } }>().subject.id,
        controller.json<{ subject: { id: string } }>().subject.id,
      );
    });

    test('C4f.1 a promotion is redeemed once per device or account, keyed by a keyed hash only', async () => {
      const redeem = (payload: object) =>
        post('/api/v1/promotions/redemptions', payload, 200).then((r) =>
          r.json<{ allowed: boolean; reason?: string }>(),
        );
      assert.deepEqual(
        await redeem({ promotion: 'SPRING26', deviceId: 'device-4711', accountId: 'acct-1' }),
        { allowed: true, recorded: true },
      );
      assert.deepEqual(await redeem({ promotion: 'SPRING26', deviceId: 'device-4711' }), {
        allowed: false,
        reason: 'already_redeemed',
      });
      assert.deepEqual(
        await redeem({ promotion: 'SPRING26', deviceId: 'other-device', accountId: 'acct-1' }),
        { allowed: false, reason: 'already_redeemed' },
      );
      assert.deepEqual(await redeem({ promotion: 'SUMMER26', deviceId: 'device-4711', checkOnly: true }), {
        allowed: true,
        recorded: false,
      });
      const rows = await app.ctx.store.db.selectFrom('redemptions').selectAll().execute();
      assert.ok(
        rows.length >= 2 && rows.every((r) => !r.key_hash.includes('4711') && !r.key_hash.includes('acct')),
      );
      await post('/api/v1/promotions/redemptions', { promotion: 'X' }, 400);
    });

    test('consent is given and withdrawn with the same one call, and exports as ISO/IEC 27560 records and Kantara receipts', async () => {
      const person = { identifiers: [{ kind: 'email', value: 'ledger@example.com' }] };
      const context = {
        channel: 'cookie_banner',
        element: 'banner#accept',
        noticeHash: NOTICE,
        ip: '203.0.113.77',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
        gpc: true,
        jurisdiction: 'SE',
      };
      const given = await post(
        '/api/v1/consents',
        {
          declarationId: D,
          subject: person,
          event: 'given',
          targets: [
            { kind: 'purpose', id: 'personalised_content' },
            { kind: 'cookie_category', id: 'analytics' },
          ],
          ...context,
          idempotencyKey: 'consent-0001',
        },
        201,
      );
      const subjectId = given.json<{ subjectId: string }>().subjectId;
      await post(
        '/api/v1/consents',
        {
          declarationId: D,
          subject: person,
          event: 'given',
          targets: [
            { kind: 'purpose', id: 'personalised_content' },
            { kind: 'cookie_category', id: 'analytics' },
          ],
          ...context,
          idempotencyKey: 'consent-0001',
        },
        201,
      );
      await post(
        '/api/v1/consents',
        {
          declarationId: D,
          subject: person,
          event: 'withdrawn',
          targets: [{ kind: 'cookie_category', id: 'analytics' }],
          ...context,
        },
        201,
      );
      const refused = await post(
        '/api/v1/consents',
        {
          declarationId: D,
          subject: person,
          event: 'given',
          targets: [
            { kind: 'purpose', id: 'enquiries' },
            { kind: 'cookie_category', id: 'necessary' },
          ],
        },
        422,
      );
      assert.equal(
        refused.json<{ error: { details: unknown[] } }>().error.details.length,
        2,
        'a purpose not based on consent and a necessary category are both refused',
      );

      const events = (
        await app.request({ method: 'GET', url: `/api/v1/subjects/${subjectId}/consents`, headers })
      ).json<{
        events: { event: string; ip: string; userAgent: string; gpc: boolean }[];
        state: { target: { id: string }; given: boolean }[];
      }>();
      assert.equal(
        events.events.length,
        3,
        'the retried write with the same idempotency key was stored once',
      );
      assert.deepEqual(
        events.events.map((e) => [e.ip, e.userAgent, e.gpc]),
        Array(3).fill(['203.0.113.0/24', 'Firefox on Linux', true]),
        'IP truncated, user agent reduced to its family',
      );
      assert.deepEqual(Object.fromEntries(events.state.map((s) => [s.target.id, s.given])), {
        personalised_content: true,
        analytics: false,
      });
      const raw = await app.ctx.store.db
        .selectFrom('consent_events')
        .selectAll()
        .where('subject_id', '=', subjectId)
        .execute();
      assert.ok(!JSON.stringify(raw).includes('203.0.113.77'), 'the raw IP is stored nowhere');

      const iso = (
        await app.request({
          method: 'GET',
          url: `/api/v1/subjects/${subjectId}/consents?format=iso27560`,
          headers,
        })
      ).json<{
        records: {
          purpose: { id: string };
          state: string;
          notice: { notice_hash: string; version: number };
          events: unknown[];
          legal_basis: string;
        }[];
      }>();
      const analytics = iso.records.find((r) => r.purpose.id === 'analytics');
      assert.equal(analytics?.state, 'withdrawn');
      assert.equal(analytics?.events.length, 2);
      assert.deepEqual(analytics?.notice, { declaration: D, version: 1, notice_hash: NOTICE });
      assert.equal(iso.records.find((r) => r.purpose.id === 'personalised_content')?.state, 'active');
      const kantara = (
        await app.request({
          method: 'GET',
          url: `/api/v1/subjects/${subjectId}/consents?format=kantara`,
          headers,
        })
      ).json<{
        receipts: {
          version: string;
          jurisdiction: string;
          collectionMethod: string;
          piiControllers: { piiController: string }[];
          policyUrl: string;
        }[];
      }>();
      assert.equal(kantara.receipts.length, 2);
      assert.equal(kantara.receipts[0]?.version, 'KI-CR-v1.1.0');
      assert.equal(kantara.receipts[0]?.jurisdiction, 'SE');
      assert.equal(kantara.receipts[0]?.collectionMethod, 'cookie_banner: banner#accept');
      assert.match(
        kantara.receipts[0]?.piiControllers[0]?.piiController ?? '',
        /Sony Network Communications Nordics/,
      );
      assert.match(kantara.receipts[0]?.policyUrl ?? '', /\/privacy\/sncn-general\/versions\/1$/);
    });

    test('the in-process check gives the same answers as the API', async () => {
      const addresses = ['reader@example.com', 'stranger@example.org', 'not an address'];
      assert.deepEqual(
        await checkSuppression(app.ctx, { declarationId: D, communication: 'sncn_newsletter', addresses }),
        await check('sncn_newsletter', addresses),
      );
    });

    test('bad input to the suppression check: unknown communication, malformed addresses, oversize batches', async () => {
      const unknown = await post(
        `/api/v1/suppression/check?declarationId=${D}&communication=nope`,
        { addresses: ['a@b.se'] },
        422,
      );
      assert.equal(unknown.json<{ error: { code: string } }>().error.code, 'not_declared');
      assert.deepEqual(
        await check('sncn_newsletter', ['no-at-sign', '@example.com', 'a@b']),
        Array(3).fill({ allowed: false, reason: 'invalid_address' }),
      );
      await post(
        `/api/v1/suppression/check?declarationId=${D}&communication=sncn_newsletter`,
        { addresses: Array(100_001).fill('a@b.se') },
        400,
      );
    });

    test('large batches stream in as lines and out as NDJSON, in order', async () => {
      const addresses = Array.from({ length: 25_000 }, (_, i) => `streamed-${i}@example.net`);
      addresses[7] = 'reader@example.com';
      // Streaming is for API clients: a cookie session may not send text/plain (a cross-site form could).
      const { key } = await createApiKey(app.ctx, hostActor(), {
        name: 'mailer',
        scopes: ['suppression:check'],
      });
      const res = await app.request({
        method: 'POST',
        url: `/api/v1/suppression/check?declarationId=${D}&communication=sncn_newsletter`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
        payload: addresses.join('\n'),
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      const lines = res.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { address: string; allowed: boolean });
      assert.equal(lines.length, 25_000);
      assert.equal(lines[7]?.address, 'reader@example.com');
      assert.equal(lines[7]?.allowed, true);
      assert.equal(lines.filter((l) => l.allowed).length, 1);
    });
  });
}
