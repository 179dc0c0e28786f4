/**
 * A dataset: the reviewed map of one connected system's personal data. It is a YAML file beside
 * the declaration (`datasets/<system>.yaml`), versioned and linted like it, and it is the only
 * source of the table and column names a connector ever puts into a statement: identifiers are
 * quoted from the reviewed dataset, values are always bound parameters.
 *
 * ```yaml
 * steward: 1
 * kind: dataset
 * system: shop
 * collections:
 *   - name: customers
 *     primaryKey: [id]
 *     erasure: { action: mask }            # delete | mask | keep (for a purpose that must keep it)
 *     restriction: { field: processing_restricted, value: true }
 *     fields:
 *       - { name: id, category: user.unique_id, identity: customer }
 *       - { name: email, category: user.contact.email, identity: email, mask: hash }
 *       - { name: street, category: user.contact.address.street }   # a part of the address
 *       - { name: city_id, references: { collection: cities, field: id, onDelete: restrict } }
 *       - { name: closed_at, type: timestamptz, event: account_closed }
 *     retention: { rule: accounts, clock: closed_at }   # a rule of the declaration, and the column starting its clock
 *   - name: cities
 *     reference: true                      # no personal fields: never part of anyone's data
 *     primaryKey: [id]
 *     fields: [{ name: id }, { name: name }]
 * ```
 */
import { z } from 'zod';

const sqlName = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !s.includes('\0'), 'must not contain a NUL character');

const declaredId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_", starting with a letter');

/** Identifier kinds a field can hold; the request's verified identifiers are matched against them. */
export const identityKinds = ['email', 'phone', 'account', 'customer'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/**
 * How erasure (and retention's anonymisation) treats one field:
 * - `null`: set to NULL (a NOT NULL column needs another strategy: lint says so);
 * - `fixed`: a fixed text (`value`, default "[erased]");
 * - `random`: random text of the same length, different on every row;
 * - `hash`: HMAC-SHA-256 under a key derived from Steward's secret, so joins on it still match
 *   but the value cannot be looked up without the key;
 * - `format`: random characters that keep the value's shape (an email stays `x@y.z`, digits stay
 *   digits, so format checks and unique indexes keep working);
 * - `keep`: left as it is (an order's total, a date).
 */
export const maskStrategies = ['null', 'fixed', 'random', 'hash', 'format', 'keep'] as const;
export type MaskStrategy = (typeof maskStrategies)[number];

export const maskSchema = z.union([
  z.enum(maskStrategies),
  z.strictObject({ strategy: z.literal('fixed'), value: z.string().max(1000) }),
]);
export type Mask = z.infer<typeof maskSchema>;

export const onDeleteRules = ['cascade', 'restrict', 'no_action', 'set_null', 'set_default'] as const;
export type OnDeleteRule = (typeof onDeleteRules)[number];

export const fieldSchema = z.strictObject({
  name: sqlName,
  /** The database's type, as introspected (informative). */
  type: z.string().max(200).optional(),
  nullable: z.boolean().optional(),
  /**
   * Data category key (declared in the declaration or the default taxonomy); absent: not personal.
   * A key below another names the part of it the field holds (`user.contact.address.postal_code`,
   * `user.name.first`): a correction given in parts sets that part here, one given as one text
   * becomes a task rather than being written whole into a part.
   */
  category: z.string().optional(),
  /** The field identifies a person by this kind of identifier: a request's identifiers seed here. */
  identity: z.enum(identityKinds).optional(),
  /**
   * Values are stored normalised (emails lower-case, phones E.164): matched exactly, so an index
   * serves the look-up. Otherwise emails are compared case-insensitively.
   */
  normalised: z.boolean().optional(),
  mask: maskSchema.optional(),
  /** A foreign key to another collection of the same system (one column). */
  references: z
    .strictObject({
      collection: sqlName,
      field: sqlName,
      onDelete: z.enum(onDeleteRules).default('no_action'),
    })
    .optional(),
  /** The same value as a field of another system ("crm.contacts.shop_id is shop.customers.id"). */
  sameAs: z.strictObject({ system: declaredId, collection: sqlName, field: sqlName }).optional(),
  /**
   * The column is the source of this lifecycle event (`delivered` for an order's `delivered_at`):
   * the time it holds is when the event happened to the row.
   */
  event: declaredId.optional(),
});
export type DatasetField = z.infer<typeof fieldSchema>;

export const erasureSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('delete') }),
  /** Rows stay; every personal field is masked by its `mask` strategy (default per category). */
  z.strictObject({ action: z.literal('mask') }),
  /**
   * Rows a purpose must keep (bookkeeping under a legal obligation): they stay, and only the
   * fields outside that purpose's categories are masked.
   */
  z.strictObject({ action: z.literal('keep'), purpose: z.string().min(1) }),
]);
export type ErasureRule = z.infer<typeof erasureSchema>;

/**
 * How long the collection's rows are kept: a retention rule of the declaration and the column
 * whose time starts its clock (`created_at` for a rule triggered by collection, `delivered_at`
 * for the event `delivered`, `closed_at` for `account_closed`, `last_seen_at` for
 * `last_interaction`). A row expires when its clock is before the rule's threshold; the sweep
 * deletes or anonymises it as the rule says, in batches by the clock column (index it).
 *
 * - `through`: the clock is a column of the row this field references (an order's `placed_at`
 *   for its payments, which have no date of their own);
 * - `with`: instead of a rule, the rows go with the row this field references, through its
 *   `ON DELETE CASCADE` (an order's lines with the order).
 */
export const retentionSchema = z.union([
  z.strictObject({
    rule: z.string().min(1),
    clock: sqlName,
    through: sqlName.optional(),
  }),
  z.strictObject({ with: sqlName }),
]);
export type CollectionRetention = z.infer<typeof retentionSchema>;

export const collectionSchema = z.strictObject({
  name: sqlName,
  /** The PostgreSQL schema or MySQL database the table lives in, when not the connection's default. */
  schema: sqlName.optional(),
  description: z.string().max(2000).optional(),
  primaryKey: z.array(sqlName).min(1),
  fields: z.array(fieldSchema).min(1),
  /** Reference data (cities, currencies): never part of a person's data, never followed. */
  reference: z.boolean().optional(),
  /** Purposes this collection's data serves (declared purposes); default: the system's. */
  purposes: z.array(z.string()).optional(),
  erasure: erasureSchema.optional(),
  /** How to mark the person's rows restricted (Art. 18); without it restriction is a task. */
  restriction: z
    .strictObject({ field: sqlName, value: z.union([z.boolean(), z.string(), z.number()]) })
    .optional(),
  retention: retentionSchema.optional(),
  /** Partitioned table (PostgreSQL declarative partitioning): informative, from discovery. */
  partitioned: z.strictObject({ by: z.string(), partitions: z.number().int().nonnegative() }).optional(),
});
export type DatasetCollection = z.infer<typeof collectionSchema>;

export const datasetSchema = z.strictObject({
  steward: z.literal(1).describe('Format version of this file'),
  kind: z.literal('dataset'),
  system: declaredId.describe('The system (declared under `systems`) this dataset describes'),
  reviewed: z
    .strictObject({
      by: z.string().min(1),
      on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD'),
    })
    .optional()
    .describe('Who reviewed the map, and when; a proposal from discovery has none'),
  collections: z.array(collectionSchema).min(1),
});
export type Dataset = z.infer<typeof datasetSchema>;
export type DatasetInput = z.input<typeof datasetSchema>;

/** A field is personal when it has a category (or identifies a person). */
export const isPersonal = (field: DatasetField): boolean =>
  field.category !== undefined || field.identity !== undefined;

/**
 * Fields a change leaves alone: the key, foreign keys, and fields other collections reference.
 * Masking them would break the links the database and the kept rows rely on.
 */
export function keyFields(dataset: Dataset, collection: DatasetCollection): Set<string> {
  const keys = new Set(collection.primaryKey);
  for (const f of collection.fields) if (f.references !== undefined) keys.add(f.name);
  for (const other of dataset.collections)
    for (const f of other.fields)
      if (f.references?.collection === collection.name) keys.add(f.references.field);
  return keys;
}

/** The collection of a dataset by name; throws on a name the dataset does not have. */
export function collectionOf(dataset: Dataset, name: string): DatasetCollection {
  const found = dataset.collections.find((c) => c.name === name);
  if (found === undefined) throw new Error(`Dataset ${dataset.system} has no collection ${name}`);
  return found;
}
