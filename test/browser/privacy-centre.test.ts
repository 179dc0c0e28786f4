/**
 * A person's whole journey through the privacy centre in a real browser (headless Chromium)
 * against a real Steward server on SQLite and PostgreSQL: the form, the emailed link that
 * carries the access key in its fragment, the code, and downloading the answer. Codes are read
 * from the outbox, as a newcomer reads them from the development outbox. Only the operator's
 * approval is done through the API.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, launchBrowser } from '../support/browser.js';
import { subscribeConfirmed } from '../support/consent.js';
import { lastMessage } from '../support/mail.js';

const TIMEOUT = { timeout: 120_000 };

const browser = await launchBrowser();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

for (const dialect of await dialects()) {
  describe(`the privacy centre in a browser on ${dialect}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    let officer: Record<string, string>;
    const contexts: BrowserContext[] = [];

    before(async () => {
      app = await startTestApp(dialect);
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(() => app?.close());

    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    /** The newest message of `kind` to `address`, after the mail jobs have run. */
    const mail = async (address: string, kind: string) => {
      await runJobs();
      const message = await lastMessage(app.ctx, { to: address, kind });
      assert.ok(message, `a ${kind} message went to ${address}`);
      return message.text;
    };
    const codeIn = (text: string) => {
      const code = /(?:Your code|Din kod): (\d{6})/.exec(text)?.[1];
      assert.ok(code, 'the message holds a code');
      return code;
    };
    /** Links in mails name the configured public URL; the test server listens elsewhere. */
    const local = (url: string) => `${baseUrl}${new URL(url).pathname}${new URL(url).hash}`;

    async function newPage(): Promise<Page> {
      if (!browser) throw new Error('no browser');
      const context = await browser.newContext({
        viewport: { width: 1000, height: 900 },
        acceptDownloads: true,
      });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      return context.newPage();
    }

    test(
      'C13.1 C9.6 a person asks by keyboard alone, confirms through the emailed link, and downloads an encrypted copy once',
      TIMEOUT,
      async () => {
        const email = 'journey@example.org';
        await subscribeConfirmed(app, officer, email);

        // The form, by keyboard: Tab to each field, Space to choose, Enter to send.
        const page = await newPage();
        await page.goto(`${baseUrl}/privacy-centre`);
        await page.getByRole('heading', { level: 1, name: 'Your privacy rights' }).waitFor();
        await page.getByLabel('Give me a copy of my data').focus();
        await page.keyboard.press('Space');
        assert.ok(await page.getByLabel('Give me a copy of my data').isChecked());
        await page.getByLabel('Your email address').focus();
        await page.keyboard.type(email);
        await page.getByRole('button', { name: 'Send request' }).focus();
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: 'Request received' }).waitFor();
        const reference = /R-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(await page.locator('main').innerText())?.[0];
        assert.ok(reference, 'the page gives the reference');

        // The emailed link, in another browser: the fragment fills in the key and leaves the address bar.
        const codeMail = await mail(email, 'rights_code');
        const link = /https?:\/\/\S+\/privacy-centre\/requests\/\S+#token=\S+/.exec(codeMail)?.[0];
        assert.ok(link, 'the code message links to the request with the key in the fragment');
        const follow = await newPage();
        await follow.goto(local(link));
        await follow.getByRole('heading', { level: 1, name: 'Follow your request' }).waitFor();
        await follow.waitForFunction('location.hash === ""');
        assert.equal(
          await follow.getByLabel('Access key').isVisible(),
          false,
          'the key field is filled and hidden',
        );
        await follow.getByLabel('Code (6 digits)').fill(codeIn(codeMail));
        await follow.getByRole('button', { name: 'Confirm' }).click();
        await follow.getByRole('heading', { level: 1, name: `Request ${reference}` }).waitFor();
        await follow.getByText('Thank you, your request is confirmed').waitFor();

        // Access asks for a second step; with one address on file, a person checks and approves.
        const [row] = await app.ctx.store.db
          .selectFrom('requests')
          .select(['id', 'status'])
          .where('reference', '=', reference)
          .execute();
        assert.equal(row?.status, 'awaiting_review');
        const approved = await app.request({
          method: 'POST',
          url: `/api/v1/requests/${row.id}/approve`,
          headers: officer,
          payload: { note: 'Matched the customer record' },
        });
        assert.equal(approved.statusCode, 200, approved.body);
        await runJobs();

        // The completion message links to the answer; a fresh code opens it once.
        const done = await mail(email, 'rights_completed');
        const result = /https?:\/\/\S+\/privacy-centre\/results\/[A-Za-z0-9_-]+/.exec(done)?.[0];
        assert.ok(result, 'the completion message links to the answer');
        const collect = await newPage();
        await collect.goto(local(result));
        await collect.getByRole('button', { name: 'Send me a code' }).click();
        await collect.getByLabel('Passphrase (optional)').waitFor();
        await collect.getByLabel('Code (6 digits)').fill(codeIn(await mail(email, 'rights_code')));
        await collect.getByLabel('Passphrase (optional)').fill('a long passphrase');
        await collect.getByLabel('The passphrase again').fill('a long passphrase');
        const [download] = await Promise.all([
          collect.waitForEvent('download'),
          collect.getByRole('button', { name: 'Download my data' }).click(),
        ]);
        assert.equal(download.suggestedFilename(), 'my-data.zip');
        const zip = await readFile((await download.path()) ?? '');
        assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK');
        // Encrypted entries set bit 0 of the general-purpose flags in the local header.
        assert.equal(zip.readUInt16LE(6) & 1, 1, 'the package is encrypted with the passphrase');

        // The link works once.
        const again = await newPage();
        await again.goto(local(result));
        await again.getByRole('button', { name: 'Send me a code' }).click();
        await again.getByText('it was used already, or it expired').waitFor();
      },
    );
  });
}
