/**
 * Attacks on the links that hand out a rights request's result (issue 10, findings 5 and 6):
 * a leaked link must not become a code and guess machine, and a download that did not arrive
 * must not use the link up. Everything goes through HTTP; the interrupted download goes over a
 * real socket, since Fastify's inject never drops a connection.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { captureRecord } from '../../src/capture/capture-record.js';
import { hostActor } from '../../src/cli/host-actor.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { RESULT_LINK_CODES, RESULT_LINK_GUESSES } from '../../src/rights/collect-result.js';
import { dialects, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { subscribeConfirmed } from '../support/consent.js';
import { startReceiver } from '../support/receiver.js';
import { lastMessage, mailbox } from '../support/mail.js';

const DECLARATION = 'sncn-general';

/** What a dead link says, on the JSON API: ask again, and where. */
const ASK_AGAIN = /make a new request.*privacy-centre.*or contact/i;

/** Waits until `check` gives something, polling; fails after a few seconds. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`gave up waiting for ${what}`);
}

interface Download {
  readonly status: number;
  readonly type: string | undefined;
  readonly body: Buffer;
}

/**
 * POSTs JSON over a real connection. With `cut`, reading stops at the first chunk of the answer,
 * `cut` runs while the answer waits half-sent, and then the connection is destroyed, as a
 * dropped network or a closed laptop would.
 */
function post(port: number, path: string, body: unknown, cut?: () => Promise<void>): Promise<Download> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        const answer = () => ({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          body: Buffer.concat(chunks),
        });
        res.once('data', (chunk: Buffer) => {
          if (cut === undefined) return;
          res.pause();
          chunks.push(chunk);
          // Destroyed even when `cut` fails, or the server would wait on the open connection.
          cut()
            .then(() => resolve(answer()), reject)
            .finally(() => req.destroy());
        });
        if (cut === undefined) res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(answer()));
        res.on('error', (error) => (cut === undefined ? reject(error) : undefined));
      },
    );
    req.on('error', (error) => (cut === undefined ? reject(error) : undefined));
    req.end(JSON.stringify(body));
  });
}

for (const dialect of await dialects()) {
  describe(`result links on ${dialect}`, () => {
    let app: TestApp;
    let officer: Record<string, string>;
    let ip = 0;
    /** Each call from another network address: the per-address rate limits must not matter. */
    const nextIp = () => `198.51.100.${(ip += 1) % 250}`;

    before(async () => {
      app = await startTestApp(dialect, { config: { transmitAllowedHosts: ['127.0.0.1'] } });
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    /** Newest first, as delivered. */
    const codesTo = async (address: string) =>
      (await mailbox(app.ctx, { to: address, kind: 'rights_code' }))
        .reverse()
        .map((m) => /(?:Your code|Din kod): (\d{6})/.exec(m.text)?.[1]);

    const latestCode = async (address: string) => {
      const [code] = await codesTo(address);
      assert.ok(code, `a code was mailed to ${address}`);
      return code;
    };

    /** Six digits that are not `code`. */
    const wrongCode = (code: string, n = 0) => String((Number(code) + 1 + n) % 1_000_000).padStart(6, '0');

    /** An access or portability request from a letter, approved and fulfilled: its id and result link. */
    const answeredLetter = async (address: string, type: 'access' | 'portability' = 'access') => {
      await subscribeConfirmed(app, officer, address);
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/requests',
        headers: officer,
        payload: {
          declarationId: DECLARATION,
          type,
          channel: 'post',
          language: 'en',
          requester: { identifiers: [{ kind: 'email', value: address }] },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const { id } = res.json<{ id: string }>();
      await runJobs();
      const approve = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/approve`,
        headers: officer,
        payload: { note: 'Signed letter matched the address on file' },
      });
      assert.equal(approve.statusCode, 200, approve.body);
      await runJobs();
      await runJobs();
      const done = await lastMessage(app.ctx, { to: address, kind: 'rights_completed' });
      const link = /\/privacy-centre\/results\/([A-Za-z0-9_-]+)/.exec(done?.text ?? '')?.[1];
      assert.ok(link, 'the completion message carries a result link');
      return { id, link };
    };

    const askCode = async (link: string, address: string) => {
      const res = await app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/results/${link}/code`,
        remoteAddress: nextIp(),
      });
      await runJobs();
      return { res, code: res.statusCode === 202 ? await latestCode(address) : undefined };
    };

    const download = (link: string, code: string) =>
      app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/results/${link}/download`,
        remoteAddress: nextIp(),
        headers: { 'content-type': 'application/json' },
        payload: { code },
      });

    const timeline = async (id: string) =>
      (
        await app.ctx.store.db
          .selectFrom('request_events')
          .select(['kind', 'details', 'visible'])
          .where('request_id', '=', id)
          .orderBy('seq')
          .execute()
      ).map((e) => ({ kind: e.kind, details: JSON.parse(e.details) as Record<string, unknown> }));

    const audited = async (id: string) =>
      (
        await app.ctx.store.db
          .selectFrom('audit_log')
          .select(['action', 'details'])
          .where('target', '=', `request:${id}`)
          .orderBy('seq')
          .execute()
      ).map((a) => ({ action: a.action, details: JSON.parse(a.details) as Record<string, unknown> }));

    /** The dead link is dead everywhere, and the requester is told how to ask again, in both languages. */
    const assertDead = async (link: string, address: string, code: string) => {
      const mailed = (await codesTo(address)).length;
      const again = await askCode(link, address);
      assert.equal(again.res.statusCode, 400, again.res.body);
      assert.equal(again.res.json<{ error: { code: string } }>().error.code, 'invalid_token');
      assert.match(again.res.json<{ error: { message: string } }>().error.message, ASK_AGAIN);
      assert.equal((await codesTo(address)).length, mailed, 'no code is sent for a dead link');
      const fetched = await download(link, code);
      assert.equal(fetched.statusCode, 400, 'even the right code gets nothing');
      assert.notEqual(fetched.headers['content-type'], 'application/zip');
      assert.match(fetched.body, ASK_AGAIN);
      for (const [lang, words] of [
        ['en', /make a new request[^<]*|contact/i],
        ['sv', /gör en ny begäran|kontakta/i],
      ] as const) {
        const page = await app.request({
          method: 'POST',
          url: `/privacy-centre/results/${link}?lang=${lang}`,
          remoteAddress: nextIp(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'action=send-code',
        });
        assert.equal(page.statusCode, 410, page.body);
        assert.match(page.body, words);
        assert.match(page.body, /href="\/privacy-centre(\?lang=sv)?"/, 'with a link to make a new request');
      }
    };

    test('C9.6 finding 5: a leaked result link gives only a few codes, whatever network address asks; then it is dead and the requester is told how to ask again', async () => {
      const address = 'leaked.link@example.org';
      const { id, link } = await answeredLetter(address);
      const mailed = (await codesTo(address)).length;
      const codes: string[] = [];
      for (let i = 0; i < RESULT_LINK_CODES; i += 1) {
        const { res, code } = await askCode(link, address);
        assert.equal(res.statusCode, 202, res.body);
        codes.push(code!);
      }
      const past = await askCode(link, address);
      assert.equal(past.res.statusCode, 400, `code ${RESULT_LINK_CODES + 1} is refused: ${past.res.body}`);
      assert.match(past.res.body, ASK_AGAIN);
      assert.equal(
        (await codesTo(address)).length - mailed,
        RESULT_LINK_CODES,
        'only the capped number went out',
      );
      await assertDead(link, address, codes.at(-1)!);

      const closed = (await timeline(id)).filter((e) => e.kind === 'result_link_closed');
      assert.deepEqual(
        closed.map((e) => e.details['reason']),
        ['code_limit'],
        'the timeline says once why the link died',
      );
      assert.deepEqual(
        (await audited(id)).filter((a) => a.action === 'request.result_link_closed').map((a) => a.details),
        [{ reason: 'code_limit', codes: RESULT_LINK_CODES, wrongCodes: 0 }],
      );
    });

    test('C9.6 finding 5: wrong codes are capped per link across all its codes, not per code or per network address', async () => {
      const address = 'guessed.link@example.org';
      const { id, link } = await answeredLetter(address);
      let guesses = 0;
      let code = '';
      // Each code takes five wrong guesses before it locks; a fresh code would give five more.
      while (guesses < RESULT_LINK_GUESSES) {
        const asked = await askCode(link, address);
        assert.equal(asked.res.statusCode, 202, `a code after ${guesses} guesses: ${asked.res.body}`);
        code = asked.code!;
        for (let n = 0; n < 5 && guesses < RESULT_LINK_GUESSES; n += 1, guesses += 1) {
          const res = await download(link, wrongCode(code, n));
          assert.notEqual(res.statusCode, 200);
          assert.notEqual(res.headers['content-type'], 'application/zip');
        }
      }
      await assertDead(link, address, code);
      assert.deepEqual(
        (await timeline(id)).filter((e) => e.kind === 'result_link_closed').map((e) => e.details['reason']),
        ['guess_limit'],
      );
      assert.deepEqual(
        (await audited(id)).filter((a) => a.action === 'request.result_link_closed').map((a) => a.details),
        [{ reason: 'guess_limit', codes: 2, wrongCodes: RESULT_LINK_GUESSES }],
      );
    });

    test('C9.6 finding 6: a download cut off after its first chunk uses nothing up; the same code downloads the whole ZIP once, then the link is spent', async () => {
      // Enough data that the package cannot fit in the connection's buffers: the server is still
      // sending when the connection goes. Random text, so that it does not compress away.
      const address = 'cut.off@example.org';
      const ROWS = 700;
      for (let i = 0; i < ROWS; i += 1)
        await captureRecord(app.ctx, hostActor(), {
          declarationId: DECLARATION,
          subject: { identifiers: [{ kind: 'email', value: address }], jurisdiction: 'SE' },
          kind: 'enquiry',
          purposes: ['enquiries'],
          categories: ['user.content.communication'],
          source: 'website_forms',
          data: { n: i, message: randomBytes(4500).toString('base64') },
        });
      const { id, link } = await answeredLetter(address);
      const { code } = await askCode(link, address);
      assert.ok(code);

      await app.server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.server.address() as AddressInfo;
      const path = `/api/v1/privacy-centre/results/${link}/download`;
      const settled = (from: number) =>
        eventually('the server to record how the download ended', async () => {
          const events = (await timeline(id)).slice(from);
          return events.some((e) => ['download_interrupted', 'result_collected'].includes(e.kind))
            ? events
            : undefined;
        });

      const before = (await timeline(id)).length;
      const cut = await post(port, path, { code }, async () => {
        // While it hangs half-sent, the link is held: a second download must wait its turn.
        const busy = await download(link, code);
        assert.equal(busy.statusCode, 409, busy.body.slice(0, 300));
        assert.notEqual(busy.headers['content-type'], 'application/zip');
        assert.match(busy.json<{ error: { message: string } }>().error.message, /being collected already/);
      });
      assert.equal(cut.status, 200);
      assert.equal(cut.type, 'application/zip');
      const first = await settled(before);
      assert.deepEqual(
        first.map((e) => e.kind),
        ['download_started', 'download_interrupted'],
        'the timeline says the download broke off, not that the answer was collected',
      );
      const sent = first[1]!.details['bytes'];
      assert.ok(typeof sent === 'number' && sent > 0, `the bytes that went are recorded: ${String(sent)}`);

      const middle = (await timeline(id)).length;
      const whole = await post(port, path, { code });
      assert.equal(whole.status, 200, whole.body.subarray(0, 300).toString());
      assert.ok(whole.body.length > sent, 'the second download is the whole package');
      const reader = new ZipReader(new Uint8ArrayReader(new Uint8Array(whole.body)));
      const entries = await reader.getEntries();
      const names = entries.map((e) => e.filename);
      assert.ok(names.includes('information.json') && names.includes('schema.json'), names.join(' '));
      const records = entries.find((e) => e.filename === 'records/enquiry.json');
      assert.ok(records && !records.directory);
      const rows = (JSON.parse(await records.getData(new TextWriter())) as { rows: unknown[] }).rows;
      assert.equal(rows.length, ROWS, 'every record is in the package');
      await reader.close();
      const second = await settled(middle);
      assert.deepEqual(
        second.map((e) => e.kind),
        ['download_started', 'result_collected'],
      );
      assert.equal(second[1]!.details['bytes'], whole.body.length);

      const third = await post(port, path, { code });
      assert.equal(third.status, 400, 'the link is spent once the package arrived whole');
      assert.notEqual(third.type, 'application/zip');
      const fresh = await askCode(link, address);
      assert.equal(fresh.res.statusCode, 400, 'and no new code is sent for it');
      assert.deepEqual(
        (await audited(id))
          .filter((a) => a.action.startsWith('request.download') || a.action === 'request.result_collected')
          .map((a) => a.action),
        [
          'request.download_started',
          'request.download_interrupted',
          'request.download_started',
          'request.result_collected',
        ],
      );
    });

    test('C5m.1 finding 6: a transmission the receiver refused uses nothing up and the timeline says so; the same code sends once it accepts', async () => {
      const address = 'refused.transmission@example.org';
      const { id, link } = await answeredLetter(address, 'portability');
      const receiver = await startReceiver(503);
      try {
        const { code } = await askCode(link, address);
        const send = () =>
          app.request({
            method: 'POST',
            url: `/api/v1/privacy-centre/results/${link}/send`,
            remoteAddress: nextIp(),
            headers: { 'content-type': 'application/json' },
            payload: { code, endpoint: `http://127.0.0.1:${receiver.port}/in` },
          });
        const refused = await send();
        assert.equal(refused.statusCode, 502, refused.body);
        receiver.status = 202;
        const accepted = await send();
        assert.equal(accepted.statusCode, 200, `the same code still works: ${accepted.body}`);
        assert.equal((await send()).statusCode, 400, 'and the link is spent');
        assert.deepEqual(
          (await timeline(id))
            .filter((e) => e.kind.startsWith('transmission_') || e.kind.startsWith('result_'))
            .map((e) => [e.kind, e.details['reason']]),
          [
            ['transmission_started', undefined],
            ['transmission_failed', 'rejected'],
            ['transmission_started', undefined],
            ['result_transmitted', undefined],
          ],
        );
      } finally {
        await receiver.close();
      }
    });
  });
}
