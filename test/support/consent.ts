import assert from 'node:assert/strict';
import { confirmSubscription } from '../../src/consent/subscriptions.js';
import type { TestApp } from './app.js';
import { lastMessage } from './mail.js';

/**
 * Subscribes an address through the API and follows the link of the confirmation message in
 * the outbox, as the person would: the subscription ends up confirmed with consent recorded.
 */
export async function subscribeConfirmed(
  app: TestApp,
  headers: Record<string, string>,
  email: string,
  communication = 'sncn_newsletter',
  declarationId = 'sncn-general',
): Promise<void> {
  const res = await app.request({
    method: 'POST',
    url: '/api/v1/subscriptions',
    headers,
    payload: { declarationId, communication, email, channel: 'web_form', noticeHash: 'c'.repeat(64) },
  });
  assert.equal(res.statusCode, 201, res.body);
  const message = await lastMessage(app.ctx, { to: email, kind: 'confirmation' });
  const token = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(message?.text ?? '')?.[1];
  assert.ok(token, 'the confirmation message carries a link');
  assert.equal((await confirmSubscription(app.ctx, token, {})).ok, true);
}
