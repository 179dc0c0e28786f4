/**
 * Findings 2, 3 and 4 of the attack on Steward: who may ask about whom. The attacker is an
 * outsider at the privacy centre, sometimes helped by an integration that forwards whatever
 * people type into a form. Nothing they do may reveal who is known, reach someone else's data,
 * or flood a person with codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { REQUESTS_PER_CONTACT_PER_DAY } from '../../src/rights/submit-request.js';
import { CONTROLLER_TENANT } from '../../src/subjects/subjects.js';
import { dialects, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { subscribeConfirmed } from '../support/consent.js';
import { mailbox } from '../support/mail.js';

const DECLARATION = 'sncn-general';
const json = { 'content-type': 'application/json' };
type Identifier = { kind: 'email' | 'phone'; value: string };

for (const dialect of await dialects()) {
  describe(`findings 2-4: identifiers from outside, on ${dialect}`, () => {
    let app: TestApp;
    let officer: Record<string, string>;
    let n = 0;
    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    before(async () => {
      app = await startTestApp(dialect);
      officer = { cookie: (await app.signInAs('privacy_officer')).cookie, ...json };
    });
    after(() => app.close());

    /** What an integration forwarding a contact form sends: whatever the visitor typed. */
    const capture = async (identifiers: Identifier[], name: string) => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: officer,
        payload: {
          declarationId: DECLARATION,
          subject: { identifiers },
          kind: 'form_submission',
          purposes: ['enquiries'],
          categories: ['user.name', 'user.contact'],
          source: 'website_forms',
          data: { name, message: 'Please call me' },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ subjectId: string }>().subjectId;
    };

    /** A request at the privacy centre, each from its own network address (clear of the per-IP limit). */
    const ask = async (type: string, identifiers: Identifier[]) => {
      n += 1;
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: json,
        remoteAddress: `203.0.113.${n % 250}`,
        payload: { declarationId: DECLARATION, type, requester: { identifiers } },
      });
      await runJobs();
      return res;
    };

    const codesTo = async (address: string) =>
      (await mailbox(app.ctx, { to: address, kind: 'rights_code' })).length;

    const email = (value: string): Identifier => ({ kind: 'email', value });

    test("C9.6 finding 2: naming a known person beside one's own address answers exactly as naming an unknown one", async () => {
      await subscribeConfirmed(app, officer, 'probed@example.org');
      await subscribeConfirmed(app, officer, 'prober-one@example.net');
      await subscribeConfirmed(app, officer, 'prober-two@example.net');
      const known = await ask('access', [email('prober-one@example.net'), email('probed@example.org')]);
      const unknown = await ask('access', [
        email('prober-two@example.net'),
        email('nobody-here@example.org'),
      ]);
      assert.equal(known.statusCode, unknown.statusCode);
      const shape = (body: Record<string, unknown>) => ({
        ...body,
        id: 'ID',
        reference: 'REF',
        accessToken: 'TOKEN',
        statusUrl: 'URL',
        receivedAt: 'T',
        dueAt: 'T',
      });
      assert.deepEqual(shape(known.json()), shape(unknown.json()));
      assert.equal(known.json<{ status: string }>().status, 'verifying');
      const headerNames = (r: typeof known) =>
        Object.keys(r.headers)
          .filter((h) => !['date', 'content-length', 'x-ratelimit-remaining'].includes(h))
          .sort();
      assert.deepEqual(headerNames(known), headerNames(unknown));
      // And what the requester can see afterwards says nothing either.
      const view = async (r: typeof known) => {
        const { id, accessToken } = r.json<{ id: string; accessToken: string }>();
        const res = await app.request({
          method: 'POST',
          url: `/api/v1/privacy-centre/requests/${id}/status`,
          headers: json,
          payload: { token: accessToken },
        });
        const body = res.json<{ status: string; awaiting: string | null; steps: { kind: string }[] }>();
        return { status: body.status, awaiting: body.awaiting, steps: body.steps.map((s) => s.kind) };
      };
      assert.deepEqual(await view(known), await view(unknown));
      // The known person is not told anything either: the code went to the requester's own address.
      assert.equal(await codesTo('probed@example.org'), 0);
    });

    test('C9.6 finding 3: every identifier a request names counts toward the daily limit, not only the first', async () => {
      await subscribeConfirmed(app, officer, 'flooded@example.org');
      const answers: number[] = [];
      for (let i = 0; i < REQUESTS_PER_CONTACT_PER_DAY + 5; i += 1)
        answers.push(
          (await ask('access', [email(`fresh-${i}@example.net`), email('flooded@example.org')])).statusCode,
        );
      assert.deepEqual(answers, [
        ...Array<number>(REQUESTS_PER_CONTACT_PER_DAY).fill(201),
        ...Array<number>(5).fill(429),
      ]);
      assert.ok((await codesTo('flooded@example.org')) <= REQUESTS_PER_CONTACT_PER_DAY);
    });

    test('C9.6 finding 3: reaching one person through several of their identifiers is limited too, without saying so', async () => {
      await capture([email('many-ways@example.org'), { kind: 'phone', value: '+46701234567' }], 'Many Ways');
      const answers: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        answers.push((await ask('access', [email('many-ways@example.org')])).statusCode);
        answers.push((await ask('access', [{ kind: 'phone', value: '+46701234567' }])).statusCode);
      }
      assert.deepEqual(answers, Array<number>(8).fill(201), 'each identifier on its own is under the limit');
      assert.equal(await codesTo('many-ways@example.org'), REQUESTS_PER_CONTACT_PER_DAY);
    });

    test("C9.6 finding 4: an address typed beside someone's phone number gets no code and cannot restrict their processing", async () => {
      const victim = await capture(
        [email('phone-owner@example.org'), { kind: 'phone', value: '+46709876543' }],
        'Phone Owner',
      );
      // The attacker fills in the company's contact form with their address and the victim's number.
      const joined = await capture(
        [email('impostor@example.net'), { kind: 'phone', value: '+46709876543' }],
        'Impostor',
      );
      assert.equal(joined, victim, 'the number is the victim’s, so the record is filed with them');
      const res = await ask('restriction', [email('impostor@example.net')]);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json<{ next: string }>().next, 'enter_code', 'answered like anyone else');
      assert.equal(await codesTo('impostor@example.net'), 0, 'no code to a claimed address');
      assert.equal(await codesTo('phone-owner@example.org'), 0, 'nor to the victim, who never asked');
      const { id, accessToken } = res.json<{ id: string; accessToken: string }>();
      for (const code of ['000000', '123456', '999999']) {
        await app.request({
          method: 'POST',
          url: `/api/v1/privacy-centre/requests/${id}/code`,
          headers: json,
          payload: { token: accessToken, code },
        });
      }
      const subject = await app.ctx.store.db
        .selectFrom('subjects')
        .select('restricted')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', victim)
        .executeTakeFirstOrThrow();
      assert.equal(subject.restricted, 0, 'the victim’s processing is not restricted');

      // Confirming a newsletter from the claimed address proves only that the attacker reads it.
      await subscribeConfirmed(app, officer, 'impostor@example.net');
      const again = await ask('access', [email('impostor@example.net')]);
      assert.equal(again.statusCode, 201);
      assert.equal(await codesTo('impostor@example.net'), 0, 'still no code: the claim is not settled');

      // The console shows where each identifier came from and whether it is a channel.
      const opened = await app.request({
        method: 'GET',
        url: `/api/v1/subjects/${victim}?reason=support_case&reference=CASE-1`,
        headers: officer,
      });
      assert.equal(opened.statusCode, 200, opened.body);
      const identifiers = opened.json<{
        subject: {
          identifiers: {
            value: string;
            origin: string;
            source: string;
            channel: boolean;
            verifiedBy: string | null;
          }[];
        };
      }>().subject.identifiers;
      const impostor = identifiers.find((i) => i.value === 'impostor@example.net');
      assert.deepEqual(
        {
          origin: impostor?.origin,
          source: impostor?.source,
          channel: impostor?.channel,
          verifiedBy: impostor?.verifiedBy,
        },
        { origin: 'claimed', source: 'capture:website_forms', channel: false, verifiedBy: 'double_opt_in' },
      );
      assert.equal(identifiers.find((i) => i.value === 'phone-owner@example.org')?.channel, true);
    });

    test("C9.6 finding 4: the owner's own request is looked at by a person while a claimed address sits in their data", async () => {
      const victim = await capture([email('careful@example.org')], 'Careful Owner');
      await capture([email('careful@example.org'), email('second-claim@example.net')], 'Claimer');
      // (Restriction needs no second step in this declaration, so only the claim stands in the way.)
      const res = await ask('restriction', [email('careful@example.org')]);
      const { id, accessToken } = res.json<{ id: string; accessToken: string }>();
      const [message] = await mailbox(app.ctx, { to: 'careful@example.org', kind: 'rights_code' });
      const code = /Your code: (\d{6})/.exec(message?.text ?? '')?.[1] ?? '';
      const entered = await app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/requests/${id}/code`,
        headers: json,
        payload: { token: accessToken, code },
      });
      assert.equal(entered.statusCode, 200, entered.body);
      const page = await app.request({ method: 'GET', url: `/api/v1/requests/${id}`, headers: officer });
      const body = page.json<{
        request: { status: string };
        timeline: { kind: string; details: { why?: string } }[];
      }>();
      assert.equal(body.request.status, 'awaiting_review');
      assert.equal(body.timeline.at(-1)?.details.why, 'unverified_identifiers');

      // An operator who checked settles the claim; the next request goes straight through.
      const claimed = await app.ctx.store.db
        .selectFrom('identifiers')
        .select('id')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', victim)
        .where('claimed', '=', 1)
        .executeTakeFirstOrThrow();
      const confirmed = await app.request({
        method: 'POST',
        url: `/api/v1/subjects/${victim}/identifiers/${claimed.id}/confirm`,
        headers: officer,
        payload: { reason: 'Called the number on file; the person gave us this second address' },
      });
      assert.equal(confirmed.statusCode, 204, confirmed.body);
      await ask('access', [email('second-claim@example.net')]);
      assert.equal(await codesTo('second-claim@example.net'), 1, 'now a channel');
    });
  });
}
