import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { subscribeConfirmed as subscribeWithLink } from '../../test/support/consent.js';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import {
  allowReasons,
  blockReasons,
  communicationOf,
  suppressionIndex,
  verdictCode,
  verdictOf,
  verdictTable,
} from './suppression.js';

const D = 'sncn-general';
const communications = ['sncn_newsletter', 'group_newsletter', 'product_updates', 'order_confirmations'];
const jurisdictions = ['default', 'SE', 'DE', 'NO'];

test('verdict codes: the table, verdictOf and verdictCode agree, allow reasons first', () => {
  const reasons = [...allowReasons, ...blockReasons];
  assert.equal(verdictTable.length, reasons.length);
  reasons.forEach((reason, code) => {
    assert.deepEqual(verdictOf(code), { allowed: code < allowReasons.length, reason });
    assert.equal(verdictTable[code], verdictOf(code));
    assert.equal(verdictCode[reason], code);
  });
  assert.throws(() => verdictOf(reasons.length), RangeError);
  assert.throws(() => verdictOf(-1), RangeError);
});

for (const dialect of await dialects()) {
  describe(`suppression index on ${dialect}`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    let apiKey: string;

    before(async () => {
      app = await startTestApp(dialect);
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      apiKey = (await createApiKey(app.ctx, hostActor(), { name: 'mailer', scopes: ['suppression:check'] }))
        .key;
    });
    after(() => app.close());

    const post = async (url: string, payload: object, expected: number) => {
      const res = await app.request({ method: 'POST', url, headers, payload });
      assert.equal(res.statusCode, expected, `${url}: ${res.body}`);
      return res;
    };
    const capture = async (emails: string[], jurisdiction?: string): Promise<string> =>
      (
        await post(
          '/api/v1/records',
          {
            declarationId: D,
            subject: { identifiers: emails.map((value) => ({ kind: 'email', value })), jurisdiction },
            kind: 'enquiry',
            purposes: ['enquiries'],
            categories: ['user.contact.email'],
            source: 'website_forms',
          },
          201,
        )
      ).json<{ subjectId: string }>().subjectId;

    /** The same list through both interfaces, for every communication and jurisdiction. */
    const assertCodesMatchVerdicts = async (addresses: string[]) => {
      const index = suppressionIndex(app.ctx);
      await index.sync();
      const out = new Uint8Array(addresses.length + 3).fill(255);
      for (const id of communications) {
        const communication = communicationOf(app.ctx, D, id);
        for (const jurisdiction of jurisdictions) {
          const verdicts = index.checkMany(D, communication, addresses, jurisdiction);
          const codes = index.checkCodes(D, communication, addresses, jurisdiction);
          assert.deepEqual([...codes].map(verdictOf), verdicts, `${id} in ${jurisdiction}`);
          assert.equal(index.checkCodes(D, communication, addresses, jurisdiction, out), out);
          assert.deepEqual([...out.subarray(0, addresses.length)], [...codes], 'written into out');
          assert.deepEqual([...out.subarray(addresses.length)], [255, 255, 255], 'and nothing past it');
        }
      }
      return index;
    };
    const reasonsOf = async (id: string, addresses: string[], jurisdiction = 'default') => {
      const index = suppressionIndex(app.ctx);
      await index.sync();
      const codes = index.checkCodes(D, communicationOf(app.ctx, D, id), addresses, jurisdiction);
      return [...codes].map((c) => verdictOf(c).reason);
    };

    test('checkCodes gives the answers checkMany gives, before and after unsubscribe, objection and erasure', async () => {
      const fan = await capture(['fan@example.com', 'fan.work@example.com']);
      const swede = await capture(['swede@example.se'], 'SE');
      await capture(['german@example.de'], 'DE');
      await subscribeWithLink(app, headers, 'fan@example.com');
      await subscribeWithLink(app, headers, 'fan.work@example.com');
      await subscribeWithLink(app, headers, 'swede@example.se');
      await post(
        '/api/v1/subscriptions',
        {
          declarationId: D,
          communication: 'group_newsletter',
          email: 'fan@example.com',
          channel: 'web_form',
          noticeHash: 'c'.repeat(64),
        },
        201,
      );
      const addresses = [
        'fan@example.com',
        'fan@EXAMPLE.com',
        '  fan.work@example.com ',
        'swede@example.se',
        'german@example.de',
        'stranger@example.org',
        'STRANGER@Example.org',
        'not an address',
        'no-at-sign',
        '@example.com',
        'a@b',
        '',
      ];
      // The verdict maps are built by the first check, so later changes go through the refresh.
      await assertCodesMatchVerdicts(addresses);
      assert.deepEqual(await reasonsOf('sncn_newsletter', addresses.slice(0, 8)), [
        'consent',
        'consent',
        'consent',
        'consent',
        'no_consent',
        'unknown_opt_in_required',
        'unknown_opt_in_required',
        'invalid_address',
      ]);

      await post(
        '/api/v1/unsubscriptions',
        { declarationId: D, email: 'fan.work@example.com', communication: 'sncn_newsletter' },
        200,
      );
      await assertCodesMatchVerdicts(addresses);
      assert.deepEqual(await reasonsOf('sncn_newsletter', ['fan@example.com', 'fan.work@example.com']), [
        'consent',
        'unsubscribed',
      ]);

      await post(`/api/v1/subjects/${swede}/marketing-objection`, { channel: 'phone' }, 204);
      await assertCodesMatchVerdicts(addresses);
      assert.deepEqual(await reasonsOf('product_updates', ['swede@example.se'], 'SE'), ['objected']);
      assert.deepEqual(await reasonsOf('order_confirmations', ['swede@example.se']), ['transactional']);

      await post(`/api/v1/subjects/${fan}/marketing-objection`, { channel: 'phone' }, 204);
      await assertCodesMatchVerdicts(addresses);
      // Erased: the rows go, the keyed-hash suppression still answers for the address.
      await sql`update suppressions set subject_id = null where subject_id = ${fan}`.execute(
        app.ctx.store.db,
      );
      await sql`delete from subjects where id = ${fan}`.execute(app.ctx.store.db);
      await sql`insert into suppression_changes (subject_id, at) values (null, ${new Date().toISOString()})`.execute(
        app.ctx.store.db,
      );
      await assertCodesMatchVerdicts(addresses);
      assert.deepEqual(
        await reasonsOf('product_updates', ['fan@example.com', 'stranger@example.org'], 'SE'),
        ['objected', 'opt_out'],
      );
    });

    test('checkCodes refuses an out array too short for the addresses', async () => {
      const index = suppressionIndex(app.ctx);
      await index.sync();
      const communication = communicationOf(app.ctx, D, 'sncn_newsletter');
      assert.throws(
        () =>
          index.checkCodes(
            D,
            communication,
            ['a@example.com', 'b@example.com'],
            'default',
            new Uint8Array(1),
          ),
        RangeError,
      );
    });

    /** Streams `pieces` as one text/plain request and returns the NDJSON lines of the answer. */
    const streamed = async (pieces: (string | Buffer)[]) => {
      const res = await app.request({
        method: 'POST',
        url: `/api/v1/suppression/check?declarationId=${D}&communication=sncn_newsletter`,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/plain' },
        payload: Readable.from(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))),
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.match(res.headers['content-type'] as string, /^application\/x-ndjson/);
      assert.ok(res.body === '' || res.body.endsWith('\n'), 'every answer line ends with a newline');
      return res.body.split('\n').slice(0, -1);
    };
    /** What the JSON form answers for the same addresses, one line each as the stream writes it. */
    const expectedLines = async (addresses: string[]) => {
      const res = await post(
        `/api/v1/suppression/check?declarationId=${D}&communication=sncn_newsletter`,
        { addresses },
        200,
      );
      return res
        .json<{ results: { address: string; allowed: boolean; reason: string }[] }>()
        .results.map((r) => JSON.stringify({ address: r.address, allowed: r.allowed, reason: r.reason }));
    };

    test('the streamed check splits lines on CRLF, skips blank lines, keeps a last line without newline, and joins lines split across chunks', async () => {
      await capture(['streamer@example.com']);
      await subscribeWithLink(app, headers, 'streamer@example.com');
      const ö = Buffer.from('jörg@example.com');
      const lines = await streamed([
        'streamer@example.com\r\n\r\n   \n',
        'stream',
        'er@exam',
        'ple.com\r',
        '\n',
        '  Streamer@EXAMPLE.com  \r\n',
        'bad address\r\nquo"te@example.com\n\n',
        ö.subarray(0, 2), // the two bytes of "ö" arrive in different chunks
        ö.subarray(2),
        '\nold-mac@example.com\rnext@example.com\n',
        'stranger@example.org',
      ]);
      assert.deepEqual(
        lines,
        await expectedLines([
          'streamer@example.com',
          'streamer@example.com',
          'Streamer@EXAMPLE.com',
          'bad address',
          'quo"te@example.com',
          'jörg@example.com',
          'old-mac@example.com',
          'next@example.com',
          'stranger@example.org',
        ]),
      );
      assert.deepEqual(JSON.parse(lines[0] ?? ''), {
        address: 'streamer@example.com',
        allowed: true,
        reason: 'consent',
      });
      assert.deepEqual(await streamed(['\n\r\n  \n']), [], 'only blank lines: an empty answer');
    });

    test('the streamed check answers more than one chunk of addresses in order', async () => {
      const addresses = Array.from({ length: 25_003 }, (_, i) => `bulk-${i}@example.net`);
      addresses[10_000] = 'streamer@example.com';
      addresses[20_001] = 'Bad\u0001"\\address@example.net';
      const text = `${addresses.join('\r\n')}\r\n`;
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += 65_521) pieces.push(text.slice(i, i + 65_521));
      const lines = await streamed(pieces);
      assert.equal(lines.length, addresses.length);
      const expected = await expectedLines(addresses);
      assert.deepEqual(lines, expected);
      assert.equal(JSON.parse(lines[10_000] ?? '').reason, 'consent');
    });
  });
}
