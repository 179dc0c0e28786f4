/**
 * Compares a reviewed dataset with a fresh scan of the live system, so a schema that moved on
 * since the review (a new table, a dropped column, a foreign key that now restricts deletes) is
 * caught before a rights request runs into it. Each finding has a stable code, a severity, the
 * collection and field, a message and a hint; none quotes a sampled value.
 */
import type { IntrospectedTable, Introspection } from '../connectors/contract.js';
import type { Dataset, DatasetCollection, DatasetField } from '../connectors/dataset.js';
import { isPersonal } from '../connectors/dataset.js';
import type { Proposal, ProposedField } from './propose.js';

export const discoveryWarningCodes = [
  'discovery.table_missing',
  'discovery.column_missing',
  'discovery.primary_key_changed',
  'discovery.type_changed',
  'discovery.nullable_changed',
  'discovery.reference_changed',
  'discovery.new_personal_table',
  'discovery.new_personal_column',
  'discovery.unlabelled_personal_column',
  'discovery.partitions_changed',
  'discovery.new_table',
  'discovery.new_column',
] as const;
export type DiscoveryWarningCode = (typeof discoveryWarningCodes)[number];

/**
 * - `error`: Steward's statements will fail (a table or column the dataset names is gone);
 * - `warning`: personal data may be missed or treated wrongly until the dataset is reviewed again;
 * - `info`: the schema changed in a way that needs no action for personal data.
 */
export type DiscoverySeverity = 'error' | 'warning' | 'info';

export interface DiscoveryWarning {
  readonly code: DiscoveryWarningCode;
  readonly severity: DiscoverySeverity;
  readonly collection: string;
  readonly field?: string;
  readonly message: string;
  readonly hint: string;
}

/** A fresh look at the system: what `scanSystem` returns. */
export interface FreshScan {
  readonly introspection: Introspection;
  readonly proposal: Pick<Proposal, 'fields'>;
}

/** How sure the classifier must be before a field the review left unlabelled is flagged. */
const FLAG_CONFIDENCE = 0.8;

const normaliseType = (type: string) => type.trim().replace(/\s+/g, ' ').toLowerCase();

function tableFor(introspection: Introspection, c: DatasetCollection): IntrospectedTable | undefined {
  return introspection.tables.find(
    (t) => t.name === c.name && (c.schema === undefined || t.schema === undefined || t.schema === c.schema),
  );
}

/** Every difference between the reviewed dataset and the live schema that a reviewer should know of. */
export function diffDataset(reviewed: Dataset, fresh: FreshScan): DiscoveryWarning[] {
  const out: DiscoveryWarning[] = [];
  const verdicts = new Map<string, ProposedField>(
    fresh.proposal.fields.map((f) => [`${f.collection}\u0000${f.field}`, f]),
  );
  const verdict = (table: string, column: string) => verdicts.get(`${table}\u0000${column}`);
  const described = new Set<string>();

  for (const collection of reviewed.collections) {
    const table = tableFor(fresh.introspection, collection);
    if (table === undefined) {
      out.push({
        code: 'discovery.table_missing',
        severity: 'error',
        collection: collection.name,
        message: `The dataset describes ${collection.name}, but the system has no such table${collection.schema ? ` in ${collection.schema}` : ''}.`,
        hint: 'Remove the collection from the dataset if the table is gone, or correct its name or schema.',
      });
      continue;
    }
    described.add(table.name);
    out.push(...diffCollection(collection, table, verdict));
  }

  for (const table of fresh.introspection.tables) {
    if (described.has(table.name) || table.kind === 'view') continue;
    const personal = table.columns.filter((c) => verdict(table.name, c.name)?.category !== undefined);
    out.push(
      personal.length > 0
        ? {
            code: 'discovery.new_personal_table',
            severity: 'warning',
            collection: table.name,
            message: `New table ${table.name} looks personal (${personal.map((c) => `${c.name}: ${verdict(table.name, c.name)?.category ?? ''}`).join(', ')}), and the dataset does not describe it.`,
            hint: `Run \`steward systems scan\` and add ${table.name} to the dataset, reviewed.`,
          }
        : {
            code: 'discovery.new_table',
            severity: 'info',
            collection: table.name,
            message: `New table ${table.name} has no personal columns that discovery can see.`,
            hint: `Add it as a reference collection (reference: true) if other collections point at it.`,
          },
    );
  }
  return out;
}

function diffCollection(
  collection: DatasetCollection,
  table: IntrospectedTable,
  verdict: (table: string, column: string) => ProposedField | undefined,
): DiscoveryWarning[] {
  const out: DiscoveryWarning[] = [];
  const name = collection.name;
  const livePk = table.primaryKey.join(', ');
  if (table.primaryKey.length > 0 && livePk !== collection.primaryKey.join(', '))
    out.push({
      code: 'discovery.primary_key_changed',
      severity: 'error',
      collection: name,
      message: `${name}'s primary key is (${livePk}); the dataset says (${collection.primaryKey.join(', ')}).`,
      hint: 'Set primaryKey to the live key: Steward pages through rows and changes them by it.',
    });

  const columns = new Map(table.columns.map((c) => [c.name, c]));
  for (const field of collection.fields) {
    const column = columns.get(field.name);
    if (column === undefined) {
      out.push({
        code: 'discovery.column_missing',
        severity: 'error',
        collection: name,
        field: field.name,
        message: `The dataset describes ${name}.${field.name}, but the table has no such column.`,
        hint: 'Remove the field from the dataset if the column is gone, or correct its name.',
      });
      continue;
    }
    if (field.type !== undefined && normaliseType(field.type) !== normaliseType(column.type))
      out.push({
        code: 'discovery.type_changed',
        severity: 'warning',
        collection: name,
        field: field.name,
        message: `${name}.${field.name} is now ${column.type}; the dataset says ${field.type}.`,
        hint: "Check that the field's mask still fits the type, then update `type`.",
      });
    if (field.nullable !== undefined && field.nullable !== column.nullable) {
      const breaksMask = !column.nullable && field.mask === 'null';
      out.push({
        code: 'discovery.nullable_changed',
        severity: breaksMask ? 'warning' : 'info',
        collection: name,
        field: field.name,
        message: `${name}.${field.name} is now ${column.nullable ? 'nullable' : 'NOT NULL'}${breaksMask ? ', and its mask sets it to NULL' : ''}.`,
        hint: breaksMask
          ? 'Choose another mask (fixed, format or hash): setting a NOT NULL column to NULL fails.'
          : 'Update `nullable` in the dataset.',
      });
    }
    const reference = diffReference(name, field, table);
    if (reference !== undefined) out.push(reference);
    const fresh = verdict(table.name, column.name);
    if (!isPersonal(field) && fresh?.category !== undefined && fresh.confidence >= FLAG_CONFIDENCE)
      out.push(unlabelled(name, field.name, fresh, collection.reference === true));
  }

  const fieldNames = new Set(collection.fields.map((f) => f.name));
  for (const column of table.columns) {
    if (fieldNames.has(column.name)) continue;
    const fresh = verdict(table.name, column.name);
    out.push(
      fresh?.category !== undefined
        ? {
            code: 'discovery.new_personal_column',
            severity: 'warning',
            collection: name,
            field: column.name,
            message: `New column ${name}.${column.name} looks like ${fresh.category} (${fresh.confidence.toFixed(2)}: ${fresh.reasons.join(', ')}).`,
            hint: 'Add the field to the dataset with its category and mask, so requests read and erase it.',
          }
        : {
            code: 'discovery.new_column',
            severity: 'info',
            collection: name,
            field: column.name,
            message: `New column ${name}.${column.name} (${column.type}) is not described; it does not look personal.`,
            hint: 'Add it to the dataset as a field without a category if it should be read.',
          },
    );
  }

  const livePartitions = table.partitions?.names.length;
  if (collection.partitioned !== undefined && livePartitions !== collection.partitioned.partitions)
    out.push({
      code: 'discovery.partitions_changed',
      severity: 'info',
      collection: name,
      message: `${name} now has ${livePartitions ?? 0} partitions; the dataset says ${collection.partitioned.partitions}.`,
      hint: 'Update `partitioned`; Steward reads partitions through the parent table either way.',
    });
  return out;
}

function unlabelled(
  collection: string,
  field: string,
  fresh: ProposedField,
  reference: boolean,
): DiscoveryWarning {
  return {
    code: 'discovery.unlabelled_personal_column',
    severity: 'warning',
    collection,
    field,
    message: `${collection}.${field} has no category${reference ? ' (its collection is marked reference data)' : ''}, but now looks like ${fresh.category} (${fresh.confidence.toFixed(2)}: ${fresh.reasons.join(', ')}).`,
    hint: reference
      ? 'If the table now holds personal data, remove `reference: true` and give the field its category.'
      : 'Give the field its category and a mask, or leave it if you reviewed it as not personal.',
  };
}

function diffReference(
  collection: string,
  field: DatasetField,
  table: IntrospectedTable,
): DiscoveryWarning | undefined {
  const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === field.name);
  const said = field.references;
  const at = `${collection}.${field.name}`;
  const base = {
    code: 'discovery.reference_changed' as const,
    severity: 'warning' as const,
    collection,
    field: field.name,
  };
  if (said === undefined && fk === undefined) return undefined;
  if (said === undefined && fk !== undefined)
    return {
      ...base,
      message: `${at} now references ${fk.references.table}.${fk.references.columns[0] ?? ''} (ON DELETE ${fk.onDelete}); the dataset has no reference.`,
      hint: 'Add `references` to the field, so erasure follows the link and orders its steps by it.',
    };
  if (said !== undefined && fk === undefined)
    return {
      ...base,
      message: `${at} no longer has a foreign key to ${said.collection}.${said.field}.`,
      hint: 'Remove `references` if the link is gone, or keep it if the application keeps the link without a constraint.',
    };
  if (said !== undefined && fk !== undefined) {
    const target = fk.references.columns[0] ?? '';
    if (
      said.collection !== fk.references.table ||
      said.field !== target ||
      (said.onDelete ?? 'no_action') !== fk.onDelete
    )
      return {
        ...base,
        message: `${at} references ${fk.references.table}.${target} ON DELETE ${fk.onDelete}; the dataset says ${said.collection}.${said.field} ON DELETE ${said.onDelete ?? 'no_action'}.`,
        hint: 'Update `references`: its ON DELETE rule decides whether erasure can delete the rows it points at.',
      };
  }
  return undefined;
}
