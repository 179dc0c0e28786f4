/**
 * What the connected systems hold about the person, for the access package and the portability
 * export (C9.2, C9.5, C9.9): a section per system and collection, read from the system page by
 * page when the requester collects the package (as Steward's own sections are), so no copy of
 * the person's rows is ever stored and the package shows the data as it is then. The request's
 * read steps say which systems held rows; each is read again, since data may have changed: a
 * collection's first page says whether it holds rows, and how many when they fit in it.
 *
 * Alongside, the Art. 15 facts per system: what it holds (collections, categories found) and
 * why (the purposes of those collections, with their legal basis).
 */
import { unseal } from '../capture/sealed.js';
import type { Connector, FieldValue, Page, Row, Seeds } from '../connectors/contract.js';
import type { Dataset, DatasetCollection, DatasetField } from '../connectors/dataset.js';
import { isPersonal } from '../connectors/dataset.js';
import type { AppContext } from '../context.js';
import { categoryName, describeBasis } from '../policy/describe.js';
import type { PolicyModel } from '../policy/model.js';
import { localise } from '../policy/text.js';
import type { FieldDescription, SubjectSection } from '../rights/subject-data.js';
import { loadRequest } from '../rights/model.js';
import { loadPlanRow, resultOf, systemsOf } from './complete.js';
import { categoryOf } from './plan.js';
import { LOCATE_KEY } from './plan.js';
import { linkedOf } from './receipt.js';
import type { RequestSeeds } from './seeds.js';
import { seedsFor } from './seeds.js';
import { loadSteps, planOf } from './steps.js';
import { connectorFor, declaredSystems } from './systems.js';

/** Art. 15 facts about one connected system that holds the person's data. */
export interface SystemHeld {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** Why the data is there: the purposes of the collections holding rows, with their legal basis. */
  readonly purposes: readonly {
    readonly id: string;
    readonly name: string;
    readonly legalBasis: string | null;
  }[];
  /** The categories of data found (fields of the collections holding rows). */
  readonly categories: readonly { readonly key: string; readonly name: string }[];
  readonly collections: readonly {
    readonly name: string;
    readonly description: string | null;
    readonly rows: number;
  }[];
}

export interface ConnectedData {
  readonly systems: readonly SystemHeld[];
  /** Each collection's rows as a section of the package, `systems/<system>/<collection>`. */
  sections(): AsyncGenerator<SubjectSection>;
}

const PAGE = 500;

/** The JSON type of a field, from the database's own type name. */
function typeOf(field: DatasetField): FieldDescription['type'] {
  const t = (field.type ?? '').toLowerCase();
  if (/bool/.test(t)) return 'boolean';
  if (/timestamp|date|time/.test(t)) return 'date-time';
  if (/int|numeric|decimal|real|double|float|serial|number|money/.test(t)) return 'number';
  if (/json/.test(t)) return 'object';
  return 'string';
}

/** A value as JSON can hold it: big integers as text when they do not fit, bytes as base64. */
function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

function describeField(model: PolicyModel | undefined, field: DatasetField, lang: string): FieldDescription {
  const category = categoryOf(field);
  const name =
    category === undefined ? undefined : model === undefined ? category : categoryName(model, category, lang);
  return {
    name: field.name,
    type: typeOf(field),
    description:
      category === undefined
        ? 'Held with your data; not personal data on its own'
        : `${name} (${category})${field.identity === undefined ? '' : '; identifies you'}`,
    ...(field.nullable === true ? { nullable: true } : {}),
    ...(category === undefined ? {} : { category }),
  };
}

/** A collection holding the person's rows: how many, and the first page read to find out. */
export interface HeldCollection {
  readonly collection: DatasetCollection;
  readonly count: number;
  /** The first page, kept for the section (absent when let go to keep memory bounded). */
  readonly first?: Page;
}

/** Rows of first pages kept across a request's systems until their sections are written. */
const KEEP_ROWS = 5_000;

/**
 * The collections of one system that hold the person's rows, in the dataset's order, found by
 * reading each one's first page: most people's rows fit in it, which then also gives the count.
 * Only when some collection has more is the system counted (one `count` for all of them). The
 * first pages are kept for the sections while they hold `KEEP_ROWS` rows in all (`kept` carries
 * the total across systems); past that a section reads its first page again.
 */
export async function heldCollections(
  connector: Connector,
  seeds: Seeds,
  options: { readonly wanted?: readonly string[]; readonly kept?: { rows: number } } = {},
): Promise<HeldCollection[]> {
  const kept = options.kept ?? { rows: 0 };
  const found: { collection: DatasetCollection; first: Page }[] = [];
  for (const collection of connector.dataset.collections) {
    if (collection.reference === true) continue;
    if (options.wanted !== undefined && !options.wanted.includes(collection.name)) continue;
    const first = await connector.read(seeds, collection.name, { limit: PAGE });
    if (first.rows.length > 0) found.push({ collection, first });
  }
  const counts = found.some((f) => f.first.next !== undefined) ? await connector.count(seeds) : undefined;
  return found.map(({ collection, first }) => {
    const count =
      first.next === undefined ? first.rows.length : (counts?.get(collection.name) ?? first.rows.length);
    kept.rows += first.rows.length;
    return kept.rows <= KEEP_ROWS ? { collection, count, first } : { collection, count };
  });
}

/**
 * A held collection as a section of the package, read page by page from the system (after the
 * kept first page), each value as JSON holds it.
 */
export function collectionSection(
  connector: Connector,
  seeds: Seeds,
  held: HeldCollection,
  describe: { readonly systemName: string; readonly model?: PolicyModel; readonly lang: string },
): SubjectSection {
  const { collection } = held;
  const fields = collection.fields.map((f) => describeField(describe.model, f, describe.lang));
  const json = (rows: readonly Row[]) =>
    rows.map((row) => Object.fromEntries(fields.map((f) => [f.name, jsonValue(row[f.name] ?? null)])));
  return {
    id: `systems/${connector.system}/${collection.name}`,
    section: 'system',
    category: connector.system,
    description: `${collection.description ?? `Your rows of ${collection.name}`} (from ${describe.systemName}).`,
    fields,
    count: held.count,
    async *pages(options) {
      for await (const rows of heldPages(connector, seeds, held, options?.pageSize ?? PAGE)) yield json(rows);
    },
  };
}

/** A held collection's rows as the system gives them, `size` at a time: the kept first page, then the rest. */
export async function* heldPages(
  connector: Connector,
  seeds: Seeds,
  held: HeldCollection,
  size: number = PAGE,
): AsyncGenerator<readonly Row[]> {
  const { first } = held;
  let after: readonly FieldValue[] | undefined;
  if (first !== undefined) {
    for (let i = 0; i < first.rows.length; i += size) yield first.rows.slice(i, i + size);
    if (first.next === undefined) return;
    after = first.next;
  }
  for await (const page of connector.pages(seeds, held.collection.name, {
    limit: size,
    ...(after === undefined ? {} : { after }),
  }))
    if (page.rows.length > 0) yield page.rows;
}

/**
 * The connected systems' part of a request's answer. `portability` keeps to the collections its
 * read steps were planned for (those serving a purpose on consent or contract).
 */
export async function connectedData(
  ctx: AppContext,
  requestId: string,
  options: { readonly lang: string; readonly portability?: boolean },
): Promise<ConnectedData> {
  const request = await loadRequest(ctx.store.db, requestId);
  const plan = await loadPlanRow(ctx.store.db, requestId);
  if (plan === undefined || plan.seeds === null) return { systems: [], sections: async function* () {} };
  const model = ctx.policies.get(request.declaration_id)?.model;
  const base = unseal(ctx.keys.records, plan.seeds) as RequestSeeds;
  const steps = await loadSteps(ctx.store.db, requestId);
  const linked = linkedOf(
    ctx,
    steps.find((s) => s.key === LOCATE_KEY),
  );
  const declared = model === undefined ? [] : declaredSystems(model);

  const held: {
    system: SystemHeld;
    connector: Connector;
    seeds: Seeds;
    parts: HeldCollection[];
  }[] = [];
  const kept = { rows: 0 };
  for (const system of systemsOf(plan)) {
    if (system.id === 'steward') continue;
    const read = steps.find((s) => s.system === system.id && s.action === 'read' && s.status === 'done');
    if (read === undefined || Object.keys(resultOf(read).counts ?? {}).length === 0) continue;
    const wanted = options.portability === true ? planOf(read).collections : undefined;
    const connector = await connectorFor(ctx, system.id, request);
    const seeds = seedsFor(base, system.id, linked);
    const parts = await heldCollections(connector, seeds, {
      ...(wanted === undefined ? {} : { wanted }),
      kept,
    });
    if (parts.length === 0) continue;
    const entry = declared.find((d) => d.id === system.id);
    held.push({
      system: describeSystem(
        model,
        request.jurisdiction ?? 'default',
        connector.dataset,
        entry?.purposes ?? [],
        system.name,
        entry?.description,
        parts,
        options.lang,
      ),
      connector,
      seeds,
      parts,
    });
  }
  return {
    systems: held.map((h) => h.system),
    async *sections() {
      for (const h of held)
        for (const part of h.parts)
          yield collectionSection(h.connector, h.seeds, part, {
            systemName: h.system.name,
            ...(model === undefined ? {} : { model }),
            lang: options.lang,
          });
    },
  };
}

function describeSystem(
  model: PolicyModel | undefined,
  jurisdiction: string,
  dataset: Dataset,
  systemPurposes: readonly string[],
  name: string,
  description: string | Record<string, string> | undefined,
  parts: readonly { collection: DatasetCollection; count: number }[],
  lang: string,
): SystemHeld {
  const purposeIds = [...new Set(parts.flatMap((p) => p.collection.purposes ?? systemPurposes))];
  const categories = [
    ...new Set(
      parts.flatMap((p) => p.collection.fields.filter(isPersonal).flatMap((f) => categoryOf(f) ?? [])),
    ),
  ].sort();
  return {
    id: dataset.system,
    name,
    description: description === undefined ? null : localise(description, lang),
    purposes: purposeIds.map((id) => {
      const purpose = model?.purposes.get(id);
      const basis = purpose === undefined ? undefined : model?.basisFor(purpose, jurisdiction);
      return {
        id,
        name: purpose === undefined ? id : localise(purpose.name, lang),
        legalBasis: basis === undefined ? null : describeBasis(basis, lang),
      };
    }),
    categories: categories.map((key) => ({
      key,
      name: model === undefined ? key : categoryName(model, key, lang),
    })),
    collections: parts.map((p) => ({
      name: p.collection.name,
      description: p.collection.description ?? null,
      rows: p.count,
    })),
  };
}
