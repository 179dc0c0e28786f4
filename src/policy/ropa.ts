/**
 * The record of processing activities (GDPR Art. 30(1)), generated from the declaration: one row
 * per purpose, with the controller, the legal bases, the people and data concerned, recipients,
 * transfers with their safeguards, retention per category, sources, services and security.
 */
import { describeMinimisation, ruleLabel, rulesForPurpose } from './minimisation.js';
import { stringify } from 'csv-stringify/sync';
import {
  basisEntries,
  categoryName,
  describeBasis,
  describeDuration,
  describeJurisdiction,
  describeMechanism,
  describeOperator,
  describeRetention,
  languageOf,
  recipientsOf,
  retentionEntries,
  systemsOf,
  transfersTo,
} from './describe.js';
import { needsTransferMechanism } from './geography.js';
import { messages } from '../i18n/messages.js';
import type { PolicyModel } from './model.js';
import { ropaHtml } from './ropa-page.js';
import type { Communication, Declaration, LegalBasis, Purpose } from './schema.js';
import { legalBasisTerms } from './taxonomy.js';
import { localise } from './text.js';
import type { TransferBasis } from './transfers.js';
import { cookieProviderCountry, cookieThirdCountry, cookieTransferBases } from './transfers.js';

/** The technical and organisational measures (Art. 30(1)(g)) that Steward itself provides, in words. */
export function securityMeasures(language: string): string {
  return messages(language).format('ropa.securityMeasures');
}

/** One row of the record: one purpose of the declaration. */
export interface RopaRow {
  readonly controllerName: string;
  /** The controller's contact channels, one line: "email: privacy@example.com; web: https://…". */
  readonly controllerContact: string;
  /** Name and contact of the data protection officer; empty when none is appointed. */
  readonly dpo: string;
  /** Art. 27 representative; empty when there is none. */
  readonly representative: string;
  readonly purposeId: string;
  readonly purposeName: string;
  readonly purposeDescription: string;
  readonly legalBases: readonly {
    readonly jurisdiction: string;
    readonly basis: LegalBasis;
    readonly article: string;
  }[];
  readonly legitimateInterest: string;
  readonly statutoryObligation: string;
  readonly subjectCategories: readonly { readonly id: string; readonly name: string }[];
  readonly dataCategories: readonly {
    readonly key: string;
    readonly name: string;
    readonly special: boolean;
  }[];
  readonly recipients: readonly { readonly id: string; readonly name: string; readonly type: string }[];
  readonly transfers: readonly {
    readonly recipient: string;
    readonly country: string;
    /** Mechanism code (`scc`, `adequacy`…); empty when none is declared. */
    readonly mechanism: string;
    /** The mechanisms in words, the first and then each fallback, with their references. */
    readonly safeguard: string;
    /** Every mechanism in order: the first (`primary`) and those that carry it if it fails. */
    readonly mechanisms: readonly RopaMechanism[];
  }[];
  readonly retention: readonly {
    readonly category: string;
    readonly rule: string;
    /** "7 years after the contract ends, then deleted (legal requirement: …)". */
    readonly text: string;
  }[];
  /**
   * What an erasure request does to the purpose's data: its Art. 17(3) exemption (stated, or
   * inferred from a legal obligation), and the conditions that defer or refuse it.
   */
  readonly erasure: {
    readonly exempt?: { readonly ground: string; readonly reason: string; readonly stated: boolean };
    readonly conditions: readonly {
      readonly id: string;
      readonly effect: 'defer' | 'refuse';
      /** How it is detected: `event order_placed until delivered`, `legal hold`, `shop.payments.status in pending`. */
      readonly detectedBy: string;
      readonly ends: string;
      readonly explanation: string;
    }[];
  };
  readonly sources: readonly { readonly id: string; readonly name: string; readonly type: string }[];
  readonly services: readonly { readonly id: string; readonly name: string; readonly role: string }[];
  /** The connected systems that hold the purpose's data, with where they are hosted and by whom. */
  readonly systems: readonly {
    readonly id: string;
    readonly name: string;
    readonly kind: string;
    /** ISO country code of the hosting. */
    readonly country: string;
    readonly operator: string;
  }[];
  readonly securityMeasures: string;
  /** Who the purpose's offering is for: the declaration's audience (businesses, consumers, both). */
  readonly audience: Declaration['audience'];
  /** The purpose's communications: who gets them, on what permission where, and any soft opt-in. */
  readonly communications: readonly RopaCommunication[];
  /** Cookies set for the purpose, with where their provider receives the data and on what mechanism. */
  readonly cookies: readonly {
    readonly name: string;
    readonly provider: string;
    /** ISO country code; empty when the declaration does not say. */
    readonly country: string;
    readonly thirdCountry: boolean;
    /** For a third country: its mechanisms in words, as for a recipient's transfer. */
    readonly safeguard: string;
    readonly mechanisms: readonly RopaMechanism[];
  }[];
  /**
   * The website events sent for the purpose: `exempt` ones are the cookieless measurement tier
   * (sent without consent, no cookie, no identifier); the others wait for consent to `category`.
   */
  readonly measurement: readonly {
    readonly type: string;
    readonly category: string;
    readonly exempt: boolean;
  }[];
  /** What capture reduces of the purpose's data before it is stored (Art. 5(1)(c), 25). */
  readonly minimisation: readonly {
    readonly category: string;
    readonly rule: string;
    readonly text: string;
  }[];
}

/** One transfer mechanism as the record lists it. */
export interface RopaMechanism {
  readonly mechanism: string;
  readonly role: TransferBasis['role'];
  readonly reference: string;
  readonly safeguardsUrl: string;
}

const mechanismRow = (b: TransferBasis): RopaMechanism => ({
  mechanism: b.mechanism,
  role: b.role,
  reference: b.reference ?? '',
  safeguardsUrl: b.safeguardsUrl ?? '',
});

/** "Standard contractual clauses (…); SCC-1; fallback: …": every mechanism in words, in order. */
function safeguardText(bases: readonly TransferBasis[], language: string): string {
  const fallback = messages(language).format('ropa.transfer.fallback');
  return bases
    .map((b) => {
      const words = describeMechanism(b.mechanism, language);
      const text = b.reference === undefined ? words : `${words}; ${b.reference}`;
      return b.role === 'fallback' ? `${fallback}: ${text}` : text;
    })
    .join('; ');
}

/** One communication of a purpose, as the record lists it. */
export interface RopaCommunication {
  readonly id: string;
  readonly name: string;
  readonly kind: Communication['kind'];
  readonly channel: Communication['channel'];
  readonly audience: Declaration['audience'];
  readonly permissions: readonly { readonly jurisdiction: string; readonly permission: string }[];
  /** Where a permission is opt_out: the relationship it needs; absent when there is no soft opt-in. */
  readonly softOptIn?: {
    /** `capture:<purpose>` or lifecycle event ids. */
    readonly relationship: readonly string[];
    /** ISO 8601 duration, and in words. */
    readonly within: string;
    readonly withinText: string;
    /** Collection points where refusing was offered, by name. */
    readonly objectionOfferedAt: readonly string[];
    readonly similarProducts: string;
  };
}

function communicationsOf(d: Declaration, purpose: Purpose, language: string): RopaCommunication[] {
  const t = (text: Parameters<typeof localise>[0]) => localise(text, language);
  return d.communications
    .filter((c) => c.purpose === purpose.id)
    .map((c) => ({
      id: c.id,
      name: t(c.name),
      kind: c.kind,
      channel: c.channel,
      audience: c.audience ?? d.audience,
      permissions: Object.entries(
        typeof c.permission === 'string' ? { default: c.permission } : c.permission,
      ).map(([jurisdiction, permission]) => ({ jurisdiction, permission })),
      ...(c.softOptIn === undefined
        ? {}
        : {
            softOptIn: {
              relationship: c.softOptIn.relationship,
              within: c.softOptIn.within,
              withinText: describeDuration(c.softOptIn.within, language),
              objectionOfferedAt: c.softOptIn.objectionOfferedAt.map((id) => {
                const point = d.collectionPoints.find((p) => p.id === id);
                return point === undefined ? id : t(point.name);
              }),
              similarProducts:
                c.softOptIn.similarProducts === undefined ? '' : t(c.softOptIn.similarProducts),
            },
          }),
    }));
}

function contactLine(d: Declaration): string {
  return d.controller.contacts.map((c) => `${c.channel}: ${c.value}`).join('; ');
}

function dpoLine(d: Declaration): string {
  const dpo = d.controller.dpo;
  if (dpo === undefined) return '';
  const address = dpo.address;
  return [
    dpo.name,
    dpo.email,
    address === undefined
      ? undefined
      : `${address.street}, ${address.postalCode} ${address.locality}, ${address.country}`,
  ]
    .filter((x): x is string => x !== undefined)
    .join(', ');
}

function erasureOf(
  model: PolicyModel,
  purpose: Purpose,
  t: (text: Parameters<typeof localise>[0]) => string,
): RopaRow['erasure'] {
  const exemption = model.exemptionOf(purpose);
  return {
    ...(exemption === undefined
      ? {}
      : {
          exempt: {
            ground: exemption.ground ?? '',
            reason: t(exemption.reason) || (purpose.statutoryObligation ?? ''),
            stated: exemption.stated,
          },
        }),
    conditions: (purpose.erasure?.conditions ?? []).map((c) => {
      const w = c.while;
      return {
        id: c.id,
        effect: c.effect,
        detectedBy:
          'event' in w
            ? `event ${w.event}${w.until === undefined ? '' : ` until ${w.until}`}`
            : 'legalHold' in w
              ? 'legal hold'
              : `${w.system}.${w.collection}.${w.field} in ${w.in.join(', ')}`,
        ends: t(c.ends),
        explanation: t(c.explanation),
      };
    }),
  };
}

function rowFor(model: PolicyModel, purpose: Purpose, language: string): RopaRow {
  const d = model.declaration;
  const t = (text: Parameters<typeof localise>[0]) => localise(text, language);
  const recipients = recipientsOf(model, purpose);
  return {
    controllerName: d.controller.name,
    controllerContact: contactLine(d),
    dpo: dpoLine(d),
    representative:
      d.controller.representative === undefined
        ? ''
        : `${d.controller.representative.name}, ${d.controller.representative.country}`,
    purposeId: purpose.id,
    purposeName: t(purpose.name),
    purposeDescription: t(purpose.description),
    legalBases: basisEntries(purpose).map((e) => ({
      jurisdiction: e.jurisdiction,
      basis: e.basis,
      article: legalBasisTerms[e.basis].article,
    })),
    legitimateInterest:
      purpose.legitimateInterest === undefined ? '' : t(purpose.legitimateInterest.interest),
    statutoryObligation: purpose.statutoryObligation ?? '',
    subjectCategories: purpose.subjectCategories.map((id) => {
      const subject = d.subjectCategories.find((s) => s.id === id);
      return { id, name: subject === undefined ? id : t(subject.name) };
    }),
    dataCategories: purpose.categories.map((key) => ({
      key,
      name: categoryName(model, key, language),
      special: model.categories.get(key)?.special ?? false,
    })),
    recipients: recipients.map((r) => ({ id: r.id, name: t(r.name), type: r.type })),
    transfers: transfersTo(recipients).map((x) => {
      // An adequate country needs no mechanism; elsewhere, every declared one in order.
      const bases: TransferBasis[] = needsTransferMechanism(x.country)
        ? [...model.transfersOf(x.recipient.id)]
        : [{ mechanism: 'adequacy', role: 'primary' }];
      return {
        recipient: t(x.recipient.name),
        country: x.country,
        mechanism: bases[0]?.mechanism ?? '',
        safeguard: safeguardText(bases, language),
        mechanisms: bases.map(mechanismRow),
      };
    }),
    retention: retentionEntries(model, purpose).map((e) => ({
      category: e.category,
      rule: e.rule?.id ?? '',
      text: e.rule === undefined ? '' : describeRetention(e.rule, language, d),
    })),
    erasure: erasureOf(model, purpose, t),
    sources: (purpose.sources ?? []).map((id) => {
      const source = d.sources.find((s) => s.id === id);
      return { id, name: source === undefined ? id : t(source.name), type: source?.type ?? '' };
    }),
    services: (purpose.services ?? []).map((id) => {
      const service = d.services.find((s) => s.id === id);
      return { id, name: service?.name ?? id, role: service?.role ?? '' };
    }),
    systems: systemsOf(model, purpose).map((x) => ({
      id: x.id,
      name: t(x.name),
      kind: x.kind,
      country: x.hosting.country,
      operator: describeOperator(model, x, language),
    })),
    securityMeasures: securityMeasures(language),
    audience: d.audience,
    communications: communicationsOf(d, purpose, language),
    cookies: d.cookies.items
      .filter((c) => c.purpose === purpose.id)
      .map((c) => {
        const third = cookieThirdCountry(d, c);
        const bases = third ? cookieTransferBases(d, c) : [];
        return {
          name: c.name,
          provider: c.provider,
          country: cookieProviderCountry(d, c) ?? '',
          thirdCountry: third,
          safeguard: safeguardText(bases, language),
          mechanisms: bases.map(mechanismRow),
        };
      }),
    measurement: d.analytics.events
      .filter((e) => e.purpose === purpose.id)
      .map((e) => ({ type: e.type, category: e.category, exempt: e.exempt })),
    minimisation: rulesForPurpose(d, purpose).map((m) => ({
      category: m.category,
      rule: ruleLabel(m.rule),
      text: describeMinimisation(m.rule, categoryName(model, m.category, language), messages(language)),
    })),
  };
}

/**
 * The Art. 30(1) record of processing: one row per purpose, in declaration order. Texts are in
 * `language` (default: the declaration's first language).
 */
export function buildRopa(model: PolicyModel, language?: string): RopaRow[] {
  const lang = languageOf(model, language);
  return model.declaration.purposes.map((purpose) => rowFor(model, purpose, lang));
}

/** The columns of the record, each named by its catalog key `ropa.column.<column>`. */
const columns = [
  'controller',
  'controllerContact',
  'dpo',
  'representative',
  'purposeId',
  'purpose',
  'description',
  'legalBases',
  'legitimateInterest',
  'legalObligation',
  'subjects',
  'data',
  'recipients',
  'transfers',
  'retention',
  'erasure',
  'sources',
  'services',
  'systems',
  'security',
  'audience',
  'communications',
  'cookies',
  'websiteMeasurement',
  'minimisation',
] as const;

/** The erasure column: the exemption and its ground, then each condition. */
function erasureText(erasure: RopaRow['erasure'], language: string): string {
  const m = messages(language);
  const exempt =
    erasure.exempt === undefined
      ? []
      : [
          m.format('ropa.erasure.exempt', {
            ground: erasure.exempt.ground,
            reason: erasure.exempt.reason === '' ? '' : ` (${erasure.exempt.reason})`,
            inferred: !erasure.exempt.stated,
          }),
        ];
  const conditions = erasure.conditions.map((c) =>
    m.format('ropa.erasure.condition', {
      effect: c.effect,
      id: c.id,
      detectedBy: c.detectedBy,
      ends: c.ends === '' ? '' : m.format('ropa.erasure.until', { ends: c.ends }),
    }),
  );
  return [...exempt, ...conditions].join('; ');
}

/** A row as one text per column, lists joined with "; ". */
function flatten(row: RopaRow, language: string): string[] {
  const join = (items: readonly string[]) => items.join('; ');
  const m = messages(language);
  return [
    row.controllerName,
    row.controllerContact,
    row.dpo,
    row.representative,
    row.purposeId,
    row.purposeName,
    row.purposeDescription,
    join(
      row.legalBases.map((b) =>
        b.jurisdiction === 'default' && row.legalBases.length === 1
          ? describeBasis(b.basis, language)
          : `${describeJurisdiction(b.jurisdiction, language)}: ${describeBasis(b.basis, language)}`,
      ),
    ),
    row.legitimateInterest,
    row.statutoryObligation,
    join(row.subjectCategories.map((s) => s.name)),
    join(
      row.dataCategories.map(
        (c) => `${c.name} (${c.key}${c.special ? `, ${m.format('ropa.specialCategory')}` : ''})`,
      ),
    ),
    join(row.recipients.map((r) => `${r.name} (${r.type})`)),
    join(
      row.transfers.map(
        (x) =>
          `${x.recipient}, ${x.country}: ${x.safeguard === '' ? m.format('ropa.noSafeguard') : x.safeguard}`,
      ),
    ),
    join(row.retention.map((r) => `${r.category}: ${r.text === '' ? m.format('ropa.noRule') : r.text}`)),
    erasureText(row.erasure, language),
    join(row.sources.map((s) => `${s.name} (${s.type})`)),
    join(row.services.map((s) => `${s.name} (${s.role})`)),
    join(
      row.systems.map((x) =>
        m.format('ropa.system', {
          name: x.name,
          kind: x.kind,
          country: `${describeJurisdiction(x.country, language)} (${x.country})`,
          operator: x.operator,
        }),
      ),
    ),
    row.securityMeasures,
    row.audience,
    join(row.communications.map((c) => communicationText(c, language))),
    join(row.cookies.map((c) => cookieText(c, language))),
    measurementText(row.measurement, language),
    join(row.minimisation.map((x) => x.text)),
  ];
}

/** "li_fat_id (LinkedIn, US, third country: Standard contractual clauses …)". */
function cookieText(c: RopaRow['cookies'][number], language: string): string {
  const m = messages(language);
  const where = c.country === '' ? m.format('ropa.cookie.countryUnknown') : c.country;
  const transfer = c.thirdCountry
    ? `, ${m.format('ropa.cookie.thirdCountry')}: ${c.safeguard === '' ? m.format('ropa.noSafeguard') : c.safeguard}`
    : '';
  return `${c.name} (${c.provider}, ${where}${transfer})`;
}

/** "page_view, timing: cookieless, no identifier, without consent; click, scroll: with consent (analytics)". */
function measurementText(events: RopaRow['measurement'], language: string): string {
  const m = messages(language);
  const exempt = events.filter((e) => e.exempt).map((e) => e.type);
  const byCategory = new Map<string, string[]>();
  for (const e of events.filter((x) => !x.exempt))
    byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), e.type]);
  return [
    ...(exempt.length === 0 ? [] : [`${exempt.join(', ')}: ${m.format('ropa.measurement.exempt')}`]),
    ...[...byCategory].map(
      ([category, types]) => `${types.join(', ')}: ${m.format('ropa.measurement.consented')} (${category})`,
    ),
  ].join('; ');
}

/**
 * "Customer letter (marketing, email, consumers): Everywhere else opt_in, Sweden opt_out; soft
 * opt-in: capture:orders within 2 years, refusal offered at Checkout, offers: …".
 */
function communicationText(c: RopaCommunication, language: string): string {
  const m = messages(language);
  const permissions = c.permissions
    .map((p) => `${describeJurisdiction(p.jurisdiction, language)} ${p.permission}`)
    .join(', ');
  const soft = c.softOptIn;
  const softText =
    soft === undefined
      ? ''
      : `; ${m.format('ropa.softOptIn.soft')}: ${soft.relationship.join(` ${m.format('ropa.softOptIn.or')} `)} ${m.format('ropa.softOptIn.within')} ${soft.withinText}, ${m.format('ropa.softOptIn.offeredAt')} ${soft.objectionOfferedAt.join(', ')}${soft.similarProducts === '' ? '' : `, ${m.format('ropa.softOptIn.offers')}: ${soft.similarProducts}`}`;
  return `${c.name} (${c.kind}, ${c.channel}, ${c.audience}): ${permissions}${softText}`;
}

/**
 * The record of processing as CSV (header row, one row per purpose), JSON
 * (`{ controller, generatedFrom: { id, version }, rows }`) or a complete HTML page with one table.
 */
export function renderRopa(model: PolicyModel, format: 'csv' | 'json' | 'html'): string {
  const d = model.declaration;
  const language = languageOf(model);
  const rows = buildRopa(model, language);
  if (format === 'json') {
    const document = { controller: d.controller, generatedFrom: { id: d.id, version: d.version }, rows };
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  const m = messages(language);
  const flat = rows.map((row) => flatten(row, language));
  const names = columns.map((c) => m.format(`ropa.column.${c}`));
  if (format === 'csv') return stringify([names, ...flat], { record_delimiter: 'windows' });
  return ropaHtml({
    lang: language,
    title: m.format('ropa.title', { controller: d.controller.name }),
    meta: m.format('ropa.meta', { id: d.id, version: d.version, date: d.effectiveDate }),
    caption: m.format('ropa.caption', { controller: d.controller.name }),
    columns: names,
    // The purpose names the row; the controller columns repeat on every row for export.
    rowHeader: m.format('ropa.column.purpose'),
    rows: flat,
  });
}
