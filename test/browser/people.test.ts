/**
 * The people, consent and mail screens of the operator console in a real browser (headless
 * Chromium) against a real Steward server on SQLite and PostgreSQL. Data is seeded through the
 * HTTP API as a privacy officer; everything else happens through the UI, and the outcome is
 * checked in the database.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Role } from '../../src/access/roles.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';
import type { BrowserContext, Page } from '../support/browser.js';
import { chromiumPath, ensureConsoleBuilt, launchBrowser } from '../support/browser.js';
import { lastMessage } from '../support/mail.js';
import { CONTROLLER_TENANT } from '../../src/subjects/subjects.js';

// The reference declaration (examples/reference/declaration.yaml).
const DECLARATION_ID = 'sncn-general';
// `credit_check` rests on legitimate interests and takes its data from `credit_institutions`, a
// third-party (indirect) source: every record owes the person an Art. 14 notice.
const INDIRECT_RECORD = {
  declarationId: DECLARATION_ID,
  kind: 'credit_report',
  purposes: ['credit_check'],
  categories: ['user.name', 'user.workplace', 'user.financial.credit'],
  source: 'credit_institutions',
};
const SCREENSHOT = '/tmp/steward-subject.png';
const TIMEOUT = { timeout: 90_000 };

const browser = await launchBrowser();
if (browser) await ensureConsoleBuilt();
after(() => browser?.close());
const skip = browser === undefined ? `Chromium not found at ${chromiumPath}` : false;

interface Captured {
  id: string;
  subjectId: string;
  noticeOwed: boolean;
}

for (const dialect of await dialects()) {
  describe(`people, consent and mail in the console on ${dialect}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    let officerCookie: string;
    const contexts: BrowserContext[] = [];

    before(async () => {
      app = await startTestApp(dialect);
      await app.server.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
      ({ cookie: officerCookie } = await app.signInAs('privacy_officer'));
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(() => app?.close());

    /** A call to the HTTP API as the seeding privacy officer. */
    async function apiPost(url: string, payload: object): Promise<{ status: number; body: unknown }> {
      const response = await app.request({
        method: 'POST',
        url,
        headers: { cookie: officerCookie, 'content-type': 'application/json' },
        payload,
      });
      return { status: response.statusCode, body: response.body === '' ? undefined : response.json() };
    }

    /** Captures a credit report for `email` (indirect source: a notice is owed). */
    async function captureIndirectRecord(email: string, extra: object = {}): Promise<Captured> {
      const { status, body } = await apiPost('/api/v1/records', {
        ...INDIRECT_RECORD,
        subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' },
        ...extra,
      });
      assert.equal(status, 201, JSON.stringify(body));
      const captured = body as Captured;
      assert.equal(captured.noticeOwed, true, 'a record from a third-party source owes a notice');
      return captured;
    }

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

    /** What a page stores on its own: nothing (the reason lives only in the address). */
    function storedInBrowser(page: Page): Promise<number[]> {
      // A string: it runs in the page (this project type-checks without the DOM library).
      return page.evaluate<number[]>('[localStorage.length, sessionStorage.length]');
    }

    test(
      "C7.2 opening a person's data in the console needs a reason from the list, and the opening is audited",
      TIMEOUT,
      async () => {
        const email = 'ada@example.com';
        const captured = await captureIndirectRecord(email, {
          subject: {
            identifiers: [
              { kind: 'email', value: email },
              { kind: 'cookie', value: 'c0ffee-ada-browser' },
            ],
            jurisdiction: 'SE',
          },
          data: { name: 'Ada Lovelace', company: 'Analytical Engines AB', rating: 'A', remarks: 0 },
        });
        // Some consent history: newsletter consent given, then withdrawn.
        for (const event of ['given', 'withdrawn']) {
          const { status, body } = await apiPost('/api/v1/consents', {
            declarationId: DECLARATION_ID,
            subject: { identifiers: [{ kind: 'email', value: email }] },
            event,
            targets: [{ kind: 'purpose', id: 'newsletters' }],
            channel: 'web_form',
            element: 'newsletter_form',
            ip: '198.51.100.7',
            userAgent: 'Mozilla/5.0 (test)',
            jurisdiction: 'SE',
          });
          assert.equal(status, 201, JSON.stringify(body));
        }

        const page = await signIn('privacy_officer');
        await goTo(page, 'Subjects');

        // An unknown identifier finds no one.
        const search = page.getByTestId('subject-search');
        await search.getByLabel('Identifier kind').selectOption('email');
        await search.getByLabel('Value').fill('nobody@example.com');
        await search.getByRole('button', { name: 'Find' }).click();
        await page.getByRole('status').getByText('No one with that identifier').waitFor();
        assert.equal(await page.getByTestId('subject-result').count(), 0);

        // Finding Ada shows only her subject id: no data yet.
        await search.getByLabel('Value').fill(email);
        await search.getByRole('button', { name: 'Find' }).click();
        const result = page.getByTestId('subject-result');
        await result.waitFor();
        assert.equal((await result.getByTestId('subject-id').innerText()).trim(), captured.subjectId);
        assert.doesNotMatch(await page.innerText('main'), /Analytical Engines|credit_check/);

        // Opening asks why: a reason from the list, and the case it belongs to.
        await page.getByTestId('open-subject').click();
        const dialog = page.getByRole('dialog', { name: 'Open this person’s data' });
        await dialog.waitFor();
        const reasonSelect = dialog.getByTestId('reason-select');
        assert.equal(
          await dialog.getByLabel("Why are you opening this person's data?").getAttribute('data-testid'),
          'reason-select',
          'the reason field is labelled with the question',
        );
        await dialog.getByRole('button', { name: 'Open their data' }).click();
        const refusal = dialog.getByRole('alert');
        await refusal.waitFor();
        assert.match(await refusal.innerText(), /Choose why/);
        assert.equal(await reasonSelect.getAttribute('aria-invalid'), 'true');
        await reasonSelect.selectOption('support_case');
        await dialog.getByRole('button', { name: 'Open their data' }).click();
        assert.match(await dialog.getByRole('alert').innerText(), /Name the case or ticket/);
        assert.match(page.url(), /#\/subjects$/, 'still on the search');

        const stated = { reason: 'support_case', reference: 'T-1042', note: 'She asked what we hold' };
        await dialog.getByTestId('reference-input').fill(stated.reference);
        await dialog.getByTestId('note-input').fill(stated.note);
        await dialog.getByTestId('note-input').press('Enter');
        const subjectPage = page.getByTestId('subject-page');
        await subjectPage.getByTestId('records-table').waitFor();
        assert.equal(
          new URL(page.url()).hash,
          `#/subjects/${captured.subjectId}?${new URLSearchParams(stated).toString()}`,
        );
        assert.equal(await page.title(), 'Subject · Steward');
        assert.equal((await subjectPage.getByTestId('subject-id').innerText()).trim(), captured.subjectId);
        assert.match(
          await subjectPage.getByTestId('audit-note').innerText(),
          /This access was recorded in the audit ledger with your reason: A support case \(“?T-1042”?\)/,
        );

        // Identifiers: the email as typed, the cookie only as a keyed hash.
        const identifiers = subjectPage.getByRole('table', { name: 'Identifiers' });
        assert.match(await identifiers.innerText(), /ada@example\.com/);
        assert.match(
          await identifiers.getByRole('row').filter({ hasText: 'cookie' }).innerText(),
          /kept as keyed hash/,
        );
        assert.doesNotMatch(await subjectPage.innerText(), /c0ffee-ada-browser/);
        // Where each identifier came from, and that the address founded the person's record.
        const emailRow = await identifiers
          .getByRole('row')
          .filter({ hasText: 'ada@example.com' })
          .innerText();
        assert.match(emailRow, /capture:|consent|subscription/);
        assert.match(emailRow, /Founding/);

        // The record: purpose with its basis, categories, source and its type, and the data on demand.
        const row = subjectPage.getByTestId('records-table').locator(`tr[data-record-id="${captured.id}"]`);
        const rowText = await row.innerText();
        for (const expected of [
          'credit report',
          'credit_check',
          'legitimate interests',
          'user.financial.credit',
          'credit_institutions',
          'third party',
        ]) {
          assert.ok(rowText.includes(expected), `the record row shows ${expected}: ${rowText}`);
        }
        const data = row.locator('details');
        assert.equal(await data.getByText('Analytical Engines AB').isVisible(), false, 'data starts folded');
        await data.locator('summary').click();
        await data.getByText('Analytical Engines AB').waitFor();

        // Consent: current state and the history, newest first.
        const consents = subjectPage.getByRole('table', { name: 'Current consents' });
        assert.match(
          await consents.getByRole('row').filter({ hasText: 'newsletters' }).innerText(),
          /Not given/,
        );
        const history = subjectPage.getByTestId('consent-history').locator(':scope > li');
        assert.equal(await history.count(), 2);
        assert.match(await history.nth(0).innerText(), /Withdrawn/);
        assert.match(await history.nth(1).innerText(), /Given/);
        // Steward keeps only the network of the address it was given.
        assert.match(await history.nth(1).innerText(), /198\.51\.100\.0\/24/);

        // The notice owed for this record is listed here too.
        assert.match(await subjectPage.getByTestId('subject-notices').innerText(), /credit_institutions/);

        // The opening is in the audit ledger with its reason; the reason is kept nowhere in the browser.
        const opened = await app.ctx.store.db
          .selectFrom('audit_log')
          .select(['actor', 'purpose', 'details'])
          .where('action', '=', 'subject.opened')
          .where('target', '=', `subject:${captured.subjectId}`)
          .execute();
        assert.deepEqual(
          opened.map((entry) => [entry.purpose, JSON.parse(entry.details) as unknown]),
          [['support_case', { note: stated.note, reference: stated.reference }]],
        );
        assert.deepEqual(await storedInBrowser(page), [0, 0]);

        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        // A request named as the reason must concern this person (typed into the address): refused.
        await page.evaluate(
          `window.location.hash = '#/subjects/${captured.subjectId}?reason=handling_request&reference=R-NOSUCH'`,
        );
        const serverRefusal = subjectPage.getByRole('alert').filter({ hasText: 'did not open' });
        await serverRefusal.waitFor();
        assert.match(await serverRefusal.innerText(), /does not concern this data/);
        assert.equal(await subjectPage.getByTestId('records-table').count(), 0);
        const refused = await app.ctx.store.db
          .selectFrom('audit_log')
          .select('seq')
          .where('action', '=', 'subject.opened')
          .where('purpose', '=', 'handling_request')
          .execute();
        assert.equal(refused.length, 0, 'a refused opening opens nothing');
      },
    );

    test('C4a.7 an objection to direct marketing is recorded from the subject page', TIMEOUT, async () => {
      const captured = await captureIndirectRecord('grace@example.com');
      const stated = {
        reason: 'support_case',
        reference: 'CALL-88',
        note: 'Recording her objection by phone',
      };
      const page = await signIn(
        'support_agent',
        `#/subjects/${captured.subjectId}?${new URLSearchParams(stated).toString()}`,
      );
      const subjectPage = page.getByTestId('subject-page');
      await subjectPage.getByTestId('records-table').waitFor();
      assert.equal(await subjectPage.getByText('Objected to direct marketing').count(), 0);

      // Confirm first: cancelling records nothing.
      await subjectPage.getByRole('button', { name: 'Object to direct marketing' }).click();
      const dialog = page.getByRole('dialog', { name: 'Object to direct marketing?' });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      const before = await app.ctx.store.db
        .selectFrom('subjects')
        .select('objected_at')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', captured.subjectId)
        .executeTakeFirstOrThrow();
      assert.equal(before.objected_at, null);

      await subjectPage.getByRole('button', { name: 'Object to direct marketing' }).click();
      await dialog.getByRole('button', { name: 'Record the objection' }).click();
      await page.getByRole('status').getByText('The objection to direct marketing was recorded.').waitFor();
      await subjectPage
        .getByRole('list', { name: 'Flags' })
        .getByText('Objected to direct marketing')
        .waitFor();
      const query = new URL(page.url()).hash.split('?')[1] ?? '';
      assert.equal(new URLSearchParams(query).get('note'), stated.note, 'the reason stays in the address');
      const after = await app.ctx.store.db
        .selectFrom('subjects')
        .select('objected_at')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', captured.subjectId)
        .executeTakeFirstOrThrow();
      assert.notEqual(after.objected_at, null);
    });

    test('C3b.2 notices owed are listed with their due date and can be marked sent', TIMEOUT, async () => {
      const captured = await captureIndirectRecord('linus@example.com');
      const task = await app.ctx.store.db
        .selectFrom('notice_tasks')
        .select(['id', 'due_at', 'status'])
        .where('record_id', '=', captured.id)
        .executeTakeFirstOrThrow();
      assert.equal(task.status, 'open');

      const page = await signIn('privacy_officer');
      await goTo(page, 'Notices owed');
      const table = page.getByTestId('notices-table');
      const row = table.locator(`tr[data-task-id="${task.id}"]`);
      await row.waitFor();
      assert.equal(await row.locator('time').first().getAttribute('datetime'), task.due_at, 'its due date');
      assert.match(await row.innerText(), /credit_institutions/);
      assert.match(await row.innerText(), /\bDue\b/, 'not overdue yet, and said in words');

      // Earliest due first.
      const times = table.locator('tbody tr td:first-child time');
      const dueDates: string[] = [];
      for (let i = 0; i < (await times.count()); i += 1) {
        dueDates.push((await times.nth(i).getAttribute('datetime')) ?? '');
      }
      assert.deepEqual(dueDates, [...dueDates].sort());

      // A note is required.
      await row.getByRole('button', { name: 'Mark sent' }).click();
      const dialog = page.getByRole('dialog', { name: 'Mark the notice as sent' });
      await dialog.getByRole('button', { name: 'Mark sent' }).click();
      await dialog.getByRole('alert').waitFor();
      const note = 'Emailed the Art. 14 notice on 3 May';
      await dialog.getByLabel('Note').fill(note);
      await dialog.getByRole('button', { name: 'Mark sent' }).click();
      await page.getByRole('status').getByText('The notice was marked as sent.').waitFor();
      await row.waitFor({ state: 'detached' });

      const closed = await app.ctx.store.db
        .selectFrom('notice_tasks')
        .select(['status', 'note', 'closed_at'])
        .where('id', '=', task.id)
        .executeTakeFirstOrThrow();
      assert.equal(closed.status, 'sent');
      assert.equal(closed.note, note);
      assert.notEqual(closed.closed_at, null);

      // It is listed under "Sent" with its note.
      await page
        .getByRole('group', { name: 'Which notices to show' })
        .getByRole('button', { name: 'Sent' })
        .click();
      const sentRow = page.getByTestId('notices-table').locator(`tr[data-task-id="${task.id}"]`);
      await sentRow.waitFor();
      assert.match(await sentRow.innerText(), new RegExp(note));
    });

    test(
      'C4a.5 the double opt-in confirmation message is readable in the console outbox',
      TIMEOUT,
      async () => {
        const email = 'margaret@example.com';
        const { status, body } = await apiPost('/api/v1/subscriptions', {
          declarationId: DECLARATION_ID,
          communication: 'sncn_newsletter',
          email,
          channel: 'web_form',
        });
        assert.equal(status, 201, JSON.stringify(body));
        assert.equal((body as { state: string }).state, 'unconfirmed');
        const stored = await app.ctx.store.db
          .selectFrom('outbox')
          .select(['id', 'subject', 'text_body'])
          .where('to_address', '=', email)
          .where('kind', '=', 'confirmation')
          .executeTakeFirstOrThrow();
        const delivered = await lastMessage(app.ctx, { to: email, kind: 'confirmation' });
        const token = /\/confirm\/(\S+)/.exec(delivered?.text ?? '')?.[1];
        assert.ok(token, 'the person received a confirmation link');

        const page = await signIn('privacy_officer');
        await goTo(page, 'Outbox');
        await page
          .getByTestId('outbox-transport')
          .getByText('No mail server is configured: messages are kept here instead of being sent')
          .waitFor();
        const item = page.getByTestId('outbox-list').getByRole('button').filter({ hasText: email });
        await item.waitFor();
        assert.match(
          await item.innerText(),
          new RegExp(stored.subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
        );
        assert.equal(await page.getByTestId('outbox-message').count(), 0, 'nothing is open until selected');

        await item.click();
        assert.equal(await item.getAttribute('aria-pressed'), 'true');
        const message = page.getByTestId('outbox-message');
        await message.getByRole('heading', { name: stored.subject }).waitFor();
        const text = await message.getByTestId('outbox-text').innerText();
        assert.equal(text, stored.text_body);
        assert.match(
          text,
          /https?:\/\/\S+\/confirm\/\[removed\]/,
          'the confirmation link, without its token',
        );
        assert.ok(!text.includes(token), 'an operator never reads the token back');
        // The link is plain text: nothing in the message is rendered as a link.
        assert.equal(await message.getByTestId('outbox-text').locator('a').count(), 0);
      },
    );

    test(
      'C4a.6 a marketing message in the outbox shows its List-Unsubscribe headers, and its HTML only as source',
      TIMEOUT,
      async () => {
        const email = 'barbara@example.com';
        await captureIndirectRecord(email);
        const html = '<p>New firmware <b>3.2</b> is out.</p><img src="https://tracker.example/p.gif">';
        // product_updates is opt-out in Sweden: it may go to a Swedish business contact unasked.
        const { status, body } = await apiPost('/api/v1/messages', {
          declarationId: DECLARATION_ID,
          communication: 'product_updates',
          to: email,
          jurisdiction: 'SE',
          subject: 'Firmware 3.2 for your devices',
          text: 'New firmware 3.2 is out: https://example.com/firmware',
          html,
        });
        assert.equal(status, 202, JSON.stringify(body));
        const stored = await app.ctx.store.db
          .selectFrom('outbox')
          .select(['headers'])
          .where('id', '=', (body as { outboxId: string }).outboxId)
          .executeTakeFirstOrThrow();
        const headers = JSON.parse(stored.headers) as Record<string, string>;

        const page = await signIn('privacy_officer', '#/outbox');
        await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
        await page
          .getByTestId('outbox-list')
          .getByRole('button')
          .filter({ hasText: 'Firmware 3.2 for your devices' })
          .click();
        const message = page.getByTestId('outbox-message');
        await message.waitFor();

        const table = message.getByRole('table', { name: 'Message headers' });
        for (const name of ['List-Unsubscribe', 'List-Unsubscribe-Post']) {
          const value = headers[name];
          assert.ok(value, `the message has ${name}`);
          const row = table
            .getByRole('row')
            .filter({ has: page.getByRole('rowheader', { name, exact: true }) });
          assert.equal((await row.locator('td').innerText()).trim(), value);
        }

        assert.match(
          await message.getByTestId('outbox-text').innerText(),
          /Unsubscribe from this list: http/,
        );
        const source = message.locator('details pre');
        assert.equal(await source.isVisible(), false, 'the HTML source starts folded');
        await message.locator('details summary').click();
        assert.equal(await source.innerText(), html, 'the HTML, as text');
        assert.equal(await message.locator('b, img, p > a').count(), 0, 'nothing of the HTML is rendered');
      },
    );

    test(
      'C7.2 an administrator is told their role does not allow the people and mail screens',
      TIMEOUT,
      async () => {
        const page = await signIn('administrator');
        await goTo(page, 'Subjects');
        const search = page.getByTestId('subject-search');
        await search.getByLabel('Value').fill('ada@example.com');
        await search.getByRole('button', { name: 'Find' }).click();
        await page.getByTestId('forbidden').getByText('Your role does not allow this').waitFor();
        assert.equal(await page.getByTestId('subject-result').count(), 0);

        await goTo(page, 'Notices owed');
        await page.getByTestId('forbidden').getByText('Your role does not allow this').waitFor();
        assert.equal(await page.getByTestId('notices-table').count(), 0);

        await goTo(page, 'Outbox');
        await page.getByTestId('forbidden').getByText('Your role does not allow this').waitFor();
        assert.equal(await page.getByTestId('outbox-list').count(), 0);
      },
    );
  });
}
