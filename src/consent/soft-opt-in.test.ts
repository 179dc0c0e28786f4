/**
 * Soft opt-in (issue 13): Nordkust's customer letter goes out on opt-out in Sweden only to people
 * who ordered at checkout (where they could say no) within two years, and to everyone else only
 * with consent. Checked through the public interfaces (the suppression check, sending, one-click
 * unsubscribe, objection, capture, lifecycle events) on SQLite and PostgreSQL. The declaration is
 * the shipped example with the delivery event added to the relationship, so both kinds of fact
 * (a capture and a lifecycle event) are proven.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, smallShopDeclaration, startTestApp } from '../../test/support/app.js';
import { mailbox } from '../../test/support/mail.js';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import { Worker } from '../jobs/queue.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { jobDefinitions } from '../worker-jobs.js';
import type { Verdict } from './suppression.js';

const SHOP = 'nordkust-kaffe';
const LETTER = 'customer_letter';

let now = new Date('2026-06-01T10:00:00.000Z');
const clock = { now: () => new Date(now) };

/** The shipped declaration, with a delivery (reported as a lifecycle event) counting too. */
function declarationWithDelivery(dir: string): string {
  cpSync(dirname(smallShopDeclaration), dir, { recursive: true });
  const file = join(dir, 'declaration.yaml');
  const text = readFileSync(file, 'utf8');
  const changed = text.replace('relationship: [capture:orders]', 'relationship: [capture:orders, delivered]');
  assert.notEqual(changed, text, 'the example declares the soft opt-in this test changes');
  writeFileSync(file, changed);
  return file;
}

for (const dialect of await dialects()) {
  describe(`soft opt-in on ${dialect}`, () => {
    let app: TestApp;
    let dir: string;
    let headers: Record<string, string>;
    /** The mailing system's key: it checks lists, whatever the time (a session would expire). */
    let mailer: Record<string, string>;
    let n = 0;
    const person = (name: string) => `${name}-${(n += 1)}-${randomUUID().slice(0, 6)}@example.se`;

    before(async () => {
      now = new Date('2026-06-01T10:00:00.000Z');
      dir = mkdtempSync(join(tmpdir(), 'steward-soft-opt-in-'));
      app = await startTestApp(dialect, { declarations: [declarationWithDelivery(dir)], clock });
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const { key } = await createApiKey(app.ctx, hostActor(), {
        name: 'mailer',
        scopes: ['suppression:check'],
      });
      mailer = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    });
    after(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const post = async (url: string, payload: object, expected: number, as = headers) => {
      const res = await app.request({ method: 'POST', url, headers: as, payload });
      assert.equal(res.statusCode, expected, `${url}: ${res.body}`);
      return res;
    };
    /** An order taken at `collectionPoint` (checkout unless null), at `collectedAt`. */
    const order = async (
      email: string,
      collectedAt: string,
      collectionPoint: string | null = 'checkout',
      jurisdiction = 'SE',
    ) =>
      (
        await post(
          '/api/v1/records',
          {
            declarationId: SHOP,
            subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction },
            kind: 'order',
            purposes: ['orders'],
            categories: ['user.contact.email', 'user.name'],
            source: 'checkout',
            ...(collectionPoint === null ? {} : { collectionPoint }),
            collectedAt,
            data: { order: randomUUID() },
          },
          201,
        )
      ).json<{ id: string; subjectId: string }>();
    /** A question to customer service: Steward knows the address, but no purchase. */
    const question = (email: string) =>
      post(
        '/api/v1/records',
        {
          declarationId: SHOP,
          subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' },
          kind: 'support_email',
          purposes: ['customer_service'],
          categories: ['user.contact.email', 'user.content.communication'],
          source: 'customer_email',
          collectedAt: now.toISOString(),
        },
        201,
      );
    const check = async (addresses: string[], jurisdiction = 'SE'): Promise<Verdict[]> => {
      const res = await post(
        `/api/v1/suppression/check?declarationId=${SHOP}&communication=${LETTER}&jurisdiction=${jurisdiction}`,
        { addresses },
        200,
        mailer,
      );
      return res.json<{ results: (Verdict & { address: string })[] }>().results.map(({ address, ...v }) => {
        assert.ok(addresses.includes(address));
        return v;
      });
    };
    /** A letter in English, or (`language` null) in no stated language: the declaration's first then. */
    const send = (to: string, language: string | null = 'en') =>
      app.request({
        method: 'POST',
        url: '/api/v1/messages',
        headers,
        payload: {
          declarationId: SHOP,
          communication: LETTER,
          to,
          subject: 'New roasts',
          text: 'Our autumn roast is here.',
          ...(language === null ? {} : { language }),
          containsMarketing: true,
        },
      });

    test('C4a.1 soft opt-in: a customer who ordered at checkout within two years gets the opt-out letter, with the order’s date; an older order, an order taken elsewhere, or none needs consent, each with its own reason', async () => {
      const recent = person('recent');
      const old = person('old');
      const elsewhere = person('phone');
      const never = person('never');
      const stranger = person('stranger');
      const abroad = person('abroad');
      await order(recent, '2026-03-10T12:00:00.000Z');
      await order(old, '2024-05-01T12:00:00.000Z');
      await order(elsewhere, '2026-04-01T12:00:00.000Z', null);
      await question(never);
      await order(abroad, '2026-03-10T12:00:00.000Z', 'checkout', 'DE');
      assert.deepEqual(await check([recent, old, elsewhere, never, stranger, abroad]), [
        { allowed: true, reason: 'soft_opt_in', relationshipAt: '2026-03-10T12:00:00.000Z' },
        { allowed: false, reason: 'relationship_expired', relationshipAt: '2024-05-01T12:00:00.000Z' },
        { allowed: false, reason: 'no_relationship' },
        { allowed: false, reason: 'no_relationship' },
        { allowed: false, reason: 'no_relationship' },
        // Germany is opt_in for this letter: a purchase does not replace consent there.
        { allowed: false, reason: 'no_consent' },
      ]);

      // The streamed check (for large lists) gives the same reasons.
      const streamed = await app.request({
        method: 'POST',
        url: `/api/v1/suppression/check?declarationId=${SHOP}&communication=${LETTER}&jurisdiction=SE`,
        headers: { ...mailer, 'content-type': 'text/plain' },
        payload: [recent, old, elsewhere, never, stranger, abroad].join('\n'),
      });
      assert.equal(streamed.statusCode, 200, streamed.body);
      assert.deepEqual(
        streamed.body
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as Verdict).reason),
        [
          'soft_opt_in',
          'relationship_expired',
          'no_relationship',
          'no_relationship',
          'no_relationship',
          'no_consent',
        ],
      );

      // Sending: the recent customer gets it, with the way to refuse in the message itself.
      const sent = await send(recent);
      assert.equal(sent.statusCode, 202, sent.body);
      const body = sent.json<{ outboxId: string; verdict: Verdict }>();
      assert.deepEqual(body.verdict, {
        allowed: true,
        reason: 'soft_opt_in',
        relationshipAt: '2026-03-10T12:00:00.000Z',
      });
      const mail = (await mailbox(app.ctx, { to: recent })).find((m) => m.id === body.outboxId);
      assert.equal(mail?.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
      assert.match(mail?.text ?? '', /Unsubscribe from this list: http/);
      // Without the message's language, the footer is in the declaration's first language.
      const swedish = await send(recent, null);
      assert.equal(swedish.statusCode, 202, swedish.body);
      const inSwedish = (await mailbox(app.ctx, { to: recent })).find(
        (m) => m.id === swedish.json<{ outboxId: string }>().outboxId,
      );
      assert.match(
        inSwedish?.text ?? '',
        /Avsluta prenumerationen på den här listan: http.*\nAlla dina val: http/s,
      );
      for (const [to, reason] of [
        [old, 'relationship_expired'],
        [never, 'no_relationship'],
      ] as const) {
        const refused = await send(to);
        assert.equal(refused.statusCode, 200, refused.body);
        assert.equal(refused.json<{ sent: boolean; verdict: Verdict }>().verdict.reason, reason);
        assert.equal((await mailbox(app.ctx, { to })).length, 0, `${to} got nothing`);
      }
    });

    test('C4a.1 a new order or a reported delivery renews the relationship at once, and two years later it has lapsed without any change', async () => {
      const lapsed = person('lapsed');
      const delivered = person('delivered');
      await order(lapsed, '2023-01-15T09:00:00.000Z');
      // Ordered by phone (no chance to refuse at checkout), then delivered: the delivery counts.
      const phoneOrder = await order(delivered, '2026-05-01T09:00:00.000Z', null);
      assert.deepEqual(
        (await check([lapsed, delivered])).map((v) => v.reason),
        ['relationship_expired', 'no_relationship'],
      );
      await order(lapsed, '2026-05-20T09:00:00.000Z');
      await post(
        '/api/v1/lifecycle-events',
        {
          declarationId: SHOP,
          event: 'delivered',
          record: { id: phoneOrder.id },
          occurredAt: '2026-05-03T15:00:00.000Z',
        },
        201,
      );
      assert.deepEqual(await check([lapsed, delivered]), [
        { allowed: true, reason: 'soft_opt_in', relationshipAt: '2026-05-20T09:00:00.000Z' },
        { allowed: true, reason: 'soft_opt_in', relationshipAt: '2026-05-03T15:00:00.000Z' },
      ]);
      const saved = now;
      try {
        now = new Date('2028-05-10T09:00:00.000Z');
        assert.deepEqual(await check([lapsed, delivered]), [
          { allowed: true, reason: 'soft_opt_in', relationshipAt: '2026-05-20T09:00:00.000Z' },
          { allowed: false, reason: 'relationship_expired', relationshipAt: '2026-05-03T15:00:00.000Z' },
        ]);
      } finally {
        now = saved;
      }
    });

    test('C4a.1 an order swept at the end of its retention no longer counts as a relationship', async () => {
      const swept = person('swept');
      const old = await order(swept, '2022-12-20T12:00:00.000Z');
      await question(swept); // kept, so the person stays known after the sweep
      await post(
        '/api/v1/lifecycle-events',
        {
          declarationId: SHOP,
          event: 'delivered',
          record: { id: old.id },
          occurredAt: '2023-01-02T12:00:00.000Z',
        },
        201,
      );
      assert.deepEqual(await check([swept]), [
        { allowed: false, reason: 'relationship_expired', relationshipAt: '2023-01-02T12:00:00.000Z' },
      ]);
      const run = await post('/api/v1/retention/orders/run', {}, 202);
      const ids = run.json<{ runs: { id: string; system: string }[] }>().runs.map((r) => r.id);
      assert.ok(ids.length > 0);
      await new Worker(app.ctx, jobDefinitions).drain();
      const left = await app.ctx.store.db
        .selectFrom('records')
        .select('id')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', old.id)
        .execute();
      assert.deepEqual(left, [], 'the order was swept');
      assert.deepEqual(await check([swept]), [{ allowed: false, reason: 'no_relationship' }]);
    });

    test('C4a.6 a customer who unsubscribes through the letter’s link, or objects to direct marketing, gets no more letters', async () => {
      const leaver = person('leaver');
      const objector = person('objector');
      await order(leaver, '2026-05-01T12:00:00.000Z');
      const { subjectId } = await order(objector, '2026-05-01T12:00:00.000Z');
      const sent = await send(leaver);
      assert.equal(sent.statusCode, 202, sent.body);
      const mail = (await mailbox(app.ctx, { to: leaver })).find(
        (m) => m.id === sent.json<{ outboxId: string }>().outboxId,
      );
      const link = /<https?:\/\/[^/]+(\/u\/[^>]+)>/.exec(mail?.headers['List-Unsubscribe'] ?? '')?.[1];
      assert.ok(link, 'the letter carries a one-click unsubscribe link');
      const unsubscribed = await app.request({
        method: 'POST',
        url: link,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(unsubscribed.statusCode, 200, unsubscribed.body);
      await post(`/api/v1/subjects/${subjectId}/marketing-objection`, { channel: 'phone' }, 204);
      assert.deepEqual(await check([leaver, objector]), [
        { allowed: false, reason: 'unsubscribed' },
        { allowed: false, reason: 'objected' },
      ]);
      // A later order does not undo either choice.
      await order(leaver, '2026-05-30T12:00:00.000Z');
      await order(objector, '2026-05-30T12:00:00.000Z');
      assert.deepEqual(
        (await check([leaver, objector])).map((v) => v.reason),
        ['unsubscribed', 'objected'],
      );
      const refused = await send(leaver);
      assert.equal(refused.json<{ sent: boolean }>().sent, false);
    });

    test('C4a.1 consent still allows the letter to someone who never bought, and outlasts a lapsed relationship', async () => {
      const reader = person('reader');
      const former = person('former');
      await question(reader);
      await order(former, '2023-02-01T12:00:00.000Z');
      for (const email of [reader, former])
        await post(
          '/api/v1/subscriptions',
          {
            declarationId: SHOP,
            communication: LETTER,
            email,
            channel: 'web_form',
            noticeHash: 'c'.repeat(64),
          },
          201,
        );
      assert.deepEqual(await check([reader, former]), [
        { allowed: true, reason: 'consent' },
        { allowed: true, reason: 'consent' },
      ]);
      const sent = await send(reader);
      assert.equal(sent.statusCode, 202, sent.body);
      assert.deepEqual(sent.json<{ verdict: Verdict }>().verdict, { allowed: true, reason: 'consent' });
    });
  });
}
