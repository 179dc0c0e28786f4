import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../../test/support/app.js';
import { dialects, startTestApp } from '../../../test/support/app.js';
import { unseal } from '../../capture/sealed.js';
import { CONTROLLER_TENANT } from '../../subjects/subjects.js';
import { ConnectorError } from '../contract.js';
import { stewardConnector, stewardDataset, WHOLE_PERSON } from './index.js';

const D = 'sncn-general';

for (const dialect of await dialects()) {
  describe(`Steward's own data as a connector on ${dialect}`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    before(async () => {
      app = await startTestApp(dialect);
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const capture = async (payload: Record<string, unknown>) => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: { declarationId: D, source: 'website_forms', kind: 'form_submission', ...payload },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string; subjectId: string }>();
    };
    const person = (email: string) => ({
      identifiers: [{ kind: 'email', value: email }],
      jurisdiction: 'SE',
    });

    test('reads a person’s data collection by collection, a page at a time, in a stable order', async () => {
      const { subjectId } = await capture({
        subject: person('pages@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email', 'user.content.communication'],
        data: { message: 'first' },
      });
      for (const message of ['second', 'third'])
        await capture({
          subject: person('pages@example.com'),
          purposes: ['enquiries'],
          categories: ['user.content.communication'],
          data: { message },
        });
      const connector = stewardConnector(app.ctx);
      const seeds = { subjectId, identities: [] };
      const counts = await connector.count(seeds);
      assert.equal(counts.get('records'), 3);
      assert.equal(counts.get('identifiers'), 1);
      assert.equal(counts.get('subject'), 1);

      const first = await connector.read(seeds, 'records', { limit: 2 });
      assert.equal(first.rows.length, 2);
      assert.ok(first.next, 'a next page');
      const second = await connector.read(seeds, 'records', { limit: 2, after: first.next });
      assert.equal(second.rows.length, 1);
      assert.equal(second.next, undefined);
      assert.deepEqual(
        [...first.rows, ...second.rows].map((r) => (r['data'] as { message: string }).message),
        ['first', 'second', 'third'],
      );
      assert.deepEqual(await connector.values(seeds, 'identifiers', 'value', 10), ['pages@example.com']);
      assert.equal((await connector.count({ identities: [] })).size, 0, 'no subject, nothing held');
      await assert.rejects(
        connector.change(seeds, 'records', { action: 'delete' }),
        (e: unknown) => e instanceof ConnectorError && /as a whole/.test(e.message),
      );
      assert.deepEqual(
        stewardDataset.collections.map((c) => c.name),
        [
          'subject',
          'identifiers',
          'records',
          'consent_events',
          'subscriptions',
          'notice_tasks',
          'suppressions',
          'requests',
        ],
      );
    });

    test('C9.2 erasing through the connector keeps a bookkeeping record with only the fields bookkeeping needs, and says why', async () => {
      const { subjectId } = await capture({
        subject: person('keeper@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email', 'user.content.communication'],
        data: { message: 'Where is my invoice?' },
      });
      const invoice = await capture({
        subject: person('keeper@example.com'),
        source: 'partner_account',
        kind: 'invoice',
        // Serving the customer too, which needed the address and phone; bookkeeping does not.
        purposes: ['bookkeeping', 'b2b_service_provision'],
        categories: [
          'user.name',
          'user.contact.email',
          'user.contact.phone_number',
          'user.financial.purchase_history',
        ],
        data: {
          invoice: 'F-2026-0099',
          amount: 1200,
          name: 'Kim Keeper',
          email: 'keeper@example.com',
          Phone: '+46 70 123 45 67',
        },
      });
      const connector = stewardConnector(app.ctx, { requestId: 'R-TEST-0099' });
      const seeds = { subjectId, identities: [] };
      const dry = await connector.change(seeds, WHOLE_PERSON, { action: 'delete' }, { dryRun: true });
      assert.equal(dry.changed, 0);
      assert.ok(dry.matched >= 4, `subject, identifier, two records: ${dry.matched}`);

      let batches = 0;
      const result = await connector.change(
        seeds,
        WHOLE_PERSON,
        { action: 'delete' },
        { onBatch: () => void (batches += 1) },
      );
      assert.equal(batches, 1);
      assert.ok(result.changed >= 3);
      const kept = result.kept?.find((k) => k.collection === 'records');
      assert.equal(kept?.reason, 'legal_obligation');
      assert.equal(kept?.purpose, 'bookkeeping');
      assert.deepEqual(kept?.categories, ['user.financial.purchase_history', 'user.name']);
      assert.match(kept?.explanation ?? '', /Bokföringslagen/);

      const stored = await app.ctx.store.db
        .selectFrom('records')
        .select(['data', 'categories'])
        .where('id', '=', invoice.id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .executeTakeFirstOrThrow();
      assert.deepEqual(unseal(app.ctx.keys.records, stored.data), {
        invoice: 'F-2026-0099',
        amount: 1200,
        name: 'Kim Keeper',
      });
      assert.deepEqual(JSON.parse(stored.categories), ['user.name', 'user.financial.purchase_history']);

      // Once more: nothing further goes, the same exemption is reported.
      const again = await connector.change(seeds, WHOLE_PERSON, { action: 'delete' });
      assert.equal(again.changed, 0);
      assert.equal(again.kept?.find((k) => k.collection === 'records')?.count, 1);
      const left = await connector.count(seeds);
      assert.equal(left.get('identifiers'), undefined, 'no identifier is left');
      assert.equal(left.get('records'), 1);
    });

    test('C9.10 restricting through the connector marks the person restricted, once', async () => {
      const { subjectId } = await capture({
        subject: person('restrict-me@example.com'),
        purposes: ['enquiries'],
        categories: ['user.contact.email'],
        data: {},
      });
      const connector = stewardConnector(app.ctx);
      const seeds = { subjectId, identities: [] };
      assert.equal((await connector.change(seeds, WHOLE_PERSON, { action: 'restrict' })).changed, 1);
      assert.equal((await connector.change(seeds, WHOLE_PERSON, { action: 'restrict' })).changed, 0);
      const page = await connector.read(seeds, 'subject');
      assert.equal(page.rows[0]?.['restricted'], true);
    });
  });
}
