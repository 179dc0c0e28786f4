/**
 * Retention sweeps of Steward's own store through the HTTP API, on SQLite and PostgreSQL: the plan
 * (a dry run that changes nothing), runs carried out by the worker's jobs, each target with the
 * actions it supports, legal holds placed before and during a sweep, receipts in the audit
 * ledger, the status and the metric.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { unseal } from '../capture/sealed.js';
import { Worker } from '../jobs/queue.js';
import { jobDefinitions } from '../worker-jobs.js';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { daysAgo, settableClock } from '../../test/support/clock.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import { expiresAt } from './clocks.js';
import { sweepRun } from './run-sweep.js';
import { ANONYMOUS_SUBJECT } from './steward/records.js';
import { linkWebVisitor } from '../web/link-visitor.js';

const D = 'sncn-general';

interface RunBody {
  id: string;
  status: string;
  deleted: number;
  anonymised: number;
  held: number;
  holds: Record<string, number>;
  collections: Record<string, { deleted: number; anonymised: number; held: number }>;
  receiptSeq: number | null;
  batches: number;
}

interface PlanBody {
  at: string;
  sweeps: {
    ruleId: string;
    system: string;
    rows: number;
    held: number;
    oldest: { clock: string; deadline: string } | null;
    collections: {
      collection: string;
      delete: number;
      anonymise: number;
      held: number;
      holds: Record<string, number>;
    }[];
  }[];
}

for (const dialect of await dialects()) {
  describe(`retention sweeps of Steward's store on ${dialect}`, () => {
    const clock = settableClock();
    let app: TestApp;
    let officer: Record<string, string>;
    let n = 0;

    before(async () => {
      // Batches of 3, and a pause after each in which a hold placed during one can commit.
      app = await startTestApp(dialect, { clock, config: { retentionBatchSize: 3, retentionPauseMs: 40 } });
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const call = async (method: 'GET' | 'POST', url: string, payload?: object, headers = officer) =>
      app.request({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

    /** Captures a record collected `days` ago; returns its id and subject. */
    async function capture(
      days: number,
      record: { purposes: string[]; categories: string[]; source: string; kind: string; data?: object },
      email = `person-${(n += 1)}@example.org`,
    ): Promise<{ id: string; subjectId: string; expiresAt: string | null }> {
      const res = await call('POST', '/api/v1/records', {
        declarationId: D,
        subject: { identifiers: [{ kind: 'email', value: email }] },
        collectedAt: daysAgo(days).toISOString(),
        data: {},
        ...record,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string; subjectId: string; expiresAt: string | null }>();
    }

    const support = (data: object = { name: 'Kim Berg', message: 'The headset clicks' }) => ({
      purposes: ['staff_training_qa'],
      categories: ['user.name', 'user.content.communication'],
      source: 'customer_support',
      kind: 'support_interaction',
      data,
    });

    const recordIds = async () =>
      new Set(
        (await app.ctx.store.db.selectFrom('records').select('id').where('tenant', '=', '').execute()).map(
          (r) => r.id,
        ),
      );

    async function placeHold(subjectId: string, body: object = {}): Promise<string> {
      const res = await call('POST', `/api/v1/subjects/${subjectId}/holds`, {
        reason: 'Dispute with the customer about a refund',
        ...body,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ hold: { id: string } }>().hold.id;
    }

    /** Asks for a run of the rule over Steward's store; returns its id. */
    async function requestRun(rule: string): Promise<string> {
      const res = await call('POST', `/api/v1/retention/${rule}/run`, {});
      assert.equal(res.statusCode, 202, res.body);
      const [run] = res.json<{ runs: RunBody[] }>().runs;
      assert.ok(run);
      return run.id;
    }

    /** Runs a rule the way operators do: asked for over the API, carried out by the worker. */
    async function runRule(rule: string): Promise<RunBody> {
      const id = await requestRun(rule);
      await new Worker(app.ctx, jobDefinitions).drain();
      const res = await call('GET', `/api/v1/retention/runs/${id}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ run: RunBody }>().run;
    }

    const receiptOf = async (run: RunBody) => {
      const res = await call('GET', '/api/v1/audit/entries?action=retention.swept&limit=500');
      const entry = res
        .json<{ entries: { seq: number; details: Record<string, unknown> }[] }>()
        .entries.find((e) => e.details['run'] === run.id);
      assert.ok(entry, `the run ${run.id} has a receipt`);
      assert.equal(entry.seq, run.receiptSeq);
      return entry.details;
    };

    /** Every table the sweeps touch, counted, and the ledger's head: what a dry run must leave. */
    async function snapshot() {
      const db = app.ctx.store.db;
      const count = async (table: 'records' | 'consent_events' | 'subscriptions' | 'web_events' | 'outbox') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .$if(table === 'records', (q) => q.where('tenant' as never, '=', '' as never))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        records: await count('records'),
        consentEvents: await count('consent_events'),
        subscriptions: await count('subscriptions'),
        webEvents: await count('web_events'),
        outbox: await count('outbox'),
        runs: (await db.selectFrom('retention_runs').select('id').execute()).length,
        audit: await db.selectFrom('audit_head').selectAll().executeTakeFirst(),
      };
    }

    test('C10.1 the plan shows per rule and system what would be anonymised and the oldest, changing nothing; the run then anonymises exactly that', async () => {
      const survey = (data: object) => ({
        purposes: ['surveys'],
        categories: ['user.name', 'user.contact.email', 'user.content.survey'],
        source: 'surveys',
        kind: 'survey_answer',
        data,
      });
      const old = [];
      for (let i = 0; i < 5; i++)
        old.push(
          await capture(
            400 + i,
            survey({ name: 'Ana Lind', email: 'ana@example.org', rating: i, q1: 'yes' }),
          ),
        );
      const recent = await capture(100, survey({ name: 'Bo Ek', rating: 9 }));
      const oldest = old[4]!;

      const before = await snapshot();
      const planned = await call('GET', '/api/v1/retention/plan?rule=survey_answers');
      assert.equal(planned.statusCode, 200, planned.body);
      const [sweep] = planned.json<PlanBody>().sweeps;
      assert.equal(sweep?.ruleId, 'survey_answers');
      assert.equal(sweep.system, 'steward');
      const records = sweep.collections.find((c) => c.collection === 'records');
      assert.deepEqual(
        { anonymise: records?.anonymise, delete: records?.delete, held: records?.held },
        {
          anonymise: 5,
          delete: 0,
          held: 0,
        },
      );
      assert.equal(sweep.oldest?.deadline, oldest.expiresAt, 'the oldest is the first to have expired');
      const collected = await app.ctx.store.db
        .selectFrom('records')
        .select('collected_at')
        .where('tenant', '=', '')
        .where('id', '=', oldest.id)
        .executeTakeFirstOrThrow();
      assert.equal(sweep.oldest?.clock, collected.collected_at);
      assert.deepEqual(await snapshot(), before, 'the plan changed nothing');

      const run = await runRule('survey_answers');
      assert.equal(run.status, 'done');
      assert.equal(run.anonymised, 5);
      assert.equal(run.deleted, 0);
      const ids = await recordIds();
      for (const r of old) assert.ok(!ids.has(r.id), 'an anonymised record keeps nothing of its old id');
      assert.ok(ids.has(recent.id), 'a record that has not expired stays as it was');
      const anonymous = await app.ctx.store.db
        .selectFrom('records')
        .selectAll()
        .where('tenant', '=', '')
        .where('subject_id', '=', ANONYMOUS_SUBJECT)
        .where('kind', '=', 'survey_answer')
        .execute();
      assert.equal(anonymous.length, 5);
      for (const row of anonymous) {
        const data = unseal(app.ctx.keys.records, row.data) as Record<string, unknown>;
        assert.deepEqual(Object.keys(data).sort(), ['q1', 'rating'], 'the name and address are gone');
        assert.deepEqual(JSON.parse(row.categories), ['user.content.survey']);
        assert.equal(row.expires_at, null);
        assert.match(row.collected_at, /T00:00:00\.000Z$/, 'the time of collection is cut to the day');
      }
      const identifiers = await app.ctx.store.db
        .selectFrom('identifiers')
        .select('id')
        .where('tenant', '=', '')
        .where('subject_id', '=', ANONYMOUS_SUBJECT)
        .execute();
      assert.equal(identifiers.length, 0, 'the anonymous subject has no identifiers');
      const receipt = await receiptOf(run);
      assert.equal(receipt['rule'], 'survey_answers');
      assert.equal(receipt['system'], 'steward');
      assert.equal(receipt['anonymised'], 5);
      const again = await call('GET', '/api/v1/retention/plan?rule=survey_answers');
      assert.equal(again.json<PlanBody>().sweeps[0]?.rows, 0, 'nothing is left to anonymise');
    });

    test('C10.1 delete: expired records of a rule go; what a legal hold covers stays, and the receipt names the hold', async () => {
      const free = await capture(200, support());
      const heldAll = await capture(201, support());
      const heldEmail = await capture(202, {
        ...support({ email: 'held@example.org' }),
        categories: ['user.contact.email', 'user.content.communication'],
      });
      const otherCategory = await capture(203, support(), 'other-category@example.org');
      const fresh = await capture(30, support());
      const everything = await placeHold(heldAll.subjectId);
      const emailOnly = await placeHold(heldEmail.subjectId, { categories: ['user.contact.email'] });
      // A hold on email addresses does not cover a record without one.
      await placeHold(otherCategory.subjectId, { categories: ['user.contact.email'] });

      const planned = (await call('GET', '/api/v1/retention/plan?rule=training_samples')).json<PlanBody>();
      const records = planned.sweeps[0]?.collections.find((c) => c.collection === 'records');
      assert.deepEqual(records?.holds, { [everything]: 1, [emailOnly]: 1 });
      assert.equal(records?.delete, 2);

      const run = await runRule('training_samples');
      assert.equal(run.deleted, 2);
      assert.equal(run.held, 2);
      assert.deepEqual(run.holds, { [everything]: 1, [emailOnly]: 1 });
      const ids = await recordIds();
      assert.ok(!ids.has(free.id) && !ids.has(otherCategory.id), 'unheld expired records are gone');
      assert.ok(ids.has(heldAll.id) && ids.has(heldEmail.id), 'held records stay');
      assert.ok(ids.has(fresh.id), 'a record that has not expired stays');
      const receipt = await receiptOf(run);
      const byHold = (list: { hold: string; rows: number }[]) =>
        [...list].sort((a, b) => a.hold.localeCompare(b.hold));
      assert.deepEqual(
        byHold(receipt['holds'] as { hold: string; rows: number }[]),
        byHold([
          { hold: everything, rows: 1 },
          { hold: emailOnly, rows: 1 },
        ]),
      );
      assert.equal(receipt['deleted'], 2);
      const verify = await call('GET', '/api/v1/audit/verify');
      assert.equal(verify.json<{ ok: boolean }>().ok, true, 'the ledger with its receipts verifies');
    });

    test('C10.1 a hold placed between two batches of a running sweep keeps what it covers', async () => {
      const security = () => ({
        purposes: ['security_monitoring'],
        categories: ['user.account.username'],
        source: 'partner_account',
        kind: 'account_event',
        data: { username: 'kim' },
      });
      // Batches of 3 in expiry order: the first subject's three records, then the second's.
      const first = await capture(800, security(), 'first-batch@example.org');
      for (let i = 1; i < 3; i++) await capture(800 - i, security(), 'first-batch@example.org');
      const later: { id: string; subjectId: string }[] = [];
      for (let i = 0; i < 3; i++) later.push(await capture(700 - i, security(), 'second-batch@example.org'));
      const runId = await requestRun('security_logs');
      let hold = '';
      const run = await sweepRun(app.ctx, runId, {
        async onBatch(progress) {
          if (progress.batches === 1) hold = await placeHold(later[0]!.subjectId);
        },
      });
      assert.ok(hold !== '');
      assert.equal(run.deleted, 3, 'the first batch went before the hold');
      assert.deepEqual(run.holds, { [hold]: 3 });
      const ids = await recordIds();
      assert.ok(!ids.has(first.id));
      for (const r of later) assert.ok(ids.has(r.id), 'what the hold covers stays');
    });

    test('C10.1 a hold placed while a batch is in its transaction waits for it, and the batches after it keep what it covers', async () => {
      const fraud = () => ({
        purposes: ['fraud_prevention'],
        categories: ['user.financial.purchase_history'],
        source: 'partner_account',
        kind: 'redemption_check',
        data: { amount: 10 },
      });
      for (let i = 0; i < 3; i++) await capture(1000 - i, fraud(), 'early@example.org');
      const later: { id: string; subjectId: string }[] = [];
      for (let i = 0; i < 4; i++) later.push(await capture(900 - i, fraud(), 'concurrent@example.org'));
      const runId = await requestRun('fraud_checks');
      let placing: Promise<string> | undefined;
      let settledDuringBatch = false;
      const run = await sweepRun(app.ctx, runId, {
        async beforeCommit(_tx, progress) {
          if (progress.batches !== 1) return;
          placing = placeHold(later[0]!.subjectId);
          let settled = false;
          void placing.then(() => (settled = true));
          await sleep(300);
          settledDuringBatch = settled;
        },
      });
      assert.ok(placing);
      const hold = await placing;
      assert.equal(settledDuringBatch, false, 'the hold waited for the batch in flight to commit');
      assert.equal(run.deleted, 3);
      assert.deepEqual(run.holds, { [hold]: 4 });
      const ids = await recordIds();
      for (const r of later) assert.ok(ids.has(r.id));
    });

    test('C10.1 consent_withdrawn: proof of a consent that ended goes after its rule, a consent still given stays; unsubscribed subscriptions and old messages go, the unsubscribe still holds', async () => {
      clock.set(daysAgo(4 * 365 + 10));
      await subscribeConfirmed(app, officer, 'ended@example.org');
      await subscribeConfirmed(app, officer, 'still@example.org');
      const unsubscribed = await call('POST', '/api/v1/unsubscriptions', {
        declarationId: D,
        email: 'ended@example.org',
        communication: 'sncn_newsletter',
      });
      assert.equal(unsubscribed.statusCode, 200, unsubscribed.body);
      clock.reset();
      const subjectOf = async (email: string) =>
        (
          await app.ctx.store.db
            .selectFrom('identifiers')
            .select('subject_id')
            .where('tenant', '=', '')
            .where('value', '=', email)
            .executeTakeFirstOrThrow()
        ).subject_id;
      const ended = await subjectOf('ended@example.org');
      const still = await subjectOf('still@example.org');
      const events = (subject: string) =>
        app.ctx.store.db
          .selectFrom('consent_events')
          .select(['event', 'target_id'])
          .where('subject_id', '=', subject)
          .where('target_kind', '=', 'communication')
          .execute();
      assert.ok((await events(ended)).some((e) => e.event === 'withdrawn'));

      const proofs = await runRule('consent_proof');
      assert.equal(proofs.collections['consent_proofs']?.deleted, 1);
      assert.equal((await events(ended)).length, 0, 'the proof of the ended consent is gone');
      assert.ok(
        (await events(still)).some((e) => e.event === 'given'),
        'a consent still given keeps its proof',
      );

      const marketing = await runRule('marketing_contacts');
      assert.equal(marketing.collections['subscriptions']?.deleted, 1);
      assert.equal(
        marketing.collections['outbox']?.deleted,
        2,
        'both confirmation messages are past the rule',
      );
      const subscriptions = await app.ctx.store.db
        .selectFrom('subscriptions')
        .select(['subject_id', 'state'])
        .where('subject_id', 'in', [ended, still])
        .execute();
      assert.deepEqual(subscriptions, [{ subject_id: still, state: 'confirmed' }]);
      const check = await call(
        'POST',
        `/api/v1/suppression/check?declarationId=${D}&communication=sncn_newsletter`,
        { addresses: ['ended@example.org', 'still@example.org'] },
      );
      assert.equal(check.statusCode, 200, check.body);
      const verdicts = check.json<{ results: { address: string; allowed: boolean }[] }>().results;
      assert.deepEqual(
        verdicts.map((v) => v.allowed),
        [false, true],
        'the unsubscribe outlives the subscription row; the subscriber still gets the newsletter',
      );
    });

    test('C10.1 website events are anonymised (the counts stay) and links to people deleted after their rules; a held person’s stay as they were', async () => {
      const browser = async () => {
        const config = (await app.request({ method: 'GET', url: `/web/v1/config/${D}` })).json<{
          version: string;
        }>();
        const post = (url: string, body: object) =>
          app.request({
            method: 'POST',
            url,
            remoteAddress: '203.0.113.77',
            headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': 'Mozilla/5.0 Chrome/131.0' },
            payload: JSON.stringify(body),
          });
        const choice = await post('/web/v1/consent', {
          declarationId: D,
          version: config.version,
          categories: { analytics: true, marketing: true },
          gpc: false,
          language: 'en',
          via: 'save',
        });
        assert.equal(choice.statusCode, 200, choice.body);
        const { token } = choice.json<{ token: string }>();
        const events = await post('/web/v1/events', {
          id: `batch-${(n += 1)}-${Date.now()}`,
          declarationId: D,
          token,
          page: 'https://www.example.com/products',
          events: [
            { type: 'page_view', at: clock.now().getTime() },
            { type: 'click', target: 'A', at: clock.now().getTime() },
          ],
        });
        assert.equal(events.statusCode, 202, events.body);
        return token;
      };
      const kept = await capture(10, support(), 'held-visitor@example.org');
      const gone = await capture(10, support(), 'linked-visitor@example.org');
      clock.set(daysAgo(500));
      for (const subject of [kept, gone]) {
        const linked = await linkWebVisitor(app.ctx, {
          declarationId: D,
          token: await browser(),
          subjectId: subject.subjectId,
          actor: 'system',
        });
        assert.equal(linked.linked, true);
      }
      await browser(); // a browser nobody is linked to
      clock.reset();
      const hold = await placeHold(kept.subjectId);
      const stored = () =>
        app.ctx.store.db
          .selectFrom('web_events')
          .select(['id', 'type', 'path', 'visitor', 'consent_ref', 'network', 'browser'])
          .orderBy('id')
          .execute();
      const before = await stored();
      const links = await app.ctx.store.db.selectFrom('web_links').selectAll().execute();
      const heldRef = links.find((l) => l.subject_id === kept.subjectId)?.consent_ref;
      assert.ok(heldRef);
      assert.ok(before.length >= 6 && before.every((e) => e.network !== null));

      // Only events that carry the browser's consent reference lead to a person (C3d.4).
      const heldEvents = before.filter((e) => e.consent_ref === heldRef).length;
      assert.ok(heldEvents >= 1);
      const analytics = await runRule('analytics_events');
      assert.equal(analytics.collections['web_events']?.anonymised, before.length - heldEvents);
      assert.deepEqual(analytics.holds, { [hold]: heldEvents });
      const after = await stored();
      assert.equal(after.length, before.length, 'anonymising keeps the events, so counts stay');
      for (const [i, event] of after.entries()) {
        const was = before[i]!;
        assert.deepEqual(
          { type: event.type, path: event.path, browser: event.browser },
          {
            type: was.type,
            path: was.path,
            browser: was.browser,
          },
        );
        if (was.consent_ref === heldRef)
          assert.deepEqual(event, was, 'the held person’s events are untouched');
        else assert.deepEqual([event.visitor, event.consent_ref, event.network], [null, null, null]);
      }
      const tracking = await runRule('online_tracking');
      assert.equal(tracking.collections['web_links']?.deleted, 1);
      assert.equal(tracking.collections['web_links']?.held, 1);
      const left = await app.ctx.store.db.selectFrom('web_links').select('subject_id').execute();
      assert.deepEqual(left, [{ subject_id: kept.subjectId }]);
    });

    test('C10.1 the status and the metric show the oldest overdue row against its deadline, then the run that cleared it', async () => {
      const record = await capture(300, {
        purposes: ['enquiries'],
        categories: ['user.name', 'user.content.communication'],
        source: 'website_forms',
        kind: 'enquiry',
        data: { name: 'Eva', message: 'Price list?' },
      });
      const deadline = expiresAt({ duration: 'P1Y' }, daysAgo(300)).getTime();
      assert.ok(record.expiresAt !== null && deadline > Date.now() - 1000 * 60, 'sanity: not yet expired');
      const late = await capture(500, {
        purposes: ['enquiries'],
        categories: ['user.name', 'user.content.communication'],
        source: 'website_forms',
        kind: 'enquiry',
        data: { name: 'Eva' },
      });
      const status = await call('GET', '/api/v1/retention?rule=enquiries');
      assert.equal(status.statusCode, 200, status.body);
      const [row] = status.json<{
        sweeps: { overdueSeconds: number; alert: boolean; oldest: { deadline: string }; nextRunAt: string }[];
      }>().sweeps;
      assert.equal(row?.oldest.deadline, late.expiresAt);
      const overdue = (Date.now() - new Date(late.expiresAt!).getTime()) / 1000;
      assert.ok(
        Math.abs((row?.overdueSeconds ?? 0) - overdue) < 60,
        `${row?.overdueSeconds} against ${overdue}`,
      );
      assert.equal(row?.alert, true, 'a row 135 days past its deadline is an alert');
      const metrics = await app.request({ method: 'GET', url: '/metrics' });
      const line = (name: string) =>
        metrics.body
          .split('\n')
          .find(
            (l) =>
              l.startsWith(`${name}{`) && l.includes('rule="enquiries"') && l.includes(`declaration="${D}"`),
          );
      assert.ok(Number(line('steward_retention_overdue_seconds')?.split(' ').at(-1)) > 100 * 86_400);
      assert.equal(line('steward_retention_alert')?.split(' ').at(-1), '1');

      const run = await runRule('enquiries');
      assert.equal(run.deleted, 1);
      const after = (await call('GET', '/api/v1/retention?rule=enquiries')).json<{
        sweeps: { overdueSeconds: number; alert: boolean; lastRun: { id: string } | null }[];
      }>().sweeps[0];
      assert.deepEqual(
        { overdue: after?.overdueSeconds, alert: after?.alert, last: after?.lastRun?.id },
        {
          overdue: 0,
          alert: false,
          last: run.id,
        },
      );
      const cleared = await app.request({ method: 'GET', url: '/metrics' });
      assert.match(
        cleared.body,
        new RegExp(
          `steward_retention_overdue_seconds\\{declaration="${D}",rule="enquiries",system="steward"\\} 0`,
        ),
      );
      assert.match(
        cleared.body,
        new RegExp(
          `steward_retention_last_run_timestamp_seconds\\{declaration="${D}",rule="enquiries",system="steward"\\} \\d+`,
        ),
      );
    });

    test('C10.1 bad input and missing permissions are refused and start nothing; a second request joins the run under way', async () => {
      const before = (await app.ctx.store.db.selectFrom('retention_runs').select('id').execute()).length;
      const unknown = await call('POST', '/api/v1/retention/no_such_rule/run', {});
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /marketing_contacts/, 'the answer lists the declared rules');
      assert.equal((await call('POST', '/api/v1/retention/Bad%20Rule!/run', {})).statusCode, 400);
      assert.equal((await call('GET', '/api/v1/retention/plan?rule=x%27%3B--')).statusCode, 400);
      assert.equal(
        (await call('POST', '/api/v1/retention/enquiries/run', { declarationId: 'nope' })).statusCode,
        404,
      );
      const agent = {
        cookie: (await app.signInAs('support_agent')).cookie,
        'content-type': 'application/json',
      };
      assert.equal((await call('GET', '/api/v1/retention', undefined, agent)).statusCode, 403);
      const auditor = { cookie: (await app.signInAs('auditor')).cookie, 'content-type': 'application/json' };
      assert.equal((await call('GET', '/api/v1/retention/plan', undefined, auditor)).statusCode, 200);
      assert.equal((await call('POST', '/api/v1/retention/enquiries/run', {}, auditor)).statusCode, 403);
      assert.equal(
        (await app.ctx.store.db.selectFrom('retention_runs').select('id').execute()).length,
        before,
      );

      const first = await call('POST', '/api/v1/retention/enquiries/run', {});
      const second = await call('POST', '/api/v1/retention/enquiries/run', {});
      assert.equal(second.json<{ joined: number }>().joined, 1);
      assert.equal(
        second.json<{ runs: { id: string }[] }>().runs[0]?.id,
        first.json<{ runs: { id: string }[] }>().runs[0]?.id,
      );
      await new Worker(app.ctx, jobDefinitions).drain();
    });
  });
}
