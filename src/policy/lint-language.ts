/**
 * The declaration's languages against Steward's catalogs: a declared language with no catalog, a
 * catalog that lacks messages or whose placeholders differ from English, and the declaration's own
 * message overrides (a key that does not exist, an undeclared language, placeholders that differ
 * from the English message, text that is not ICU MessageFormat). Each has its own code.
 */
import { catalogs } from '../i18n/catalogs.js';
import { compareWithEnglish, nearestKeys } from '../i18n/check.js';
import { catalogLanguage, messageKeys, shippedLanguages } from '../i18n/messages.js';
import type { LintCode } from './lint.js';
import type { Declaration } from './schema.js';

/** The first part of every message key (`notice`, `email`, …), as the English catalog has them. */
const keyPrefixes = [...new Set(messageKeys.map((k) => `${k.split('.')[0]}.`))];

type PathPart = string | number;
type Report = (code: LintCode, pathParts: PathPart[], message: string, hint: string) => void;

const some = (keys: readonly string[], n = 5): string =>
  keys.length <= n ? keys.join(', ') : `${keys.slice(0, n).join(', ')} and ${keys.length - n} more`;

export function checkLanguages(d: Declaration, error: Report): void {
  d.languages.forEach((tag, i) => {
    const lang = catalogLanguage(tag);
    if (lang === undefined) {
      error(
        'language.no_catalog',
        ['languages', i],
        `Steward has no catalog for "${tag}", so nothing it writes for this declaration could be in that language`,
        `Use one of the shipped languages (${shippedLanguages.join(', ')}), or add src/i18n/catalogs/${tag}.json with its glossary.`,
      );
      return;
    }
    const differences = compareWithEnglish(catalogs[lang] ?? {}, lang, true);
    // The declaration's own messages for the language fill what the catalog lacks.
    const given = d.messages?.[tag] ?? {};
    const missing = differences.missing.filter((key) => !Object.hasOwn(given, key));
    if (missing.length > 0)
      error(
        'language.message_missing',
        ['languages', i],
        `the ${lang} catalog lacks ${missing.length} message(s) that English has: ${some(missing)}`,
        `Add them to src/i18n/catalogs/${lang}.json, or give them in this declaration's messages.${tag}.`,
      );
    for (const m of differences.mismatched)
      error(
        'language.placeholder_mismatch',
        ['languages', i],
        `the ${lang} message ${m.key} has placeholders {${m.found.join('}, {')}} where English has {${m.expected.join('}, {')}}`,
        `Use exactly the English message's placeholders in src/i18n/catalogs/${lang}.json.`,
      );
  });

  for (const [tag, overrides] of Object.entries(d.messages ?? {})) {
    if (!d.languages.includes(tag)) {
      error(
        'language.override_undeclared',
        ['messages', tag],
        `messages are given for "${tag}", which is not one of the declaration's languages (${d.languages.join(', ')})`,
        `Add ${tag} to languages, or put the messages under ${d.languages.join(' or ')}.`,
      );
      continue;
    }
    const lang = catalogLanguage(tag) ?? tag;
    const differences = compareWithEnglish(overrides, lang, false);
    for (const key of differences.unknown) {
      const near = nearestKeys(key);
      error(
        'language.override_unknown_key',
        ['messages', tag, key],
        `there is no message "${key}" to override`,
        near.length === 0
          ? `Message keys start with ${keyPrefixes.join(', ')}; see src/i18n/catalogs/en.json.`
          : `Keys near it: ${near.join(', ')}.`,
      );
    }
    for (const m of differences.mismatched)
      error(
        'language.placeholder_mismatch',
        ['messages', tag, m.key],
        `this override of ${m.key} has placeholders ${m.found.length === 0 ? 'none' : `{${m.found.join('}, {')}}`} where the message has ${m.expected.length === 0 ? 'none' : `{${m.expected.join('}, {')}}`}`,
        `Use exactly these placeholders: ${m.expected.length === 0 ? 'none' : `{${m.expected.join('}, {')}}`}.`,
      );
    for (const m of differences.invalid)
      error(
        'language.message_invalid',
        ['messages', tag, m.key],
        `this override of ${m.key} is not valid ICU MessageFormat: ${m.problem}`,
        "Write placeholders as {name}, plurals as {count, plural, one {…} other {…}}, and a literal brace as '{'.",
      );
  }
}
