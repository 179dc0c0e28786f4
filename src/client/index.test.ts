import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import type { CaptureInput, SuppressionResult } from './index.js';
import { MAX_JSON_ADDRESSES, StewardClient, StewardError } from './index.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

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
  test('loads nothing of the server: every import is type-only', () => {
    const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8');
    assert.deepEqual(source.match(/^import (?!type ).*$/gm), null);
  });

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
    let apiKey: string;
    before(async () => {
      app = await startTestApp(dialect);
      baseUrl = await app.server.listen({ host: '127.0.0.1', port: 0 });
      const key = await createApiKey(app.ctx, hostActor(), {
        name: 'client test',
        scopes: ['subjects:write', 'consent:write', 'suppression:check'],
      });
      apiKey = key.key;
      client = new StewardClient({ baseUrl, apiKey });
    });
    const newsletter = { declarationId: 'sncn-general', communication: 'sncn_newsletter' } as const;
    const verdicts = (results: SuppressionResult[]) => results.map((r) => [r.address, r.allowed, r.reason]);
    after(() => app.close());

    test('capture answers the captured record', async () => {
      const record = await client.capture(lead('client.ok@example.com'));
      assert.match(record.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(record.purposes, [{ id: 'enquiries', basis: 'legitimate_interests' }]);
      assert.equal(record.noticeOwed, false);
      const row = await app.ctx.store.db
        .selectFrom('records')
        .select(['source_id', 'source_type'])
        .where('tenant', '=', CONTROLLER_TENANT)
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

    test('subscribe waits for double opt-in; unsubscribe stops it; the suppression check follows', async () => {
      const email = 'client.subscriber@example.com';
      // sncn_newsletter asks for double opt-in: nothing is sent until the link is followed.
      const subscribed = await client.subscribe({ ...newsletter, email, channel: 'newsletter_form' });
      assert.equal(subscribed.state, 'unconfirmed');
      assert.match(subscribed.subscriptionId, /^[0-9a-f-]{36}$/);
      const addresses = [email, 'client.stranger@example.com', 'not an address'];
      assert.deepEqual(verdicts(await client.checkSuppression(newsletter, addresses)), [
        [email, false, 'unconfirmed'],
        ['client.stranger@example.com', false, 'unknown_opt_in_required'],
        ['not an address', false, 'invalid_address'],
      ]);

      await client.unsubscribe({ ...newsletter, email, channel: 'preference_centre' });
      await client.unsubscribe({ ...newsletter, email }); // harmless when repeated
      assert.deepEqual(verdicts(await client.checkSuppression(newsletter, [email])), [
        [email, false, 'unsubscribed'],
      ]);
      // Product updates rest on legitimate interests in Sweden: a stranger there may get them.
      assert.deepEqual(
        verdicts(
          await client.checkSuppression(
            { declarationId: 'sncn-general', communication: 'product_updates', jurisdiction: 'SE' },
            ['client.stranger@example.com'],
          ),
        ),
        [['client.stranger@example.com', true, 'opt_out']],
      );

      await assert.rejects(
        client.unsubscribe({ ...newsletter, email: 'client.nobody@example.com' }),
        (e: unknown) => e instanceof StewardError && e.status === 404 && e.code === 'not_found',
      );
      await assert.rejects(
        client.subscribe({ ...newsletter, communication: 'order_confirmations', email }),
        (e: unknown) => e instanceof StewardError && e.code === 'validation_failed',
      );
      await assert.rejects(
        client.checkSuppression({ ...newsletter, communication: 'no_such_list' }, [email]),
        (e: unknown) => e instanceof StewardError && e.code === 'not_declared',
      );
    });

    test('an objection to marketing blocks every marketing communication, and new subscriptions', async () => {
      const email = 'client.objector@example.com';
      const record = await client.capture(lead(email));
      await client.objectToMarketing(record.subjectId, { channel: 'support' });
      assert.deepEqual(verdicts(await client.checkSuppression(newsletter, [email])), [
        [email, false, 'objected'],
      ]);
      assert.equal((await client.subscribe({ ...newsletter, email })).state, 'blocked_by_objection');
    });

    test('more than 100,000 addresses stream as lines and the answers come back in order', async () => {
      const email = 'client.streamed@example.com';
      await client.subscribe({ ...newsletter, email });
      const addresses = Array.from({ length: MAX_JSON_ADDRESSES + 2 }, (_, i) => `bulk${i}@example.com`);
      addresses[7] = email;
      addresses[50_000] = '   '; // blank, and one with a line break: never sent as lines
      addresses[50_001] = 'two\nlines@example.com';
      addresses[MAX_JSON_ADDRESSES + 1] = ` ${email} `;
      const sent: (string | undefined)[] = [];
      const streaming = new StewardClient({
        baseUrl,
        apiKey,
        timeoutMs: 120_000,
        fetch: (url, init) => {
          sent.push((init?.headers as Record<string, string> | undefined)?.['content-type']);
          return fetch(url, init);
        },
      });
      const results = await streaming.checkSuppression(newsletter, addresses);
      assert.deepEqual(sent, ['text/plain']);
      assert.equal(results.length, addresses.length);
      assert.deepEqual(
        results.map((r) => r.address),
        addresses,
      );
      assert.deepEqual(verdicts([7, 0, 50_000, 50_001, MAX_JSON_ADDRESSES + 1].map((i) => results[i]!)), [
        [email, false, 'unconfirmed'],
        ['bulk0@example.com', false, 'unknown_opt_in_required'],
        ['   ', false, 'invalid_address'],
        ['two\nlines@example.com', false, 'invalid_address'],
        [` ${email} `, false, 'unconfirmed'],
      ]);
      assert.equal(
        results.filter((r) => r.reason === 'unknown_opt_in_required').length,
        addresses.length - 4,
      );
    });

    test('consent for a consent-based purpose is recorded and withdrawn, and capture follows it', async () => {
      const email = 'client.consent@example.com';
      const subject = { identifiers: [{ kind: 'email' as const, value: email }] };
      const preferences = lead(email, {
        kind: 'preference_update',
        source: 'website_forms',
        purposes: ['personalised_content'],
        categories: ['user.preferences'],
        data: { topics: ['smart offices'] },
      });
      const target = { kind: 'purpose' as const, id: 'personalised_content' };
      const given = await client.recordConsent({
        declarationId: 'sncn-general',
        subject,
        event: 'given',
        targets: [target],
        channel: 'preference_centre',
      });
      assert.match(given.subjectId, /^[0-9a-f-]{36}$/);
      assert.equal(given.events.length, 1);
      // Consent is on record, so capture for the purpose needs no evidence with the record.
      assert.equal((await client.capture(preferences)).subjectId, given.subjectId);

      const withdrawn = await client.recordConsent({
        declarationId: 'sncn-general',
        subject,
        event: 'withdrawn',
        targets: [target],
        channel: 'preference_centre',
      });
      assert.equal(withdrawn.subjectId, given.subjectId);
      await assert.rejects(
        client.capture(preferences),
        (e: unknown) => e instanceof StewardError && e.code === 'consent_required',
      );
      const events = await app.ctx.store.db
        .selectFrom('consent_events')
        .select(['target_id', 'event'])
        .where('subject_id', '=', given.subjectId)
        .orderBy('seq')
        .execute();
      assert.deepEqual(events, [
        { target_id: 'personalised_content', event: 'given' },
        { target_id: 'personalised_content', event: 'withdrawn' },
      ]);
      // Consent is asked only where the purpose rests on it.
      await assert.rejects(
        client.recordConsent({
          declarationId: 'sncn-general',
          subject,
          event: 'given',
          targets: [{ kind: 'purpose', id: 'enquiries' }],
        }),
        (e: unknown) =>
          e instanceof StewardError && e.code === 'not_declared' && e.details[0]?.path === 'targets[0]',
      );
    });
  });
}
