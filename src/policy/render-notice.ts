/**
 * The privacy notice, generated from the declaration in Steward's own words.
 *
 * The notice covers what GDPR Articles 13 and 14 ask a controller to tell people: who the
 * controller is and how to reach it, each purpose with its legal basis (per jurisdiction where it
 * differs), the data, the people and sources concerned, recipients and transfers, retention, the
 * rights and the supervisory authority, whether data must be provided, automated decisions, and
 * also the cookie inventory, the messages sent, the services run as processor and a glossary.
 *
 * It is built once as a small document tree (sections of paragraphs, lists, term lists and
 * tables) and then written as HTML or Markdown, so both formats always say the same thing.
 * Fixed wording exists in English and Swedish; declaration texts are picked with `localise`.
 */
import {
  basesInUse,
  basisName,
  categoryName,
  controllerSystems,
  countryName,
  describeArticle,
  describeBases,
  describeBasis,
  describeDuration,
  describeJurisdiction,
  describeMechanism,
  describeOperator,
  describeRetention,
  describeRetentionPeriod,
  joinWords,
  languageOf,
  purposesOfRecipient,
  recipientsOf,
  retentionEntries,
  systemsOf,
  transfersTo,
  wordingFor,
} from './describe.js';
import { escapeHtml, escapeMarkdown, htmlPage, markdownHref, safeHref } from './html.js';
import type { PolicyModel } from './model.js';
import type { Communication, Declaration, LegalBasis, Purpose, Recipient } from './schema.js';
import { legalBasisTerms } from './taxonomy.js';
import { localise } from './text.js';

export { describeDuration, describeTrigger } from './describe.js';

/** Which published version the notice shows; defaults to the declaration's own version and date. */
export interface NoticeVersionInfo {
  readonly version: string;
  readonly effectiveDate: string;
  /** SHA-256 of the declaration's canonical content. */
  readonly contentHash?: string;
  /** Where earlier versions can be read. */
  readonly archiveUrl?: string;
}

export interface NoticeOptions {
  readonly format: 'html' | 'md';
  /** Language of the notice; defaults to the declaration's first language. */
  readonly language?: string;
  readonly versionInfo?: NoticeVersionInfo;
  /** Where the privacy centre is served; the rights section links to it when given. */
  readonly privacyCentreUrl?: string;
}

// ---------------------------------------------------------------------------------------------
// The document tree

/** Text, a link to a URL (dropped to text unless http, https or mailto), or a link within the page. */
type Inline =
  | string
  | { readonly text: string; readonly href: string }
  | { readonly text: string; readonly anchor: string };
type Rich = string | readonly Inline[];

type Block =
  | { readonly kind: 'p'; readonly content: Rich }
  | { readonly kind: 'list'; readonly items: readonly Rich[] }
  | { readonly kind: 'facts'; readonly items: readonly { readonly label: string; readonly value: Rich }[] }
  | {
      readonly kind: 'table';
      readonly caption: string;
      readonly head: readonly string[];
      /** The first cell of each row names the row (`<th scope="row">`). */
      readonly rows: readonly (readonly Rich[])[];
    };

interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
  readonly children: readonly Section[];
}

interface NoticeDocument {
  readonly lang: string;
  readonly title: string;
  readonly meta: string;
  readonly intro: string;
  readonly contents: string;
  readonly sections: readonly Section[];
}

const p = (content: Rich): Block => ({ kind: 'p', content });
const list = (items: readonly Rich[]): Block => ({ kind: 'list', items });
const facts = (items: readonly ({ label: string; value: Rich } | undefined)[]): Block => ({
  kind: 'facts',
  items: items.filter((i): i is { label: string; value: Rich } => i !== undefined && i.value.length > 0),
});
const table = (caption: string, head: readonly string[], rows: readonly (readonly Rich[])[]): Block => ({
  kind: 'table',
  caption,
  head,
  rows,
});
const section = (
  id: string,
  title: string,
  blocks: readonly Block[],
  children: readonly Section[] = [],
): Section => ({
  id,
  title,
  blocks,
  children,
});
const link = (text: string, url: string): Inline =>
  safeHref(url) === undefined ? text : { text, href: url };
const anchorTo = (text: string, anchor: string): Inline => ({ text, anchor });

/** Joins rich fragments with a separator. */
function joinRich(parts: readonly Rich[], separator: string): Inline[] {
  return parts.flatMap((part, i) => [
    ...(i === 0 ? [] : [separator]),
    ...(typeof part === 'string' ? [part] : part),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Fixed wording

type SectionKey =
  | 'controller'
  | 'purposes'
  | 'data'
  | 'subjects'
  | 'sources'
  | 'recipients'
  | 'transfers'
  | 'systems'
  | 'retention'
  | 'requirement'
  | 'automated'
  | 'rights'
  | 'complaints'
  | 'communications'
  | 'cookies'
  | 'children'
  | 'services'
  | 'related'
  | 'glossary'
  | 'version';

const sectionIds: Record<SectionKey, string> = {
  controller: 'controller',
  purposes: 'purposes',
  data: 'personal-data',
  subjects: 'data-subjects',
  sources: 'sources',
  recipients: 'recipients',
  transfers: 'transfers',
  systems: 'systems',
  retention: 'retention',
  requirement: 'requirement',
  automated: 'automated-decisions',
  rights: 'rights',
  complaints: 'complaints',
  communications: 'communications',
  cookies: 'cookies',
  children: 'children',
  services: 'processor-services',
  related: 'related-notices',
  glossary: 'glossary',
  version: 'version',
};

type Requirement = NonNullable<Purpose['requirement']>;
type ContactChannel = Declaration['controller']['contacts'][number]['channel'];
type ContactPurpose = NonNullable<Declaration['controller']['contacts'][number]['purposes']>[number];
type RightsChannel = Declaration['rights']['channels'][number];
type SourceType = Declaration['sources'][number]['type'];
type CookieKind = Declaration['cookies']['items'][number]['kind'];
type Permission = 'opt_in' | 'opt_out' | 'not_applicable';
type Excessive = Declaration['rights']['fees']['excessive'];

/** Ends a sentence after a value, without doubling a full stop the value already has ("B.V."). */
const stop = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

interface Words {
  readonly headings: Record<SectionKey, string>;
  readonly contents: string;
  readonly meta: (version: string, date: string) => string;
  readonly intro: (controller: string) => string;
  readonly none: string;
  readonly yes: string;
  readonly no: string;
  // Controller
  readonly controllerIntro: (name: string) => string;
  readonly controllerLabels: {
    readonly name: string;
    readonly legalForm: string;
    readonly registration: string;
    readonly parent: string;
    readonly establishment: string;
    readonly representative: string;
    readonly dpo: string;
  };
  readonly registrationNumber: (n: string) => string;
  readonly noDpo: string;
  readonly contactUs: string;
  readonly channels: Record<ContactChannel, string>;
  readonly contactPurposes: Record<ContactPurpose, string>;
  // Purposes
  readonly purposesIntro: string;
  readonly purposeTable: { readonly caption: string; readonly purpose: string; readonly basis: string };
  readonly purposeLabels: {
    readonly basis: string;
    readonly interest: string;
    readonly obligation: string;
    readonly data: string;
    readonly subjects: string;
    readonly sources: string;
    readonly recipients: string;
    readonly transfers: string;
    readonly retention: string;
    readonly requirement: string;
    readonly services: string;
    readonly systems: string;
    readonly consentAt: string;
    readonly automated: string;
    readonly objection: string;
  };
  readonly requirement: Record<Requirement, string>;
  readonly directMarketing: string;
  readonly publicContent: string;
  readonly special: string;
  readonly publiclyAccessible: string;
  // Data, people, sources
  readonly dataIntro: string;
  readonly dataTable: { readonly caption: string; readonly category: string; readonly purposes: string };
  readonly subjectsIntro: string;
  readonly subjectTable: {
    readonly caption: string;
    readonly group: string;
    readonly description: string;
    readonly purposes: string;
  };
  readonly sourcesIntro: string;
  readonly sourcesNotice: string;
  readonly sourceTable: {
    readonly caption: string;
    readonly source: string;
    readonly type: string;
    readonly public: string;
    readonly supplier: string;
    readonly data: string;
  };
  readonly sourceTypes: Record<SourceType, string>;
  // Recipients and transfers
  readonly recipientsIntro: string;
  readonly noRecipients: string;
  readonly recipientTable: {
    readonly caption: string;
    readonly recipient: string;
    readonly type: string;
    readonly countries: string;
    readonly purposes: string;
  };
  readonly recipientTypes: Record<Recipient['type'], string>;
  readonly transfersIntro: string;
  readonly noTransfers: string;
  readonly transferTable: {
    readonly caption: string;
    readonly recipient: string;
    readonly country: string;
    readonly safeguard: string;
    readonly copy: string;
  };
  readonly noMechanism: string;
  readonly copyOnRequest: string;
  // Where data is stored
  readonly systemsIntro: string;
  readonly systemTable: {
    readonly caption: string;
    readonly system: string;
    readonly country: string;
    readonly operator: string;
    readonly purposes: string;
  };
  readonly notNeeded: string;
  // Retention
  readonly retentionIntro: string;
  readonly legalHold: string;
  readonly retentionTable: {
    readonly caption: string;
    readonly purpose: string;
    readonly data: string;
    readonly period: string;
    readonly law: string;
    readonly reason: string;
  };
  readonly noRule: string;
  // Requirement and automated decisions
  readonly requirementIntro: string;
  readonly automatedNone: string;
  readonly automatedIntro: string;
  readonly automatedLabels: {
    readonly logic: string;
    readonly significance: string;
    readonly consequences: string;
  };
  readonly automatedRights: string;
  // Rights
  readonly rightsIntro: string;
  readonly rights: {
    readonly access: string;
    readonly rectification: string;
    readonly erasure: string;
    readonly restriction: string;
    readonly objection: string;
    readonly marketingObjection: string;
    readonly portability: string;
    readonly withdrawal: string;
    readonly automated: string;
  };
  readonly appliesTo: string;
  readonly rightsHow: string;
  readonly rightsChannels: Record<RightsChannel, string>;
  readonly deadline: (deadline: string, extension: string) => string;
  readonly identity: string;
  readonly firstCopyFree: string;
  readonly copyFee: string;
  readonly furtherCopy: (amount: string) => string;
  readonly excessive: Record<Excessive, string>;
  // Complaints
  readonly complaintsIntro: string;
  readonly authorityLabels: {
    readonly name: string;
    readonly website: string;
    readonly email: string;
    readonly phone: string;
    readonly address: string;
  };
  readonly complaintsInAnswers: string;
  readonly complaintsNoNeed: string;
  // Communications
  readonly communicationsIntro: string;
  readonly noCommunications: string;
  readonly communicationTable: {
    readonly caption: string;
    readonly message: string;
    readonly kind: string;
    readonly channel: string;
    readonly sender: string;
    readonly permission: string;
    readonly frequency: string;
  };
  readonly communicationKinds: Record<Communication['kind'], string>;
  readonly communicationChannels: Record<Communication['channel'], string>;
  readonly permissions: Record<Permission, string>;
  readonly doubleOptIn: string;
  readonly unsubscribe: string;
  readonly objectAll: string;
  readonly transactional: string;
  // Cookies
  readonly cookiesIntro: string;
  readonly gpcHonoured: string;
  readonly gpcNotHonoured: string;
  readonly noCookies: string;
  readonly cookieAlwaysOn: string;
  readonly cookieConsent: string;
  readonly cookieGpc: string;
  readonly cookieTable: {
    readonly caption: (category: string) => string;
    readonly name: string;
    readonly provider: string;
    readonly party: string;
    readonly purpose: string;
    readonly lifetime: string;
    readonly kind: string;
  };
  readonly firstParty: string;
  readonly thirdParty: string;
  readonly session: string;
  readonly cookieKinds: Record<CookieKind, string>;
  readonly otherCookies: string;
  // Children
  readonly children: (age: number, knowingly: boolean) => string;
  // Services and related notices
  readonly servicesIntro: string;
  readonly serviceTable: {
    readonly caption: string;
    readonly service: string;
    readonly controller: string;
    readonly contact: string;
  };
  readonly customerProvider: string;
  readonly providerNotice: string;
  readonly controllerServices: (names: string) => string;
  readonly relatedIntro: string;
  readonly covers: string;
  // Glossary
  readonly glossaryIntro: string;
  readonly terms: {
    readonly personalData: readonly [string, string];
    readonly processing: readonly [string, string];
    readonly dataSubject: readonly [string, (groups: string) => string];
    readonly controller: readonly [string, (name: string) => string];
    readonly processor: readonly [string, string];
    readonly purpose: readonly [string, string];
    readonly legalBasis: readonly [string, (bases: string) => string];
    readonly legitimateInterest: readonly [string, string];
    readonly consent: readonly [string, string];
    readonly recipient: readonly [string, string];
    readonly transfer: readonly [string, string];
    readonly authority: readonly [string, (name: string) => string];
  };
  readonly basisDefinitions: Record<LegalBasis, string>;
  // Version
  readonly versionLabels: {
    readonly version: string;
    readonly effective: string;
    readonly hash: string;
    readonly archive: string;
  };
  readonly versionChanges: string;
  readonly archiveLink: string;
}

const en: Words = {
  headings: {
    controller: 'Who is responsible for your data',
    purposes: 'Why we use your data, and on what legal basis',
    data: 'What data we use',
    subjects: 'Whose data we use',
    sources: 'Where the data comes from',
    recipients: 'Who receives the data',
    transfers: 'Transfers outside the EEA',
    systems: 'Where the data is stored',
    retention: 'How long we keep the data',
    requirement: 'Do you have to give us your data?',
    automated: 'Automated decisions',
    rights: 'Your rights',
    complaints: 'Complaining to the supervisory authority',
    communications: 'Messages we send, and how to stop them',
    cookies: 'Cookies and similar technologies',
    children: 'Children',
    services: 'Services we run for our customers',
    related: 'Other privacy notices',
    glossary: 'Glossary',
    version: 'Version of this notice',
  },
  contents: 'Contents',
  meta: (version, date) => `Version ${version}, in effect from ${date}.`,
  intro: (controller) =>
    `This notice explains how ${controller} uses personal data: for what purposes and on what legal basis, which data and from where, who receives it, how long it is kept, and what rights you have. It is generated from the same declaration that our systems enforce.`,
  none: '—',
  yes: 'Yes',
  no: 'No',
  controllerIntro: (name) =>
    `${name} is the controller: it decides why and how your personal data is used, and is responsible for it.`,
  controllerLabels: {
    name: 'Name',
    legalForm: 'Legal form',
    registration: 'Registration number',
    parent: 'Part of',
    establishment: 'Establishment',
    representative: 'Representative in the EU',
    dpo: 'Data protection officer',
  },
  registrationNumber: (n) => `registration number ${n}`,
  noDpo: 'We have not appointed a data protection officer. Please use the contact details below.',
  contactUs: 'How to reach us:',
  channels: { web: 'Web form', email: 'Email', post: 'Post', phone: 'Telephone' },
  contactPurposes: {
    general: 'general questions',
    rights: 'requests about your rights',
    complaints: 'complaints',
    security: 'security reports',
  },
  purposesIntro:
    'Each purpose below says which data it uses, whose, on what legal basis, who receives it and how long it is kept. Where the legal basis differs between countries, each one is shown.',
  purposeTable: { caption: 'Purposes and legal bases', purpose: 'Purpose', basis: 'Legal basis' },
  purposeLabels: {
    basis: 'Legal basis',
    interest: 'Legitimate interest we pursue',
    obligation: 'Law that requires it',
    data: 'Personal data',
    subjects: 'Whose data',
    sources: 'Sources',
    recipients: 'Recipients',
    transfers: 'Transfers outside the EEA',
    retention: 'How long we keep it',
    requirement: 'Obligation to provide it',
    services: 'Services',
    systems: 'Stored in',
    consentAt: 'Where we ask for consent',
    automated: 'Automated decisions',
    objection: 'Your right to object',
  },
  requirement: {
    none: 'No. No law or contract requires you to provide this data.',
    contractual: 'Yes, a contract with you requires it; without it we cannot fulfil that contract.',
    statutory: 'Yes, the law requires it; without it we cannot meet our legal obligation.',
    contract_prerequisite:
      'It is needed before we can enter into a contract with you; without it we cannot conclude the contract.',
  },
  directMarketing:
    'This is direct marketing. You can object to it at any time, and we then stop at once, without weighing your objection against our interests.',
  publicContent: 'This purpose uses content that you made public yourself.',
  special: 'special category, Art. 9 GDPR',
  publiclyAccessible: 'publicly accessible',
  dataIntro: 'These are the kinds of personal data we use, and the purposes each one serves.',
  dataTable: { caption: 'Personal data by purpose', category: 'Personal data', purposes: 'Used for' },
  subjectsIntro: 'The groups of people whose personal data we use:',
  subjectTable: {
    caption: 'Groups of people',
    group: 'Group',
    description: 'Who they are',
    purposes: 'Used for',
  },
  sourcesIntro:
    'Where we did not get data from you, this shows where it came from and whether that source is publicly accessible.',
  sourcesNotice:
    'When we obtain your data from someone other than you, we tell you within one month at the latest, unless an exemption in Art. 14(5) GDPR applies.',
  sourceTable: {
    caption: 'Sources of personal data',
    source: 'Source',
    type: 'How we get it',
    public: 'Publicly accessible',
    supplier: 'Supplied by',
    data: 'Data',
  },
  sourceTypes: {
    direct: 'From you',
    observed: 'Observed when you use our websites and services',
    third_party: 'From another organisation',
    public: 'From a publicly accessible source',
    group_company: 'From another company in our group',
    social_network: 'From social networks',
  },
  recipientsIntro: 'We share personal data only with the recipients below, each for the purposes shown.',
  noRecipients: 'We do not disclose personal data to anyone outside our organisation.',
  recipientTable: {
    caption: 'Recipients of personal data',
    recipient: 'Recipient',
    type: 'Type',
    countries: 'Countries',
    purposes: 'Purposes',
  },
  recipientTypes: {
    group_company: 'Company in our group',
    processor: 'Processor acting on our instructions',
    independent_controller: 'Independent controller',
    joint_controller: 'Joint controller',
    authority: 'Public authority',
    advisor: 'Professional adviser',
    acquirer: 'Buyer or seller in a business transfer',
    public: 'The public',
  },
  transfersIntro:
    'Some recipients are in countries outside the European Economic Area. Where a country has no adequacy decision of the European Commission, the transfer rests on the safeguard shown. You can get a copy of the safeguards through the link shown or by contacting us.',
  noTransfers: 'We do not transfer personal data to countries outside the European Economic Area.',
  transferTable: {
    caption: 'Transfers outside the EEA',
    recipient: 'Recipient',
    country: 'Country',
    safeguard: 'Safeguard',
    copy: 'Copy of the safeguards',
  },
  noMechanism: 'No safeguard declared',
  copyOnRequest: 'Ask us for a copy',
  systemsIntro:
    'We keep personal data in the systems below: for each, the country where the data is stored, who runs it, and the purposes it holds data for.',
  systemTable: {
    caption: 'Systems that hold personal data',
    system: 'System',
    country: 'Stored in',
    operator: 'Run by',
    purposes: 'Purposes',
  },
  notNeeded: 'Not needed',
  retentionIntro:
    'We keep personal data only as long as each purpose needs it, or as long as a law requires. When the period ends, the data is deleted or anonymised.',
  legalHold:
    'Data needed to establish, exercise or defend a legal claim, or that a court or authority orders us to keep, is kept for as long as that lasts.',
  retentionTable: {
    caption: 'Retention by purpose and data',
    purpose: 'Purpose',
    data: 'Data',
    period: 'How long',
    law: 'Required by law',
    reason: 'Why this period',
  },
  noRule: 'Not stated',
  requirementIntro:
    'Whether you must give us personal data depends on the purpose. Where it is required, we say why and what happens if you do not.',
  automatedNone:
    'We make no decisions about you based solely on automated processing, including profiling, that have legal effects on you or affect you similarly significantly.',
  automatedIntro:
    'For the purposes below we make decisions based solely on automated processing. Each says how the decision is made, what it means and what may follow.',
  automatedLabels: {
    logic: 'How the decision is made',
    significance: 'What it means for you',
    consequences: 'What may follow',
  },
  automatedRights:
    'You can ask for a person to review such a decision, give your point of view and contest it (Art. 22 GDPR).',
  rightsIntro:
    'You have these rights over your personal data. Using them is free of charge, except as stated below.',
  rights: {
    access:
      'Access (Art. 15): you can ask whether we process your data and get a copy of it, together with the purposes, categories, recipients, retention periods, source and transfer safeguards.',
    rectification:
      'Rectification (Art. 16): you can have inaccurate data corrected and incomplete data completed.',
    erasure:
      'Erasure (Art. 17): you can have your data deleted when we no longer need it, when you withdraw consent or object, or when it was processed unlawfully, unless we must keep it, for example because of a legal obligation or a legal claim.',
    restriction:
      'Restriction (Art. 18): you can ask us to keep your data but not otherwise use it, for example while we check a correction you asked for.',
    objection:
      'Objection (Art. 21(1)): you can object, on grounds relating to your situation, to processing based on legitimate interests or on a public task. We then stop, unless we show compelling legitimate grounds that override your interests, or need the data for a legal claim.',
    marketingObjection:
      'Objection to direct marketing (Art. 21(2) and (3)): you can object at any time to the use of your data for direct marketing, including profiling for it. This right is absolute: we stop at once, for every address and channel, without weighing your objection against our interests.',
    portability:
      'Portability (Art. 20): data you gave us that we process by automated means on the basis of consent or a contract, you can take with you as JSON or CSV files that other software can read, or have us send directly to another controller where that is technically feasible.',
    withdrawal:
      'Withdrawal of consent (Art. 7(3)): where we rely on your consent, you can withdraw it at any time, as easily as you gave it. Processing stops from that moment; withdrawal does not make the processing before it unlawful, and data we keep on another legal basis continues on that basis.',
    automated:
      'Automated decisions (Art. 22): you have the right not to be subject to a decision based solely on automated processing that has legal or similarly significant effects on you, with the exceptions the law allows.',
  },
  appliesTo: 'Applies to',
  rightsHow: 'To use a right, contact us through one of these channels:',
  rightsChannels: {
    privacy_centre: 'Our privacy centre',
    api: 'An organisation acting for you, through our API',
    email: 'Email',
    post: 'Post',
    phone: 'Telephone',
    drp: 'An authorised agent using the Data Rights Protocol',
  },
  deadline: (deadline, extension) =>
    `We answer within ${deadline}. If a request is complex, or we receive many, we may extend this by up to ${extension}; we then tell you so within the first period, and why.`,
  identity:
    'Before we act on a request we confirm that it comes from you, usually with a code sent to contact details we already hold. We never send your data to contact details we have not confirmed.',
  firstCopyFree: 'The first copy of your data is free.',
  copyFee: 'We may charge a reasonable fee for copies where the law allows it.',
  furtherCopy: (amount) => `Further copies cost ${amount} each.`,
  excessive: {
    charge: 'If a request is manifestly unfounded or excessive, we may charge a reasonable fee for it.',
    refuse: 'If a request is manifestly unfounded or excessive, we may refuse it, and we tell you why.',
    charge_or_refuse:
      'If a request is manifestly unfounded or excessive, we may charge a reasonable fee or refuse it, and we tell you why.',
  },
  complaintsIntro:
    'You have the right to complain to a supervisory authority, in particular in the EU or EEA country where you live, where you work, or where you think the infringement took place. The authority responsible for us is:',
  authorityLabels: {
    name: 'Authority',
    website: 'Website',
    email: 'Email',
    phone: 'Telephone',
    address: 'Address',
  },
  complaintsInAnswers:
    'Every answer we give to a request about your rights, including a refusal, names this authority and your right to complain.',
  complaintsNoNeed:
    'You do not have to contact us first, although we are glad to try to resolve your concern.',
  communicationsIntro:
    'These are the messages we may send. Marketing goes only to people who have agreed to it or, where the law allows, who have not objected.',
  noCommunications: 'We do not send regular messages.',
  communicationTable: {
    caption: 'Messages we send',
    message: 'Message',
    kind: 'Kind',
    channel: 'Channel',
    sender: 'Sent by',
    permission: 'When we send it',
    frequency: 'How often',
  },
  communicationKinds: { marketing: 'Marketing', transactional: 'Service message' },
  communicationChannels: {
    email: 'Email',
    sms: 'Text message',
    post: 'Post',
    phone: 'Telephone call',
    push: 'Push notification',
  },
  permissions: {
    opt_in: 'Only with your consent',
    opt_out: 'Unless you have objected',
    not_applicable: 'As part of the service',
  },
  doubleOptIn: 'you confirm your address first',
  unsubscribe:
    'Every marketing message says how to stop it. In email, one click on the unsubscribe link stops that message to that address at once, without logging in; your other subscriptions and addresses stay as they are.',
  objectAll:
    'You can also object to all marketing from us. That covers every address and channel we hold for you, and we keep a minimal record of the objection so that it stays in force even after your other data is deleted.',
  transactional:
    'Service messages, such as order confirmations, security notices and messages about your account, are part of the service and cannot be switched off while you use it. They never contain marketing.',
  cookiesIntro:
    'We and some third parties store small files (cookies) and similar data on your device. Strictly necessary ones are always on; every other category is used only if you allow it, and you can change your choice at any time from any page.',
  gpcHonoured:
    'We honour Global Privacy Control: if your browser sends this signal, we treat it as a refusal of the categories marked below.',
  gpcNotHonoured:
    'We do not act on Global Privacy Control signals; please use the cookie settings to make your choice.',
  noCookies: 'We do not use cookies or similar technologies.',
  cookieAlwaysOn: 'Always on: these are strictly necessary for the site to work.',
  cookieConsent: 'Used only with your consent.',
  cookieGpc: 'A Global Privacy Control signal switches this category off.',
  cookieTable: {
    caption: (category) => `Cookies: ${category}`,
    name: 'Name',
    provider: 'Provider',
    party: 'First or third party',
    purpose: 'Purpose',
    lifetime: 'Lifetime',
    kind: 'Type',
  },
  firstParty: 'First party',
  thirdParty: 'Third party',
  session: 'Until you close the browser',
  cookieKinds: {
    cookie: 'Cookie',
    local_storage: 'Local storage',
    session_storage: 'Session storage',
    pixel: 'Pixel',
  },
  otherCookies: 'Other',
  children: (age, knowingly) =>
    knowingly
      ? `Some of our processing concerns children under ${age}. Where it rests on consent, we ask for it from a person with parental responsibility.`
      : `Our services are not aimed at children under ${age}, and we do not knowingly collect their personal data. If we learn that we hold data about a child under ${age}, we stop using it for marketing and delete it.`,
  servicesIntro:
    'For the services below we act only as a processor. The organisation that provides the service to you (your Provider) decides how your data is used and is its controller. Please contact your Provider about your data; if you contact us instead, we pass your request on to them and tell you who they are. We never use data from these services for our own purposes, such as marketing.',
  serviceTable: {
    caption: 'Services we run as a processor',
    service: 'Service',
    controller: 'Controller (your Provider)',
    contact: 'How to reach them',
  },
  customerProvider: 'The organisation that gives you access to the service',
  providerNotice: "See your Provider's privacy notice",
  controllerServices: (names) =>
    `We are the controller for these services, and this notice covers them: ${stop(names)}`,
  relatedIntro:
    'Some of our products have their own privacy notice, which applies to them instead of this one:',
  covers: 'Covers',
  glossaryIntro: 'What the terms in this notice mean.',
  terms: {
    personalData: [
      'Personal data',
      'Any information about a living person who can be identified from it, directly or together with other information: a name, an email address, an IP address or a cookie identifier, for example.',
    ],
    processing: [
      'Processing',
      'Anything done with personal data, such as collecting, storing, using, sharing or deleting it.',
    ],
    dataSubject: [
      'Data subject',
      (groups) => `The person the personal data is about. This notice covers these groups: ${stop(groups)}`,
    ],
    controller: [
      'Controller',
      (name) =>
        `The organisation that decides why and how personal data is processed and is responsible for it; here, ${stop(name)}`,
    ],
    processor: [
      'Processor',
      "An organisation that processes personal data for a controller, only on the controller's instructions.",
    ],
    purpose: [
      'Purpose',
      'The reason personal data is processed. Each purpose in this notice has its own legal basis, data and retention period.',
    ],
    legalBasis: [
      'Legal basis',
      (bases) =>
        `The ground in Art. 6(1) GDPR that makes processing lawful. Each purpose has one, and it can differ between countries. This notice relies on: ${stop(bases)}`,
    ],
    legitimateInterest: [
      'Legitimate interest',
      'An interest of ours or of someone else, such as running and improving a business, that can justify processing without consent, but only where it has been weighed against your rights and freedoms and is not overridden by them.',
    ],
    consent: [
      'Consent',
      'Your freely given, specific, informed and unambiguous agreement, by a statement or a clear action, to processing for a stated purpose. You can withdraw it at any time.',
    ],
    recipient: ['Recipient', 'Anyone to whom personal data is disclosed, inside or outside our group.'],
    transfer: [
      'Transfer',
      'Making personal data available to a recipient in a country outside the European Economic Area.',
    ],
    authority: [
      'Supervisory authority',
      (name) => `The independent public body that oversees data protection law; for us, ${stop(name)}`,
    ],
  },
  basisDefinitions: {
    consent:
      'You have agreed to the processing for a stated purpose, and can withdraw that agreement at any time.',
    contract:
      'The processing is needed to perform a contract with you, or to take steps you asked for before entering one.',
    legal_obligation: 'A law requires us to process the data.',
    vital_interests: "The processing is needed to protect someone's life or physical safety.",
    public_task:
      'The processing is needed for a task in the public interest or in the exercise of official authority.',
    legitimate_interests:
      'The processing is needed for an interest of ours or of a third party that your rights do not override; we record that assessment for each such purpose.',
  },
  versionLabels: {
    version: 'Version',
    effective: 'In effect from',
    hash: 'Content fingerprint (SHA-256)',
    archive: 'Earlier versions',
  },
  versionChanges: 'When we change this notice, we publish a new version with its own date.',
  archiveLink: 'Read earlier versions',
};

const sv: Words = {
  headings: {
    controller: 'Vem som ansvarar för dina uppgifter',
    purposes: 'Varför vi använder dina uppgifter och med vilken rättslig grund',
    data: 'Vilka uppgifter vi använder',
    subjects: 'Vems uppgifter vi använder',
    sources: 'Var uppgifterna kommer ifrån',
    recipients: 'Vem som får ta del av uppgifterna',
    transfers: 'Överföringar till länder utanför EES',
    systems: 'Var uppgifterna lagras',
    retention: 'Hur länge vi sparar uppgifterna',
    requirement: 'Måste du lämna uppgifter till oss?',
    automated: 'Automatiserade beslut',
    rights: 'Dina rättigheter',
    complaints: 'Klagomål till tillsynsmyndigheten',
    communications: 'Utskick och hur du avslutar dem',
    cookies: 'Cookies och liknande tekniker',
    children: 'Barn',
    services: 'Tjänster som vi driver för våra kunder',
    related: 'Andra integritetsmeddelanden',
    glossary: 'Ordlista',
    version: 'Version av detta meddelande',
  },
  contents: 'Innehåll',
  meta: (version, date) => `Version ${version}, gäller från ${date}.`,
  intro: (controller) =>
    `Detta meddelande förklarar hur ${controller} använder personuppgifter: för vilka ändamål och med vilken rättslig grund, vilka uppgifter och varifrån, vem som får ta del av dem, hur länge de sparas och vilka rättigheter du har. Det skapas ur samma deklaration som våra system tillämpar.`,
  none: '—',
  yes: 'Ja',
  no: 'Nej',
  controllerIntro: (name) =>
    `${name} är personuppgiftsansvarig: det är vi som bestämmer varför och hur dina personuppgifter används, och vi ansvarar för det.`,
  controllerLabels: {
    name: 'Namn',
    legalForm: 'Juridisk form',
    registration: 'Organisationsnummer',
    parent: 'Ingår i',
    establishment: 'Etablering',
    representative: 'Företrädare inom EU',
    dpo: 'Dataskyddsombud',
  },
  registrationNumber: (n) => `organisationsnummer ${n}`,
  noDpo: 'Vi har inte utsett något dataskyddsombud. Använd kontaktuppgifterna nedan.',
  contactUs: 'Så når du oss:',
  channels: { web: 'Webbformulär', email: 'E-post', post: 'Post', phone: 'Telefon' },
  contactPurposes: {
    general: 'allmänna frågor',
    rights: 'begäranden om dina rättigheter',
    complaints: 'klagomål',
    security: 'säkerhetsrapporter',
  },
  purposesIntro:
    'För varje ändamål nedan anges vilka uppgifter det använder, vems, med vilken rättslig grund, vem som får ta del av dem och hur länge de sparas. När den rättsliga grunden skiljer sig mellan länder visas var och en.',
  purposeTable: { caption: 'Ändamål och rättsliga grunder', purpose: 'Ändamål', basis: 'Rättslig grund' },
  purposeLabels: {
    basis: 'Rättslig grund',
    interest: 'Berättigat intresse som vi eftersträvar',
    obligation: 'Lag som kräver det',
    data: 'Personuppgifter',
    subjects: 'Vems uppgifter',
    sources: 'Källor',
    recipients: 'Mottagare',
    transfers: 'Överföringar utanför EES',
    retention: 'Hur länge vi sparar dem',
    requirement: 'Skyldighet att lämna dem',
    services: 'Tjänster',
    systems: 'Lagras i',
    consentAt: 'Där vi ber om samtycke',
    automated: 'Automatiserade beslut',
    objection: 'Din rätt att invända',
  },
  requirement: {
    none: 'Nej. Ingen lag och inget avtal kräver att du lämnar uppgifterna.',
    contractual: 'Ja, ett avtal med dig kräver det; utan uppgifterna kan vi inte fullgöra avtalet.',
    statutory: 'Ja, lagen kräver det; utan uppgifterna kan vi inte uppfylla vår rättsliga förpliktelse.',
    contract_prerequisite:
      'Uppgifterna behövs för att vi ska kunna ingå ett avtal med dig; utan dem kan avtalet inte ingås.',
  },
  directMarketing:
    'Detta är direktmarknadsföring. Du kan när som helst invända, och då slutar vi omedelbart, utan att väga din invändning mot våra intressen.',
  publicContent: 'Detta ändamål använder innehåll som du själv har gjort offentligt.',
  special: 'särskild kategori, artikel 9 GDPR',
  publiclyAccessible: 'offentligt tillgänglig',
  dataIntro: 'Detta är de typer av personuppgifter vi använder, och de ändamål som var och en används för.',
  dataTable: { caption: 'Personuppgifter per ändamål', category: 'Personuppgifter', purposes: 'Används för' },
  subjectsIntro: 'De grupper av personer vars personuppgifter vi använder:',
  subjectTable: {
    caption: 'Grupper av personer',
    group: 'Grupp',
    description: 'Vilka de är',
    purposes: 'Används för',
  },
  sourcesIntro:
    'När vi inte har fått uppgifterna från dig visas här var de kommer ifrån och om källan är offentligt tillgänglig.',
  sourcesNotice:
    'När vi får dina uppgifter från någon annan än dig informerar vi dig senast inom en månad, om inte ett undantag i artikel 14.5 GDPR gäller.',
  sourceTable: {
    caption: 'Källor till personuppgifter',
    source: 'Källa',
    type: 'Hur vi får dem',
    public: 'Offentligt tillgänglig',
    supplier: 'Lämnas av',
    data: 'Uppgifter',
  },
  sourceTypes: {
    direct: 'Från dig',
    observed: 'Registreras när du använder våra webbplatser och tjänster',
    third_party: 'Från en annan organisation',
    public: 'Från en offentligt tillgänglig källa',
    group_company: 'Från ett annat bolag i vår koncern',
    social_network: 'Från sociala nätverk',
  },
  recipientsIntro:
    'Vi delar personuppgifter endast med mottagarna nedan, var och en för de ändamål som anges.',
  noRecipients: 'Vi lämnar inte ut personuppgifter till någon utanför vår organisation.',
  recipientTable: {
    caption: 'Mottagare av personuppgifter',
    recipient: 'Mottagare',
    type: 'Typ',
    countries: 'Länder',
    purposes: 'Ändamål',
  },
  recipientTypes: {
    group_company: 'Bolag i vår koncern',
    processor: 'Personuppgiftsbiträde som arbetar på våra instruktioner',
    independent_controller: 'Självständigt personuppgiftsansvarig',
    joint_controller: 'Gemensamt personuppgiftsansvarig',
    authority: 'Myndighet',
    advisor: 'Rådgivare',
    acquirer: 'Köpare eller säljare vid en överlåtelse av verksamhet',
    public: 'Allmänheten',
  },
  transfersIntro:
    'Vissa mottagare finns i länder utanför Europeiska ekonomiska samarbetsområdet. När ett land saknar beslut om adekvat skyddsnivå från EU-kommissionen grundas överföringen på den skyddsåtgärd som anges. Du kan få en kopia av skyddsåtgärderna via länken eller genom att kontakta oss.',
  noTransfers: 'Vi överför inte personuppgifter till länder utanför Europeiska ekonomiska samarbetsområdet.',
  transferTable: {
    caption: 'Överföringar utanför EES',
    recipient: 'Mottagare',
    country: 'Land',
    safeguard: 'Skyddsåtgärd',
    copy: 'Kopia av skyddsåtgärderna',
  },
  noMechanism: 'Ingen skyddsåtgärd angiven',
  copyOnRequest: 'Be oss om en kopia',
  systemsIntro:
    'Vi sparar personuppgifter i systemen nedan: för vart och ett anges landet där uppgifterna lagras, vem som driver det och för vilka ändamål det innehåller uppgifter.',
  systemTable: {
    caption: 'System som innehåller personuppgifter',
    system: 'System',
    country: 'Lagras i',
    operator: 'Drivs av',
    purposes: 'Ändamål',
  },
  notNeeded: 'Behövs inte',
  retentionIntro:
    'Vi sparar personuppgifter bara så länge varje ändamål kräver det, eller så länge en lag kräver. När tiden har gått ut raderas eller anonymiseras uppgifterna.',
  legalHold:
    'Uppgifter som behövs för att fastställa, göra gällande eller försvara ett rättsligt anspråk, eller som en domstol eller myndighet beslutar att vi ska spara, sparas så länge det behovet finns.',
  retentionTable: {
    caption: 'Lagringstid per ändamål och uppgift',
    purpose: 'Ändamål',
    data: 'Uppgifter',
    period: 'Hur länge',
    law: 'Krävs enligt lag',
    reason: 'Varför denna tid',
  },
  noRule: 'Inte angivet',
  requirementIntro:
    'Om du måste lämna personuppgifter till oss beror på ändamålet. När det krävs anger vi varför och vad som händer om du inte gör det.',
  automatedNone:
    'Vi fattar inga beslut om dig som enbart grundas på automatiserad behandling, inklusive profilering, och som har rättsliga följder för dig eller på liknande sätt påverkar dig i betydande grad.',
  automatedIntro:
    'För ändamålen nedan fattar vi beslut som enbart grundas på automatiserad behandling. För varje ändamål anges hur beslutet fattas, vad det betyder och vad som kan följa.',
  automatedLabels: {
    logic: 'Hur beslutet fattas',
    significance: 'Vad det betyder för dig',
    consequences: 'Vad som kan följa',
  },
  automatedRights:
    'Du kan begära att en människa granskar ett sådant beslut, framföra din synpunkt och bestrida beslutet (artikel 22 GDPR).',
  rightsIntro:
    'Du har dessa rättigheter till dina personuppgifter. Det kostar inget att använda dem, utom i de fall som anges nedan.',
  rights: {
    access:
      'Tillgång (artikel 15): du kan fråga om vi behandlar dina uppgifter och få en kopia av dem, tillsammans med ändamål, kategorier, mottagare, lagringstider, källa och skyddsåtgärder vid överföring.',
    rectification:
      'Rättelse (artikel 16): du kan få felaktiga uppgifter rättade och ofullständiga uppgifter kompletterade.',
    erasure:
      'Radering (artikel 17): du kan få dina uppgifter raderade när vi inte längre behöver dem, när du återkallar ditt samtycke eller invänder, eller när de har behandlats olagligt, utom när vi måste spara dem, till exempel på grund av en rättslig förpliktelse eller ett rättsligt anspråk.',
    restriction:
      'Begränsning (artikel 18): du kan be oss att spara dina uppgifter men inte använda dem på annat sätt, till exempel medan vi kontrollerar en rättelse som du har begärt.',
    objection:
      'Invändning (artikel 21.1): du kan, av skäl som rör din situation, invända mot behandling som grundas på berättigat intresse eller på en uppgift av allmänt intresse. Vi slutar då, om vi inte kan visa tvingande berättigade skäl som väger tyngre än dina intressen, eller behöver uppgifterna för ett rättsligt anspråk.',
    marketingObjection:
      'Invändning mot direktmarknadsföring (artikel 21.2 och 21.3): du kan när som helst invända mot att dina uppgifter används för direktmarknadsföring, inklusive profilering för sådan marknadsföring. Rätten är ovillkorlig: vi slutar omedelbart, för alla adresser och kanaler, utan att väga din invändning mot våra intressen.',
    portability:
      'Dataportabilitet (artikel 20): uppgifter som du har lämnat till oss och som vi behandlar automatiserat med stöd av samtycke eller avtal kan du få i ett strukturerat, allmänt använt och maskinläsbart format (JSON eller CSV), eller låta oss skicka direkt till en annan personuppgiftsansvarig när det är tekniskt möjligt.',
    withdrawal:
      'Återkallelse av samtycke (artikel 7.3): när vi stöder oss på ditt samtycke kan du när som helst återkalla det, lika enkelt som du gav det. Behandlingen upphör från den stunden; återkallelsen gör inte behandlingen dessförinnan olaglig, och uppgifter som vi sparar med stöd av en annan rättslig grund fortsätter att behandlas på den grunden.',
    automated:
      'Automatiserade beslut (artikel 22): du har rätt att inte bli föremål för ett beslut som enbart grundas på automatiserad behandling och som har rättsliga eller liknande betydande följder för dig, med de undantag som lagen tillåter.',
  },
  appliesTo: 'Gäller',
  rightsHow: 'Du använder en rättighet genom att kontakta oss via någon av dessa kanaler:',
  rightsChannels: {
    privacy_centre: 'Vårt integritetscenter',
    api: 'En organisation som företräder dig, via vårt API',
    email: 'E-post',
    post: 'Post',
    phone: 'Telefon',
    drp: 'Ett behörigt ombud som använder Data Rights Protocol',
  },
  deadline: (deadline, extension) =>
    `Vi svarar inom ${deadline}. Om en begäran är komplicerad, eller om vi får många, kan vi förlänga tiden med högst ${extension}; vi meddelar dig i så fall det inom den första perioden, och varför.`,
  identity:
    'Innan vi agerar på en begäran kontrollerar vi att den kommer från dig, oftast med en kod som skickas till kontaktuppgifter som vi redan har. Vi skickar aldrig dina uppgifter till kontaktuppgifter som vi inte har kontrollerat.',
  firstCopyFree: 'Den första kopian av dina uppgifter är kostnadsfri.',
  copyFee: 'Vi kan ta ut en rimlig avgift för kopior när lagen tillåter det.',
  furtherCopy: (amount) => `Ytterligare kopior kostar ${amount} styck.`,
  excessive: {
    charge: 'Om en begäran är uppenbart ogrundad eller orimlig kan vi ta ut en rimlig avgift för den.',
    refuse:
      'Om en begäran är uppenbart ogrundad eller orimlig kan vi vägra att tillmötesgå den, och vi förklarar varför.',
    charge_or_refuse:
      'Om en begäran är uppenbart ogrundad eller orimlig kan vi ta ut en rimlig avgift eller vägra att tillmötesgå den, och vi förklarar varför.',
  },
  complaintsIntro:
    'Du har rätt att lämna klagomål till en tillsynsmyndighet, särskilt i det EU- eller EES-land där du bor, där du arbetar eller där du anser att överträdelsen skedde. Den myndighet som ansvarar för oss är:',
  authorityLabels: {
    name: 'Myndighet',
    website: 'Webbplats',
    email: 'E-post',
    phone: 'Telefon',
    address: 'Adress',
  },
  complaintsInAnswers:
    'Varje svar vi ger på en begäran om dina rättigheter, även ett avslag, anger denna myndighet och din rätt att klaga.',
  complaintsNoNeed: 'Du behöver inte kontakta oss först, men vi försöker gärna lösa ditt ärende.',
  communicationsIntro:
    'Detta är de utskick vi kan skicka. Marknadsföring går bara till den som har samtyckt till den eller, där lagen tillåter det, som inte har invänt.',
  noCommunications: 'Vi skickar inga regelbundna utskick.',
  communicationTable: {
    caption: 'Utskick från oss',
    message: 'Utskick',
    kind: 'Typ',
    channel: 'Kanal',
    sender: 'Avsändare',
    permission: 'När vi skickar det',
    frequency: 'Hur ofta',
  },
  communicationKinds: { marketing: 'Marknadsföring', transactional: 'Tjänstemeddelande' },
  communicationChannels: {
    email: 'E-post',
    sms: 'Sms',
    post: 'Post',
    phone: 'Telefonsamtal',
    push: 'Pushnotis',
  },
  permissions: {
    opt_in: 'Endast med ditt samtycke',
    opt_out: 'Om du inte har invänt',
    not_applicable: 'Som en del av tjänsten',
  },
  doubleOptIn: 'du bekräftar först din adress',
  unsubscribe:
    'Varje marknadsföringsutskick talar om hur du stoppar det. I e-post räcker ett klick på avregistreringslänken för att stoppa just det utskicket till just den adressen, direkt och utan inloggning; dina andra prenumerationer och adresser påverkas inte.',
  objectAll:
    'Du kan också invända mot all marknadsföring från oss. Det gäller alla adresser och kanaler vi har för dig, och vi sparar en minimal uppgift om invändningen så att den gäller även sedan dina övriga uppgifter har raderats.',
  transactional:
    'Tjänstemeddelanden, till exempel orderbekräftelser, säkerhetsmeddelanden och meddelanden om ditt konto, är en del av tjänsten och kan inte stängas av så länge du använder den. De innehåller aldrig marknadsföring.',
  cookiesIntro:
    'Vi och vissa tredje parter lagrar små filer (cookies) och liknande uppgifter på din enhet. Nödvändiga cookies är alltid aktiva; alla andra kategorier används bara om du tillåter det, och du kan ändra ditt val när som helst från varje sida.',
  gpcHonoured:
    'Vi respekterar Global Privacy Control: om din webbläsare skickar den signalen behandlar vi den som ett nej till de kategorier som är markerade nedan.',
  gpcNotHonoured:
    'Vi agerar inte på signaler från Global Privacy Control; använd cookieinställningarna för att göra ditt val.',
  noCookies: 'Vi använder inte cookies eller liknande tekniker.',
  cookieAlwaysOn: 'Alltid aktiva: de är nödvändiga för att webbplatsen ska fungera.',
  cookieConsent: 'Används bara med ditt samtycke.',
  cookieGpc: 'En signal från Global Privacy Control stänger av denna kategori.',
  cookieTable: {
    caption: (category) => `Cookies: ${category}`,
    name: 'Namn',
    provider: 'Leverantör',
    party: 'Första- eller tredjepart',
    purpose: 'Ändamål',
    lifetime: 'Livslängd',
    kind: 'Typ',
  },
  firstParty: 'Förstapart',
  thirdParty: 'Tredjepart',
  session: 'Tills du stänger webbläsaren',
  cookieKinds: {
    cookie: 'Cookie',
    local_storage: 'Lokal lagring',
    session_storage: 'Sessionslagring',
    pixel: 'Pixel',
  },
  otherCookies: 'Övriga',
  children: (age, knowingly) =>
    knowingly
      ? `En del av vår behandling gäller barn under ${age} år. När den grundas på samtycke ber vi om samtycke från den som har föräldraansvar.`
      : `Våra tjänster riktar sig inte till barn under ${age} år, och vi samlar inte medvetet in deras personuppgifter. Om vi får veta att vi har uppgifter om ett barn under ${age} år slutar vi använda dem för marknadsföring och raderar dem.`,
  servicesIntro:
    'För tjänsterna nedan är vi endast personuppgiftsbiträde. Den organisation som tillhandahåller tjänsten till dig (din leverantör) bestämmer hur dina uppgifter används och är personuppgiftsansvarig. Kontakta din leverantör om dina uppgifter; om du kontaktar oss i stället skickar vi din begäran vidare och berättar vem leverantören är. Vi använder aldrig uppgifter från dessa tjänster för egna ändamål, till exempel marknadsföring.',
  serviceTable: {
    caption: 'Tjänster där vi är personuppgiftsbiträde',
    service: 'Tjänst',
    controller: 'Personuppgiftsansvarig (din leverantör)',
    contact: 'Så når du dem',
  },
  customerProvider: 'Den organisation som ger dig tillgång till tjänsten',
  providerNotice: 'Se din leverantörs integritetsmeddelande',
  controllerServices: (names) =>
    `Vi är personuppgiftsansvariga för dessa tjänster, och detta meddelande omfattar dem: ${stop(names)}`,
  relatedIntro:
    'Vissa av våra produkter har ett eget integritetsmeddelande, som gäller för dem i stället för detta:',
  covers: 'Omfattar',
  glossaryIntro: 'Vad begreppen i detta meddelande betyder.',
  terms: {
    personalData: [
      'Personuppgifter',
      'All information om en levande person som kan identifieras genom den, direkt eller tillsammans med andra uppgifter, till exempel ett namn, en e-postadress, en IP-adress eller en cookie-identifierare.',
    ],
    processing: [
      'Behandling',
      'Allt som görs med personuppgifter, till exempel att samla in, lagra, använda, dela eller radera dem.',
    ],
    dataSubject: [
      'Registrerad',
      (groups) =>
        `Den person som personuppgifterna gäller. Detta meddelande omfattar dessa grupper: ${stop(groups)}`,
    ],
    controller: [
      'Personuppgiftsansvarig',
      (name) =>
        `Den organisation som bestämmer varför och hur personuppgifter behandlas och som ansvarar för det; här ${stop(name)}`,
    ],
    processor: [
      'Personuppgiftsbiträde',
      'En organisation som behandlar personuppgifter för en personuppgiftsansvarigs räkning och endast enligt dennes instruktioner.',
    ],
    purpose: [
      'Ändamål',
      'Skälet till att personuppgifter behandlas. Varje ändamål i detta meddelande har en egen rättslig grund, egna uppgifter och en egen lagringstid.',
    ],
    legalBasis: [
      'Rättslig grund',
      (bases) =>
        `Den grund i artikel 6.1 GDPR som gör en behandling laglig. Varje ändamål har en, och den kan skilja sig mellan länder. Detta meddelande använder: ${stop(bases)}`,
    ],
    legitimateInterest: [
      'Berättigat intresse',
      'Ett intresse som vi eller någon annan har, till exempel att driva och utveckla en verksamhet, som kan motivera behandling utan samtycke, men bara när det har vägts mot dina rättigheter och friheter och de inte väger tyngre.',
    ],
    consent: [
      'Samtycke',
      'Ditt frivilliga, specifika, informerade och otvetydiga godkännande, genom ett uttalande eller en tydlig handling, av behandling för ett angivet ändamål. Du kan när som helst återkalla det.',
    ],
    recipient: ['Mottagare', 'Den som personuppgifter lämnas ut till, inom eller utanför vår koncern.'],
    transfer: [
      'Överföring',
      'Att göra personuppgifter tillgängliga för en mottagare i ett land utanför Europeiska ekonomiska samarbetsområdet.',
    ],
    authority: [
      'Tillsynsmyndighet',
      (name) => `Den oberoende myndighet som övervakar dataskyddsreglerna; för oss ${stop(name)}`,
    ],
  },
  basisDefinitions: {
    consent:
      'Du har godkänt behandlingen för ett angivet ändamål och kan när som helst återkalla godkännandet.',
    contract:
      'Behandlingen behövs för att fullgöra ett avtal med dig, eller för åtgärder som du har begärt innan ett avtal ingås.',
    legal_obligation: 'En lag kräver att vi behandlar uppgifterna.',
    vital_interests: 'Behandlingen behövs för att skydda någons liv eller fysiska säkerhet.',
    public_task:
      'Behandlingen behövs för en uppgift av allmänt intresse eller som ett led i myndighetsutövning.',
    legitimate_interests:
      'Behandlingen behövs för ett intresse som vi eller en tredje part har och som dina rättigheter inte väger tyngre än; vi dokumenterar den bedömningen för varje sådant ändamål.',
  },
  versionLabels: {
    version: 'Version',
    effective: 'Gäller från',
    hash: 'Innehållets fingeravtryck (SHA-256)',
    archive: 'Tidigare versioner',
  },
  versionChanges: 'När vi ändrar detta meddelande publicerar vi en ny version med eget datum.',
  archiveLink: 'Läs tidigare versioner',
};

const wordings = { en, sv } as const;

// ---------------------------------------------------------------------------------------------
// Building the notice from the declaration

type Address = NonNullable<Declaration['controller']['establishment']['address']>;

function formatAddress(address: Address, language: string): string {
  const locality = [address.postalCode, address.locality].join(' ');
  return [address.street, locality, address.region, countryName(address.country, language)]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(', ');
}

/** A contact value as a link where it is one (web address, email), else as text. */
function contactValue(channel: ContactChannel, value: string): Inline {
  if (channel === 'web') return link(value, value);
  if (channel === 'email') return link(value, `mailto:${value}`);
  return value;
}

class NoticeBuilder {
  private readonly d: Declaration;
  private readonly w: Words;

  constructor(
    private readonly model: PolicyModel,
    private readonly lang: string,
    private readonly privacyCentreUrl?: string,
  ) {
    this.d = model.declaration;
    this.w = wordings[wordingFor(lang)];
  }

  private t(text: Parameters<typeof localise>[0]): string {
    return localise(text, this.lang);
  }

  private purposeLink(purpose: Purpose): Inline {
    return anchorTo(this.t(purpose.name), `purpose-${purpose.id}`);
  }

  private purposeLinks(purposes: readonly Purpose[]): Rich {
    return purposes.length === 0
      ? this.w.none
      : joinRich(
          purposes.map((x) => [this.purposeLink(x)]),
          ', ',
        );
  }

  private categoryLabel(key: string): string {
    const name = categoryName(this.model, key, this.lang);
    return this.model.categories.get(key)?.special === true ? `${name} (${this.w.special})` : name;
  }

  private sourceName(id: string): string {
    const source = this.d.sources.find((s) => s.id === id);
    if (source === undefined) return id;
    const isPublic = source.type === 'public' || source.type === 'social_network';
    return isPublic ? `${this.t(source.name)} (${this.w.publiclyAccessible})` : this.t(source.name);
  }

  build(versionInfo: NoticeVersionInfo | undefined): NoticeDocument {
    const version = versionInfo ?? { version: this.d.version, effectiveDate: this.d.effectiveDate };
    const sections = [
      this.controller(),
      this.purposes(),
      this.data(),
      this.subjects(),
      this.sources(),
      this.recipients(),
      this.transfers(),
      this.systems(),
      this.retention(),
      this.requirement(),
      this.automated(),
      this.rights(),
      this.complaints(),
      this.communications(),
      this.cookies(),
      this.children(),
      this.services(),
      this.related(),
      this.glossary(),
      this.version(version),
    ].filter((s): s is Section => s !== undefined);
    return {
      lang: this.lang,
      title: this.t(this.d.title),
      meta: this.w.meta(version.version, version.effectiveDate),
      intro: this.w.intro(this.d.controller.name),
      contents: this.w.contents,
      sections,
    };
  }

  private heading(key: SectionKey): [string, string] {
    return [sectionIds[key], this.w.headings[key]];
  }

  private controller(): Section {
    const c = this.d.controller;
    const w = this.w;
    const parent = c.parent;
    const parentText =
      parent === undefined
        ? ''
        : [
            parent.legalForm === undefined ? parent.name : `${parent.name} (${parent.legalForm})`,
            countryName(parent.country, this.lang),
            ...(parent.registrationNumber === undefined
              ? []
              : [w.registrationNumber(parent.registrationNumber)]),
            ...(parent.address === undefined ? [] : [formatAddress(parent.address, this.lang)]),
          ].join(', ');
    const rep = c.representative;
    const dpo = c.dpo;
    const dpoValue: Inline[] =
      dpo === undefined
        ? []
        : joinRich(
            [
              ...(dpo.name === undefined ? [] : [dpo.name]),
              ...(dpo.email === undefined ? [] : [[link(dpo.email, `mailto:${dpo.email}`)]]),
              ...(dpo.address === undefined ? [] : [formatAddress(dpo.address, this.lang)]),
            ],
            ', ',
          );
    const contacts = c.contacts.map((contact): Rich => {
      const uses = (contact.purposes ?? []).map((x) => w.contactPurposes[x]);
      return [
        `${w.channels[contact.channel]}: `,
        contactValue(contact.channel, contact.value),
        ...(uses.length === 0 ? [] : [` (${joinWords(uses, this.lang)})`]),
      ];
    });
    return section(...this.heading('controller'), [
      p(w.controllerIntro(c.name)),
      facts([
        {
          label: w.controllerLabels.name,
          value: c.shortName === undefined ? c.name : `${c.name} (${c.shortName})`,
        },
        c.legalForm === undefined ? undefined : { label: w.controllerLabels.legalForm, value: c.legalForm },
        c.registrationNumber === undefined
          ? undefined
          : { label: w.controllerLabels.registration, value: c.registrationNumber },
        { label: w.controllerLabels.parent, value: parentText },
        { label: w.controllerLabels.establishment, value: formatAddress(c.establishment.address, this.lang) },
        rep === undefined
          ? undefined
          : {
              label: w.controllerLabels.representative,
              value: [
                rep.name,
                ...(rep.address === undefined ? [] : [formatAddress(rep.address, this.lang)]),
              ].join(', '),
            },
        { label: w.controllerLabels.dpo, value: dpoValue.length === 0 ? w.noDpo : dpoValue },
      ]),
      p(w.contactUs),
      list(contacts),
    ]);
  }

  private purposes(): Section {
    const w = this.w;
    const purposes = this.d.purposes;
    const children = purposes.map((purpose) => this.purpose(purpose));
    return section(
      ...this.heading('purposes'),
      [
        p(w.purposesIntro),
        table(
          w.purposeTable.caption,
          [w.purposeTable.purpose, w.purposeTable.basis],
          purposes.map((x) => [[this.purposeLink(x)], describeBases(x, this.lang)]),
        ),
      ],
      children,
    );
  }

  private purpose(purpose: Purpose): Section {
    const w = this.w;
    const labels = w.purposeLabels;
    const recipients = recipientsOf(this.model, purpose);
    const transfers = transfersTo(recipients);
    const retention = retentionEntries(this.model, purpose);
    const rules = new Set(retention.map((r) => r.rule));
    const [onlyRule] = rules;
    const retentionText =
      rules.size === 1 && onlyRule !== undefined
        ? describeRetention(onlyRule, this.lang, this.d)
        : retention
            .map(
              (r) =>
                `${this.categoryLabel(r.category)}: ${r.rule === undefined ? w.noRule : describeRetention(r.rule, this.lang, this.d)}`,
            )
            .join('; ');
    const subjects = purpose.subjectCategories.map((id) => {
      const subject = this.d.subjectCategories.find((s) => s.id === id);
      return subject === undefined ? id : this.t(subject.name);
    });
    const services = (purpose.services ?? []).map(
      (id) => this.d.services.find((s) => s.id === id)?.name ?? id,
    );
    const points = (purpose.collectionPoints ?? []).map((id) => {
      const point = this.d.collectionPoints.find((x) => x.id === id);
      return point === undefined ? id : this.t(point.name);
    });
    const bases = this.model.basesOf(purpose);
    return section(`purpose-${purpose.id}`, this.t(purpose.name), [
      p(this.t(purpose.description)),
      ...(purpose.publicContent === true ? [p(w.publicContent)] : []),
      facts([
        { label: labels.basis, value: describeBases(purpose, this.lang) },
        purpose.legitimateInterest === undefined || !bases.includes('legitimate_interests')
          ? undefined
          : { label: labels.interest, value: this.t(purpose.legitimateInterest.interest) },
        purpose.statutoryObligation === undefined
          ? undefined
          : { label: labels.obligation, value: purpose.statutoryObligation },
        { label: labels.data, value: purpose.categories.map((k) => this.categoryLabel(k)).join(', ') },
        { label: labels.subjects, value: subjects.join(', ') },
        { label: labels.sources, value: (purpose.sources ?? []).map((id) => this.sourceName(id)).join(', ') },
        {
          label: labels.recipients,
          value: recipients.map((r) => `${this.t(r.name)} (${w.recipientTypes[r.type]})`).join(', '),
        },
        {
          label: labels.transfers,
          value: transfers
            .map(
              (x) =>
                `${this.t(x.recipient.name)}, ${countryName(x.country, this.lang)}: ${
                  x.mechanism === undefined ? w.noMechanism : describeMechanism(x.mechanism, this.lang)
                }`,
            )
            .join('; '),
        },
        { label: labels.retention, value: retentionText },
        { label: labels.requirement, value: w.requirement[purpose.requirement ?? 'none'] },
        { label: labels.services, value: services.join(', ') },
        {
          label: labels.systems,
          value: systemsOf(this.model, purpose)
            .map((x) => `${this.t(x.name)} (${countryName(x.hosting.country, this.lang)})`)
            .join(', '),
        },
        bases.includes('consent') ? { label: labels.consentAt, value: points.join(', ') } : undefined,
        purpose.automatedDecisions === undefined
          ? undefined
          : {
              label: labels.automated,
              value: [anchorTo(this.t(purpose.automatedDecisions.logic), sectionIds.automated)],
            },
        purpose.directMarketing === true ? { label: labels.objection, value: w.directMarketing } : undefined,
      ]),
    ]);
  }

  private usedCategories(): string[] {
    return [...new Set(this.d.purposes.flatMap((x) => x.categories))];
  }

  private data(): Section {
    const w = this.w;
    const rows = this.usedCategories().map((key): Rich[] => [
      this.categoryLabel(key),
      this.purposeLinks(this.d.purposes.filter((x) => x.categories.includes(key))),
    ]);
    return section(...this.heading('data'), [
      p(w.dataIntro),
      table(w.dataTable.caption, [w.dataTable.category, w.dataTable.purposes], rows),
    ]);
  }

  private subjects(): Section {
    const w = this.w;
    const rows = this.d.subjectCategories.map((s): Rich[] => [
      this.t(s.name),
      s.description === undefined ? w.none : this.t(s.description),
      this.purposeLinks(this.d.purposes.filter((x) => x.subjectCategories.includes(s.id))),
    ]);
    return section(...this.heading('subjects'), [
      p(w.subjectsIntro),
      table(
        w.subjectTable.caption,
        [w.subjectTable.group, w.subjectTable.description, w.subjectTable.purposes],
        rows,
      ),
    ]);
  }

  private sources(): Section {
    const w = this.w;
    const rows = this.d.sources.map((s): Rich[] => {
      const isPublic = s.type === 'public' || s.type === 'social_network';
      const description = s.description === undefined ? '' : ` — ${this.t(s.description)}`;
      const categories = s.categories ?? [
        ...new Set(
          this.d.purposes.filter((x) => (x.sources ?? []).includes(s.id)).flatMap((x) => x.categories),
        ),
      ];
      return [
        `${this.t(s.name)}${description}`,
        w.sourceTypes[s.type],
        isPublic ? w.yes : w.no,
        s.organisation ?? w.none,
        categories.length === 0 ? w.none : categories.map((k) => this.categoryLabel(k)).join(', '),
      ];
    });
    const indirect = this.d.sources.some((s) => s.type !== 'direct');
    const t = w.sourceTable;
    return section(...this.heading('sources'), [
      p(w.sourcesIntro),
      table(t.caption, [t.source, t.type, t.public, t.supplier, t.data], rows),
      ...(indirect ? [p(w.sourcesNotice)] : []),
    ]);
  }

  private recipients(): Section {
    const w = this.w;
    const t = w.recipientTable;
    if (this.d.recipients.length === 0) return section(...this.heading('recipients'), [p(w.noRecipients)]);
    const rows = this.d.recipients.map((r): Rich[] => [
      r.description === undefined ? this.t(r.name) : `${this.t(r.name)} — ${this.t(r.description)}`,
      w.recipientTypes[r.type],
      r.countries.map((c) => countryName(c, this.lang)).join(', '),
      this.purposeLinks(purposesOfRecipient(this.model, r)),
    ]);
    return section(...this.heading('recipients'), [
      p(w.recipientsIntro),
      table(t.caption, [t.recipient, t.type, t.countries, t.purposes], rows),
    ]);
  }

  private transfers(): Section {
    const w = this.w;
    const t = w.transferTable;
    const transfers = transfersTo(this.d.recipients);
    if (transfers.length === 0) return section(...this.heading('transfers'), [p(w.noTransfers)]);
    const rows = transfers.map((x): Rich[] => {
      const mechanism = x.mechanism === undefined ? w.noMechanism : describeMechanism(x.mechanism, this.lang);
      const copy: Rich =
        x.mechanism === 'adequacy'
          ? w.notNeeded
          : x.safeguardsUrl === undefined
            ? [anchorTo(w.copyOnRequest, sectionIds.controller)]
            : [link(x.safeguardsUrl, x.safeguardsUrl)];
      return [
        this.t(x.recipient.name),
        `${countryName(x.country, this.lang)} (${x.country})`,
        x.reference === undefined ? mechanism : `${mechanism}; ${x.reference}`,
        copy,
      ];
    });
    return section(...this.heading('transfers'), [
      p(w.transfersIntro),
      table(t.caption, [t.recipient, t.country, t.safeguard, t.copy], rows),
    ]);
  }

  /** Where the data is kept: the controller-role systems, omitted when none is declared. */
  private systems(): Section | undefined {
    const w = this.w;
    const t = w.systemTable;
    const systems = controllerSystems(this.model);
    if (systems.length === 0) return undefined;
    const rows = systems.map((x): Rich[] => [
      x.description === undefined ? this.t(x.name) : `${this.t(x.name)} — ${this.t(x.description)}`,
      countryName(x.hosting.country, this.lang),
      describeOperator(this.model, x, this.lang),
      this.purposeLinks(this.d.purposes.filter((purpose) => x.purposes.includes(purpose.id))),
    ]);
    return section(...this.heading('systems'), [
      p(w.systemsIntro),
      table(t.caption, [t.system, t.country, t.operator, t.purposes], rows),
    ]);
  }

  private retention(): Section {
    const w = this.w;
    const t = w.retentionTable;
    const rows = this.d.purposes.flatMap((purpose) =>
      retentionEntries(this.model, purpose).map((entry): Rich[] => [
        [this.purposeLink(purpose)],
        this.categoryLabel(entry.category),
        entry.rule === undefined ? w.noRule : describeRetentionPeriod(entry.rule, this.lang, this.d),
        entry.rule === undefined ? w.none : (entry.rule.statutory ?? w.none),
        entry.rule === undefined ? w.none : entry.rule.rationale,
      ]),
    );
    return section(...this.heading('retention'), [
      p(w.retentionIntro),
      table(t.caption, [t.purpose, t.data, t.period, t.law, t.reason], rows),
      p(w.legalHold),
    ]);
  }

  private requirement(): Section {
    const w = this.w;
    return section(...this.heading('requirement'), [
      p(w.requirementIntro),
      list(this.d.purposes.map((x) => [this.purposeLink(x), `: ${w.requirement[x.requirement ?? 'none']}`])),
    ]);
  }

  private automated(): Section {
    const w = this.w;
    const deciding = this.d.purposes.filter((x) => x.automatedDecisions !== undefined);
    if (deciding.length === 0) return section(...this.heading('automated'), [p(w.automatedNone)]);
    return section(...this.heading('automated'), [
      p(w.automatedIntro),
      ...deciding.flatMap((x) => {
        const a = x.automatedDecisions;
        if (a === undefined) return [];
        return [
          p([this.purposeLink(x)]),
          facts([
            { label: w.automatedLabels.logic, value: this.t(a.logic) },
            { label: w.automatedLabels.significance, value: this.t(a.significance) },
            { label: w.automatedLabels.consequences, value: this.t(a.consequences) },
          ]),
        ];
      }),
      p(w.automatedRights),
    ]);
  }

  private rights(): Section {
    const w = this.w;
    const r = this.d.rights;
    const withBasis = (...bases: LegalBasis[]) =>
      this.d.purposes.filter((x) => this.model.basesOf(x).some((b) => bases.includes(b)));
    const applies = (text: string, purposes: readonly Purpose[]): Rich =>
      purposes.length === 0
        ? text
        : [
            `${text} ${w.appliesTo}: `,
            ...joinRich(
              purposes.map((x) => [this.purposeLink(x)]),
              ', ',
            ),
          ];
    const contactFor = (channel: ContactChannel) => {
      const matching = this.d.controller.contacts.filter((c) => c.channel === channel);
      return matching.find((c) => (c.purposes ?? []).includes('rights')) ?? matching[0];
    };
    const channels = r.channels.map((channel): Rich => {
      const contact =
        channel === 'email' || channel === 'post' || channel === 'phone' ? contactFor(channel) : undefined;
      if (channel === 'privacy_centre' && this.privacyCentreUrl !== undefined)
        return [link(w.rightsChannels[channel], this.privacyCentreUrl)];
      return contact === undefined
        ? w.rightsChannels[channel]
        : [`${w.rightsChannels[channel]}: `, contactValue(contact.channel, contact.value)];
    });
    const webForms = this.d.controller.contacts
      .filter((c) => c.channel === 'web' && (c.purposes ?? []).includes('rights'))
      .map((c): Rich => [`${w.channels.web}: `, contactValue('web', c.value)]);
    const fees = r.fees;
    const furtherCopy =
      fees.furtherCopy === undefined
        ? []
        : [
            w.furtherCopy(
              new Intl.NumberFormat(this.lang, {
                style: 'currency',
                currency: fees.furtherCopy.currency,
              }).format(fees.furtherCopy.amount),
            ),
          ];
    return section(...this.heading('rights'), [
      p(w.rightsIntro),
      list([
        w.rights.access,
        w.rights.rectification,
        w.rights.erasure,
        w.rights.restriction,
        applies(w.rights.objection, withBasis('legitimate_interests', 'public_task')),
        applies(
          w.rights.marketingObjection,
          this.d.purposes.filter((x) => x.directMarketing === true),
        ),
        applies(w.rights.portability, withBasis('consent', 'contract')),
        applies(w.rights.withdrawal, withBasis('consent')),
        w.rights.automated,
      ]),
      p(w.rightsHow),
      list([...webForms, ...channels]),
      p(w.deadline(describeDuration(r.deadline, this.lang), describeDuration(r.maxExtension, this.lang))),
      p(w.identity),
      p(
        [fees.firstCopyFree ? w.firstCopyFree : w.copyFee, ...furtherCopy, w.excessive[fees.excessive]].join(
          ' ',
        ),
      ),
    ]);
  }

  private complaints(): Section {
    const w = this.w;
    const a = this.d.controller.supervisoryAuthority;
    return section(...this.heading('complaints'), [
      p(w.complaintsIntro),
      facts([
        { label: w.authorityLabels.name, value: `${a.name}, ${countryName(a.country, this.lang)}` },
        { label: w.authorityLabels.website, value: [link(a.website, a.website)] },
        a.email === undefined
          ? undefined
          : { label: w.authorityLabels.email, value: [link(a.email, `mailto:${a.email}`)] },
        a.phone === undefined ? undefined : { label: w.authorityLabels.phone, value: a.phone },
        a.address === undefined
          ? undefined
          : { label: w.authorityLabels.address, value: formatAddress(a.address, this.lang) },
      ]),
      p(w.complaintsInAnswers),
      p(w.complaintsNoNeed),
    ]);
  }

  private permissionText(c: Communication): string {
    const w = this.w;
    const permission = c.permission;
    const text =
      typeof permission === 'string'
        ? w.permissions[permission]
        : Object.entries(permission)
            .sort(([a], [b]) => Number(a === 'default') - Number(b === 'default'))
            .map(([j, v]) => `${describeJurisdiction(j, this.lang)}: ${w.permissions[v]}`)
            .join('; ');
    return c.doubleOptIn && c.kind === 'marketing' ? `${text} (${w.doubleOptIn})` : text;
  }

  private communications(): Section {
    const w = this.w;
    const t = w.communicationTable;
    const comms = this.d.communications;
    if (comms.length === 0) return section(...this.heading('communications'), [p(w.noCommunications)]);
    const rows = comms.map((c): Rich[] => {
      const purpose = this.model.purposes.get(c.purpose);
      const name =
        c.description === undefined ? this.t(c.name) : `${this.t(c.name)} — ${this.t(c.description)}`;
      return [
        purpose === undefined ? name : [name, ' (', this.purposeLink(purpose), ')'],
        w.communicationKinds[c.kind],
        w.communicationChannels[c.channel],
        c.sender,
        this.permissionText(c),
        c.frequency ?? w.none,
      ];
    });
    const marketing = comms.some((c) => c.kind === 'marketing');
    const transactional = comms.some((c) => c.kind === 'transactional');
    return section(...this.heading('communications'), [
      p(w.communicationsIntro),
      table(t.caption, [t.message, t.kind, t.channel, t.sender, t.permission, t.frequency], rows),
      ...(marketing ? [p(w.unsubscribe), p(w.objectAll)] : []),
      ...(transactional ? [p(w.transactional)] : []),
    ]);
  }

  private cookies(): Section {
    const w = this.w;
    const { categories, items } = this.d.cookies;
    if (items.length === 0) return section(...this.heading('cookies'), [p(w.noCookies)]);
    const gpc = this.d.gpc.honoured;
    const known = new Set(categories.map((c) => c.id));
    const groups = [
      ...categories.map((c) => ({
        id: c.id,
        category: c as (typeof categories)[number] | undefined,
        name: this.t(c.name),
      })),
      ...[...new Set(items.map((i) => i.category).filter((id) => !known.has(id)))].map((id) => ({
        id,
        category: undefined,
        name: `${w.otherCookies} (${id})`,
      })),
    ];
    const t = w.cookieTable;
    const children = groups.flatMap((group) => {
      const cookies = items.filter((i) => i.category === group.id);
      if (cookies.length === 0 && group.category === undefined) return [];
      const c = group.category;
      const status = [
        ...(c === undefined ? [] : [c.required ? w.cookieAlwaysOn : w.cookieConsent]),
        ...(c !== undefined && gpc && c.gpcOptOut && !c.required ? [w.cookieGpc] : []),
      ].join(' ');
      const rows = cookies.map((cookie): Rich[] => {
        const purpose = this.model.purposes.get(cookie.purpose);
        const description = cookie.description === undefined ? [] : [` — ${this.t(cookie.description)}`];
        return [
          cookie.name,
          cookie.provider,
          cookie.firstParty ? w.firstParty : w.thirdParty,
          [purpose === undefined ? cookie.purpose : this.purposeLink(purpose), ...description],
          cookie.lifetime === 'session' ? w.session : describeDuration(cookie.lifetime, this.lang),
          w.cookieKinds[cookie.kind],
        ];
      });
      return [
        section(`cookies-${group.id}`, group.name, [
          ...(c === undefined ? [] : [p(this.t(c.description))]),
          ...(status === '' ? [] : [p(status)]),
          ...(rows.length === 0
            ? []
            : [
                table(
                  t.caption(group.name),
                  [t.name, t.provider, t.party, t.purpose, t.lifetime, t.kind],
                  rows,
                ),
              ]),
        ]),
      ];
    });
    return section(
      ...this.heading('cookies'),
      [p(w.cookiesIntro), p(gpc ? w.gpcHonoured : w.gpcNotHonoured)],
      children,
    );
  }

  private children(): Section {
    const c = this.d.children;
    return section(...this.heading('children'), [p(this.w.children(c.ageThreshold, c.knowinglyCollects))]);
  }

  private services(): Section | undefined {
    const w = this.w;
    const t = w.serviceTable;
    const services = this.d.services;
    if (services.length === 0) return undefined;
    const processor = services.filter((s) => s.role === 'processor');
    // A controller service with its own declaration is covered by that notice (C1.3), not this one.
    const controller = services.filter(
      (s) => s.role === 'controller' && (s.declaration === undefined || s.declaration === this.d.id),
    );
    if (processor.length === 0 && controller.length === 0) return undefined;
    const rows = processor.map((s): Rich[] => {
      const provider = s.provider;
      const name = s.description === undefined ? s.name : `${s.name} — ${this.t(s.description)}`;
      const who =
        provider === undefined || provider.kind === 'customer'
          ? w.customerProvider
          : [
              provider.name ?? w.customerProvider,
              ...(provider.description === undefined ? [] : [this.t(provider.description)]),
            ].join(' — ');
      const contact: Rich =
        provider?.contact !== undefined
          ? [contactValue(/^[^@\s/]+@[^@\s/]+$/.test(provider.contact) ? 'email' : 'web', provider.contact)]
          : s.noticeUrl !== undefined
            ? [link(s.noticeUrl, s.noticeUrl)]
            : w.providerNotice;
      return [name, who, contact];
    });
    return section(...this.heading('services'), [
      ...(processor.length === 0
        ? []
        : [p(w.servicesIntro), table(t.caption, [t.service, t.controller, t.contact], rows)]),
      ...(controller.length === 0 ? [] : [p(w.controllerServices(controller.map((s) => s.name).join(', ')))]),
    ]);
  }

  private related(): Section | undefined {
    const w = this.w;
    const related = this.d.relatedDeclarations;
    if (related.length === 0) return undefined;
    const items = related.map((r): Rich => {
      const title = this.t(r.title);
      const covered = this.d.services.filter((s) => s.declaration === r.id).map((s) => s.name);
      return [
        r.url === undefined ? title : link(title, r.url),
        ...(covered.length === 0 ? [] : [` (${w.covers}: ${covered.join(', ')})`]),
      ];
    });
    return section(...this.heading('related'), [p(w.relatedIntro), list(items)]);
  }

  private glossary(): Section {
    const w = this.w;
    const terms = w.terms;
    const used = basesInUse(this.model);
    const basisTerm = (b: LegalBasis) =>
      `${basisName(b, this.lang)} (${describeArticle(legalBasisTerms[b].article, this.lang)})`;
    const groups = joinWords(
      this.d.subjectCategories.map((s) => this.t(s.name)),
      this.lang,
    );
    return section(...this.heading('glossary'), [
      p(w.glossaryIntro),
      facts([
        { label: terms.personalData[0], value: terms.personalData[1] },
        { label: terms.processing[0], value: terms.processing[1] },
        { label: terms.dataSubject[0], value: terms.dataSubject[1](groups) },
        { label: terms.controller[0], value: terms.controller[1](this.d.controller.name) },
        { label: terms.processor[0], value: terms.processor[1] },
        { label: terms.purpose[0], value: terms.purpose[1] },
        {
          label: terms.legalBasis[0],
          value: terms.legalBasis[1](
            joinWords(
              used.map((b) => describeBasis(b, this.lang)),
              this.lang,
            ),
          ),
        },
        ...used.map((b) => ({ label: basisTerm(b), value: w.basisDefinitions[b] })),
        { label: terms.legitimateInterest[0], value: terms.legitimateInterest[1] },
        { label: terms.consent[0], value: terms.consent[1] },
        { label: terms.recipient[0], value: terms.recipient[1] },
        { label: terms.transfer[0], value: terms.transfer[1] },
        { label: terms.authority[0], value: terms.authority[1](this.d.controller.supervisoryAuthority.name) },
      ]),
    ]);
  }

  private version(info: NoticeVersionInfo): Section {
    const w = this.w;
    return section(...this.heading('version'), [
      facts([
        { label: w.versionLabels.version, value: info.version },
        { label: w.versionLabels.effective, value: info.effectiveDate },
        info.contentHash === undefined ? undefined : { label: w.versionLabels.hash, value: info.contentHash },
        info.archiveUrl === undefined
          ? undefined
          : { label: w.versionLabels.archive, value: [link(w.archiveLink, info.archiveUrl)] },
      ]),
      p(w.versionChanges),
    ]);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing HTML

function inlineHtml(item: Inline): string {
  if (typeof item === 'string') return escapeHtml(item);
  if ('anchor' in item) return `<a href="#${escapeHtml(item.anchor)}">${escapeHtml(item.text)}</a>`;
  const href = safeHref(item.href);
  return href === undefined
    ? escapeHtml(item.text)
    : `<a href="${escapeHtml(href)}">${escapeHtml(item.text)}</a>`;
}

function richHtml(rich: Rich): string {
  return typeof rich === 'string' ? escapeHtml(rich) : rich.map(inlineHtml).join('');
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'p':
      return `<p>${richHtml(block.content)}</p>`;
    case 'list':
      return `<ul>\n${block.items.map((i) => `<li>${richHtml(i)}</li>`).join('\n')}\n</ul>`;
    case 'facts':
      return `<dl>\n${block.items
        .map((i) => `<div><dt>${escapeHtml(i.label)}</dt><dd>${richHtml(i.value)}</dd></div>`)
        .join('\n')}\n</dl>`;
    case 'table': {
      const head = block.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
      const rows = block.rows.map(
        (row) =>
          `<tr>${row
            .map((cell, i) =>
              i === 0 ? `<th scope="row">${richHtml(cell)}</th>` : `<td>${richHtml(cell)}</td>`,
            )
            .join('')}</tr>`,
      );
      return [
        '<table>',
        `<caption>${escapeHtml(block.caption)}</caption>`,
        `<thead><tr>${head}</tr></thead>`,
        `<tbody>\n${rows.join('\n')}\n</tbody>`,
        '</table>',
      ].join('\n');
    }
  }
}

function sectionHtml(s: Section, level: number): string {
  const id = escapeHtml(s.id);
  return [
    `<section id="${id}" aria-labelledby="${id}-heading">`,
    `<h${level} id="${id}-heading">${escapeHtml(s.title)}</h${level}>`,
    ...s.blocks.map(blockHtml),
    ...s.children.map((c) => sectionHtml(c, level + 1)),
    '</section>',
  ].join('\n');
}

function tocHtml(sections: readonly Section[]): string {
  const items = sections.map((s) => {
    const sub = s.children.length === 0 ? '' : `\n${tocHtml(s.children)}\n`;
    return `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>${sub}</li>`;
  });
  return `<ol>\n${items.join('\n')}\n</ol>`;
}

function documentHtml(doc: NoticeDocument): string {
  const body = [
    '<main id="main">',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="meta">${escapeHtml(doc.meta)}</p>`,
    `<p>${escapeHtml(doc.intro)}</p>`,
    '<nav aria-labelledby="contents-heading">',
    `<h2 id="contents-heading">${escapeHtml(doc.contents)}</h2>`,
    tocHtml(doc.sections),
    '</nav>',
    ...doc.sections.map((s) => sectionHtml(s, 2)),
    '</main>',
  ].join('\n');
  return htmlPage({ lang: doc.lang, title: doc.title, body });
}

// ---------------------------------------------------------------------------------------------
// Writing Markdown

function inlineMd(item: Inline, atLineStart = false): string {
  if (typeof item === 'string') return escapeMarkdown(item, atLineStart);
  if ('anchor' in item) return `[${escapeMarkdown(item.text)}](#${item.anchor})`;
  const href = safeHref(item.href);
  return href === undefined
    ? escapeMarkdown(item.text)
    : `[${escapeMarkdown(item.text)}](${markdownHref(href)})`;
}

function richMd(rich: Rich, atLineStart = false): string {
  if (typeof rich === 'string') return escapeMarkdown(rich, atLineStart);
  return rich.map((item, i) => inlineMd(item, atLineStart && i === 0)).join('');
}

function blockMd(block: Block): string {
  switch (block.kind) {
    case 'p':
      return richMd(block.content, true);
    case 'list':
      return block.items.map((i) => `- ${richMd(i)}`).join('\n');
    case 'facts':
      return block.items.map((i) => `- **${escapeMarkdown(i.label)}:** ${richMd(i.value)}`).join('\n');
    case 'table': {
      const row = (cells: readonly string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
      return [
        `*${escapeMarkdown(block.caption)}*`,
        '',
        row(block.head.map((h) => escapeMarkdown(h))),
        row(block.head.map(() => '---')),
        ...block.rows.map((r) => row(r.map((cell) => richMd(cell)))),
      ].join('\n');
    }
  }
}

function sectionMd(s: Section, level: number): string {
  return [
    `<a id="${s.id}"></a>`,
    '',
    `${'#'.repeat(level)} ${escapeMarkdown(s.title)}`,
    '',
    ...s.blocks.flatMap((b) => [blockMd(b), '']),
    ...s.children.map((c) => sectionMd(c, level + 1)),
  ].join('\n');
}

function tocMd(sections: readonly Section[], indent = ''): string[] {
  return sections.flatMap((s, i) => {
    const marker = `${i + 1}. `;
    // A nested list must start where the parent item's text starts, or it does not nest.
    return [
      `${indent}${marker}[${escapeMarkdown(s.title)}](#${s.id})`,
      ...tocMd(s.children, indent + ' '.repeat(marker.length)),
    ];
  });
}

function documentMd(doc: NoticeDocument): string {
  return [
    `# ${escapeMarkdown(doc.title)}`,
    '',
    escapeMarkdown(doc.meta, true),
    '',
    escapeMarkdown(doc.intro, true),
    '',
    `## ${escapeMarkdown(doc.contents)}`,
    '',
    ...tocMd(doc.sections),
    '',
    ...doc.sections.map((s) => sectionMd(s, 2)),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .concat('\n');
}

/**
 * Renders the privacy notice of a declaration as a complete HTML page or as Markdown.
 *
 * Section anchors are stable: `controller`, `purposes`, `purpose-<id>` for each purpose,
 * `transfers`, `retention`, `rights`, `complaints`, `cookies`, `cookies-<category>`, `glossary`,
 * `version` and so on. Every declaration value is escaped for the output format.
 *
 * @example renderNotice(model, { format: 'html', language: 'sv' })
 */
export function renderNotice(model: PolicyModel, options: NoticeOptions): string {
  const lang = languageOf(model, options.language);
  const doc = new NoticeBuilder(model, lang, options.privacyCentreUrl).build(options.versionInfo);
  return options.format === 'html' ? documentHtml(doc) : documentMd(doc);
}
