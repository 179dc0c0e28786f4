import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messagesFor } from './declaration.js';
import { catalogLanguage, messages, placeholdersOf } from './messages.js';

describe('messages', () => {
  test('a key is formatted with its placeholders, plurals by the locale', () => {
    assert.equal(messages('en').format('describe.unit.day', { count: 1 }), '1 day');
    assert.equal(messages('en').format('describe.unit.day', { count: 30 }), '30 days');
    assert.equal(messages('sv').format('describe.unit.month', { count: 2 }), '2 månader');
    assert.equal(
      messages('sv').format('notice.meta', { version: '2', date: '2026-01-01' }),
      'Version 2, gäller från 2026-01-01.',
    );
  });

  test('numbers in a plural are written the locale’s way', () => {
    assert.equal(messages('en').format('describe.unit.day', { count: 1200 }), '1,200 days');
    assert.equal(messages('sv').format('describe.unit.day', { count: 1200 }), '1\u00a0200 dagar');
  });

  test('a select on a yes/no fact takes a boolean', () => {
    const m = messages('en');
    assert.match(m.format('notice.children', { age: 13, knowingly: true }), /^Some of our processing/);
    assert.match(m.format('notice.children', { age: 13, knowingly: false }), /^Our services are not aimed/);
  });

  test('a regional tag is written in its base language; a language with no catalog is refused', () => {
    assert.equal(catalogLanguage('sv-FI'), 'sv');
    assert.equal(messages('sv-FI').lang, 'sv');
    assert.equal(catalogLanguage('da-DK'), 'da');
    assert.equal(catalogLanguage('ja'), undefined);
    assert.throws(() => messages('ja'), {
      name: 'MessageError',
      code: 'i18n.no_catalog',
      message:
        /"ja".*: en, bg, cs, da, de, el, es, et, fi, fr, ga, hr, hu, is, it, lt, lv, mt, nb, nl, pl, pt, ro, sk, sl, sv$/,
    });
  });

  test('an unknown key, a missing value and a value for no placeholder each throw, naming the key', () => {
    const m = messages('en');
    assert.throws(() => m.format('notice.nope' as never), {
      code: 'i18n.unknown_key',
      message: /notice\.nope/,
    });
    assert.throws(() => m.format('notice.meta', { version: '1' }), {
      code: 'i18n.missing_param',
      message: /notice\.meta \(en\) needs a value for \{date\}/,
    });
    assert.throws(() => m.format('notice.contents', { extra: 'x' }), {
      code: 'i18n.unknown_param',
      message: /no placeholder \{extra\}/,
    });
  });

  test('compiled messages are cached: the same instance serves every call', () => {
    assert.equal(messages('sv'), messages('sv'));
    const m = messages('en');
    const first = m.format('describe.unit.week', { count: 2 });
    assert.equal(m.format('describe.unit.week', { count: 2 }), first);
  });

  test('placeholders are found inside plural and select branches', () => {
    assert.deepEqual(
      placeholdersOf('{a} {n, plural, one {# {b}} other {{c}}} {s, select, x {{d}} other {}}'),
      ['a', 'b', 'c', 'd', 'n', 's'],
    );
    assert.throws(() => placeholdersOf('{unclosed'), { code: 'i18n.bad_message' });
  });

  test('a declaration’s override replaces the catalog’s text for its language only', () => {
    const declaration = { messages: { sv: { 'notice.contents': 'Innehållsförteckning' } } };
    assert.equal(messagesFor(declaration, 'sv').format('notice.contents'), 'Innehållsförteckning');
    assert.equal(messagesFor(declaration, 'en').format('notice.contents'), 'Contents');
    assert.equal(messages('sv').format('notice.contents'), 'Innehåll', 'the shipped catalog is untouched');
  });
});
