/**
 * The demo company site at `/` in a real browser (headless Chromium) against a real Steward
 * server on SQLite and PostgreSQL: a newcomer sees that it is an example, signs up to the
 * newsletter, sends the contact form, and a privacy officer sees the website figures in the
 * console. The pages are plain HTML forms: they are checked with the browser script blocked too,
 * and the sign-up and contact tests only use the banner if the script shows one.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import type { BannerConfig, ConsentAnswer, EventBatch } from '../../src/web/contract.js';
import type { Traffic } from '../../src/web/traffic.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, ensureConsoleBuilt, launchBrowser } from '../support/browser.js';
import { mailbox } from '../support/mail.js';
import { CONTROLLER_TENANT } from '../../src/subjects/subjects.js';
import { unsafeAnyTenant } from '../../src/store/tenant-guard.js';

const DECLARATION_ID = 'sncn-general';
const STRIP = 'This is an example site that shows Steward at work.';
const TIMEOUT = { timeout: 120_000 };
/** A browser that is not a bot: events from it are kept (headless Chromium's are dropped). */
const chromeAgent = (n: number) =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${n}.0 Safari/537.36`;

const browser = await launchBrowser();
if (browser) await ensureConsoleBuilt();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

// Asked once: a second check made while the first group runs can time out on a busy machine.
const available = await dialects();

for (const dialect of available) {
  describe(`the demo company site on ${dialect}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    const contexts: BrowserContext[] = [];

    before(async () => {
      app = await startTestApp(dialect);
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(() => app?.close());

    async function newPage(options: { blockScript?: boolean } = {}): Promise<Page> {
      if (!browser) throw new Error('no browser');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      if (options.blockScript) await page.route('**/web/v1/**', (route) => route.abort());
      return page;
    }

    const db = () => app.ctx.store.db;
    const count = async (table: 'subscriptions' | 'records' | 'outbox' | 'web_links') =>
      Number(
        (table === 'records'
          ? // What was stored for anyone, in any partition.
            await db()
              .selectFrom('records')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where(unsafeAnyTenant('records'))
              .executeTakeFirstOrThrow()
          : await db()
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
        ).n,
      );

    /** Goes to a page through the site's main navigation and waits for its heading. */
    async function follow(page: Page, link: string, heading: string, nav = 'Main'): Promise<void> {
      await page.getByRole('navigation', { name: nav }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    }

    test(
      'a newcomer sees the example strip, signs up to the newsletter and sends the contact form',
      TIMEOUT,
      async () => {
        const page = await newPage();
        const response = await page.goto(`${baseUrl}/`);
        assert.equal(response?.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/', 'the home page is the demo site, not a redirect');
        const strip = page.getByRole('note').filter({ hasText: STRIP });
        await strip.waitFor({ state: 'visible' });
        assert.ok(await strip.isVisible(), 'the example strip is visible');
        assert.equal(
          await page.locator('script[src="/web/v1/steward.js"]').getAttribute('data-declaration'),
          DECLARATION_ID,
        );
        assert.equal(await page.locator('a[href="/privacy/sncn-general"]').count(), 1);
        assert.equal(await page.locator('a[href="/privacy-centre"]').count(), 1);
        assert.match(await page.title(), /Sony Network Communications Nordics/);

        // If the browser script works, its banner asks first: allow everything, so the sign-up
        // below can link this browser. The site itself does not depend on it.
        const banner = page.getByRole('dialog', { name: 'Your cookie choices' });
        const bannerShown = await banner.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        );
        let consentCookie = false;
        if (bannerShown) {
          await banner.getByRole('button', { name: 'Accept all' }).click();
          for (let i = 0; i < 50 && !consentCookie; i += 1) {
            consentCookie = (await page.context().cookies()).some((c) => c.name === 'steward_consent');
            if (!consentCookie) await page.waitForTimeout(100);
          }
          assert.ok(consentCookie, 'the banner choice is kept in the consent cookie');
          await page.waitForFunction('window.demoMarketingTag === true');
          assert.match(await page.locator('#demo-tag-state').innerText(), /ran/);
        } else {
          process.stdout.write('# the browser script showed no banner: checking the site without it\n');
          assert.equal(
            await page.evaluate('window.demoMarketingTag'),
            undefined,
            'the gated tag did not run',
          );
        }

        // The newsletter: bad input is answered at the fields and stores nothing.
        await follow(page, 'Newsletter', 'Newsletter');
        const consentBox = page.getByLabel(/Sony Network Communications newsletter/);
        assert.equal(await consentBox.isChecked(), false, 'the consent box starts unticked');
        assert.match(
          (await page.locator('#list-sncn_newsletter-hint').innerText()).trim(),
          /Purpose: Newsletters\./,
          'the box names the declared purpose',
        );
        await page.getByLabel('Email address').fill('not an address');
        await page.getByRole('button', { name: 'Sign up' }).click();
        await page.locator('#email-error').waitFor();
        assert.equal(
          (await page.locator('#email-error').innerText()).trim(),
          'Enter an email address such as name@example.com.',
        );
        assert.match(await page.locator('#lists-error').innerText(), /Tick a box/);
        assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
        assert.equal(await count('subscriptions'), 0, 'nothing is stored for bad input');
        assert.equal(await count('outbox'), 0);

        const email = `newcomer-${dialect}@example.org`;
        await page.getByLabel('Email address').fill(email);
        await page.getByLabel(/Sony Network Communications newsletter/).check();
        await page.getByRole('button', { name: 'Sign up' }).click();
        await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
        assert.match(await page.locator('main .status').innerText(), new RegExp(`If ${email} can receive`));

        const subscriptions = await db()
          .selectFrom('subscriptions')
          .select(['subject_id', 'communication_id', 'state'])
          .execute();
        assert.deepEqual(
          subscriptions.map((s) => [s.communication_id, s.state]),
          [['sncn_newsletter', 'unconfirmed']],
          'double opt-in, as the declaration says: the subscription waits for confirmation',
        );
        const mail = await mailbox(app.ctx);
        assert.equal(mail.length, 1);
        assert.equal(mail[0]?.to, email);
        assert.equal(mail[0]?.kind, 'confirmation');
        assert.match(mail[0]?.text ?? '', /\/confirm\//, 'the message carries the confirmation link');
        assert.equal(await count('web_links'), 0, 'typing an address into a form links nothing');
        if (consentCookie) {
          // Confirming from this browser proves control of the address: now the browser is linked.
          const confirm = /https?:\/\/\S+(\/confirm\/\S+)/.exec(mail[0]?.text ?? '')?.[1] ?? '';
          await page.goto(`${baseUrl}${confirm}`);
          await page.getByRole('button', { name: 'Confirm subscription' }).click();
          await page.getByRole('heading', { level: 1, name: 'Subscription confirmed' }).waitFor();
          const links = await db().selectFrom('web_links').select(['subject_id', 'purpose']).execute();
          assert.deepEqual(
            links,
            [{ subject_id: subscriptions[0]?.subject_id, purpose: 'personalised_content' }],
            'with marketing allowed, the confirming browser is linked to the person',
          );
          await page.goto(`${baseUrl}/newsletter`);
        }

        // The contact form: bad input again stores nothing; a good message is a record.
        await follow(page, 'Contact', 'Contact us');
        await page.getByLabel('Email address').fill(email);
        await page.getByRole('button', { name: 'Send' }).click();
        await page.locator('#message-error').waitFor();
        assert.equal((await page.locator('#message-error').innerText()).trim(), 'Write your message.');
        assert.equal(await page.getByLabel('Your message').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.getByLabel('Email address').inputValue(), email, 'what was typed stays');
        assert.equal(await count('records'), 0, 'nothing is stored for bad input');

        await page.getByLabel('Your name (optional)').fill('Nova Newcomer');
        await page.getByLabel('Your message').fill('Which of your products works for a school?');
        await page.getByRole('button', { name: 'Send' }).click();
        await page.getByRole('heading', { level: 1, name: 'Message sent' }).waitFor();

        const records = await db()
          .selectFrom('records')
          .select(['subject_id', 'purposes', 'categories', 'source_id', 'kind', 'data'])
          .where('tenant', '=', CONTROLLER_TENANT)
          .execute();
        assert.equal(records.length, 1);
        const record = records[0]!;
        assert.deepEqual(JSON.parse(record.purposes), [{ id: 'enquiries', basis: 'legitimate_interests' }]);
        assert.equal(record.source_id, 'website_forms');
        assert.equal(record.kind, 'form_submission');
        assert.deepEqual(JSON.parse(record.categories), [
          'user.contact.email',
          'user.content.communication',
          'user.name',
        ]);
        assert.equal(record.subject_id, subscriptions[0]?.subject_id, 'the same person, found by address');
        assert.doesNotMatch(record.data, /school/, 'the message is stored sealed');
      },
    );

    test('the pages work in Swedish, by keyboard and without the browser script', TIMEOUT, async () => {
      const page = await newPage({ blockScript: true });
      assert.equal((await page.goto(`${baseUrl}/?lang=sv`))?.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'sv');
      await page
        .getByRole('note')
        .filter({ hasText: 'Det här är en exempelwebbplats som visar Steward i arbete.' })
        .waitFor();
      assert.equal(await page.locator('a[href="/privacy/sncn-general?lang=sv"]').count(), 1);
      assert.equal(await page.locator('a[href="/privacy-centre?lang=sv"]').count(), 1);

      // The skip link is the first stop for the keyboard and leads to the content.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement.textContent'), 'Till innehållet');

      // Products: a long page, a tagged button, a download and a link to another site.
      await follow(page, 'Produkter', 'Produkter', 'Huvudmeny');
      const compare = page.getByRole('button', { name: 'Jämför produkter' });
      assert.equal(await compare.getAttribute('data-steward-label'), 'compare-products');
      assert.ok(
        (await page.evaluate<number>('document.documentElement.scrollHeight')) > 2 * 900,
        'the products page is long enough to scroll',
      );
      await compare.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Jämförelse' }).waitFor();
      assert.match(page.url(), /view=compare/);
      assert.match(page.url(), /lang=sv/, 'the language is kept');
      assert.match(await page.getByRole('table').innerText(), /Visilion/);
      const download = page.getByRole('link', { name: 'Produktblad (textfil)' });
      assert.equal(await download.getAttribute('download'), '');
      const sheet = await page.request.get(`${baseUrl}${await download.getAttribute('href')}`);
      assert.equal(sheet.status(), 200);
      assert.match(await sheet.text(), /example/i);
      assert.equal(
        new URL((await page.getByRole('link', { name: /återförsäljare/ }).getAttribute('href')) ?? '').host,
        'www.example.com',
      );

      // Site search through a role=search form.
      await follow(page, 'Sök', 'Sök', 'Huvudmeny');
      const form = page.locator('main form[role="search"]');
      await form.getByLabel('Sök på webbplatsen').fill('Nimway');
      await form.getByRole('button', { name: 'Sök' }).click();
      await page.getByText('1 träff för ”Nimway”.').waitFor();
      assert.match(page.url(), /[?&]q=Nimway/);
      assert.equal(await page.getByRole('link', { name: 'Nimway' }).count(), 1);

      // Forms still work without the script, and answer in Swedish at the field.
      await follow(page, 'Nyhetsbrev', 'Nyhetsbrev', 'Huvudmeny');
      await page.getByRole('button', { name: 'Anmäl mig' }).click();
      assert.equal((await page.locator('#email-error').innerText()).trim(), 'Ange din e-postadress.');
      assert.equal(await page.evaluate('window.demoMarketingTag'), undefined, 'the gated tag never ran');
      assert.match(await page.locator('#demo-tag-state').innerText(), /har inte körts/);
    });

    test('the console Website page shows the figures drawn from the events', TIMEOUT, async () => {
      // Twelve visitors (more than the declaration's minimum group size of 10) view /products;
      // three of four banner choices allow analytics.
      const config = (
        await app.request({ method: 'GET', url: `/web/v1/config/${DECLARATION_ID}` })
      ).json<BannerConfig>();
      const post = (url: string, body: unknown, n: number) =>
        app.request({
          method: 'POST',
          url,
          remoteAddress: `198.51.100.${n}`,
          headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': chromeAgent(n) },
          payload: JSON.stringify(body),
        });
      const tokens: string[] = [];
      for (const [n, analytics] of [
        [1, true],
        [2, true],
        [3, true],
        [4, false],
      ] as const) {
        const res = await post(
          '/web/v1/consent',
          {
            declarationId: DECLARATION_ID,
            version: config.version,
            categories: { preferences: false, analytics, marketing: false },
            gpc: false,
            language: 'en',
            via: analytics ? 'save' : 'reject_all',
          },
          n,
        );
        assert.equal(res.statusCode, 200, res.body);
        tokens.push(res.json<ConsentAnswer>().token);
      }
      for (let n = 1; n <= 12; n += 1) {
        const batch: EventBatch = {
          id: randomBytes(12).toString('base64url'),
          declarationId: DECLARATION_ID,
          ...(n <= 3 ? { token: tokens[n - 1] } : {}),
          page: `https://demo.example/products?visitor=${n}`,
          events: [
            { type: 'page_view', at: Date.now() },
            { type: 'timing', at: Date.now(), value: 100 + n * 10 },
            ...(n <= 3 ? [{ type: 'click' as const, at: Date.now(), label: 'compare-products' }] : []),
          ],
        };
        const res = await post('/web/v1/events', batch, n);
        assert.equal(res.statusCode, 202, res.body);
      }

      const { cookie, email, password } = await app.signInAs('privacy_officer');
      const traffic = (
        await app.request({
          method: 'GET',
          url: `/api/v1/web/traffic?declarationId=${DECLARATION_ID}&days=30`,
          headers: { cookie },
        })
      ).json<Traffic>();
      const products = traffic.topPages.find((p) => p.path === '/products');
      assert.ok(products && products.visitors >= 12, JSON.stringify(traffic.topPages));
      const analytics = traffic.consent.find((c) => c.category === 'analytics');
      assert.ok(analytics && analytics.given >= 3 && analytics.refused >= 1, JSON.stringify(traffic.consent));

      const page = await signIn({ email, password });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Website' }).click();
      await page.getByRole('heading', { level: 1, name: 'Website' }).waitFor();

      const visits = traffic.days.reduce((sum, d) => sum + d.visits, 0);
      const views = traffic.days.reduce((sum, d) => sum + d.pageViews, 0);
      assert.ok(visits >= 12 && views >= 12);
      await page.getByTestId('visits-summary').waitFor();
      assert.match(
        await page.getByTestId('visits-summary').innerText(),
        new RegExp(`^${visits} visits and ${views} page views from `),
      );
      const topPages = page.getByTestId('top-pages');
      const row = topPages.getByRole('row').filter({ hasText: '/products' });
      assert.deepEqual(
        (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim()),
        [String(products.pageViews), String(products.visitors)],
      );
      assert.match(
        await page.getByTestId('group-size-note').innerText(),
        /Pages seen by fewer than 10 visitors are not shown/,
      );
      const today = traffic.responseTimes.at(-1)!;
      assert.match(
        await page.getByTestId('response-times-summary').innerText(),
        new RegExp(`median was ${today.medianMs} ms and the 75th percentile ${today.p75Ms} ms`),
      );
      const share = Math.round((analytics.given / (analytics.given + analytics.refused)) * 100);
      assert.match(
        await page.getByTestId('consent-summary').innerText(),
        new RegExp(`Analytics: ${share}% allowed, ${100 - share}% refused`),
      );
      // Each chart is drawn, described, and has its table.
      assert.equal(await page.locator('main svg[role="img"]').count(), 3);
      for (const id of ['visits-table', 'top-pages', 'response-times-table', 'consent-table'])
        assert.equal(await page.getByTestId(id).count(), 1, id);
      await page.getByText('The same figures as a table').first().click();
      assert.ok(await page.getByTestId('visits-table').isVisible());
    });

    /** Signs in through the console's form; waits for the first screen. */
    async function signIn(who: { email: string; password: string }): Promise<Page> {
      const page = await newPage();
      const response = await page.goto(`${baseUrl}/console/`);
      assert.equal(response?.status(), 200, 'the console is served');
      const form = page.getByTestId('signin-form');
      await form.waitFor();
      await form.getByLabel('Email').fill(who.email);
      await form.getByLabel('Password').fill(who.password);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('operator').waitFor();
      return page;
    }
  });
}

// The same site over HTTP without a browser (Fastify's inject): these run where Chromium is missing.
for (const dialect of available) {
  describe(`the demo company site over HTTP on ${dialect}`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect);
    });
    after(() => app?.close());

    const form = (url: string, fields: Record<string, string>, cookie?: string) =>
      app.request({
        method: 'POST',
        url,
        remoteAddress: '203.0.113.9',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': chromeAgent(1),
          ...(cookie ? { cookie } : {}),
        },
        payload: new URLSearchParams(fields).toString(),
      });
    const rows = async (table: 'subscriptions' | 'outbox' | 'web_links') =>
      app.ctx.store.db.selectFrom(table).selectAll().execute();

    test('every page is an example with the script, the gated tag and no inline script allowed', async () => {
      for (const url of ['/', '/products', '/search?q=mSafety', '/newsletter', '/contact', '/?lang=sv']) {
        const res = await app.request({ method: 'GET', url });
        assert.equal(res.statusCode, 200, url);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.match(res.body, /<div class="example-strip" id="example-strip" role="note">/, url);
        assert.match(
          res.body,
          /<script src="\/web\/v1\/steward\.js" data-declaration="sncn-general" defer(="")?><\/script>/,
        );
        assert.match(
          res.body,
          /<script type="text\/plain" data-category="marketing" src="\/demo\/marketing-tag\.js"><\/script>/,
        );
        assert.doesNotMatch(res.body, /<script>|<script type="text\/javascript">/, 'no inline script');
        const csp = String(res.headers['content-security-policy']);
        assert.match(csp, /script-src 'self'(;|$)/, 'scripts from this origin only');
      }
      const tag = await app.request({ method: 'GET', url: '/demo/marketing-tag.js' });
      assert.equal(tag.statusCode, 200);
      assert.match(tag.body, /window\.demoMarketingTag = true/);
      const search = await app.request({ method: 'GET', url: `/search?q=${'x'.repeat(201)}` });
      assert.equal(search.statusCode, 400, 'an overlong search term is refused at the field');
      assert.match(search.body, /id="q-error">Use at most 200 characters\./);
    });

    test('bad input is answered at the field and nothing is stored', async () => {
      const cases: [string, Record<string, string>, RegExp][] = [
        [
          '/newsletter',
          { email: '', 'list-sncn_newsletter': 'yes' },
          /id="email-error">Enter your email address\./,
        ],
        ['/newsletter', { email: 'kim@example.org' }, /id="lists-error">Tick a box/],
        ['/newsletter', { email: 'kim@', 'list-sncn_newsletter': 'yes' }, /id="email-error">Enter an email/],
        ['/contact', { email: 'kim@example.org', message: ' ' }, /id="message-error">Write your message\./],
        [
          '/contact',
          { email: 'kim@example.org', message: 'x'.repeat(5001) },
          /id="message-error">Use at most 5000 characters\./,
        ],
        ['/contact?lang=sv', { message: 'Hej' }, /id="email-error">Ange din e-postadress\./],
      ];
      for (const [url, fields, message] of cases) {
        const res = await form(url, fields);
        assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(fields).slice(0, 80)}`);
        assert.match(res.body, message);
        assert.match(res.body, /aria-invalid="true"/);
      }
      for (const table of ['subscriptions', 'outbox'] as const)
        assert.deepEqual(await rows(table), [], `nothing in ${table}`);
      const records = await app.ctx.store.db
        .selectFrom('records')
        .select('id')
        .where(unsafeAnyTenant('records'))
        .execute();
      assert.deepEqual(records, [], 'nothing in records, in any partition');
    });

    test('C3d.4 a browser is linked to a person only on confirmation from it, and only with marketing allowed', async () => {
      const config = (
        await app.request({ method: 'GET', url: `/web/v1/config/${DECLARATION_ID}` })
      ).json<BannerConfig>();
      const choose = async (marketing: boolean) => {
        const res = await app.request({
          method: 'POST',
          url: '/web/v1/consent',
          remoteAddress: '203.0.113.9',
          headers: { 'content-type': 'text/plain', 'user-agent': chromeAgent(1) },
          payload: JSON.stringify({
            declarationId: DECLARATION_ID,
            version: config.version,
            categories: { preferences: false, analytics: true, marketing },
            gpc: false,
            language: 'en',
            via: 'save',
          }),
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json<ConsentAnswer>();
      };
      // The cookie as the browser script writes it: form-encoded, the token under `t`.
      const cookieOf = (answer: ConsentAnswer) =>
        `steward_consent=${new URLSearchParams({ v: answer.version, t: answer.token, a: answer.allowed.join(), o: '' }).toString()}`;

      const without = await form(
        '/newsletter',
        { email: 'no-marketing@example.org', 'list-sncn_newsletter': 'yes' },
        cookieOf(await choose(false)),
      );
      assert.equal(without.statusCode, 201, without.body);
      assert.deepEqual(await rows('web_links'), [], 'analytics alone does not allow a link');

      const forged = await form(
        '/newsletter',
        { email: 'forged@example.org', 'list-sncn_newsletter': 'yes' },
        'steward_consent=v%3Dx%26t%3Dnot-a-token',
      );
      assert.equal(forged.statusCode, 201, 'a forged cookie does not stop the sign-up');
      assert.deepEqual(await rows('web_links'), []);

      const withMarketing = await form(
        '/newsletter',
        { email: 'linked@example.org', 'list-sncn_newsletter': 'yes', 'list-group_newsletter': 'yes' },
        cookieOf(await choose(true)),
      );
      assert.equal(withMarketing.statusCode, 201, withMarketing.body);
      assert.deepEqual(await rows('web_links'), [], 'typing someone’s address links nothing');
      const marketingCookie = cookieOf(await choose(true));
      const [confirmation] = await mailbox(app.ctx, { to: 'linked@example.org' });
      const confirmPath = /https?:\/\/\S+(\/confirm\/\S+)/.exec(confirmation?.text ?? '')?.[1] ?? '';
      const confirmed = await form(confirmPath, {}, marketingCookie);
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const linked = await rows('web_links');
      assert.equal(linked.length, 1);
      const subject = await app.ctx.store.db
        .selectFrom('identifiers')
        .select('subject_id')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('value', '=', 'linked@example.org')
        .executeTakeFirstOrThrow();
      assert.equal(linked[0]?.subject_id, subject.subject_id, 'linked to the person who signed up');
      assert.equal(linked[0]?.purpose, 'personalised_content');
      const lists = await app.ctx.store.db
        .selectFrom('subscriptions')
        .select(['communication_id', 'state'])
        .where('subject_id', '=', subject.subject_id)
        .orderBy('communication_id')
        .execute();
      assert.deepEqual(
        lists.map((l) => l.communication_id),
        ['group_newsletter', 'sncn_newsletter'],
      );
      assert.deepEqual(
        lists.map((l) => l.state).sort(),
        ['confirmed', 'unconfirmed'],
        'one list confirmed through its own message, the other still waiting',
      );
    });
  });
}
