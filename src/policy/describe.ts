/**
 * Declaration values in words, for the notice, the record of processing and access answers:
 * durations, retention triggers, legal bases, transfer mechanisms, jurisdictions. English and
 * Swedish; any other language falls back to English. Also the per-purpose derivations (which
 * recipients, which transfers, which retention rule for which category) that several renderings
 * share, so they cannot drift apart.
 */
import { eeaCountries, needsTransferMechanism } from './geography.js';
import type { PolicyModel } from './model.js';
import { eventOfRule, isBuiltInEvent } from './lifecycle.js';
import type { Declaration, DeclaredSystem, LegalBasis, Purpose, Recipient, RetentionRule } from './schema.js';
import { legalBasisTerms } from './taxonomy.js';
import { localise } from './text.js';

/** The languages with their own wording; everything else is written in English. */
export type Wording = 'en' | 'sv';

/** Picks the wording for a language tag: `sv` and `sv-FI` give Swedish, anything else English. */
export function wordingFor(language: string): Wording {
  return language.slice(0, 2).toLowerCase() === 'sv' ? 'sv' : 'en';
}

type Unit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

const unitWords: Record<Wording, Record<Unit, readonly [string, string]>> = {
  en: {
    year: ['year', 'years'],
    month: ['month', 'months'],
    week: ['week', 'weeks'],
    day: ['day', 'days'],
    hour: ['hour', 'hours'],
    minute: ['minute', 'minutes'],
    second: ['second', 'seconds'],
  },
  sv: {
    year: ['år', 'år'],
    month: ['månad', 'månader'],
    week: ['vecka', 'veckor'],
    day: ['dag', 'dagar'],
    hour: ['timme', 'timmar'],
    minute: ['minut', 'minuter'],
    second: ['sekund', 'sekunder'],
  },
};

const and: Record<Wording, string> = { en: 'and', sv: 'och' };

const durationPattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Joins words as a reader would: `a`, `a and b`, `a, b and c`. */
export function joinWords(items: readonly string[], language: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${and[wordingFor(language)]} ${items[items.length - 1]}`;
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
  const words = unitWords[wordingFor(language)];
  const parts = units.flatMap((unit, i) => {
    const value = match[i + 1];
    if (value === undefined || Number(value) === 0) return [];
    const n = Number(value);
    return [`${n} ${words[unit][n === 1 ? 0 : 1]}`];
  });
  return parts.length === 0 ? `0 ${words.day[1]}` : joinWords(parts, language);
}

export type RetentionTrigger = RetentionRule['trigger'];
/** The triggers Steward has its own words for; an `event` trigger is worded by its event's name. */
export type NamedTrigger = Exclude<RetentionTrigger, 'event'>;

const triggerWords: Record<Wording, Record<NamedTrigger, string>> = {
  en: {
    collected: 'after the data was collected',
    last_interaction: 'after the last interaction',
    contract_end: 'after the contract ends',
    consent_withdrawn: 'after consent is withdrawn',
    account_closed: 'after the account is closed',
  },
  sv: {
    collected: 'efter att uppgifterna samlades in',
    last_interaction: 'efter den senaste kontakten',
    contract_end: 'efter att avtalet har upphört',
    consent_withdrawn: 'efter att samtycket har återkallats',
    account_closed: 'efter att kontot har avslutats',
  },
};

/** The same moments as nouns, for "until …" and "the end of the year of …". */
const triggerNouns: Record<Wording, Record<NamedTrigger, string>> = {
  en: {
    collected: 'collection',
    last_interaction: 'the last interaction',
    contract_end: 'the end of the contract',
    consent_withdrawn: 'the withdrawal of consent',
    account_closed: 'the closing of the account',
  },
  sv: {
    collected: 'insamlingen',
    last_interaction: 'den senaste kontakten',
    contract_end: 'avtalets upphörande',
    consent_withdrawn: 'återkallelsen av samtycket',
    account_closed: 'kontots avslutande',
  },
};

/**
 * The moment a retention period counts from, as a phrase that follows a duration.
 *
 * @example `${describeDuration('P2Y', 'en')} ${describeTrigger('last_interaction', 'en')}`
 *   // "2 years after the last interaction"
 */
export function describeTrigger(trigger: NamedTrigger, language: string): string {
  return triggerWords[wordingFor(language)][trigger];
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
  const w = wordingFor(language);
  const name = eventName(rule, language, words);
  if (name !== undefined) return name;
  if (rule.trigger !== 'event') return triggerNouns[w][rule.trigger];
  return w === 'sv' ? 'en händelse som inte är namngiven' : 'an event not named';
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
  return wordingFor(language) === 'sv' ? ` (${first}–${last})` : ` (${first} to ${last})`;
}

/** "the end of the financial year of collection", "utgången av det kalenderår då leverans skedde". */
function anchorPhrase(
  anchor: NonNullable<RetentionRule['anchor']>,
  noun: string,
  language: string,
  words: ClockWords,
): string {
  const fy = financialYearSpan(words, language);
  if (wordingFor(language) === 'sv') {
    switch (anchor) {
      case 'month':
        return `utgången av den månad då ${noun} skedde`;
      case 'quarter':
        return `utgången av det kvartal då ${noun} skedde`;
      case 'year':
        return `utgången av det kalenderår då ${noun} skedde`;
      case 'financial_year':
        return `utgången av det räkenskapsår${fy} då ${noun} skedde`;
      case 'calendar_year_of_financial_year_end':
        return `utgången av det kalenderår då räkenskapsåret${fy} för ${noun} avslutades`;
    }
  }
  switch (anchor) {
    case 'month':
      return `the end of the month of ${noun}`;
    case 'quarter':
      return `the end of the quarter of ${noun}`;
    case 'year':
      return `the end of the calendar year of ${noun}`;
    case 'financial_year':
      return `the end of the financial year${fy} of ${noun}`;
    case 'calendar_year_of_financial_year_end':
      return `the end of the calendar year in which the financial year${fy} of ${noun} ended`;
  }
}

/** P0D, PT0S: a period of nothing, worded "until …" rather than "0 days after …". */
const isZeroDuration = (iso: string): boolean => !/[1-9]/.test(iso);

/**
 * How long a rule keeps data, from what it counts: "3 years after delivery", "7 years from the end
 * of the financial year of collection", "until the end of the contract" (for a zero period).
 */
export function describeClock(rule: RetentionRule, language: string, words: ClockWords): string {
  const sv = wordingFor(language) === 'sv';
  const zero = isZeroDuration(rule.duration);
  const noun = triggerNoun(rule, language, words);
  if (rule.anchor !== undefined) {
    const boundary = anchorPhrase(rule.anchor, noun, language, words);
    if (zero) return `${sv ? 'till' : 'until'} ${boundary}`;
    return `${describeDuration(rule.duration, language)} ${sv ? 'från' : 'from'} ${boundary}`;
  }
  if (zero) return `${sv ? 'till' : 'until'} ${noun}`;
  const name = eventName(rule, language, words);
  const after =
    name !== undefined || rule.trigger === 'event'
      ? `${sv ? 'efter' : 'after'} ${noun}`
      : describeTrigger(rule.trigger, language);
  return `${describeDuration(rule.duration, language)} ${after}`;
}

const actionWords: Record<Wording, Record<RetentionRule['action'], string>> = {
  en: { delete: 'then deleted', anonymise: 'then anonymised' },
  sv: { delete: 'raderas därefter', anonymise: 'anonymiseras därefter' },
};

/**
 * The period of a retention rule with what happens at its end: "2 years after the last
 * interaction, then deleted". `words` (the rule's declaration) names its events.
 */
export function describeRetentionPeriod(rule: RetentionRule, language: string, words: ClockWords): string {
  return `${describeClock(rule, language, words)}, ${actionWords[wordingFor(language)][rule.action]}`;
}

/** The law that requires a retention period, as a phrase: "legal requirement: Bookkeeping Act". */
export function describeStatutory(rule: RetentionRule, language: string): string | undefined {
  if (rule.statutory === undefined) return undefined;
  return wordingFor(language) === 'sv'
    ? `lagkrav: ${rule.statutory}`
    : `legal requirement: ${rule.statutory}`;
}

/** A retention rule in one sentence: period, end action and, if any, the law that requires it. */
export function describeRetention(rule: RetentionRule, language: string, words: ClockWords): string {
  const period = describeRetentionPeriod(rule, language, words);
  const statutory = describeStatutory(rule, language);
  return statutory === undefined ? period : `${period} (${statutory})`;
}

const basisNames: Record<Wording, Record<LegalBasis, string>> = {
  en: {
    consent: 'Consent',
    contract: 'Contract',
    legal_obligation: 'Legal obligation',
    vital_interests: 'Vital interests',
    public_task: 'Public task',
    legitimate_interests: 'Legitimate interests',
  },
  sv: {
    consent: 'Samtycke',
    contract: 'Avtal',
    legal_obligation: 'Rättslig förpliktelse',
    vital_interests: 'Grundläggande intressen',
    public_task: 'Allmänt intresse',
    legitimate_interests: 'Berättigat intresse',
  },
};

/**
 * A GDPR article reference in the style of the language: `Art. 6(1)(a)` in English,
 * `artikel 6.1 a` in Swedish.
 */
export function describeArticle(article: string, language: string): string {
  if (wordingFor(language) !== 'sv') return article;
  return article
    .replace(/^Art\.\s*/, 'artikel ')
    .replace(/\((\d+)\)/g, '.$1')
    .replace(/\(([a-z])\)/g, ' $1');
}

/** The name of a legal basis: "Consent", "Berättigat intresse". */
export function basisName(basis: LegalBasis, language: string): string {
  return basisNames[wordingFor(language)][basis];
}

/** A legal basis with its GDPR article: "Consent (Art. 6(1)(a) GDPR)". */
export function describeBasis(basis: LegalBasis, language: string): string {
  const article = describeArticle(legalBasisTerms[basis].article, language);
  return `${basisName(basis, language)} (${article} GDPR)`;
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
  const w = wordingFor(language);
  if (key === 'default') return w === 'sv' ? 'Övriga länder' : 'Everywhere else';
  if (key === 'EEA') return w === 'sv' ? 'EES' : 'EEA';
  if (/^[A-Z]{2}-/.test(key)) return `${countryName(key.slice(0, 2), language)} (${key})`;
  return countryName(key, language);
}

export type TransferMechanism = NonNullable<Recipient['transfer']>['mechanism'];

const mechanismWords: Record<Wording, Record<TransferMechanism, string>> = {
  en: {
    adequacy: 'Adequacy decision of the European Commission (Art. 45 GDPR)',
    scc: 'Standard contractual clauses (Art. 46(2)(c) GDPR)',
    bcr: 'Binding corporate rules (Art. 47 GDPR)',
    dpf: 'EU–US Data Privacy Framework certification (adequacy decision, Art. 45 GDPR)',
    derogation_consent: 'Your explicit consent (Art. 49(1)(a) GDPR)',
    derogation_contract: 'Necessary for a contract with you or in your interest (Art. 49(1)(b)–(c) GDPR)',
    derogation_legal_claims: 'Necessary for legal claims (Art. 49(1)(e) GDPR)',
  },
  sv: {
    adequacy: 'EU-kommissionens beslut om adekvat skyddsnivå (artikel 45 GDPR)',
    scc: 'Standardavtalsklausuler (artikel 46.2 c GDPR)',
    bcr: 'Bindande företagsbestämmelser (artikel 47 GDPR)',
    dpf: 'Certifiering enligt EU–US Data Privacy Framework (beslut om adekvat skyddsnivå, artikel 45 GDPR)',
    derogation_consent: 'Ditt uttryckliga samtycke (artikel 49.1 a GDPR)',
    derogation_contract: 'Nödvändigt för ett avtal med dig eller i ditt intresse (artikel 49.1 b–c GDPR)',
    derogation_legal_claims: 'Nödvändigt för rättsliga anspråk (artikel 49.1 e GDPR)',
  },
};

/** A transfer mechanism with its GDPR article: "Standard contractual clauses (Art. 46(2)(c) GDPR)". */
export function describeMechanism(mechanism: TransferMechanism, language: string): string {
  return mechanismWords[wordingFor(language)][mechanism];
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
  if (entries.length === 0) return wordingFor(language) === 'sv' ? 'Inte angiven' : 'Not stated';
  if (entries.length === 1 && entries[0]?.jurisdiction === 'default') {
    return describeBasis(entries[0].basis, language);
  }
  return entries
    .map((e) => `${describeJurisdiction(e.jurisdiction, language)}: ${describeBasis(e.basis, language)}`)
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
  return wordingFor(language) === 'sv'
    ? `${operator}, på servrar hos ${provider}`
    : `${operator}, on servers provided by ${provider}`;
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

/** Swedish names of the default taxonomy's categories (the taxonomy itself is in English). */
const swedishCategoryNames: Readonly<Record<string, string>> = {
  user: 'Personuppgifter',
  'user.name': 'Namn',
  'user.name.first': 'Förnamn',
  'user.name.last': 'Efternamn',
  'user.contact': 'Kontaktuppgifter',
  'user.contact.email': 'E-postadress',
  'user.contact.phone_number': 'Telefonnummer',
  'user.contact.address': 'Postadress',
  'user.contact.address.street': 'Gatuadress',
  'user.contact.address.postal_code': 'Postnummer',
  'user.contact.address.city': 'Ort',
  'user.contact.address.state': 'Region',
  'user.contact.address.country': 'Land',
  'user.job_title': 'Befattning',
  'user.workplace': 'Arbetsgivare och arbetsplats',
  'user.account': 'Kontouppgifter',
  'user.account.username': 'Användarnamn',
  'user.account.settings': 'Kontoinställningar och konfiguration',
  'user.credentials': 'Inloggningsuppgifter',
  'user.credentials.password': 'Lösenord',
  'user.unique_id': 'Kund- eller kontonummer',
  'user.demographic': 'Demografiska uppgifter',
  'user.demographic.age': 'Ålder eller födelsedatum',
  'user.preferences': 'Preferenser och intressen',
  'user.financial': 'Ekonomiska uppgifter',
  'user.financial.credit': 'Kreditupplysningar',
  'user.financial.payment': 'Betalningsuppgifter',
  'user.financial.purchase_history': 'Köphistorik',
  'user.device': 'Uppgifter om enheten',
  'user.device.cookie_id': 'Cookie-identifierare',
  'user.device.device_id': 'Enhetsidentifierare',
  'user.device.ip_address': 'IP-adress',
  'user.device.browser': 'Webbläsare och operativsystem',
  'user.behavior': 'Beteende',
  'user.behavior.browsing_history': 'Visade sidor och klick',
  'user.behavior.search_history': 'Sökningar på webbplatsen',
  'user.behavior.interaction': 'Interaktion med utskick',
  'user.location': 'Plats',
  'user.location.imprecise': 'Ungefärlig plats',
  'user.content': 'Innehåll som personen har lämnat',
  'user.content.public': 'Innehåll som personen har gjort offentligt',
  'user.content.communication': 'Meddelanden och supportärenden',
  'user.content.survey': 'Enkätsvar',
  'user.social': 'Aktivitet i sociala nätverk',
  'user.consent': 'Samtycken och val om utskick',
  'user.telemetry': 'Användningsdata från tjänsten',
  'user.health': 'Hälsouppgifter',
  'user.biometric': 'Biometriska uppgifter',
};

/**
 * The name of a data category: the declaration's own name if it declares the key, else the
 * default taxonomy's (in Swedish where we have it), else the key itself.
 */
export function categoryName(model: PolicyModel, key: string, language: string): string {
  const declared = model.declaration.dataCategories.find((c) => c.key === key);
  if (declared !== undefined) return localise(declared.name, language);
  const swedish = wordingFor(language) === 'sv' ? swedishCategoryNames[key] : undefined;
  if (swedish !== undefined) return swedish;
  const info = model.categories.get(key);
  return info === undefined ? key : localise(info.name, language);
}

/** The language to write in: the one asked for, else the declaration's first. */
export function languageOf(model: PolicyModel, language?: string): string {
  return language ?? model.declaration.languages[0] ?? 'en';
}
