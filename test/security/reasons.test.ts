/**
 * Finding 9 of the attack on Steward: an auditor read requesters' names and addresses without
 * saying why, and "xxxxx" passed as the reason for opening a person's data. Every read of a
 * person's data names a reason from the declared list, checked where it can be, and audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dialects, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';

const DECLARATION = 'sncn-general';
const json = { 'content-type': 'application/json' };

for (const dialect of await dialects()) {
  describe(`finding 9: reading a person's data needs a real reason, on ${dialect}`, () => {
    let app: TestApp;
    let officer: Record<string, string>;
    let subjectId: string;
    let request: { id: string; reference: string };
    let other: { id: string; reference: string };

    before(async () => {
      app = await startTestApp(dialect);
      officer = { cookie: (await app.signInAs('privacy_officer')).cookie, ...json };
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: officer,
        payload: {
          declarationId: DECLARATION,
          subject: { identifiers: [{ kind: 'email', value: 'hedda.gabler@example.org' }] },
          kind: 'form_submission',
          purposes: ['enquiries'],
          categories: ['user.name', 'user.contact'],
          source: 'website_forms',
          data: { name: 'Hedda Gabler' },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      subjectId = captured.json<{ subjectId: string }>().subjectId;
      const letter = async (name: string, address: string) => {
        const res = await app.request({
          method: 'POST',
          url: '/api/v1/requests',
          headers: officer,
          payload: {
            declarationId: DECLARATION,
            type: 'erasure',
            channel: 'post',
            requester: { name, identifiers: [{ kind: 'email', value: address }] },
            details: 'Please delete what you hold about me.',
          },
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json<{ id: string; reference: string }>();
      };
      request = await letter('Hedda Gabler', 'hedda.gabler@example.org');
      other = await letter('Ejlert Lovborg', 'ejlert@example.org');
    });
    after(() => app.close());

    const open = (url: string, headers: Record<string, string>) =>
      app.request({ method: 'GET', url, headers });

    test('C7.2 an auditor sees requests with what the requester wrote masked, and cannot unmask it', async () => {
      const auditor = { cookie: (await app.signInAs('auditor')).cookie };
      const masked = await open(`/api/v1/requests/${request.id}`, auditor);
      assert.equal(masked.statusCode, 200, masked.body);
      for (const secret of ['hedda.gabler@example.org', 'Hedda Gabler', 'Please delete'])
        assert.ok(!masked.body.includes(secret));
      const body = masked.json<{
        claimsShown: boolean;
        claims: { name: string; identifiers: { value: string }[] };
      }>();
      assert.equal(body.claimsShown, false);
      assert.deepEqual(body.claims.identifiers, [{ kind: 'email', value: 'h…@e….org' }]);
      const asked = await open(
        `/api/v1/requests/${request.id}?reason=handling_request&reference=${request.reference}`,
        auditor,
      );
      assert.equal(asked.statusCode, 403, asked.body);
      assert.ok(!asked.body.includes('hedda.gabler@example.org'));
    });

    test('C7.2 someone handling the request reads what was written only by naming it, and the ledger says so', async () => {
      const shown = await open(
        `/api/v1/requests/${request.id}?reason=handling_request&reference=${request.reference}`,
        officer,
      );
      assert.equal(shown.statusCode, 200, shown.body);
      assert.match(shown.body, /hedda\.gabler@example\.org/);
      const wrong = await open(
        `/api/v1/requests/${request.id}?reason=handling_request&reference=${other.reference}`,
        officer,
      );
      assert.equal(wrong.statusCode, 400, 'another request is not a reason to read this one');
      const entries = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['purpose', 'details'])
        .where('action', '=', 'request.opened')
        .where('target', '=', `request:${request.id}`)
        .where('purpose', 'is not', null)
        .execute();
      assert.deepEqual(
        entries.map((e) => [e.purpose, JSON.parse(e.details) as unknown]),
        [['handling_request', { claims: 'shown', reference: request.reference }]],
      );
    });

    test('C7.2 opening a subject takes only a reason from the list, with its reference', async () => {
      for (const query of [
        '?purpose=xxxxx',
        '?reason=xxxxx',
        '?reason=support_case',
        '?reason=legal_claim&reference=',
      ]) {
        const res = await open(`/api/v1/subjects/${subjectId}${query}`, officer);
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        assert.ok(!res.body.includes('hedda.gabler@example.org'));
      }
      // A request is a reason only for the person it concerns.
      const unrelated = await open(
        `/api/v1/subjects/${subjectId}?reason=handling_request&reference=${other.reference}`,
        officer,
      );
      assert.equal(unrelated.statusCode, 400, unrelated.body);
      const ok = await open(
        `/api/v1/subjects/${subjectId}?reason=fraud_investigation&note=chargeback`,
        officer,
      );
      assert.equal(ok.statusCode, 200, ok.body);
      const entry = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['purpose', 'details'])
        .where('action', '=', 'subject.opened')
        .where('target', '=', `subject:${subjectId}`)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [entry.purpose, JSON.parse(entry.details)],
        ['fraud_investigation', { note: 'chargeback' }],
      );
    });
  });
}
