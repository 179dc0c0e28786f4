/**
 * The declaration: a company's privacy policy as data.
 *
 * One Zod schema gives the runtime check, the TypeScript types (`z.infer`) and the JSON Schema
 * that editors use for completion (`steward policy schema`). Objects are strict, so a misspelt
 * key is an error rather than a silently ignored setting. Cross-references (a purpose naming a
 * recipient, a retention rule naming a category) are checked by the lint rules in `lint.ts`,
 * which can report every problem at once with a path and a line.
 */
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_", starting with a letter')
  .describe('Identifier referenced elsewhere in the declaration');

/** ISO 8601 duration such as P30D, P6M, P2Y or P1Y6M. */
export const isoDuration = z
  .string()
  .regex(
    /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/,
    'must be an ISO 8601 duration such as P30D, P6M or P2Y',
  );

const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as SE or US');

/** A jurisdiction: an ISO country code, `EEA`, or `default` for everywhere else. */
const jurisdiction = z
  .string()
  .regex(/^([A-Z]{2}(-[A-Z0-9]{1,3})?|EEA|default)$/, 'must be a country code (SE, US-CA), EEA or default');

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

/** Text that may be translated: a plain string (default language) or one string per language. */
export const localText = z.union([
  z.string().min(1),
  z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), z.string().min(1)),
]);
export type LocalText = z.infer<typeof localText>;

export const legalBases = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;
export const legalBasis = z.enum(legalBases);
export type LegalBasis = z.infer<typeof legalBasis>;

/** A value that may differ by jurisdiction: `{ default: x, SE: y }` or just `x`. */
function byJurisdiction<T extends z.ZodType>(value: T) {
  return z.union([value, z.record(jurisdiction, value)]);
}

/** Who an offering or a communication is for: businesses (their representatives), consumers, or both. */
export const audiences = ['businesses', 'consumers', 'both'] as const;
export const audience = z.enum(audiences);

const postalAddress = z.strictObject({
  street: z.string().min(1),
  postalCode: z.string().min(1),
  locality: z.string().min(1),
  region: z.string().optional(),
  country: countryCode,
});

const contactChannel = z.strictObject({
  channel: z.enum(['web', 'email', 'post', 'phone']),
  value: z.string().min(1).describe('URL, email address, phone number or postal address as one line'),
  purposes: z.array(z.enum(['general', 'rights', 'complaints', 'security'])).optional(),
});

const organisation = z.strictObject({
  name: z.string().min(1),
  legalForm: z.string().optional(),
  registrationNumber: z.string().optional(),
  country: countryCode,
  address: postalAddress.optional(),
});

export const controllerSchema = z.strictObject({
  name: z.string().min(1).describe('The legal entity responsible for the processing'),
  shortName: z.string().optional(),
  legalForm: z.string().optional().describe('For example "branch" or "AB"'),
  registrationNumber: z.string().optional(),
  parent: organisation.optional().describe('The entity this one belongs to, if it is a branch or subsidiary'),
  establishment: z.strictObject({ country: countryCode, address: postalAddress }),
  contacts: z.array(contactChannel).min(1),
  dpo: z
    .strictObject({
      name: z.string().optional(),
      email: z.string().email().optional(),
      address: postalAddress.optional(),
    })
    .optional(),
  representative: organisation.optional().describe('Art. 27 representative, for controllers outside the EU'),
  supervisoryAuthority: z.strictObject({
    name: z.string().min(1),
    country: countryCode,
    website: z.string().url(),
    email: z.string().email().optional(),
    phone: z.string().optional(),
    address: postalAddress.optional(),
  }),
});

export const serviceSchema = z.strictObject({
  id,
  name: z.string().min(1),
  description: localText.optional(),
  role: z.enum(['controller', 'processor']),
  provider: z
    .strictObject({
      kind: z.enum(['customer', 'named']).describe('customer: each customer organisation is the Provider'),
      name: z.string().optional(),
      contact: z.string().optional(),
      description: localText.optional(),
    })
    .optional()
    .describe('Required for processor-role services: who the controller (the Provider) is'),
  declaration: z
    .string()
    .optional()
    .describe('Id of a separate declaration that covers this service, if it has its own notice'),
  noticeUrl: z.string().url().optional(),
  audience: audience.optional().describe('Who the service is sold to; default the declaration’s audience'),
});

export const subjectCategorySchema = z.strictObject({
  id,
  name: localText,
  description: localText.optional(),
});

export const dataCategorySchema = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'must be a dotted key such as user.contact.email'),
  name: localText,
  description: localText.optional(),
  dpv: z.string().regex(/^[a-z-]+:[A-Za-z0-9]+$/, 'must be a DPV term such as pd:EmailAddress'),
  special: z.boolean().optional().describe('Art. 9 special category'),
});

export const sourceTypes = [
  'direct',
  'observed',
  'third_party',
  'public',
  'group_company',
  'social_network',
] as const;
export const sourceSchema = z.strictObject({
  id,
  name: localText,
  type: z.enum(sourceTypes),
  description: localText.optional(),
  categories: z.array(z.string()).optional(),
  organisation: localText.optional().describe('Who supplies the data, for indirect sources'),
});

const legitimateInterestAssessment = z.strictObject({
  interest: localText.describe('The interest pursued'),
  necessity: localText.describe('Why the processing is necessary for it'),
  balancing: localText.describe('Why the interest is not overridden by the person’s rights'),
  assessedOn: localDate.optional(),
  reference: z.string().optional(),
});

/**
 * Something Steward observes that counts as the person's interaction for a purpose, so that a
 * `last_interaction` rule counts from the latest one (src/policy/lifecycle.ts lists them):
 * - `capture`: a record captured for this purpose;
 * - `capture:<purpose>`: a record captured for another purpose (an order, for a marketing purpose);
 * - `consent`: consent given or renewed for this purpose or one of its communications;
 * - `click`: a recorded click on a link in a message of one of this purpose's communications;
 * - the id of a lifecycle event (`login`, `order_placed`) reported for the person.
 */
export const interaction = z
  .string()
  .regex(
    /^(capture:)?[a-z][a-z0-9_-]*$/,
    'must be capture, capture:<purpose>, consent, click or the id of a lifecycle event',
  );

/**
 * Art. 17(3) grounds on which a purpose's data stays despite an erasure request: (a) freedom of
 * expression and information, (b) a legal obligation or (b) a task in the public interest,
 * (c) public health, (d) archiving, research or statistics, (e) legal claims.
 */
export const erasureGrounds = [
  'freedom_of_expression',
  'legal_obligation',
  'public_task',
  'public_health',
  'archiving_research',
  'legal_claims',
] as const;
export type ErasureGround = (typeof erasureGrounds)[number];

/**
 * A condition under which erasure of a purpose's data waits (`defer`) or is refused (`refuse`),
 * detected from Steward's data (a lifecycle event started and not ended, an active legal hold) or
 * from a connected system (the person's rows of a collection whose field holds one of `in`).
 */
export const erasureConditionSchema = z.strictObject({
  id,
  effect: z.enum(['defer', 'refuse']),
  while: z.union([
    z.strictObject({
      event: id.describe('The lifecycle event that starts it (order_placed)'),
      until: id.optional().describe('The lifecycle event that ends it for the same target (delivered)'),
    }),
    z.strictObject({ legalHold: z.literal(true).describe('While the person has an active legal hold') }),
    z.strictObject({
      system: id,
      collection: z.string().min(1),
      field: z.string().min(1),
      in: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
      endsAt: z.string().min(1).optional().describe('A column of those rows holding the date it ends'),
    }),
  ]),
  ends: localText.optional().describe('How it ends, to follow "until": "the order is delivered"'),
  expectedWithin: isoDuration.optional().describe('It usually ends this long after it started'),
  recheck: isoDuration.default('P1D').describe('defer: how often Steward checks again'),
  explanation: localText.optional().describe('Why, for the requester, in every declared language'),
});
export type ErasureCondition = z.infer<typeof erasureConditionSchema>;

/** How an erasure request treats a purpose's data: an Art. 17(3) exemption, and conditions. */
export const purposeErasureSchema = z.strictObject({
  exempt: z
    .strictObject({ ground: z.enum(erasureGrounds).optional(), reason: localText.optional() })
    .optional()
    .describe('The data stays despite erasure, on this Art. 17(3) ground, for this reason'),
  conditions: z.array(erasureConditionSchema).optional(),
});

export const purposeSchema = z.strictObject({
  id,
  name: localText,
  description: localText,
  dpv: z.string().regex(/^[a-z-]+:[A-Za-z0-9]+$/, 'must be a DPV term such as dpv:DirectMarketing'),
  legalBasis: byJurisdiction(legalBasis).optional().describe('One basis, or one per jurisdiction'),
  legitimateInterest: legitimateInterestAssessment.optional(),
  statutoryObligation: z.string().optional().describe('The law that imposes a legal obligation basis'),
  categories: z.array(z.string()).min(1),
  subjectCategories: z.array(z.string()).min(1),
  sources: z.array(z.string()).optional(),
  recipients: z.array(z.string()).optional(),
  services: z.array(z.string()).optional().describe('Services whose data this purpose uses'),
  retention: z
    .strictObject({
      default: z.string().optional().describe('Retention rule for every category not listed below'),
      categories: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  directMarketing: z
    .boolean()
    .optional()
    .describe('An objection to direct marketing stops this purpose at once'),
  publicContent: z.boolean().optional().describe('The purpose uses content the person made public'),
  collectionPoints: z.array(z.string()).optional().describe('Where consent is collected, for consent basis'),
  automatedDecisions: z
    .strictObject({ logic: localText, significance: localText, consequences: localText })
    .optional()
    .describe('Art. 22 decisions; absent means none are made'),
  requirement: z
    .enum(['none', 'contractual', 'statutory', 'contract_prerequisite'])
    .optional()
    .describe('Whether the person must provide the data (Art. 13(2)(e))'),
  interactions: z
    .array(interaction)
    .optional()
    .describe(
      'What counts as an interaction for a last_interaction rule: capture, capture:<purpose>, consent, click, or a lifecycle event id',
    ),
  erasure: purposeErasureSchema.optional().describe('Art. 17(3) exemption and conditions on erasure'),
});

export const recipientTypes = [
  'group_company',
  'processor',
  'independent_controller',
  'joint_controller',
  'authority',
  'advisor',
  'acquirer',
  'public',
] as const;
export const transferMechanisms = [
  'adequacy',
  'scc',
  'bcr',
  'dpf',
  'derogation_consent',
  'derogation_contract',
  'derogation_legal_claims',
] as const;

/** One safeguard of a transfer (Chapter V GDPR): its mechanism and the document that sets it up. */
const transferSafeguard = {
  mechanism: z.enum(transferMechanisms),
  reference: z.string().optional(),
  safeguardsUrl: z.string().url().optional(),
};

/**
 * How a transfer outside the EEA is made lawful: one mechanism, and those that carry it if the first
 * fails (standard contractual clauses behind the EU-US Data Privacy Framework). The model lists
 * them in order (`transferBases` in transfers.ts); every one must be valid for the countries.
 */
export const transferSchema = z.strictObject({
  ...transferSafeguard,
  fallbacks: z
    .array(z.strictObject(transferSafeguard))
    .min(1)
    .optional()
    .describe('Mechanisms that carry the transfer if the first one ceases to (SCCs behind the DPF)'),
});

export const recipientSchema = z.strictObject({
  id,
  name: localText,
  type: z.enum(recipientTypes),
  description: localText.optional(),
  countries: z.array(countryCode).min(1),
  agreement: z
    .strictObject({
      reference: z.string().min(1),
      signedOn: localDate.optional(),
      kind: z.string().optional(),
    })
    .optional()
    .describe('Data processing agreement or other contract'),
  transfer: transferSchema
    .optional()
    .describe('Required when a country is outside the EEA and has no adequacy decision'),
  purposes: z.array(z.string()).optional().describe('Purposes the recipient serves'),
  categories: z.array(z.string()).optional(),
  notifyOnChange: z
    .boolean()
    .optional()
    .describe(
      'Art. 19: tell them of rectification, erasure, restriction (lint asks for it stated either way)',
    ),
  notifyExemption: localText
    .optional()
    .describe(
      'With notifyOnChange: false, why not: telling them is impossible or takes disproportionate effort, or they receive no personal data',
    ),
});

/**
 * Kinds of connected system the format describes. The field is an open string so that later
 * kinds (redis, http, manual) fit without a format change; lint checks it against the connector
 * kinds this build registers (`src/connectors/registry.ts`).
 */
export const wellKnownSystemKinds = ['postgres', 'mysql', 'mariadb', 'sqlite'] as const;

/**
 * A connected system: one of the company's own databases that holds personal data. Only what a
 * notice and a record of processing need is declared here; connection details never are (they
 * come from STEWARD_SYSTEM_<ID>_URL or the secrets file), and the map of its tables and columns
 * is the reviewed dataset in `datasets/<id>.yaml` beside the declaration.
 */
export const systemSchema = z.strictObject({
  id,
  name: localText,
  description: localText.optional(),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, 'must be a connector kind such as postgres, mysql, mariadb or sqlite')
    .describe('Connector kind: postgres, mysql, mariadb, sqlite'),
  operator: z
    .string()
    .min(1)
    .default('self')
    .describe('Who runs it: self, or the id of a declared recipient (a processor hosting it)'),
  role: z
    .enum(['controller', 'processor'])
    .default('controller')
    .describe('processor: it holds data only for the Providers of the services it names'),
  purposes: z.array(z.string()).default([]).describe('Declared purposes its data serves'),
  services: z.array(z.string()).optional().describe('Processor-role services whose Providers’ data it holds'),
  hosting: z.strictObject({
    country: countryCode.describe('Where the data is stored'),
    provider: z.string().min(1).optional().describe('Who provides the servers, if not the operator'),
  }),
  owner: z.string().min(1).optional().describe('Team or email address that gets the tasks about this system'),
});

export const retentionRuleSchema = z.strictObject({
  id,
  duration: isoDuration,
  trigger: z.enum([
    'collected',
    'last_interaction',
    'contract_end',
    'consent_withdrawn',
    'account_closed',
    'event',
  ]),
  /** With trigger `event`: the lifecycle event that starts the period (`delivered`, `case_closed`). */
  event: id.optional().describe('With trigger event: the lifecycle event that starts the period'),
  /**
   * The period counts from the end of the month, quarter, calendar year or financial year in which
   * the trigger fell ("seven years from the end of the financial year in which the sale was made"),
   * or from the end of the calendar year in which that financial year ended (the Swedish
   * Bookkeeping Act's period).
   */
  anchor: z
    .enum(['month', 'quarter', 'year', 'financial_year', 'calendar_year_of_financial_year_end'])
    .optional()
    .describe(
      'Count from the end of the period in which the trigger fell; calendar_year_of_financial_year_end: of the calendar year in which that financial year ended',
    ),
  action: z.enum(['delete', 'anonymise']),
  statutory: z.string().optional().describe('The law that requires this period, if any'),
  statutoryMinimum: isoDuration
    .optional()
    .describe('The shortest period that law requires, counted as this rule counts (P7Y for Bokföringslagen)'),
  rationale: localText.describe('Why this period is necessary'),
});

/**
 * A lifecycle event: something that happens in the company's systems and starts a retention
 * clock (an order is delivered, a case is closed), reported through the API and CLI or read from
 * a dataset's column. `contract_end` and `account_closed` are built in (about the person, reported
 * through the API) and need an entry only to say otherwise.
 */
export const lifecycleEventSchema = z.strictObject({
  id,
  name: localText.describe(
    'What happened, written to follow "after" in the notice: "delivery", "the end of the case"',
  ),
  description: localText.optional(),
  about: z
    .enum(['subject', 'record'])
    .default('subject')
    .describe('subject: it happens to a person (all their data); record: to one record (an order)'),
  source: z
    .array(z.enum(['api', 'dataset']))
    .min(1)
    .default(['api'])
    .describe('api: reported through the API or CLI; dataset: a dataset field names it as its source'),
});

export const collectionPointSchema = z.strictObject({
  id,
  name: localText,
  kind: z.enum([
    'web_form',
    'cookie_banner',
    'preference_centre',
    'checkout',
    'event',
    'paper',
    'api',
    'email',
  ]),
  url: z.string().optional(),
});

/**
 * What counts as the relationship of a soft opt-in: `capture:<purpose>` (a record captured for that
 * purpose, such as an order) or the id of a lifecycle event reported for the person (`delivered`).
 */
export const relationshipFact = z
  .string()
  .regex(/^(capture:)?[a-z][a-z0-9_-]*$/, 'must be capture:<purpose> or the id of a lifecycle event')
  .refine(
    (v) => !['capture', 'consent', 'click'].includes(v),
    'must be capture:<purpose> or a lifecycle event id',
  );

/**
 * Soft opt-in (ePrivacy Directive Art. 13(2)): where the communication's permission is opt_out, it
 * goes only to people whose latest relationship fact lies within the period; everyone else needs
 * consent, as for opt_in. An objection or unsubscribe always wins.
 */
export const softOptInSchema = z.strictObject({
  relationship: z
    .array(relationshipFact)
    .min(1)
    .describe('What makes someone a customer: capture:<purpose> (an order) or a lifecycle event id'),
  within: isoDuration.describe('How recent the latest of them must be, such as P24M'),
  objectionOfferedAt: z
    .array(z.string())
    .min(1)
    .describe(
      'Collection points where the person could refuse as the address was collected; only captures made there count',
    ),
  similarProducts: localText
    .optional()
    .describe('What the messages may offer: the company’s own products like those bought'),
});

export const communicationSchema = z.strictObject({
  id,
  name: localText,
  description: localText.optional(),
  kind: z.enum(['marketing', 'transactional']),
  channel: z.enum(['email', 'sms', 'post', 'phone', 'push']),
  purpose: z.string(),
  sender: z.string().min(1).describe('The legal entity that sends it (the controller or a group company)'),
  permission: byJurisdiction(z.enum(['opt_in', 'opt_out', 'not_applicable'])).describe(
    'opt_in needs recorded consent; opt_out needs no objection; not_applicable for transactional',
  ),
  doubleOptIn: z.boolean().default(false),
  collectionPoints: z.array(z.string()).optional(),
  interactionTracking: z
    .strictObject({
      purpose: z
        .string()
        .describe('The purpose clicks are recorded for; its legal basis decides who is tracked'),
      source: z.string().describe('The observed source the click records carry'),
    })
    .optional()
    .describe('Record clicks on links in this communication, only for people the purpose allows'),
  frequency: localText.optional().describe('How often it is sent, in words'),
  audience: audience.optional().describe('Who receives it; default the declaration’s audience'),
  softOptIn: softOptInSchema.optional().describe('Where opt_out: only for people with this relationship'),
});

/** Google Consent Mode v2 signals a banner sets to granted or denied. */
export const consentModeSignals = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;

export const cookieCategorySchema = z.strictObject({
  id,
  name: localText,
  description: localText,
  required: z.boolean().default(false).describe('Strictly necessary: always on, no consent asked'),
  purposes: z.array(z.string()).default([]),
  gpcOptOut: z
    .boolean()
    .default(false)
    .describe('A Global Privacy Control signal switches this category off'),
  consentMode: z
    .array(z.enum(consentModeSignals))
    .default([])
    .describe('Google Consent Mode v2 signals granted when this category is allowed'),
});

export const cookieSchema = z.strictObject({
  name: z.string().min(1),
  provider: z.string().min(1),
  firstParty: z.boolean(),
  category: z.string(),
  purpose: z.string(),
  lifetime: z.union([z.literal('session'), isoDuration]),
  kind: z.enum(['cookie', 'local_storage', 'session_storage', 'pixel']).default('cookie'),
  description: localText.optional(),
  // Where the provider receives what the cookie carries, and what makes that lawful.
  providerCountry: countryCode
    .optional()
    .describe(
      'Where the provider receives the data; a first-party cookie defaults to the controller’s country',
    ),
  thirdCountry: z
    .boolean()
    .optional()
    .describe('The provider receives it outside the EEA; derived from providerCountry when that is given'),
  recipient: z.string().optional().describe('The declared recipient the provider is; its transfer applies'),
  transfer: transferSchema.optional().describe('The transfer mechanism, if not the named recipient’s'),
});

export const analyticsEventTypes = [
  'page_view',
  'click',
  'scroll',
  'hover',
  'timing',
  'download_error',
  'time_on_page',
  'site_search',
  'exit',
] as const;

export const analyticsSchema = z.strictObject({
  events: z
    .array(
      z.strictObject({
        type: z.enum(analyticsEventTypes),
        purpose: z.string(),
        category: z.string().describe('Cookie category whose consent the event needs'),
        exempt: z
          .boolean()
          .default(false)
          .describe('Exempt audience measurement: sent without consent, cookieless, no identifier'),
      }),
    )
    .default([]),
  linkToSubject: z
    .strictObject({ purpose: z.string(), category: z.string() })
    .optional()
    .describe('Consent needed before website events may be linked to a known person'),
});

export const requestTypes = [
  'access',
  'portability',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'withdrawal',
] as const;
export type RequestType = (typeof requestTypes)[number];

const verificationLevel = z.strictObject({
  method: z.enum(['email_code', 'account_session']).default('email_code'),
  secondStep: z.enum(['none', 'second_channel', 'operator_review']).default('none'),
});

export const rightsSchema = z.strictObject({
  deadline: isoDuration.default('P1M'),
  maxExtension: isoDuration.default('P2M'),
  reminderBefore: z.array(isoDuration).default(['P7D', 'P2D']),
  verification: z.partialRecord(z.enum(requestTypes), verificationLevel).default({}),
  fees: z
    .strictObject({
      firstCopyFree: z.boolean().default(true),
      furtherCopy: z
        .strictObject({ amount: z.number().nonnegative(), currency: z.string().length(3) })
        .optional(),
      excessive: z.enum(['charge', 'refuse', 'charge_or_refuse']).default('charge_or_refuse'),
    })
    .default({ firstCopyFree: true, excessive: 'charge_or_refuse' }),
  channels: z
    .array(z.enum(['privacy_centre', 'api', 'email', 'post', 'phone', 'drp']))
    .default(['privacy_centre', 'api']),
});

export const statisticsSchema = z.strictObject({
  minimumGroupSize: z.number().int().min(2).default(10),
  epsilonPerRelease: z.number().positive().default(0.5),
  epsilonBudget: z.number().positive().default(10),
});

/**
 * Minimisation rules capture enforces on record data before it is sealed (Art. 5(1)(c)); which
 * rule fits which category, and how each reduces a value, is in src/policy/minimisation.ts.
 */
export const minimisationRuleNames = ['truncate_ip', 'year_only', 'year_month'] as const;
export const minimisationSchema = z.strictObject({
  category: z.string().describe('The data category whose fields the rule reduces'),
  fields: z
    .array(z.string().min(1).max(100))
    .min(1)
    .optional()
    .describe('Record data fields it applies to; default every field whose name holds the category'),
  purposes: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('Only records all of whose purposes are listed; default every record'),
  rule: z.union([
    z.enum(minimisationRuleNames),
    z.strictObject({ prefix: z.number().int().min(1).max(50) }),
    z.strictObject({ max_length: z.number().int().min(1).max(100_000) }),
  ]),
});

export const declarationSchema = z.strictObject({
  steward: z.literal(1).describe('Format version of this file'),
  id: id.describe('Stable id of this declaration; several may be active side by side'),
  title: localText,
  version: z.string().min(1).describe('Version label shown in the notice'),
  effectiveDate: localDate,
  languages: z.array(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/)).min(1),
  messages: z
    .record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), z.record(z.string(), z.string()))
    .optional()
    .describe(
      "The declaration's own wording for Steward's messages, per language and message key (ICU MessageFormat, same placeholders as the shipped English message), e.g. { sv: { 'notice.intro': '…' } }",
    ),
  controller: controllerSchema,
  audience: audience
    .default('both')
    .describe('Who the company’s offering is for: businesses, consumers or both'),
  relatedDeclarations: z
    .array(z.strictObject({ id, title: localText, url: z.string().url().optional() }))
    .default([])
    .describe('Other notices of the same controller that cover other products (C1.3)'),
  services: z.array(serviceSchema).default([]),
  subjectCategories: z.array(subjectCategorySchema).min(1),
  dataCategories: z.array(dataCategorySchema).default([]).describe('Added to the default taxonomy'),
  sources: z.array(sourceSchema).min(1),
  purposes: z.array(purposeSchema).min(1),
  recipients: z.array(recipientSchema).default([]),
  systems: z
    .array(systemSchema)
    .default([])
    .describe('Connected systems: the company’s own databases that hold personal data'),
  retention: z.array(retentionRuleSchema).min(1),
  lifecycleEvents: z
    .array(lifecycleEventSchema)
    .default([])
    .describe(
      'Events that start retention clocks: delivered, case_closed, ... (contract_end and account_closed are built in)',
    ),
  financialYear: z
    .strictObject({ startMonth: z.number().int().min(1).max(12).describe('1 = January') })
    .default({ startMonth: 1 })
    .describe('When the financial year starts; retention anchored to financial_year counts from its end'),
  collectionPoints: z.array(collectionPointSchema).default([]),
  minimisation: z
    .array(minimisationSchema)
    .optional()
    .describe('What capture keeps of a field: truncate_ip, year_only, year_month, prefix: n, max_length: n'),
  communications: z.array(communicationSchema).default([]),
  cookies: z
    .strictObject({
      categories: z.array(cookieCategorySchema).default([]),
      items: z.array(cookieSchema).default([]),
    })
    .default({ categories: [], items: [] }),
  analytics: analyticsSchema.default({ events: [] }),
  rights: rightsSchema.default({
    deadline: 'P1M',
    maxExtension: 'P2M',
    reminderBefore: ['P7D', 'P2D'],
    verification: {},
    fees: { firstCopyFree: true, excessive: 'charge_or_refuse' },
    channels: ['privacy_centre', 'api'],
  }),
  children: z.strictObject({
    ageThreshold: z.number().int().min(0).max(21),
    knowinglyCollects: z.boolean().default(false),
  }),
  statistics: statisticsSchema.default({ minimumGroupSize: 10, epsilonPerRelease: 0.5, epsilonBudget: 10 }),
  gpc: z
    .strictObject({ honoured: z.boolean().default(true) })
    .default({ honoured: true })
    .describe('Global Privacy Control'),
});

export type Declaration = z.infer<typeof declarationSchema>;
export type DeclarationInput = z.input<typeof declarationSchema>;
export type Purpose = Declaration['purposes'][number];
export type Recipient = Declaration['recipients'][number];
export type Communication = Declaration['communications'][number];
export type RetentionRule = Declaration['retention'][number];
export type Service = Declaration['services'][number];
export type Source = Declaration['sources'][number];
export type DeclaredSystem = Declaration['systems'][number];
export type LifecycleEvent = Declaration['lifecycleEvents'][number];
export type Transfer = z.infer<typeof transferSchema>;
export type Cookie = Declaration['cookies']['items'][number];
export type MinimisationRule = NonNullable<Declaration['minimisation']>[number];

/** JSON Schema of the declaration file, for editors (`steward policy schema`). */
export function declarationJsonSchema(): unknown {
  return z.toJSONSchema(declarationSchema, { io: 'input', unrepresentable: 'any' });
}
