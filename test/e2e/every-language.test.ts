/**
 * Every shipped language, end to end: a declaration offered in that language only (the reference
 * declaration, its own texts replaced by neutral tokens) lints clean, and its notice, record of
 * processing, banner, emails to requesters and subscribers, and public pages carry none of
 * Steward's English wording.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { shippedLanguages } from '../../src/i18n/messages.js';
import { lintSource } from '../../src/policy/lint.js';
import { PolicyModel } from '../../src/policy/model.js';
import { renderNotice } from '../../src/policy/render-notice.js';
import { renderRopa } from '../../src/policy/ropa.js';
import { localise } from '../../src/policy/text.js';
import {
  sendCodeEmail,
  sendCompletionEmail,
  sendConditionsEmail,
  sendExtensionEmail,
  sendRefusalEmail,
} from '../../src/rights/emails.js';
import { bannerConfig } from '../../src/web/banner-config.js';
import { Worker } from '../../src/jobs/queue.js';
import { captureRecord } from '../../src/capture/capture-record.js';
import { hostActor } from '../../src/cli/host-actor.js';
import { eraseSubject } from '../../src/rights/erase-subject.js';
import { submitRequest } from '../../src/rights/submit-request.js';
import { groundsFor } from '../../src/rights/withdraw-consent.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import { startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { englishPhrases, textOf } from '../support/english-left.js';
import { mailbox } from '../support/mail.js';
import { referenceDeclaration } from '../support/paths.js';

const others = shippedLanguages.filter((l) => l !== 'en');

/** The reference declaration in `lang` only: each of its own texts becomes a token (‹12›). */
function declarationIn(lang: string): string {
  const source = parse(readFileSync(referenceDeclaration, 'utf8')) as Record<string, unknown>;
  const offered = new Set(source['languages'] as string[]);
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    if (entries.length > 0 && entries.every(([k, x]) => offered.has(k) && typeof x === 'string'))
      return { [lang]: `‹${(n += 1)}›` };
    return Object.fromEntries(entries.map(([k, x]) => [k, walk(x)]));
  };
  const out = walk(source) as Record<string, unknown>;
  return stringify({ ...out, id: `every-${lang}`, languages: [lang] });
}

function assertNoEnglish(written: string, lang: string, prefixes: readonly string[], where: string) {
  const phrases = englishPhrases(lang, prefixes);
  assert.ok(phrases.length > 0, `${where}: there is English to look for`);
  const left = phrases.filter((p) => written.includes(p));
  assert.deepEqual(left, [], `${where} in ${lang} has English wording left`);
}

describe('every shipped language', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-languages-'));
  const files = new Map(
    others.map((lang) => {
      const file = join(dir, `${lang}.yaml`);
      writeFileSync(file, declarationIn(lang));
      return [lang, file] as const;
    }),
  );
  let app: TestApp;
  before(async () => {
    app = await startTestApp('sqlite', { declarations: [...files.values()] });
  });
  after(() => app.close());

  test('Steward ships the 24 official languages of the EU, Norwegian (Bokmål) and Icelandic', () => {
    assert.deepEqual([...shippedLanguages].sort(), [
      ...['bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'is', 'it'],
      ...['lt', 'lv', 'mt', 'nb', 'nl', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv'],
    ]);
  });

  for (const lang of others) {
    test(`a declaration in ${lang} lints clean, and its notice and record are in ${lang} only`, () => {
      const result = lintSource(readFileSync(files.get(lang)!, 'utf8'));
      assert.deepEqual(
        result.issues.filter((i) => i.severity === 'error').map((i) => `${i.code}: ${i.message}`),
        [],
      );
      const model = new PolicyModel(result.declaration!);
      const notice = renderNotice(model, { format: 'html', language: lang });
      assert.match(notice, new RegExp(`<html lang="${lang}"`));
      assertNoEnglish(textOf(notice), lang, ['notice.', 'describe.', 'category.'], 'the notice');
      assertNoEnglish(renderRopa(model, 'csv'), lang, ['ropa.', 'describe.'], 'the record of processing');
    });

    test(`the banner, the privacy centre and the preference page speak ${lang}`, async () => {
      const active = app.ctx.policies.get(`every-${lang}`)!;
      const banner = bannerConfig(active, 'https://steward.example');
      assert.deepEqual(banner.languages, [lang]);
      assertNoEnglish(JSON.stringify(banner.text[lang]), lang, ['banner.'], 'the banner');
      for (const url of [
        `/privacy/every-${lang}`,
        `/privacy-centre?lang=${lang}`,
        `/preferences?lang=${lang}&declaration=every-${lang}`,
      ]) {
        const page = await app.request({ method: 'GET', url });
        assert.equal(page.statusCode, 200, url);
        assert.match(page.body, new RegExp(`<html lang="${lang}"`), url);
        assertNoEnglish(
          textOf(page.body),
          lang,
          ['notice.', 'describe.', 'centre.', 'consentPage.', 'pages.'],
          url,
        );
      }
    });

    test(`C9.7 every email to a requester is written in ${lang}, the complaint route included`, async () => {
      const declaration = app.ctx.policies.get(`every-${lang}`)!.model.declaration;
      const to = `requester-${lang}@example.net`;
      const base = { to, declaration, lang, reference: `R-${lang}`, type: 'erasure' };
      await sendCodeEmail(app.ctx, {
        ...base,
        code: '123456',
        minutes: 15,
        statusUrl: 'https://steward.example/s',
        purpose: 'verify',
      });
      await sendExtensionEmail(app.ctx, { ...base, reasons: '‹r›', newDeadline: '2027-03-01T00:00:00Z' });
      await sendConditionsEmail(app.ctx, { ...base, lines: ['‹l›'], dueAt: '2027-02-01T00:00:00Z' });
      await sendCompletionEmail(app.ctx, {
        ...base,
        summary: ['‹s›'],
        resultUrl: 'https://steward.example/r',
        expiresAt: '2027-02-08T00:00:00Z',
      });
      await sendRefusalEmail(app.ctx, { ...base, reasons: '‹r›' });
      const mails = await mailbox(app.ctx, { to });
      assert.equal(mails.length, 5);
      const authority = localise(declaration.controller.supervisoryAuthority.name, lang);
      for (const mail of mails) {
        assertNoEnglish(`${mail.subject}\n${mail.text}`, lang, ['email.'], `the ${mail.kind} email`);
        if (mail.kind !== 'rights_code')
          assert.ok(mail.text.includes(authority), `${mail.kind} names ${authority}`);
      }
    });
  }

  test('what an erasure keeps, and why, is told in the requester’s language in every shipped language', async () => {
    for (const lang of others) {
      const address = `kept-${lang}@example.net`;
      const { subjectId } = await captureRecord(app.ctx, hostActor(), {
        declarationId: `every-${lang}`,
        subject: { identifiers: [{ kind: 'email', value: address }], jurisdiction: 'SE' },
        kind: 'invoice',
        purposes: ['bookkeeping'],
        categories: ['user.name', 'user.financial.purchase_history'],
        source: 'partner_account',
        data: { name: '‹n›', total: 12 },
      });
      // The use case the privacy centre calls (its HTTP route limits one address's rate).
      const request = await submitRequest(app.ctx, 'public', {
        declarationId: `every-${lang}`,
        type: 'erasure',
        channel: 'privacy_centre',
        language: lang,
        requester: { identifiers: [{ kind: 'email', value: address }] },
      });
      const erased = await eraseSubject(app.ctx, hostActor(), { subjectId, requestId: request.id });
      const said = erased.kept.map((k) => k.explanation).join('\n');
      assert.ok(said.length > 0, `${lang}: something is kept for bookkeeping`);
      assertNoEnglish(said, lang, ['kept.', 'describe.', 'completion.'], 'what an erasure keeps');
    }
  });

  test('why a purpose goes on after consent is withdrawn is told in every shipped language', () => {
    for (const lang of others) {
      const model = app.ctx.policies.get(`every-${lang}`)!.model;
      const said = model.declaration.purposes
        .flatMap((purpose) => model.basesOf(purpose).map((basis) => groundsFor(purpose, basis, lang)))
        .join('\n');
      assertNoEnglish(said, lang, ['grounds.', 'describe.'], 'the grounds of a purpose');
    }
  });

  test('a request made in a language the declaration offers is answered in it; another is answered in its first language, and that is kept', async () => {
    const submit = (declarationId: string, language: string, address: string) =>
      app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: { 'content-type': 'application/json' },
        payload: {
          declarationId,
          type: 'access',
          language,
          requester: { identifiers: [{ kind: 'email', value: address }] },
        },
      });
    for (const value of ['anna@example.net', 'bernard@example.net'])
      await captureRecord(app.ctx, hostActor(), {
        declarationId: 'every-de',
        subject: { identifiers: [{ kind: 'email', value }], jurisdiction: 'DE' },
        kind: 'enquiry',
        purposes: ['enquiries'],
        categories: ['user.content.communication'],
        source: 'website_forms',
        data: { text: '‹t›' },
      });
    const de = await submit('every-de', 'de', 'anna@example.net');
    assert.equal(de.statusCode, 201, de.body);
    const fr = await submit('every-de', 'fr', 'bernard@example.net');
    assert.equal(fr.statusCode, 201, fr.body);
    await new Worker(app.ctx, jobDefinitions).drain();
    const [toAnna] = await mailbox(app.ctx, { to: 'anna@example.net', kind: 'rights_code' });
    const [toBernard] = await mailbox(app.ctx, { to: 'bernard@example.net', kind: 'rights_code' });
    for (const mail of [toAnna, toBernard]) {
      assert.ok(mail !== undefined);
      assertNoEnglish(`${mail.subject}\n${mail.text}`, 'de', ['email.'], 'the code email');
      assert.match(mail.subject, /Antrag/);
    }
    const events = await app.ctx.store.db
      .selectFrom('request_events')
      .select(['kind', 'details'])
      .where('kind', '=', 'language_fallback')
      .execute();
    assert.equal(events.length, 1, 'only the request in French fell back');
    assert.deepEqual(JSON.parse(events[0]!.details), { asked: 'fr', answered: 'de', offered: ['de'] });
  });
});
