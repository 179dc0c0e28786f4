/**
 * Finding 1 of the attack on Steward: the outbox handed out secrets. An operator who could read
 * it opened an access request for anyone, read the code and the result link from the outbox and
 * downloaded the person's package. Every bearer secret must stay out of what operators can read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bootstrapAdministrator } from '../../src/app.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { dialects, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { subscribeConfirmed } from '../support/consent.js';
import { lastMessage, mailbox } from '../support/mail.js';
import type { TestSmtp } from '../support/smtp.js';
import { startSmtp } from '../support/smtp.js';

const DECLARATION = 'sncn-general';
const json = { 'content-type': 'application/json' };

/** Every column of the outbox an operator could ever be shown, as one string. */
async function storedOutbox(app: TestApp): Promise<string> {
  const rows = await app.ctx.store.db
    .selectFrom('outbox')
    .select(['subject', 'text_body', 'html_body', 'headers'])
    .execute();
  return JSON.stringify(rows);
}

async function signInFirstAdministrator(app: TestApp): Promise<Record<string, string>> {
  const first = await bootstrapAdministrator(app.ctx);
  assert.ok(first, 'a fresh installation creates its first administrator');
  const res = await app.request({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: '198.51.100.7',
    payload: { email: first.email, password: first.password },
  });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  return { cookie, ...json };
}

for (const dialect of await dialects()) {
  describe(`finding 1: the outbox keeps no secrets, on ${dialect}`, () => {
    let app: TestApp;
    let admin: Record<string, string>;
    let officer: Record<string, string>;
    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    before(async () => {
      app = await startTestApp(dialect);
      admin = await signInFirstAdministrator(app);
      officer = { cookie: (await app.signInAs('privacy_officer')).cookie, ...json };
      await subscribeConfirmed(app, officer, 'victim@example.org');
    });
    after(() => app.close());

    const openRequestFor = async (address: string) => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: json,
        payload: {
          declarationId: DECLARATION,
          type: 'access',
          requester: { identifiers: [{ kind: 'email', value: address }] },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      await runJobs();
      return res.json<{ id: string; accessToken: string }>();
    };

    test('C9.6 roles that send marketing or handle requests, and administrators other than the first, cannot read the outbox at all', async () => {
      for (const role of ['marketing_operator', 'support_agent', 'auditor', 'administrator'] as const) {
        const { cookie } = await app.signInAs(role);
        const res = await app.request({ method: 'GET', url: '/api/v1/outbox', headers: { cookie } });
        assert.equal(res.statusCode, 403, `${role}: ${res.body}`);
        assert.ok(!res.body.includes('victim@example.org'));
      }
    });

    test('C9.6 the code, the access token and the confirmation link never reach an operator through the outbox', async () => {
      const receipt = await openRequestFor('victim@example.org');
      const delivered = await lastMessage(app.ctx, { to: 'victim@example.org', kind: 'rights_code' });
      const code = /Your code: (\d{6})/.exec(delivered?.text ?? '')?.[1];
      assert.ok(code, 'the person received a code');
      const confirmToken = /\/confirm\/(\S+)/.exec(
        (await lastMessage(app.ctx, { to: 'victim@example.org', kind: 'confirmation' }))?.text ?? '',
      )?.[1];
      assert.ok(confirmToken);

      const listed = await app.request({ method: 'GET', url: '/api/v1/outbox', headers: officer });
      assert.equal(listed.statusCode, 200, listed.body);
      for (const secret of [code, receipt.accessToken, confirmToken]) {
        assert.ok(!listed.body.includes(secret), 'the listing holds no secret');
        assert.ok(!(await storedOutbox(app)).includes(secret), 'no stored column holds it either');
      }
      const codeMessage = listed
        .json<{ messages: { kind: string; text: string; revealable: boolean }[] }>()
        .messages.find((m) => m.kind === 'rights_code');
      assert.match(codeMessage?.text ?? '', /Your code: \[removed\]/, 'what was sent stays legible');
      assert.equal(codeMessage?.revealable, true);

      // Nor does the code work for someone who only saw the listing's text.
      const guessed = await app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/requests/${receipt.id}/code`,
        headers: json,
        payload: { token: receipt.accessToken, code: '[removed]' },
      });
      assert.equal(guessed.statusCode, 400);
    });

    test('C7.2 every read of the outbox is written to the audit ledger', async () => {
      const reads = async () =>
        (
          await app.ctx.store.db
            .selectFrom('audit_log')
            .select('seq')
            .where('action', '=', 'outbox.read')
            .execute()
        ).length;
      const before = await reads();
      await app.request({ method: 'GET', url: '/api/v1/outbox', headers: officer });
      await app.request({ method: 'GET', url: '/api/v1/outbox?to=victim@example.org', headers: officer });
      assert.equal(await reads(), before + 2);
    });

    test('C9.6 only the first administrator can read a whole development-outbox message, and each reading is audited', async () => {
      const [message] = await mailbox(app.ctx, { to: 'victim@example.org', kind: 'rights_code' });
      assert.ok(message);
      const url = `/api/v1/outbox/${message.id}/message`;
      assert.equal((await app.request({ method: 'GET', url, headers: officer })).statusCode, 403);
      const second = await app.signInAs('administrator');
      assert.equal(
        (await app.request({ method: 'GET', url, headers: { cookie: second.cookie } })).statusCode,
        403,
      );

      const revealed = await app.request({ method: 'GET', url, headers: admin });
      assert.equal(revealed.statusCode, 200, revealed.body);
      assert.equal(revealed.json<{ message: { text: string } }>().message.text, message.text);
      assert.equal(revealed.headers['cache-control'], 'no-store');
      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['actor', 'target'])
        .where('action', '=', 'outbox.revealed')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.target),
        [`outbox:${message.id}`],
      );
    });

    test('C7.3 the personal permission cannot be put into an API key, not even by its holder', async () => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: admin,
        payload: { name: 'mail reader', scopes: ['outbox:reveal'] },
      });
      assert.equal(res.statusCode, 403, res.body);
      assert.match(res.body, /personal permission/);
    });
  });
}

describe('finding 1: once SMTP accepted a message, only what delivery and proof need is kept', () => {
  let smtp: TestSmtp;
  let app: TestApp;
  let received: string[];

  before(async () => {
    smtp = await startSmtp();
    received = smtp.received;
    app = await startTestApp('sqlite', { config: { smtpUrl: smtp.url } });
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  test('C9.6 a delivered confirmation leaves no body, no sealed copy and no token behind', async () => {
    const officer = { cookie: (await app.signInAs('privacy_officer')).cookie, ...json };
    const res = await app.request({
      method: 'POST',
      url: '/api/v1/subscriptions',
      headers: officer,
      payload: {
        declarationId: DECLARATION,
        communication: 'sncn_newsletter',
        email: 'delivered@example.com',
        channel: 'web_form',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const token = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(received[0]?.replace(/=\r\n/g, '') ?? '')?.[1];
    assert.ok(token, 'the person received the link');
    const row = await app.ctx.store.db
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', 'delivered@example.com')
      .executeTakeFirstOrThrow();
    assert.equal(row.transport, 'smtp');
    assert.notEqual(row.sent_at, null);
    assert.equal(row.text_body, '');
    assert.equal(row.html_body, null);
    assert.equal(row.sealed_message, null);
    assert.match(row.body_digest ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(row).includes(token));
  });
});
