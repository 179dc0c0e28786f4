/**
 * C10.1, the gaps between Steward's own store and its declared retention: what the store keeps
 * besides records must follow the same rules (messages of a communication count as the rule's
 * trigger says), and what it keeps only to work (finished jobs, processed batches) goes after a
 * housekeeping period. Through the API and the worker, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { defineJob, enqueue, Worker } from '../jobs/queue.js';
import { ensureScheduled } from '../jobs/schedule.js';
import { jobDefinitions, recurringJobs } from '../worker-jobs.js';
import type { TestApp } from '../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../test/support/app.js';
import { settableClock } from '../../test/support/clock.js';
import { runCli } from '../../test/support/cli.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import { retentionApi } from '../../test/support/retention.js';

const DAY = 24 * 60 * 60 * 1000;

interface DeclarationYaml {
  id: string;
  retention: { id: string; duration: string; trigger: string; event?: string }[];
  purposes: { id: string; dpv?: string; sources?: string[]; retention?: { default?: string } }[];
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

test('C10.1 lint warns when a declaration receives rights requests but keeps them under no rule, and the Nordkust example has its rule', async () => {
  const d = readDeclaration(smallShopDeclaration);
  const rights = d.purposes.find((p) => p.dpv === 'dpv:RightsFulfilment');
  assert.ok(rights, 'Nordkust declares a purpose that handles rights requests');
  const rule = d.retention.find((r) => r.id === rights.retention?.default);
  assert.deepEqual(
    [rule?.duration, rule?.trigger],
    ['P3Y', 'collected'],
    'kept three years, as the reference does',
  );
  const own = await runCli(['policy', 'lint', smallShopDeclaration]);
  assert.equal(own.code, 0, own.stdout + own.stderr);
  assert.ok(!own.stdout.includes('retention.rights_requests_unkept'), own.stdout);

  // The same declaration without that purpose: requests still arrive, nothing would sweep them.
  const dir = mkdtempSync(join(tmpdir(), 'steward-lint-'));
  try {
    const file = join(dir, 'declaration.yaml');
    writeFileSync(file, stringify({ ...d, purposes: d.purposes.filter((p) => p !== rights) }));
    const lint = await runCli(['policy', 'lint', file]);
    assert.equal(lint.code, 0, 'a warning, not an error');
    const line = lint.stdout.split('\n').find((l) => l.includes('retention.rights_requests_unkept'));
    assert.ok(line, lint.stdout);
    assert.match(line, /warning .*\[rights\.channels\]/);
    assert.match(lint.stdout, /fix: .*dpv: dpv:RightsFulfilment.*legal_obligation/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

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

  describe(`C10.1 housekeeping of what Steward keeps only to work, on ${dialect}`, () => {
    const clock = settableClock();
    let app: TestApp;
    let officer: Record<string, string>;
    let gate: () => void = () => undefined;

    // Jobs of the test's own: one that finishes, one that fails for good, one that waits on a gate.
    const succeeds = defineJob({
      type: 'test.succeeds',
      version: 1,
      payload: z.strictObject({}),
      handler: async () => ({ ok: true }),
    });
    const fails = defineJob({
      type: 'test.fails',
      version: 1,
      maxAttempts: 1,
      payload: z.strictObject({}),
      handler: () => Promise.reject(new Error('always fails')),
    });
    const blocks = defineJob({
      type: 'test.blocks',
      version: 1,
      leaseMs: 10 * 365 * 24 * 60 * 60 * 1000,
      payload: z.strictObject({}),
      handler: () => new Promise<void>((resolve) => (gate = resolve)),
    });

    /** Moves the clock and signs in anew there (a session lasts hours, not the weeks moved over). */
    const moveTo = async (at: Date) => {
      clock.set(at);
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    };

    before(async () => {
      app = await startTestApp(dialect, { clock, config: { housekeepingMs: 30 * DAY } });
    });
    after(() => app.close());

    const { post } = retentionApi(
      () => app,
      () => officer,
    );
    /** What a worker process does: schedule the recurring jobs of this period, then run what is due. */
    const workerPass = async () => {
      for (const r of recurringJobs) await ensureScheduled(app.ctx, r.definition, r.periodMs);
      await new Worker(app.ctx, jobDefinitions).drain();
    };
    const jobsById = async (ids: readonly string[]) =>
      new Map(
        (
          await app.ctx.store.db
            .selectFrom('jobs')
            .select(['id', 'status'])
            .where('id', 'in', [...ids])
            .execute()
        ).map((j) => [j.id, j.status]),
      );
    const statusesOf = async (ids: readonly string[]) => {
      const found = await jobsById(ids);
      return ids.map((id) => found.get(id));
    };
    const seqs = async (table: 'suppression_changes' | 'consent_changes') =>
      (await app.ctx.store.db.selectFrom(table).select('seq').orderBy('seq').execute()).map((r) =>
        Number(r.seq),
      );
    const batches = async () =>
      (await app.ctx.store.db.selectFrom('web_batches').select('id').execute()).map((b) => b.id);
    const allowed = async (email: string) => {
      const res = await post(
        '/api/v1/suppression/check?declarationId=sncn-general&communication=sncn_newsletter',
        { addresses: [email] },
        200,
      );
      return (res as { results: { allowed: boolean }[] }).results[0]?.allowed;
    };

    test('C10.1 finished jobs, processed website batches and old change-log rows go after the housekeeping period, not before; unfinished jobs and the newest change rows stay, and no suppression answer goes stale', async () => {
      const T = new Date('2030-01-10T00:00:00.000Z');
      await moveTo(T);
      // Work that finishes: a rights request's code (its job's payload names the request), two jobs of ours.
      await post(
        '/api/v1/requests',
        {
          declarationId: 'sncn-general',
          type: 'access',
          channel: 'email',
          language: 'en',
          requester: { identifiers: [{ kind: 'email', value: 'asker@example.org' }] },
        },
        201,
      );
      const done = await enqueue(app.ctx.store.db, clock, succeeds, {});
      const dead = await enqueue(app.ctx.store.db, clock, fails, {});
      const later = await enqueue(
        app.ctx.store.db,
        clock,
        succeeds,
        {},
        { runAt: new Date('2100-01-01T00:00:00.000Z') },
      );
      const running = await enqueue(app.ctx.store.db, clock, blocks, {});
      await new Worker(app.ctx, [...jobDefinitions, succeeds, fails]).drain();
      const blocker = new Worker(app.ctx, [blocks], { pollMs: 10 });
      blocker.start();
      try {
        for (let i = 0; i < 200 && (await jobsById([running])).get(running) !== 'running'; i += 1)
          await new Promise((r) => setTimeout(r, 10));
        const finished = (
          await app.ctx.store.db
            .selectFrom('jobs')
            .select('id')
            .where('status', 'in', ['done', 'dead'])
            .execute()
        ).map((j) => j.id);
        assert.deepEqual(await statusesOf([done, dead, later, running]), [
          'done',
          'dead',
          'pending',
          'running',
        ]);
        assert.ok(finished.length >= 3, 'the request’s code job finished too');

        // A website batch (an exempt page view needs no consent token).
        const sent = await app.request({
          method: 'POST',
          url: '/web/v1/events',
          remoteAddress: '203.0.113.9',
          headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': 'Mozilla/5.0 Chrome/131.0' },
          payload: JSON.stringify({
            id: 'batch-housekeeping',
            declarationId: 'sncn-general',
            page: 'https://www.example.com/',
            events: [{ type: 'page_view', at: T.getTime() }],
          }),
        });
        assert.equal(sent.statusCode, 202, sent.body);

        // Two subscribers; every process's index applies the changes so far, then one of them
        // unsubscribes (a change row no answer has read yet).
        await subscribeConfirmed(app, officer, 'stays@example.org');
        await subscribeConfirmed(app, officer, 'leaves@example.org');
        assert.equal(await allowed('leaves@example.org'), true);
        await post(
          '/api/v1/unsubscriptions',
          { declarationId: 'sncn-general', email: 'leaves@example.org', communication: 'sncn_newsletter' },
          200,
        );
        const oldChanges = await seqs('suppression_changes');
        assert.ok(oldChanges.length >= 3);

        // A minute before the period ends, everything is still there.
        await moveTo(new Date(T.getTime() + 30 * DAY - 60_000));
        await workerPass();
        const left = await jobsById(finished);
        assert.equal(left.size, finished.length, 'finished jobs are kept through the period');
        assert.deepEqual(await batches(), ['batch-housekeeping']);
        assert.deepEqual((await seqs('suppression_changes')).slice(0, oldChanges.length), oldChanges);

        // A change after the period began, then the period ends for everything of T.
        await moveTo(new Date(T.getTime() + 30 * DAY + 1000));
        await subscribeConfirmed(app, officer, 'newcomer@example.org');
        const newest = (await seqs('suppression_changes')).at(-1)!;
        await workerPass();
        assert.equal((await jobsById(finished)).size, 0, 'finished jobs are gone after the period');
        assert.deepEqual(
          await statusesOf([later, running]),
          ['pending', 'running'],
          'unfinished jobs are never touched',
        );
        assert.deepEqual(await batches(), [], 'the processed batch is gone');
        const changes = await seqs('suppression_changes');
        assert.ok(
          oldChanges.every((seq) => !changes.includes(seq)),
          'the change rows of T are gone',
        );
        assert.ok(changes.includes(newest), 'the newest change row stays');
        const consentRows = await seqs('consent_changes');
        assert.ok(
          consentRows.length <= 1,
          `at most the newest consent change row stays: ${consentRows.join(',')}`,
        );
        // The unsubscription whose change row went before any answer read it still holds.
        assert.equal(
          await allowed('leaves@example.org'),
          false,
          'the index rebuilt instead of missing a change',
        );
        assert.equal(await allowed('stays@example.org'), true);
      } finally {
        gate();
        await blocker.stop();
      }
    });
  });
}
