import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import type { CaptureInput } from './index.js';
import { StewardClient, StewardError } from './index.js';

const lead = (email: string, extra: Partial<CaptureInput> = {}): CaptureInput => ({
  declarationId: 'sncn-general',
  subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' },
  kind: 'trade_show_lead',
  source: 'trade_shows',
  purposes: ['enquiries'],
  categories: ['user.name', 'user.contact.email'],
  data: { name: 'Client Test' },
  ...extra,
});

describe('StewardClient without a server', () => {
  test('sends JSON with the API key to a path under the base URL, prefix kept', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fakeFetch: typeof fetch = async (url, init) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify({ ok: true }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = new StewardClient({
      baseUrl: 'https://privacy.example.test/steward/',
      apiKey: 'stw_x_y',
      fetch: fakeFetch,
    });
    assert.deepEqual(await client.request('POST', '/api/v1/things', { a: 1 }), { ok: true });
    assert.equal(calls[0]?.url, 'https://privacy.example.test/steward/api/v1/things');
    const headers = calls[0]?.init?.headers as Record<string, string>;
    assert.equal(headers['authorization'], 'Bearer stw_x_y');
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(calls[0]?.init?.body, '{"a":1}');
  });

  test('an answer that is not Steward JSON, or no answer, is still a StewardError', async () => {
    const html = new StewardClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'stw_x_y',
      fetch: async () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
    });
    await assert.rejects(html.request('GET', '/api/v1/x'), (e: unknown) => {
      assert.ok(e instanceof StewardError);
      assert.equal(e.status, 502);
      assert.equal(e.code, 'unexpected_response');
      return true;
    });
    const down = new StewardClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'stw_x_y',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await assert.rejects(down.request('GET', '/api/v1/x'), (e: unknown) => {
      assert.ok(e instanceof StewardError);
      assert.equal(e.status, 0);
      assert.equal(e.code, 'network_error');
      return true;
    });
  });
});

for (const dialect of await dialects()) {
  describe(`StewardClient against a real server on ${dialect}`, () => {
    let app: TestApp;
    let client: StewardClient;
    let baseUrl: string;
    before(async () => {
      app = await startTestApp(dialect);
      baseUrl = await app.server.listen({ host: '127.0.0.1', port: 0 });
      const key = await createApiKey(app.ctx, hostActor(), {
        name: 'client test',
        scopes: ['subjects:write'],
      });
      client = new StewardClient({ baseUrl, apiKey: key.key });
    });
    after(() => app.close());

    test('capture answers the captured record', async () => {
      const record = await client.capture(lead('client.ok@example.com'));
      assert.match(record.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(record.purposes, [{ id: 'enquiries', basis: 'legitimate_interests' }]);
      assert.equal(record.noticeOwed, false);
      const row = await app.ctx.store.db
        .selectFrom('records')
        .select(['source_id', 'source_type'])
        .where('id', '=', record.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { source_id: 'trade_shows', source_type: 'direct' });
    });

    test('a refusal becomes a StewardError with status, code, message and details', async () => {
      await assert.rejects(
        client.capture(lead('client.refused@example.com', { purposes: ['no_such_purpose'] })),
        (e: unknown) => {
          assert.ok(e instanceof StewardError);
          assert.equal(e.status, 422);
          assert.equal(e.code, 'not_declared');
          assert.match(e.message, /no_such_purpose/);
          assert.ok(e.details.some((d) => d.path === 'purposes[0]'));
          return true;
        },
      );
      await assert.rejects(
        client.capture(lead('client.child@example.com', { statedAge: 12 })),
        (e: unknown) => e instanceof StewardError && e.code === 'child_data_refused' && e.status === 422,
      );
    });

    test('a wrong key and a missing permission are refused with 401 and 403', async () => {
      const stranger = new StewardClient({ baseUrl, apiKey: 'stw_nobody_0000000000000000000000000000' });
      await assert.rejects(stranger.capture(lead('client.x@example.com')), (e: unknown) => {
        assert.ok(e instanceof StewardError);
        assert.equal(e.status, 401);
        return true;
      });
      const key = await createApiKey(app.ctx, hostActor(), { name: 'reader', scopes: ['policy:read'] });
      const reader = new StewardClient({ baseUrl, apiKey: key.key });
      await assert.rejects(reader.capture(lead('client.y@example.com')), (e: unknown) => {
        assert.ok(e instanceof StewardError);
        assert.equal(e.status, 403);
        assert.equal(e.code, 'forbidden');
        return true;
      });
    });
  });
}
