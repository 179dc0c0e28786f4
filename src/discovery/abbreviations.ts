/**
 * Abbreviations no rule lists, written out from a vocabulary of the words schemas use
 * (`vocabulary.ts`, the words of the tuned corpus's names): a short unknown word stands for the
 * shortest known word that it either begins (`cogn` → `cognome`, `occup` → `occupation`) or
 * contracts: a word's first letter, then consonants only, in the word's order, ending with the
 * word's last letter, keeping two thirds of the word's consonants (`lgn` → `login`, `gndr` →
 * `gender`, `emplr` → `employer`). Deterministic and cached; used only where the words
 * as written match no rule.
 */
import { vocabulary } from './vocabulary.js';

/** Vocabulary word → how often it occurs. */
const known: ReadonlyMap<string, number> = new Map(
  vocabulary
    .split(/\s+/)
    .filter((item) => item.length > 0)
    .map((item) => {
      const [word, count] = item.split(':');
      return [word!, Number(count)];
    }),
);

/** Known words by first letter, shortest first, then most frequent. */
const byInitial = new Map<string, string[]>();
for (const word of known.keys()) {
  const list = byInitial.get(word[0]!) ?? [];
  list.push(word);
  byInitial.set(word[0]!, list);
}
for (const list of byInitial.values())
  list.sort((a, b) => a.length - b.length || known.get(b)! - known.get(a)! || (a < b ? -1 : 1));

/** Vowels; a `y` counts as a consonant (`cntry`, `mthly`). */
const vowel = /[aeiou]/;

/** The first letter and the consonants after it: what a contraction keeps at most. */
function skeletonLength(word: string): number {
  return 1 + word.slice(1).replace(/[aeiou]/g, '').length;
}

/** Whether the letters of `short` appear in `long` in order. */
function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

/** Whether `word` is known to the vocabulary. */
export function isKnownWord(word: string): boolean {
  return known.has(word);
}

/** The word `token` abbreviates, or undefined when it is known, too short, or abbreviates nothing known. */
export function expandAbbreviation(token: string): string | undefined {
  if (cache.has(token)) return cache.get(token);
  const found = expand(token);
  if (cache.size >= 10_000) cache.clear();
  cache.set(token, found);
  return found;
}
const cache = new Map<string, string | undefined>();

function expand(token: string): string | undefined {
  if (!/^[a-z]{3,6}$/.test(token) || known.has(token)) return undefined;
  const contraction = !vowel.test(token.slice(1));
  for (const word of byInitial.get(token[0]!) ?? []) {
    if (word.length < token.length + 2) continue;
    // A cut-off word (`cogn`, `occup`) needs four letters; a contraction (`pwd`) three.
    if (token.length >= 4 && word.startsWith(token)) return word;
    if (
      contraction &&
      word.endsWith(token[token.length - 1]!) &&
      token.length >= 0.65 * skeletonLength(word) &&
      isSubsequence(token, word)
    )
      return word;
  }
  return undefined;
}
