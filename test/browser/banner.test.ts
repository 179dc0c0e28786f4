/**
 * The browser script (web/script, bundled by src/web/script-bundle.ts) in headless Chromium. A
 * site and a stand-in Steward run as two plain HTTP servers on different ports, so the script
 * works cross-origin as it will in production. The stand-in serves the built script, a fixture
 * banner configuration, answers consent choices with a token and records event batches: what
 * the browser sent is what these tests check. The real endpoints are tested on the server side.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import type {
  BannerConfig,
  BrowserEvent,
  ConsentAnswer,
  ConsentChoice,
  EventBatch,
} from '../../src/web/contract.js';
import { buildBrowserScript } from '../../src/web/script-bundle.js';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, launchBrowser } from '../support/browser.js';

const browser = await launchBrowser();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;
const TIMEOUT = { timeout: 90_000 };

const V1 = 'a1'.repeat(32);
const V2 = 'b2'.repeat(32);
const COOKIE = 'steward_consent';
const services = (category: string, ...names: string[]) =>
  names.map((name) => ({ name, provider: 'Example AB', lifetime: 'P13M', kind: 'cookie', category }));
const text = {
  title: 'Your cookie choices',
  intro: 'We use cookies the site needs; others only with your permission.',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  customise: 'Choose by category',
  save: 'Save my choices',
  close: 'Close',
  alwaysOn: 'Always on',
  services: 'Services',
  noticeLink: 'Privacy and cookie notice',
  reopen: 'Cookie settings',
  gpcHonoured: 'Off: your browser sends a Global Privacy Control signal, which we honour.',
};

function fixture(version: string): BannerConfig {
  const category = (id: string, name: string, extra: Partial<BannerConfig['categories'][number]>) => ({
    id,
    required: false,
    gpcOptOut: false,
    consentMode: [],
    name: { en: name, sv: name },
    description: { en: `${name} cookies.`, sv: `${name}-kakor.` },
    services: [],
    ...extra,
  });
  return {
    declarationId: 'test-site',
    version,
    languages: ['en', 'sv'],
    text: { en: text, sv: { ...text, title: 'Dina cookieval', rejectAll: 'Avvisa alla' } },
    categories: [
      category('necessary', 'Strictly necessary', {
        required: true,
        consentMode: ['security_storage'],
        services: services('necessary', COOKIE),
      }),
      category('analytics', 'Analytics', {
        consentMode: ['analytics_storage'],
        services: services('analytics', 'site_analytics'),
      }),
      category('marketing', 'Marketing', {
        gpcOptOut: true,
        consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'],
        services: services('marketing', 'site_profile', 'li_fat_id'),
      }),
    ],
    events: [
      { type: 'page_view', category: 'analytics', exempt: true },
      { type: 'timing', category: 'analytics', exempt: true },
      ...(['click', 'scroll', 'hover', 'download_error', 'time_on_page', 'site_search', 'exit'] as const).map(
        (type) => ({ type, category: 'analytics', exempt: false }),
      ),
    ],
    gpcHonoured: true,
    consentCookie: { name: COOKIE, days: 180 },
    noticeUrl: 'https://steward.test/privacy/test-site#cookies',
  };
}

// What the stand-in Steward saw.
let config = fixture(V1);
const choices: ConsentChoice[] = [];
const batches: EventBatch[] = [];
const contentTypes: string[] = [];
let preflights = 0;
/** HEAD requests the site saw (the script's download checks). */
const heads: string[] = [];

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, type: string, content: string): void {
  response.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*' }).end(content);
}

/** The stand-in for Steward's /web/v1 endpoints. */
async function steward(request: IncomingMessage, response: ServerResponse, script: string): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://x');
  if (request.method === 'OPTIONS') {
    preflights += 1;
    return send(response, 204, 'text/plain', '');
  }
  if (url.pathname === scriptPath) return send(response, 200, 'text/javascript', script);
  if (url.pathname === `/web/v1/config/${config.declarationId}`)
    return send(response, 200, 'application/json', JSON.stringify(config));
  if (request.method === 'POST' && url.pathname === '/web/v1/consent') {
    contentTypes.push(request.headers['content-type'] ?? '');
    const choice = JSON.parse(await body(request)) as ConsentChoice;
    if (choice.version !== config.version) return send(response, 409, 'application/json', '{}');
    choices.push(choice);
    // Like the server: a changed choice keeps its consent id; GPC turns off marketing.
    const consentId = choice.token?.split('.')[0] ?? `consent${choices.length}`;
    const answer: ConsentAnswer = {
      token: `${consentId}.${choices.length}`,
      allowed: Object.keys(choice.categories).filter(
        (id) => choice.categories[id] && !(choice.gpc && id === 'marketing'),
      ),
      version: config.version,
    };
    return send(response, 200, 'application/json', JSON.stringify(answer));
  }
  if (request.method === 'POST' && url.pathname === '/web/v1/events') {
    contentTypes.push(request.headers['content-type'] ?? '');
    batches.push(JSON.parse(await body(request)) as EventBatch);
    return send(response, 202, 'application/json', '{"accepted":1}');
  }
  send(response, 404, 'text/plain', 'not found');
}

let scriptPath = '';
let stewardOrigin = '';
let site = '';

const pageHtml = (title: string, lang = 'en') => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>
<script src="${stewardOrigin}${scriptPath}" data-declaration="test-site" defer></script>
<script type="text/plain" data-category="analytics">window.analyticsRan = (window.analyticsRan || 0) + 1;</script>
<script type="text/plain" data-category="marketing">window.marketingRan = true;</script>
</head><body>
<h1>${title}</h1>
<a id="internal" href="/other.html?secret=1">Other page</a>
<a id="external" href="http://external.test/landing?campaign=x#top">Elsewhere</a>
<a id="report" href="/files/report.pdf" download>Annual report</a>
<button id="labelled" type="button" data-steward-label="cta">Try it</button>
<form role="search" action="/other.html"><input type="search" name="q" aria-label="Search"><button>Search</button></form>
<div style="height: 5000px"></div><p>The end</p>
</body></html>`;

/** The example site: two pages with the script, a page without it, and nothing else. */
function siteHandler(request: IncomingMessage, response: ServerResponse): void {
  const { pathname } = new URL(request.url ?? '/', 'http://x');
  if (pathname === '/page.html' || pathname === '/other.html')
    return send(response, 200, 'text/html; charset=utf-8', pageHtml(pathname.slice(1)));
  if (pathname === '/sv.html')
    return send(response, 200, 'text/html; charset=utf-8', pageHtml('sv', 'sv-SE'));
  if (request.method === 'HEAD') heads.push(pathname);
  if (pathname === '/blank.html')
    return send(response, 200, 'text/html', '<!doctype html><title>blank</title>');
  send(response, 404, 'text/plain', 'not found');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Waits until `check` holds (polling), failing with `what`. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const events = (): (BrowserEvent & { batch: EventBatch })[] =>
  batches.flatMap((batch) => batch.events.map((e) => ({ ...e, batch })));
const types = () => new Set(events().map((e) => e.type));

describe('the consent banner and analytics script in Chromium', { skip }, () => {
  const servers: Server[] = [];
  const contexts: BrowserContext[] = [];

  before(async () => {
    const script = await buildBrowserScript();
    scriptPath = `/web/v1/steward-${script.hash}.js`;
    const api = createServer((request, response) => {
      steward(request, response, script.code).catch((error: unknown) => {
        response.destroy(error as Error);
      });
    });
    const pages = createServer(siteHandler);
    servers.push(api, pages);
    stewardOrigin = await listen(api);
    site = await listen(pages);
  });
  const pageErrors: Error[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    config = fixture(V1);
    choices.length = 0;
    batches.length = 0;
    heads.length = 0;
    assert.deepEqual(pageErrors.splice(0), [], 'no errors or warnings in the pages');
  });
  after(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  async function open(gpc = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext();
    contexts.push(context);
    await context.route('http://external.test/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>elsewhere</title>' }),
    );
    if (gpc)
      await context.addInitScript(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })",
      );
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    page.on('console', (message) => {
      // The download check's 404 is the browser's own log line, expected.
      if (
        ['warning', 'error'].includes(message.type()) &&
        !message.text().startsWith('Failed to load resource')
      )
        pageErrors.push(new Error(message.text()));
    });
    await page.goto(`${site}/page.html`);
    return { context, page };
  }
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Your cookie choices' });
  const consentCookie = async (context: BrowserContext) => {
    const cookie = (await context.cookies()).find((c) => c.name === COOKIE);
    return cookie && Object.fromEntries(new URLSearchParams(cookie.value));
  };
  /** Runs `expression` in the page (a string: the tests compile without the DOM library). */
  const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;
  const storageUsed = (page: Page) => inPage<number>(page, 'localStorage.length + sessionStorage.length');
  /** Which gated scripts have run (the analytics one counts its runs). */
  const ran = (page: Page) =>
    inPage<{ analytics?: number; marketing?: boolean }>(
      page,
      '({ analytics: window.analyticsRan, marketing: window.marketingRan })',
    );
  const allowed = (page: Page, category: string) =>
    inPage<boolean>(page, `window.steward.allowed(${JSON.stringify(category)})`);
  /** The latest Consent Mode update, as the page's dataLayer holds it. */
  const consentMode = (page: Page) =>
    inPage<Record<string, string> | undefined>(
      page,
      "dataLayer.map((a) => Array.from(a)).filter(([c, action]) => c === 'consent' && action === 'update').at(-1)?.[2]",
    );
  const focused = (page: Page) =>
    inPage<{ text: string; inBanner: boolean; outline: string }>(
      page,
      `(() => {
        const el = document.activeElement;
        return {
          text: el?.innerText || el?.getAttribute('aria-describedby') || el?.tagName || '',
          inBanner: !!el?.closest('[role=dialog]'),
          outline: el ? getComputedStyle(el).outlineStyle : 'none',
        };
      })()`,
    );
  const scrollToEnd = async (page: Page) => {
    await inPage(page, 'scrollTo(0, document.body.scrollHeight)');
    // Scroll events are dispatched with the next frames.
    await inPage(page, 'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  };
  const gatedRan = (page: Page, which: 'analytics' | 'marketing') =>
    page.waitForFunction(
      which === 'analytics' ? 'window.analyticsRan === 1' : 'window.marketingRan === true',
    );

  test(
    'C8.1 C3d.1 the banner appears on first visit with reject as easy as accept; rejecting runs no gated script, stores only the choice and sends only exempt measurement without a token',
    TIMEOUT,
    async () => {
      const { context, page } = await open();
      const banner = dialog(page);
      await banner.waitFor();
      // The banner slides in: measure once it has settled, not halfway.
      await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished)).then(() => true)');
      const reject = banner.getByRole('button', { name: 'Reject all' });
      const accept = banner.getByRole('button', { name: 'Accept all' });
      const [r, a] = await Promise.all([reject.boundingBox(), accept.boundingBox()]);
      assert.ok(r && a && r.width > 80 && r.height > 30, 'both buttons are visible');
      // Flex layout shares pixels out in fractions: equal means within one pixel.
      assert.ok(Math.abs(r.width - a.width) < 1 && Math.abs(r.height - a.height) < 1, 'the same size');
      assert.equal(r.y, a.y, 'side by side');
      const look = `(el) => ['backgroundColor', 'color', 'fontWeight', 'fontSize', 'borderWidth']
        .map((p) => getComputedStyle(el)[p]).join(' ')`;
      assert.equal(await reject.evaluate(look), await accept.evaluate(look), 'reject and accept look alike');
      await banner.getByRole('button', { name: 'Choose by category' }).waitFor();

      // Before any choice: nothing stored, nothing gated run, Consent Mode all denied.
      assert.deepEqual(await context.cookies(), []);
      assert.equal(await storageUsed(page), 0);
      assert.deepEqual(await ran(page), { analytics: undefined, marketing: undefined });
      const defaults = await inPage<unknown[]>(page, 'Array.from(dataLayer[0])');
      assert.deepEqual(defaults.slice(0, 2), ['consent', 'default']);
      assert.ok(
        Object.entries(defaults[2] as object).every(
          ([k, v]) => v === (k === 'wait_for_update' ? 500 : 'denied'),
        ),
      );

      await reject.click();
      await eventually('the consent POST', () => choices.length === 1);
      assert.deepEqual(choices[0], {
        declarationId: 'test-site',
        version: V1,
        categories: { analytics: false, marketing: false },
        servicesOff: [],
        gpc: false,
        language: 'en',
        via: 'reject_all',
      });
      await eventually('the consent cookie', async () => (await consentCookie(context)) !== undefined);
      assert.deepEqual(await consentCookie(context), { v: V1, t: 'consent1.1', a: '', o: '' });
      assert.deepEqual(
        (await context.cookies()).map((c) => [c.name, c.path, c.sameSite]),
        [[COOKIE, '/', 'Lax']],
        'the choice is the only thing stored',
      );
      assert.equal(await storageUsed(page), 0);
      assert.equal((await consentMode(page))?.analytics_storage, 'denied');
      assert.equal((await consentMode(page))?.security_storage, 'granted');

      // Interactions that would be events under consent.
      await page.hover('#labelled');
      await page.waitForTimeout(700);
      await page.click('#labelled');
      await scrollToEnd(page);
      await page.click('#internal');
      await page.waitForURL('**/other.html?secret=1');
      await page.getByRole('button', { name: 'Cookie settings' }).waitFor();
      assert.equal(await dialog(page).count(), 0, 'a choice made is not asked again');
      assert.deepEqual(await ran(page), { analytics: undefined, marketing: undefined });
      await page.click('#external');
      await page.waitForURL('http://external.test/**');

      await eventually(
        'both pages sent their batch',
        () => events().filter((e) => e.type === 'page_view').length === 2,
      );
      await eventually('timings', () => events().filter((e) => e.type === 'timing').length === 2);
      assert.deepEqual([...types()].sort(), ['page_view', 'timing']);
      assert.ok(
        batches.every((b) => b.token === undefined),
        'exempt batches carry no token',
      );
      assert.ok(batches.every((b) => b.id.length >= 16 && !b.page.includes('#')));
      assert.ok(
        contentTypes.every((t) => t.startsWith('text/plain')),
        'simple requests only',
      );
      assert.equal(preflights, 0, 'no CORS preflight');
    },
  );

  test(
    'C3d.1 C3d.3 C8.1 accepting analytics runs its gated script only, and click, scroll, hover, download error, search, time on page and exit events arrive with the token',
    TIMEOUT,
    async () => {
      const { context, page } = await open();
      const banner = dialog(page);
      await banner.getByRole('button', { name: 'Choose by category' }).click();
      assert.equal(await banner.getByRole('checkbox', { name: 'Strictly necessary' }).isChecked(), true);
      assert.equal(await banner.getByRole('checkbox', { name: 'Strictly necessary' }).isDisabled(), true);
      await banner.getByText('Always on').waitFor();
      assert.equal(await banner.getByRole('checkbox', { name: 'Marketing' }).isChecked(), false);
      await banner.getByRole('checkbox', { name: 'Analytics' }).check();
      await banner.getByRole('button', { name: 'Save my choices' }).click();
      await gatedRan(page, 'analytics');
      assert.deepEqual(await ran(page), { analytics: 1, marketing: undefined });
      assert.equal(choices[0]?.via, 'save');
      assert.deepEqual(choices[0]?.categories, { analytics: true, marketing: false });
      assert.deepEqual(await consentMode(page), {
        ad_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
        analytics_storage: 'granted',
        functionality_storage: 'denied',
        personalization_storage: 'denied',
        security_storage: 'granted',
      });
      await eventually('the consent cookie', async () => (await consentCookie(context))?.a === 'analytics');
      const token = (await consentCookie(context))?.t;

      await page.hover('#labelled');
      await page.waitForTimeout(700);
      await page.click('#labelled');
      await scrollToEnd(page);
      await page.click('#report');
      await eventually('the download check', () => heads.includes('/files/report.pdf'));
      await page.waitForTimeout(300);
      await page.click('#internal');
      await page.waitForURL('**/other.html?secret=1');
      await page.getByRole('searchbox', { name: 'Search' }).fill('privacy tools');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/other.html?q=privacy+tools');
      await gatedRan(page, 'analytics');
      await page.click('#external');
      await page.waitForURL('http://external.test/**');

      await eventually('the exit event', () => types().has('exit'));
      const of = (type: string) => events().filter((e) => e.type === type);
      assert.deepEqual(
        of('click').map((e) => [e.target, e.label]),
        [
          ['button', 'cta'],
          [`${site}/files/report.pdf`, undefined],
          [`${site}/other.html`, undefined],
        ],
        'clicks on tagged elements and links, links without query',
      );
      assert.deepEqual(
        of('scroll').map((e) => e.value),
        [25, 50, 75, 100],
      );
      assert.deepEqual(
        of('hover').map((e) => [e.target, e.label]),
        [['button', 'cta']],
      );
      assert.deepEqual(
        of('download_error').map((e) => [e.target, e.value]),
        [[`${site}/files/report.pdf`, 404]],
      );
      assert.deepEqual(
        of('site_search').map((e) => e.label),
        ['privacy tools'],
      );
      assert.equal(of('time_on_page').length, 3);
      assert.ok(of('time_on_page').every((e) => (e.value ?? 0) > 0));
      assert.equal(of('page_view').length, 3);
      assert.equal(of('page_view')[1]?.batch.referrer, `${site}/page.html`);
      // The script's share of C11.1: an exit names only the destination's origin.
      assert.deepEqual(
        of('exit').map((e) => e.target),
        ['http://external.test'],
      );
      assert.ok(
        batches.every(
          (b) =>
            b.token === (b.events.some((e) => !['page_view', 'timing'].includes(e.type)) ? token : undefined),
        ),
        'batches with consented events carry the token, exempt-only ones do not',
      );
      assert.equal(preflights, 0, 'no CORS preflight');
    },
  );

  test(
    'C8.1 Global Privacy Control keeps marketing off and unchangeable; accept all records it off',
    TIMEOUT,
    async () => {
      const { page } = await open(true);
      const banner = dialog(page);
      await banner.getByRole('button', { name: 'Choose by category' }).click();
      const marketing = banner.getByRole('checkbox', { name: 'Marketing' });
      assert.equal(await marketing.isChecked(), false);
      assert.equal(await marketing.isDisabled(), true);
      await banner.getByText(text.gpcHonoured).waitFor();
      assert.equal(await banner.getByRole('checkbox', { name: 'Analytics' }).isDisabled(), false);

      await banner.getByRole('button', { name: 'Accept all' }).click();
      await gatedRan(page, 'analytics');
      assert.equal(choices[0]?.via, 'accept_all');
      assert.equal(choices[0]?.gpc, true);
      assert.deepEqual(choices[0]?.categories, { analytics: true, marketing: false });
      assert.deepEqual(await ran(page), { analytics: 1, marketing: undefined });
      assert.equal((await consentMode(page))?.ad_storage, 'denied');
      assert.equal(await allowed(page, 'marketing'), false);

      // Saving a customised choice under GPC is recorded as shaped by it.
      await page.getByRole('button', { name: 'Cookie settings' }).click();
      await banner.getByRole('button', { name: 'Choose by category' }).click();
      await banner.getByRole('button', { name: 'Save my choices' }).click();
      await eventually('the second choice', () => choices.length === 2);
      assert.equal(choices[1]?.via, 'gpc');
      assert.deepEqual(choices[1]?.categories, { analytics: true, marketing: false });
    },
  );

  test(
    'C8.2 every choice is a consent POST with the version shown; the settings button on every page reopens the banner and a change is recorded under the same consent',
    TIMEOUT,
    async () => {
      const { context, page } = await open();
      await dialog(page).getByRole('button', { name: 'Accept all' }).click();
      await gatedRan(page, 'marketing');
      assert.deepEqual(choices[0]?.categories, { analytics: true, marketing: true });
      assert.equal(choices[0]?.version, V1);
      assert.equal(choices[0]?.token, undefined);
      await eventually('the consent cookie', async () => (await consentCookie(context)) !== undefined);

      await page.goto(`${site}/other.html`);
      await gatedRan(page, 'marketing');
      assert.equal(await dialog(page).count(), 0);
      await page.getByRole('button', { name: 'Cookie settings' }).click();
      const banner = dialog(page);
      await banner.getByRole('button', { name: 'Choose by category' }).click();
      assert.equal(await banner.getByRole('checkbox', { name: 'Marketing' }).isChecked(), true);
      await banner.getByRole('group', { name: 'Marketing' }).getByText('Services (2)').click();
      await banner.getByRole('checkbox', { name: 'li_fat_id' }).uncheck();
      assert.equal(await banner.getByRole('checkbox', { name: 'Marketing' }).isChecked(), true);
      await banner.getByRole('checkbox', { name: 'Analytics' }).uncheck();
      await banner.getByRole('button', { name: 'Save my choices' }).click();

      await eventually('the changed choice', () => choices.length === 2);
      assert.deepEqual(choices[1], {
        declarationId: 'test-site',
        version: V1,
        categories: { analytics: false, marketing: true },
        servicesOff: ['li_fat_id'],
        gpc: false,
        language: 'en',
        token: 'consent1.1',
        via: 'save',
      });
      await eventually('the new cookie', async () => (await consentCookie(context))?.t === 'consent1.2');
      assert.deepEqual(await consentCookie(context), {
        v: V1,
        t: 'consent1.2',
        a: 'marketing',
        o: 'li_fat_id',
      });
      assert.equal(await allowed(page, 'analytics'), false);
      assert.equal((await consentMode(page))?.analytics_storage, 'denied');

      await page.reload();
      await gatedRan(page, 'marketing');
      assert.deepEqual(await ran(page), { analytics: undefined, marketing: true });
      // Switching marketing off too, from the first layer: reject all.
      await inPage(page, 'steward.open()');
      await dialog(page).getByRole('button', { name: 'Reject all' }).click();
      await eventually('the third choice', () => choices.length === 3);
      assert.equal(choices[2]?.token, 'consent1.2');
      assert.equal(choices[2]?.via, 'reject_all');
      assert.equal(await allowed(page, 'marketing'), false);
    },
  );

  test(
    'C8.2 a new declaration version re-prompts, and the old choice allows nothing meanwhile',
    TIMEOUT,
    async () => {
      const { context, page } = await open();
      await dialog(page).getByRole('button', { name: 'Accept all' }).click();
      await gatedRan(page, 'analytics');
      await eventually('the consent cookie', async () => (await consentCookie(context))?.v === V1);

      config = fixture(V2);
      await page.reload();
      await dialog(page).waitFor();
      assert.deepEqual(await ran(page), { analytics: undefined, marketing: undefined });
      assert.equal(await allowed(page, 'analytics'), false);
      await dialog(page).getByRole('button', { name: 'Accept all' }).click();
      await gatedRan(page, 'analytics');
      assert.equal(choices[1]?.version, V2);
      assert.equal(choices[1]?.token, 'consent1.1', 'the same consent, asked again');
      await eventually(
        'the cookie for the new version',
        async () => (await consentCookie(context))?.v === V2,
      );
      await page.reload();
      await page.getByRole('button', { name: 'Cookie settings' }).waitFor();
      assert.equal(await dialog(page).count(), 0);
    },
  );

  test(
    'the banner works by keyboard alone: focus goes into it and back, Escape leaves a layer',
    TIMEOUT,
    async () => {
      const { page } = await open();
      await dialog(page).waitFor();
      assert.equal((await focused(page)).inBanner, true, 'focus moved into the banner');

      const tabTo = async (text: string) => {
        for (let i = 0; i < 25; i++) {
          if ((await focused(page)).text === text) return;
          await page.keyboard.press('Tab');
        }
        assert.fail(`Tab never reached ${text}`);
      };
      await tabTo('Choose by category');
      assert.notEqual((await focused(page)).outline, 'none', 'focus is visible');
      await page.keyboard.press('Enter');
      assert.deepEqual(await focused(page), { text: 'stw-c-analytics', inBanner: true, outline: 'solid' });
      await page.keyboard.press('Space');
      assert.equal(await dialog(page).getByRole('checkbox', { name: 'Analytics' }).isChecked(), true);
      await page.keyboard.press('Escape');
      assert.equal(await dialog(page).getByRole('checkbox').count(), 0, 'Escape left the customise layer');
      assert.equal((await focused(page)).text, 'Choose by category');

      await page.keyboard.press('Enter');
      await page.keyboard.press('Space');
      await tabTo('Save my choices');
      await page.keyboard.press('Enter');
      await eventually('the choice', () => choices.length === 1);
      assert.equal(choices[0]?.via, 'save');
      assert.deepEqual(choices[0]?.categories, { analytics: true, marketing: false });
      await gatedRan(page, 'analytics');
      assert.equal(await dialog(page).count(), 0);

      await tabTo('Cookie settings');
      await page.keyboard.press('Enter');
      await dialog(page).waitFor();
      assert.equal((await focused(page)).inBanner, true);
      await page.keyboard.press('Escape');
      assert.equal(await dialog(page).count(), 0, 'Escape closes a banner opened again');
      assert.equal((await focused(page)).text, 'Cookie settings', 'focus went back to the settings button');
      assert.equal(choices.length, 1, 'closing changes nothing');
    },
  );

  test('the banner speaks the page language (<html lang="sv-SE"> picks sv)', TIMEOUT, async () => {
    const { page } = await open();
    await page.goto(`${site}/sv.html`);
    const banner = page.getByRole('dialog', { name: 'Dina cookieval' });
    await banner.waitFor();
    assert.equal(await banner.getAttribute('lang'), 'sv');
    await banner.getByRole('button', { name: 'Avvisa alla' }).click();
    await eventually('the choice', () => choices.length === 1);
    assert.equal(choices[0]?.language, 'sv');
  });
});
