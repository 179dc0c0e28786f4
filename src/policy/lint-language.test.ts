import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { minimalDeclaration } from '../../test/fixtures/minimal-declaration.js';
import { catalogs } from '../i18n/catalogs.js';
import { lintSource, type LintIssue } from './lint.js';
import type { DeclarationInput } from './schema.js';

/** The `language.*` errors of the minimal declaration after `change`. */
function languageErrors(change: (d: DeclarationInput & Record<string, unknown>) => void): LintIssue[] {
  const d = minimalDeclaration() as DeclarationInput & Record<string, unknown>;
  change(d);
  return lintSource(stringify(d)).issues.filter(
    (i) => i.severity === 'error' && i.code.startsWith('language.') && i.code !== 'language.text_missing',
  );
}

describe('lint: languages and message overrides', () => {
  test('a message a catalog lacks is an error, unless the declaration gives it for that language', () => {
    const catalog = catalogs['sv'] as Record<string, string>;
    const kept = catalog['notice.quoted']!;
    delete catalog['notice.quoted'];
    try {
      const missing = languageErrors((d) => (d.languages = ['en', 'sv']));
      assert.deepEqual(
        missing.map((i) => [i.code, i.path]),
        [['language.message_missing', 'languages[1]']],
      );
      assert.match(missing[0]?.message ?? '', /lacks 1 message\(s\) that English has: notice\.quoted/);
      const given = languageErrors((d) => {
        d.languages = ['en', 'sv'];
        d['messages'] = { sv: { 'notice.quoted': '»{text}»' } };
      });
      assert.deepEqual(given, []);
    } finally {
      catalog['notice.quoted'] = kept;
    }
  });

  test('a declared language with no shipped catalog is an error at the language', () => {
    const issues = languageErrors((d) => (d.languages = ['en', 'ja']));
    assert.deepEqual(
      issues.map((i) => [i.code, i.path]),
      [['language.no_catalog', 'languages[1]']],
    );
    assert.match(issues[0]?.hint ?? '', /en, bg, .*, sv/);
    assert.match(issues[0]?.hint ?? '', /src\/i18n\/catalogs\/ja\.json/);
  });

  test('a regional tag of a shipped language lints clean', () => {
    assert.deepEqual(
      languageErrors((d) => (d.languages = ['sv-FI'])),
      [],
    );
  });

  test('overrides that fit pass; a key that does not exist names the keys near it', () => {
    assert.deepEqual(
      languageErrors((d) => (d.messages = { en: { 'notice.contents': 'On this page' } })),
      [],
    );
    const issues = languageErrors((d) => (d.messages = { en: { 'notice.headings.childern': 'Kids' } }));
    assert.deepEqual(
      issues.map((i) => [i.code, i.path]),
      [['language.override_unknown_key', 'messages.en.notice.headings.childern']],
    );
    assert.match(issues[0]?.hint ?? '', /notice\.headings\.children/);
  });

  test('an override whose placeholders differ from English is an error naming the expected ones', () => {
    const issues = languageErrors(
      (d) => (d.messages = { en: { 'notice.meta': 'Version {version}, from {when}.' } }),
    );
    assert.deepEqual(
      issues.map((i) => i.code),
      ['language.placeholder_mismatch'],
    );
    assert.match(issues[0]?.hint ?? '', /\{date\}, \{version\}/);
    assert.deepEqual(
      languageErrors((d) => (d.messages = { en: { 'notice.contents': 'Contents of {name}' } })).map(
        (i) => i.code,
      ),
      ['language.placeholder_mismatch'],
    );
  });

  test('an override that is not ICU, or for a language not declared, has its own code', () => {
    assert.deepEqual(
      languageErrors((d) => (d.messages = { en: { 'notice.meta': 'Version {version, from {date}' } })).map(
        (i) => i.code,
      ),
      ['language.message_invalid'],
    );
    assert.deepEqual(
      languageErrors((d) => (d.messages = { sv: { 'notice.contents': 'Innehåll' } })).map((i) => [
        i.code,
        i.path,
      ]),
      [['language.override_undeclared', 'messages.sv']],
    );
  });
});
