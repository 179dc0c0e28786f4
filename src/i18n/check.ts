/**
 * How a catalog, or a declaration's overrides, differ from the English catalog: keys it lacks,
 * keys English does not have, placeholders that differ and texts that are not valid ICU. Shared by
 * the catalog test (every shipped catalog must be clean) and the declaration's `language.*` lint.
 */
import { catalogs, type Catalog } from './catalogs.js';
import { isMessageKey, MessageError, messageKeys, placeholdersOf } from './messages.js';

export interface PlaceholderMismatch {
  readonly key: string;
  /** The English message's placeholders, sorted. */
  readonly expected: readonly string[];
  readonly found: readonly string[];
}

export interface CatalogDifferences {
  readonly missing: readonly string[];
  readonly unknown: readonly string[];
  readonly mismatched: readonly PlaceholderMismatch[];
  /** Texts that do not parse, with the parser's complaint. */
  readonly invalid: readonly { readonly key: string; readonly problem: string }[];
}

const englishPlaceholders = new Map<string, readonly string[]>();

/** The placeholders of the English message of `key` (the reference for every language). */
export function expectedPlaceholders(key: string): readonly string[] {
  let found = englishPlaceholders.get(key);
  if (found === undefined) {
    found = isMessageKey(key) ? placeholdersOf(catalogs.en[key], 'en') : [];
    englishPlaceholders.set(key, found);
  }
  return found;
}

/** One message against English: undefined when it fits, else what is wrong. */
export function checkMessage(
  key: string,
  text: string,
  lang: string,
): { mismatch: PlaceholderMismatch } | { invalid: string } | undefined {
  let found: string[];
  try {
    found = placeholdersOf(text, lang);
  } catch (error) {
    return { invalid: error instanceof MessageError ? error.message : String(error) };
  }
  const expected = expectedPlaceholders(key);
  const same = found.length === expected.length && found.every((p, i) => p === expected[i]);
  return same ? undefined : { mismatch: { key, expected, found } };
}

/**
 * Compares some messages with English. With `complete`, every English key must be there (a
 * catalog); without, only the keys given are checked (a declaration's overrides).
 */
export function compareWithEnglish(messages: Catalog, lang: string, complete: boolean): CatalogDifferences {
  const missing = complete ? messageKeys.filter((k) => !Object.hasOwn(messages, k)) : [];
  const unknown: string[] = [];
  const mismatched: PlaceholderMismatch[] = [];
  const invalid: { key: string; problem: string }[] = [];
  for (const [key, text] of Object.entries(messages)) {
    if (!isMessageKey(key)) {
      unknown.push(key);
      continue;
    }
    const problem = checkMessage(key, text, lang);
    if (problem === undefined) continue;
    if ('invalid' in problem) invalid.push({ key, problem: problem.invalid });
    else mismatched.push(problem.mismatch);
  }
  return { missing, unknown, mismatched, invalid };
}

/** Edit distance of two short strings (a misspelt key against the real ones). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/**
 * The keys of the English catalog under the longest dotted prefix `key` shares with one, the
 * closest spelling first.
 */
export function nearestKeys(key: string, limit = 10): string[] {
  const parts = key.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = `${parts.slice(0, n).join('.')}.`;
    const near = messageKeys.filter((k) => k.startsWith(prefix));
    if (near.length > 0) {
      return near
        .map((k) => ({ k, d: distance(k, key) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, limit)
        .map((x) => x.k);
    }
  }
  return [];
}
