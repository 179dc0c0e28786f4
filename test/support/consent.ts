import assert from 'node:assert/strict';
import { confirmSubscription } from '../../src/consent/subscriptions.js';
import type { TestApp } from './app.js';

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
  const message = await app.ctx.store.db
    .selectFrom('outbox')
    .select('text_body')
    .where('to_address', '=', email)
    .where('kind', '=', 'confirmation')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const token = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(message.text_body)?.[1];
  assert.ok(token, 'the confirmation message carries a link');
  assert.equal((await confirmSubscription(app.ctx, token, {})).ok, true);
}
