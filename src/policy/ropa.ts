/**
 * The record of processing activities (GDPR Art. 30(1)), generated from the declaration: one row
 * per purpose, with the controller, the legal bases, the people and data concerned, recipients,
 * transfers with their safeguards, retention per category, sources, services and security.
 */
import { stringify } from 'csv-stringify/sync';
import {
  basisEntries,
  categoryName,
  describeBasis,
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
import { messages } from '../i18n/messages.js';
import { escapeHtml, htmlPage, pageStyle } from './html.js';
import type { PolicyModel } from './model.js';
import type { Declaration, LegalBasis, Purpose } from './schema.js';
import { legalBasisTerms } from './taxonomy.js';
import { localise } from './text.js';

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
    /** The mechanism in words, with the reference of the safeguard if any. */
    readonly safeguard: string;
  }[];
  readonly retention: readonly {
    readonly category: string;
    readonly rule: string;
    /** "7 years after the contract ends, then deleted (legal requirement: …)". */
    readonly text: string;
  }[];
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
      const words = x.mechanism === undefined ? '' : describeMechanism(x.mechanism, language);
      return {
        recipient: t(x.recipient.name),
        country: x.country,
        mechanism: x.mechanism ?? '',
        safeguard: x.reference === undefined ? words : `${words}; ${x.reference}`,
      };
    }),
    retention: retentionEntries(model, purpose).map((e) => ({
      category: e.category,
      rule: e.rule?.id ?? '',
      text: e.rule === undefined ? '' : describeRetention(e.rule, language, d),
    })),
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
  'sources',
  'services',
  'systems',
  'security',
] as const;

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
  ];
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
  const title = m.format('ropa.title', { controller: d.controller.name });
  const head = names.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = flat.map(
    (cells) =>
      `<tr>${cells
        .map((cell, i) =>
          // The purpose names the row; the controller columns repeat on every row for export.
          columns[i] === 'purpose'
            ? `<th scope="row">${escapeHtml(cell)}</th>`
            : `<td>${escapeHtml(cell)}</td>`,
        )
        .join('')}</tr>`,
  );
  const page = [
    '<main id="main">',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(m.format('ropa.meta', { id: d.id, version: d.version, date: d.effectiveDate }))}</p>`,
    '<table>',
    `<caption>${escapeHtml(m.format('ropa.caption', { controller: d.controller.name }))}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${body.join('\n')}\n</tbody>`,
    '</table>',
    '</main>',
  ].join('\n');
  // The record is one wide table: let it use the whole window.
  const style = `${pageStyle}\nmain { max-width: none; }\ntable { font-size: .8rem; }\n`;
  return htmlPage({ lang: language, title, body: page, style });
}
