/**
 * C10.1: every retention rule's clock starts, through the public interfaces: capture
 * (`POST /api/v1/records`), consent (`POST /api/v1/consents`), lifecycle events
 * (`POST /api/v1/lifecycle-events` and `steward lifecycle report`), on SQLite and PostgreSQL.
 * What is checked is `records.expires_at` (and the rule that decides it): the contract with the
 * sweeps, which delete what has `expires_at < now`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import type { TestApp } from '../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../test/support/app.js';
import { cliEnv, runCli } from '../../test/support/cli.js';
import type { SupportDb } from '../../test/support/nordkust-systems.js';
import { createSupportDb } from '../../test/support/nordkust-systems.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

const SHOP = 'nordkust-kaffe';
const REF = 'sncn-general';
const NOTICE = 'c'.repeat(64);

/** A clock the tests move: Steward's "now". */
let now = new Date('2026-06-01T10:00:00.000Z');
const clock = { now: () => new Date(now) };
const at = (iso: string) => new Date(iso).toISOString();

for (const dialect of await dialects()) {
  describe(`C10.1 retention clocks on ${dialect}`, () => {
    let app: TestApp;
    let support: SupportDb;
    let dir: string;
    let auth: Record<string, string>;
    let n = 0;
    /** A fresh email address, so each test has its own person. */
    const person = () => `person-${(n += 1)}-${randomUUID().slice(0, 8)}@example.com`;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'steward-clocks-'));
      support = createSupportDb(join(dir, 'support.db'));
      app = await startTestApp(dialect, {
        declarations: [referenceDeclaration, smallShopDeclaration],
        clock,
        env: { STEWARD_SYSTEM_SUPPORT_URL: support.url },
      });
      // What a company's order system holds: capture, consent and lifecycle events, nothing more.
      const { key } = await createApiKey(app.ctx, hostActor(), {
        name: 'order system',
        scopes: ['subjects:write', 'consent:write', 'lifecycle:write'],
      });
      auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    });
    after(async () => {
      await app.close();
      support.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const post = async (url: string, payload: object, expected: number, headers = auth) => {
      const res = await app.request({ method: 'POST', url, headers, payload });
      assert.equal(res.statusCode, expected, `${url}: ${res.body}`);
      return res.json<Record<string, unknown>>();
    };
    const capture = async (payload: Record<string, unknown>) =>
      (await post('/api/v1/records', { collectedAt: clock.now().toISOString(), ...payload }, 201)) as {
        id: string;
        subjectId: string;
        expiresAt: string | null;
      };
    const report = (payload: object, expected = 201) =>
      post('/api/v1/lifecycle-events', payload, expected) as Promise<{
        duplicate: boolean;
        event: { id: string; subjectId: string | null };
        records: { id: string; expiresAt: string | null; rule: string | null }[];
      }>;
    const error = async (payload: object, expected: number) =>
      (
        (await post('/api/v1/lifecycle-events', payload, expected)) as {
          error: { code: string; message: string; details?: { path: string }[] };
        }
      ).error;
    /** What the sweeps read: the record's expiry and the rule that decides it. */
    const expiry = async (recordId: string) => {
      const row = await app.ctx.store.db
        .selectFrom('records')
        .select(['expires_at', 'expiry_rule'])
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      return [row.expires_at, row.expiry_rule];
    };
    const eventCount = async () =>
      Number(
        (
          await app.ctx.store.db
            .selectFrom('lifecycle_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('tenant', '=', CONTROLLER_TENANT)
            .executeTakeFirstOrThrow()
        ).n,
      );

    const order = (email: string, purposes: string[], categories: string[]) =>
      capture({
        declarationId: SHOP,
        subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' },
        kind: 'order',
        purposes,
        categories,
        source: 'checkout',
      });

    test('C10.1 collected: the period counts from capture', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const record = await capture({
        declarationId: SHOP,
        subject: { identifiers: [{ kind: 'cookie', value: `c-${randomUUID()}` }] },
        kind: 'page_request',
        purposes: ['site_security'],
        categories: ['user.device.ip_address'],
        source: 'site_visits',
        collectedAt: '2026-05-20T08:30:00Z',
      });
      assert.equal(record.expiresAt, at('2026-06-19T08:30:00Z'));
      assert.deepEqual(await expiry(record.id), [at('2026-06-19T08:30:00Z'), 'logs']);
    });

    test('C10.1 a named event about a record (delivered) starts its rule; an anchored statutory period counts from the end of the year', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const email = person();
      const parcel = await order(email, ['orders'], ['user.name', 'user.contact.address']);
      assert.equal(parcel.expiresAt, null, 'the complaint period waits for delivery');
      const voucher = await order(
        email,
        ['orders', 'bookkeeping'],
        ['user.name', 'user.financial.purchase_history'],
      );
      assert.equal(voucher.expiresAt, null, 'a record expires only when every clock has started');
      const bookkeeping = await order(email, ['bookkeeping'], ['user.financial.purchase_history']);
      // Captured in 2026: seven years from the end of 2026 (the financial year is the calendar year).
      assert.deepEqual(await expiry(bookkeeping.id), [at('2034-01-01T00:00:00Z'), 'accounting']);

      now = new Date('2026-06-10T10:00:00Z');
      const delivered = await report({
        declarationId: SHOP,
        event: 'delivered',
        record: { id: parcel.id },
        occurredAt: '2026-06-03T14:00:00+02:00',
      });
      assert.equal(delivered.duplicate, false);
      assert.equal(delivered.event.subjectId, parcel.subjectId);
      assert.deepEqual(delivered.records, [
        { id: parcel.id, expiresAt: at('2029-06-03T12:00:00Z'), rule: 'orders' },
      ]);
      assert.deepEqual(await expiry(parcel.id), [at('2029-06-03T12:00:00Z'), 'orders']);
      assert.deepEqual(await expiry(voucher.id), [null, null], 'another order is not delivered by this one');

      await report({
        declarationId: SHOP,
        event: 'delivered',
        record: { id: voucher.id },
        occurredAt: '2026-06-04T09:00:00Z',
      });
      // Both rules have started; the Bookkeeping Act's period ends last and decides.
      assert.deepEqual(await expiry(voucher.id), [at('2034-01-01T00:00:00Z'), 'accounting']);
    });

    test('C10.1 last_interaction: an interaction the purpose names pushes every record of the purpose forward', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const email = person();
      const subject = { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' };
      const mail = (collectedAt: string) =>
        capture({
          declarationId: SHOP,
          subject,
          kind: 'support_email',
          purposes: ['customer_service'],
          categories: ['user.content.communication'],
          source: 'customer_email',
          collectedAt,
        });
      const first = await mail('2026-01-10T09:00:00Z');
      assert.deepEqual(await expiry(first.id), [at('2028-01-10T09:00:00Z'), 'support_mail']);
      const second = await mail('2026-04-02T16:00:00Z');
      for (const r of [first, second])
        assert.deepEqual(
          await expiry(r.id),
          [at('2028-04-02T16:00:00Z'), 'support_mail'],
          'pushed by the reply',
        );
      // An older message arriving late moves nothing back.
      const late = await mail('2025-12-01T09:00:00Z');
      assert.deepEqual(await expiry(late.id), [at('2028-04-02T16:00:00Z'), 'support_mail']);

      // Offers: an order (capture:orders) counts as an interaction; a record of another purpose
      // that the offers do not name does not.
      const offer = await capture({
        declarationId: SHOP,
        subject,
        kind: 'checkout_opt_in',
        purposes: ['customer_offers'],
        categories: ['user.contact.email'],
        source: 'checkout',
        collectedAt: '2026-02-01T12:00:00Z',
      });
      assert.deepEqual(await expiry(offer.id), [at('2028-02-01T12:00:00Z'), 'marketing']);
      await mail('2026-05-01T12:00:00Z');
      assert.deepEqual(
        await expiry(offer.id),
        [at('2028-02-01T12:00:00Z'), 'marketing'],
        'a support mail is no offer interaction',
      );
      now = new Date('2026-06-10T08:00:00Z');
      await order(email, ['orders'], ['user.name']);
      assert.deepEqual(
        await expiry(offer.id),
        [at('2028-06-10T08:00:00Z'), 'marketing'],
        'pushed by the order',
      );
    });

    test('C10.1 consent_withdrawn: a proof of consent waits while consent stands, counts from the withdrawal, and waits again when consent is given again; consent given is an interaction', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const email = person();
      const subject = { identifiers: [{ kind: 'email', value: email }] };
      const signup = await capture({
        declarationId: SHOP,
        subject,
        kind: 'newsletter_signup',
        purposes: ['newsletter'],
        categories: ['user.contact.email'],
        source: 'signup',
        collectionPoint: 'newsletter_form',
        consent: { noticeHash: NOTICE },
      });
      assert.deepEqual(await expiry(signup.id), [at('2028-06-01T10:00:00Z'), 'marketing']);
      const proof = await capture({
        declarationId: SHOP,
        subject,
        kind: 'consent_proof',
        purposes: ['consent_records'],
        categories: ['user.consent'],
        source: 'signup',
      });
      assert.deepEqual(await expiry(proof.id), [null, null], 'consent still stands');

      const consent = (event: string) =>
        post(
          '/api/v1/consents',
          {
            declarationId: SHOP,
            subject,
            event,
            targets: [{ kind: 'purpose', id: 'newsletter' }],
            noticeHash: NOTICE,
          },
          201,
        );
      now = new Date('2026-08-15T07:00:00Z');
      await consent('withdrawn');
      assert.deepEqual(await expiry(proof.id), [at('2029-08-15T07:00:00Z'), 'consent_proof']);
      assert.deepEqual(await expiry(signup.id), [at('2028-06-01T10:00:00Z'), 'marketing']);

      now = new Date('2026-09-01T07:00:00Z');
      await consent('given');
      assert.deepEqual(await expiry(proof.id), [null, null], 'consent given again stops the clock');
      assert.deepEqual(
        await expiry(signup.id),
        [at('2028-09-01T07:00:00Z'), 'marketing'],
        'consent given is an interaction',
      );
    });

    test('C10.1 contract_end, account_closed and a named event about a person start their rules, for the records collected before them', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const email = person();
      const subject = { identifiers: [{ kind: 'email', value: email }] };
      const contact = await capture({
        declarationId: REF,
        subject,
        kind: 'customer_contact',
        purposes: ['b2b_service_provision'],
        categories: ['user.name', 'user.contact.email'],
        source: 'website_forms',
        collectedAt: '2026-03-01T10:00:00Z',
      });
      const account = await capture({
        declarationId: REF,
        subject,
        kind: 'partner_account',
        purposes: ['b2b_service_provision'],
        categories: ['user.name', 'user.account'],
        source: 'partner_account',
        collectedAt: '2026-03-01T10:00:00Z',
      });
      const claim = await capture({
        declarationId: REF,
        subject,
        kind: 'dispute_file',
        purposes: ['legal_claims'],
        categories: ['user.content.communication'],
        source: 'customer_support',
        collectedAt: '2026-03-02T10:00:00Z',
      });
      for (const r of [contact, account, claim]) assert.equal(r.expiresAt, null);

      const ended = await report({
        declarationId: REF,
        event: 'contract_end',
        // As typed elsewhere: the domain's case does not make another person.
        subject: { kind: 'email', value: email.replace('@example.com', '@Example.COM') },
        occurredAt: '2026-05-31T23:59:59Z',
      });
      assert.equal(ended.event.subjectId, contact.subjectId);
      assert.deepEqual(await expiry(contact.id), [at('2027-05-31T23:59:59Z'), 'customer_relationship']);
      assert.deepEqual(await expiry(account.id), [null, null], 'the account has not been closed yet');

      now = new Date('2026-07-01T10:00:00Z');
      await report({
        declarationId: REF,
        event: 'account_closed',
        subject: { id: contact.subjectId },
        occurredAt: '2026-06-20T12:00:00Z',
      });
      // 30 days after closing ends before a year after the contract: the contract's rule decides.
      assert.deepEqual(await expiry(account.id), [at('2027-05-31T23:59:59Z'), 'customer_relationship']);

      await report({
        declarationId: REF,
        event: 'dispute_settled',
        subject: { id: contact.subjectId },
        occurredAt: '2026-06-30T00:00:00Z',
      });
      assert.deepEqual(await expiry(claim.id), [at('2027-06-30T00:00:00Z'), 'legal_claims']);

      // A contract that ended before the record existed is not its contract.
      const later = await capture({
        declarationId: REF,
        subject,
        kind: 'customer_contact',
        purposes: ['b2b_service_provision'],
        categories: ['user.name'],
        source: 'website_forms',
      });
      assert.equal(later.expiresAt, null);
    });

    test('C10.1 steward lifecycle report starts the clock the same way, by identifier, and says so', async () => {
      // The CLI runs in its own process, on the machine's clock.
      now = new Date();
      const email = person();
      const post = await capture({
        declarationId: REF,
        subject: { identifiers: [{ kind: 'email', value: email }] },
        kind: 'forum_post',
        purposes: ['forum'],
        categories: ['user.account.username', 'user.content.public'],
        source: 'forum_posts',
        collectedAt: '2026-06-01T00:00:00Z',
      });
      assert.equal(post.expiresAt, null);
      const args = [
        'lifecycle',
        'report',
        '--declaration',
        REF,
        '--event',
        'account_closed',
        '--email',
        email,
        '--at',
        '2026-06-20T12:00:00Z',
      ];
      const done = await runCli(args, cliEnv(app));
      assert.equal(done.code, 0, done.stderr);
      assert.match(done.stdout, /Recorded account_closed at 2026-06-20T12:00:00.000Z/);
      assert.match(
        done.stdout,
        new RegExp(`record ${post.id}: expires 2026-07-20T12:00:00.000Z \\(rule forum_accounts\\)`),
      );
      assert.deepEqual(await expiry(post.id), [at('2026-07-20T12:00:00Z'), 'forum_accounts']);

      const unknown = await runCli(
        [
          'lifecycle',
          'report',
          '--declaration',
          REF,
          '--event',
          'account_closed',
          '--email',
          'nobody@example.com',
        ],
        cliEnv(app),
      );
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /No person with that email/);
      const usage = await runCli(
        [
          'lifecycle',
          'report',
          '--declaration',
          REF,
          '--event',
          'account_closed',
          '--email',
          email,
          '--record',
          randomUUID(),
        ],
        cliEnv(app),
      );
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /name exactly one of/);
    });

    test('C10.1 bad input: unknown person or record, an event no rule uses, a time in the future, the wrong target; nothing is recorded', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const email = person();
      const parcel = await order(email, ['orders'], ['user.name']);
      const before = await eventCount();

      const nobody = await error(
        { declarationId: SHOP, event: 'delivered', record: { id: randomUUID() } },
        404,
      );
      assert.equal(nobody.code, 'not_found');
      assert.deepEqual(
        nobody.details?.map((d) => d.path),
        ['record.id'],
      );
      // A record of another declaration is not found under this one.
      const elsewhere = await capture({
        declarationId: REF,
        subject: { identifiers: [{ kind: 'email', value: email }] },
        kind: 'customer_contact',
        purposes: ['b2b_service_provision'],
        categories: ['user.name'],
        source: 'website_forms',
      });
      assert.equal(
        (await error({ declarationId: SHOP, event: 'delivered', record: { id: elsewhere.id } }, 404)).code,
        'not_found',
      );
      assert.equal(
        (await error({ declarationId: REF, event: 'contract_end', subject: { id: randomUUID() } }, 404)).code,
        'not_found',
      );
      assert.match(
        (
          await error(
            {
              declarationId: REF,
              event: 'contract_end',
              subject: { kind: 'email', value: 'nobody-known@example.com' },
            },
            404,
          )
        ).message,
        /No person with that email/,
      );

      const unused = await error({ declarationId: SHOP, event: 'shipped', record: { id: parcel.id } }, 422);
      assert.equal(unused.code, 'not_declared');
      assert.match(unused.message, /event "shipped"/);
      assert.match(unused.message, /Events it accepts: delivered, order_placed\./);
      // A built-in event the declaration's rules do not use is refused too.
      assert.match(
        (
          await error(
            { declarationId: SHOP, event: 'contract_end', subject: { kind: 'email', value: email } },
            422,
          )
        ).message,
        /accepts: delivered/,
      );

      const future = await error(
        {
          declarationId: SHOP,
          event: 'delivered',
          record: { id: parcel.id },
          occurredAt: '2026-06-01T10:05:01Z',
        },
        422,
      );
      assert.equal(future.code, 'time_in_future');
      assert.deepEqual(
        future.details?.map((d) => d.path),
        ['occurredAt'],
      );

      const wrongTarget = await error(
        { declarationId: SHOP, event: 'delivered', subject: { kind: 'email', value: email } },
        422,
      );
      assert.match(wrongTarget.message, /happens to one record/);
      assert.equal(
        (
          await error(
            {
              declarationId: SHOP,
              event: 'delivered',
              subject: { kind: 'email', value: email },
              record: { id: parcel.id },
            },
            400,
          )
        ).code,
        'validation_failed',
      );
      assert.equal((await error({ declarationId: SHOP, event: 'delivered' }, 400)).code, 'validation_failed');
      assert.equal(
        (await error({ declarationId: 'nowhere', event: 'delivered', record: { id: parcel.id } }, 404)).code,
        'not_found',
      );
      assert.equal(await eventCount(), before, 'nothing was recorded');
      assert.deepEqual(await expiry(parcel.id), [null, null]);

      // Within the clock skew allowed, a time a little ahead is accepted.
      await report({
        declarationId: SHOP,
        event: 'delivered',
        record: { id: parcel.id },
        occurredAt: '2026-06-01T10:04:00Z',
      });
      assert.deepEqual(await expiry(parcel.id), [at('2029-06-01T10:04:00Z'), 'orders']);
    });

    test('C10.1 an exact duplicate is recorded once: the answer says duplicate, one row and one audit entry', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const email = person();
      const parcel = await order(email, ['orders'], ['user.name']);
      const event = {
        declarationId: SHOP,
        event: 'delivered',
        record: { id: parcel.id },
        occurredAt: '2026-05-30T10:00:00Z',
      };
      const audits = async () =>
        (
          await app.ctx.store.db
            .selectFrom('audit_log')
            .select('details')
            .where('action', '=', 'lifecycle_event.recorded')
            .execute()
        ).filter((a) => a.details.includes(parcel.id)).length;
      const first = await report(event, 201);
      const [second, third] = await Promise.all([
        report(event, 200),
        report({ ...event, occurredAt: '2026-05-30T12:00:00+02:00' }, 200),
      ]);
      assert.equal(second.duplicate, true);
      assert.equal(third.duplicate, true, 'the same instant written in another offset');
      assert.equal(second.event.id, first.event.id);
      assert.equal(await audits(), 1);
      const rows = await app.ctx.store.db
        .selectFrom('lifecycle_events')
        .select('id')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('record_id', '=', parcel.id)
        .execute();
      assert.equal(rows.length, 1);
      // The same person named by identifier and by id is the same event.
      const contact = await capture({
        declarationId: REF,
        subject: { identifiers: [{ kind: 'email', value: email }] },
        kind: 'customer_contact',
        purposes: ['b2b_service_provision'],
        categories: ['user.name'],
        source: 'website_forms',
        collectedAt: '2026-01-01T00:00:00Z',
      });
      const byEmail = await report({
        declarationId: REF,
        event: 'contract_end',
        subject: { kind: 'email', value: email },
        occurredAt: '2026-05-01T00:00:00Z',
      });
      const byId = await report(
        {
          declarationId: REF,
          event: 'contract_end',
          subject: { id: contact.subjectId },
          occurredAt: '2026-05-01T00:00:00Z',
        },
        200,
      );
      assert.equal(byId.duplicate, true);
      assert.equal(byId.event.id, byEmail.event.id);
    });

    test('C10.1 a connected system’s row is checked through its connector before its event is recorded', async () => {
      now = new Date('2026-06-01T10:00:00Z');
      const row = (key: object, system = 'support', collection = 'tickets') => ({
        declarationId: SHOP,
        event: 'delivered',
        record: { system, collection, key },
        occurredAt: '2026-05-30T10:00:00Z',
      });
      const recorded = await report(row({ id: 1 }));
      assert.equal(recorded.event.subjectId, null);
      assert.deepEqual(recorded.records, []);
      assert.equal((await report(row({ id: 1 }), 200)).duplicate, true);
      assert.equal(
        (await error(row({ id: 99 }), 404)).message,
        'System "support" has no row of "tickets" with that key.',
      );
      assert.equal((await error(row({ ticket: 1 }), 400)).code, 'validation_failed');
      assert.equal((await error(row({ id: 1 }, 'support', 'nothing'), 404)).code, 'not_found');
      assert.equal((await error(row({ id: 1 }, 'warehouse'), 404)).code, 'not_found');
      // Declared, but this installation has no settings for it: the row cannot be checked now.
      assert.equal((await error(row({ id: 1 }, 'shop', 'orders'), 409)).code, 'conflict');
    });

    test('C10.1 only callers with lifecycle:write may report', async () => {
      const { key } = await createApiKey(app.ctx, hostActor(), {
        name: 'capture only',
        scopes: ['subjects:write'],
      });
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/lifecycle-events',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: { declarationId: SHOP, event: 'delivered', record: { id: randomUUID() } },
      });
      assert.equal(res.statusCode, 403);
    });
  });
}
