/**
 * Steward's wording, by key, in ICU MessageFormat (plurals, selects, numbers and dates by locale)
 * through `intl-messageformat`. One catalog per language in `catalogs/<lang>.json`, flat dotted
 * keys (`notice.headings.children`); English is the reference every other catalog must match, key
 * for key and placeholder for placeholder (`catalogs.test.ts`, and the `language.*` lint codes for
 * a declaration's own overrides).
 *
 * Nothing falls back silently: a language without a catalog, an unknown key and a missing
 * placeholder value each throw a `MessageError` with its own code. A caller that may fall back (a
 * person asking in a language the declaration does not offer) decides so itself with
 * `catalogLanguage`, logs it and says so on the page.
 *
 * @example messages('sv').format('describe.unit.day', { count: 30 }) // "30 dagar"
 */
import IntlMessageFormat from 'intl-messageformat';
import { catalogs, type Catalog, type MessageKey } from './catalogs.js';

export type { MessageKey } from './catalogs.js';

/** A value for a placeholder: text, a number (plural, `{n, number}`), a date or a select's choice. */
export type MessageValue = string | number | boolean | Date;
export type MessageParams = Readonly<Record<string, MessageValue>>;

export type MessageErrorCode =
  'i18n.no_catalog' | 'i18n.unknown_key' | 'i18n.missing_param' | 'i18n.unknown_param' | 'i18n.bad_message';

/** A wording problem in code or data (never a person's input): it names the language and the key. */
export class MessageError extends Error {
  constructor(
    readonly code: MessageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MessageError';
  }
}

/** The languages Steward ships a catalog for, English first. */
export const shippedLanguages: readonly string[] = Object.keys(catalogs).sort((a, b) =>
  a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b),
);

/**
 * The catalog that serves a language tag: the tag itself, else its base language (`sv-FI` is
 * written in `sv`); undefined when Steward ships no catalog for it.
 */
export function catalogLanguage(tag: string): string | undefined {
  if (Object.hasOwn(catalogs, tag)) return tag;
  const base = tag.split('-')[0]?.toLowerCase() ?? '';
  return Object.hasOwn(catalogs, base) ? base : undefined;
}

/** Whether `key` is one of the English catalog's keys (the set every catalog must have). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogs.en, key);
}

/** Every message key, in the English catalog's order. */
export const messageKeys: readonly MessageKey[] = Object.keys(catalogs.en) as MessageKey[];

// The AST node types of @formatjs/icu-messageformat-parser (its TYPE enum).
const ARGUMENT = 1;
const NUMBER = 2;
const DATE = 3;
const TIME = 4;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

interface AstNode {
  readonly type: number;
  readonly value?: string;
  readonly options?: Readonly<Record<string, { readonly value: readonly AstNode[] }>>;
  readonly children?: readonly AstNode[];
}

function collectPlaceholders(nodes: readonly AstNode[], into: Set<string>): Set<string> {
  for (const node of nodes) {
    if ([ARGUMENT, NUMBER, DATE, TIME, SELECT, PLURAL].includes(node.type) && node.value !== undefined) {
      into.add(node.value);
    }
    for (const option of Object.values(node.options ?? {})) collectPlaceholders(option.value, into);
    if (node.type === TAG && node.children !== undefined) collectPlaceholders(node.children, into);
  }
  return into;
}

function compile(text: string, locale: string, where: string): IntlMessageFormat {
  try {
    // Tags are not markup here: a notice sentence may contain "<" and the writers escape output.
    return new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
  } catch (error) {
    throw new MessageError(
      'i18n.bad_message',
      `${where} is not valid ICU MessageFormat: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * The placeholders of an ICU message, sorted: `{name}`, `{n, plural, …}` and those nested inside
 * plural and select branches.
 *
 * @throws MessageError (`i18n.bad_message`) when the text is not valid ICU MessageFormat.
 */
export function placeholdersOf(text: string, locale = 'en'): string[] {
  const ast = compile(text, locale, 'the message').getAst() as unknown as AstNode[];
  return [...collectPlaceholders(ast, new Set())].sort();
}

/** Compiled messages, one per (language, text): compiling is the slow part, formatting is cheap. */
const compiled = new Map<string, { format: IntlMessageFormat; placeholders: ReadonlySet<string> }>();

function compiledFor(
  lang: string,
  key: string,
  text: string,
): { format: IntlMessageFormat; placeholders: ReadonlySet<string> } {
  const cacheKey = `${lang}\u0000${text}`;
  let entry = compiled.get(cacheKey);
  if (entry === undefined) {
    const format = compile(text, lang, `message ${key} (${lang})`);
    const placeholders = collectPlaceholders(format.getAst() as unknown as AstNode[], new Set());
    entry = { format, placeholders };
    compiled.set(cacheKey, entry);
  }
  return entry;
}

/** The messages of one language, with a declaration's overrides on top. */
export class Messages {
  constructor(
    /** The catalog's language (`sv`), also the locale of plurals, numbers and dates. */
    readonly lang: string,
    private readonly catalog: Catalog,
    private readonly overrides: Readonly<Record<string, string>> = {},
  ) {}

  /** The raw ICU text of a key: the override if the declaration gives one, else the catalog's. */
  text(key: MessageKey): string {
    const override = Object.hasOwn(this.overrides, key) ? this.overrides[key] : undefined;
    if (override !== undefined) return override;
    const text: unknown = Object.hasOwn(this.catalog, key) ? this.catalog[key] : undefined;
    if (typeof text !== 'string') {
      throw new MessageError(
        'i18n.unknown_key',
        isMessageKey(key)
          ? `the ${this.lang} catalog has no message ${key}; add it to src/i18n/catalogs/${this.lang}.json`
          : `there is no message ${String(key)} in the catalogs`,
      );
    }
    return text;
  }

  /**
   * The message of `key` with its placeholders filled in.
   *
   * @throws MessageError on an unknown key, a placeholder without a value, or a value for a
   *   placeholder the message does not have (a sign that the caller and the catalog disagree).
   */
  format(key: MessageKey, params: MessageParams = {}): string {
    const { format, placeholders } = compiledFor(this.lang, key, this.text(key));
    for (const name of placeholders) {
      if (!Object.hasOwn(params, name)) {
        throw new MessageError(
          'i18n.missing_param',
          `message ${key} (${this.lang}) needs a value for {${name}}`,
        );
      }
    }
    const values: Record<string, string | number | Date> = {};
    for (const [name, value] of Object.entries(params)) {
      if (!placeholders.has(name)) {
        throw new MessageError(
          'i18n.unknown_param',
          `message ${key} (${this.lang}) has no placeholder {${name}}`,
        );
      }
      // A select on a yes/no fact reads `{flag, select, true {…} other {…}}`.
      values[name] = typeof value === 'boolean' ? String(value) : value;
    }
    const result = format.format(values);
    return typeof result === 'string' ? result : String(result);
  }

  /** The same messages with other overrides (a declaration's, for this language). */
  withOverrides(overrides: Readonly<Record<string, string>>): Messages {
    return Object.keys(overrides).length === 0 ? this : new Messages(this.lang, this.catalog, overrides);
  }
}

const plain = new Map<string, Messages>();

/**
 * The messages for a language tag (`sv`, `sv-FI`), optionally with a declaration's overrides.
 *
 * @throws MessageError (`i18n.no_catalog`) when Steward ships no catalog for the language.
 */
export function messages(tag: string, overrides?: Readonly<Record<string, string>>): Messages {
  const lang = catalogLanguage(tag);
  if (lang === undefined) {
    throw new MessageError(
      'i18n.no_catalog',
      `Steward has no wording in "${tag}"; shipped languages: ${shippedLanguages.join(', ')}`,
    );
  }
  let base = plain.get(lang);
  if (base === undefined) {
    base = new Messages(lang, catalogs[lang] as Catalog);
    plain.set(lang, base);
  }
  return overrides === undefined ? base : base.withOverrides(overrides);
}
