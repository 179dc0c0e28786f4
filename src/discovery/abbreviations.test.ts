import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expandAbbreviation, isKnownWord } from './abbreviations.js';

describe('discovery abbreviations', () => {
  test('a contraction keeps the first letter and consonants in order, ending as the word does', () => {
    assert.equal(expandAbbreviation('lgn'), 'login');
    assert.equal(expandAbbreviation('emplr'), 'employer');
    assert.equal(expandAbbreviation('mngr'), 'manager');
    // `hdr` keeps too few of `headshot`'s consonants and does not end as it does.
    assert.notEqual(expandAbbreviation('hsh'), 'headshot');
  });

  test('a cut-off word of four letters or more is the shortest known word it begins', () => {
    assert.equal(expandAbbreviation('cogn'), 'cognome');
    assert.equal(expandAbbreviation('spec'), 'specialty');
  });

  test('known words, short words, digits and vowel-bearing words that begin nothing are left', () => {
    assert.ok(isKnownWord('email'));
    assert.equal(expandAbbreviation('email'), undefined);
    assert.equal(expandAbbreviation('nm'), undefined, 'two letters are too few');
    assert.equal(expandAbbreviation('ab1'), undefined);
    assert.equal(expandAbbreviation('sesso'), undefined, 'a word with vowels is no contraction');
    assert.equal(expandAbbreviation('qqqq'), undefined);
  });

  test('the expansion is deterministic and cached', () => {
    const first = expandAbbreviation('pstl');
    assert.equal(first, 'postal');
    assert.equal(expandAbbreviation('pstl'), first);
  });
});
