import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, referenceDeclaration, startTestApp } from '../../test/support/app.js';
import { hostActor } from '../cli/host-actor.js';
import { lintSource } from '../policy/lint.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { importRecords, readRows } from './import-records.js';
import { unseal } from './sealed.js';

const D = 'sncn-general';
// Found before the lint tests run: they hold the event loop long enough to time out a service probe.
const available = await dialects();
const dir = mkdtempSync(join(tmpdir(), 'steward-minimise-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The reference declaration with rules for a date of birth and a postcode added. */
const withRules = (rules: string) => {
  const text = readFileSync(referenceDeclaration, 'utf8').replace(
    '\nminimisation:\n',
    `\nminimisation:\n${rules}`,
  );
  assert.ok(text.includes(rules));
  return text;
};
const declarationFile = join(dir, 'declaration.yaml');
writeFileSync(
  declarationFile,
  withRules(
    '  - category: user.demographic.age\n    rule: year_only\n  - category: user.contact.address.postal_code\n    rule: { prefix: 3 }\n',
  ),
);

describe('minimisation lint', () => {
  test('C3a.1 a rule that does not fit its category, or lists a field of another category, is an error of its own code', () => {
    const codes = (rules: string) =>
      lintSource(withRules(rules))
        .issues.filter((i) => i.severity === 'error')
        .map((i) => `${i.code} ${i.path}`);
    assert.deepEqual(codes(''), []);
    assert.deepEqual(
      lintSource(readFileSync(declarationFile, 'utf8')).issues.filter((i) => i.severity === 'error'),
      [],
    );
    assert.deepEqual(codes('  - category: user.contact.email\n    rule: year_only\n'), [
      'minimisation.rule_unfit minimisation[0].rule',
    ]);
    assert.deepEqual(codes('  - category: user.demographic.age\n    rule: truncate_ip\n'), [
      'minimisation.rule_unfit minimisation[0].rule',
    ]);
    assert.deepEqual(codes('  - category: user.device.ip_address\n    rule: { max_length: 5 }\n'), [
      'minimisation.rule_unfit minimisation[0].rule',
    ]);
    assert.deepEqual(
      codes('  - category: user.contact.address.postal_code\n    fields: [email]\n    rule: { prefix: 2 }\n'),
      ['minimisation.field_mismatch minimisation[0].fields[0]'],
    );
    assert.deepEqual(codes('  - category: user.nothing\n    purposes: [nope]\n    rule: { prefix: 2 }\n'), [
      'ref.undeclared minimisation[0].category',
    ]);
    const hint = lintSource(
      withRules('  - category: user.device.ip_address\n    rule: year_month\n'),
    ).issues.find((i) => i.code === 'minimisation.rule_unfit')?.hint;
    assert.match(hint ?? '', /truncate_ip/);
  });
});

for (const dialect of available) {
  describe(`minimisation at capture on ${dialect}`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    before(async () => {
      app = await startTestApp(dialect, { declarations: [declarationFile] });
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const capture = async (payload: object, expected = 201) => {
      const res = await app.request({ method: 'POST', url: '/api/v1/records', headers, payload });
      assert.equal(res.statusCode, expected, res.body);
      return res.json<{ id: string; subjectId: string; minimised: { field: string; rule: string }[] }>();
    };
    /** The record as the subject-data read (with a reason) shows it. */
    const readBack = async (subjectId: string, recordId: string) => {
      const res = await app.request({
        method: 'GET',
        url: `/api/v1/subjects/${subjectId}?reason=audit_sample&note=${encodeURIComponent('minimisation check')}`,
        headers,
      });
      assert.equal(res.statusCode, 200, res.body);
      const records = res.json<{ subject: { records: { id: string; data: Record<string, unknown> }[] } }>()
        .subject.records;
      return records.find((r) => r.id === recordId)?.data;
    };
    /** The stored row: sealed, and what it holds once unsealed. */
    const raw = async (recordId: string) => {
      const row = await app.ctx.store.db
        .selectFrom('records')
        .select('data')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      assert.match(row.data, /^k1\./, 'the stored data is sealed');
      return { sealed: row.data, data: unseal(app.ctx.keys.records, row.data) as Record<string, unknown> };
    };

    test('C3a.1 an IP address is stored as its network and a message cut to the declared length; the receipt says which fields and how', async () => {
      const long = `${'a'.repeat(4990)}SECRET-TAIL${'b'.repeat(100)}`;
      const captured = await capture({
        declarationId: D,
        subject: { identifiers: [{ kind: 'email', value: 'visitor.ip@example.com' }] },
        kind: 'site_visit',
        purposes: ['website_operation'],
        categories: ['user.device.ip_address'],
        source: 'server_logs',
        data: { ip: '203.0.113.77', client: { ipAddress: '2001:db8:1234:5678::9' }, message: long },
      });
      assert.deepEqual(captured.minimised, [
        { field: 'ip', rule: 'truncate_ip' },
        { field: 'client.ipAddress', rule: 'truncate_ip' },
        { field: 'message', rule: 'max_length:5000' },
      ]);
      const expected = {
        ip: '203.0.113.0/24',
        client: { ipAddress: '2001:db8:1234::/48' },
        message: long.slice(0, 5000),
      };
      assert.deepEqual(await readBack(captured.subjectId, captured.id), expected);
      const stored = await raw(captured.id);
      assert.deepEqual(stored.data, expected);
      assert.ok(!stored.sealed.includes('203.0.113.77'));

      // A rule scoped to purposes: a security record, which keeps the full address, is not reduced.
      const security = await capture({
        declarationId: D,
        subject: { identifiers: [{ kind: 'email', value: 'visitor.ip@example.com' }] },
        kind: 'security_event',
        purposes: ['website_operation', 'security_monitoring'],
        categories: ['user.device.ip_address', 'user.device.request_log'],
        source: 'server_logs',
        data: { ip: '198.51.100.23' },
      });
      assert.deepEqual(security.minimised, []);
      assert.deepEqual((await raw(security.id)).data, { ip: '198.51.100.23' });
    });

    test('C3a.1 a date of birth is kept as its year and a postcode as its first digits, after the age check used the full date', async () => {
      const captured = await capture({
        declarationId: D,
        subject: { identifiers: [{ kind: 'email', value: 'born@example.com' }], jurisdiction: 'SE' },
        kind: 'lead',
        purposes: ['enquiries', 'surveys'],
        categories: ['user.name'],
        source: 'trade_shows',
        data: { name: 'Born Person', dateOfBirth: '1990-07-14', postcode: '113 51', city: 'Stockholm' },
      });
      assert.deepEqual(captured.minimised, [
        { field: 'dateOfBirth', rule: 'year_only' },
        { field: 'postcode', rule: 'prefix:3' },
      ]);
      const expected = { name: 'Born Person', dateOfBirth: '1990', postcode: '113', city: 'Stockholm' };
      assert.deepEqual(await readBack(captured.subjectId, captured.id), expected);
      assert.deepEqual((await raw(captured.id)).data, expected);

      // The full date still decides the age threshold before it is reduced.
      const child = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'young@example.com' }] },
          kind: 'lead',
          purposes: ['enquiries'],
          categories: ['user.name'],
          source: 'trade_shows',
          data: { dateOfBirth: `${new Date().getUTCFullYear() - 10}-01-01` },
        },
      });
      assert.equal(child.statusCode, 422);
      assert.equal(child.json<{ error: { code: string } }>().error.code, 'child_data_refused');
    });

    test('C3a.1 a value a rule cannot reduce is refused, naming the field, and nothing is stored', async () => {
      const count = async () =>
        (
          await app.ctx.store.db
            .selectFrom('records')
            .select('id')
            .where('tenant', '=', CONTROLLER_TENANT)
            .execute()
        ).length;
      const before = await count();
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: 'bad.ip@example.com' }] },
          kind: 'site_visit',
          purposes: ['website_operation'],
          categories: ['user.device.ip_address'],
          source: 'server_logs',
          data: { ip: 'somewhere' },
        },
      });
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json<{ error: { code: string; details: { path: string }[] } }>();
      assert.equal(body.error.code, 'validation_failed');
      assert.deepEqual(
        body.error.details.map((d) => d.path),
        ['data.ip'],
      );
      assert.equal(await count(), before);
    });

    test('C3a.3 a bulk import stores reduced values and its summary counts the rows each rule reduced', async () => {
      const file = join(dir, `leads-${dialect}.csv`);
      writeFileSync(
        file,
        'email,name,birthdate,zip\nimp.one@example.com,One,1985-03-02,41463\nimp.two@example.com,Two,1979-12-31,211 20\nimp.three@example.com,Three,,\n',
      );
      const summary = await importRecords(app.ctx, hostActor(), readRows(file, 'csv'), {
        declarationId: D,
        source: 'trade_shows',
        purposes: ['enquiries', 'surveys'],
        categories: ['user.name'],
        kind: 'lead',
      });
      assert.equal(summary.imported, 3);
      assert.deepEqual(summary.minimised, [
        { field: 'birthdate', rule: 'year_only', rows: 2 },
        { field: 'zip', rule: 'prefix:3', rows: 2 },
      ]);
      const rows = await app.ctx.store.db
        .selectFrom('records')
        .innerJoin('identifiers', (j) =>
          j
            .onRef('identifiers.subject_id', '=', 'records.subject_id')
            .onRef('identifiers.tenant', '=', 'records.tenant'),
        )
        .select(['records.data', 'identifiers.value'])
        .where('records.tenant', '=', CONTROLLER_TENANT)
        .where('identifiers.value', 'in', ['imp.one@example.com', 'imp.two@example.com'])
        .orderBy('identifiers.value')
        .execute();
      assert.deepEqual(
        rows.map((r) => unseal(app.ctx.keys.records, r.data)),
        [
          { name: 'One', birthdate: '1985', zip: '414' },
          { name: 'Two', birthdate: '1979', zip: '211' },
        ],
      );
    });
  });
}
