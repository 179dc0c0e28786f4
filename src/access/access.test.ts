import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';

for (const dialect of await dialects()) {
  describe(`access control on ${dialect}`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect);
    });
    after(() => app.close());

    test('C7.2 private routes answer 401 without credentials', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/declarations'],
        ['GET', '/api/v1/audit/verify'],
        ['POST', '/api/v1/operators'],
        ['GET', '/api/v1/disclosures'],
        ['GET', '/api/v1/session'],
      ] as const) {
        const res = await app.request({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'unauthenticated');
      }
    });

    test('C7.2 each role gets only what its work needs: wrong role answers 403', async () => {
      const auditor = await app.signInAs('auditor');
      const support = await app.signInAs('support_agent');
      const marketing = await app.signInAs('marketing_operator');
      const officer = await app.signInAs('privacy_officer');
      const cases: [string, { cookie: string }, 'GET' | 'POST', string, number, object?][] = [
        ['auditor reads the ledger', auditor, 'GET', '/api/v1/audit/verify', 200],
        ['auditor cannot publish', auditor, 'POST', '/api/v1/declarations', 403, { source: 'x' }],
        [
          'auditor cannot create operators',
          auditor,
          'POST',
          '/api/v1/operators',
          403,
          { email: 'a@b.se', name: 'A', role: 'auditor' },
        ],
        ['support agent cannot read the ledger', support, 'GET', '/api/v1/audit/verify', 403],
        ['support agent cannot record disclosures', support, 'POST', '/api/v1/disclosures', 403, {}],
        ['marketing cannot read the disclosure register', marketing, 'GET', '/api/v1/disclosures', 403],
        [
          'marketing cannot manage API keys',
          marketing,
          'POST',
          '/api/v1/api-keys',
          403,
          { name: 'k', scopes: ['policy:read'] },
        ],
        ['privacy officer reads disclosures', officer, 'GET', '/api/v1/disclosures', 200],
        [
          'privacy officer cannot create operators',
          officer,
          'POST',
          '/api/v1/operators',
          403,
          { email: 'a@b.se', name: 'A', role: 'auditor' },
        ],
      ];
      for (const [name, who, method, url, status, payload] of cases) {
        const res = await app.request({
          method,
          url,
          headers: { cookie: who.cookie },
          ...(payload ? { payload } : {}),
        });
        assert.equal(res.statusCode, status, name);
        if (status === 403)
          assert.match(res.json<{ error: { message: string } }>().error.message, /permission/);
      }
    });

    test('C7.2 API keys are scoped, shown once, stored hashed, and revocable', async () => {
      const admin = await app.signInAs('administrator');
      const tooWide = await app.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { cookie: admin.cookie },
        payload: { name: 'too wide', scopes: ['subjects:read'] },
      });
      assert.equal(tooWide.statusCode, 403, 'a key cannot hold permissions its creator lacks');

      const created = await app.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { cookie: admin.cookie },
        payload: { name: 'ci', scopes: ['policy:read'] },
      });
      assert.equal(created.statusCode, 201);
      const { id, key } = created.json<{ id: string; key: string }>();
      const stored = await app.ctx.store.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.notEqual(stored.key_hash, key);
      assert.ok(
        !JSON.stringify(stored).includes(key.slice(`stw_${id}_`.length)),
        'the secret part is not stored',
      );

      const bearer = { authorization: `Bearer ${key}` };
      assert.equal(
        (await app.request({ method: 'GET', url: '/api/v1/declarations', headers: bearer })).statusCode,
        200,
      );
      assert.equal(
        (await app.request({ method: 'GET', url: '/api/v1/audit/verify', headers: bearer })).statusCode,
        403,
      );

      const revoked = await app.request({
        method: 'DELETE',
        url: `/api/v1/api-keys/${id}`,
        headers: { cookie: admin.cookie, 'content-type': 'application/json' },
        payload: {},
      });
      assert.equal(revoked.statusCode, 204);
      assert.equal(
        (await app.request({ method: 'GET', url: '/api/v1/declarations', headers: bearer })).statusCode,
        401,
      );
    });

    test('C7.2 sign-in: wrong passwords are refused alike, and repeated failures lock the account', async () => {
      const { email, password } = await app.signInAs('auditor');
      const attempt = (payload: object) =>
        app.request({ method: 'POST', url: '/api/v1/session', remoteAddress: '198.51.100.7', payload });
      const wrong = await attempt({ email, password: 'not-the-password' });
      const unknown = await attempt({ email: 'nobody@example.test', password: 'whatever-it-is' });
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual(wrong.json(), unknown.json(), 'the answer does not tell whether the account exists');
      for (let i = 0; i < 4; i += 1) await attempt({ email, password: 'still-wrong-password' });
      const locked = await attempt({ email, password });
      assert.equal(locked.statusCode, 401);
      assert.match(locked.json<{ error: { message: string } }>().error.message, /locked/);
    });

    test('C7.2 login attempts from one address are rate-limited', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) {
        const res = await app.request({
          method: 'POST',
          url: '/api/v1/session',
          remoteAddress: '203.0.113.9',
          payload: { email: `x${i}@example.test`, password: 'whatever-it-is' },
        });
        statuses.push(res.statusCode);
      }
      assert.ok(statuses.includes(429), `got ${statuses.join(',')}`);
    });

    test('C7.2 cookie-authenticated writes must be JSON (no cross-site form posts)', async () => {
      const admin = await app.signInAs('administrator');
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/operators',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=evil%40example.test&name=Evil&role=administrator',
      });
      assert.equal(res.statusCode, 415);
      const count = await app.ctx.store.db
        .selectFrom('operators')
        .select('id')
        .where('email', '=', 'evil@example.test')
        .execute();
      assert.equal(count.length, 0);
    });

    test('C7.2 the session cookie is httpOnly and SameSite=Strict, and sign-out ends it', async () => {
      const { email, password } = await app.signInAs('auditor');
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: '198.51.100.8',
        payload: { email, password },
      });
      const header = String(res.headers['set-cookie']);
      assert.match(header, /HttpOnly/);
      assert.match(header, /SameSite=Strict/);
      const cookie = header.split(';')[0]!;
      assert.equal(
        (await app.request({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode,
        200,
      );
      const out = await app.request({
        method: 'DELETE',
        url: '/api/v1/session',
        headers: { cookie, 'content-type': 'application/json' },
        payload: {},
      });
      assert.equal(out.statusCode, 204);
      assert.equal(
        (await app.request({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode,
        401,
      );
    });
  });
}
