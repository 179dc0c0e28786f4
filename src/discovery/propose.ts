/**
 * Turns a live schema into a proposed dataset for a person to review: collections with their
 * keys, fields with type, category, identity and a default mask, references from the foreign
 * keys, reference tables, and a default erasure rule per table. What the proposal cannot decide
 * (a table without a key, a view, bookkeeping rows a law may make you keep) becomes a note.
 *
 * Sampled values are read one column at a time, reduced to counts at once (`sampleStats`) and
 * dropped (every column is sampled before any is classified, so table roles can use the counts): no value reaches the proposal, its notes, its YAML, or an error.
 */
import { Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type {
  Connector,
  IntrospectedColumn,
  IntrospectedTable,
  Introspection,
} from '../connectors/contract.js';
import { ConnectorError } from '../connectors/contract.js';
import type { DatasetField, DatasetInput, IdentityKind, Mask } from '../connectors/dataset.js';
import type { ClassifiedTable, ColumnClassification, SampleStats, TableContext } from './classify.js';
import {
  SAMPLE_LIMIT,
  classifyWithStats,
  needsSample,
  ownedOf,
  sampleStats,
  tableRoles,
} from './classify.js';
import { withModel } from './model.js';
import type { TableRole } from './names.js';
import { tableNameHas, typeKind } from './names.js';

/** What a proposal could not settle, for the reviewer. */
export type ProposalNoteCode =
  | 'discovery.no_primary_key'
  | 'discovery.unique_key_used'
  | 'discovery.view'
  | 'discovery.keep_suggested'
  | 'discovery.check_field'
  | 'discovery.sample_failed'
  | 'discovery.partitioned'
  | 'discovery.triggers'
  | 'discovery.composite_reference'
  | 'discovery.reference_left_out'
  | 'discovery.no_collections';

export interface ProposalNote {
  readonly code: ProposalNoteCode;
  readonly collection?: string;
  readonly field?: string;
  readonly message: string;
}

/** One column's verdict in the proposal, personal or not, with the rules behind it. */
export interface ProposedField {
  readonly collection: string;
  readonly field: string;
  readonly category?: string;
  readonly identity?: IdentityKind;
  readonly confidence: number;
  readonly reasons: readonly string[];
}

export interface Proposal {
  /**
   * The proposed dataset, without a `reviewed` block. It parses under `datasetSchema` unless
   * no table could become a collection (then `collections` is empty and a note says why).
   */
  readonly dataset: DatasetInput;
  readonly notes: readonly ProposalNote[];
  /** Every column's verdict, in table order. */
  readonly fields: readonly ProposedField[];
  /** Why each collection got its erasure rule (collection → reason). */
  readonly erasureReasons: ReadonlyMap<string, string>;
  /** The server the schema was read from. */
  readonly server: string;
}

/** Reads at most `limit` values of a column, as text: a connector's `sample`. */
export type Sampler = (
  table: { name: string; schema?: string },
  column: string,
  limit: number,
) => Promise<string[]>;

export interface ScanProgress {
  readonly phase: 'introspect' | 'sample' | 'done';
  /** The table being sampled (1-based `index` of `total`). */
  readonly table?: string;
  readonly index: number;
  readonly total: number;
}

export interface ProposeOptions {
  /** The system id the dataset is for; default the introspection's. */
  readonly system?: string;
  /** The clock for dates of birth. */
  readonly now?: Date;
  readonly sampleLimit?: number;
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** Names of tables whose rows are bookkeeping records a law may require to keep. */
// prettier-ignore
const bookkeepingStems = [
  'invoice', 'payment', 'ledger', 'journal', 'transaction', 'receipt', 'voucher', 'creditnote',
  'faktura', 'fakturor', 'rechnung', 'betalning', 'zahlung', 'buchung', 'bokforing', 'verifikation',
  'kvitto', 'bilag', 'lasku', 'maksu', 'factuur', 'betaling', 'payout', 'refund', 'settlement',
];

const key = (t: IntrospectedTable) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`);

/**
 * Proposes a dataset from a live schema: samples each candidate column (at most 50 values, as
 * counts only), classifies every column and derives keys, references, reference tables, erasure
 * rules and masks.
 */
export async function proposeDataset(
  introspection: Introspection,
  sampler: Sampler,
  options: ProposeOptions = {},
): Promise<Proposal> {
  const now = options.now ?? new Date();
  const limit = Math.min(options.sampleLimit ?? SAMPLE_LIMIT, SAMPLE_LIMIT);
  const notes: ProposalNote[] = [];
  const total = introspection.tables.length;

  // Every candidate column is sampled first (as counts), so that table roles can use the values.
  const sampled = new Map<IntrospectedTable, Map<string, SampleStats>>();
  const failuresOf = new Map<IntrospectedTable, { failed: number; codes: Set<string> }>();
  for (const [i, table] of introspection.tables.entries()) {
    options.onProgress?.({ phase: 'sample', table: table.name, index: i + 1, total });
    const stats = new Map<string, SampleStats>();
    const failures = { failed: 0, codes: new Set<string>() };
    for (const column of table.columns) {
      if (!needsSample(table, column)) continue;
      try {
        const values = await sampler(
          { name: table.name, ...(table.schema !== undefined ? { schema: table.schema } : {}) },
          column.name,
          limit,
        );
        stats.set(column.name, sampleStats(values, now));
      } catch (error) {
        // A driver's message may quote a value: only the error's code is kept.
        failures.failed++;
        failures.codes.add(error instanceof ConnectorError ? error.code : 'failed');
      }
    }
    sampled.set(table, stats);
    failuresOf.set(table, failures);
  }
  const statsOf = (table: IntrospectedTable, column: IntrospectedColumn) =>
    sampled.get(table)?.get(column.name);

  const roles = tableRoles(introspection, statsOf);
  const roleOf = new Map<string, TableRole>([...roles].map(([k, v]) => [k, v.role]));
  const ownedTables = ownedOf(roles);
  const classified: ClassifiedTable[] = [];
  for (const table of introspection.tables) {
    const { role, owned } = roles.get(table.name) ?? { role: 'unknown' as const, owned: false };
    const context: TableContext = { table, role, owned, roles: roleOf, ownedTables };
    const columns = table.columns.map((column) => ({
      column,
      verdict: withModel(
        context,
        column,
        statsOf(table, column),
        classifyWithStats(context, column, statsOf(table, column)),
      ),
    }));
    const { failed, codes } = failuresOf.get(table)!;
    if (failed > 0)
      notes.push({
        code: 'discovery.sample_failed',
        collection: table.name,
        message: `${failed} column${failed === 1 ? '' : 's'} of ${table.name} could not be sampled (${[...codes].join(', ')}); they were classified by name and type only.`,
      });
    classified.push({ table, role, owned, columns });
  }
  options.onProgress?.({ phase: 'done', index: total, total });
  return buildProposal(introspection, classified, notes, options.system ?? introspection.system);
}

function buildProposal(
  introspection: Introspection,
  classified: readonly ClassifiedTable[],
  notes: ProposalNote[],
  system: string,
): Proposal {
  const fields: ProposedField[] = [];
  for (const t of classified)
    for (const { column, verdict } of t.columns) {
      fields.push({
        collection: t.table.name,
        field: column.name,
        ...(verdict.category !== undefined ? { category: verdict.category } : {}),
        ...(verdict.identity !== undefined ? { identity: verdict.identity } : {}),
        confidence: verdict.confidence,
        reasons: verdict.reasons,
      });
      if (verdict.review !== undefined)
        notes.push({
          code: 'discovery.check_field',
          collection: t.table.name,
          field: column.name,
          message: verdict.review,
        });
    }

  // Which tables become collections, and with which key.
  const keys = new Map<string, readonly string[]>();
  for (const t of classified) {
    const table = t.table;
    const personal = t.columns.filter((c) => c.verdict.category !== undefined).map((c) => c.column.name);
    if (table.kind === 'view') {
      notes.push({
        code: 'discovery.view',
        collection: table.name,
        message:
          personal.length > 0
            ? `View ${table.name} shows personal columns (${personal.join(', ')}); views are described here only and never changed: its base tables hold the data.`
            : `View ${table.name} is left out: views are never changed.`,
      });
      continue;
    }
    if (table.primaryKey.length > 0) {
      keys.set(key(table), table.primaryKey);
      continue;
    }
    const notNull = new Set(table.columns.filter((c) => !c.nullable).map((c) => c.name));
    const unique = table.uniques.find((u) => u.length > 0 && u.every((c) => notNull.has(c)));
    if (unique !== undefined) {
      keys.set(key(table), unique);
      notes.push({
        code: 'discovery.unique_key_used',
        collection: table.name,
        message: `${table.name} has no primary key; its unique NOT NULL columns (${unique.join(', ')}) are used as the key.`,
      });
      continue;
    }
    notes.push({
      code: 'discovery.no_primary_key',
      collection: table.name,
      message: `${table.name} has no primary key and no unique NOT NULL columns, so Steward cannot page through it or change single rows; it is left out${personal.length > 0 ? `, although it looks personal (${personal.join(', ')})` : ''}. Add a primary key, or describe it by hand.`,
    });
  }

  const included = classified.filter((t) => keys.has(key(t.table)));
  const byName = new Map(included.map((t) => [t.table.name, t]));
  const hasPersonal = (t: ClassifiedTable) => t.columns.some((c) => c.verdict.category !== undefined);

  // Tables linked to a person: personal fields, or a foreign key to a linked table (an order's lines).
  const linked = new Set(included.filter(hasPersonal).map((t) => t.table.name));
  for (let changed = true; changed;) {
    changed = false;
    for (const t of included)
      if (!linked.has(t.table.name) && t.table.foreignKeys.some((fk) => linked.has(fk.references.table))) {
        linked.add(t.table.name);
        changed = true;
      }
  }

  const erasure = erasureRules(included, linked, byName, hasPersonal);

  const collections = included.map((t) => {
    const table = t.table;
    const isReference = !linked.has(table.name);
    const datasetFields = t.columns.map(({ column, verdict }) => fieldOf(table, column, verdict, byName));
    for (const fk of table.foreignKeys)
      if (fk.columns.length === 1 && !byName.has(fk.references.table))
        notes.push({
          code: 'discovery.reference_left_out',
          collection: table.name,
          field: fk.columns[0]!,
          message: `${table.name}.${fk.columns[0]!} references ${fk.references.table}, which is not a collection of this proposal, so the reference is left out.`,
        });
    const rule = erasure.get(table.name);
    if (rule?.action === 'mask' && rule.keep && hasPersonal(t))
      notes.push({
        code: 'discovery.keep_suggested',
        collection: table.name,
        message: `${table.name} looks like bookkeeping. If a law makes you keep these rows, set erasure to { action: keep, purpose: <the declared purpose that keeps them> }; until then they are masked.`,
      });
    if (table.kind === 'partitioned')
      notes.push({
        code: 'discovery.partitioned',
        collection: table.name,
        message: `${table.name} is partitioned by ${table.partitions?.by ?? 'a key'} (${table.partitions?.names.length ?? 0} partitions); Steward reads and changes it through the parent table.`,
      });
    if (table.triggers.length > 0 && !isReference)
      notes.push({
        code: 'discovery.triggers',
        collection: table.name,
        message: `${table.name} has triggers (${table.triggers.join(', ')}); check what they do when Steward deletes or masks its rows.`,
      });
    for (const fk of table.foreignKeys)
      if (fk.columns.length > 1)
        notes.push({
          code: 'discovery.composite_reference',
          collection: table.name,
          message: `${table.name} (${fk.columns.join(', ')}) references ${fk.references.table} on several columns; datasets describe one-column references only, so this link is not followed.`,
        });
    return {
      name: table.name,
      ...(table.schema !== undefined ? { schema: table.schema } : {}),
      primaryKey: [...keys.get(key(table))!],
      ...(isReference ? { reference: true } : {}),
      ...(!isReference && rule !== undefined ? { erasure: { action: rule.action } } : {}),
      ...(table.kind === 'partitioned'
        ? { partitioned: { by: table.partitions?.by ?? '', partitions: table.partitions?.names.length ?? 0 } }
        : {}),
      fields: datasetFields,
    };
  });

  if (collections.length === 0)
    notes.push({
      code: 'discovery.no_collections',
      message:
        'No table of this system could become a collection (none has a primary key); the proposal is empty.',
    });

  const erasureReasons = new Map([...erasure].map(([name, r]) => [name, r.reason]));
  return {
    dataset: { steward: 1, kind: 'dataset', system, collections },
    notes,
    fields,
    erasureReasons,
    server: introspection.server,
  };
}

interface ErasureChoice {
  action: 'delete' | 'mask';
  reason: string;
  keep?: boolean;
}

/**
 * Default erasure per linked table: delete the person's own rows; mask rows that must stay, which
 * are bookkeeping, rows of things a person only touched (a product's `created_by`), rows other kept
 * rows point at with RESTRICT or NO ACTION (deleting them would fail), and the lines of kept rows.
 */
function erasureRules(
  included: readonly ClassifiedTable[],
  linked: ReadonlySet<string>,
  byName: ReadonlyMap<string, ClassifiedTable>,
  hasPersonal: (t: ClassifiedTable) => boolean,
): Map<string, ErasureChoice> {
  const rules = new Map<string, ErasureChoice>();
  for (const t of included) {
    if (!linked.has(t.table.name)) continue;
    if (tableNameHas(t.table.name, bookkeepingStems))
      rules.set(t.table.name, {
        action: 'mask',
        keep: true,
        reason: 'bookkeeping rows: kept, personal fields masked',
      });
    else if (t.role === 'thing' && hasPersonal(t))
      rules.set(t.table.name, {
        action: 'mask',
        reason: "the rows are not the person's; only their fields are masked",
      });
    else rules.set(t.table.name, { action: 'delete', reason: "the person's own rows" });
  }
  const blocking = new Set(['restrict', 'no_action']);
  for (let changed = true; changed;) {
    changed = false;
    for (const child of included) {
      const childRule = rules.get(child.table.name);
      for (const fk of child.table.foreignKeys) {
        const parentRule = rules.get(fk.references.table);
        if (parentRule === undefined || !byName.has(fk.references.table)) continue;
        // Kept child rows pointing at the parent with RESTRICT or NO ACTION keep the parent rows too.
        const childStays = childRule === undefined || childRule.action === 'mask';
        if (parentRule.action === 'delete' && childStays && blocking.has(fk.onDelete)) {
          rules.set(fk.references.table, {
            action: 'mask',
            reason: `rows of ${child.table.name} that stay reference them (${fk.onDelete === 'restrict' ? 'RESTRICT' : 'NO ACTION'}), so deleting would fail`,
          });
          changed = true;
        }
        // Lines of a kept record (an invoice's lines, an order's items) stay with it; a masked
        // person's other rows (their addresses) are still theirs to delete.
        const parentRecord = byName.get(fk.references.table)?.role !== 'person';
        const part = !hasPersonal(child) || fk.onDelete === 'cascade';
        if (childRule?.action === 'delete' && parentRule.action === 'mask' && parentRecord && part) {
          rules.set(child.table.name, {
            action: 'mask',
            reason: `they belong to rows of ${fk.references.table}, which stay`,
          });
          changed = true;
        }
      }
    }
  }
  return rules;
}

const dateKinds = new Set(['date', 'datetime']);

/** The dataset field of a column: type, nullability, category, identity, mask and reference. */
function fieldOf(
  table: IntrospectedTable,
  column: IntrospectedColumn,
  verdict: ColumnClassification,
  collections: ReadonlyMap<string, unknown>,
): DatasetField {
  const fk = table.foreignKeys.find(
    (f) => f.columns.length === 1 && f.columns[0] === column.name && collections.has(f.references.table),
  );
  const field: DatasetField = {
    name: column.name,
    type: column.type.slice(0, 200),
    nullable: column.nullable,
    ...(verdict.category !== undefined ? { category: verdict.category } : {}),
    ...(verdict.identity !== undefined ? { identity: verdict.identity } : {}),
  };
  if (verdict.category !== undefined) field.mask = defaultMask(table, column, verdict, fk !== undefined);
  if (fk !== undefined)
    field.references = {
      collection: fk.references.table,
      field: fk.references.columns[0]!,
      onDelete: fk.onDelete,
    };
  return field;
}

/**
 * The mask a personal field gets by default: keys stay (other rows join on them); unique
 * identifiers are hashed so joins still match; nullable fields become NULL; NOT NULL ones get a
 * fixed value of their type, or random characters of the same shape for structured values.
 */
function defaultMask(
  table: IntrospectedTable,
  column: IntrospectedColumn,
  verdict: ColumnClassification,
  isReference: boolean,
): Mask {
  if (isReference || table.primaryKey.includes(column.name)) return 'keep';
  const unique = table.uniques.some((u) => u.length === 1 && u[0] === column.name);
  if (unique && (verdict.identity !== undefined || verdict.category === 'user.unique_id')) return 'hash';
  if (column.nullable) return 'null';
  const kind = typeKind(column.type);
  if (kind === 'numeric' || kind === 'boolean') return { strategy: 'fixed', value: '0' };
  if (dateKinds.has(kind) || verdict.category === 'user.demographic.age')
    return { strategy: 'fixed', value: '1900-01-01' };
  if (unique) return 'hash';
  const structured = [
    'user.contact.email',
    'user.contact.phone_number',
    'user.device.ip_address',
    'user.financial',
    'user.financial.payment',
    'user.unique_id',
    'user.device.cookie_id',
    'user.device.device_id',
  ];
  return structured.includes(verdict.category ?? '') ? 'format' : 'fixed';
}

/** Introspects a system and proposes its dataset, reporting progress table by table. */
export async function scanSystem(
  connector: Pick<Connector, 'introspect' | 'sample' | 'system'>,
  options: Omit<ProposeOptions, 'system'> & { readonly system?: string } = {},
): Promise<{ introspection: Introspection; proposal: Proposal }> {
  options.onProgress?.({ phase: 'introspect', index: 0, total: 0 });
  const introspection = await connector.introspect();
  const proposal = await proposeDataset(introspection, (t, c, l) => connector.sample(t, c, l), {
    ...options,
    system: options.system ?? connector.system,
  });
  return { introspection, proposal };
}

/**
 * The proposal as YAML for review: the dataset, with each field's confidence and the rules behind
 * its category as a comment, each collection's erasure reason, and the notes at the top.
 */
export function proposalToYaml(proposal: Proposal, generatedOn: Date = new Date()): string {
  const doc = new Document(proposal.dataset);
  const header = [
    ` Proposed by \`steward systems scan\` on ${generatedOn.toISOString().slice(0, 10)} from ${proposal.server}.`,
    ' Review every field (category, identity, mask) and each erasure rule, then add',
    " `reviewed: { by: <your name>, on: <YYYY-MM-DD> }`. Comments give each verdict's confidence and rules.",
  ];
  if (proposal.notes.length > 0) {
    header.push('', ' To check:');
    for (const n of proposal.notes)
      header.push(
        ` - ${n.code}${n.collection ? ` [${n.collection}${n.field ? `.${n.field}` : ''}]` : ''}: ${n.message}`,
      );
  }
  doc.commentBefore = header.join('\n');
  const verdicts = new Map(proposal.fields.map((f) => [`${f.collection}\u0000${f.field}`, f]));
  const collections = doc.get('collections') as YAMLSeq | undefined;
  for (const item of collections?.items ?? []) {
    const c = item as YAMLMap;
    const name = String(c.get('name'));
    const reason = proposal.erasureReasons.get(name);
    if (reason !== undefined) {
      const erasure = c.get('erasure', true) as YAMLMap | undefined;
      if (erasure !== undefined) {
        erasure.flow = true;
        erasure.comment = ` ${reason}`;
      }
    }
    const primaryKey = c.get('primaryKey', true) as YAMLSeq | undefined;
    if (primaryKey !== undefined) primaryKey.flow = true;
    const fieldList = c.get('fields') as YAMLSeq;
    for (const fieldItem of fieldList.items) {
      const f = fieldItem as YAMLMap;
      f.flow = true;
      const v = verdicts.get(`${name}\u0000${String(f.get('name'))}`);
      if (v !== undefined) f.comment = ` ${v.confidence.toFixed(2)} ${v.reasons.join(', ')}`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}
