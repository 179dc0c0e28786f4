/**
 * The connected-systems API through the full HTTP pipeline, on SQLite and PostgreSQL: who may
 * list, check and read datasets, what the answers hold, and that no answer anywhere in the API
 * contains a system's connection URL or any part of it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { secretSettings } from '../config.js';
import type { TestApp } from '../../test/support/app.js';
import { dialects, smallShopDeclaration, startTestApp } from '../../test/support/app.js';
import { routeTable } from '../server/auth.js';

const SHOP_URL = 'postgres://shop_api:R0ute-s3cret@db-api.shop.internal:5432/shop_live';
const SUPPORT_URL = 'sqlite:/srv/helpdesk/Desk-Secret-9.db';
const secretParts = ['R0ute-s3cret', 'shop_api', 'db-api.shop.internal', 'shop_live', 'Desk-Secret-9'];
const leaked = (body: string) => secretParts.filter((p) => body.includes(p));

interface SystemsBody {
  systems: {
    id: string;
    configured: boolean;
    datasetVersion?: number;
    reviewed?: { by: string; on: string };
    lastCheck: { ok: boolean; error?: string; checkedBy: string } | null;
  }[];
}

for (const dialect of await dialects()) {
  describe(`connected systems API on ${dialect}`, () => {
    let app: TestApp;
    const as: Record<string, { cookie: string }> = {};

    before(async () => {
      app = await startTestApp(dialect, {
        declarations: [smallShopDeclaration],
        config: {
          systems: new Map([
            ['shop', secretSettings('shop', SHOP_URL)],
            ['support', secretSettings('support', SUPPORT_URL)],
          ]),
        },
      });
      for (const role of ['privacy_officer', 'administrator', 'auditor', 'support_agent'] as const)
        as[role] = { cookie: (await app.signInAs(role)).cookie };
    });
    after(() => app?.close());

    const get = (url: string, role?: string) =>
      app.request({ method: 'GET', url, headers: role === undefined ? {} : (as[role] ?? {}) });

    test('the list: every declared system, configured or not, its reviewed dataset, for those who may read systems', async () => {
      const res = await get('/api/v1/systems', 'privacy_officer');
      assert.equal(res.statusCode, 200, res.body);
      const { systems } = res.json<SystemsBody>();
      assert.deepEqual(
        systems.map((s) => [s.id, s.configured, s.datasetVersion, s.reviewed?.by, s.lastCheck]),
        [
          ['crm', false, 1, 'Maja Lind', null],
          ['shop', true, 1, 'Maja Lind', null],
          ['support', true, 1, 'Jonas Berg', null],
        ],
      );
      assert.deepEqual(leaked(res.body), []);
      assert.equal((await get('/api/v1/systems', 'auditor')).statusCode, 200);
      assert.equal((await get('/api/v1/systems', 'administrator')).statusCode, 200);
      assert.equal((await get('/api/v1/systems', 'support_agent')).statusCode, 403);
      assert.equal((await get('/api/v1/systems')).statusCode, 401);
    });

    test('a check is kept as the last check, audited, and its error carries no secret', async () => {
      const denied = await app.request({
        method: 'POST',
        url: '/api/v1/systems/shop/check',
        headers: { ...as['auditor'], 'content-type': 'application/json' },
        payload: '{}',
      });
      assert.equal(denied.statusCode, 403, 'reading systems does not allow connecting to them');

      for (const system of ['shop', 'crm', 'support']) {
        const res = await app.request({
          method: 'POST',
          url: `/api/v1/systems/${system}/check`,
          headers: { ...as['privacy_officer'], 'content-type': 'application/json' },
          payload: '{}',
        });
        assert.equal(res.statusCode, 200, res.body);
        const { check } = res.json<{ check: { ok: boolean; error?: string; system: string } }>();
        assert.equal(check.system, system);
        if (!check.ok) assert.ok((check.error ?? '').length > 0);
        assert.deepEqual(leaked(res.body), []);
      }
      const { systems } = (await get('/api/v1/systems', 'auditor')).json<SystemsBody>();
      const crm = systems.find((s) => s.id === 'crm');
      assert.equal(crm?.lastCheck?.ok, false);
      assert.match(crm?.lastCheck?.error ?? '', /no connection settings: set STEWARD_SYSTEM_CRM_URL/);
      assert.match(crm?.lastCheck?.checkedBy ?? '', /^operator:/);
      const audited = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['target', 'details'])
        .where('action', '=', 'system.checked')
        .execute();
      assert.deepEqual(audited.map((a) => a.target).sort(), ['system:crm', 'system:shop', 'system:support']);
      // The support desk's file does not exist: the SQLite connector says so without its path.
      const support = systems.find((s) => s.id === 'support');
      assert.equal(support?.lastCheck?.ok, false);
      assert.deepEqual(leaked(JSON.stringify(audited)), []);

      const unknown = await app.request({
        method: 'POST',
        url: '/api/v1/systems/warehouse/check',
        headers: { ...as['privacy_officer'], 'content-type': 'application/json' },
        payload: '{}',
      });
      assert.equal(unknown.statusCode, 404);
    });

    test('the dataset in force as JSON: collections, personal fields, erasure rules; never the settings', async () => {
      const res = await get('/api/v1/systems/shop/dataset', 'auditor');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<{
        system: string;
        version: { number: number; reviewed?: { by: string }; contentHash: string; declarationId: string };
        dataset: { collections: { name: string; erasure?: { action: string; purpose?: string } }[] };
      }>();
      assert.equal(body.system, 'shop');
      assert.equal(body.version.number, 1);
      assert.equal(body.version.declarationId, 'nordkust-kaffe');
      assert.equal(body.version.reviewed?.by, 'Maja Lind');
      assert.deepEqual(
        body.dataset.collections.map((c) => [c.name, c.erasure?.action ?? null]),
        [
          ['customers', 'mask'],
          ['addresses', 'delete'],
          ['cities', null],
          ['orders', 'keep'],
          ['order_lines', 'keep'],
          ['payments', 'keep'],
          ['invoices', 'keep'],
        ],
      );
      assert.doesNotMatch(res.body, /"source"|"url"/);
      assert.deepEqual(leaked(res.body), []);

      const versions = await get('/api/v1/systems/shop/dataset/versions', 'auditor');
      assert.equal(versions.statusCode, 200);
      assert.deepEqual(
        versions.json<{ versions: { number: number }[] }>().versions.map((v) => v.number),
        [1],
      );
      const first = await get('/api/v1/systems/shop/dataset/versions/1', 'auditor');
      assert.equal(first.statusCode, 200);
      assert.equal(
        first.json<{ version: { contentHash: string } }>().version.contentHash,
        body.version.contentHash,
      );
      assert.equal((await get('/api/v1/systems/shop/dataset/versions/9', 'auditor')).statusCode, 404);
      assert.equal((await get('/api/v1/systems/warehouse/dataset', 'auditor')).statusCode, 404);
      assert.equal((await get('/api/v1/systems/Not%20an%20id/dataset', 'auditor')).statusCode, 400);
      assert.equal((await get('/api/v1/systems/shop/dataset', 'support_agent')).statusCode, 403);
    });

    test('no answer of the API holds a connection URL or a part of it', async () => {
      const routes = routeTable(app.server).filter((r) => r.method === 'GET' && !r.url.includes('*'));
      const urls = routes.map((r) =>
        r.url
          .replace(/\/systems\/:id/, '/systems/shop')
          .replace(/\/declarations\/:id|\/privacy\/:id/, (m) => m.replace(':id', 'nordkust-kaffe'))
          .replace(/:number/, '1'),
      );
      let answered = 0;
      for (const url of urls.filter((u) => !u.includes(':'))) {
        for (const role of ['privacy_officer', 'administrator']) {
          const res = await get(url, role);
          if (res.statusCode === 200) answered += 1;
          assert.deepEqual(leaked(res.body), [], `GET ${url} as ${role}`);
        }
      }
      assert.ok(answered > 20, `${answered} answers were checked`);
      // The settings themselves print no secret, wherever one might be written.
      assert.deepEqual(leaked(JSON.stringify({ systems: [...app.config.systems] })), []);
    });
  });
}
