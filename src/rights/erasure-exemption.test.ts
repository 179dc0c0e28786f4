/**
 * A purpose exempt from erasure on a stated Art. 17(3) ground other than a legal obligation
 * (legal claims, on legitimate interests): its records stay with only the fields it lists, serve
 * only it, and the requester is told the ground and the stated reason. The Nordkust declaration
 * with one such purpose added, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { smallShopDeclaration } from '../../test/support/paths.js';
import { unseal } from '../capture/sealed.js';
import { stewardConnector, WHOLE_PERSON } from '../connectors/steward/index.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-exempt-'));
const file = join(dir, 'declaration.yaml');
{
  const d = parse(readFileSync(smallShopDeclaration, 'utf8')) as { purposes: unknown[] };
  d.purposes.push({
    id: 'complaints',
    name: { sv: 'Reklamationstvister', en: 'Complaint disputes' },
    description: {
      sv: 'Att bemöta en reklamation som kunden har tagit vidare.',
      en: 'Answering a complaint the customer has taken further.',
    },
    dpv: 'dpv:DisputeManagement',
    legalBasis: 'legitimate_interests',
    legitimateInterest: {
      interest: {
        sv: 'Att kunna försvara oss i en tvist.',
        en: 'Being able to defend ourselves in a dispute.',
      },
      necessity: 'Only the name and the messages about the complaint are kept.',
      balancing: 'Kept only while a complaint may still be taken to the board or a court.',
    },
    categories: ['user.name', 'user.content.communication'],
    subjectCategories: ['customers'],
    sources: ['customer_email'],
    retention: { default: 'support_mail' },
    erasure: {
      exempt: {
        ground: 'legal_claims',
        reason: {
          sv: 'Vi behöver meddelandena om reklamationen om den prövas',
          en: 'We need the messages about the complaint if it is tried',
        },
      },
    },
  });
  writeFileSync(file, stringify(d));
}

for (const dialect of await dialects()) {
  describe(`erasure with a stated exemption (store on ${dialect})`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    before(async () => {
      app = await startTestApp(dialect, { declarations: [file] });
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(async () => {
      await app.close();
      if (dialect === 'postgres') rmSync(dir, { recursive: true, force: true });
    });

    test('C9.2 a record kept for legal claims keeps only the fields that purpose lists, serves only it, and the answer names the ground and the reason', async () => {
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: 'nordkust-kaffe',
          source: 'customer_email',
          kind: 'form_submission',
          subject: { identifiers: [{ kind: 'email', value: 'disputed@example.com' }], jurisdiction: 'SE' },
          purposes: ['customer_service', 'complaints'],
          categories: ['user.name', 'user.contact.email', 'user.content.communication'],
          data: { name: 'Dana Disputed', email: 'disputed@example.com', message: 'The grinder broke.' },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      const { id, subjectId } = captured.json<{ id: string; subjectId: string }>();
      const result = await stewardConnector(app.ctx, { requestId: 'R-TEST-0100' }).change(
        { subjectId, identities: [] },
        WHOLE_PERSON,
        { action: 'delete' },
      );
      const kept = result.kept?.find((k) => k.collection === 'records');
      assert.equal(kept?.reason, 'exemption');
      assert.equal(kept?.purpose, 'complaints');
      assert.deepEqual(kept?.categories, ['user.content.communication', 'user.name']);
      // No request of this id: the answer is in the declaration's first language.
      assert.match(
        kept?.explanation ?? '',
        /för ”Reklamationstvister”\. Vi behöver meddelandena om reklamationen om den prövas\. Rätten till radering gäller inte för dem, på grund av rättsliga anspråk \(artikel 17\.3 e i dataskyddsförordningen\)/,
      );
      const stored = await app.ctx.store.db
        .selectFrom('records')
        .select(['data', 'categories', 'purposes'])
        .where('id', '=', id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .executeTakeFirstOrThrow();
      assert.deepEqual(unseal(app.ctx.keys.records, stored.data), {
        name: 'Dana Disputed',
        message: 'The grinder broke.',
      });
      assert.deepEqual(JSON.parse(stored.categories), ['user.name', 'user.content.communication']);
      assert.deepEqual(
        (JSON.parse(stored.purposes) as { id: string }[]).map((p) => p.id),
        ['complaints'],
      );
      assert.equal(
        (
          await app.ctx.store.db
            .selectFrom('identifiers')
            .select('id')
            .where('subject_id', '=', subjectId)
            .where('tenant', '=', CONTROLLER_TENANT)
            .execute()
        ).length,
        0,
        'the address goes: the purpose does not list it',
      );
    });
  });
}
