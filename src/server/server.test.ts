import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';

for (const dialect of await dialects()) {
  describe(`HTTP server on ${dialect}`, () => {
    let app: TestApp;
    let admin: { cookie: string };
    before(async () => {
      app = await startTestApp(dialect);
      admin = await app.signInAs('administrator');
    });
    after(() => app.close());

    const countOperators = async () =>
      (await app.ctx.store.db.selectFrom('operators').select('id').execute()).length;
    const post = (payload: string | object, headers: Record<string, string> = {}) =>
      app.request({
        method: 'POST',
        url: '/api/v1/operators',
        headers: { cookie: admin.cookie, 'content-type': 'application/json', ...headers },
        payload,
      });

    test('/healthz answers with the database it uses', async () => {
      const res = await app.request({ method: 'GET', url: '/healthz' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok', database: dialect, declarations: 1 });
    });

    test('bad input: malformed JSON, wrong types, unknown fields and oversize bodies get a 4xx that names the problem and change nothing', async () => {
      const before = await countOperators();
      const malformed = await post('{"email": "a@b.se",');
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json<{ error: { code: string } }>().error.code, 'invalid_json');

      const wrongType = await post({ email: 42, name: 'A', role: 'auditor' });
      assert.equal(wrongType.statusCode, 400);
      assert.deepEqual(
        wrongType.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path),
        ['body.email'],
      );

      const badRole = await post({ email: 'a@b.se', name: 'A', role: 'superuser' });
      assert.equal(badRole.statusCode, 400);
      assert.match(badRole.body, /body\.role/);

      const unknown = await post({ email: 'a@b.se', name: 'A', role: 'auditor', isAdmin: true });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.json<{ error: { message: string } }>().error.message, /isAdmin/);

      const huge = await post({ email: 'a@b.se', name: 'x'.repeat(2 * 1024 * 1024), role: 'auditor' });
      assert.equal(huge.statusCode, 413);
      assert.equal(huge.json<{ error: { code: string } }>().error.code, 'payload_too_large');

      assert.equal(await countOperators(), before);
      // ...and the server keeps serving.
      assert.equal((await post({ email: 'ok@example.test', name: 'Ok', role: 'auditor' })).statusCode, 201);
    });

    test('a duplicate operator is a conflict, not a crash', async () => {
      const first = await post({ email: 'twice@example.test', name: 'One', role: 'auditor' });
      const second = await post({ email: 'TWICE@example.test', name: 'Two', role: 'auditor' });
      assert.equal(first.statusCode, 201);
      assert.equal(second.statusCode, 409);
      assert.match(second.json<{ error: { message: string } }>().error.message, /twice@example\.test/);
    });

    test('unknown routes answer 404 in the common error shape', async () => {
      const res = await app.request({ method: 'GET', url: '/api/v1/nothing-here' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'not_found');
    });

    test('security headers are set on every response', async () => {
      const res = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS on plain HTTP');
    });

    test('the OpenAPI document describes the API and is browsable', async () => {
      const doc = await app.request({ method: 'GET', url: '/api/openapi.json' });
      assert.equal(doc.statusCode, 200);
      const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
      for (const path of [
        '/api/v1/session',
        '/api/v1/declarations',
        '/api/v1/disclosures',
        '/api/v1/audit/verify',
      ])
        assert.ok(paths.includes(path), path);
      const ui = await app.request({ method: 'GET', url: '/api/docs/' });
      assert.equal(ui.statusCode, 200);
      assert.match(ui.body, /swagger/i);
    });

    test('Prometheus metrics are exposed', async () => {
      const res = await app.request({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /steward_http_request_duration_seconds_bucket/);
      assert.match(res.body, /steward_jobs/);
    });

    test('C7.3 secrets never reach the log', async () => {
      const lines: string[] = [];
      const { createLogger } = await import('../app.js');
      const log = createLogger('info', { write: (line: string) => lines.push(line) });
      log.info(
        {
          req: { headers: { authorization: 'Bearer stw_secret', cookie: 'steward_session=abc123' } },
          password: 'hunter2hunter2',
        },
        'request',
      );
      assert.equal(lines.length, 1);
      for (const secret of ['stw_secret', 'abc123', 'hunter2'])
        assert.ok(!lines[0]!.includes(secret), secret);
      assert.match(lines[0]!, /\[redacted\]/);
    });
  });
}
