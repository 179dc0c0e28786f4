/**
 * Retention in a connected system, as its dataset states it (pure): which column starts a
 * collection's clock, the threshold a sweep compares it with, and how a row is anonymised.
 *
 * Anonymisation masks exactly what erasure masks (every personal field that is not a key or a
 * link, with the field's `mask` or its default), so a field is treated alike whichever path
 * removes it. A mask that leaves a stable identifier (`hash`, `format`: keyed and deterministic,
 * so the same person gives the same value everywhere; `keep`) is no anonymisation for a field
 * that identifies someone: `identifyingLeft` names such fields and lint refuses them.
 */
import type { Declaration, RetentionRule } from '../policy/schema.js';
import { categoryCovers } from '../policy/taxonomy.js';
import { expiredBefore } from '../retention/clocks.js';
import type { FieldMask } from './contract.js';
import type { Dataset, DatasetCollection, DatasetField, Mask } from './dataset.js';
import { isPersonal, keyFields } from './dataset.js';
import { defaultMask, strategyOf } from './masking.js';

/** Categories whose values single a person out on their own (or in free text, may). */
export const identifyingCategories = [
  'user.name',
  'user.contact',
  'user.account',
  'user.credentials',
  'user.unique_id',
  'user.device.cookie_id',
  'user.device.device_id',
  'user.device.ip_address',
  'user.financial.payment',
  'user.content',
  'user.biometric',
] as const;

/** A field whose value identifies someone: an identity field, or one of an identifying category. */
export function isIdentifying(field: DatasetField): boolean {
  if (field.identity !== undefined || field.sameAs !== undefined) return true;
  const category = field.category;
  return category !== undefined && identifyingCategories.some((k) => categoryCovers(k, category));
}

/** The mask erasure (and so anonymisation) applies to a field. */
export const maskOf = (field: DatasetField): Mask => field.mask ?? defaultMask(field);

/** Strategies after which the field's value no longer identifies anyone. */
const REMOVES = new Set(['null', 'fixed', 'random']);

/**
 * What anonymising the collection's rows writes: every personal field outside the keys and
 * links (`keyFields`), with its erasure mask; `keep` fields are left out.
 */
export function anonymiseMasks(dataset: Dataset, collection: DatasetCollection): FieldMask[] {
  const keys = keyFields(dataset, collection);
  return collection.fields
    .filter((f) => isPersonal(f) && !keys.has(f.name))
    .map((f) => ({ field: f.name, mask: maskOf(f) }))
    .filter((m) => strategyOf(m.mask) !== 'keep');
}

/** A field an anonymised row would still hold in identifying form, and why. */
export interface IdentifyingLeft {
  readonly field: string;
  /** `key`: a key or link, which is never masked; `mask`: its mask keeps a stable value. */
  readonly reason: 'key' | 'mask';
  readonly mask?: Mask;
}

/** The identifying fields an anonymisation of the collection would leave identifying. */
export function identifyingLeft(dataset: Dataset, collection: DatasetCollection): IdentifyingLeft[] {
  const keys = keyFields(dataset, collection);
  return collection.fields.filter(isIdentifying).flatMap((f): IdentifyingLeft[] => {
    if (keys.has(f.name)) return [{ field: f.name, reason: 'key' }];
    const mask = maskOf(f);
    return REMOVES.has(strategyOf(mask)) ? [] : [{ field: f.name, reason: 'mask', mask }];
  });
}

/** Where a collection's clock is: a column of its own rows, or of the rows a field references. */
export type RetentionClock =
  | { readonly rule: string; readonly field: DatasetField }
  | {
      readonly rule: string;
      /** The clock column, in `parent`. */
      readonly field: DatasetField;
      /** The field of this collection that references `parent`. */
      readonly through: DatasetField;
      readonly parent: DatasetCollection;
      /** The referenced field of `parent`. */
      readonly parentField: string;
    };

/**
 * The clock of a collection's retention entry, or a problem in words when the entry names a
 * field that is missing (lint reports these with their line; a connector refuses the sweep).
 * `undefined` when the collection has no rule of its own (none, or `with` its parent).
 */
export function retentionClock(
  dataset: Dataset,
  collection: DatasetCollection,
): RetentionClock | { readonly problem: string } | undefined {
  const r = collection.retention;
  if (r === undefined || !('rule' in r)) return undefined;
  const fieldOf = (c: DatasetCollection, name: string) => c.fields.find((f) => f.name === name);
  if (r.through === undefined) {
    const field = fieldOf(collection, r.clock);
    return field === undefined
      ? { problem: `retention clock "${r.clock}" is not a field of "${collection.name}"` }
      : { rule: r.rule, field };
  }
  const through = fieldOf(collection, r.through);
  if (through?.references === undefined)
    return {
      problem: `retention "through" field "${r.through}" of "${collection.name}" references no collection`,
    };
  const parent = dataset.collections.find((c) => c.name === through.references?.collection);
  const field = parent === undefined ? undefined : fieldOf(parent, r.clock);
  if (parent === undefined || field === undefined)
    return {
      problem: `retention clock "${r.clock}" is not a field of "${through.references.collection}", which "${collection.name}.${through.name}" references`,
    };
  return { rule: r.rule, field, through, parent, parentField: through.references.field };
}

/** Whether a column's declared type holds a date or a time (SQLite's ISO 8601 text counts there). */
export function isTimeType(type: string, kind?: string): boolean {
  if (/date|time/i.test(type)) return true;
  return kind === 'sqlite' && /^(text|varchar|character|char|clob)\b/i.test(type.trim());
}

/**
 * The threshold of a sweep of `ruleId` at `now`: rows whose clock is strictly before it have
 * expired. Throws on a rule the declaration does not have.
 */
export function sweepThreshold(
  declaration: Pick<Declaration, 'retention' | 'financialYear'>,
  ruleId: string,
  now: Date,
): { readonly rule: RetentionRule; readonly before: Date } {
  const rule = declaration.retention.find((r) => r.id === ruleId);
  if (rule === undefined) throw new Error(`The declaration has no retention rule "${ruleId}"`);
  return { rule, before: expiredBefore(rule, now, declaration.financialYear) };
}
