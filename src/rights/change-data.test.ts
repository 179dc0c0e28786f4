import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import type { Actor } from '../access/actor.js';
import { rolePermissions } from '../access/roles.js';
import { unseal } from '../capture/sealed.js';
import { consentedPurposes } from '../consent/ledger.js';
import { checkSuppression } from '../consent/suppression.js';
import { activeHolds } from '../retention/holds.js';
import { retentionRoutes } from '../retention/routes.js';
import { registerAuth } from '../server/auth.js';
import { errorHandler } from '../server/errors.js';
import { eraseSubject } from './erase-subject.js';
import { decideObjection, pendingObjections, recordObjection } from './object-processing.js';
import { recipientsToNotify } from './recipients.js';
import { rectifyIdentifier, rectifyRecord } from './rectify-subject.js';
import { liftRestriction, restrictionLiftNotice, restrictSubject } from './restrict-subject.js';
import { withdrawConsent } from './withdraw-consent.js';
import { unsafeAnyTenant } from '../store/tenant-guard.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

const D = 'sncn-general';
const NOTICE = 'd'.repeat(64);

const officer: Actor = {
  kind: 'operator',
  id: 'officer-1',
  name: 'Privacy officer',
  role: 'privacy_officer',
  permissions: new Set(rolePermissions.privacy_officer),
};

/** The retention routes on a server with the real authentication and error mapping. */
async function holdServer(app: TestApp): Promise<FastifyInstance> {
  const server = Fastify();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  server.setErrorHandler(errorHandler);
  await server.register(fastifyCookie);
  registerAuth(server, app.ctx);
  await server.register(retentionRoutes(app.ctx), { prefix: '/api/v1' });
  await server.ready();
  return server;
}

for (const dialect of await dialects()) {
  describe(`changing a person's data for a rights request on ${dialect}`, () => {
    let app: TestApp;
    let holds: FastifyInstance;
    let headers: Record<string, string>;
    before(async () => {
      app = await startTestApp(dialect);
      holds = await holdServer(app);
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(async () => {
      await holds.close();
      await app.close();
    });

    const capture = async (payload: Record<string, unknown>, expected = 201) => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: { declarationId: D, source: 'website_forms', kind: 'form_submission', ...payload },
      });
      assert.equal(res.statusCode, expected, res.body);
      return res.json<{ id: string; subjectId: string; error?: { code: string; message: string } }>();
    };
    const person = (...emails: string[]) => ({
      identifiers: emails.map((value) => ({ kind: 'email', value })),
      jurisdiction: 'SE',
    });
    const check = async (communication: string, addresses: string[], jurisdiction = 'SE') =>
      (await checkSuppression(app.ctx, { declarationId: D, communication, addresses, jurisdiction })).map(
        (v) => v.reason,
      );
    const count = async (
      table: 'records' | 'identifiers' | 'subscriptions' | 'consent_events',
      subjectId: string,
    ) =>
      (
        await app.ctx.store.db
          .selectFrom(table)
          .select('id')
          .where('subject_id', '=', subjectId)
          // What is left of the person anywhere, whatever partition it is in.
          .$if(table === 'records' || table === 'identifiers', (q) => q.where(unsafeAnyTenant(table)))
          .execute()
      ).length;

    test('C9.2 erasure removes everything not exempt; an objected address stays suppressed; bookkeeping and proof of consent stay, explained', async () => {
      const { subjectId } = await capture({
        subject: person('erase-a@example.com', 'erase-b@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email', 'user.content.communication'],
        data: { message: 'Do you ship to Norway?' },
      });
      await capture({
        subject: person('erase-a@example.com'),
        source: 'partner_account',
        kind: 'invoice',
        purposes: ['bookkeeping'],
        categories: ['user.financial.purchase_history'],
        data: { invoice: 'F-2026-0042', amount: 1200 },
      });
      await subscribeConfirmed(app, headers, 'erase-a@example.com');
      const objected = await app.request({
        method: 'POST',
        url: `/api/v1/subjects/${subjectId}/marketing-objection`,
        headers,
        payload: { channel: 'email' },
      });
      assert.equal(objected.statusCode, 204, objected.body);

      const result = await eraseSubject(app.ctx, officer, { subjectId, requestId: 'R-TEST-0001' });
      assert.equal(result.found, true);
      assert.equal(result.erased.records, 1, 'the enquiry goes');
      assert.equal(result.erased.identifiers, 2);
      assert.equal(result.erased.subscriptions, 1);
      assert.ok(result.erased.messages >= 1, 'the confirmation message to the address goes');
      assert.equal(result.tombstone, true);
      const bookkeeping = result.kept.find((k) => k.what === 'records');
      assert.equal(bookkeeping?.reason, 'legal_obligation');
      assert.equal(bookkeeping?.purpose, 'bookkeeping');
      assert.match(bookkeeping?.explanation ?? '', /Bokföringslagen \(1999:1078\) ch\. 7/);
      assert.match(bookkeeping?.explanation ?? '', /Legal obligation \(Art\. 6\(1\)\(c\) GDPR\)/);
      // C10.1: seven years from the end of the calendar year of the sale (captured this year).
      const until = `${new Date().getUTCFullYear() + 8}-01-01`;
      assert.match(bookkeeping?.explanation ?? '', new RegExp(`It will be deleted on ${until}\\.`));
      assert.equal(bookkeeping?.until, `${until}T00:00:00.000Z`);
      const proof = result.kept.find((k) => k.what === 'consent_events');
      assert.equal(proof?.reason, 'legal_obligation');
      assert.equal(proof?.purpose, 'consent_records');
      assert.match(proof?.explanation ?? '', /Art\. 7\(1\)/);
      assert.ok(
        (proof?.until ?? '') > '2028',
        `proof is kept three years from the withdrawal: ${proof?.until}`,
      );

      assert.equal(await count('identifiers', subjectId), 0);
      assert.equal(await count('subscriptions', subjectId), 0);
      assert.equal(await count('records', subjectId), 1);
      const outbox = await app.ctx.store.db
        .selectFrom('outbox')
        .select('id')
        .where('to_address', '=', 'erase-a@example.com')
        .execute();
      assert.equal(outbox.length, 0);
      const tombstone = await app.ctx.store.db
        .selectFrom('subjects')
        .select('restricted')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', subjectId)
        .executeTakeFirstOrThrow();
      assert.equal(tombstone.restricted, 1, 'what is kept is only stored');
      const suppressions = await app.ctx.store.db
        .selectFrom('suppressions')
        .select('subject_id')
        .where('reason', '=', 'objected')
        .execute();
      assert.ok(suppressions.length >= 2 && suppressions.every((s) => s.subject_id === null));
      assert.deepEqual(await check('product_updates', ['erase-a@example.com', 'erase-b@example.com']), [
        'objected',
        'objected',
      ]);
      assert.equal(await consentedPurposes(app.ctx.store.db, subjectId, D).then((s) => s.size), 0);
      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'subject.erased')
        .where('target', '=', `subject:${subjectId}`)
        .execute();
      assert.equal(audit.length, 1);
      assert.ok(!audit[0]?.details.includes('erase-a'), 'the audit entry names no address');

      const again = await eraseSubject(app.ctx, officer, { subjectId });
      assert.deepEqual(
        Object.values(again.erased).filter((n) => n !== 0),
        [],
        'nothing more to erase',
      );
      assert.deepEqual(
        again.kept.map((k) => [k.what, k.reason, k.count, k.until]),
        result.kept.map((k) => [k.what, k.reason, k.count, k.until]),
      );

      // A person with nothing exempt is removed altogether.
      const plain = await capture({
        subject: person('erase-plain@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email'],
      });
      const gone = await eraseSubject(app.ctx, officer, { subjectId: plain.subjectId });
      assert.deepEqual(gone.kept, []);
      assert.equal(gone.tombstone, false);
      assert.equal(gone.erased.subjects, 1);
      assert.equal((await eraseSubject(app.ctx, officer, { subjectId: plain.subjectId })).found, false);
    });

    test('C4f.2 a legal hold keeps the records it covers through erasure, the answer names it, and after release they go', async () => {
      const held = await capture({
        subject: person('held@example.com'),
        source: 'customer_support',
        kind: 'support_interaction',
        purposes: ['after_sales_support'],
        categories: ['user.content.communication'],
        data: { ticket: 'The invoice is wrong' },
      });
      await capture({
        subject: person('held@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email'],
      });
      const placed = await holds.inject({
        method: 'POST',
        url: `/api/v1/subjects/${held.subjectId}/holds`,
        headers,
        payload: {
          categories: ['user.content.communication'],
          reason: 'Dispute over invoice F-2026-0077 before the district court',
          reference: 'T 1234-26',
        },
      });
      assert.equal(placed.statusCode, 201, placed.body);
      const hold = placed.json<{ hold: { id: string; active: boolean } }>().hold;
      assert.equal(hold.active, true);

      const result = await eraseSubject(app.ctx, officer, { subjectId: held.subjectId });
      assert.equal(result.erased.records, 1, 'the enquiry is not held');
      const kept = result.kept.find((k) => k.reason === 'legal_hold');
      assert.deepEqual(kept && [kept.what, kept.count, kept.holdId, kept.categories], [
        'records',
        1,
        hold.id,
        ['user.content.communication'],
      ]);
      assert.match(kept?.explanation ?? '', /legal hold/);
      assert.match(kept?.explanation ?? '', /Dispute over invoice F-2026-0077/);
      assert.match(kept?.explanation ?? '', /T 1234-26/);
      assert.equal(await count('records', held.subjectId), 1);
      assert.equal(
        await count('identifiers', held.subjectId),
        0,
        'the hold covers support messages, not the address',
      );

      const released = await holds.inject({
        method: 'POST',
        url: `/api/v1/holds/${hold.id}/release`,
        headers,
        payload: { reason: 'The case was settled; the judgment is final' },
      });
      assert.equal(released.statusCode, 200, released.body);
      assert.deepEqual(await activeHolds(app.ctx.store.db, held.subjectId), []);
      const after = await eraseSubject(app.ctx, officer, { subjectId: held.subjectId });
      assert.equal(after.erased.records, 1);
      assert.deepEqual(after.kept, []);
      assert.equal(after.tombstone, false);
      assert.equal(
        (
          await app.ctx.store.db
            .selectFrom('subjects')
            .select('id')
            .where('tenant', '=', CONTROLLER_TENANT)
            .where('id', '=', held.subjectId)
            .execute()
        ).length,
        0,
      );
      const actions = await app.ctx.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('target', '=', `subject:${held.subjectId}`)
        .where('action', 'like', 'legal_hold.%')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        actions.map((a) => a.action),
        ['legal_hold.placed', 'legal_hold.released'],
      );
    });

    test('C4f.2 holds over HTTP: a support agent may list but not place or release; bad input is named', async () => {
      const { subjectId } = await capture({
        subject: person('hold-routes@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email'],
      });
      const agent = {
        cookie: (await app.signInAs('support_agent')).cookie,
        'content-type': 'application/json',
      };
      const payload = { reason: 'Production order from the police', reference: 'K-55102-26' };
      const refused = await holds.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subjectId}/holds`,
        headers: agent,
        payload,
      });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.match(refused.json<{ error: { message: string } }>().error.message, /holds:manage/);
      const anonymous = await holds.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subjectId}/holds`,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      assert.equal(anonymous.statusCode, 401);

      const bad = await holds.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subjectId}/holds`,
        headers,
        payload: { reason: 'x', categories: ['user.shoe_size'] },
      });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.body.includes('body.reason'), bad.body);
      const unknown = await holds.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subjectId}/holds`,
        headers,
        payload: { ...payload, categories: ['user.shoe_size'] },
      });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /user\.shoe_size/);
      const nobody = await holds.inject({
        method: 'POST',
        url: `/api/v1/subjects/00000000-0000-4000-8000-000000000000/holds`,
        headers,
        payload,
      });
      assert.equal(nobody.statusCode, 404);

      const placed = await holds.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subjectId}/holds`,
        headers,
        payload,
      });
      assert.equal(placed.statusCode, 201, placed.body);
      const id = placed.json<{ hold: { id: string } }>().hold.id;
      const listed = await holds.inject({
        method: 'GET',
        url: `/api/v1/subjects/${subjectId}/holds`,
        headers: agent,
      });
      assert.equal(listed.statusCode, 200, listed.body);
      const [entry] = listed.json<{
        holds: { id: string; categories: null; reference: string; active: boolean }[];
      }>().holds;
      assert.deepEqual(entry && [entry.id, entry.categories, entry.reference, entry.active], [
        id,
        null,
        'K-55102-26',
        true,
      ]);
      const agentRelease = await holds.inject({
        method: 'POST',
        url: `/api/v1/holds/${id}/release`,
        headers: agent,
        payload: { reason: 'The order was withdrawn' },
      });
      assert.equal(agentRelease.statusCode, 403);
      assert.equal((await activeHolds(app.ctx.store.db, subjectId)).length, 1);
      // A hold on everything keeps the address too.
      const result = await eraseSubject(app.ctx, officer, { subjectId });
      assert.deepEqual(
        result.kept.map((k) => [k.what, k.reason]),
        [
          ['records', 'legal_hold'],
          ['identifiers', 'legal_hold'],
        ],
      );
      assert.deepEqual(await check('product_updates', ['hold-routes@example.com']), ['restricted']);
    });

    test('C9.10 restriction keeps the data but blocks marketing, service messages and new capture', async () => {
      const { subjectId } = await capture({
        subject: person('restrict@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email'],
      });
      assert.deepEqual(await check('product_updates', ['restrict@example.com']), ['opt_out']);
      assert.deepEqual(await restrictSubject(app.ctx, officer, { subjectId }), { subjectId, changed: true });
      assert.deepEqual(await restrictSubject(app.ctx, officer, { subjectId }), { subjectId, changed: false });
      assert.deepEqual(await check('product_updates', ['restrict@example.com']), ['restricted']);
      assert.deepEqual(await check('order_confirmations', ['restrict@example.com']), ['restricted']);
      const refused = await capture(
        {
          subject: person('restrict@example.com'),
          purposes: ['enquiries'],
          categories: ['user.contact.email'],
        },
        409,
      );
      assert.equal(refused.error?.code, 'subject_restricted');
      assert.match(refused.error?.message ?? '', /restricted/);
      assert.equal(await count('records', subjectId), 1, 'the data is kept');
      assert.equal(await count('identifiers', subjectId), 1);
    });

    test('C9.10 lifting a restriction needs the time the person was told, not in the future nor before the restriction', async () => {
      const { subjectId } = await capture({
        subject: person('lift@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email'],
      });
      await restrictSubject(app.ctx, officer, { subjectId });
      await assert.rejects(
        liftRestriction(app.ctx, officer, { subjectId } as never),
        (error: Error) => error.name === 'ZodError' && /notifiedAt/.test(error.message),
      );
      await assert.rejects(
        liftRestriction(app.ctx, officer, { subjectId, notifiedAt: '2999-01-01T00:00:00Z' }),
        /future/,
      );
      await assert.rejects(
        liftRestriction(app.ctx, officer, { subjectId, notifiedAt: '2001-01-01T00:00:00Z' }),
        /before the restriction began/,
      );
      assert.deepEqual(await check('product_updates', ['lift@example.com']), ['restricted']);
      const notice = await restrictionLiftNotice(app.ctx, { subjectId, declarationId: D });
      assert.deepEqual(notice.to, ['lift@example.com']);
      assert.match(notice.text, /restrict/);
      assert.match(notice.text, /Integritetsskyddsmyndigheten/);
      const lifted = await liftRestriction(app.ctx, officer, {
        subjectId,
        notifiedAt: new Date().toISOString(),
        requestId: 'R-TEST-0002',
      });
      assert.deepEqual(lifted, { subjectId, changed: true });
      assert.deepEqual(await check('product_updates', ['lift@example.com']), ['opt_out']);
      await capture({
        subject: person('lift@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email'],
      });
    });

    test('C9.4 withdrawal stops every consent-based purpose from now and says what continues and why', async () => {
      const consented = await capture({
        subject: person('withdraw@example.com'),
        collectionPoint: 'preference_centre',
        purposes: ['personalised_content'],
        categories: ['user.preferences'],
        consent: { noticeHash: NOTICE },
      });
      const subjectId = consented.subjectId;
      await capture({
        subject: person('withdraw@example.com'),
        source: 'partner_account',
        kind: 'partner_account',
        purposes: ['b2b_service_provision', 'personalised_content'],
        categories: ['user.name'],
      });
      await subscribeConfirmed(app, headers, 'withdraw@example.com');
      assert.deepEqual(await check('sncn_newsletter', ['withdraw@example.com']), ['consent']);

      const result = await withdrawConsent(app.ctx, officer, { subjectId, requestId: 'R-TEST-0003' });
      assert.deepEqual(result.stopped.map((s) => s.purpose).sort(), ['newsletters', 'personalised_content']);
      assert.deepEqual(result.unsubscribed, [{ declarationId: D, communication: 'sncn_newsletter' }]);
      assert.equal(result.removedRecords, 1, 'the record kept only for personalisation goes');
      assert.equal(result.updatedRecords, 1);
      const [continuing] = result.continuing;
      assert.equal(result.continuing.length, 1);
      assert.equal(continuing?.purpose, 'b2b_service_provision');
      assert.equal(continuing?.basis, 'contract');
      assert.match(continuing?.why ?? '', /contract/);
      assert.match(continuing?.why ?? '', /Art\. 6\(1\)\(b\)/);

      assert.equal((await consentedPurposes(app.ctx.store.db, subjectId, D)).size, 0);
      assert.deepEqual(await check('sncn_newsletter', ['withdraw@example.com']), ['unsubscribed']);
      const [record] = await app.ctx.store.db
        .selectFrom('records')
        .select('purposes')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', subjectId)
        .execute();
      assert.deepEqual(JSON.parse(record?.purposes ?? '[]'), [
        { id: 'b2b_service_provision', basis: 'contract' },
      ]);
      const given = await app.ctx.store.db
        .selectFrom('consent_events')
        .select('event')
        .where('subject_id', '=', subjectId)
        .where('event', '=', 'given')
        .execute();
      assert.ok(given.length >= 2, 'withdrawal is not retroactive: the consents given stay on record');
      const again = await withdrawConsent(app.ctx, officer, { subjectId });
      assert.deepEqual(again.stopped, []);
      assert.deepEqual(
        again.continuing.map((c) => c.purpose),
        ['b2b_service_provision'],
      );
    });

    test('C9.3 C4d.1 an objection to legitimate-interest processing (product development) waits for an operator, with the purpose’s assessment; upheld, the purpose stops, also for new records', async () => {
      const record = await capture({
        subject: person('object@example.com'),
        source: 'surveys',
        kind: 'survey_answer',
        purposes: ['product_development'],
        categories: ['user.content.survey'],
        data: { answer: 'More colours please' },
      });
      const subjectId = record.subjectId;
      const pending = await recordObjection(app.ctx, officer, {
        subjectId,
        declarationId: D,
        purpose: 'product_development',
        requestId: 'R-TEST-0004',
      });
      assert.equal(pending.status, 'pending_decision');
      assert.ok(pending.status === 'pending_decision' && pending.records === 1);
      assert.ok(pending.status === 'pending_decision' && pending.assessment?.balancing);
      assert.equal(await count('records', subjectId), 1, 'nothing stops before the decision');
      const repeated = await recordObjection(app.ctx, officer, {
        subjectId,
        declarationId: D,
        purpose: 'product_development',
      });
      assert.equal(repeated.status, 'pending_decision');
      assert.deepEqual(
        (await pendingObjections(app.ctx.store.db, subjectId)).map((p) => [p.purpose, p.requestId]),
        [['product_development', 'R-TEST-0004']],
      );
      assert.equal(
        (await recordObjection(app.ctx, officer, { subjectId, declarationId: D, purpose: 'bookkeeping' }))
          .status,
        'not_applicable',
      );
      await assert.rejects(
        decideObjection(app.ctx, officer, {
          subjectId,
          declarationId: D,
          purpose: 'surveys',
          uphold: true,
          reasons: 'No objection to surveys was made',
        }),
        /No objection to "surveys"/,
      );

      const decision = await decideObjection(app.ctx, officer, {
        subjectId,
        declarationId: D,
        purpose: 'product_development',
        uphold: true,
        reasons: 'The answers add little to our analyses and the person has asked us to stop.',
      });
      assert.deepEqual([decision.upheld, decision.removedRecords], [true, 1]);
      assert.equal(await count('records', subjectId), 0);
      assert.deepEqual(await pendingObjections(app.ctx.store.db, subjectId), []);
      const refused = await capture(
        {
          subject: person('object@example.com'),
          source: 'surveys',
          kind: 'survey_answer',
          purposes: ['product_development'],
          categories: ['user.content.survey'],
        },
        409,
      );
      assert.equal(refused.error?.code, 'objection_upheld');
      // Other purposes go on.
      await capture({
        subject: person('object@example.com'),
        source: 'surveys',
        kind: 'survey_answer',
        purposes: ['surveys'],
        categories: ['user.content.survey'],
      });
      // The marketing objection needs no decision.
      const marketing = await recordObjection(app.ctx, officer, {
        subjectId,
        declarationId: D,
        purpose: 'newsletters',
      });
      assert.deepEqual(
        [marketing.status, marketing.status === 'upheld' && marketing.absolute],
        ['upheld', true],
      );
      assert.deepEqual(await check('product_updates', ['object@example.com']), ['objected']);
    });

    test('rectification corrects record fields and identifiers; the audit names the fields, never the values', async () => {
      const record = await capture({
        subject: person('Rectify.Me@Example.com'),
        purposes: ['enquiries'],
        categories: ['user.name', 'user.contact.email'],
        data: { name: 'Jonh Smiht', company: 'Acme' },
      });
      const changed = await rectifyRecord(app.ctx, officer, {
        recordId: record.id,
        set: { name: 'John Smith', company: 'Acme' },
        unset: ['nickname'],
      });
      assert.deepEqual(changed.changedFields, ['name']);
      const row = await app.ctx.store.db
        .selectFrom('records')
        .select('data')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', record.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(unseal(app.ctx.keys.records, row.data), { name: 'John Smith', company: 'Acme' });

      await subscribeConfirmed(app, headers, 'Rectify.Me@example.com');
      const identifier = await app.ctx.store.db
        .selectFrom('identifiers')
        .select('id')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', record.subjectId)
        .executeTakeFirstOrThrow();
      await assert.rejects(
        rectifyIdentifier(app.ctx, officer, { identifierId: identifier.id, value: 'not an address' }),
        /email is not an email address/,
      );
      const fixed = await rectifyIdentifier(app.ctx, officer, {
        identifierId: identifier.id,
        value: '  John.Smith@EXAMPLE.com ',
      });
      assert.deepEqual(fixed, { identifierId: identifier.id, kind: 'email', changed: true });
      const value = await app.ctx.store.db
        .selectFrom('identifiers')
        .select('value')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', identifier.id)
        .executeTakeFirstOrThrow();
      assert.equal(value.value, 'John.Smith@example.com');
      assert.deepEqual(await check('sncn_newsletter', ['John.Smith@example.com', 'Rectify.Me@example.com']), [
        'consent',
        'unknown_opt_in_required',
      ]);
      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('target', '=', `subject:${record.subjectId}`)
        .where('action', 'in', ['record.rectified', 'identifier.rectified'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['record.rectified', 'identifier.rectified'],
      );
      for (const entry of audit)
        for (const secret of ['Jonh', 'John', 'Smiht', 'Rectify', 'example.com'])
          assert.ok(!entry.details.includes(secret), `${entry.action} keeps no value: ${entry.details}`);
      assert.match(audit[0]?.details ?? '', /"fields":\["name"\]/);
    });

    test('recipientsToNotify lists the notified recipients of the person’s purposes and those the register shows a disclosure to', async () => {
      const { subjectId } = await capture({
        subject: person('recipients@example.com'),
        source: 'partner_account',
        kind: 'partner_account',
        purposes: ['b2b_service_provision'],
        categories: ['user.name', 'user.contact.email'],
      });
      const disclosed = await app.request({
        method: 'POST',
        url: '/api/v1/disclosures',
        headers,
        payload: {
          declarationId: D,
          recipientId: 'authorities',
          legalBasis: 'legal_obligation',
          categories: ['user.contact.email'],
          subjectRef: subjectId,
          description: 'Production order about a fraud investigation',
          disclosedAt: '2026-03-02T09:00:00Z',
        },
      });
      assert.equal(disclosed.statusCode, 201, disclosed.body);
      const recipients = await recipientsToNotify(app.ctx, subjectId);
      assert.deepEqual(
        recipients.map((r) => r.recipientId),
        [
          'authorities',
          'customer_service_providers',
          'fulfilment_delivery',
          'mail_and_email',
          'payment_processing',
          'sony_group',
        ],
      );
      const authorities = recipients.find((r) => r.recipientId === 'authorities');
      assert.deepEqual(authorities?.categories, ['user.contact.email']);
      assert.match(authorities?.why ?? '', /disclosure register .* 2026-03-02/);
      const mail = recipients.find((r) => r.recipientId === 'mail_and_email');
      assert.equal(mail?.name, 'Postal mail and email sending');
      assert.deepEqual(mail?.categories, ['user.contact.email', 'user.name']);
      assert.match(mail?.why ?? '', /"Serving our business customers"/);
      assert.ok(
        !recipients.some((r) => r.recipientId === 'fraud_checking'),
        'recipients of purposes the person’s data does not serve are not listed',
      );
    });
  });
}
