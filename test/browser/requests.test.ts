/**
 * The rights request screens of the operator console in a real browser (headless Chromium)
 * against a real Steward server on SQLite and PostgreSQL. Requests are seeded through the HTTP
 * API (operator entries of a letter and an email, and privacy-centre requests whose code the
 * person entered); the queue, the request page and its actions are used through the UI, and the
 * outcome is checked in the database and the outbox.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Role } from '../../src/access/roles.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { addDuration } from '../../src/time.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import type { Locator } from 'playwright-core';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, ensureConsoleBuilt, launchBrowser } from '../support/browser.js';
import { subscribeConfirmed } from '../support/consent.js';
import { mailbox } from '../support/mail.js';

// The reference declaration (examples/reference/declaration.yaml): a one-month deadline,
// extendable by two months; erasure needs an operator's review after the code.
const DECLARATION_ID = 'sncn-general';
const DAY_MS = 86_400_000;
const SCREENSHOT = '/tmp/steward-requests.png';
const TIMEOUT = { timeout: 90_000 };

const browser = await launchBrowser();
if (browser) await ensureConsoleBuilt();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

interface Receipt {
  id: string;
  reference: string;
  dueAt: string;
  accessToken: string;
}

for (const dialect of await dialects()) {
  describe(`rights requests in the console on ${dialect}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    let officer: Record<string, string>;
    const contexts: BrowserContext[] = [];
    // Seeded requests, soonest deadline first.
    let late: Receipt; // a letter that arrived 45 days ago: overdue
    let emailed: Receipt; // an email that arrived 10 days ago
    let patient: Receipt; // privacy centre, verified, awaiting review: to be extended
    let refused: Receipt; // privacy centre, verified, awaiting review: to be refused

    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    /** A call to the HTTP API as the seeding privacy officer. */
    async function apiPost(url: string, payload: object): Promise<{ status: number; body: unknown }> {
      const response = await app.request({ method: 'POST', url, headers: officer, payload });
      return { status: response.statusCode, body: response.body === '' ? undefined : response.json() };
    }

    /** An operator enters a request that came by letter or email on `receivedAt`. */
    async function enterRequest(
      channel: 'email' | 'post',
      email: string,
      receivedAt: Date,
    ): Promise<Receipt> {
      const { status, body } = await apiPost('/api/v1/requests', {
        declarationId: DECLARATION_ID,
        type: channel === 'post' ? 'access' : 'erasure',
        channel,
        receivedAt: receivedAt.toISOString(),
        requester: { name: `Writer of ${email}`, identifiers: [{ kind: 'email', value: email }] },
      });
      assert.equal(status, 201, JSON.stringify(body));
      return body as Receipt;
    }

    /** Newest first, as delivered. */
    const mailTo = async (address: string, kind: string) =>
      (await mailbox(app.ctx, { to: address, kind })).reverse();

    /**
     * A person known to Steward asks for erasure through the privacy centre and enters the code
     * mailed to them; erasure then waits for an operator's review.
     */
    async function verifiedErasure(email: string): Promise<Receipt> {
      await subscribeConfirmed(app, officer, email);
      const submitted = await app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: { 'content-type': 'application/json' },
        payload: {
          declarationId: DECLARATION_ID,
          language: 'en',
          type: 'erasure',
          requester: { identifiers: [{ kind: 'email', value: email }] },
        },
      });
      assert.equal(submitted.statusCode, 201, submitted.body);
      const receipt = submitted.json<Receipt>();
      await runJobs();
      const [message] = await mailTo(email, 'rights_code');
      const code = /Your code: (\d{6})/.exec(message?.text ?? '')?.[1];
      assert.ok(code, `a code was mailed to ${email}`);
      const entered = await app.request({
        method: 'POST',
        url: `/api/v1/privacy-centre/requests/${receipt.id}/code`,
        headers: { 'content-type': 'application/json' },
        payload: { token: receipt.accessToken, code },
      });
      assert.equal(entered.statusCode, 200, entered.body);
      return receipt;
    }

    const stored = (id: string) =>
      app.ctx.store.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    before(async () => {
      app = await startTestApp(dialect);
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const now = Date.now();
      late = await enterRequest('post', 'late.letter@example.org', new Date(now - 45 * DAY_MS));
      emailed = await enterRequest('email', 'mail.writer@example.org', new Date(now - 10 * DAY_MS));
      patient = await verifiedErasure('patient@example.org');
      refused = await verifiedErasure('refused@example.org');
      await runJobs();
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(() => app?.close());

    async function openConsole(hash = ''): Promise<Page> {
      if (!browser) throw new Error('no browser');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      const response = await page.goto(`${baseUrl}/console/${hash}`);
      assert.equal(response?.status(), 200, 'the console is served');
      return page;
    }

    /** Signs in through the form as a new operator with `role`; waits for the first screen. */
    async function signIn(role: Role, hash = ''): Promise<Page> {
      const { email, password } = await app.signInAs(role);
      const page = await openConsole(hash);
      const form = page.getByTestId('signin-form');
      await form.waitFor();
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('operator').waitFor();
      return page;
    }

    async function goTo(page: Page, label: string): Promise<void> {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
    }

    /** The request ids in the queue table, top to bottom. */
    async function queueOrder(page: Page): Promise<string[]> {
      const ids: string[] = [];
      for (const row of await page.getByTestId('requests-table').locator('tbody tr').all()) {
        ids.push((await row.getAttribute('data-request-id')) ?? '');
      }
      return ids;
    }

    async function showView(page: Page, label: string): Promise<void> {
      await page
        .getByRole('group', { name: 'Which requests to show' })
        .getByRole('button', { name: label, exact: true })
        .click();
      await page.getByRole('heading', { level: 2, name: `${label} requests` }).waitFor();
    }

    async function openFromQueue(page: Page, receipt: Receipt): Promise<Locator> {
      await page.getByTestId('requests-table').getByRole('link', { name: receipt.reference }).click();
      await page.getByRole('heading', { level: 1, name: `Request ${receipt.reference}` }).waitFor();
      return page.getByTestId('request-page');
    }

    async function timelineKinds(requestPage: Locator): Promise<string[]> {
      const kinds: string[] = [];
      for (const item of await requestPage.getByTestId('request-timeline').locator(':scope > li').all()) {
        kinds.push((await item.getAttribute('data-kind')) ?? '');
      }
      return kinds;
    }

    test(
      'C9.8 the queue lists open requests soonest deadline first, says in words which is overdue, and charts what falls due',
      TIMEOUT,
      async () => {
        const page = await signIn('privacy_officer');
        await goTo(page, 'Requests');
        const table = page.getByTestId('requests-table');
        await table.waitFor();

        assert.deepEqual(await queueOrder(page), [late.id, emailed.id, patient.id, refused.id]);
        const deadlines: string[] = [];
        for (const time of await table.locator('tbody tr td:last-child time').all()) {
          deadlines.push((await time.getAttribute('datetime')) ?? '');
        }
        assert.deepEqual(deadlines, [...deadlines].sort(), 'soonest deadline first');

        // The overdue letter says so in words, with how late it is; the others say how long is left.
        const lateRow = table.locator(`tr[data-request-id="${late.id}"]`);
        const lateBy = Math.floor((Date.now() - Date.parse(late.dueAt)) / DAY_MS);
        assert.ok(lateBy >= 1, 'the seeded letter is more than a day late');
        assert.match(
          await lateRow.getByTestId('deadline-standing').innerText(),
          new RegExp(`Overdue\\s+by ${lateBy} days`, 'i'),
        );
        assert.match(await lateRow.innerText(), /Letter/, 'its channel');
        const emailedRow = table.locator(`tr[data-request-id="${emailed.id}"]`);
        const left = Math.floor((Date.parse(emailed.dueAt) - Date.now()) / DAY_MS);
        assert.equal(
          (await emailedRow.getByTestId('deadline-standing').innerText()).trim(),
          `${left} days left`,
        );
        assert.doesNotMatch(await emailedRow.innerText(), /overdue/i);

        // The chart of what falls due: one overdue, the rest within the next weeks; also as a table.
        const chart = page.getByTestId('due-chart');
        assert.match(await chart.getByTestId('due-summary').innerText(), /4 open requests: 1 overdue/);
        assert.equal(await chart.getByRole('img', { name: /bar chart/i }).count(), 1);
        await chart.locator('details summary').click();
        const overdueRow = chart.getByTestId('due-table').getByRole('row', { name: /Overdue/ });
        assert.equal((await overdueRow.locator('td').innerText()).trim(), '1');

        // The overdue view lists only what is late.
        await showView(page, 'Overdue');
        await table.waitFor();
        assert.deepEqual(await queueOrder(page), [late.id]);
        assert.match(new URL(page.url()).hash, /view=overdue/, 'the view is in the address');

        // Filtering by type keeps the order.
        await showView(page, 'Open');
        await page.getByLabel('Type', { exact: true }).selectOption('erasure');
        await page.waitForFunction(`location.hash.includes('type=erasure')`);
        await table.locator(`tr[data-request-id="${late.id}"]`).waitFor({ state: 'detached' });
        // The old rows may go before the new ones arrive: wait for the filtered list itself.
        await table.locator(`tr[data-request-id="${emailed.id}"]`).waitFor();
        assert.deepEqual(await queueOrder(page), [emailed.id, patient.id, refused.id]);

        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      },
    );

    test(
      'C9.8 an extension with reasons moves the deadline and is told to the requester; after the first deadline it is refused',
      TIMEOUT,
      async () => {
        const page = await signIn('support_agent');
        await goTo(page, 'Requests');
        const requestPage = await openFromQueue(page, patient);

        // The timeline, in order, with what the requester sees.
        assert.deepEqual(await timelineKinds(requestPage), ['received', 'verified', 'awaiting_review']);
        assert.match(
          await requestPage.getByTestId('request-timeline').locator(':scope > li').first().innerText(),
          /Requester sees this\s*yes/,
        );
        // What the requester wrote is masked until the operator says they are handling the request.
        const masked = await requestPage.getByTestId('request-claims').innerText();
        assert.doesNotMatch(masked, /patient@example\.org/);
        assert.match(masked, /p…@e…\.org/);
        await requestPage.getByRole('button', { name: /Show what they wrote/ }).click();
        await requestPage.getByTestId('request-claims').getByText('patient@example.org').waitFor();

        // Reasons are required.
        await requestPage.getByRole('button', { name: 'Extend the deadline' }).click();
        const dialog = page.getByRole('dialog', { name: 'Extend the deadline' });
        await dialog.getByLabel('Reasons').fill('Busy');
        await dialog.getByRole('button', { name: 'Extend the deadline' }).click();
        assert.match(await dialog.getByRole('alert').innerText(), /at least 10 characters/);
        assert.equal(await dialog.getByLabel('Reasons').getAttribute('aria-invalid'), 'true');

        const reasons = 'Several systems hold parts of the data and must be searched by hand.';
        await dialog.getByLabel('Extend by').fill('2');
        await dialog.getByLabel('Unit').selectOption('M');
        await dialog.getByLabel('Reasons').fill(reasons);
        await dialog.getByRole('button', { name: 'Extend the deadline' }).click();
        await page
          .getByRole('status')
          .getByText(/The deadline was extended to/)
          .waitFor();
        await dialog.waitFor({ state: 'detached' });

        const row = await stored(patient.id);
        const expected = addDuration(new Date(patient.dueAt), 'P2M').toISOString();
        assert.equal(row.extended_to, expected, 'two months after the first deadline');
        const deadline = requestPage.getByTestId('request-deadline');
        await deadline.getByText('(extended)').waitFor();
        assert.equal(await deadline.locator('time').first().getAttribute('datetime'), expected);
        const api = await app.request({
          method: 'GET',
          url: `/api/v1/requests/${patient.id}`,
          headers: officer,
        });
        assert.equal(api.json<{ request: { deadline: string } }>().request.deadline, expected);
        assert.equal(
          await requestPage.getByRole('button', { name: 'Extend the deadline' }).count(),
          0,
          'only once',
        );

        const extension = requestPage.getByTestId('request-timeline').locator('li[data-kind="extended"]');
        assert.match(await extension.innerText(), /Requester sees this\s*yes/);
        assert.ok((await extension.innerText()).includes(reasons));

        // The requester is told, with the reasons.
        await runJobs();
        const [notice] = await mailTo('patient@example.org', 'rights_extension');
        assert.ok(notice?.text.includes(reasons), 'the extension notice gives the reasons');

        // The overdue letter can no longer be extended: the server's refusal is shown.
        await goTo(page, 'Requests');
        await showView(page, 'Overdue');
        const lateRequest = await openFromQueue(page, late);
        await lateRequest.getByRole('button', { name: 'Extend the deadline' }).click();
        const lateDialog = page.getByRole('dialog', { name: 'Extend the deadline' });
        await lateDialog.getByLabel('Reasons').fill(reasons);
        await lateDialog.getByRole('button', { name: 'Extend the deadline' }).click();
        const refusal = lateDialog.getByTestId('server-error');
        await refusal.waitFor();
        assert.match(await refusal.innerText(), new RegExp(`first deadline of ${late.reference} has passed`));
        assert.equal(await refusal.getAttribute('role'), 'alert');
        assert.equal((await stored(late.id)).extended_to, null);
      },
    );

    test(
      'C9.7 a refusal in the console needs reasons, closes the request, and tells the requester of the right to complain',
      TIMEOUT,
      async () => {
        const page = await signIn('privacy_officer', `#/requests/${refused.id}`);
        const requestPage = page.getByTestId('request-page');
        await page.getByRole('heading', { level: 1, name: `Request ${refused.reference}` }).waitFor();

        await requestPage.getByRole('button', { name: 'Refuse', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: 'Refuse this request' });
        await dialog.getByRole('button', { name: 'Refuse the request' }).click();
        assert.match(await dialog.getByRole('alert').innerText(), /State the reasons/);
        assert.equal((await stored(refused.id)).status, 'awaiting_review', 'nothing changed');

        const reasons = 'The same request was answered in full last week.';
        await dialog.getByLabel('Ground').selectOption('manifestly_unfounded');
        await dialog.getByLabel('Reasons').fill(reasons);
        await dialog.getByRole('button', { name: 'Refuse the request' }).click();
        await page
          .getByRole('status')
          .getByText(/The request was refused/)
          .waitFor();

        await requestPage.getByTestId('request-status').getByText('Refused').waitFor();
        assert.ok((await requestPage.getByTestId('refusal-reasons').innerText()).includes(reasons));
        await requestPage.getByText('This request is closed').waitFor();
        assert.equal(
          await page.evaluate<string>('document.activeElement?.tagName'),
          'H1',
          'focus moves to the heading, not lost with the buttons that are gone',
        );
        assert.equal(await requestPage.getByTestId('request-actions').count(), 0);
        assert.match(
          await requestPage.getByTestId('request-timeline').locator('li[data-kind="refused"]').innerText(),
          /Requester sees this\s*yes/,
        );

        const row = await stored(refused.id);
        assert.equal(row.status, 'refused');
        assert.notEqual(row.closed_at, null);
        assert.equal((JSON.parse(row.outcome ?? '{}') as { reasons?: string }).reasons, reasons);

        // The requester gets the reasons, and the authority the declaration names with the right to complain.
        await runJobs();
        const authority =
          app.ctx.policies.get(DECLARATION_ID)?.model.declaration.controller.supervisoryAuthority;
        assert.ok(authority);
        const [message] = await mailTo('refused@example.org', 'rights_refused');
        const text = message?.text ?? '';
        assert.ok(text.includes(reasons), 'the reasons');
        assert.ok(text.includes(authority.name), 'the supervisory authority');
        assert.match(text, /right to lodge a complaint/);

        // It is listed among the closed requests, no longer among the open ones.
        await goTo(page, 'Requests');
        await page.getByTestId('requests-table').waitFor();
        assert.ok(!(await queueOrder(page)).includes(refused.id));
        await showView(page, 'Closed');
        await page.getByTestId('requests-table').locator(`tr[data-request-id="${refused.id}"]`).waitFor();
      },
    );

    test(
      'C13.1 an operator enters a letter in the console: the channel and the day it arrived are recorded, then verifies and approves it',
      TIMEOUT,
      async () => {
        const page = await signIn('support_agent');
        await goTo(page, 'Requests');
        await page.getByRole('button', { name: 'Enter a request' }).click();
        const dialog = page.getByRole('dialog', { name: 'Enter a request' });
        await dialog.getByLabel('Declaration').waitFor();

        const arrived = new Date(Date.now() - 5 * DAY_MS);
        const pad = (n: number) => String(n).padStart(2, '0');
        const receivedOn = `${arrived.getFullYear()}-${pad(arrived.getMonth() + 1)}-${pad(arrived.getDate())}`;
        await dialog.getByLabel('Received by').selectOption('post');
        await dialog.getByLabel('Received on').fill(receivedOn);
        await dialog.getByLabel('What they ask for').selectOption('erasure');
        await dialog.getByLabel('Their name (optional)').fill('Grace Letterwriter');

        // A contact is required: the answer goes only to contacts on file.
        await dialog.getByRole('button', { name: 'Enter the request' }).click();
        assert.match(await dialog.getByRole('alert').innerText(), /email address or a phone number/);

        await dialog.getByLabel('Their email address').fill('grace.letter@example.org');
        await dialog
          .getByLabel('What they wrote or said')
          .fill('Please delete everything you hold about me.');
        await dialog.getByRole('button', { name: 'Enter the request' }).click();
        const done = page.getByRole('status').filter({ hasText: 'was entered' });
        await done.waitFor();
        await dialog.waitFor({ state: 'detached' });

        const entered = await app.ctx.store.db
          .selectFrom('requests')
          .selectAll()
          .where('created_by', 'like', 'operator:%')
          .where('channel', '=', 'post')
          .where('type', '=', 'erasure')
          .executeTakeFirstOrThrow();
        assert.equal(entered.received_at, new Date(`${receivedOn}T00:00`).toISOString());
        assert.equal(entered.declaration_id, DECLARATION_ID);

        // The new request is in the queue and its page shows the channel and what was written.
        await page.getByTestId('requests-table').locator(`tr[data-request-id="${entered.id}"]`).waitFor();
        await done.getByRole('link', { name: entered.reference }).click();
        const requestPage = page.getByTestId('request-page');
        await page.getByRole('heading', { level: 1, name: `Request ${entered.reference}` }).waitFor();
        assert.match(await requestPage.getByTestId('request-summary').innerText(), /Letter/);
        await requestPage.getByRole('button', { name: /Show what they wrote/ }).click();
        await requestPage.getByTestId('request-claims').getByText('Grace Letterwriter').waitFor();
        const claims = await requestPage.getByTestId('request-claims').innerText();
        assert.match(claims, /Grace Letterwriter/);
        assert.match(claims, /Please delete everything/);

        // Nobody can enter a code for a letter: the operator verifies it another way and approves it.
        await requestPage.getByRole('button', { name: 'Verify and approve' }).click();
        const approve = page.getByRole('dialog', { name: 'Verify and approve' });
        await approve
          .getByLabel('What did you check?')
          .fill('Signed letter; the address matches our records.');
        await approve.getByRole('button', { name: 'Approve and start fulfilment' }).click();
        await page
          .getByRole('status')
          .getByText('The request was approved and fulfilment has started.')
          .waitFor();
        await requestPage.getByTestId('request-status').getByText('In progress').waitFor();
        assert.match(await requestPage.getByTestId('plan-section').innerText(), /No plan yet/);

        // The workers plan and carry out the erasure: the page shows each step and the receipt.
        await runJobs();
        await page.reload();
        const plan = requestPage.getByTestId('request-plan');
        await plan.locator('section[data-system="steward"] tr[data-status="done"]').first().waitFor();
        assert.match(await plan.innerText(), /Steward \(1 of 1 done\)/);
        await requestPage.getByTestId('request-status').getByText('Completed').waitFor();
        assert.match(
          await requestPage.getByTestId('erasure-receipt').innerText(),
          /Steward: 0 identifying values left/,
        );
        const timeline = requestPage.getByTestId('request-timeline');
        assert.match(
          await timeline.locator('li[data-kind="verified_by_operator"]').innerText(),
          /Requester sees this\s*no \(internal\)/,
        );
        const approved = await stored(entered.id);
        assert.equal(approved.status, 'completed');
        assert.notEqual(approved.verified_at, null);
      },
    );
  });
}
