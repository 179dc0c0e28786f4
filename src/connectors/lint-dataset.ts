/**
 * Lints a dataset file (`datasets/<system>.yaml` beside a declaration) and reports every problem
 * at once, with the same YAML and line machinery as the declaration linter: schema errors, the
 * references into the declaration (system, purposes, categories), the references inside the map
 * (keys, foreign keys, restriction, `sameAs` into the other datasets), and whether erasure can be
 * carried out as written: every collection with personal data has a rule, a kept collection rests
 * on an Art. 17(3) exemption, and the foreign keys leave an order in which rows can go.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { canonicalJson, sha256Hex } from '../crypto.js';
import type { LintIssue, PathPart, RawIssue, SchemaHints, YamlSource } from '../policy/lint.js';
import { nearestCategories, placeIssues, readYamlSource, validateYaml } from '../policy/lint.js';
import { joinWords } from '../policy/describe.js';
import { PolicyModel } from '../policy/model.js';
import type { Declaration } from '../policy/schema.js';
import { categoryCovers } from '../policy/taxonomy.js';
import type { Dataset, DatasetCollection, DatasetField, IdentityKind } from './dataset.js';
import { datasetSchema, isPersonal } from './dataset.js';
import { checkRetention, retentionLintCodes } from './lint-retention.js';

export const datasetLintCodes = {
  'dataset.unreviewed': 'A proposal nobody has reviewed yet: connectors refuse to act on it',
  'dataset.file_name': 'The file is not named after the system it describes',
  'dataset.duplicate': 'Two collections, two fields of a collection, or two files share a name',
  'dataset.system_undeclared': 'The dataset describes a system the declaration does not declare',
  'dataset.category_undeclared': 'A field’s category is neither in the default taxonomy nor declared',
  'dataset.category_outside_purposes': 'A field holds a category none of its collection’s purposes declares',
  'dataset.category_parts_unnamed':
    'Several fields of a collection hold one category that has parts, and none says which part it holds',
  'dataset.purpose_undeclared': 'A collection names a purpose the declaration does not declare',
  'dataset.purpose_not_of_system': 'A collection serves a purpose its system is not declared for',
  'dataset.no_erasure_rule': 'A collection with personal fields says nothing about erasure',
  'dataset.keep_without_exemption': 'Rows are kept from erasure for a purpose no Art. 17(3) exemption covers',
  'dataset.keep_check_exemption': 'Rows are kept from erasure for a purpose that is not a legal obligation',
  'dataset.keep_outside_purposes': 'Rows are kept for a purpose the collection does not serve',
  'dataset.reference_personal': 'Reference data holds personal fields',
  'dataset.unknown_field': 'A key, reference, restriction or `sameAs` names a field that does not exist',
  'dataset.unknown_collection': 'A reference or `sameAs` names a collection that does not exist',
  'dataset.unknown_system': 'A `sameAs` names a system that is not declared, or its own system',
  'dataset.mask_null_not_nullable': 'A field that cannot be NULL is masked with null',
  'dataset.mask_not_personal': 'A mask on a field that is not personal is never applied',
  'dataset.identity_without_category': 'A field identifies people but has no data category',
  'dataset.identity_category_mismatch': 'A field’s identity kind and its category disagree',
  'dataset.reference_cycle': 'Foreign keys form a cycle that leaves no order in which to delete the rows',
  'dataset.delete_blocked': 'Deleting a collection’s rows is blocked by rows that stay and refer to them',
  'dataset.cascade_deletes_kept': 'Deleting a collection’s rows would cascade to rows that must be kept',
  'dataset.unreachable': 'No identity, `sameAs` or reference leads to this collection’s personal rows',
  'dataset.condition_collection_unknown':
    'An erasure condition reads a collection this system’s dataset does not have (or only reference data)',
  'dataset.condition_field_unknown': 'An erasure condition reads a field its collection does not have',
  ...retentionLintCodes,
} as const;

export type DatasetLintCode = keyof typeof datasetLintCodes | 'yaml.syntax' | 'schema.invalid';
export type DatasetLintIssue = LintIssue<DatasetLintCode>;

export interface DatasetLintResult {
  readonly issues: readonly DatasetLintIssue[];
  /** Present when the file parses and matches the format (lint errors may remain). */
  readonly dataset?: Dataset;
  /** SHA-256 of the dataset's canonical JSON: comments and formatting do not change it. */
  readonly contentHash?: string;
}

/** What a dataset is checked against. */
export interface DatasetLintContext {
  /** The declaration the dataset sits beside. */
  readonly declaration: Declaration;
  /** The other datasets beside it, by system id: `sameAs` targets are checked against them. */
  readonly datasets?: ReadonlyMap<string, Dataset>;
  /** The file's path, when it has one: its name must be `<system>.yaml`. */
  readonly file?: string;
}

const datasetHints: SchemaHints = {
  shape: 'See the dataset format in src/connectors/dataset.ts (or a dataset `steward systems scan` wrote).',
  keys: 'Remove the key or correct its spelling; src/connectors/dataset.ts lists the allowed keys.',
};

type Parsed = DatasetLintResult & { readonly lineOf?: YamlSource['lineOf'] };

/** Parses a dataset file: the dataset and its content hash, or the syntax and schema issues. */
export function parseDataset(source: string): DatasetLintResult {
  const { lineOf: _lineOf, ...result } = parse(source);
  return result;
}

function parse(source: string): Parsed {
  const read = readYamlSource(source);
  if ('issues' in read) return { issues: read.issues };
  const validated = validateYaml(read.yaml, datasetSchema, 'dataset', datasetHints);
  if ('issues' in validated) return { issues: validated.issues.map((i) => unquotedNull(read.yaml.raw, i)) };
  return {
    issues: [],
    dataset: validated.value,
    contentHash: sha256Hex(canonicalJson(read.yaml.raw)),
    lineOf: read.yaml.lineOf,
  };
}

/** `mask: null` is YAML's null, not the strategy: say so instead of "invalid input". */
function unquotedNull<I extends DatasetLintIssue>(raw: unknown, issue: I): I {
  if (!/\.mask$/.test(issue.path)) return issue;
  const value = issue.path
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined,
      raw,
    );
  if (value !== null) return issue;
  return {
    ...issue,
    message: `${issue.path}: is YAML's null, not a masking strategy`,
    hint: "Write mask: 'null' (in quotes) to set the column to NULL on erasure.",
  };
}

/** Lints one dataset given as YAML text. Never throws on bad input. */
export function lintDataset(source: string, context: DatasetLintContext): DatasetLintResult {
  const parsed = parse(source);
  if (parsed.dataset === undefined || parsed.lineOf === undefined) return { issues: parsed.issues };
  return {
    issues: placeIssues(parsed.lineOf, checkDatasetRules(parsed.dataset, context)),
    dataset: parsed.dataset,
    ...(parsed.contentHash !== undefined ? { contentHash: parsed.contentHash } : {}),
  };
}

/** The dataset files beside a declaration file: `datasets/*.yaml` in its folder, sorted. */
export function datasetFilesBeside(declarationFile: string): string[] {
  const folder = join(dirname(declarationFile), 'datasets');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(folder, name));
}

export interface DatasetFileResult extends DatasetLintResult {
  readonly file: string;
  readonly source: string;
}

/**
 * Lints every dataset of one declaration together: each file is parsed first, so a `sameAs`
 * into another system is checked against that system's dataset, and two files describing the
 * same system are refused.
 */
export function lintDatasetFiles(
  declaration: Declaration,
  files: readonly { readonly file: string; readonly source: string }[],
): DatasetFileResult[] {
  const parsed = files.map((f) => ({ ...f, ...parse(f.source) }));
  const bySystem = new Map<string, Dataset>();
  const firstFile = new Map<string, string>();
  for (const p of parsed) {
    if (p.dataset !== undefined && !bySystem.has(p.dataset.system)) {
      bySystem.set(p.dataset.system, p.dataset);
      firstFile.set(p.dataset.system, p.file);
    }
  }
  return parsed.map((p): DatasetFileResult => {
    const { lineOf, ...rest } = p;
    if (p.dataset === undefined || lineOf === undefined) return rest;
    const raw = checkDatasetRules(p.dataset, { declaration, datasets: bySystem, file: p.file });
    const other = firstFile.get(p.dataset.system);
    if (other !== undefined && other !== p.file)
      raw.unshift({
        code: 'dataset.duplicate',
        severity: 'error',
        pathParts: ['system'],
        message: `system "${p.dataset.system}" is already described by ${basename(other)}`,
        hint: 'Keep one dataset file per system.',
      });
    return { ...rest, issues: placeIssues(lineOf, raw) };
  });
}

/** Which categories an identity kind's values belong to. */
const identityCategories: Record<IdentityKind, readonly string[]> = {
  email: ['user.contact.email'],
  phone: ['user.contact.phone_number'],
  account: ['user.account', 'user.unique_id'],
  customer: ['user.unique_id', 'user.account'],
};

/** NOT NULL as far as the map knows: declared so, or part of the primary key. */
function notNull(collection: DatasetCollection, field: DatasetField): boolean {
  return field.nullable === false || collection.primaryKey.includes(field.name);
}

/** A foreign key that forbids deleting the row it refers to while the referring row exists. */
function blocks(collection: DatasetCollection, field: DatasetField): boolean {
  const rule = field.references?.onDelete;
  return (rule === 'restrict' || rule === 'no_action') && notNull(collection, field);
}

/** The semantic rules, over a dataset that already matches the format. */
export function checkDatasetRules(
  dataset: Dataset,
  context: DatasetLintContext,
): RawIssue<DatasetLintCode>[] {
  const issues: RawIssue<DatasetLintCode>[] = [];
  const error = (code: DatasetLintCode, pathParts: PathPart[], message: string, hint: string) =>
    issues.push({ code, severity: 'error', pathParts, message, hint });
  const warn = (code: DatasetLintCode, pathParts: PathPart[], message: string, hint: string) =>
    issues.push({ code, severity: 'warning', pathParts, message, hint });

  const d = context.declaration;
  const model = new PolicyModel(d);
  const system = d.systems.find((s) => s.id === dataset.system);

  if (dataset.reviewed === undefined)
    warn(
      'dataset.unreviewed',
      ['system'],
      `the dataset of "${dataset.system}" is a proposal: no one has reviewed it`,
      'Check every collection and field against the database, then add reviewed: { by: NAME, on: YYYY-MM-DD }.',
    );
  if (context.file !== undefined) {
    const name = basename(context.file).replace(/\.ya?ml$/, '');
    if (name !== dataset.system)
      warn(
        'dataset.file_name',
        ['system'],
        `${basename(context.file)} describes system "${dataset.system}"`,
        `Name the file ${dataset.system}.yaml.`,
      );
  }
  if (system === undefined)
    error(
      'dataset.system_undeclared',
      ['system'],
      `system "${dataset.system}" is not declared in declaration "${d.id}"`,
      'Declare it under systems in the declaration, or correct the name.',
    );

  checkConditions(dataset, d, error);

  const collections = new Map<string, DatasetCollection>();
  dataset.collections.forEach((c, i) => {
    if (collections.has(c.name))
      error(
        'dataset.duplicate',
        ['collections', i, 'name'],
        `collection "${c.name}" is listed twice`,
        'List each table once.',
      );
    else collections.set(c.name, c);
  });
  const fieldOf = (collection: DatasetCollection | undefined, name: string) =>
    collection?.fields.find((f) => f.name === name);

  dataset.collections.forEach((c, i) => {
    const at = (...rest: PathPart[]): PathPart[] => ['collections', i, ...rest];
    const personal = c.fields.filter(isPersonal);
    const purposes = c.purposes ?? system?.purposes ?? [];

    const seen = new Set<string>();
    c.fields.forEach((f, j) => {
      if (seen.has(f.name))
        error(
          'dataset.duplicate',
          at('fields', j, 'name'),
          `field "${f.name}" of "${c.name}" is listed twice`,
          'List each column once.',
        );
      seen.add(f.name);
    });
    c.primaryKey.forEach((key, j) => {
      if (fieldOf(c, key) === undefined)
        error(
          'dataset.unknown_field',
          at('primaryKey', j),
          `primary key field "${key}" is not a field of "${c.name}"`,
          'List the key column under fields, or correct the name.',
        );
    });
    if (c.restriction !== undefined && fieldOf(c, c.restriction.field) === undefined)
      error(
        'dataset.unknown_field',
        at('restriction', 'field'),
        `restriction field "${c.restriction.field}" is not a field of "${c.name}"`,
        'Name the column that marks a row restricted, and list it under fields.',
      );

    c.purposes?.forEach((p, j) => {
      if (!model.purposes.has(p))
        error(
          'dataset.purpose_undeclared',
          at('purposes', j),
          `purpose "${p}" is not declared`,
          'Declare it under purposes, or correct the reference.',
        );
      else if (system !== undefined && !system.purposes.includes(p))
        error(
          'dataset.purpose_not_of_system',
          at('purposes', j),
          `collection "${c.name}" serves purpose "${p}", which system "${dataset.system}" is not declared for`,
          `Add "${p}" to the purposes of system "${dataset.system}", so the notice says so.`,
        );
    });

    // Street and postcode both marked "postal address": a correction would be written whole into each.
    const byCategory = new Map<string, number[]>();
    c.fields.forEach((f, j) => {
      if (f.category !== undefined) byCategory.set(f.category, [...(byCategory.get(f.category) ?? []), j]);
    });
    for (const [category, indexes] of byCategory) {
      const parts = [...model.categories.keys()].filter((k) => k.startsWith(`${category}.`));
      if (indexes.length < 2 || parts.length === 0) continue;
      warn(
        'dataset.category_parts_unnamed',
        at('fields', indexes[0]!, 'category'),
        `${joinWords(
          indexes.map((j) => c.fields[j]!.name),
          'en',
        )} of "${c.name}" ${indexes.length === 2 ? 'both' : 'all'} hold ${category}: a correction to it would be written whole into each`,
        `If each holds a part, say which with the category of that part (${parts.join(', ')}).`,
      );
    }

    if (c.reference === true && personal.length > 0)
      error(
        'dataset.reference_personal',
        at('reference'),
        `reference collection "${c.name}" has personal fields (${personal.map((f) => f.name).join(', ')})`,
        'Reference data is never part of anyone’s data: remove reference: true, or the categories.',
      );
    if (c.reference !== true && personal.length > 0 && c.erasure === undefined)
      error(
        'dataset.no_erasure_rule',
        at(),
        `collection "${c.name}" has personal fields but no erasure rule`,
        'Add erasure: { action: delete }, { action: mask }, or { action: keep, purpose: ID } for a legal obligation.',
      );
    if (c.erasure?.action === 'keep') {
      const keep = c.erasure.purpose;
      const purpose = model.purposes.get(keep);
      if (purpose === undefined)
        error(
          'dataset.purpose_undeclared',
          at('erasure', 'purpose'),
          `collection "${c.name}" is kept for purpose "${keep}", which is not declared`,
          'Name a declared purpose on a legal-obligation basis.',
        );
      else {
        // Art. 17(3): rows stay only for a purpose exempt from erasure, as the purpose states
        // (erasure.exempt, whose ground the declaration's lint checks against its basis), or for
        // one on a legal obligation that states nothing (the declaration's lint warns). A public
        // task or legitimate interests (legal claims) may have a ground the purpose does not state
        // yet, so a person must confirm; consent, contract and vital interests never do.
        const bases = model.basesOf(purpose);
        if (purpose.erasure?.exempt === undefined && !bases.includes('legal_obligation')) {
          const maybe = bases.some((b) => b === 'public_task' || b === 'legitimate_interests');
          const exempt = d.purposes.filter((p) => model.exemptionOf(p) !== undefined).map((p) => p.id);
          (maybe ? warn : error)(
            maybe ? 'dataset.keep_check_exemption' : 'dataset.keep_without_exemption',
            at('erasure', 'purpose'),
            `collection "${c.name}" is kept from erasure for purpose "${keep}" (${bases.join(', ') || 'no basis'}), which states no Art. 17(3) exemption`,
            maybe
              ? `Keep it only if Art. 17(3) applies (a public task, legal claims), and state it in the purpose: erasure: { exempt: { ground, reason } }.`
              : `Erase it (delete or mask), or keep it for a purpose exempt from erasure (${exempt.join(', ') || 'none declared'}).`,
          );
        }
        if (purposes.length > 0 && !purposes.includes(keep))
          error(
            'dataset.keep_outside_purposes',
            at('erasure', 'purpose'),
            `collection "${c.name}" is kept for purpose "${keep}", which it does not serve`,
            `Add "${keep}" to the collection’s purposes (or its system’s).`,
          );
      }
    }

    const covered = purposes.flatMap((p) => model.purposes.get(p)?.categories ?? []);
    c.fields.forEach((f, j) => {
      const fat = (...rest: PathPart[]) => at('fields', j, ...rest);
      if (f.category !== undefined) {
        if (!model.hasCategory(f.category))
          error(
            'dataset.category_undeclared',
            fat('category'),
            `data category "${f.category}" is neither in the default taxonomy nor in dataCategories`,
            `Use one of the keys that exist (${nearestCategories(model, f.category).join(', ')}, ...) or add it to the declaration’s dataCategories.`,
          );
        else if (purposes.length > 0 && !covered.some((k) => categoryCovers(k, f.category ?? '')))
          error(
            'dataset.category_outside_purposes',
            fat('category'),
            `"${c.name}.${f.name}" holds ${f.category}, which none of its purposes (${purposes.join(', ')}) declares`,
            'Add the category to a purpose the collection serves, or serve a purpose that declares it.',
          );
      }
      if (f.identity !== undefined) {
        if (f.category === undefined)
          error(
            'dataset.identity_without_category',
            fat('identity'),
            `"${c.name}.${f.name}" identifies people (${f.identity}) but has no category`,
            `Give it the category of its values, such as ${identityCategories[f.identity][0] ?? 'user'}.`,
          );
        else if (!identityCategories[f.identity].some((k) => categoryCovers(k, f.category ?? '')))
          warn(
            'dataset.identity_category_mismatch',
            fat('category'),
            `"${c.name}.${f.name}" holds ${f.identity} identifiers but its category is ${f.category}`,
            `Use ${identityCategories[f.identity].join(' or ')} (or a key below it).`,
          );
      }
      if (f.mask !== undefined && !isPersonal(f))
        warn(
          'dataset.mask_not_personal',
          fat('mask'),
          `"${c.name}.${f.name}" has a mask but no category, so erasure never masks it`,
          'Give the field its category, or remove the mask.',
        );
      if (f.mask === 'null' && notNull(c, f))
        error(
          'dataset.mask_null_not_nullable',
          fat('mask'),
          `"${c.name}.${f.name}" cannot be NULL, so masking it with null would fail`,
          'Use fixed, random, hash or format instead.',
        );
      if (f.references !== undefined) {
        const target = collections.get(f.references.collection);
        if (target === undefined)
          error(
            'dataset.unknown_collection',
            fat('references', 'collection'),
            `"${c.name}.${f.name}" references collection "${f.references.collection}", which this dataset does not list`,
            'List the referenced table too (as reference: true if it holds no personal data).',
          );
        else if (fieldOf(target, f.references.field) === undefined)
          error(
            'dataset.unknown_field',
            fat('references', 'field'),
            `"${c.name}.${f.name}" references "${target.name}.${f.references.field}", which is not a field`,
            `List the field under ${target.name}, or correct the name.`,
          );
      }
      if (f.sameAs !== undefined) {
        const same = f.sameAs;
        if (same.system === dataset.system)
          error(
            'dataset.unknown_system',
            fat('sameAs', 'system'),
            `"${c.name}.${f.name}" is sameAs a field of its own system`,
            'Within one system, use references.',
          );
        else if (!d.systems.some((s) => s.id === same.system))
          error(
            'dataset.unknown_system',
            fat('sameAs', 'system'),
            `"${c.name}.${f.name}" is sameAs a field of system "${same.system}", which is not declared`,
            'Declare that system, or correct the name.',
          );
        else {
          const other = context.datasets?.get(same.system);
          const collection = other?.collections.find((x) => x.name === same.collection);
          if (other !== undefined && collection === undefined)
            error(
              'dataset.unknown_collection',
              fat('sameAs', 'collection'),
              `the dataset of "${same.system}" has no collection "${same.collection}"`,
              `Name a collection of datasets/${same.system}.yaml.`,
            );
          else if (collection !== undefined && fieldOf(collection, same.field) === undefined)
            error(
              'dataset.unknown_field',
              fat('sameAs', 'field'),
              `collection "${same.system}.${same.collection}" has no field "${same.field}"`,
              `Name a field of ${same.collection} in datasets/${same.system}.yaml.`,
            );
        }
      }
    });
  });

  checkErasureOrder(dataset, collections, error);
  checkReachable(dataset, collections, warn);
  issues.push(...checkRetention(dataset, d));
  return issues;
}

type Report = (code: DatasetLintCode, pathParts: PathPart[], message: string, hint: string) => void;

interface Edge {
  readonly child: string;
  readonly childIndex: number;
  readonly fieldIndex: number;
  readonly field: string;
  readonly parent: string;
  readonly blocking: boolean;
  readonly cascade: boolean;
}

/** The foreign keys of the map whose target exists. */
/** Erasure conditions of the declaration that read this system: their collection and fields exist. */
function checkConditions(
  dataset: Dataset,
  d: Declaration,
  error: (code: DatasetLintCode, pathParts: PathPart[], message: string, hint: string) => void,
): void {
  const personal = dataset.collections.filter((c) => c.reference !== true);
  for (const p of d.purposes)
    for (const c of p.erasure?.conditions ?? []) {
      const w = c.while;
      if (!('system' in w) || w.system !== dataset.system) continue;
      const where = `erasure condition "${c.id}" of purpose "${p.id}"`;
      const collection = personal.find((x) => x.name === w.collection);
      if (collection === undefined) {
        error(
          'dataset.condition_collection_unknown',
          ['collections'],
          `${where} reads ${dataset.system}.${w.collection}, which this dataset does not list with personal rows`,
          `Use one of ${personal.map((x) => x.name).join(', ')}, or add the collection to the dataset.`,
        );
        continue;
      }
      for (const field of [w.field, ...(w.endsAt === undefined ? [] : [w.endsAt])])
        if (!collection.fields.some((f) => f.name === field))
          error(
            'dataset.condition_field_unknown',
            ['collections', dataset.collections.indexOf(collection), 'fields'],
            `${where} reads ${dataset.system}.${w.collection}.${field}, which the collection does not list`,
            `Use one of ${collection.fields.map((f) => f.name).join(', ')}, or add the field to the dataset.`,
          );
    }
}

function edgesOf(dataset: Dataset, collections: ReadonlyMap<string, DatasetCollection>): Edge[] {
  return dataset.collections.flatMap((c, childIndex) =>
    c.fields.flatMap((f, fieldIndex): Edge[] => {
      const ref = f.references;
      if (ref === undefined || !collections.has(ref.collection)) return [];
      return [
        {
          child: c.name,
          childIndex,
          fieldIndex,
          field: f.name,
          parent: ref.collection,
          blocking: blocks(c, f),
          cascade: ref.onDelete === 'cascade',
        },
      ];
    }),
  );
}

/**
 * Erasure deletes a person's rows children first. That order exists unless rows that stay hold a
 * NOT NULL restricting key to deleted rows (blocked), a cascade would remove rows that must be
 * kept, or the deleted collections' restricting NOT NULL keys form a cycle.
 */
function checkErasureOrder(
  dataset: Dataset,
  collections: ReadonlyMap<string, DatasetCollection>,
  error: Report,
): void {
  const deleted = (name: string) => collections.get(name)?.erasure?.action === 'delete';
  const edges = edgesOf(dataset, collections);
  const fieldPath = (e: Edge): PathPart[] => [
    'collections',
    e.childIndex,
    'fields',
    e.fieldIndex,
    'references',
  ];
  for (const e of edges) {
    if (!deleted(e.parent) || e.child === e.parent) continue;
    const child = collections.get(e.child);
    if (e.blocking && !deleted(e.child))
      error(
        'dataset.delete_blocked',
        fieldPath(e),
        `"${e.parent}" rows are deleted, but "${e.child}" rows stay (${child?.erasure?.action ?? 'no erasure rule'}) and "${e.child}.${e.field}" must refer to them`,
        `Delete the "${e.child}" rows too, mask "${e.parent}" instead of deleting it, or make the key nullable with onDelete: set_null.`,
      );
    if (e.cascade && child?.erasure?.action === 'keep')
      error(
        'dataset.cascade_deletes_kept',
        fieldPath(e),
        `deleting "${e.parent}" rows cascades to "${e.child}" rows, which must be kept for ${child.erasure.purpose}`,
        `Mask "${e.parent}" instead of deleting it, or change the foreign key of "${e.child}.${e.field}".`,
      );
  }
  // Cycles among deleted collections along blocking keys (Tarjan's strongly connected components).
  const graph = new Map<string, Edge[]>();
  for (const e of edges)
    if (e.blocking && deleted(e.child) && deleted(e.parent))
      graph.set(e.child, [...(graph.get(e.child) ?? []), e]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const e of graph.get(node) ?? []) {
      if (!index.has(e.parent)) {
        visit(e.parent);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(e.parent) ?? 0));
      } else if (onStack.has(e.parent)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(e.parent) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
        onStack.delete(top);
        component.push(top);
        if (top === node) break;
      }
      components.push(component);
    }
  };
  for (const c of dataset.collections) if (!index.has(c.name)) visit(c.name);
  for (const component of components) {
    const members = new Set(component);
    const inside = edges.filter(
      (e) => graph.get(e.child)?.includes(e) === true && members.has(e.child) && members.has(e.parent),
    );
    if (inside.length === 0) continue;
    const first = inside.reduce((a, b) => (b.childIndex < a.childIndex ? b : a));
    const path = inside.map((e) => `${e.child}.${e.field} → ${e.parent}`).join(', ');
    error(
      'dataset.reference_cycle',
      fieldPath(first),
      `the rows of ${[...members].sort().join(', ')} refer to each other through NOT NULL keys that forbid deletion (${path}), so no order deletes them`,
      'Make one of these keys nullable with onDelete: set_null (or cascade), or mask one collection instead of deleting it.',
    );
  }
}

/**
 * A person's rows are found from the request's identifiers (identity fields), from other systems
 * (`sameAs`), and along foreign keys from rows already found (children, and parents only the
 * person's rows use). A collection with personal fields that none of these reach is never part
 * of anyone's answer or erasure.
 */
function checkReachable(
  dataset: Dataset,
  collections: ReadonlyMap<string, DatasetCollection>,
  warn: Report,
): void {
  const reached = new Set(
    dataset.collections
      .filter((c) => c.reference !== true && c.fields.some((f) => f.identity !== undefined || f.sameAs))
      .map((c) => c.name),
  );
  const edges = edgesOf(dataset, collections).filter(
    (e) => collections.get(e.parent)?.reference !== true && collections.get(e.child)?.reference !== true,
  );
  for (let grew = true; grew;) {
    grew = false;
    for (const e of edges) {
      for (const [from, to] of [
        [e.parent, e.child],
        [e.child, e.parent],
      ] as const) {
        if (reached.has(from) && !reached.has(to)) {
          reached.add(to);
          grew = true;
        }
      }
    }
  }
  dataset.collections.forEach((c, i) => {
    if (c.reference === true || reached.has(c.name) || !c.fields.some(isPersonal)) return;
    warn(
      'dataset.unreachable',
      ['collections', i],
      `no identity field, sameAs or foreign key leads from a person to the rows of "${c.name}"`,
      'Mark the field that identifies the person (identity: email | phone | account | customer), or add the foreign key that links the rows to one that does.',
    );
  });
}
