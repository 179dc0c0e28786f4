import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { CONTROLLER_TENANT, lookupOf } from '../subjects/subjects.js';
import { shippedLanguages } from '../i18n/messages.js';
import { centreText } from '../rights/centre-text.js';
import { pageLanguageOf, pageLanguages } from '../server/public-page.js';
import { pageText } from './page-text.js';
import { checkSuppression } from './suppression.js';
import { signToken } from './tokens.js';
import { lastMessage, mailbox } from '../../test/support/mail.js';

const D = 'sncn-general';
const MARKETING = ['sncn_newsletter', 'group_newsletter', 'product_updates'] as const;
const SERVICE = ['order_confirmations', 'safety_notices', 'account_messages'] as const;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const oneClick = 'List-Unsubscribe=One-Click';

describe('the public pages’ languages', () => {
  test('the pages are written in every shipped language, each word from its catalog', () => {
    assert.deepEqual([...pageLanguages], [...shippedLanguages]);
    const call = (value: unknown): unknown =>
      typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown)('a', 2)
        : typeof value === 'object' && value !== null
          ? Object.values(value).map(call)
          : value;
    for (const lang of pageLanguages)
      for (const text of [pageText(lang), centreText(lang)])
        for (const value of Object.values(text).flatMap((v) => [call(v)].flat(2)))
          assert.ok(typeof value === 'string' && value.length > 0, `${lang}: ${String(value)}`);
    assert.equal(
      centreText('sv').sendFailed('h.example', 'timeout').startsWith('h.example svarade inte i tid.'),
      true,
    );
    assert.equal(
      centreText('en').askAgain(undefined, undefined),
      'To get your data, make a new request, or contact the organisation that wrote to you.',
    );
    assert.match(pageText('en').mailBody('L', 1), /within 1 day to/);
  });

  test('a language is chosen among the offered ones: ?lang=, then Accept-Language by base language, then English', () => {
    assert.equal(pageLanguageOf({ lang: 'sv-FI' }, undefined), 'sv');
    assert.equal(pageLanguageOf({ lang: 'xx' }, 'ja, sv-SE;q=0.5'), 'sv');
    assert.equal(pageLanguageOf({}, 'ja'), 'en');
    assert.equal(pageLanguageOf({}, 'sv', ['en'] as const), 'en');
    assert.equal(
      pageLanguageOf({}, 'ja', ['sv'] as const),
      'sv',
      'the first offered language without English',
    );
  });
});

for (const dialect of await dialects()) {
  describe(`consent pages on ${dialect}`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    let n = 0;
    before(async () => {
      app = await startTestApp(dialect);
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const email = (name: string) => `${name}-${(n += 1)}@example.com`;
    const db = () => app.ctx.store.db;

    async function subscribeApi(address: string, communication: string) {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/subscriptions',
        headers,
        payload: { declarationId: D, communication, email: address },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ state: string }>().state;
    }

    /** One person with several addresses, and consents given for purposes or cookie categories. */
    async function person(
      addresses: readonly string[],
      targets: readonly { kind: 'purpose' | 'cookie_category'; id: string }[] = [
        { kind: 'purpose', id: 'website_analytics' },
      ],
    ) {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/consents',
        headers,
        payload: {
          declarationId: D,
          subject: { identifiers: addresses.map((value) => ({ kind: 'email', value })) },
          event: 'given',
          targets,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ subjectId: string }>().subjectId;
    }

    async function identifierOf(address: string) {
      return db()
        .selectFrom('identifiers')
        .select(['id', 'subject_id'])
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('lookup', '=', lookupOf(app.ctx.keys, 'email', address))
        .executeTakeFirstOrThrow();
    }

    async function verdict(address: string, communication: string) {
      const [v] = await checkSuppression(app.ctx, { declarationId: D, communication, addresses: [address] });
      return v?.reason;
    }

    async function stateOf(identifierId: string, communication: string) {
      const row = await db()
        .selectFrom('subscriptions')
        .select('state')
        .where('identifier_id', '=', identifierId)
        .where('communication_id', '=', communication)
        .executeTakeFirst();
      return row?.state;
    }

    async function eventsOf(subjectId: string) {
      return db()
        .selectFrom('consent_events')
        .select(['target_kind', 'target_id', 'event', 'channel', 'gpc', 'identifier_id'])
        .where('subject_id', '=', subjectId)
        .orderBy('seq')
        .execute();
    }

    async function suppressionCount(subjectId: string) {
      const rows = await db()
        .selectFrom('suppressions')
        .select('id')
        .where('subject_id', '=', subjectId)
        .execute();
      return rows.length;
    }

    const unsubscribeToken = (identifierId: string, communication: string) =>
      signToken(app.ctx.keys.tokens, 'unsubscribe', { i: identifierId, d: D, c: communication });
    const preferencesToken = (identifierId: string, expiresIn = 3600) =>
      signToken(app.ctx.keys.tokens, 'preferences', {
        i: identifierId,
        d: D,
        e: Math.floor(Date.now() / 1000) + expiresIn,
      });

    const postPreferences = (token: string, action: string, extra: Record<string, string> = {}) =>
      app.request({
        method: 'POST',
        url: `/preferences/${token}`,
        headers: { ...form, ...extra },
        payload: new URLSearchParams({ action }).toString(),
      });

    async function confirmationPath(address: string) {
      const message = await lastMessage(app.ctx, { to: address, kind: 'confirmation' });
      const path = /\/confirm\/\S+/.exec(message?.text ?? '')?.[0];
      assert.ok(path, message?.text);
      return path;
    }

    async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 3000): Promise<T | undefined> {
      const end = Date.now() + ms;
      for (;;) {
        const value = await probe();
        if (value !== undefined || Date.now() > end) return value;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    const preferenceLinks = (address: string) => mailbox(app.ctx, { to: address, kind: 'preferences_link' });

    test('C4a.6 GET never changes state', async () => {
      const address = email('alice');
      assert.equal(await subscribeApi(address, 'product_updates'), 'confirmed');
      const { id, subject_id } = await identifierOf(address);
      const before = await eventsOf(subject_id);
      const token = unsubscribeToken(id, 'product_updates');
      const res = await app.request({ method: 'GET', url: `/u/${token}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.equal(res.headers['set-cookie'], undefined);
      assert.match(res.body, /<html lang="en">/);
      assert.match(res.body, /Product updates and offers/);
      // The address is recognisable but not spelled out.
      assert.ok(res.body.includes(`a***${address.split('@')[0]?.slice(-1)}@example.com`), res.body);
      assert.ok(!res.body.includes(address));
      assert.ok(res.body.includes(`<form action="/u/${token}" method="post">`));
      assert.match(res.body, /<input type="hidden" name="List-Unsubscribe" value="One-Click"\/>/);
      assert.match(res.body, /href="\/preferences\/[^"]+"/);
      assert.equal(await stateOf(id, 'product_updates'), 'confirmed');
      assert.equal(await verdict(address, 'product_updates'), 'consent');
      assert.deepEqual(await eventsOf(subject_id), before);
      assert.equal(await suppressionCount(subject_id), 0);
    });

    test('C4a.6 one-click POST unsubscribes that address from that list at once, with 200 and no redirect', async () => {
      const address = email('bob');
      await subscribeApi(address, 'product_updates');
      const { id, subject_id } = await identifierOf(address);
      const res = await app.request({
        method: 'POST',
        url: `/u/${unsubscribeToken(id, 'product_updates')}`,
        headers: form,
        payload: oneClick,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers.location, undefined);
      assert.equal(res.headers['set-cookie'], undefined);
      assert.match(res.body, /role="status"/);
      assert.equal(await stateOf(id, 'product_updates'), 'unsubscribed');
      assert.equal(await verdict(address, 'product_updates'), 'unsubscribed');
      const withdrawn = (await eventsOf(subject_id)).filter((e) => e.event === 'withdrawn');
      assert.deepEqual(
        withdrawn.map((e) => [e.target_id, e.channel, e.identifier_id]),
        [['product_updates', 'one_click', id]],
      );
    });

    test('C4a.6 a forged token or a token altered to another list is refused and changes nothing', async () => {
      const address = email('carol');
      await subscribeApi(address, 'product_updates');
      const { id, subject_id } = await identifierOf(address);
      const before = await eventsOf(subject_id);
      const good = unsubscribeToken(id, 'sncn_newsletter');
      const [, signature] = good.split('.');
      const altered = `${Buffer.from(JSON.stringify({ i: id, d: D, c: 'product_updates' })).toString('base64url')}.${signature}`;
      const otherKey = signToken(Buffer.alloc(32, 7), 'unsubscribe', { i: id, d: D, c: 'product_updates' });
      const otherUse = signToken(app.ctx.keys.tokens, 'preferences', { i: id, d: D, c: 'product_updates' });
      for (const token of [altered, otherKey, otherUse, 'not-a-token', `${good}.x`, '']) {
        const res = await app.request({
          method: 'POST',
          url: `/u/${token}`,
          headers: form,
          payload: oneClick,
        });
        assert.equal(res.statusCode, 400, `${token}: ${res.body}`);
        assert.match(res.body, /invalid_token/);
        assert.match(res.body, /role="alert"/);
      }
      assert.equal(await stateOf(id, 'product_updates'), 'confirmed');
      assert.equal(await verdict(address, 'product_updates'), 'consent');
      assert.deepEqual(await eventsOf(subject_id), before);
      assert.equal(await suppressionCount(subject_id), 0);
    });

    test('C4a.6 a body without List-Unsubscribe=One-Click is refused with 400 and changes nothing', async () => {
      const address = email('dave');
      await subscribeApi(address, 'product_updates');
      const { id, subject_id } = await identifierOf(address);
      const url = `/u/${unsubscribeToken(id, 'product_updates')}`;
      for (const payload of ['', 'List-Unsubscribe=Yes', 'Unsubscribe=One-Click']) {
        const res = await app.request({ method: 'POST', url, headers: form, payload });
        assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
        assert.match(res.body, /List-Unsubscribe/);
      }
      const plain = await app.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/xml' },
        payload: oneClick,
      });
      assert.equal(plain.statusCode, 415, plain.body);
      assert.match(plain.body, /multipart\/form-data/);
      assert.equal(await stateOf(id, 'product_updates'), 'confirmed');
      assert.equal(await suppressionCount(subject_id), 0);
    });

    test('C4a.6 repeated one-click posts are harmless', async () => {
      const address = email('erin');
      await subscribeApi(address, 'product_updates');
      const { id, subject_id } = await identifierOf(address);
      const url = `/u/${unsubscribeToken(id, 'product_updates')}`;
      for (let i = 0; i < 3; i += 1) {
        const res = await app.request({ method: 'POST', url, headers: form, payload: oneClick });
        assert.equal(res.statusCode, 200, res.body);
      }
      assert.equal(await stateOf(id, 'product_updates'), 'unsubscribed');
      assert.equal(await suppressionCount(subject_id), 1);
      assert.equal((await eventsOf(subject_id)).filter((e) => e.event === 'withdrawn').length, 1);
    });

    test('C4a.6 multipart one-click works too', async () => {
      const address = email('frank');
      await subscribeApi(address, 'product_updates');
      const { id, subject_id } = await identifierOf(address);
      const url = `/u/${unsubscribeToken(id, 'product_updates')}`;
      const multipart = (boundary: string, body: string) =>
        app.request({
          method: 'POST',
          url,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: body,
        });
      // Malformed bodies and a wrong value are refused and change nothing.
      const wrong = await multipart(
        'b1',
        '--b1\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nNo\r\n--b1--\r\n',
      );
      assert.equal(wrong.statusCode, 400, wrong.body);
      const broken = await multipart('b2', '--b2\r\nContent-Disposition: form-data; name="List-Unsubscribe"');
      assert.equal(broken.statusCode, 400, broken.body);
      const tooLarge = await multipart('b3', `--b3\r\n${'x'.repeat(70 * 1024)}`);
      assert.equal(tooLarge.statusCode, 413, tooLarge.body);
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 300 }), async (body) => {
          const res = await multipart('b4', body);
          assert.ok(res.statusCode === 400, `${res.statusCode} for ${JSON.stringify(body)}`);
        }),
        { numRuns: 25 },
      );
      assert.equal(await stateOf(id, 'product_updates'), 'confirmed');
      assert.equal(await suppressionCount(subject_id), 0);

      const boundary = '----StewardBoundary7MA4YWxkTrZu0gW';
      const ok = await multipart(
        `"${boundary}"`,
        [
          `--${boundary}`,
          'Content-Disposition: form-data; name="List-Unsubscribe"',
          '',
          'One-Click',
          `--${boundary}--`,
          '',
        ].join('\r\n'),
      );
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.headers.location, undefined);
      assert.equal(await stateOf(id, 'product_updates'), 'unsubscribed');
      assert.equal(await verdict(address, 'product_updates'), 'unsubscribed');
    });

    test("C4a.8 unsubscribing one address leaves the person's other addresses subscribed", async () => {
      const work = email('grace-work');
      const home = email('grace-home');
      const subjectId = await person([work, home]);
      await subscribeApi(work, 'product_updates');
      await subscribeApi(home, 'product_updates');
      const workId = await identifierOf(work);
      const homeId = await identifierOf(home);
      assert.equal(workId.subject_id, subjectId);
      assert.equal(homeId.subject_id, subjectId);
      const res = await app.request({
        method: 'POST',
        url: `/u/${unsubscribeToken(workId.id, 'product_updates')}`,
        headers: form,
        payload: oneClick,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await verdict(work, 'product_updates'), 'unsubscribed');
      assert.equal(await verdict(home, 'product_updates'), 'consent');
      assert.equal(await stateOf(homeId.id, 'product_updates'), 'confirmed');
    });

    test('C4a.9 unsubscribing one list leaves the others, and "all marketing" stops every list for that address', async () => {
      const address = email('heidi');
      const other = email('heidi-other');
      await person([address, other]);
      await subscribeApi(address, 'product_updates');
      await subscribeApi(other, 'product_updates');
      assert.equal(await subscribeApi(address, 'sncn_newsletter'), 'unconfirmed');
      const confirm = await app.request({
        method: 'POST',
        url: await confirmationPath(address),
        headers: form,
        payload: '',
      });
      assert.equal(confirm.statusCode, 200, confirm.body);
      assert.equal(await verdict(address, 'sncn_newsletter'), 'consent');
      const { id } = await identifierOf(address);
      const token = preferencesToken(id);

      const page = await app.request({ method: 'GET', url: `/preferences/${token}` });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /value="unsubscribe:product_updates"/);
      assert.match(page.body, /value="unsubscribe:sncn_newsletter"/);
      assert.match(page.body, /value="subscribe:group_newsletter"/);
      assert.match(page.body, /value="all-marketing"/);

      const one = await postPreferences(token, 'unsubscribe:product_updates');
      assert.equal(one.statusCode, 200, one.body);
      assert.match(one.body, /role="status"[^]*unsubscribed from “Product updates and offers”/);
      assert.match(one.body, /value="subscribe:product_updates"/);
      assert.equal(await verdict(address, 'product_updates'), 'unsubscribed');
      assert.equal(await verdict(address, 'sncn_newsletter'), 'consent');

      const all = await postPreferences(token, 'all-marketing');
      assert.equal(all.statusCode, 200, all.body);
      assert.match(all.body, /role="status"/);
      for (const c of MARKETING) assert.equal(await verdict(address, c), 'unsubscribed', c);
      for (const c of SERVICE) assert.equal(await verdict(address, c), 'transactional', c);
      // The person's other address keeps its subscription.
      assert.equal(await verdict(other, 'product_updates'), 'consent');
    });

    test('C4a.7 objecting from the preference centre blocks every address and list of the person', async () => {
      const first = email('ivan');
      const second = email('ivan-2');
      const subjectId = await person(
        [first, second],
        [
          { kind: 'purpose', id: 'newsletters' },
          { kind: 'purpose', id: 'website_analytics' },
        ],
      );
      await subscribeApi(first, 'product_updates');
      await subscribeApi(second, 'product_updates');
      const { id } = await identifierOf(first);
      const res = await postPreferences(preferencesToken(id), 'object');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /role="status"[^]*objection is recorded/);
      assert.doesNotMatch(res.body, /value="subscribe:/);
      for (const address of [first, second]) {
        for (const c of MARKETING) assert.equal(await verdict(address, c), 'objected', `${address} ${c}`);
        assert.equal(await verdict(address, 'order_confirmations'), 'transactional');
      }
      const subject = await db()
        .selectFrom('subjects')
        .select('objected_at')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', subjectId)
        .executeTakeFirstOrThrow();
      assert.notEqual(subject.objected_at, null);
      const events = await eventsOf(subjectId);
      const last = (target: string) => events.filter((e) => e.target_id === target).at(-1)?.event;
      assert.equal(last('newsletters'), 'withdrawn');
      // Consent that is not for direct marketing is not the objection's business.
      assert.equal(last('website_analytics'), 'given');
      // Subscribing again is refused while the objection stands.
      const again = await postPreferences(preferencesToken(id), 'subscribe:product_updates');
      assert.equal(again.statusCode, 400, again.body);
      assert.equal(await verdict(first, 'product_updates'), 'objected');
    });

    test('C4a.10 service messages cannot be switched off in the preference centre', async () => {
      const address = email('judy');
      await subscribeApi(address, 'product_updates');
      const { id, subject_id } = await identifierOf(address);
      const token = preferencesToken(id);
      const page = await app.request({ method: 'GET', url: `/preferences/${token}` });
      assert.equal(page.statusCode, 200, page.body);
      const service = /<section[^>]*id="service-messages"[^]*?<\/section>/.exec(page.body)?.[0] ?? '';
      assert.match(service, /Order confirmations/);
      assert.match(service, /Safety notices/);
      assert.match(service, /Account messages/);
      assert.equal(service.match(/Always sent, cannot be switched off/g)?.length, 3);
      assert.doesNotMatch(service, /<form|<button/);
      for (const c of SERVICE) assert.ok(!page.body.includes(`:${c}"`), c);
      const before = await eventsOf(subject_id);
      for (const action of ['unsubscribe:order_confirmations', 'subscribe:safety_notices']) {
        const res = await postPreferences(token, action);
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.body, /role="alert"[^]*service message/);
      }
      const rows = await db()
        .selectFrom('subscriptions')
        .select('communication_id')
        .where('identifier_id', '=', id)
        .execute();
      assert.deepEqual(
        rows.map((r) => r.communication_id),
        ['product_updates'],
      );
      assert.equal(await suppressionCount(subject_id), 0);
      assert.deepEqual(await eventsOf(subject_id), before);
      assert.equal(await verdict(address, 'order_confirmations'), 'transactional');
      // The one-click endpoint refuses them as well.
      const oneClickRes = await app.request({
        method: 'POST',
        url: `/u/${unsubscribeToken(id, 'order_confirmations')}`,
        headers: form,
        payload: oneClick,
      });
      assert.equal(oneClickRes.statusCode, 400, oneClickRes.body);
      assert.equal(await suppressionCount(subject_id), 0);
    });

    test('C4a.5 double opt-in: the confirmation link is needed, GET does not confirm, POST does', async () => {
      const address = email('ken');
      assert.equal(await subscribeApi(address, 'sncn_newsletter'), 'unconfirmed');
      const { id, subject_id } = await identifierOf(address);
      assert.equal(await verdict(address, 'sncn_newsletter'), 'unconfirmed');
      const path = await confirmationPath(address);

      const page = await app.request({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<button type="submit"[^>]*>Confirm subscription<\/button>/);
      assert.match(page.body, /Sony Network Communications newsletter/);
      assert.equal(await stateOf(id, 'sncn_newsletter'), 'unconfirmed');
      assert.equal(await verdict(address, 'sncn_newsletter'), 'unconfirmed');

      const [, token = ''] = path.split('/confirm/');
      const [body, signature] = token.split('.');
      const altered = `${Buffer.from(JSON.stringify({ i: id, d: D, c: 'group_newsletter', e: 9_999_999_999 })).toString('base64url')}.${signature}`;
      const forged = await app.request({
        method: 'POST',
        url: `/confirm/${altered}`,
        headers: form,
        payload: '',
      });
      assert.equal(forged.statusCode, 400, forged.body);
      assert.ok(body);
      const expired = signToken(app.ctx.keys.tokens, 'confirm', { i: id, d: D, c: 'sncn_newsletter', e: 1 });
      const late = await app.request({
        method: 'POST',
        url: `/confirm/${expired}`,
        headers: form,
        payload: '',
      });
      assert.equal(late.statusCode, 410, late.body);
      assert.match(late.body, /expired/);
      assert.equal(await stateOf(id, 'sncn_newsletter'), 'unconfirmed');
      assert.equal((await eventsOf(subject_id)).length, 0);

      const confirmed = await app.request({
        method: 'POST',
        url: path,
        headers: form,
        payload: 'confirm=yes',
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.match(confirmed.body, /role="status"/);
      assert.equal(await stateOf(id, 'sncn_newsletter'), 'confirmed');
      assert.equal(await verdict(address, 'sncn_newsletter'), 'consent');
      assert.deepEqual(
        (await eventsOf(subject_id)).map((e) => [e.target_id, e.event, e.channel]),
        [['sncn_newsletter', 'given', 'email_confirmation']],
      );
      const again = await app.request({ method: 'POST', url: path, headers: form, payload: '' });
      assert.equal(again.statusCode, 200, again.body);
      assert.match(again.body, /already confirmed/);
      assert.equal((await eventsOf(subject_id)).length, 1);
    });

    test('C4a.5 subscribing in the preference centre records consent there, and double opt-in lists wait for the email', async () => {
      const address = email('lena');
      await person([address]);
      const { id, subject_id } = await identifierOf(address);
      const token = preferencesToken(id);
      const direct = await postPreferences(token, 'subscribe:product_updates');
      assert.equal(direct.statusCode, 200, direct.body);
      assert.equal(await verdict(address, 'product_updates'), 'consent');
      const given = (await eventsOf(subject_id)).filter((e) => e.target_kind === 'communication');
      assert.deepEqual(
        given.map((e) => [e.target_id, e.event, e.channel]),
        [['product_updates', 'given', 'preference_centre']],
      );
      const pending = await postPreferences(token, 'subscribe:group_newsletter');
      assert.equal(pending.statusCode, 200, pending.body);
      assert.match(pending.body, /emailed you a link to confirm/);
      assert.equal(await verdict(address, 'group_newsletter'), 'unconfirmed');
      const sub = await db()
        .selectFrom('subscriptions')
        .select(['state', 'sender'])
        .where('identifier_id', '=', id)
        .where('communication_id', '=', 'group_newsletter')
        .executeTakeFirstOrThrow();
      assert.deepEqual(sub, { state: 'unconfirmed', sender: 'Sony Europe B.V.' });
      assert.match(await confirmationPath(address), /^\/confirm\//);
    });

    test('C9.4 each consent given can be withdrawn from the preference centre with one button', async () => {
      const address = email('mallory');
      const subjectId = await person(
        [address],
        [
          { kind: 'purpose', id: 'website_analytics' },
          { kind: 'purpose', id: 'personalised_content' },
        ],
      );
      const { id } = await identifierOf(address);
      const token = preferencesToken(id);
      const page = await app.request({ method: 'GET', url: `/preferences/${token}` });
      assert.match(page.body, /value="withdraw:website_analytics"/);
      assert.match(page.body, /value="withdraw:personalised_content"/);
      const res = await postPreferences(token, 'withdraw:website_analytics');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /role="status"/);
      assert.doesNotMatch(res.body, /value="withdraw:website_analytics"/);
      assert.match(res.body, /value="withdraw:personalised_content"/);
      const events = await eventsOf(subjectId);
      const last = (target: string) => events.filter((e) => e.target_id === target).at(-1);
      assert.deepEqual(
        [last('website_analytics')?.event, last('website_analytics')?.channel],
        ['withdrawn', 'preference_centre'],
      );
      assert.equal(last('personalised_content')?.event, 'given');
      const count = events.length;
      const contract = await postPreferences(token, 'withdraw:b2b_service_provision');
      assert.equal(contract.statusCode, 400, contract.body);
      const unknown = await postPreferences(token, 'delete-everything');
      assert.equal(unknown.statusCode, 400, unknown.body);
      assert.equal((await eventsOf(subjectId)).length, count);
    });

    test('C8.1 a Global Privacy Control signal on the preference centre withdraws GPC-sensitive cookie consent', async () => {
      const address = email('niaj');
      const subjectId = await person(
        [address],
        [
          { kind: 'cookie_category', id: 'marketing' },
          { kind: 'cookie_category', id: 'analytics' },
        ],
      );
      const { id } = await identifierOf(address);
      const token = preferencesToken(id);
      const plain = await app.request({ method: 'GET', url: `/preferences/${token}` });
      assert.equal(plain.statusCode, 200, plain.body);
      assert.doesNotMatch(plain.body, /Global Privacy Control/);
      assert.equal((await eventsOf(subjectId)).length, 2);
      const res = await app.request({
        method: 'GET',
        url: `/preferences/${token}`,
        headers: { 'sec-gpc': '1' },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /role="status"[^]*Global Privacy Control[^]*Marketing/);
      const events = await eventsOf(subjectId);
      assert.deepEqual(
        events.slice(2).map((e) => [e.target_kind, e.target_id, e.event, e.gpc]),
        [['cookie_category', 'marketing', 'withdrawn', 1]],
      );
      const again = await app.request({
        method: 'GET',
        url: `/preferences/${token}`,
        headers: { 'sec-gpc': '1' },
      });
      assert.match(again.body, /Global Privacy Control/);
      assert.equal((await eventsOf(subjectId)).length, 3);
    });

    test('C4a.9 the email-link form answers identically for known and unknown addresses', async () => {
      const known = email('olivia');
      await subscribeApi(known, 'product_updates');
      const unknown = email('nobody');
      const form1 = await app.request({ method: 'GET', url: '/preferences' });
      assert.equal(form1.statusCode, 200);
      assert.match(form1.body, /<label for="email">Email address<\/label>/);
      const ask = (address: string, remoteAddress: string) =>
        app.request({
          method: 'POST',
          url: '/preferences',
          remoteAddress,
          headers: form,
          payload: new URLSearchParams({ email: address }).toString(),
        });
      const a = await ask(known, '198.51.100.1');
      const b = await ask(unknown, '198.51.100.2');
      assert.equal(a.statusCode, 200, a.body);
      assert.equal(b.statusCode, a.statusCode);
      assert.equal(b.body, a.body);
      assert.match(a.body, /role="status"/);
      const links = await waitFor(async () => {
        const rows = await preferenceLinks(known);
        return rows.length > 0 ? rows : undefined;
      });
      assert.equal(links?.length, 1);
      assert.deepEqual(await preferenceLinks(unknown), []);
      const path = /\/preferences\/\S+/.exec(links?.[0]?.text ?? '')?.[0] ?? '';
      const centre = await app.request({ method: 'GET', url: path });
      assert.equal(centre.statusCode, 200, centre.body);
      assert.match(centre.body, /value="unsubscribe:product_updates"/);

      const invalid = await ask('not an address', '198.51.100.3');
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.body, /aria-invalid="true"/);
      // Rate-limited per client: the sixth request in a minute is refused.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await ask(unknown, '198.51.100.9')).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    });

    test('C4a.9 at most three preference links an hour reach one address, however many clients ask', async () => {
      const address = email('quentin');
      await subscribeApi(address, 'product_updates');
      for (let i = 0; i < 5; i += 1) {
        const res = await app.request({
          method: 'POST',
          url: '/preferences',
          remoteAddress: `203.0.113.${10 + i}`,
          headers: form,
          payload: new URLSearchParams({ email: address }).toString(),
        });
        assert.equal(res.statusCode, 200, res.body);
        // Each send runs after its answer; wait for it before the next ask counts the outbox.
        await waitFor(async () =>
          (await preferenceLinks(address)).length >= Math.min(i + 1, 3) ? true : undefined,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal((await preferenceLinks(address)).length, 3);
    });

    test('C4a.9 an expired preference link offers a fresh one, sent only to its own address', async () => {
      const address = email('peggy');
      await subscribeApi(address, 'product_updates');
      const { id } = await identifierOf(address);
      const expired = preferencesToken(id, -60);
      const page = await app.request({ method: 'GET', url: `/preferences/${expired}` });
      assert.equal(page.statusCode, 410, page.body);
      assert.match(page.body, /value="resend"/);
      const refused = await postPreferences(expired, 'unsubscribe:product_updates');
      assert.equal(refused.statusCode, 410, refused.body);
      assert.equal(await verdict(address, 'product_updates'), 'consent');
      const resend = await postPreferences(expired, 'resend');
      assert.equal(resend.statusCode, 200, resend.body);
      const links = await waitFor(async () => {
        const rows = await preferenceLinks(address);
        return rows.length > 0 ? rows : undefined;
      });
      assert.equal(links?.length, 1);
      const forged = await app.request({ method: 'GET', url: `/preferences/${expired.slice(0, -2)}xx` });
      assert.equal(forged.statusCode, 400, forged.body);
      assert.match(forged.body, /invalid_token/);
    });

    test('C4a.9 pages are in English by default and in Swedish with ?lang=sv or Accept-Language: sv', async () => {
      const address = email('quinn');
      await subscribeApi(address, 'product_updates');
      const { id } = await identifierOf(address);
      const token = preferencesToken(id);
      const en = await app.request({ method: 'GET', url: `/preferences/${token}` });
      assert.match(en.body, /<html lang="en">/);
      assert.match(en.body, /Your email choices/);
      const query = await app.request({ method: 'GET', url: `/preferences/${token}?lang=sv` });
      assert.match(query.body, /<html lang="sv">/);
      assert.match(query.body, /Dina e-postval/);
      assert.match(query.body, /Produktuppdateringar och erbjudanden/);
      assert.ok(query.body.includes(`action="/preferences/${token}?lang=sv"`));
      const header = await app.request({
        method: 'GET',
        url: `/u/${unsubscribeToken(id, 'product_updates')}`,
        headers: { 'accept-language': 'ja-JP, sv;q=0.8, en;q=0.5' },
      });
      assert.match(header.body, /<html lang="sv">/);
      assert.match(header.body, /Avsluta prenumerationen/);
      assert.equal(await verdict(address, 'product_updates'), 'consent');
    });
  });
}
