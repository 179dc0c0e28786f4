import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { normaliseEmail, normalisePhone } from './normalize.js';
import { CONTROLLER_TENANT } from './subjects.js';

const D = 'sncn-general';

test('emails are trimmed, NFC-normalised and their domain lower-cased, with no provider guessing', () => {
  assert.deepEqual(normaliseEmail('  Jane.Doe+news@Example.COM '), {
    ok: true,
    value: 'Jane.Doe+news@example.com',
  });
  assert.deepEqual(normaliseEmail('jose\u0301@example.com'), { ok: true, value: 'jos\u00e9@example.com' });
  assert.deepEqual(normaliseEmail('j.a.n.e@gmail.com'), { ok: true, value: 'j.a.n.e@gmail.com' });
  for (const bad of [
    'no-at',
    'two@@example.com',
    'a@b',
    'dot.@example.com',
    'a b@example.com',
    '@example.com',
  ])
    assert.equal(normaliseEmail(bad).ok, false, bad);
  assert.deepEqual(normalisePhone('0046 (70) 123-45 67'), { ok: true, value: '+46701234567' });
  assert.equal(normalisePhone('070-123 45 67').ok, false, 'a national number is not E.164');
});

for (const dialect of await dialects()) {
  describe(`people and identifiers on ${dialect}`, () => {
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

    const capture = async (identifiers: { kind: string; value: string }[], purposes = ['enquiries']) => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: D,
          subject: { identifiers },
          kind: 'enquiry',
          purposes,
          categories: ['user.contact.email'],
          source: 'website_forms',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ subjectId: string }>().subjectId;
    };
    const find = async (kind: string, value: string) => {
      const res = await app.request({
        method: 'GET',
        url: `/api/v1/subjects?kind=${kind}&value=${encodeURIComponent(value)}`,
        headers,
      });
      return res.statusCode === 200 ? res.json<{ subject: { id: string } }>().subject.id : undefined;
    };

    test('a subject is found by any of its identifiers; cookie and device ids are kept only as keyed hashes', async () => {
      const id = await capture([
        { kind: 'email', value: 'ida@example.com' },
        { kind: 'cookie', value: 'ck_8f2e1c' },
        { kind: 'device', value: 'IMEI-356938035643809' },
        { kind: 'customer', value: 'C-1001' },
      ]);
      for (const [kind, value] of [
        ['email', 'IDA@EXAMPLE.com'.replace('IDA', 'ida')],
        ['cookie', 'ck_8f2e1c'],
        ['device', 'IMEI-356938035643809'],
        ['customer', 'C-1001'],
      ] as const) {
        assert.equal(await find(kind, value), id, kind);
      }
      const stored = await app.ctx.store.db
        .selectFrom('identifiers')
        .selectAll()
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', id)
        .execute();
      const dump = JSON.stringify(stored);
      assert.ok(
        !dump.includes('ck_8f2e1c') && !dump.includes('356938035643809'),
        'raw cookie and device ids are not stored',
      );
      assert.equal(stored.find((s) => s.kind === 'email')?.value, 'ida@example.com');
    });

    test('linking an identifier and merging two records of one person are audited, and the stricter state wins', async () => {
      const a = await capture([{ kind: 'email', value: 'work@example.com' }]);
      const b = await capture([{ kind: 'email', value: 'home@example.net' }]);
      const objection = await app.request({
        method: 'POST',
        url: `/api/v1/subjects/${b}/marketing-objection`,
        headers,
        payload: { channel: 'email' },
      });
      assert.equal(objection.statusCode, 204);
      const taken = await app.request({
        method: 'POST',
        url: `/api/v1/subjects/${a}/identifiers`,
        headers,
        payload: { kind: 'email', value: 'home@example.net', reason: 'Same person, said on the phone' },
      });
      assert.equal(taken.statusCode, 409, 'an identifier of someone else is not silently moved');
      const linked = await app.request({
        method: 'POST',
        url: `/api/v1/subjects/${a}/identifiers`,
        headers,
        payload: { kind: 'phone', value: '+46 70 000 11 22', reason: 'Given on the support call' },
      });
      assert.equal(linked.statusCode, 201);
      assert.equal(await find('phone', '+46700001122'), a);
      const merged = await app.request({
        method: 'POST',
        url: `/api/v1/subjects/${a}/merge`,
        headers,
        payload: { from: b, reason: 'Confirmed by the person in ticket 77' },
      });
      assert.equal(merged.statusCode, 204, merged.body);
      assert.equal(await find('email', 'home@example.net'), a);
      const file = (
        await app.request({
          method: 'GET',
          url: `/api/v1/subjects/${b}?reason=support_case&reference=T-77`,
          headers,
        })
      ).json<{
        subject: { id: string; objectedAt: string | null; identifiers: unknown[]; records: unknown[] };
      }>().subject;
      assert.equal(file.id, a, 'the old record leads to the merged one');
      assert.ok(file.objectedAt !== null, 'the objection of either record holds for the merged one');
      assert.equal(file.identifiers.length, 3);
      assert.equal(file.records.length, 2);
      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['action', 'purpose'])
        .where('action', 'in', ['subject.merged', 'subject.identifier_linked'])
        .execute();
      assert.deepEqual(audit.map((e) => e.action).sort(), ['subject.identifier_linked', 'subject.merged']);
      assert.ok(audit.every((e) => e.purpose !== null && e.purpose.length >= 5));
    });

    test('C1.4 data captured for a Provider stays in that Provider’s partition, apart from ours and from other Providers’', async () => {
      const record = (provider: string) =>
        app.request({
          method: 'POST',
          url: '/api/v1/records',
          headers,
          payload: {
            declarationId: D,
            subject: { identifiers: [{ kind: 'email', value: 'nurse@care.example' }] },
            service: 'msafety',
            provider,
            kind: 'service_data',
            categories: ['user.contact.email'],
            source: 'website_forms',
          },
        });
      const a = (await record('region-skane')).json<{ subjectId: string; tenant: string }>();
      const b = (await record('region-halland')).json<{ subjectId: string; tenant: string }>();
      assert.deepEqual([a.tenant, b.tenant], ['msafety:region-skane', 'msafety:region-halland']);
      assert.notEqual(a.subjectId, b.subjectId, 'the same address at two Providers is two separate people');
      assert.equal(
        await find('email', 'nurse@care.example'),
        undefined,
        'our own look-ups do not see Provider data',
      );
      const inPartition = await app.request({
        method: 'GET',
        url: `/api/v1/subjects?kind=email&value=nurse@care.example&tenant=msafety:region-skane`,
        headers,
      });
      assert.equal(inPartition.json<{ subject: { id: string } }>().subject.id, a.subjectId);
      // Partitions are never merged: from one, another's subject is not even found.
      const merge = await app.request({
        method: 'POST',
        url: `/api/v1/subjects/${a.subjectId}/merge`,
        headers,
        payload: { from: b.subjectId, reason: 'Looks like the same nurse', tenant: a.tenant },
      });
      assert.equal(merge.statusCode, 404, merge.body);
    });

    test('C7.2 opening a subject needs a stated reason, which is audited; searching does not open', async () => {
      const id = await capture([{ kind: 'email', value: 'private@example.com' }]);
      const without = await app.request({ method: 'GET', url: `/api/v1/subjects/${id}`, headers });
      assert.equal(without.statusCode, 400);
      assert.match(without.body, /reason/);
      const opened = await app.request({
        method: 'GET',
        url: `/api/v1/subjects/${id}?reason=support_case&reference=T-981&note=${encodeURIComponent('She called about her account')}`,
        headers,
      });
      assert.equal(opened.statusCode, 200);
      const entry = await app.ctx.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'subject.opened')
        .where('target', '=', `subject:${id}`)
        .executeTakeFirstOrThrow();
      assert.equal(entry.purpose, 'support_case');
      assert.deepEqual(JSON.parse(entry.details), {
        note: 'She called about her account',
        reference: 'T-981',
      });
      const marketing = await app.signInAs('marketing_operator');
      const denied = await app.request({
        method: 'GET',
        url: `/api/v1/subjects/${id}?reason=audit_sample`,
        headers: { cookie: marketing.cookie },
      });
      assert.equal(denied.statusCode, 403);
    });
  });
}
