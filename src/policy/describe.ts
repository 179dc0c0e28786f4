/**
 * Declaration values in words, for the notice, the record of processing and access answers:
 * durations, retention triggers, legal bases, transfer mechanisms, jurisdictions, each worded by
 * the message catalogs (`src/i18n`, keys `describe.*` and `category.*`); a language without a
 * catalog throws rather than falling back. Also the per-purpose derivations (which
 * recipients, which transfers, which retention rule for which category) that several renderings
 * share, so they cannot drift apart.
 */
import { eeaCountries, needsTransferMechanism } from './geography.js';
import type { PolicyModel } from './model.js';
import { eventOfRule, isBuiltInEvent } from './lifecycle.js';
import type { Declaration, DeclaredSystem, LegalBasis, Purpose, Recipient, RetentionRule } from './schema.js';
import { legalBasisTerms } from './taxonomy.js';
import { localise } from './text.js';
import { isMessageKey, messages } from '../i18n/messages.js';

type Unit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

const durationPattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Joins words as a reader would: `a`, `a and b`, `a, b and c`. */
export function joinWords(items: readonly string[], language: string): string {
  if (items.length <= 1) return items[0] ?? '';
  const last = items[items.length - 1] ?? '';
  return messages(language).format('describe.list.and', { head: items.slice(0, -1).join(', '), last });
}

/**
 * An ISO 8601 duration in words.
 *
 * @example describeDuration('P1Y6M', 'en') // "1 year and 6 months"
 * @example describeDuration('P30D', 'sv') // "30 dagar"
 * @throws RangeError when `iso` is not a duration such as P30D, P6M or P2Y.
 */
export function describeDuration(iso: string, language: string): string {
  const match = durationPattern.exec(iso);
  if (match === null || iso === 'P' || iso.endsWith('T')) {
    throw new RangeError(`"${iso}" is not an ISO 8601 duration such as P30D, P6M or P2Y`);
  }
  const units: Unit[] = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  const m = messages(language);
  const parts = units.flatMap((unit, i) => {
    const value = match[i + 1];
    if (value === undefined || Number(value) === 0) return [];
    return [m.format(`describe.unit.${unit}`, { count: Number(value) })];
  });
  return parts.length === 0 ? m.format('describe.unit.day', { count: 0 }) : joinWords(parts, language);
}

export type RetentionTrigger = RetentionRule['trigger'];
/** The triggers Steward has its own words for; an `event` trigger is worded by its event's name. */
export type NamedTrigger = Exclude<RetentionTrigger, 'event'>;

/**
 * The moment a retention period counts from, as a phrase that follows a duration.
 *
 * @example `${describeDuration('P2Y', 'en')} ${describeTrigger('last_interaction', 'en')}`
 *   // "2 years after the last interaction"
 */
export function describeTrigger(trigger: NamedTrigger, language: string): string {
  return messages(language).format(`describe.trigger.${trigger}`);
}

/** What the wording of a clock needs from its declaration: event names and the financial year. */
export type ClockWords = Pick<Declaration, 'lifecycleEvents' | 'financialYear'>;

/** The name of the lifecycle event a rule counts from, when the declaration gives it one. */
function eventName(rule: RetentionRule, language: string, words: ClockWords): string | undefined {
  const id = eventOfRule(rule);
  if (id === undefined) return undefined;
  const declared = words.lifecycleEvents.find((e) => e.id === id);
  if (declared !== undefined) return localise(declared.name, language);
  // A built-in event has its trigger's words; an undeclared one (a lint error) its id in words.
  return isBuiltInEvent(id) ? undefined : id.replace(/[_-]+/g, ' ');
}

function triggerNoun(rule: RetentionRule, language: string, words: ClockWords): string {
  const name = eventName(rule, language, words);
  if (name !== undefined) return name;
  const m = messages(language);
  return rule.trigger === 'event'
    ? m.format('describe.event.unnamed')
    : m.format(`describe.triggerNoun.${rule.trigger}`);
}

function monthName(month: number, language: string): string {
  return new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, month - 1, 1)),
  );
}

/** " (July to June)" for a financial year that is not the calendar year; nothing otherwise. */
function financialYearSpan(words: ClockWords, language: string): string {
  const start = words.financialYear.startMonth;
  if (start === 1) return '';
  const first = monthName(start, language);
  const last = monthName(start - 1, language);
  return ` ${messages(language).format('describe.financialYear.span', { first, last })}`;
}

/** "the end of the financial year of collection", "utgången av det kalenderår då leverans skedde". */
function anchorPhrase(
  anchor: NonNullable<RetentionRule['anchor']>,
  noun: string,
  language: string,
  words: ClockWords,
): string {
  const span = financialYearSpan(words, language);
  const m = messages(language);
  return anchor === 'financial_year' || anchor === 'calendar_year_of_financial_year_end'
    ? m.format(`describe.anchor.${anchor}`, { event: noun, span })
    : m.format(`describe.anchor.${anchor}`, { event: noun });
}

/** P0D, PT0S: a period of nothing, worded "until …" rather than "0 days after …". */
const isZeroDuration = (iso: string): boolean => !/[1-9]/.test(iso);

/**
 * How long a rule keeps data, from what it counts: "3 years after delivery", "7 years from the end
 * of the financial year of collection", "until the end of the contract" (for a zero period).
 */
export function describeClock(rule: RetentionRule, language: string, words: ClockWords): string {
  const m = messages(language);
  const zero = isZeroDuration(rule.duration);
  const noun = triggerNoun(rule, language, words);
  if (rule.anchor !== undefined) {
    const boundary = anchorPhrase(rule.anchor, noun, language, words);
    if (zero) return m.format('describe.clock.until', { boundary });
    return m.format('describe.clock.from', { duration: describeDuration(rule.duration, language), boundary });
  }
  if (zero) return m.format('describe.clock.until', { boundary: noun });
  const duration = describeDuration(rule.duration, language);
  const name = eventName(rule, language, words);
  return name !== undefined || rule.trigger === 'event'
    ? m.format('describe.clock.after', { duration, event: noun })
    : m.format('describe.clock.trigger', { duration, trigger: describeTrigger(rule.trigger, language) });
}

/**
 * The period of a retention rule with what happens at its end: "2 years after the last
 * interaction, then deleted". `words` (the rule's declaration) names its events.
 */
export function describeRetentionPeriod(rule: RetentionRule, language: string, words: ClockWords): string {
  const m = messages(language);
  return m.format('describe.retention.period', {
    clock: describeClock(rule, language, words),
    action: m.format(`describe.action.${rule.action}`),
  });
}

/** The law that requires a retention period, as a phrase: "legal requirement: Bookkeeping Act". */
export function describeStatutory(rule: RetentionRule, language: string): string | undefined {
  if (rule.statutory === undefined) return undefined;
  return messages(language).format('describe.retention.statutory', { law: rule.statutory });
}

/** A retention rule in one sentence: period, end action and, if any, the law that requires it. */
export function describeRetention(rule: RetentionRule, language: string, words: ClockWords): string {
  const period = describeRetentionPeriod(rule, language, words);
  const statutory = describeStatutory(rule, language);
  return statutory === undefined
    ? period
    : messages(language).format('describe.retention.withStatutory', { period, statutory });
}

/** The GDPR article of a legal basis in the style of the language: `Art. 6(1)(a)`, `artikel 6.1 a`. */
export function basisArticle(basis: LegalBasis, language: string): string {
  return messages(language).format(`describe.article.${basis}`);
}

/** The name of a legal basis: "Consent", "Berättigat intresse". */
export function basisName(basis: LegalBasis, language: string): string {
  return messages(language).format(`describe.basis.${basis}`);
}

/** A legal basis with its GDPR article: "Consent (Art. 6(1)(a) GDPR)". */
export function describeBasis(basis: LegalBasis, language: string): string {
  return messages(language).format('describe.basis.withArticle', {
    name: basisName(basis, language),
    article: basisArticle(basis, language),
  });
}

/** The name of a country in the language ("United States", "USA"), or the code if unknown. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * A jurisdiction key of a per-jurisdiction value in words: a country name, `EEA`, or "everywhere
 * else" for `default`.
 */
export function describeJurisdiction(key: string, language: string): string {
  const m = messages(language);
  if (key === 'default') return m.format('describe.jurisdiction.default');
  if (key === 'EEA') return m.format('describe.jurisdiction.EEA');
  if (/^[A-Z]{2}-/.test(key)) {
    return m.format('describe.jurisdiction.region', {
      country: countryName(key.slice(0, 2), language),
      code: key,
    });
  }
  return countryName(key, language);
}

export type TransferMechanism = NonNullable<Recipient['transfer']>['mechanism'];

/** A transfer mechanism with its GDPR article: "Standard contractual clauses (Art. 46(2)(c) GDPR)". */
export function describeMechanism(mechanism: TransferMechanism, language: string): string {
  return messages(language).format(`describe.mechanism.${mechanism}`);
}

/** One legal basis of a purpose in one jurisdiction (`default` for everywhere not listed). */
export interface BasisEntry {
  readonly jurisdiction: string;
  readonly basis: LegalBasis;
}

/** The legal bases of a purpose, one entry per jurisdiction, `default` last. */
export function basisEntries(purpose: Purpose): BasisEntry[] {
  const basis = purpose.legalBasis;
  if (basis === undefined) return [];
  if (typeof basis === 'string') return [{ jurisdiction: 'default', basis }];
  return Object.entries(basis)
    .sort(([a], [b]) => Number(a === 'default') - Number(b === 'default'))
    .map(([jurisdiction, value]) => ({ jurisdiction, basis: value }));
}

/** The legal bases of a purpose in words, with jurisdictions where they differ. */
export function describeBases(purpose: Purpose, language: string): string {
  const entries = basisEntries(purpose);
  const m = messages(language);
  if (entries.length === 0) return m.format('describe.bases.none');
  if (entries.length === 1 && entries[0]?.jurisdiction === 'default') {
    return describeBasis(entries[0].basis, language);
  }
  return entries
    .map((e) =>
      m.format('describe.bases.entry', {
        jurisdiction: describeJurisdiction(e.jurisdiction, language),
        basis: describeBasis(e.basis, language),
      }),
    )
    .join('; ');
}

/** Every legal basis used by any purpose of the declaration, in the order of Art. 6(1). */
export function basesInUse(model: PolicyModel): LegalBasis[] {
  const used = new Set(model.declaration.purposes.flatMap((p) => model.basesOf(p)));
  return (Object.keys(legalBasisTerms) as LegalBasis[]).filter((b) => used.has(b));
}

/** The recipients of a purpose: those it names, and those that name it. */
export function recipientsOf(model: PolicyModel, purpose: Purpose): Recipient[] {
  const named = new Set(purpose.recipients ?? []);
  return model.declaration.recipients.filter(
    (r) => named.has(r.id) || (r.purposes ?? []).includes(purpose.id),
  );
}

/** The purposes a recipient serves: those it names, and those that name it. */
export function purposesOfRecipient(model: PolicyModel, recipient: Recipient): Purpose[] {
  return model.declaration.purposes.filter(
    (p) => (p.recipients ?? []).includes(recipient.id) || (recipient.purposes ?? []).includes(p.id),
  );
}

/** One country outside the EEA that a recipient receives data in. */
export interface Transfer {
  readonly recipient: Recipient;
  readonly country: string;
  /** How the transfer is made lawful; undefined when the declaration names nothing (a lint error). */
  readonly mechanism: TransferMechanism | undefined;
  readonly reference: string | undefined;
  readonly safeguardsUrl: string | undefined;
}

/** The transfers outside the EEA made to the given recipients, one per recipient and country. */
export function transfersTo(recipients: readonly Recipient[]): Transfer[] {
  return recipients.flatMap((recipient) =>
    recipient.countries
      .filter((country) => !eeaCountries.has(country))
      .map((country): Transfer => {
        if (!needsTransferMechanism(country)) {
          return {
            recipient,
            country,
            mechanism: 'adequacy',
            reference: undefined,
            safeguardsUrl: undefined,
          };
        }
        return {
          recipient,
          country,
          mechanism: recipient.transfer?.mechanism,
          reference: recipient.transfer?.reference,
          safeguardsUrl: recipient.transfer?.safeguardsUrl,
        };
      }),
  );
}

/**
 * The connected systems that hold data for a purpose, as the controller: a processor-role system
 * holds its Providers' data, which no purpose of this declaration uses.
 */
export function systemsOf(model: PolicyModel, purpose: Purpose): DeclaredSystem[] {
  return model.declaration.systems.filter((s) => s.role === 'controller' && s.purposes.includes(purpose.id));
}

/** The controller-role systems of a declaration: the ones its notice and record describe. */
export function controllerSystems(model: PolicyModel): DeclaredSystem[] {
  return model.declaration.systems.filter((s) => s.role === 'controller');
}

/**
 * Who runs a system, in words: "Nordkust Kaffe AB" for `self`, else the operator recipient's
 * name, with the server provider when another company provides the servers.
 *
 * @example describeOperator(model, shop, 'en') // "Hosting provider"
 */
export function describeOperator(model: PolicyModel, system: DeclaredSystem, language: string): string {
  const d = model.declaration;
  const operator =
    system.operator === 'self'
      ? d.controller.name
      : localise(d.recipients.find((r) => r.id === system.operator)?.name ?? system.operator, language);
  const provider = system.hosting.provider;
  if (provider === undefined) return operator;
  return messages(language).format('describe.operator.hosted', { operator, provider });
}

/** The retention rule for one category of a purpose. */
export interface RetentionEntry {
  readonly category: string;
  readonly rule: RetentionRule | undefined;
}

/**
 * The retention of each category of a purpose: its categories, then any more specific key its
 * retention lists, each with the rule `PolicyModel.retentionFor` picks.
 */
export function retentionEntries(model: PolicyModel, purpose: Purpose): RetentionEntry[] {
  const keys = [...new Set([...purpose.categories, ...Object.keys(purpose.retention?.categories ?? {})])];
  return keys.map((category) => ({ category, rule: model.retentionFor(purpose, category) }));
}

/**
 * The name of a data category: the declaration's own name if it declares the key, else the
 * default taxonomy's from the catalog (`category.<key>`), else the key itself.
 */
export function categoryName(model: PolicyModel, key: string, language: string): string {
  const declared = model.declaration.dataCategories.find((c) => c.key === key);
  if (declared !== undefined) return localise(declared.name, language);
  const catalogKey = `category.${key}`;
  if (isMessageKey(catalogKey)) return messages(language).format(catalogKey);
  const info = model.categories.get(key);
  return info === undefined ? key : localise(info.name, language);
}

/** The language to write in: the one asked for, else the declaration's first. */
export function languageOf(model: PolicyModel, language?: string): string {
  return language ?? model.declaration.languages[0] ?? 'en';
}
