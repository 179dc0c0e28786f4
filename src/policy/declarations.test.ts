import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import type { TestApp } from '../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../test/support/app.js';

const reference = readFileSync(referenceDeclaration, 'utf8');
const referenceDoc = parse(reference) as { purposes: { id: string; name: { en: string } | string }[] };

interface DeclarationsBody {
  declarations: {
    id: string;
    number: number;
    contentHash: string;
    lint: { errors: number };
    versions: { number: number; url: string }[];
  }[];
}

for (const dialect of await dialects()) {
  describe(`declarations and notices on ${dialect}`, () => {
    let app: TestApp;
    let officer: { cookie: string };
    const json = (cookie: string) => ({ cookie, 'content-type': 'application/json' });

    before(async () => {
      app = await startTestApp(dialect, { declarations: [referenceDeclaration, smallShopDeclaration] });
      officer = await app.signInAs('privacy_officer');
    });
    after(() => app.close());

    test('C1.3 several declarations are in force side by side, each with its own notice', async () => {
      const res = await app.request({
        method: 'GET',
        url: '/api/v1/declarations',
        headers: { cookie: officer.cookie },
      });
      assert.equal(res.statusCode, 200);
      const ids = res
        .json<DeclarationsBody>()
        .declarations.map((d) => d.id)
        .sort();
      assert.deepEqual(ids, ['nordkust-kaffe', 'sncn-general']);
      const index = await app.request({ method: 'GET', url: '/privacy' });
      assert.match(index.body, /href="\/privacy\/sncn-general"/);
      assert.match(index.body, /href="\/privacy\/nordkust-kaffe"/);
      assert.match(index.body, /<h1>Privacy notices<\/h1>/);
      assert.match(index.body, /\(version [^)]+, in force since \d{4}-\d{2}-\d{2}\)/);
      const shop = await app.request({ method: 'GET', url: '/privacy/nordkust-kaffe' });
      const general = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      assert.match(shop.body, /Nordkust/);
      assert.doesNotMatch(
        shop.body,
        /Visilion/,
        'one notice does not mix in the other controller’s services',
      );
      assert.match(general.body, /Visilion/);
      // The reference declaration points at the separately declared product line.
      assert.match(general.body, /Nimway/);
    });

    test('C1.1 the public notice names the controller, its parent, establishment, contacts and supervisory authority', async () => {
      const res = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      for (const fact of [
        'Sony Network Communications Nordics',
        'Sony Network Communications Europe B.V.',
        'Lund',
        'Mobilvägen 4',
        'legalnotices.nce@sony.com',
        'https://www.sonynetworkcom.com/contact',
        'Integritetsskyddsmyndigheten',
        'https://www.imy.se',
      ]) {
        assert.ok(res.body.includes(fact), `notice mentions ${fact}`);
      }
    });

    test('the notice lists every purpose of the reference declaration, in English and Swedish', async () => {
      const en = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      const sv = await app.request({ method: 'GET', url: '/privacy/sncn-general?lang=sv' });
      for (const purpose of referenceDoc.purposes) {
        assert.ok(en.body.includes(`id="purpose-${purpose.id}"`), `purpose ${purpose.id} has its section`);
        const name = typeof purpose.name === 'string' ? purpose.name : purpose.name.en;
        assert.ok(
          en.body.includes(name.replace(/&/g, '&amp;').replace(/'/g, '&#x27;')),
          `purpose ${purpose.id} is named`,
        );
      }
      assert.match(sv.body, /<html lang="sv"/);
      const md = await app.request({ method: 'GET', url: '/privacy/sncn-general?format=md' });
      assert.match(String(md.headers['content-type']), /text\/markdown/);
      assert.match(md.body, /^# /m);
    });

    test('a reader asking for a language the declaration does not offer gets its first language, and is told so', async () => {
      const fr = await app.request({ method: 'GET', url: '/privacy/sncn-general?lang=fr' });
      assert.equal(fr.statusCode, 200);
      assert.match(fr.body, /<html lang="en"/);
      assert.match(
        fr.body,
        /<p class="fallback" role="note">This notice is not available in French, so it is shown in English\.<\/p>/,
      );
      const en = await app.request({ method: 'GET', url: '/privacy/sncn-general?lang=en' });
      assert.doesNotMatch(en.body, /class="fallback"/, 'a language on offer is no fallback');
      const svFi = await app.request({ method: 'GET', url: '/privacy/sncn-general?lang=sv-FI' });
      assert.match(svFi.body, /<html lang="sv"/);
      assert.doesNotMatch(svFi.body, /class="fallback"/, 'a regional tag of an offered language is served');
    });

    test('C2.1 the rendered notice explains the vocabulary in a glossary', async () => {
      const res = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      assert.match(res.body, /id="glossary"/);
      for (const term of ['Controller', 'Processor', 'Legitimate interest', 'Personal data'])
        assert.match(res.body, new RegExp(term, 'i'));
    });

    test('C6.1 transfers outside the EEA are listed with their safeguards in the notice and the RoPA', async () => {
      const notice = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      assert.match(notice.body, /id="transfers"/);
      assert.match(notice.body, /United States/);
      assert.match(notice.body, /[Ss]tandard contractual clauses/);
      const ropa = await app.request({
        method: 'GET',
        url: '/api/v1/declarations/sncn-general/ropa?format=csv',
        headers: { cookie: officer.cookie },
      });
      assert.equal(ropa.statusCode, 200);
      assert.match(ropa.body, /US/);
      assert.equal(ropa.body.trim().split(/\r?\n/).length > referenceDoc.purposes.length, true);
    });

    test('C6.1 publishing a declaration with an unsafeguarded transfer is refused and changes nothing', async () => {
      const doc = parse(reference) as {
        recipients: { countries: string[]; transfer?: unknown }[];
        version: string;
      };
      const group = doc.recipients.find((r) => r.countries.includes('US'));
      assert.ok(group);
      delete group.transfer;
      doc.version = 'broken';
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/declarations',
        headers: json(officer.cookie),
        payload: { source: stringify(doc) },
      });
      assert.equal(res.statusCode, 422);
      const body = res.json<{ error: { code: string; details: { path: string; message: string }[] } }>();
      assert.equal(body.error.code, 'policy_invalid');
      assert.ok(body.error.details.some((d) => d.message.startsWith('transfer.no_mechanism')));
      const versions = await app.request({
        method: 'GET',
        url: '/api/v1/declarations/sncn-general/versions',
        headers: { cookie: officer.cookie },
      });
      assert.equal(versions.json<{ versions: unknown[] }>().versions.length, 1);
    });

    test('CV.1 publishing stores a new version with effective date and content hash; earlier versions stay readable; diff shows the change', async () => {
      const doc = parse(reference) as {
        version: string;
        effectiveDate: string;
        purposes: { id: string; name: unknown }[];
      };
      doc.version = '2026-12';
      doc.effectiveDate = '2026-12-01';
      const copied = structuredClone(doc.purposes.find((p) => p.id === 'product_development'));
      assert.ok(copied);
      doc.purposes.push({ ...copied, id: 'webinar_feedback', name: 'Feedback on webinars' });
      const source = stringify(doc);
      const published = await app.request({
        method: 'POST',
        url: '/api/v1/declarations',
        headers: json(officer.cookie),
        payload: { source },
      });
      assert.equal(published.statusCode, 201, published.body);
      const v2 = published.json<{ version: { number: number; effectiveDate: string; contentHash: string } }>()
        .version;
      assert.equal(v2.number, 2);
      assert.equal(v2.effectiveDate, '2026-12-01');
      assert.match(v2.contentHash, /^[0-9a-f]{64}$/);

      const again = await app.request({
        method: 'POST',
        url: '/api/v1/declarations',
        headers: json(officer.cookie),
        payload: { source },
      });
      assert.equal(again.statusCode, 200, 'publishing identical content again stores nothing');
      assert.equal(again.json<{ created: boolean }>().created, false);

      const current = await app.request({ method: 'GET', url: '/privacy/sncn-general' });
      assert.ok(current.body.includes('id="purpose-webinar_feedback"'));
      const archived = await app.request({ method: 'GET', url: '/privacy/sncn-general/versions/1' });
      assert.equal(archived.statusCode, 200);
      assert.ok(
        !archived.body.includes('id="purpose-webinar_feedback"'),
        'version 1 is still readable as it was',
      );
      const sourceV1 = await app.request({ method: 'GET', url: '/privacy/sncn-general/versions/1/source' });
      assert.equal(sourceV1.body, reference);
      const list = await app.request({ method: 'GET', url: '/privacy/sncn-general/versions' });
      assert.match(list.body, /2026-12-01/);
      assert.match(list.body, /2021-03-01/);
      assert.match(list.body, /<h1>Published versions of sncn-general<\/h1>/);
      assert.match(list.body, /<a href="\/privacy\/sncn-general\/versions\/1\/source">YAML<\/a>/);

      const diff = await app.request({
        method: 'GET',
        url: '/api/v1/declarations/sncn-general/diff?from=1&to=2',
        headers: { cookie: officer.cookie },
      });
      assert.equal(diff.statusCode, 200);
      const body = diff.json<{ sections: { section: string; added: string[] }[]; patch: string }>();
      assert.deepEqual(body.sections.find((s) => s.section === 'purposes')?.added, ['webinar_feedback']);
      assert.match(body.patch, /^\+.*webinar_feedback/m);

      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['actor', 'details'])
        .where('action', '=', 'policy.published')
        .execute();
      assert.ok(audit.some((a) => a.actor.startsWith('operator:') && a.details.includes('"number":2')));
    });

    test('an unknown declaration or version answers 404 with a clear message', async () => {
      const res = await app.request({ method: 'GET', url: '/privacy/no-such-thing' });
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /no-such-thing/);
      const v = await app.request({ method: 'GET', url: '/privacy/sncn-general/versions/99' });
      assert.equal(v.statusCode, 404);
    });

    test('the JSON Schema of the format is served for editors', async () => {
      const res = await app.request({ method: 'GET', url: '/api/v1/declarations/schema' });
      assert.equal(res.statusCode, 200);
      const schema = res.json<{ properties: Record<string, unknown>; required: string[] }>();
      assert.ok('purposes' in schema.properties && 'controller' in schema.properties);
      assert.ok(schema.required.includes('controller'));
    });
  });
}
