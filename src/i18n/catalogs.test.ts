import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { packageRoot } from '../config.js';
import { catalogs } from './catalogs.js';
import { compareWithEnglish } from './check.js';
import { messageKeys, messages, placeholdersOf, shippedLanguages } from './messages.js';

const dir = join(packageRoot, 'src/i18n');
const files = (sub: string, ext: string) =>
  readdirSync(join(dir, sub))
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length))
    .sort();

interface Glossary {
  readonly language: string;
  readonly terms: Record<string, { en: string; term: string; article: string; note?: string }>;
}
const glossary = (lang: string): Glossary =>
  parse(readFileSync(join(dir, 'glossary', `${lang}.yaml`), 'utf8')) as Glossary;

describe('message catalogs', () => {
  test('every catalog file is registered, and every registered language has its file and glossary', () => {
    assert.deepEqual(files('catalogs', '.json'), [...shippedLanguages].sort());
    assert.deepEqual(files('glossary', '.yaml'), [...shippedLanguages].sort());
  });

  for (const lang of shippedLanguages) {
    test(`the ${lang} catalog has every English key, no other, with the same placeholders, all valid ICU`, () => {
      const differences = compareWithEnglish(catalogs[lang] ?? {}, lang, true);
      assert.deepEqual(differences, { missing: [], unknown: [], mismatched: [], invalid: [] });
    });

    test(`every ${lang} message formats with its placeholders filled`, () => {
      const m = messages(lang);
      for (const key of messageKeys) {
        const params = Object.fromEntries(placeholdersOf(m.text(key)).map((p) => [p, 1]));
        assert.ok(m.format(key, params).length > 0, key);
      }
    });

    test(`the ${lang} glossary names the GDPR's term for each English term`, () => {
      const g = glossary(lang);
      const english = glossary('en');
      assert.equal(g.language, lang);
      assert.deepEqual(Object.keys(g.terms).sort(), Object.keys(english.terms).sort());
      for (const [id, entry] of Object.entries(g.terms)) {
        assert.equal(entry.en, english.terms[id]?.en, `${id} names the English term`);
        assert.ok(entry.term.length > 0 && entry.article.startsWith('Art. '), id);
      }
    });
  }

  test('the glossary covers the terms issue 13 names', () => {
    const ids = Object.keys(glossary('en').terms);
    for (const id of [
      'controller',
      'processor',
      'data_subject',
      'legitimate_interests',
      'supervisory_authority',
      'restriction_of_processing',
      'portability',
    ])
      assert.ok(ids.includes(id), id);
  });

  test('a catalog that lacks a key or changes a placeholder is caught', () => {
    const broken = { ...catalogs.sv } as Record<string, string>;
    delete broken['notice.contents'];
    broken['notice.meta'] = 'Version {versionen}, gäller från {date}.';
    broken['notice.extra'] = 'x';
    const differences = compareWithEnglish(broken, 'sv', true);
    assert.deepEqual(differences.missing, ['notice.contents']);
    assert.deepEqual(differences.unknown, ['notice.extra']);
    assert.deepEqual(differences.mismatched, [
      { key: 'notice.meta', expected: ['date', 'version'], found: ['date', 'versionen'] },
    ]);
  });
});
