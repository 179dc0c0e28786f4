/**
 * Finding 11: data held as processor for a Provider (C1.4) stays in that Provider's partition.
 * An operator of ours, with every controller permission, tries each controller route that can
 * reach a person (by identifier or by subject id) against someone known only to a Provider.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dialects, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';

const D = 'sncn-general';
const PATIENT = 'patient@clinic.example';
const PARTITION = 'msafety:region-skane';
const SECRET = 'provider-only-note-7f3a';

for (const dialect of await dialects()) {
  describe(`finding 11: Provider partitions on ${dialect}`, () => {
    let app: TestApp;
    let officer: Record<string, string>;
    let theirs: string;

    before(async () => {
      app = await startTestApp(dialect);
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: officer,
        payload: {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: PATIENT }], jurisdiction: 'SE' },
          service: 'msafety',
          provider: 'region-skane',
          kind: 'service_data',
          categories: ['user.contact.email'],
          source: 'website_forms',
          data: { note: SECRET },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      assert.equal(captured.json<{ tenant: string }>().tenant, PARTITION);
      theirs = captured.json<{ subjectId: string }>().subjectId;
    });
    after(() => app.close());

    const call = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
      app.request({ method, url, headers: officer, ...(payload === undefined ? {} : { payload }) });

    const hidden = (res: { statusCode: number; body: string }, what: string) => {
      assert.equal(res.statusCode, 404, `${what}: ${res.body}`);
      assert.ok(!res.body.includes(SECRET) && !res.body.includes(PATIENT), `${what} shows nothing of theirs`);
    };

    test('C1.4 finding 11: a Provider’s subject cannot be found, opened or changed through controller routes by its id', async () => {
      hidden(await call('GET', `/api/v1/subjects?kind=email&value=${PATIENT}`), 'search');
      hidden(await call('GET', `/api/v1/subjects/${theirs}?reason=support_case&reference=T-4711`), 'open');
      hidden(
        await call('POST', `/api/v1/subjects/${theirs}/identifiers`, {
          kind: 'email',
          value: 'attacker@evil.example',
          reason: 'Claims to be the same person',
        }),
        'link an identifier',
      );
      hidden(
        await call('POST', `/api/v1/subjects/${theirs}/holds`, { reason: 'Litigation about the clinic' }),
        'place a hold',
      );
      const holds = await call('GET', `/api/v1/subjects/${theirs}/holds`);
      assert.deepEqual(holds.json(), { holds: [] }, 'no hold was placed on their data');
      hidden(await call('POST', `/api/v1/subjects/${theirs}/marketing-objection`, {}), 'object to marketing');
      hidden(
        await call('POST', `/api/v1/subjects/${theirs}/objections`, {
          declarationId: D,
          purpose: 'forum',
        }),
        'object to a purpose',
      );
      hidden(await call('GET', `/api/v1/subjects/${theirs}/consents`), 'export consents');
      const ours = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: officer,
        payload: {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'our.customer@example.org' }] },
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.contact.email'],
          source: 'website_forms',
        },
      });
      const mine = ours.json<{ subjectId: string }>().subjectId;
      const merge = await call('POST', `/api/v1/subjects/${mine}/merge`, {
        from: theirs,
        reason: 'Same person, surely',
      });
      assert.equal(merge.statusCode, 404, merge.body);
      // Nothing of theirs changed: no identifier, hold or objection reached their partition.
      const file = await call(
        'GET',
        `/api/v1/subjects/${theirs}?reason=legal_claim&reference=${encodeURIComponent('Provider instruction 12')}&tenant=${PARTITION}`,
      );
      assert.equal(file.statusCode, 200, file.body);
      const subject = file.json<{
        subject: {
          tenant: string;
          objectedAt: string | null;
          identifiers: { value: string }[];
          records: { data: unknown }[];
        };
      }>().subject;
      assert.equal(subject.tenant, PARTITION);
      assert.equal(subject.objectedAt, null);
      assert.deepEqual(
        subject.identifiers.map((i) => i.value),
        [PATIENT],
      );
      assert.deepEqual(
        subject.records.map((r) => r.data),
        [{ note: SECRET }],
      );
    });

    test('C1.4 C4a.3 finding 11: the address is unknown to suppression checks, unsubscribes and rights requests, and an operator cannot point a request at their subject', async () => {
      const check = await call(
        'POST',
        `/api/v1/suppression/check?declarationId=${D}&communication=sncn_newsletter&jurisdiction=SE`,
        {
          addresses: [PATIENT],
        },
      );
      assert.equal(check.statusCode, 200, check.body);
      assert.deepEqual(check.json<{ results: unknown[] }>().results, [
        { address: PATIENT, allowed: false, reason: 'unknown_opt_in_required' },
      ]);
      hidden(
        await call('POST', '/api/v1/unsubscriptions', { declarationId: D, email: PATIENT }),
        'unsubscribe',
      );
      const submitted = await app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: { 'content-type': 'application/json' },
        payload: {
          declarationId: D,
          language: 'en',
          type: 'access',
          requester: { identifiers: [{ kind: 'email', value: PATIENT }] },
        },
      });
      assert.equal(submitted.statusCode, 201, submitted.body);
      const { id } = submitted.json<{ id: string }>();
      await new Worker(app.ctx, jobDefinitions).drain();
      const mailed = await app.ctx.store.db
        .selectFrom('outbox')
        .select('kind')
        .where('to_address', '=', PATIENT)
        .execute();
      assert.deepEqual(mailed, [], 'no code or answer goes to an address held only as processor');
      const page = await call('GET', `/api/v1/requests/${id}`);
      assert.equal(page.json<{ request: { subjectId: string | null } }>().request.subjectId, null);
      const approve = await call('POST', `/api/v1/requests/${id}/approve`, {
        note: 'Caller knew the address',
        subjectId: theirs,
      });
      hidden(approve, 'approve against their subject');
      assert.equal(
        (await call('GET', `/api/v1/requests/${id}`)).json<{ request: { subjectId: string | null } }>()
          .request.subjectId,
        null,
      );

      const letter = await call('POST', '/api/v1/requests', {
        declarationId: D,
        type: 'access',
        channel: 'post',
        language: 'en',
        requester: { identifiers: [{ kind: 'email', value: PATIENT }] },
      });
      assert.equal(letter.statusCode, 201, letter.body);
      const entered = await call('GET', `/api/v1/requests/${letter.json<{ id: string }>().id}`);
      assert.equal(entered.json<{ request: { subjectId: string | null } }>().request.subjectId, null);
      assert.ok(!entered.body.includes(theirs));
    });
  });
}
