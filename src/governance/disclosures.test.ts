import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';

for (const dialect of await dialects()) {
  describe(`disclosure register on ${dialect}`, () => {
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

    const disclosure = {
      declarationId: 'sncn-general',
      recipientId: 'authorities',
      legalBasis: 'legal_obligation',
      categories: ['user.contact.email', 'user.device.ip_address'],
      subjectRef: 'case-2026-114',
      description: 'Production order from the police about a fraud investigation',
    };

    test('C5.0 a disclosure to a declared recipient is recorded with basis, categories and date', async () => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/disclosures',
        headers,
        payload: disclosure,
      });
      assert.equal(res.statusCode, 201, res.body);
      const list = await app.request({
        method: 'GET',
        url: '/api/v1/disclosures?subjectRef=case-2026-114',
        headers,
      });
      const [entry] = list.json<{
        disclosures: { recipientId: string; legalBasis: string; categories: string[]; disclosedAt: string }[];
      }>().disclosures;
      assert.equal(entry?.recipientId, 'authorities');
      assert.equal(entry?.legalBasis, 'legal_obligation');
      assert.deepEqual(entry?.categories, ['user.contact.email', 'user.device.ip_address']);
      assert.match(entry?.disclosedAt ?? '', /^\d{4}-\d{2}-\d{2}T/);
      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .select('target')
        .where('action', '=', 'disclosure.recorded')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.target),
        ['recipient:authorities'],
      );
    });

    test('C5.0 a disclosure to an undeclared recipient is refused and nothing is recorded', async () => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/disclosures',
        headers,
        payload: { ...disclosure, recipientId: 'data-broker-inc', subjectRef: 'case-x' },
      });
      assert.equal(res.statusCode, 422);
      const body = res.json<{ error: { code: string; message: string; details: { path: string }[] } }>();
      assert.equal(body.error.code, 'undeclared_recipient');
      assert.match(body.error.message, /data-broker-inc/);
      assert.equal(body.error.details[0]?.path, 'recipientId');
      const list = await app.request({
        method: 'GET',
        url: '/api/v1/disclosures?subjectRef=case-x',
        headers,
      });
      assert.deepEqual(list.json<{ disclosures: unknown[] }>().disclosures, []);
    });

    test('C4e.1 security monitoring keeps its records under its own purpose, and what is passed to the police about the person is in the register', async () => {
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: 'sncn-general',
          subject: { identifiers: [{ kind: 'email', value: 'suspicious.login@example.net' }] },
          kind: 'security_event',
          purposes: ['security_monitoring'],
          categories: ['user.device.ip_address', 'user.device.request_log'],
          source: 'server_logs',
          data: { ip: '198.51.100.23', event: 'twenty failed sign-ins in a minute' },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      const subjectId = captured.json<{ subjectId: string }>().subjectId;
      const file = await app.request({
        method: 'GET',
        url: `/api/v1/subjects/${subjectId}?reason=audit_sample&note=${encodeURIComponent('security record check')}`,
        headers,
      });
      const records = file.json<{
        subject: { records: { kind: string; purposes: { id: string; basis: string }[] }[] };
      }>().subject.records;
      assert.deepEqual(
        records.map((r) => [r.kind, r.purposes.map((p) => [p.id, p.basis])]),
        [['security_event', [['security_monitoring', 'legitimate_interests']]]],
      );
      const disclosed = await app.request({
        method: 'POST',
        url: '/api/v1/disclosures',
        headers,
        payload: {
          ...disclosure,
          categories: ['user.device.ip_address'],
          subjectRef: subjectId,
          description: 'Police request about an intrusion attempt',
        },
      });
      assert.equal(disclosed.statusCode, 201, disclosed.body);
      const list = await app.request({
        method: 'GET',
        url: `/api/v1/disclosures?subjectRef=${subjectId}`,
        headers,
      });
      assert.deepEqual(
        list
          .json<{ disclosures: { recipientId: string; legalBasis: string; categories: string[] }[] }>()
          .disclosures.map((d) => [d.recipientId, d.legalBasis, d.categories]),
        [['authorities', 'legal_obligation', ['user.device.ip_address']]],
      );
    });

    test('C5.0 unknown categories and missing fields are named', async () => {
      const unknown = await app.request({
        method: 'POST',
        url: '/api/v1/disclosures',
        headers,
        payload: { ...disclosure, categories: ['user.shoe_size'] },
      });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /user\.shoe_size/);
      const missing = await app.request({
        method: 'POST',
        url: '/api/v1/disclosures',
        headers,
        payload: { recipientId: 'authorities' },
      });
      assert.equal(missing.statusCode, 400);
      const paths = missing
        .json<{ error: { details: { path: string }[] } }>()
        .error.details.map((d) => d.path);
      assert.ok(paths.includes('body.declarationId') && paths.includes('body.legalBasis'), paths.join(','));
    });
  });
}
