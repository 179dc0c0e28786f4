/**
 * The console's Retention screen in headless Chromium against a real Steward: each rule per
 * system with its oldest expired row against the deadline, a run started from the screen and
 * carried out by the worker, the plan on demand and the receipts; what each role may see and do.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Role } from '../../src/access/roles.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, ensureConsoleBuilt, launchBrowser } from '../support/browser.js';
import { daysAgo } from '../support/clock.js';

const TIMEOUT = { timeout: 120_000 };
const D = 'sncn-general';

const browser = await launchBrowser();
if (browser) await ensureConsoleBuilt();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

for (const dialect of await dialects()) {
  describe(`the console's Retention screen on ${dialect}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    const contexts: BrowserContext[] = [];

    before(async () => {
      app = await startTestApp(dialect);
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
      const headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      for (const [i, days] of [500, 450, 30].entries()) {
        const res = await app.request({
          method: 'POST',
          url: '/api/v1/records',
          headers,
          payload: {
            declarationId: D,
            subject: { identifiers: [{ kind: 'email', value: `screen-${i}@example.org` }] },
            kind: 'enquiry',
            purposes: ['enquiries'],
            categories: ['user.name', 'user.content.communication'],
            source: 'website_forms',
            collectedAt: daysAgo(days).toISOString(),
            data: { name: 'Lo', message: 'Price list?' },
          },
        });
        assert.equal(res.statusCode, 201, res.body);
      }
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(() => app?.close());

    async function openRetention(role: Role): Promise<Page> {
      if (!browser) throw new Error('no browser');
      const { email, password } = await app.signInAs(role);
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/console/`);
      const form = page.getByTestId('signin-form');
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Retention' }).click();
      await page.getByRole('heading', { level: 1, name: 'Retention' }).waitFor();
      return page;
    }

    test(
      'C10.1 a privacy officer sees a rule behind its deadline, runs it from the screen, and sees it cleared with its receipt',
      TIMEOUT,
      async () => {
        const page = await openRetention('privacy_officer');
        assert.equal(await page.title(), 'Retention · Steward');
        const row = page
          .getByTestId('retention-table')
          .locator('tr[data-rule="enquiries"][data-system="steward"]');
        await row.waitFor();
        const overdue = await row.getByTestId('overdue').innerText();
        assert.match(overdue, /^Oldest exceeds its rule by 1(3[4-6]) days/);
        assert.equal(await row.locator('.badge-error').innerText(), 'Behind');
        assert.match(await row.innerText(), /Delete P1Y from last interaction/);
        assert.match(await row.innerText(), /Never run/);
        // No worker has run today's schedule in this test: the run is due.
        assert.match(await row.getByTestId('next-run').innerText(), /Due now/);
        assert.match(await page.getByTestId('retention-summary').innerText(), /behind/);

        await page.getByRole('button', { name: 'Show the plan' }).click();
        const plan = page.getByTestId('plan');
        await plan.waitFor();
        const planned = plan.locator('tr', { has: page.locator('code', { hasText: /^enquiries$/ }) });
        assert.match(await planned.innerText(), /records\s+2 deleted\s+0/);

        await row.getByRole('button', { name: 'Run now enquiries on steward' }).click();
        await page.getByRole('status').filter({ hasText: 'is waiting for a worker' }).waitFor();
        await row.getByTestId('active-run').waitFor();
        await new Worker(app.ctx, jobDefinitions).drain();

        await page.reload();
        const after = page.getByTestId('retention-table').locator('tr[data-rule="enquiries"]');
        await after.getByText('Nothing overdue').waitFor();
        assert.match(
          await after.getByTestId('last-run').innerText(),
          /2 deleted, 0 anonymised, 0 held; receipt #\d+/,
        );
        const receipts = page.getByTestId('receipts');
        await receipts.waitFor();
        assert.match(await receipts.innerText(), /enquiries on steward: 2 deleted, 0 anonymised, 0 held/);
        await page.screenshot({ path: '/tmp/steward-console-retention.png', fullPage: true });
      },
    );

    test(
      'C10.1 an auditor reads retention but cannot run it; a support agent is told the role does not allow it',
      TIMEOUT,
      async () => {
        const auditor = await openRetention('auditor');
        await auditor.getByTestId('retention-table').waitFor();
        assert.equal(await auditor.getByRole('button', { name: /Run now/ }).count(), 0);
        const agent = await openRetention('support_agent');
        await agent.getByTestId('forbidden').waitFor();
        assert.equal(await agent.getByTestId('retention-table').count(), 0);
      },
    );
  });
}
