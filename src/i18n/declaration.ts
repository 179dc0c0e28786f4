/**
 * A declaration's wording: the shipped catalog of a language with the declaration's own overrides
 * (`messages: { sv: { 'notice.intro': '…' } }`) on top, cached per declaration object.
 */
import type { Declaration } from '../policy/schema.js';
import { messages, type Messages } from './messages.js';

const cache = new WeakMap<object, Map<string, Messages>>();

/**
 * The messages a declaration speaks in `lang`: its overrides for exactly that tag, over the catalog.
 *
 * @throws MessageError (`i18n.no_catalog`) when Steward ships no catalog for the language.
 */
export function messagesFor(declaration: Pick<Declaration, 'messages'>, lang: string): Messages {
  let byLang = cache.get(declaration);
  if (byLang === undefined) {
    byLang = new Map();
    cache.set(declaration, byLang);
  }
  let result = byLang.get(lang);
  if (result === undefined) {
    result = messages(lang, declaration.messages?.[lang]);
    byLang.set(lang, result);
  }
  return result;
}

/**
 * The declared language that serves a requested tag: the tag itself if declared, else a declared
 * language with the same base (`sv-FI` asked, `sv` declared); undefined when none does, and the
 * caller then refuses (an operator's explicit choice) or falls back visibly (a reader's request).
 */
export function offeredLanguage(
  declaration: Pick<Declaration, 'languages'>,
  requested: string,
): string | undefined {
  if (declaration.languages.includes(requested)) return requested;
  const base = (tag: string) => tag.split('-')[0]?.toLowerCase();
  return declaration.languages.find((l) => base(l) === base(requested));
}
