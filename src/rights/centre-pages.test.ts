/**
 * The privacy centre's HTML pages over HTTP, on SQLite and PostgreSQL: the form, the code, the
 * request page and collecting the answer, as a browser without JavaScript would use them.
 * The journey with JavaScript and the emailed link is in test/browser/privacy-centre.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import { Worker } from '../jobs/queue.js';
import { jobDefinitions } from '../worker-jobs.js';
import { lastMessage } from '../../test/support/mail.js';
import { untilLinkSpent } from '../../test/support/result-links.js';

const form = (fields: Record<string, string>) => ({
  'content-type': 'application/x-www-form-urlencoded',
  payload: new URLSearchParams(fields).toString(),
});

for (const dialect of await dialects()) {
  describe(`the privacy centre pages on ${dialect}`, () => {
    let app: TestApp;
    let officer: Record<string, string>;
    before(async () => {
      app = await startTestApp(dialect);
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();
    const post = (url: string, fields: Record<string, string>) => {
      const { payload, ...headers } = form(fields);
      return app.request({ method: 'POST', url, headers, payload });
    };
    const lastMail = async (address: string, kind: string) => {
      const mail = await lastMessage(app.ctx, { to: address, kind });
      assert.ok(mail, `a ${kind} mail went to ${address}`);
      return mail.text;
    };
    const codeIn = (text: string) => /(?:Your code|Din kod): (\d{6})/.exec(text)?.[1] ?? '';
    const hidden = (html: string, name: string) =>
      new RegExp(`<input type="hidden" name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
    const countRequests = async () =>
      (await app.ctx.store.db.selectFrom('requests').select('id').execute()).length;

    /** Sends the form as a person would, and returns the request id and access key from the answer. */
    const ask = async (email: string, type: string, extra: Record<string, string> = {}) => {
      const res = await post('/privacy-centre', { declaration: 'sncn-general', type, email, ...extra });
      assert.equal(res.statusCode, 201, res.body);
      const id = /action="\/privacy-centre\/requests\/([^"?]+)/.exec(res.body)?.[1] ?? '';
      return { res, id, token: hidden(res.body, 'token') };
    };

    test('C13.1 the form offers every request type with a label, in English and Swedish', async () => {
      const res = await app.request({ method: 'GET', url: '/privacy-centre' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      for (const type of [
        'access',
        'portability',
        'rectification',
        'erasure',
        'restriction',
        'objection',
        'withdrawal',
      ])
        assert.match(
          res.body,
          new RegExp(`<input type="radio"[^>]* id="type-${type}"[^>]*><label for="type-${type}">`),
        );
      assert.match(res.body, /<label for="email">Your email address<\/label>/);
      assert.match(res.body, /<html lang="en">/);
      const sv = await app.request({ method: 'GET', url: '/privacy-centre?lang=sv' });
      assert.match(sv.body, /<html lang="sv">/);
      assert.match(sv.body, /Radera mina uppgifter/);
      assert.doesNotMatch(res.body, /<script/, 'the form needs no script');
      const notice = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      assert.match(
        notice.body,
        /<a href="\/privacy-centre">Our privacy centre<\/a>/,
        'the notice links to it',
      );
    });

    test('a form with problems is shown again with each problem named at its field, and nothing is stored', async () => {
      const before = await countRequests();
      const res = await post('/privacy-centre', {
        declaration: 'sncn-general',
        email: 'not-an-address',
        name: 'Kim',
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /class="error-summary" role="alert"/);
      assert.match(res.body, /Choose what you would like us to do\./);
      assert.match(res.body, /id="email-error">Enter an email address/);
      assert.match(res.body, /id="email"[^>]*aria-describedby="email-hint email-error" aria-invalid="true"/);
      assert.match(res.body, /name="name"[^>]*value="Kim"/, 'what was typed is kept');
      const objection = await post('/privacy-centre', {
        declaration: 'sncn-general',
        type: 'objection',
        objection: 'purpose',
        email: 'kim@example.org',
      });
      assert.equal(objection.statusCode, 400);
      assert.match(objection.body, /Choose the use you object to\./);
      assert.equal(await countRequests(), before);
    });

    test('C9.6 the page after sending reads the same whether or not we hold data about the person', async () => {
      await subscribeConfirmed(app, officer, 'known.person@example.org');
      const known = await ask('known.person@example.org', 'erasure');
      const unknown = await ask('nobody.here@example.org', 'erasure');
      const strip = (html: string) =>
        html
          .replace(/R-[2-9A-Z]{4}-[2-9A-Z]{4}/g, 'REF')
          .replace(/requests\/[^"?]+/g, 'requests/ID')
          .replace(/value="[A-Za-z0-9_-]{20,}"/g, 'value="TOKEN"');
      assert.equal(strip(known.res.body), strip(unknown.res.body));
      await runJobs();
      const code = codeIn(await lastMail('known.person@example.org', 'rights_code'));
      const wrong = await post(`/privacy-centre/requests/${known.id}`, {
        token: known.token,
        action: 'code',
        code: code === '000000' ? '111111' : '000000',
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /That code is not right/);
      const right = await post(`/privacy-centre/requests/${known.id}`, {
        token: known.token,
        action: 'code',
        code,
      });
      assert.equal(right.statusCode, 200, right.body);
      assert.match(right.body, /your request is confirmed/);
      assert.match(right.body, /<li><time datetime="[^"]+">[^<]+<\/time>: Confirmed that it is you<\/li>/i);
      const decoy = await post(`/privacy-centre/requests/${unknown.id}`, {
        token: unknown.token,
        action: 'code',
        code: '123456',
      });
      assert.equal(decoy.statusCode, 400);
      assert.match(
        decoy.body,
        /That code is not right/,
        'an unknown person meets the same wrong-code answer',
      );
    });

    test('C9.6 another request’s page cannot be read with a key that is not its own', async () => {
      const mine = await ask('mine@example.org', 'access');
      const theirs = await ask('theirs@example.org', 'access');
      const res = await post(`/privacy-centre/requests/${theirs.id}`, {
        token: mine.token,
        action: 'status',
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /not valid/);
      assert.doesNotMatch(res.body, /R-[2-9A-Z]{4}-[2-9A-Z]{4}/, 'no reference leaks');
      const page = await app.request({ method: 'GET', url: `/privacy-centre/requests/${theirs.id}` });
      assert.doesNotMatch(page.body, /R-[2-9A-Z]{4}/, 'the page without a key shows nothing of the request');
      assert.match(
        page.body,
        /<script src="\/privacy-centre\/centre-[0-9a-f]{12}\.js" defer(="")?><\/script>/,
      );
      assert.match(page.body, /script-src (?:'|&#x27;)self(?:'|&#x27;)/);
    });

    test('withdrawing needs the box ticked; a withdrawn request says so', async () => {
      const { id, token } = await ask('changed.mind@example.org', 'restriction');
      const unticked = await post(`/privacy-centre/requests/${id}`, { token, action: 'withdraw' });
      assert.equal(unticked.statusCode, 400);
      const done = await post(`/privacy-centre/requests/${id}`, {
        token,
        action: 'withdraw',
        confirm: 'yes',
      });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Your request is withdrawn\./);
      assert.match(done.body, /<dd class="state">Withdrawn<\/dd>/);
    });

    test('C9.6 C5m.1 the answer is collected once, with a fresh code, and a passphrase typed twice, or sent on only to a public address', async () => {
      const email = 'collector@example.org';
      await subscribeConfirmed(app, officer, email);
      const { id, token } = await ask(email, 'portability');
      await runJobs();
      const confirmed = await post(`/privacy-centre/requests/${id}`, {
        token,
        action: 'code',
        code: codeIn(await lastMail(email, 'rights_code')),
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const view = await app.request({ method: 'GET', url: `/api/v1/requests/${id}`, headers: officer });
      if (view.json<{ request: { status: string } }>().request.status === 'awaiting_review') {
        const approved = await app.request({
          method: 'POST',
          url: `/api/v1/requests/${id}/approve`,
          headers: officer,
          payload: { note: 'Checked against the customer record' },
        });
        assert.equal(approved.statusCode, 200, approved.body);
      }
      await runJobs();
      const link = /\/privacy-centre\/results\/[A-Za-z0-9_-]+/.exec(
        await lastMail(email, 'rights_completed'),
      )?.[0];
      assert.ok(link, 'the completion mail links to the result page');

      const landing = await app.request({ method: 'GET', url: link });
      assert.equal(landing.statusCode, 200);
      assert.match(landing.body, /Send me a code/);
      const sent = await post(link, { action: 'send-code' });
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /<input type="password" id="passphrase"/);
      assert.match(
        sent.body,
        /Or send it straight to another organisation/,
        'portable data may go on (C5m.1)',
      );
      await runJobs();
      const code = codeIn(await lastMail(email, 'rights_code'));
      const inside = await post(link, { action: 'send', code, endpoint: 'https://192.168.1.10/import' });
      assert.equal(inside.statusCode, 400);
      assert.match(
        inside.body,
        /id="endpoint-error">192\.168\.1\.10 is not on the public internet, so we do not send personal data there/,
      );
      assert.match(inside.body, /value="https:\/\/192\.168\.1\.10\/import"/, 'what was typed stays');
      const noEndpoint = await post(link, { action: 'send', code, endpoint: ' ' });
      assert.match(noEndpoint.body, /id="endpoint-error">Give the address to send your data to/);
      const plain = await post(`${link}?lang=sv`, {
        action: 'send',
        code,
        endpoint: 'http://receiver.example/in',
      });
      assert.match(
        plain.body,
        /id="endpoint-error">Adressen måste börja med https:\/\//,
        'in the page’s language',
      );
      const mismatch = await post(link, {
        action: 'download',
        code,
        passphrase: 'correct horse',
        'passphrase-again': 'correct hose',
      });
      assert.equal(mismatch.statusCode, 400);
      assert.match(mismatch.body, /The two passphrases differ\./);
      const wrong = await post(link, { action: 'download', code: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /id="code-error">That code is not right/);

      const zip = await post(link, { action: 'download', code, passphrase: '', 'passphrase-again': '' });
      assert.equal(zip.statusCode, 200, zip.body.slice(0, 500));
      assert.equal(zip.headers['content-type'], 'application/zip');
      assert.match(zip.headers['content-disposition'] as string, /attachment/);
      assert.equal(zip.rawPayload.subarray(0, 2).toString('latin1'), 'PK');

      await untilLinkSpent(app.ctx, link);
      const again = await post(link, { action: 'download', code });
      assert.equal(again.statusCode, 410);
      assert.match(again.body, /used already, or it expired/);
      assert.equal((await post(link, { action: 'send-code' })).statusCode, 410);
    });

    test('the script that reads the emailed link is served once per version, cached for good', async () => {
      const page = await app.request({ method: 'GET', url: '/privacy-centre/requests/x' });
      const path = /<script src="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const script = await app.request({ method: 'GET', url: path });
      assert.equal(script.statusCode, 200);
      assert.match(script.headers['content-type'] as string, /javascript/);
      assert.match(script.headers['cache-control'] as string, /immutable/);
      assert.match(script.body, /#token=/);
    });
  });
}
