/**
 * A request's plan on its console page, in headless Chromium against a real Steward: a connected
 * system that cannot be reached shows its failed step with the error; once the system is there,
 * Retry runs it again and the request completes with its receipt.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import type { Clock } from '../../src/context.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import type { BrowserContext } from '../support/browser.js';
import { chromiumPath, ensureConsoleBuilt, launchBrowser } from '../support/browser.js';
import { declarationWith, LEDGER_DATASET } from '../support/shop.js';

const browser = await launchBrowser();
if (browser) await ensureConsoleBuilt();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

for (const dialect of await dialects()) {
  describe(`a request's plan in the console on ${dialect}`, { skip }, () => {
    let app: TestApp;
    let dir: string;
    let baseUrl: string;
    const contexts: BrowserContext[] = [];
    let offset = 0;
    // Job backoff waits for this clock; the test moves it on instead of waiting.
    const clock: Clock = { now: () => new Date(Date.now() + offset) };
    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'steward-plan-'));
      app = await startTestApp(dialect, {
        clock,
        declarations: [declarationWith(dir, [{ id: 'ledger', name: 'Ledger', dataset: LEDGER_DATASET }])],
        config: {
          systems: new Map([['ledger', { system: 'ledger', url: `sqlite:${join(dir, 'ledger.db')}` }]]),
        },
      });
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((c) => c.close()));
    });
    after(async () => {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('C9.2 a failed step shows its error and Retry completes the request once the system is reachable', async () => {
      const officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const entered = await app.request({
        method: 'POST',
        url: '/api/v1/requests',
        headers: officer,
        payload: {
          declarationId: 'sncn-general',
          type: 'erasure',
          channel: 'post',
          language: 'en',
          requester: { identifiers: [{ kind: 'email', value: 'jo@example.com' }] },
        },
      });
      assert.equal(entered.statusCode, 201, entered.body);
      const { id } = entered.json<{ id: string }>();
      await runJobs();
      const approved = await app.request({
        method: 'POST',
        url: `/api/v1/requests/${id}/approve`,
        headers: officer,
        payload: { note: 'Signed letter' },
      });
      assert.equal(approved.statusCode, 200, approved.body);
      for (let round = 0; round < 8; round += 1) {
        await runJobs();
        offset += 60 * 60 * 1000;
      }

      const { email, password } = await app.signInAs('privacy_officer');
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/console/#/requests/${id}`);
      const form = page.getByTestId('signin-form');
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Sign in' }).click();

      const ledger = page.getByTestId('request-plan').locator('section[data-system="ledger"]');
      const failed = ledger.locator('tr[data-status="failed"]');
      await failed.waitFor();
      assert.match(await failed.innerText(), /ledger: unable to open database file/);
      await page.getByTestId('request-status').getByText('In progress').waitFor();

      const db = new SQLite(join(dir, 'ledger.db'));
      db.exec('create table entries (id integer primary key, email text not null)');
      db.prepare('insert into entries values (1, ?)').run('jo@example.com');
      await failed.getByRole('button', { name: /Retry/ }).click();
      await page
        .getByRole('status')
        .getByText(/will run again/)
        .waitFor();
      await runJobs();
      await page.reload();
      await page.getByTestId('request-status').getByText('Completed').waitFor();
      await ledger.locator('tr[data-status="done"]').waitFor();
      assert.match(
        await page.getByTestId('erasure-receipt').innerText(),
        /Ledger: 0 identifying values left/,
      );
      assert.equal((db.prepare('select count(*) as n from entries').get() as { n: number }).n, 0);
      db.close();
    });
  });
}
