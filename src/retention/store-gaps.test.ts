/**
 * C10.1, the gaps between Steward's own store and its declared retention: what the store keeps
 * besides records must follow the same rules (messages of a communication count as the rule's
 * trigger says), and what it keeps only to work (finished jobs, processed batches) goes after a
 * housekeeping period. Through the API and the worker, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { TestApp } from '../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../test/support/app.js';
import { settableClock } from '../../test/support/clock.js';
import { retentionApi } from '../../test/support/retention.js';

const DAY = 24 * 60 * 60 * 1000;

interface DeclarationYaml {
  id: string;
  retention: { id: string; duration: string; trigger: string; event?: string }[];
  purposes: { id: string; sources?: string[]; retention?: { default?: string } }[];
  communications: { id: string; kind: string; purpose: string }[];
  lifecycleEvents?: { id: string; about: 'subject' | 'record' }[];
}

const readDeclaration = (file: string) => parse(readFileSync(file, 'utf8')) as DeclarationYaml;

/** `at` plus a period of whole years (the rules these tests use). */
function plusYears(at: Date, duration: string): Date {
  const years = /^P(\d+)Y$/.exec(duration)?.[1];
  assert.ok(years, `this test reads periods of whole years, not ${duration}`);
  const moved = new Date(at);
  moved.setUTCFullYear(moved.getUTCFullYear() + Number(years));
  return moved;
}

for (const dialect of await dialects()) {
  describe(`C10.1 Steward's store on ${dialect}`, () => {
    const clock = settableClock();
    let app: TestApp;
    let officer: Record<string, string>;

    before(async () => {
      app = await startTestApp(dialect, {
        clock,
        declarations: [referenceDeclaration, smallShopDeclaration],
      });
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const { post, runRule } = retentionApi(
      () => app,
      () => officer,
    );

    const messagesTo = async (email: string) =>
      (await app.ctx.store.db.selectFrom('outbox').select('id').where('to_address', '=', email).execute())
        .length;

    // Each transactional communication whose purpose's rule waits for an event: the reference's
    // order confirmations under the contract's end (about the person), Nordkust's under delivery
    // (about the order's record).
    const cases = [referenceDeclaration, smallShopDeclaration].flatMap((file) => {
      const d = readDeclaration(file);
      return d.communications
        .filter((c) => c.kind === 'transactional' && c.id.startsWith('order_confirmation'))
        .map((communication) => {
          const purpose = d.purposes.find((p) => p.id === communication.purpose)!;
          const rule = d.retention.find((r) => r.id === purpose.retention?.default)!;
          return { d, communication, purpose, rule };
        });
    });

    test('C10.1 there are order confirmations under a rule that waits for an event in both declarations', () => {
      assert.deepEqual(
        cases.map((c) => [c.d.id, c.rule.trigger]).sort(),
        [
          ['nordkust-kaffe', 'event'],
          ['sncn-general', 'contract_end'],
        ].sort(),
      );
    });

    for (const { d, communication, purpose, rule } of cases)
      test(`C10.1 ${d.id}: an ${communication.id} message under ${rule.id} (${rule.trigger}) is kept while its clock waits and goes one period after the reported event, not a period after sending`, async () => {
        const T0 = new Date('2019-03-15T10:00:00.000Z');
        clock.set(T0);
        const email = `${d.id}-buyer@customer.example`;
        const record = (await post(
          '/api/v1/records',
          {
            declarationId: d.id,
            subject: { identifiers: [{ kind: 'email', value: email }] },
            kind: 'order',
            purposes: [purpose.id],
            categories: ['user.contact.email'],
            source: purpose.sources?.[0],
            data: { order: 'A-1', email },
          },
          201,
        )) as { id: string; subjectId: string };
        const sent = await post(
          '/api/v1/messages',
          {
            declarationId: d.id,
            communication: communication.id,
            to: email,
            subject: 'Your order A-1',
            text: 'Thank you for your order.',
          },
          202,
        );
        assert.equal(sent['sent'], true);
        assert.equal(await messagesTo(email), 1);

        // A period and a month after sending, the clock has not started: the message stays.
        clock.set(new Date(plusYears(T0, rule.duration).getTime() + 30 * DAY));
        const waiting = await runRule(d.id, rule.id);
        assert.equal(waiting.collections['outbox']?.deleted ?? 0, 0);
        assert.equal(await messagesTo(email), 1, 'kept while the contract runs / the order is on its way');

        const ended = new Date(plusYears(T0, rule.duration).getTime() + 60 * DAY);
        clock.set(ended);
        const event = rule.trigger === 'event' ? rule.event! : rule.trigger;
        const about = d.lifecycleEvents?.find((e) => e.id === event)?.about ?? 'subject';
        await post(
          '/api/v1/lifecycle-events',
          {
            declarationId: d.id,
            event,
            ...(about === 'record' ? { record: { id: record.id } } : { subject: { id: record.subjectId } }),
            occurredAt: ended.toISOString(),
          },
          201,
        );
        const deadline = plusYears(ended, rule.duration);
        clock.set(new Date(deadline.getTime() - 60_000));
        await runRule(d.id, rule.id);
        assert.equal(await messagesTo(email), 1, `kept until ${deadline.toISOString()}`);
        clock.set(new Date(deadline.getTime() + 1000));
        const swept = await runRule(d.id, rule.id);
        assert.equal(swept.collections['outbox']?.deleted, 1, JSON.stringify(swept.collections));
        assert.equal(await messagesTo(email), 0, 'gone one period after the event');
      });
  });
}
