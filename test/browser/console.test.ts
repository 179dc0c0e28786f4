/**
 * The operator console in a real browser (headless Chromium) against a real Steward server on
 * SQLite and PostgreSQL. Everything happens through the UI: the tests only create operators and
 * tamper with the database behind the server's back.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Role } from '../../src/access/roles.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, ensureConsoleBuilt, launchBrowser } from '../support/browser.js';

// The reference declaration (examples/reference/declaration.yaml): its id, English title, version.
const DECLARATION_ID = 'sncn-general';
const DECLARATION_TITLE = 'Privacy notice of Sony Network Communications Nordics';
const DECLARATION_VERSION = '2021-03';
const SCREENSHOT = '/tmp/steward-console-overview.png';
const TIMEOUT = { timeout: 90_000 };

const browser = await launchBrowser();
if (browser) await ensureConsoleBuilt();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

for (const dialect of await dialects()) {
  describe(`the operator console in a browser on ${dialect}`, { skip }, () => {
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
      // Each test gets its own browser context (its own cookies): close them after every test.
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(() => app?.close());

    /** A fresh page (new cookie jar) on the console's front door, showing its first screen. */
    async function openConsole(): Promise<Page> {
      if (!browser) throw new Error('no browser');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      const response = await page.goto(`${baseUrl}/console/`);
      assert.equal(response?.status(), 200, 'the console is served');
      return page;
    }

    async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
      const form = page.getByTestId('signin-form');
      await form.waitFor();
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Sign in' }).click();
    }

    /** Creates an operator with `role` and signs in as it through the form; waits for the overview. */
    async function signInThroughForm(role: Role): Promise<{ page: Page; email: string }> {
      const { email, password } = await app.signInAs(role);
      const page = await openConsole();
      await fillSignIn(page, email, password);
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      return { page, email };
    }

    async function auditStatusText(page: Page, pattern: RegExp): Promise<string> {
      const status = page.getByTestId('audit-status').getByText(pattern);
      await status.waitFor();
      return (await status.innerText()).trim();
    }

    test('C7.2 the console asks for sign-in and refuses a wrong password', TIMEOUT, async () => {
      const { email } = await app.signInAs('privacy_officer');
      const page = await openConsole();
      await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
      assert.equal(await page.title(), 'Sign in · Steward');
      await fillSignIn(page, email, 'not-the-password');

      const alert = page.getByTestId('signin-form').getByRole('alert');
      await alert.waitFor();
      assert.equal((await alert.innerText()).trim(), 'The email or password is not correct.');
      assert.ok(await page.getByTestId('signin-form').isVisible(), 'still on the sign-in form');
      assert.equal(await page.getByTestId('overview').count(), 0, 'no overview without a session');
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).isEnabled(), true, 'can try again');
    });

    test(
      'C7.3 an operator signs in and sees the declarations, lint status and a verifying audit ledger',
      TIMEOUT,
      async () => {
        const { page } = await signInThroughForm('administrator');
        assert.equal(await page.title(), 'Overview · Steward');
        const operator = await page.getByTestId('operator').innerText();
        assert.match(operator, /administrator \d+/, 'the operator name');
        assert.match(operator, /Administrator/, 'the role label');

        const card = page.getByTestId('declaration-card').filter({ hasText: DECLARATION_ID });
        await card.waitFor();
        await card.getByRole('heading', { level: 3, name: DECLARATION_TITLE }).waitFor();
        assert.equal((await card.locator('code').first().innerText()).trim(), DECLARATION_ID);

        // The lint status is what the server's linter says about this declaration.
        const lintText = (await card.locator('.lint .status').innerText()).trim();
        assert.match(lintText, /^Lint: (passes|\d+ errors?, \d+ warnings?)$/);
        assert.equal(lintText, 'Lint: passes', 'the reference declaration lints clean');

        const versions = card.getByRole('table', { name: `Published versions of ${DECLARATION_TITLE}` });
        const rows = versions.locator('tbody tr');
        assert.equal(await rows.count(), 1, 'one published version');
        const cells = (await rows.first().locator('td').allInnerTexts()).map((text) => text.trim());
        assert.equal(cells[0], '1');
        assert.equal(cells[1], DECLARATION_VERSION);
        assert.equal(
          await versions
            .getByRole('link', { name: `View version ${DECLARATION_VERSION} of ${DECLARATION_TITLE}` })
            .count(),
          1,
        );

        const status = await auditStatusText(page, /^Audit ledger verifies/);
        const match = /^Audit ledger verifies \((\d+) entr(?:y|ies)\)$/.exec(status);
        assert.ok(match, `audit status: ${status}`);
        const { count } = await app.ctx.store.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .executeTakeFirstOrThrow();
        const shown = Number(match[1]);
        assert.ok(shown > 0 && shown <= Number(count), `${shown} entries shown, ${count} in the ledger`);

        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      },
    );

    test('C7.3 the console shows a broken audit ledger', TIMEOUT, async () => {
      const { page } = await signInThroughForm('administrator');
      await auditStatusText(page, /^Audit ledger verifies/);

      const db = app.ctx.store.db;
      const original = await db
        .selectFrom('audit_log')
        .select('details')
        .where('seq', '=', 1)
        .executeTakeFirstOrThrow();
      await sql`update audit_log set details = '{"x":1}' where seq = 1`.execute(db);
      try {
        await page.reload();
        const failed = page.getByTestId('audit-status').getByRole('alert');
        await failed.waitFor();
        const text = (await failed.innerText()).trim();
        assert.match(text, /^Audit ledger FAILED verification at entry #1: \S.*$/);
        assert.equal(
          await page
            .getByTestId('audit-status')
            .getByText(/verifies/)
            .count(),
          0,
        );
      } finally {
        // Put the entry back so the ledger verifies again for the other tests.
        await sql`update audit_log set details = ${original.details} where seq = 1`.execute(db);
      }
    });

    test(
      'C7.2 an auditor sees the ledger status but a support agent is told their role cannot',
      TIMEOUT,
      async () => {
        const auditor = await signInThroughForm('auditor');
        assert.match(await auditor.page.getByTestId('operator').innerText(), /Auditor/);
        await auditStatusText(auditor.page, /^Audit ledger verifies \(\d+ entr(?:y|ies)\)$/);

        const support = await signInThroughForm('support_agent');
        assert.match(await support.page.getByTestId('operator').innerText(), /Support agent/);
        const refusal = await auditStatusText(
          support.page,
          /cannot view the audit ledger status with your role/,
        );
        assert.equal(refusal, 'You cannot view the audit ledger status with your role');
        assert.equal(
          await support.page
            .getByTestId('audit-status')
            .getByText(/Audit ledger verifies/)
            .count(),
          0,
        );
        // The support agent still sees the declarations.
        await support.page.getByTestId('declaration-card').filter({ hasText: DECLARATION_ID }).waitFor();
      },
    );

    test('C7.2 sign out returns to the sign-in form, and a reload stays signed out', TIMEOUT, async () => {
      const { page } = await signInThroughForm('privacy_officer');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('signin-form').waitFor();
      assert.equal(await page.getByTestId('overview').count(), 0);

      await page.reload();
      await page.getByTestId('signin-form').waitFor();
      assert.equal(await page.getByTestId('overview').count(), 0, 'still signed out after a reload');
      assert.equal(await page.getByTestId('operator').count(), 0);
    });

    test('the sign-in form works with the keyboard alone', TIMEOUT, async () => {
      const { email, password } = await app.signInAs('auditor');
      const page = await openConsole();
      await page.getByTestId('signin-form').waitFor();
      // A string: it runs in the page (this project type-checks without the DOM library).
      const focusedId = () =>
        page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');

      // Tab until the email field has focus (it is autofocused, so usually no Tab is needed).
      for (let presses = 0; (await focusedId()) !== 'signin-email'; presses += 1) {
        assert.ok(presses < 10, 'Tab reaches the email field');
        await page.keyboard.press('Tab');
      }
      await page.keyboard.type(email);
      await page.keyboard.press('Tab');
      assert.equal(await focusedId(), 'signin-password', 'Tab moves from email to password');
      await page.keyboard.type(password);
      await page.keyboard.press('Enter');

      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      assert.match(await page.getByTestId('operator').innerText(), /Auditor/);
    });
  });
}
