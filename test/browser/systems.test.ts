/**
 * The console's Systems screen in a real browser (headless Chromium) against a real Steward
 * serving the small shop example: its three connected systems, a connection check from the
 * screen, and each system's reviewed dataset as a readable map. No page shows a connection URL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Role } from '../../src/access/roles.js';
import { secretSettings } from '../../src/config.js';
import { connectorFactories } from '../../src/connectors/registry.js';
import type { TestApp } from '../support/app.js';
import { dialects, smallShopDeclaration, startTestApp } from '../support/app.js';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, ensureConsoleBuilt, launchBrowser } from '../support/browser.js';

const TIMEOUT = { timeout: 90_000 };
const SHOP_URL = 'postgres://shop_browser:Br0wser-s3cret@db-browser.shop.internal:5432/shop';
const secretParts = ['Br0wser-s3cret', 'shop_browser', 'db-browser.shop.internal'];

const browser = await launchBrowser();
if (browser) await ensureConsoleBuilt();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

for (const dialect of await dialects()) {
  describe(`the console's Systems screen on ${dialect}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    let deskFile: string | undefined;
    const contexts: BrowserContext[] = [];

    before(async () => {
      // The support desk is a real SQLite file with the tables its dataset maps.
      const file = join(mkdtempSync(join(tmpdir(), 'steward-desk-')), 'support.db');
      const db = new Database(file);
      db.exec(
        'create table queues (id integer primary key, name text not null); create table tickets (id integer primary key, requester_email text not null, requester_name text, subject text not null, queue_id integer not null references queues(id), status text not null, opened_at text not null, updated_at text not null); create table messages (id integer primary key, ticket_id integer not null references tickets(id) on delete cascade, direction text not null, body text not null, sent_at text not null);',
      );
      db.close();
      deskFile = file;
      app = await startTestApp(dialect, {
        declarations: [smallShopDeclaration],
        config: {
          systems: new Map([
            ['shop', secretSettings('shop', SHOP_URL)],
            ['support', secretSettings('support', `sqlite:${file}`)],
          ]),
        },
      });
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(async () => {
      await app?.close();
      if (deskFile !== undefined) rmSync(dirname(deskFile), { recursive: true, force: true });
    });

    /** Signs in as `role` through the form and opens the Systems screen. */
    async function openSystems(role: Role): Promise<Page> {
      if (!browser) throw new Error('no browser');
      const { email, password } = await app.signInAs(role);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/console/`);
      const form = page.getByTestId('signin-form');
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Systems' }).click();
      await page.getByRole('heading', { level: 1, name: 'Connected systems' }).waitFor();
      return page;
    }

    const noSecrets = async (page: Page) => {
      const html = await page.content();
      assert.deepEqual(
        secretParts.filter((p) => html.includes(p)),
        [],
      );
    };

    test(
      'C9.2 a privacy officer sees every declared system and checks a connection from the screen',
      TIMEOUT,
      async () => {
        const page = await openSystems('privacy_officer');
        assert.equal(await page.title(), 'Systems · Steward');
        const table = page.getByTestId('systems-table');
        await table.waitFor();
        const rows = table.locator('tbody tr');
        assert.equal(await rows.count(), 3);
        const crm = rows.filter({ has: page.locator('code', { hasText: /^crm$/ }) });
        assert.match(await crm.innerText(), /Kundregister/);
        assert.match(await crm.innerText(), /mariadb/);
        assert.match(await crm.innerText(), /Not configured/);
        assert.match(await crm.innerText(), /Version 1[\s\S]*Reviewed by Maja Lind on 2025-04-22/);
        assert.match(await crm.innerText(), /Never checked/);
        const shop = rows.filter({ has: page.locator('code', { hasText: /^shop$/ }) });
        assert.match(await shop.innerText(), /Configured/);

        await crm.getByRole('button', { name: 'Check connection to Kundregister' }).click();
        const status = page.getByRole('status').filter({ hasText: /could not be reached|answered/ });
        await status.waitFor();
        assert.match(
          await status.innerText(),
          /Kundregister could not be reached: crm: no connection settings: set STEWARD_SYSTEM_CRM_URL/,
        );
        await crm.getByText('Failed').waitFor();
        assert.match(await crm.getByTestId('check-detail').innerText(), /STEWARD_SYSTEM_CRM_URL/);

        await shop.getByRole('button', { name: 'Check connection to Webbutikens databas' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: /Webbutikens databas/ })
          .waitFor();
        const shopCheck = await shop.getByTestId('check-detail').innerText();
        if (connectorFactories['postgres'] === undefined)
          assert.match(shopCheck, /no connector for kind "postgres"/);
        else assert.match(shopCheck, /\S/, 'the unreachable host is reported');
        if (connectorFactories['sqlite'] !== undefined) {
          const desk = rows.filter({ has: page.locator('code', { hasText: /^support$/ }) });
          await desk.getByRole('button', { name: 'Check connection to Kundtjänstens ärendesystem' }).click();
          await desk.getByText('Reachable').waitFor();
          assert.match(await desk.getByTestId('check-detail').innerText(), /^SQLite [\d.]+, \d+ ms$/);
          assert.match(
            await page
              .getByRole('status')
              .filter({ hasText: /answered/ })
              .innerText(),
            /Kundtjänstens ärendesystem answered: SQLite/,
          );
        }
        await noSecrets(page);
        await page.screenshot({ path: '/tmp/steward-console-systems.png', fullPage: true });
      },
    );

    test(
      'C9.2 the dataset map: collections, personal fields by category, identities, links and erasure rules',
      TIMEOUT,
      async () => {
        const page = await openSystems('auditor');
        const table = page.getByTestId('systems-table');
        await table.waitFor();
        // Reading systems does not allow connecting to them.
        assert.equal(await page.getByRole('button', { name: /Check connection/ }).count(), 0);

        await table.getByRole('link', { name: 'Version 1 of the Webbutikens databas dataset' }).click();
        await page.getByRole('heading', { level: 1, name: 'Dataset of shop' }).waitFor();
        assert.match(await page.getByTestId('reviewed').innerText(), /Reviewed by Maja Lind on 2025-04-22/);
        const cards = page.getByTestId('collection');
        await cards.first().waitFor();
        assert.deepEqual(
          await Promise.all(
            Array.from({ length: await cards.count() }, (_, n) =>
              cards.nth(n).getAttribute('data-collection'),
            ),
          ),
          ['customers', 'addresses', 'cities', 'orders', 'order_lines', 'payments', 'invoices'],
        );
        const customers = cards.filter({ has: page.locator('h3', { hasText: /^customers$/ }) });
        assert.match(
          await customers.getByTestId('erasure').innerText(),
          /keeps the rows and masks every personal field/,
        );
        assert.equal(
          await customers.getByTestId('identities').innerText(),
          'customer (customer_no), email (email), phone (phone)',
        );
        const categories = await customers.getByTestId('categories').innerText();
        assert.match(categories, /user\.contact\.email: email \(replaced by a keyed hash on erasure\)/);
        assert.match(categories, /user\.contact\.phone_number: phone \(set to empty \(NULL\) on erasure\)/);
        const invoices = cards.filter({ has: page.locator('h3', { hasText: /^invoices$/ }) });
        assert.match(await invoices.getByTestId('erasure').innerText(), /keeps the rows for bookkeeping/);
        const cities = cards.filter({ has: page.locator('h3', { hasText: /^cities$/ }) });
        assert.match(await cities.innerText(), /Reference data/);

        const references = await page.getByTestId('references').innerText();
        assert.match(references, /orders\.customer_id → customers\.id \(on delete restrict, not null\)/);
        assert.match(references, /orders\.delivery_address_id → addresses\.id \(on delete set null\)/);
        assert.match(references, /order_lines\.order_id → orders\.id \(on delete cascade, not null\)/);

        await page.goto(`${baseUrl}/console/#/systems/crm`);
        await page.getByRole('heading', { level: 1, name: 'Dataset of crm' }).waitFor();
        assert.match(
          await page.getByTestId('same-as').innerText(),
          /contacts\.shop_customer_no is shop’s customers\.customer_no/,
        );
        await page.getByTestId('same-as').getByRole('link', { name: 'shop' }).click();
        await page.getByRole('heading', { level: 1, name: 'Dataset of shop' }).waitFor();
        await noSecrets(page);
        await page.screenshot({ path: '/tmp/steward-console-system-dataset.png', fullPage: true });
      },
    );

    test('C7.2 a support agent is told their role cannot see systems', TIMEOUT, async () => {
      const page = await openSystems('support_agent');
      await page.getByTestId('forbidden').waitFor();
      assert.match(
        await page.getByTestId('forbidden').innerText(),
        /Seeing connected systems needs a permission/,
      );
      assert.equal(await page.getByTestId('systems-table').count(), 0);
    });
  });
}
