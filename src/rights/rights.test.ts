import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dialects, startTestApp } from '../../test/support/app.js';
import type { TestApp } from '../../test/support/app.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import { startReceiver } from '../../test/support/receiver.js';
import type { Clock } from '../context.js';
import { Worker } from '../jobs/queue.js';
import { jobDefinitions } from '../worker-jobs.js';
import { checkSuppression } from '../consent/suppression.js';
import { deadlineFrom } from './model.js';
import { REQUESTS_PER_CONTACT_PER_DAY } from './submit-request.js';
import { mailbox } from '../../test/support/mail.js';
import { untilLinkSpent } from '../../test/support/result-links.js';

const DECLARATION = 'sncn-general';

/** A clock the test moves by hand. */
function handClock(at: string): Clock & { set(iso: string): void } {
  let now = new Date(at).getTime();
  // Each reading moves a millisecond on, so "newest first" is well defined.
  return { now: () => new Date((now += 1)), set: (iso) => (now = new Date(iso).getTime()) };
}

test('C9.8 the deadline is one month on the calendar: 31 January gives the end of February', () => {
  assert.equal(
    deadlineFrom(new Date('2026-01-31T10:00:00Z'), 'P1M').toISOString(),
    '2026-02-28T10:00:00.000Z',
  );
  assert.equal(
    deadlineFrom(new Date('2028-01-31T10:00:00Z'), 'P1M').toISOString(),
    '2028-02-29T10:00:00.000Z',
  );
  assert.equal(
    deadlineFrom(new Date('2026-03-15T10:00:00Z'), 'P1M').toISOString(),
    '2026-04-15T10:00:00.000Z',
  );
});

for (const dialect of await dialects()) {
  describe(`rights requests on ${dialect}`, () => {
    let app: TestApp;
    let officer: Record<string, string>;
    const clock = handClock('2026-01-31T09:00:00.000Z');

    before(async () => {
      // Test receivers listen on this machine, which transmissions may reach only when allowed.
      app = await startTestApp(dialect, { clock, config: { transmitAllowedHosts: ['127.0.0.1'] } });
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    /** Newest first, as delivered. */
    const mailTo = async (address: string, kind: string) =>
      (await mailbox(app.ctx, { to: address, kind })).reverse();

    const codeFor = async (address: string) => {
      const [message] = await mailTo(address, 'rights_code');
      const code = /(?:Your code|Din kod): (\d{6})/.exec(message?.text ?? '')?.[1];
      assert.ok(code, `a code was mailed to ${address}`);
      return code;
    };

    const submit = (body: Record<string, unknown>) =>
      app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: { 'content-type': 'application/json' },
        payload: { declarationId: DECLARATION, language: 'en', ...body },
      });

    const enter = (id: string, token: string, code: string) =>
      app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/requests/${id}/code`,
        headers: { 'content-type': 'application/json' },
        payload: { token, code },
      });

    const page = async (id: string) => {
      const res = await app.request({ method: 'GET', url: `/api/v1/requests/${id}`, headers: officer });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{
        request: { status: string; channel: string; deadline: string; subjectId: string | null };
        tasks: { id: string; kind: string; status: string; target: string }[];
        timeline: { kind: string }[];
      }>();
    };

    /**
     * An access (or portability) request entered from a letter by someone we hold data about,
     * approved by an operator who checked the letter, fulfilled: the request's id and the result
     * link from the completion message.
     */
    const answeredLetter = async (
      address: string,
      type: 'access' | 'portability' = 'access',
    ): Promise<{ id: string; link: string }> => {
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
      assert.equal((await page(id)).request.status, 'completed');
      await runJobs();
      const [done] = await mailTo(address, 'rights_completed');
      const link = /\/privacy-centre\/results\/([A-Za-z0-9_-]+)/.exec(done?.text ?? '')?.[1];
      assert.ok(link, 'the completion message carries a result link');
      return { id, link };
    };

    /** From its own network address when given: the route allows only a few codes per address. */
    const askResultCode = (link: string, remoteAddress?: string) =>
      app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/results/${link}/code`,
        ...(remoteAddress === undefined ? {} : { remoteAddress }),
      });

    const downloadResult = (link: string, code: string) =>
      app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/results/${link}/download`,
        headers: { 'content-type': 'application/json' },
        payload: { code },
      });

    test('C13.1 a person asks through the privacy centre and gets a code at the address we hold', async () => {
      await subscribeConfirmed(app, officer, 'vera@example.org');
      const res = await submit({
        type: 'access',
        requester: { identifiers: [{ kind: 'email', value: ' vera@EXAMPLE.org' }] },
      });
      assert.equal(res.statusCode, 201, res.body);
      const receipt = res.json<{
        id: string;
        reference: string;
        next: string;
        accessToken: string;
        dueAt: string;
      }>();
      assert.match(receipt.reference, /^R-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
      assert.equal(receipt.next, 'enter_code');
      assert.equal(receipt.dueAt.slice(0, 10), '2026-02-28');
      await runJobs();
      const code = await codeFor('vera@example.org');
      const entered = await enter(receipt.id, receipt.accessToken, code);
      assert.equal(entered.statusCode, 200, entered.body);
      assert.deepEqual(
        entered.json(),
        { ok: true, next: 'wait' },
        'access asks for a second channel; with only one address on file, a person reviews instead',
      );
      const view = await page(receipt.id);
      assert.equal(view.request.channel, 'privacy_centre');
      assert.equal(view.request.status, 'awaiting_review');
    });

    test('C13.1 an operator enters a letter: the channel and the day it arrived are recorded', async () => {
      await subscribeConfirmed(app, officer, 'letter.writer@example.org');
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/requests',
        headers: officer,
        payload: {
          declarationId: DECLARATION,
          type: 'objection',
          channel: 'post',
          receivedAt: '2026-01-20T00:00:00.000Z',
          objection: { scope: 'direct_marketing' },
          requester: {
            name: 'Letter Writer',
            identifiers: [{ kind: 'email', value: 'letter.writer@example.org' }],
          },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const receipt = res.json<{ id: string }>();
      const view = await page(receipt.id);
      assert.equal(view.request.channel, 'post');
      assert.equal(view.request.deadline, '2026-02-20T00:00:00.000Z');
    });

    test('C9.6 a code goes only to contact details on file; an unknown requester gets the same answer and nothing is sent', async () => {
      const known = await submit({
        type: 'objection',
        objection: { scope: 'direct_marketing' },
        requester: {
          identifiers: [
            { kind: 'email', value: 'vera@example.org' },
            { kind: 'email', value: 'attacker@evil.example' },
          ],
        },
      });
      const unknown = await submit({
        type: 'objection',
        objection: { scope: 'direct_marketing' },
        requester: { identifiers: [{ kind: 'email', value: 'nobody@example.org' }] },
      });
      assert.equal(known.statusCode, 201);
      assert.equal(unknown.statusCode, 201);
      const shape = (r: { json<T>(): T }) => {
        const body = r.json<Record<string, unknown>>();
        return { keys: Object.keys(body).sort(), status: body.status, next: body.next };
      };
      assert.deepEqual(shape(known), shape(unknown));
      await runJobs();
      assert.equal(
        (await mailTo('attacker@evil.example', 'rights_code')).length,
        0,
        'never to a supplied address not on file',
      );
      assert.equal((await mailTo('nobody@example.org', 'rights_code')).length, 0);
      // The decoy challenge answers like a wrong code, then locks after five tries.
      const receipt = unknown.json<{ id: string; accessToken: string }>();
      for (let i = 0; i < 4; i += 1)
        assert.deepEqual((await enter(receipt.id, receipt.accessToken, '000000')).json(), {
          ok: false,
          reason: 'wrong_code',
        });
      assert.deepEqual((await enter(receipt.id, receipt.accessToken, '000000')).json(), {
        ok: false,
        reason: 'too_many_attempts',
      });
      // A forged token reaches nothing.
      const forged = await enter(receipt.id, 'x'.repeat(32), '123456');
      assert.equal(forged.statusCode, 400);
    });

    test('C9.6 five wrong codes lock the challenge even for the right person; a fresh code works', async () => {
      await subscribeConfirmed(app, officer, 'locked@example.org');
      const receipt = (
        await submit({
          type: 'objection',
          objection: { scope: 'direct_marketing' },
          requester: { identifiers: [{ kind: 'email', value: 'locked@example.org' }] },
        })
      ).json<{ id: string; accessToken: string }>();
      await runJobs();
      const code = await codeFor('locked@example.org');
      const wrong = code === '999999' ? '999998' : '999999';
      for (let i = 0; i < 5; i += 1) await enter(receipt.id, receipt.accessToken, wrong);
      assert.deepEqual((await enter(receipt.id, receipt.accessToken, code)).json(), {
        ok: false,
        reason: 'too_many_attempts',
      });
      const resend = await app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/requests/${receipt.id}/resend`,
        headers: { 'content-type': 'application/json' },
        payload: { token: receipt.accessToken },
      });
      assert.equal(resend.statusCode, 202);
      await runJobs();
      const fresh = await codeFor('locked@example.org');
      assert.deepEqual((await enter(receipt.id, receipt.accessToken, fresh)).json(), {
        ok: true,
        next: 'wait',
      });
    });

    test('C9.3 an objection to direct marketing needs no reasons and blocks every marketing message at once', async () => {
      await subscribeConfirmed(app, officer, 'objector@example.org');
      const receipt = (
        await submit({
          type: 'objection',
          objection: { scope: 'direct_marketing' },
          requester: { identifiers: [{ kind: 'email', value: 'objector@example.org' }] },
        })
      ).json<{ id: string; accessToken: string }>();
      await runJobs();
      assert.deepEqual(
        (await enter(receipt.id, receipt.accessToken, await codeFor('objector@example.org'))).json(),
        { ok: true, next: 'wait' },
      );
      await runJobs();
      const view = await page(receipt.id);
      assert.equal(view.request.status, 'completed');
      await runJobs();
      const [verdict] = await checkSuppression(app.ctx, {
        declarationId: DECLARATION,
        communication: 'sncn_newsletter',
        addresses: ['objector@example.org'],
      });
      assert.deepEqual(verdict, { allowed: false, reason: 'objected' });
      const [done] = await mailTo('objector@example.org', 'rights_completed');
      assert.match(done?.text ?? '', /no direct marketing/);
      assert.match(done?.text ?? '', /Integritetsskyddsmyndigheten|supervisory authority/);
    });

    test('C1.2 a request about a service run for a Provider is routed there and the requester is told who the Provider is', async () => {
      const res = await submit({
        type: 'erasure',
        serviceId: 'visilion',
        requester: { identifiers: [{ kind: 'email', value: 'user@customer.example' }] },
      });
      assert.equal(res.statusCode, 201, res.body);
      const receipt = res.json<{ id: string; next: string; status: string; provider: { text: string } }>();
      assert.equal(receipt.next, 'routed_to_provider');
      assert.equal(receipt.status, 'routed');
      assert.match(receipt.provider.text, /Visilion/);
      assert.match(receipt.provider.text, /controller/);
      const view = await page(receipt.id);
      assert.deepEqual(
        view.tasks.map((t) => [t.kind, t.target, t.status]),
        [['provider_route', 'visilion', 'pending']],
      );
    });

    test('C1.3 a request names its declaration: an unknown one or an undeclared service is refused and nothing is stored', async () => {
      const before = await app.ctx.store.db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const unknown = await submit({
        declarationId: 'no-such-policy',
        type: 'access',
        requester: { identifiers: [{ kind: 'email', value: 'a@example.org' }] },
      });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.json<{ error: { message: string } }>().error.message, /no-such-policy/);
      const service = await submit({
        type: 'access',
        serviceId: 'teleporter',
        requester: { identifiers: [{ kind: 'email', value: 'a@example.org' }] },
      });
      assert.equal(service.statusCode, 422, service.body);
      const afterCount = await app.ctx.store.db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
    });

    test('C9.8 an extension needs reasons, is told to the requester, and cannot come after the first deadline', async () => {
      await subscribeConfirmed(app, officer, 'patient@example.org');
      const receipt = (
        await submit({
          type: 'restriction',
          requester: { identifiers: [{ kind: 'email', value: 'patient@example.org' }] },
        })
      ).json<{ id: string; accessToken: string }>();
      await runJobs();
      await enter(receipt.id, receipt.accessToken, await codeFor('patient@example.org'));
      const extend = (by: string) =>
        app.request({
          method: 'POST',
          url: `/api/v1/requests/${receipt.id}/extend`,
          headers: officer,
          payload: { by, reasons: 'Many systems hold parts of the data.' },
        });
      assert.equal((await extend('P3M')).statusCode, 400, 'longer than the declaration allows');
      const ok = await extend('P2M');
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json<{ request: { deadline: string } }>().request.deadline.slice(0, 10), '2026-04-28');
      await runJobs();
      const [notice] = await mailTo('patient@example.org', 'rights_extension');
      assert.match(notice?.text ?? '', /Many systems hold parts of the data/);
      assert.equal((await extend('P1M')).statusCode, 409, 'only once');
    });

    test('C9.7 a refusal states its reasons and names the supervisory authority and the right to complain', async () => {
      await subscribeConfirmed(app, officer, 'refused@example.org');
      const receipt = (
        await submit({
          type: 'erasure',
          requester: { identifiers: [{ kind: 'email', value: 'refused@example.org' }] },
        })
      ).json<{ id: string; accessToken: string }>();
      await runJobs();
      await enter(receipt.id, receipt.accessToken, await codeFor('refused@example.org'));
      const res = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${receipt.id}/refuse`,
        headers: officer,
        payload: { ground: 'manifestly_unfounded', reasons: 'The same request was answered last week.' },
      });
      assert.equal(res.statusCode, 200, res.body);
      await runJobs();
      const [message] = await mailTo('refused@example.org', 'rights_refused');
      assert.match(message?.text ?? '', /answered last week/);
      assert.match(
        message?.text ?? '',
        /complaint with the supervisory authority, Integritetsskyddsmyndigheten/,
      );
    });

    test('C9.7 a refusal of a letter nobody verified by email becomes a task to answer by post, and no mail goes out', async () => {
      const entered = await app.request({
        method: 'POST',
        url: '/api/v1/requests',
        headers: officer,
        payload: {
          declarationId: DECLARATION,
          type: 'erasure',
          channel: 'post',
          receivedAt: clock.now().toISOString(),
          requester: {
            name: 'Paper Only',
            identifiers: [{ kind: 'email', value: 'paper.only@example.org' }],
          },
        },
      });
      assert.equal(entered.statusCode, 201, entered.body);
      const { id } = entered.json<{ id: string }>();
      const refused = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/refuse`,
        headers: officer,
        payload: {
          ground: 'manifestly_unfounded',
          reasons: 'The letter names no data and no dealings with us.',
        },
      });
      assert.equal(refused.statusCode, 200, refused.body);
      await runJobs();
      assert.equal(
        (await mailTo('paper.only@example.org', 'rights_refused')).length,
        0,
        'nothing to an unproven address',
      );
      const view = await page(id);
      const task = view.tasks.find((t) => t.kind === 'manual' && t.target === 'requester');
      assert.ok(task, 'a person is asked to answer by post');
      assert.equal(task.status, 'pending');
      assert.ok(view.timeline.some((e) => e.kind === 'manual_answer_needed'));
      const fee = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/fee`,
        headers: officer,
        payload: {
          ground: 'manifestly_excessive',
          amount: 10,
          currency: 'SEK',
          reasons: 'Too late for a fee.',
        },
      });
      assert.equal(fee.statusCode, 409, 'no fee on a closed request');
    });

    test('C9.8 reminders come before the deadline and the overdue view lists what is late', async () => {
      await subscribeConfirmed(app, officer, 'late@example.org');
      const receipt = (
        await submit({
          type: 'erasure',
          requester: { identifiers: [{ kind: 'email', value: 'late@example.org' }] },
        })
      ).json<{ id: string; accessToken: string }>();
      await runJobs();
      await enter(receipt.id, receipt.accessToken, await codeFor('late@example.org'));
      clock.set('2026-02-22T09:00:00.000Z');
      try {
        await runJobs();
        const { deadlineSweepJob } = await import('./workflow.js');
        const swept = (await deadlineSweepJob.handler(
          app.ctx,
          {},
          { id: 'x', attempt: 1, version: 1, owner: 'test' },
        )) as {
          reminded: number;
        };
        assert.ok(swept.reminded >= 1);
        officer = {
          cookie: (await app.signInAs('privacy_officer')).cookie,
          'content-type': 'application/json',
        };
        assert.ok((await page(receipt.id)).timeline.some((e) => e.kind.startsWith('reminder_P7D')));
        clock.set('2026-03-01T09:00:00.000Z');
        const overdue = await app.request({
          method: 'GET',
          url: '/api/v1/requests?overdue=true',
          headers: { cookie: (await app.signInAs('auditor')).cookie },
        });
        assert.ok(overdue.json<{ requests: { id: string }[] }>().requests.some((r) => r.id === receipt.id));
      } finally {
        clock.set('2026-01-31T09:00:00.000Z');
        officer = {
          cookie: (await app.signInAs('privacy_officer')).cookie,
          'content-type': 'application/json',
        };
      }
    });

    test('C9.1 the first copy is free: a fee can be marked only for a further copy, with reasons', async () => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/requests',
        headers: officer,
        payload: {
          declarationId: DECLARATION,
          type: 'access',
          channel: 'email',
          requester: { identifiers: [{ kind: 'email', value: 'vera@example.org' }] },
        },
      });
      const { id } = res.json<{ id: string }>();
      await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/approve`,
        headers: officer,
        payload: { note: 'Known customer, checked by phone' },
      });
      const fee = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/fee`,
        headers: officer,
        payload: {
          ground: 'further_copy',
          amount: 150,
          currency: 'SEK',
          reasons: 'A second copy within a month.',
        },
      });
      assert.equal(fee.statusCode, 409, fee.body);
      assert.match(fee.json<{ error: { message: string } }>().error.message, /first copy/);
    });

    test('C9.6 the answer is collected once, through an expiring link and a fresh code to the verified address', async () => {
      const { id, link } = await answeredLetter('collector@example.org');
      assert.equal((await askResultCode(link)).statusCode, 202);
      await runJobs();
      const fresh = await codeFor('collector@example.org');
      const download = (code: string) => downloadResult(link, code);
      const wrong = await download(fresh === '111111' ? '222222' : '111111');
      assert.equal(wrong.statusCode, 403, 'a wrong code gets nothing');
      const zip = await download(fresh);
      assert.equal(zip.statusCode, 200, zip.body.slice(0, 300));
      assert.equal(zip.headers['content-type'], 'application/zip');
      assert.equal(zip.rawPayload.subarray(0, 2).toString(), 'PK');
      await untilLinkSpent(app.ctx, link);
      const again = await download(fresh);
      assert.equal(again.statusCode, 400, 'the link works once');
      assert.equal(
        (await page(id)).timeline.filter((e) => e.kind === 'result_collected').length,
        1,
        'the timeline shows the answer was collected',
      );
    });

    test('a support agent cannot refuse on behalf of the public form, and the public cannot use operator channels', async () => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: { 'content-type': 'application/json' },
        payload: {
          declarationId: DECLARATION,
          type: 'access',
          channel: 'post',
          requester: { identifiers: [{ kind: 'email', value: 'x@example.org' }] },
        },
      });
      assert.equal(res.statusCode, 400);
    });

    test('C5.1 an erasure or restriction gives each recipient of the data a task, tracked until an operator closes it', async () => {
      const headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: DECLARATION,
          source: 'partner_account',
          kind: 'partner_account',
          purposes: ['b2b_service_provision'],
          categories: ['user.name', 'user.contact.email'],
          subject: { identifiers: [{ kind: 'email', value: 'art19@example.org' }], jurisdiction: 'SE' },
          data: { name: 'Art Nineteen' },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      const { subjectId } = captured.json<{ subjectId: string }>();

      const fulfilled = async (type: string) => {
        const opened = await app.request({
          method: 'POST',
          url: '/api/v1/requests',
          headers,
          payload: {
            declarationId: DECLARATION,
            type,
            channel: 'email',
            receivedAt: clock.now().toISOString(),
            requester: { identifiers: [{ kind: 'email', value: 'art19@example.org' }] },
          },
        });
        assert.equal(opened.statusCode, 201, opened.body);
        const { id } = opened.json<{ id: string }>();
        const approved = await app.request({
          method: 'POST',
          url: `/api/v1/requests/${id}/approve`,
          headers,
          payload: { note: 'Reply came from the address on file', subjectId },
        });
        assert.equal(approved.statusCode, 200, approved.body);
        await runJobs();
        return page(id);
      };
      const openNotices = async () => {
        const res = await app.request({
          method: 'GET',
          url: '/api/v1/request-tasks?kind=recipient_notice',
          headers,
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json<{ tasks: { id: string; requestId: string; target: string; status: string }[] }>()
          .tasks;
      };

      // Restriction first (the data stays), then erasure: both change what recipients hold.
      const expected = [
        'customer_service_providers',
        'fulfilment_delivery',
        'mail_and_email',
        'payment_processing',
        'sony_group',
      ];
      for (const type of ['restriction', 'erasure']) {
        const view = await fulfilled(type);
        assert.equal(view.request.status, 'completed', `${type} completes for the requester`);
        const notices = view.tasks.filter((t) => t.kind === 'recipient_notice');
        assert.deepEqual(
          notices.map((t) => t.target).sort(),
          expected,
          `one task per recipient after ${type}`,
        );
        assert.ok(notices.every((t) => t.status === 'pending'));
      }

      const owed = await openNotices();
      const erasureId = owed.at(-1)?.requestId ?? '';
      const forErasure = owed.filter((t) => t.requestId === erasureId);
      assert.equal(forErasure.length, expected.length, 'the open-task list shows what is still owed');
      for (const task of forErasure) {
        const closed = await app.request({
          method: 'POST',
          url: `/api/v1/requests/${erasureId}/tasks/${task.id}/close`,
          headers,
          payload: { note: `Erasure notice sent to ${task.target}` },
        });
        assert.equal(closed.statusCode, 204, closed.body);
      }
      assert.ok(!(await openNotices()).some((t) => t.requestId === erasureId), 'closed tasks leave the list');
      const after = await page(erasureId);
      assert.ok(after.tasks.filter((t) => t.kind === 'recipient_notice').every((t) => t.status === 'done'));
      assert.equal(after.timeline.filter((e) => e.kind === 'task_closed').length, expected.length);
      const audited = await app.ctx.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('target', '=', `request:${erasureId}`)
        .where('action', '=', 'request.task_closed')
        .execute();
      assert.equal(audited.length, expected.length);
    });

    test('C9.6 a lookalike address, a request to deliver elsewhere and an expired result link release nothing', async () => {
      await subscribeConfirmed(app, officer, 'ingrid@example.org');
      const ask = (value: string) =>
        submit({ type: 'access', requester: { identifiers: [{ kind: 'email', value }] } });
      const shape = (r: { json<T>(): T }) => {
        const body = r.json<Record<string, unknown>>();
        return { keys: Object.keys(body).sort(), status: body.status, next: body.next };
      };
      // A Cyrillic "а" in the domain, and a digit for a letter: other addresses, not hers.
      const genuine = await ask('ingrid@example.org');
      const lookalikes = [await ask('ingrid@ex\u0430mple.org'), await ask('ingrid@examp1e.org')];
      for (const res of lookalikes) {
        assert.equal(res.statusCode, 201, res.body);
        assert.deepEqual(shape(res), shape(genuine), 'a lookalike is answered like anyone else');
      }
      await runJobs();
      assert.equal((await mailTo('ingrid@ex\u0430mple.org', 'rights_code')).length, 0);
      assert.equal((await mailTo('ingrid@examp1e.org', 'rights_code')).length, 0);
      assert.equal(
        (await mailTo('ingrid@example.org', 'rights_code')).length,
        1,
        'only the genuine request sent a code, to the address on file',
      );

      // There is no way to name where the answer goes: a delivery address is refused.
      const requests = async () =>
        Number(
          (
            await app.ctx.store.db
              .selectFrom('requests')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const stored = await requests();
      for (const extra of [{ deliverTo: 'attacker@evil.example' }, { replyTo: 'attacker@evil.example' }]) {
        const res = await submit({
          type: 'access',
          requester: { identifiers: [{ kind: 'email', value: 'ingrid@example.org' }] },
          ...extra,
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.body, new RegExp(Object.keys(extra)[0]!));
      }
      assert.equal(await requests(), stored, 'nothing stored for a refused request');

      // A result link a week and a day old is dead: no code is sent and nothing downloads.
      const { link } = await answeredLetter('late.collector@example.org');
      const sent = (await mailTo('late.collector@example.org', 'rights_code')).length;
      const now = clock.now();
      clock.set(new Date(now.getTime() + 8 * 86_400_000).toISOString());
      try {
        const code = await askResultCode(link);
        assert.equal(code.statusCode, 400, code.body);
        assert.match(code.body, /used already, or it expired/);
        await runJobs();
        assert.equal((await mailTo('late.collector@example.org', 'rights_code')).length, sent);
        const download = await downloadResult(link, '123456');
        assert.equal(download.statusCode, 400, download.body);
        assert.notEqual(download.headers['content-type'], 'application/zip');
      } finally {
        clock.set(now.toISOString());
      }
    });

    test('C9.6 requests are limited per address a day, alike for people we know and do not, and per network address', async () => {
      await subscribeConfirmed(app, officer, 'frequent@example.org');
      let ip = 0;
      const from = (address: string, remoteAddress: string) =>
        app.request({
          method: 'POST',
          url: '/api/v1/privacy-centre/requests',
          remoteAddress,
          headers: { 'content-type': 'application/json' },
          payload: {
            declarationId: DECLARATION,
            language: 'en',
            type: 'objection',
            objection: { scope: 'direct_marketing' },
            requester: { identifiers: [{ kind: 'email', value: address }] },
          },
        });
      // Each from another network address, so that only the per-address limit applies.
      const statuses = async (address: string) => {
        const seen: number[] = [];
        for (let i = 0; i <= REQUESTS_PER_CONTACT_PER_DAY; i += 1)
          seen.push((await from(address, `198.51.100.${(ip += 1)}`)).statusCode);
        return seen;
      };
      const limited = [...Array<number>(REQUESTS_PER_CONTACT_PER_DAY).fill(201), 429];
      assert.deepEqual(await statuses('frequent@example.org'), limited, 'someone we hold data about');
      assert.deepEqual(await statuses('stranger@example.org'), limited, 'someone we do not');
      const last = await from(' frequent@EXAMPLE.org', '198.51.100.200');
      assert.equal(last.statusCode, 429, 'the same address, with its domain written otherwise');
      assert.match(
        last.json<{ error: { message: string } }>().error.message,
        /Too many requests for this contact today/,
      );
      assert.equal((await from('someone.else@example.org', '198.51.100.201')).statusCode, 201);

      // One network address may send only so many requests a minute, whatever the addresses.
      const burst: number[] = [];
      for (let i = 0; i < 25; i += 1)
        burst.push((await from(`burst.${i}@example.org`, '203.0.113.9')).statusCode);
      assert.ok(
        burst.slice(0, 20).every((status) => status === 201),
        burst.join(' '),
      );
      assert.deepEqual(burst.slice(20), [429, 429, 429, 429, 429]);
    });

    test('C5m.1 on the person’s instruction, portable data goes straight to another organisation, only where personal data may go', async () => {
      const { id, link } = await answeredLetter('mover@example.org', 'portability');
      const receiver = await startReceiver(503);
      try {
        const { port } = receiver;
        const freshCode = async () => {
          assert.equal((await askResultCode(link, '198.51.100.250')).statusCode, 202);
          await runJobs();
          return codeFor('mover@example.org');
        };
        const send = (payload: Record<string, unknown>) =>
          app.request({
            method: 'POST',
            url: `/api/v1/privacy-centre/results/${link}/send`,
            headers: { 'content-type': 'application/json' },
            payload,
          });
        let code = await freshCode();
        for (const endpoint of [
          'https://10.0.0.1/import',
          'https://169.254.169.254/latest/meta-data',
          'https://[::1]/import',
          'https://localhost/import',
          'http://receiver.example/import',
          'not a url',
        ]) {
          const refused = await send({ code, endpoint });
          assert.equal(refused.statusCode, 400, `${endpoint}: ${refused.body}`);
          assert.match(refused.json<{ error: { message: string } }>().error.message, /endpoint/i);
        }
        const wrong = await send({
          code: code === '000000' ? '000001' : '000000',
          endpoint: `http://127.0.0.1:${port}/in`,
        });
        assert.equal(wrong.statusCode, 403);
        assert.equal(receiver.received.length, 0, 'nothing was sent anywhere');

        // A receiver that refuses uses nothing up: a fresh code, and the next try goes through.
        const failed = await send({ code, endpoint: `http://127.0.0.1:${port}/in` });
        assert.equal(failed.statusCode, 502, failed.body);
        assert.deepEqual(failed.json(), {
          ok: false,
          host: `127.0.0.1:${port}`,
          status: 503,
          reason: 'rejected',
        });
        receiver.status = 202;
        code = await freshCode();
        const sent = await send({
          code,
          endpoint: `http://127.0.0.1:${port}/in`,
          authorization: 'Bearer from-them',
        });
        assert.equal(sent.statusCode, 200, sent.body);
        assert.deepEqual(sent.json(), { ok: true, host: `127.0.0.1:${port}`, status: 202 });
        const last = receiver.received.at(-1)!;
        assert.equal(last.headers.authorization, 'Bearer from-them');
        const document = JSON.parse(last.body) as {
          sections: Record<string, { rows: { communicationId?: string }[] }>;
        };
        assert.ok(
          document.sections['subscriptions']?.rows.some((r) => r.communicationId === 'sncn_newsletter'),
          'the portable data went',
        );
        const audit = await app.ctx.store.db
          .selectFrom('audit_log')
          .select(['action', 'actor', 'details'])
          .where('action', 'in', [
            'portability.transmitted',
            'portability.transmission_failed',
            'request.result_transmitted',
          ])
          .orderBy('seq')
          .execute();
        assert.deepEqual(
          audit.map((a) => [a.action, a.actor]),
          [
            ['portability.transmission_failed', 'requester'],
            ['portability.transmitted', 'requester'],
            ['request.result_transmitted', 'requester'],
          ],
        );
        assert.ok(
          audit.every((a) => !a.details.includes('mover@example.org')),
          'the audit holds no data',
        );
        const used = await downloadResult(link, code);
        assert.equal(used.statusCode, 400, 'the link is used up once the data went');
        assert.deepEqual(
          (await page(id)).timeline.filter((e) => e.kind.startsWith('result_')).map((e) => e.kind),
          ['result_transmitted'],
          'the timeline shows where the answer went, once',
        );
      } finally {
        await receiver.close();
      }
    });

    test('C5m.1 only portable data can be sent on: an access answer is for downloading', async () => {
      const { link } = await answeredLetter('copy.only@example.org');
      assert.equal((await askResultCode(link, '198.51.100.251')).statusCode, 202);
      await runJobs();
      const res = await app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/results/${link}/send`,
        headers: { 'content-type': 'application/json' },
        payload: {
          code: await codeFor('copy.only@example.org'),
          endpoint: 'https://receiver.example/import',
        },
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /download this answer instead/);
    });
  });
}
