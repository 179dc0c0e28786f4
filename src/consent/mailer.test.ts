import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { startTestApp } from '../../test/support/app.js';
import { confirmSubscription } from './subscriptions.js';
import type { TestSmtp } from '../../test/support/smtp.js';
import { startSmtp } from '../../test/support/smtp.js';

describe('mail over SMTP', () => {
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

  test('C4a.6 with an SMTP server configured, marketing mail goes out through it with both unsubscribe headers', async () => {
    const headers = {
      cookie: (await app.signInAs('privacy_officer')).cookie,
      'content-type': 'application/json',
    };
    const sub = await app.request({
      method: 'POST',
      url: '/api/v1/subscriptions',
      headers,
      payload: {
        declarationId: 'sncn-general',
        communication: 'sncn_newsletter',
        email: 'smtp-reader@example.com',
        channel: 'web_form',
      },
    });
    assert.equal(sub.statusCode, 201);
    assert.equal(received.length, 1, 'the confirmation went through SMTP');
    const token = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(received[0]?.replace(/=\r\n/g, '') ?? '')?.[1];
    assert.ok(token);
    assert.equal((await confirmSubscription(app.ctx, token, {})).ok, true);
    const sent = await app.request({
      method: 'POST',
      url: '/api/v1/messages',
      headers,
      payload: {
        declarationId: 'sncn-general',
        communication: 'sncn_newsletter',
        to: 'smtp-reader@example.com',
        subject: 'November news',
        text: 'Hello',
      },
    });
    assert.equal(sent.statusCode, 202, sent.body);
    const message = received[1]?.replace(/\r\n\s+/g, ' ') ?? '';
    assert.match(
      message,
      /^List-Unsubscribe: <http:\/\/localhost:8080\/u\/[^>]+>, <mailto:unsubscribe@example\.test\?subject=unsubscribe%20[^>]+>$/m,
    );
    assert.match(message, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    assert.match(
      message,
      /^From: "Sony Network Communications Nordics, filial till Sony Network Communications Europe B\.V\." <no-reply@example\.test>$/m,
    );
    const row = await app.ctx.store.db
      .selectFrom('outbox')
      .select(['transport', 'sent_at'])
      .where('id', '=', sent.json<{ outboxId: string }>().outboxId)
      .executeTakeFirstOrThrow();
    assert.equal(row.transport, 'smtp');
    assert.ok(row.sent_at !== null);
  });
});
