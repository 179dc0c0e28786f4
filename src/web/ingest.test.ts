/**
 * Banner choices and event batches over HTTP, on SQLite and PostgreSQL: what is recorded, what
 * is refused, and that nothing identifying beyond the declared minimum is stored.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import type { Actor } from '../access/actor.js';
import { rolePermissions } from '../access/roles.js';
import { eraseSubject } from '../rights/erase-subject.js';
import { CONTROLLER_TENANT, lookupOf } from '../subjects/subjects.js';
import type { BannerConfig, ConsentAnswer } from './contract.js';
import { linkWebVisitor } from './link-visitor.js';

const officerActor: Actor = {
  kind: 'operator',
  id: 'officer-web',
  name: 'Privacy officer',
  role: 'privacy_officer',
  permissions: new Set(rolePermissions.privacy_officer),
};

const D = 'sncn-general';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const VISITOR_IP = '203.0.113.77';
const VISITOR_IP6 = '2001:db8:85a3:8d3:1319:8a2e:370:7348';

for (const dialect of await dialects()) {
  describe(`website consent and events on ${dialect}`, () => {
    let app: TestApp;
    let config: BannerConfig;
    before(async () => {
      app = await startTestApp(dialect);
      config = (await app.request({ method: 'GET', url: `/web/v1/config/${D}` })).json<BannerConfig>();
    });
    after(() => app.close());

    const post = (
      url: string,
      body: unknown,
      headers: Record<string, string> = {},
      remoteAddress = VISITOR_IP,
    ) =>
      app.request({
        method: 'POST',
        url,
        remoteAddress,
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': CHROME, ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const choose = async (
      categories: Record<string, boolean>,
      extra: Record<string, unknown> = {},
      headers = {},
    ) => {
      const res = await post(
        '/web/v1/consent',
        {
          declarationId: D,
          version: config.version,
          categories,
          gpc: false,
          language: 'en',
          via: 'save',
          ...extra,
        },
        headers,
      );
      assert.equal(res.statusCode, 200, res.body);
      return res.json<ConsentAnswer>();
    };
    const batch = (events: { type: string; [k: string]: unknown }[], token?: string) => ({
      id: randomBytes(12).toString('base64url'),
      declarationId: D,
      ...(token ? { token } : {}),
      page: 'https://www.example.com/products/headphones?email=kim@example.org#top',
      referrer: 'https://search.example.net/?q=headphones',
      events: events.map((e) => ({ at: Date.now(), ...e })),
    });
    const stored = async () => app.ctx.store.db.selectFrom('web_events').selectAll().orderBy('id').execute();
    const countEvents = async () => (await stored()).length;
    const findSubject = async (email: string) =>
      (
        await app.ctx.store.db
          .selectFrom('identifiers')
          .select('subject_id')
          .where('tenant', '=', CONTROLLER_TENANT)
          .where('lookup', '=', lookupOf(app.ctx.keys, 'email', email))
          .executeTakeFirstOrThrow()
      ).subject_id;

    test('C8.2 every banner choice is a consent record with the version shown; a changed choice keeps the browser’s consent id', async () => {
      assert.equal(config.version.length, 64);
      assert.ok(config.categories.some((c) => c.id === 'necessary' && c.required));
      const first = await choose({ preferences: false, analytics: true, marketing: false });
      assert.deepEqual(first.allowed, ['analytics']);
      const second = await choose(
        { preferences: true, analytics: false, marketing: false },
        { token: first.token },
      );
      assert.deepEqual(second.allowed, ['preferences']);
      const events = await app.ctx.store.db
        .selectFrom('consent_events')
        .select(['subject_id', 'target_id', 'event', 'notice_hash', 'channel', 'ip'])
        .where('channel', '=', 'banner')
        .orderBy('seq')
        .execute();
      assert.equal(new Set(events.map((e) => e.subject_id)).size, 1, 'both choices belong to one browser');
      assert.ok(events.every((e) => e.notice_hash === config.version));
      assert.ok(events.every((e) => e.ip === '203.0.113.0/24'));
      assert.deepEqual(
        events
          .slice(-3)
          .map((e) => `${e.target_id}:${e.event}`)
          .sort(),
        ['analytics:withdrawn', 'marketing:withdrawn', 'preferences:given'],
      );
      const stale = await post('/web/v1/consent', {
        declarationId: D,
        version: 'a'.repeat(64),
        categories: { analytics: true },
        gpc: false,
        language: 'en',
        via: 'save',
      });
      assert.equal(stale.statusCode, 409, 'a choice made on another version must be asked again');
    });

    test('C8.1 a Global Privacy Control signal keeps marketing off whatever the banner said', async () => {
      const viaHeader = await choose(
        { preferences: true, analytics: true, marketing: true },
        {},
        { 'sec-gpc': '1' },
      );
      assert.deepEqual(viaHeader.allowed, ['preferences', 'analytics']);
      const viaScript = await choose(
        { preferences: false, analytics: false, marketing: true },
        { gpc: true },
      );
      assert.deepEqual(viaScript.allowed, []);
    });

    test('C3d.1 without consent only exempt audience measurement is taken; other events refuse the whole batch', async () => {
      const before = await countEvents();
      const exempt = await post(
        '/web/v1/events',
        batch([{ type: 'page_view' }, { type: 'timing', value: 420 }]),
      );
      assert.equal(exempt.statusCode, 202, exempt.body);
      assert.equal(exempt.json<{ accepted: number }>().accepted, 2);
      const clicks = await post(
        '/web/v1/events',
        batch([{ type: 'page_view' }, { type: 'click', target: 'BUTTON' }]),
      );
      assert.equal(clicks.statusCode, 403);
      assert.equal(clicks.json<{ error: { code: string } }>().error.code, 'consent_missing');
      assert.match(clicks.body, /click \(needs analytics\)/);
      assert.equal(await countEvents(), before + 2, 'nothing of the refused batch was stored');
    });

    test('C3d.3 with analytics consent every declared event type arrives, each with its declared purpose and category', async () => {
      const { token } = await choose({ preferences: false, analytics: true, marketing: false });
      const before = await countEvents();
      const res = await post(
        '/web/v1/events',
        batch(
          [
            { type: 'page_view' },
            { type: 'click', target: 'https://www.example.com/cart?item=1', label: 'add-to-cart' },
            { type: 'scroll', value: 75 },
            { type: 'hover', label: 'hero' },
            { type: 'timing', value: 812 },
            { type: 'download_error', target: 'https://www.example.com/manual.pdf', value: 404 },
            { type: 'time_on_page', value: 31_000 },
            { type: 'site_search', label: 'noise cancelling' },
            { type: 'exit', target: 'https://partner.example.org/deals/42?ref=sncn' },
          ],
          token,
        ),
      );
      assert.equal(res.statusCode, 202, res.body);
      const rows = (await stored()).slice(before);
      assert.equal(rows.length, 9);
      const byType = new Map(rows.map((r) => [r.type, r]));
      assert.equal(byType.get('click')?.purpose, 'website_analytics');
      assert.equal(byType.get('page_view')?.purpose, 'audience_measurement');
      assert.ok(rows.every((r) => r.category === 'analytics' && r.source === 'script'));
      assert.equal(byType.get('page_view')?.path, '/products/headphones', 'no query, no fragment');
      assert.equal(byType.get('page_view')?.referrer_host, 'search.example.net');
      assert.equal(byType.get('click')?.target, 'www.example.com');
      assert.equal(byType.get('site_search')?.label, 'noise cancelling');
      assert.equal(byType.get('scroll')?.value, 75);
      assert.ok(rows.every((r) => r.browser === 'Chrome' && r.os === 'Windows'));
      assert.ok(rows.every((r) => r.network === '203.0.113.0/24'));
      assert.ok(
        rows.every((r) => r.consent_ref === null),
        'no link without marketing consent',
      );
    });

    test('C11.1 an exit keeps only the destination host', async () => {
      const { token } = await choose({ analytics: true });
      const res = await post(
        '/web/v1/events',
        batch([{ type: 'exit', target: 'https://other.example.org/some/page?user=kim' }], token),
      );
      assert.equal(res.statusCode, 202, res.body);
      const [row] = (await stored()).slice(-1);
      assert.equal(row?.target, 'other.example.org');
      assert.doesNotMatch(JSON.stringify(row), /some\/page|user=kim/);
    });

    test('C3d.4 events are tied to the browser’s consent only under the marketing consent the declaration requires', async () => {
      const { token } = await choose({ analytics: true, marketing: true });
      const res = await post('/web/v1/events', batch([{ type: 'click', target: 'A' }], token));
      assert.equal(res.statusCode, 202, res.body);
      const [row] = (await stored()).slice(-1);
      assert.match(row?.consent_ref ?? '', /^[A-Za-z0-9_-]{20,}$/, 'a keyed hash, not the consent id');
    });

    test('C3d.4 a browser is linked to a person only with the consent the declaration requires; erasing the person removes link and events', async () => {
      const officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      await subscribeConfirmed(app, officer, 'linked.visitor@example.org');
      const subjectId = await findSubject('linked.visitor@example.org');
      const analyticsOnly = await choose({ analytics: true, marketing: false });
      assert.deepEqual(
        await linkWebVisitor(app.ctx, {
          declarationId: D,
          token: analyticsOnly.token,
          subjectId,
          actor: 'system',
        }),
        { linked: false, reason: 'no_consent' },
      );
      const { token } = await choose({ analytics: true, marketing: true });
      assert.equal(
        (await post('/web/v1/events', batch([{ type: 'click', target: 'A' }], token))).statusCode,
        202,
      );
      const linked = await linkWebVisitor(app.ctx, { declarationId: D, token, subjectId, actor: 'system' });
      assert.equal(linked.linked, true);
      const ref = (await stored()).at(-1)?.consent_ref;
      assert.ok(ref);
      const erased = await eraseSubject(app.ctx, officerActor, { subjectId });
      assert.equal(erased.erased.webLinks, 1);
      assert.ok(erased.erased.webEvents >= 1);
      assert.equal((await stored()).filter((r) => r.consent_ref === ref).length, 0);
      assert.equal(
        (
          await app.ctx.store.db
            .selectFrom('web_links')
            .select('id')
            .where('subject_id', '=', subjectId)
            .execute()
        ).length,
        0,
      );
    });

    test('forged tokens, replays, bad and oversize batches, unknown types and untrusted forwarding are refused and stored nowhere', async () => {
      const { token } = await choose({ analytics: true });
      const before = await countEvents();
      const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
      const refusals: [string, Awaited<ReturnType<typeof post>>, number][] = [];
      refusals.push(['forged', await post('/web/v1/events', batch([{ type: 'click' }], forged)), 400]);
      const once = batch([{ type: 'page_view' }]);
      assert.equal((await post('/web/v1/events', once)).statusCode, 202);
      refusals.push(['replay', await post('/web/v1/events', once), 409]);
      refusals.push(['malformed', await post('/web/v1/events', '{"id": '), 400]);
      refusals.push([
        'unknown field',
        await post('/web/v1/events', { ...batch([{ type: 'page_view' }]), ip: '1.2.3.4' }),
        400,
      ]);
      refusals.push(['unknown type', await post('/web/v1/events', batch([{ type: 'keystrokes' }])), 400]);
      refusals.push([
        'too many',
        await post('/web/v1/events', batch(Array.from({ length: 201 }, () => ({ type: 'page_view' })))),
        400,
      ]);
      refusals.push([
        'oversize',
        await post('/web/v1/events', { ...batch([{ type: 'page_view' }]), referrer: 'x'.repeat(70_000) }),
        413,
      ]);
      refusals.push([
        'future',
        await post('/web/v1/events', batch([{ type: 'page_view', at: Date.now() + 3_600_000 }])),
        400,
      ]);
      refusals.push([
        'forwarded by a stranger',
        await post('/web/v1/events', batch([{ type: 'page_view' }]), { 'x-forwarded-for': '198.51.100.1' }),
        400,
      ]);
      for (const [what, res, status] of refusals)
        assert.equal(res.statusCode, status, `${what}: ${res.body}`);
      assert.equal(
        refusals.at(-1)?.[1].json<{ error: { code: string } }>().error.code,
        'untrusted_forwarding',
      );
      assert.equal(await countEvents(), before + 1, 'only the first copy of the replayed batch is stored');

      const bot = await post('/web/v1/events', batch([{ type: 'page_view' }]), {
        'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      });
      assert.equal(bot.statusCode, 202);
      assert.equal(await countEvents(), before + 1, 'bots are dropped');
    });

    test('the traffic figures are aggregates: pages seen by fewer visitors than the minimum group are left out', async () => {
      const officer = { cookie: (await app.signInAs('marketing_operator')).cookie };
      const res = await app.request({
        method: 'GET',
        url: `/api/v1/web/traffic?declarationId=${D}&days=7`,
        headers: officer,
      });
      assert.equal(res.statusCode, 200, res.body);
      const traffic = res.json<{
        days: { pageViews: number; visits: number }[];
        topPages: unknown[];
        responseTimes: { medianMs: number }[];
        consent: { category: string; given: number; refused: number }[];
        minimumGroupSize: number;
      }>();
      assert.ok((traffic.days[0]?.pageViews ?? 0) >= 3);
      assert.equal(traffic.days[0]?.visits, 1, 'one browser on one address is one visitor');
      assert.deepEqual(traffic.topPages, [], 'one visitor is below the minimum group size');
      assert.ok((traffic.responseTimes[0]?.medianMs ?? 0) > 0);
      assert.ok((traffic.consent.find((c) => c.category === 'analytics')?.given ?? 0) > 0);
      const support = { cookie: (await app.signInAs('support_agent')).cookie };
      const refused = await app.request({
        method: 'GET',
        url: `/api/v1/web/traffic?declarationId=${D}`,
        headers: support,
      });
      assert.equal(refused.statusCode, 403);
    });

    test('no raw IP address is found anywhere in the database after visits over IPv4 and IPv6', async () => {
      const { token } = await choose({ analytics: true });
      const v6 = await post('/web/v1/events', batch([{ type: 'page_view' }], token), {}, VISITOR_IP6);
      assert.equal(v6.statusCode, 202, v6.body);
      assert.ok((await stored()).some((r) => r.network === '2001:db8:85a3::/48'));
      const tables =
        dialect === 'sqlite'
          ? (
              await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
                app.ctx.store.db,
              )
            ).rows.map((r) => r.name)
          : (
              await sql<{
                name: string;
              }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
                app.ctx.store.db,
              )
            ).rows.map((r) => r.name);
      assert.ok(tables.includes('web_events'));
      for (const table of tables) {
        const rows = (await sql`select * from ${sql.table(table)}`.execute(app.ctx.store.db)).rows;
        const text = JSON.stringify(rows);
        assert.ok(!text.includes(VISITOR_IP), `${VISITOR_IP} found in ${table}`);
        assert.ok(!text.includes(VISITOR_IP6), `${VISITOR_IP6} found in ${table}`);
      }
    });
  });
}
