/**
 * Finding 7: JSON nested a few thousand levels deep overflowed the stack where Steward serialises
 * it (sealing record data, canonical JSON) and answered 500. Every JSON body, and every free-form
 * field (record data), is bounded where it enters: HTTP and the CLI import alike.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/access/operators.js';
import { permissions, personalPermissions } from '../../src/access/roles.js';
import { hostActor } from '../../src/cli/host-actor.js';
import { routeTable } from '../../src/server/auth.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import { cliEnv, runCli } from '../support/cli.js';
import { unsafeAnyTenant } from '../../src/store/tenant-guard.js';

const D = 'sncn-general';
/** A JSON text of arrays nested `depth` levels deep, built as text (JSON.stringify would overflow). */
const deepText = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
/** An object value nested `depth` levels deep. */
const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = { level: value };
  return value;
};

const record = (data: string) =>
  `{"declarationId":"${D}","subject":{"identifiers":[{"kind":"email","value":"deep.${Math.random()}@example.org"}]},"kind":"form_submission","purposes":["enquiries"],"categories":["user.name"],"source":"website_forms","data":${data}}`;

for (const dialect of await dialects()) {
  describe(`bounded JSON on ${dialect}`, () => {
    let app: TestApp;
    let key: string;
    let dir: string;
    before(async () => {
      app = await startTestApp(dialect);
      dir = mkdtempSync(join(tmpdir(), 'steward-json-limits-'));
      // One key that holds every permission reaches every guarded route's body.
      key = (
        await createApiKey(app.ctx, hostActor(), {
          name: 'all',
          scopes: permissions.filter((p) => !personalPermissions.includes(p)),
          // A key holding requests:account answers for one declaration.
          declarationId: 'sncn-general',
        })
      ).key;
    });
    after(async () => {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const capture = (payload: string) =>
      app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload,
      });
    const records = async () =>
      Number(
        (
          await app.ctx.store.db
            .selectFrom('records')
            .select((eb) => eb.fn.countAll().as('n'))
            .where(unsafeAnyTenant('records'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('finding 7: record data nested 5,000 levels deep is refused with 400 naming the limit, and nothing is written', async () => {
      const before = await records();
      const res = await capture(record(`{"notes":${deepText(5000)}}`));
      assert.equal(res.statusCode, 400, res.body);
      const { error } = res.json<{ error: { code: string; message: string } }>();
      assert.equal(error.code, 'validation_failed');
      assert.match(error.message, /deeper than 64 levels/);
      assert.equal(await records(), before);
    });

    test('finding 7: record data past the free-form bounds (depth, entries, text length, size) is refused naming the bound', async () => {
      const refused = async (data: unknown, pattern: RegExp) => {
        const res = await capture(record(JSON.stringify(data)));
        assert.equal(res.statusCode, 400, res.body.slice(0, 300));
        const { error } = res.json<{ error: { code: string; message: string } }>();
        assert.equal(error.code, 'validation_failed');
        assert.match(error.message, /^Invalid input: (body\.)?data /);
        assert.match(error.message, pattern);
      };
      await refused({ notes: nested(20) }, /deeper than 16 levels/);
      await refused(
        Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`f${i}`, i])),
        /more than 10000 fields and items/,
      );
      await refused({ notes: 'x'.repeat(100_001) }, /longer than 100000 characters/);
      await refused(
        Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`part${i}`, 'y'.repeat(50_000)])),
        /larger than 262144 characters/,
      );
      const poisoned = await capture(record('{"nested":{"__proto__":{"admin":true}}}'));
      assert.equal(poisoned.statusCode, 400, poisoned.body);
      const fine = await capture(record(JSON.stringify({ notes: nested(10), text: 'z'.repeat(5000) })));
      assert.equal(fine.statusCode, 201, fine.body);
    });

    test('finding 7: every route that takes a body refuses JSON nested past the limit with 400 before any work', async () => {
      const problems: string[] = [];
      const writes = routeTable(app.server).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
      assert.ok(writes.length > 30);
      for (const route of writes) {
        const url = route.url.replace(/\*/, 'x').replace(/:[A-Za-z]+/g, 'x'.repeat(30));
        const res = await app.request({
          method: route.method as 'POST',
          url,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          payload: `{"a":${deepText(10_000)}}`,
        });
        // Refused before the body is read (DRP's agent token, the operator's own session): fine.
        if (res.statusCode === 401 || res.statusCode === 403) continue;
        if (res.statusCode !== 400 || !res.body.includes('deeper than 64 levels'))
          problems.push(`${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
      assert.deepEqual(problems, []);
    });

    test('finding 7: the browser script endpoints bound JSON sent as text/plain too', async () => {
      const res = await app.request({
        method: 'POST',
        url: '/web/v1/events',
        headers: { 'content-type': 'text/plain' },
        payload: `{"id":${deepText(6000)}}`,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /deeper than 64 levels/);
    });

    test('finding 7: steward import rejects over-deep and over-large rows naming the bound, and imports the rest', async () => {
      const rows = [
        JSON.stringify({ email: 'import.ok.1@example.org', name: 'Ok One', jurisdiction: 'SE' }),
        `{"email":"import.deep@example.org","notes":${deepText(5000)}}`,
        JSON.stringify({ email: 'import.nested@example.org', notes: nested(20) }),
        JSON.stringify({ email: 'import.long@example.org', notes: 'n'.repeat(100_001) }),
        '{"email":"import.proto@example.org","notes":{"__proto__":{"admin":true}}}',
        JSON.stringify({ email: 'import.ok.2@example.org', name: 'Ok Two', jurisdiction: 'SE' }),
      ];
      const file = join(dir, 'rows.jsonl');
      writeFileSync(file, `${rows.join('\n')}\n`);
      const csv = join(dir, 'rows.csv');
      writeFileSync(
        csv,
        `email,name,notes\nimport.csv.ok@example.org,Csv Ok,fine\nimport.csv.long@example.org,Long,${'c'.repeat(100_001)}\n`,
      );
      const defaults = [
        '--declaration',
        D,
        '--source',
        'trade_shows',
        '--purposes',
        'enquiries',
        '--categories',
        'user.name,user.contact.email',
      ];
      const jsonl = await runCli(['import', file, ...defaults], cliEnv(app));
      assert.equal(jsonl.code, 1, jsonl.stderr);
      assert.equal(jsonl.stdout, `Imported 2 rows, rejected 4; report: ${file}.rejected.csv\n`);
      const report = readFileSync(`${file}.rejected.csv`, 'utf8');
      assert.match(report, /^2,.*deeper than 64 levels/m);
      assert.match(report, /^3,.*deeper than 16 levels/m);
      assert.match(report, /^4,.*longer than 100000 characters/m);
      assert.match(report, /^5,.*field named __proto__/m);

      const fromCsv = await runCli(['import', csv, ...defaults], cliEnv(app));
      assert.equal(fromCsv.code, 1, fromCsv.stderr);
      assert.equal(fromCsv.stdout, `Imported 1 row, rejected 1; report: ${csv}.rejected.csv\n`);
      assert.match(readFileSync(`${csv}.rejected.csv`, 'utf8'), /^3,.*longer than 100000 characters/m);
    });
  });
}
