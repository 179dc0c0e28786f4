/**
 * The German example (examples/elbblatt-tee): a Hamburg tea shop selling to consumers, German
 * first. It lints clean; its notice in German states the statutory periods of § 257 HGB and
 * § 147 AO, the soft opt-in of § 7 Abs. 3 UWG and the Hamburg supervisory authority in German,
 * with none of Steward's English left; its notice in English says the same in English; and the
 * suppression check sends its customer letter without consent only where the soft opt-in holds.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { lintSource } from '../../src/policy/lint.js';
import { PolicyModel } from '../../src/policy/model.js';
import { renderNotice } from '../../src/policy/render-notice.js';
import type { Declaration } from '../../src/policy/schema.js';
import { expiresAt } from '../../src/retention/clocks.js';
import type { Verdict } from '../../src/consent/suppression.js';
import { createApiKey } from '../../src/access/operators.js';
import { hostActor } from '../../src/cli/host-actor.js';
import { startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { catalogs } from '../../src/i18n/catalogs.js';
import { englishPhrases, fixedPieces, textOf } from '../support/english-left.js';
import { germanShopDeclaration } from '../support/paths.js';

const source = readFileSync(germanShopDeclaration, 'utf8');

describe('the German example declaration (Elbblatt Teehandel)', () => {
  const result = lintSource(source);
  const declaration = result.declaration as Declaration;
  const model = new PolicyModel(declaration);
  const notices = new Map<string, string>();
  /** The notice's visible text in `language`, rendered once. */
  const notice = (language: string) => {
    if (!notices.has(language))
      notices.set(language, textOf(renderNotice(model, { format: 'html', language })));
    return notices.get(language)!;
  };
  const rule = (id: string) => declaration.retention.find((r) => r.id === id)!;

  test('it lints with no errors and no warnings, offers German first and English, and sells to consumers', () => {
    assert.deepEqual(
      result.issues.map((i) => `${i.severity} ${i.code}: ${i.message}`),
      [],
    );
    assert.deepEqual(declaration.languages, ['de', 'en']);
    assert.equal(declaration.audience, 'consumers');
    assert.equal(declaration.controller.establishment.country, 'DE');
  });

  test('C10.1 every category of every purpose has a rule; the German statutory periods (10, 8 and 6 years) count from the end of the calendar year and are stated in German', () => {
    for (const purpose of declaration.purposes)
      for (const category of purpose.categories)
        assert.ok(model.retentionFor(purpose, category), `${purpose.id} keeps ${category} under a rule`);
    // Books 10 years, vouchers 8 years (since 2025), commercial letters 6 years, each a statutory
    // minimum under § 257 HGB and § 147 AO, from the end of the calendar year the record arose in.
    const periods = { books: 'P10Y', vouchers: 'P8Y', letters: 'P6Y' };
    for (const [id, period] of Object.entries(periods)) {
      const r = rule(id);
      assert.equal(r.duration, period, id);
      assert.equal(r.statutoryMinimum, period, id);
      assert.equal(r.anchor, 'year', id);
      assert.match(r.statutory ?? '', /§ 257 Abs\. 4 HGB, § 147 Abs\. 3 AO/, id);
    }
    const sale = new Date('2026-03-15T10:00:00.000Z');
    assert.equal(expiresAt(rule('books'), sale).toISOString(), '2037-01-01T00:00:00.000Z');
    assert.equal(expiresAt(rule('vouchers'), sale).toISOString(), '2035-01-01T00:00:00.000Z');
    assert.equal(expiresAt(rule('letters'), sale).toISOString(), '2033-01-01T00:00:00.000Z');
    // A purpose on a legal obligation cannot keep its data shorter than its statute requires.
    const shortened = lintSource(source.replace('duration: P10Y', 'duration: P8Y'));
    assert.ok(shortened.issues.some((i) => i.code === 'coherence.retention_shorter_than_obligation'));

    for (const text of [
      '10 Jahre ab Ende des Kalenderjahres',
      'gesetzliche Pflicht: § 257 Abs. 4 HGB, § 147 Abs. 3 AO',
      'Handelsbücher und Aufzeichnungen sind zehn Jahre aufzubewahren',
      'Handelsbücher müssen nach § 257 HGB und § 147 AO zehn Jahre aufbewahrt werden.',
      '8 Jahre ab Ende des Kalenderjahres',
      'Buchungsbelege wie Rechnungen sind acht Jahre aufzubewahren',
      '6 Jahre ab Ende des Kalenderjahres',
      'Handelsbriefe sind sechs Jahre aufzubewahren',
      'verjähren drei Jahre nach dem Ende des Jahres',
    ])
      assert.ok(notice('de').includes(text), `the German notice says "${text}"`);
  });

  test('C4a.1 the German notice gives the customer letter’s basis per jurisdiction: in Germany the soft opt-in of § 7 Abs. 3 UWG, elsewhere consent; the newsletter only with confirmed consent', () => {
    const letter = declaration.communications.find((c) => c.id === 'customer_letter')!;
    assert.deepEqual(letter.permission, { default: 'opt_in', DE: 'opt_out' });
    assert.deepEqual(letter.softOptIn?.relationship, ['capture:orders']);
    assert.deepEqual(declaration.purposes.find((p) => p.id === 'customer_offers')?.legalBasis, {
      default: 'consent',
      DE: 'legitimate_interests',
    });
    for (const text of [
      'Deutschland: Berechtigtes Interesse (Art. 6 Abs. 1 lit. f DSGVO); Alle übrigen Länder: Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)',
      '§ 7 Abs. 3 UWG',
      'Deutschland: Sofern Sie nicht widersprochen haben',
      'Alle übrigen Länder: Nur mit Ihrer Einwilligung',
      'Bestellungen, Zahlung und Versand',
      'Tees und Teezubehör, die dem ähneln, was Sie bei uns gekauft haben.',
      'Nur mit Ihrer Einwilligung (Sie bestätigen zuerst Ihre Adresse)',
      'höchstens zweimal im Monat',
    ])
      assert.ok(notice('de').includes(text), `the German notice says "${text}"`);
    assert.match(notice('de'), /24 Monat/);
    // The condition of the soft opt-in, in the German catalog's words.
    const condition = fixedPieces(catalogs.de?.['notice.softOptIn'] ?? '').filter((p) => p.length >= 10);
    assert.ok(condition.length > 0, 'the German catalog words the soft opt-in');
    for (const piece of condition)
      assert.ok(notice('de').includes(piece), `the German notice says "${piece}"`);
  });

  test('C1.1 the German notice names the controller, its contacts and the Hamburg supervisory authority with its address', () => {
    for (const text of [
      'Elbblatt Teehandel GmbH',
      'HRB 00000, Amtsgericht Hamburg',
      'datenschutz@elbblatt-tee.example',
      'Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit (HmbBfDI), Deutschland',
      'https://datenschutz-hamburg.de',
      'mailbox@datenschutz.hamburg.de',
      'Ludwig-Erhard-Straße 22, 7. OG, 20459 Hamburg, Deutschland',
      'Beschwerde bei der Aufsichtsbehörde',
    ])
      assert.ok(notice('de').includes(text), `the German notice says "${text}"`);
  });

  test('the German notice has none of Steward’s English wording and none of the declaration’s English texts', () => {
    const phrases = englishPhrases('de', ['notice.', 'describe.', 'category.']);
    assert.ok(phrases.length > 0, 'there is English to look for');
    assert.deepEqual(
      phrases.filter((p) => notice('de').includes(p)),
      [],
    );
    // The declaration's own texts: each English version longer than a name stays out of the German notice.
    const own: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (v === null || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (typeof o['en'] === 'string' && typeof o['de'] === 'string' && o['en'] !== o['de'])
        own.push(o['en']);
      else Object.values(o).forEach(walk);
    };
    walk(declaration);
    assert.ok(own.length > 50);
    assert.deepEqual(
      own.filter((t) => t.split(' ').length >= 3 && notice('de').includes(t)),
      [],
    );
  });

  test('the English notice states the same periods, the soft opt-in and the authority in English', () => {
    for (const text of [
      'Books of account must be kept for ten years under § 257 HGB and § 147 AO.',
      'Accounting vouchers such as invoices must be kept for eight years',
      'Commercial letters received and sent must be kept for six years',
      'Germany: Unless you have objected',
      'Teas and tea accessories like what you bought from us.',
      'Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit (HmbBfDI), Germany',
      'You have an order that has not been delivered yet',
    ])
      assert.ok(notice('en').includes(text), `the English notice says "${text}"`);
    assert.ok(!notice('en').includes('Handelsbücher'), 'no German rationale in the English notice');
  });

  describe('the suppression check on the German example', () => {
    let app: TestApp;
    let mailer: Record<string, string>;
    let officer: Record<string, string>;
    const clock = { now: () => new Date('2026-06-01T10:00:00.000Z') };
    before(async () => {
      app = await startTestApp('sqlite', { declarations: [germanShopDeclaration], clock });
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const { key } = await createApiKey(app.ctx, hostActor(), {
        name: 'mailer',
        scopes: ['suppression:check'],
      });
      mailer = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    });
    after(() => app.close());

    const order = async (email: string, collectedAt: string, jurisdiction: string) => {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: officer,
        payload: {
          declarationId: 'elbblatt-tee',
          subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction },
          kind: 'order',
          purposes: ['orders'],
          categories: ['user.contact.email', 'user.name'],
          source: 'checkout',
          collectionPoint: 'checkout',
          collectedAt,
          data: { order: randomUUID() },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
    };
    const check = async (addresses: string[], jurisdiction: string): Promise<string[]> => {
      const res = await app.request({
        method: 'POST',
        url: `/api/v1/suppression/check?declarationId=elbblatt-tee&communication=customer_letter&jurisdiction=${jurisdiction}`,
        headers: mailer,
        payload: { addresses },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ results: Verdict[] }>().results.map((v) => v.reason);
    };

    test('C4a.1 in Germany a customer who ordered at checkout within 24 months gets the customer letter without consent; an older order or none needs consent, and so does a customer in Austria', async () => {
      const recent = `recent-${randomUUID().slice(0, 8)}@example.de`;
      const old = `old-${randomUUID().slice(0, 8)}@example.de`;
      const never = `never-${randomUUID().slice(0, 8)}@example.de`;
      const austrian = `wien-${randomUUID().slice(0, 8)}@example.at`;
      await order(recent, '2026-02-10T12:00:00.000Z', 'DE');
      await order(old, '2024-04-01T12:00:00.000Z', 'DE');
      await order(austrian, '2026-02-10T12:00:00.000Z', 'AT');
      assert.deepEqual(await check([recent, old, never], 'DE'), [
        'soft_opt_in',
        'relationship_expired',
        'no_relationship',
      ]);
      assert.deepEqual(await check([austrian], 'AT'), ['no_consent']);
    });
  });
});
