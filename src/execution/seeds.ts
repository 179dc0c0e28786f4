/**
 * Where a request's search for the person starts in each system. The identifiers are fixed
 * when the request is planned and kept sealed with the plan: Steward's erasure removes the
 * person's identifiers from Steward long before the last system's step runs, and a step that is
 * run again must search with exactly the same values.
 *
 * The identifiers are the person's own: those Steward holds for them that are not unsettled
 * claims, the address they proved control of, and, when an operator reviewed the request and
 * vouched for the person, the identifiers the request names.
 */
import type { AppContext } from '../context.js';
import type { FieldValue, Seeds } from '../connectors/contract.js';
import type { IdentityKind } from '../connectors/dataset.js';
import { identityKinds } from '../connectors/dataset.js';
import type { RequestClaims } from '../rights/own-data-actions.js';
import type { RequestRow } from '../rights/model.js';
import { answerAddress } from '../rights/verify-request.js';
import type { Tx } from '../store/transaction.js';
import { normaliseIdentifier } from '../subjects/normalize.js';
import type { IdentifierKind } from '../subjects/normalize.js';
import { CONTROLLER_TENANT, isChannel } from '../subjects/subjects.js';
import { unseal } from '../capture/sealed.js';
import { connectorFor } from './systems.js';
import type { SystemLink } from './plan.js';
import { linksOf } from './plan.js';

/** A request's seeds before any system's linked values are added. */
export interface RequestSeeds {
  readonly subjectId?: string;
  readonly identities: readonly { readonly kind: IdentityKind; readonly value: string }[];
}

const kinds: ReadonlySet<string> = new Set(identityKinds);

/** The identifiers Steward holds for a subject that reach them (channels, not unsettled claims). */
function ownIdentifiers(tx: Tx, subjectId: string) {
  return tx
    .selectFrom('identifiers')
    .select(['kind', 'value'])
    .where('subject_id', '=', subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .where(isChannel)
    .orderBy('created_at')
    .execute();
}

/** Where a subject's search starts in a connected system: the identifiers Steward holds for them. */
export async function subjectSeeds(tx: Tx, subjectId: string): Promise<RequestSeeds> {
  const found = identitySet();
  for (const i of await ownIdentifiers(tx, subjectId)) found.add(i.kind, i.value);
  return { subjectId, identities: found.list() };
}

/** Identifiers of the kinds systems are searched by, normalised, each once. */
function identitySet() {
  const found = new Map<string, { kind: IdentityKind; value: string }>();
  return {
    add(kind: string, raw: string | null) {
      if (raw === null || !kinds.has(kind)) return;
      const normalised = normaliseIdentifier(kind as IdentifierKind, raw);
      if (!normalised.ok) return;
      found.set(`${kind}\n${normalised.value}`, { kind: kind as IdentityKind, value: normalised.value });
    },
    list: () => [...found.values()],
  };
}

/** The identifiers a request's steps search with (see the module comment). */
export async function requestSeeds(tx: Tx, ctx: AppContext, row: RequestRow): Promise<RequestSeeds> {
  const found = identitySet();
  const add = found.add;
  if (row.subject_id !== null) for (const i of await ownIdentifiers(tx, row.subject_id)) add(i.kind, i.value);
  const contact = await answerAddress(tx, ctx, row);
  if (contact !== undefined) add('email', contact.value);
  if (row.reviewed_at !== null) {
    const claims = unseal(ctx.keys.records, row.claims) as RequestClaims;
    for (const i of claims.identifiers) add(i.kind, i.value);
  }
  return {
    ...(row.subject_id === null ? {} : { subjectId: row.subject_id }),
    identities: found.list(),
  };
}

/** Values found for linked fields, per system: what each system's `Seeds.linked` gets. */
export type LinkedValues = Record<string, { collection: string; field: string; values: FieldValue[] }[]>;

/** The seeds of one system: the request's, with the linked values found for it. */
export function seedsFor(base: RequestSeeds, system: string, linked: LinkedValues = {}): Seeds {
  const mine = linked[system] ?? [];
  return {
    ...(base.subjectId === undefined ? {} : { subjectId: base.subjectId }),
    identities: base.identities,
    ...(mine.length === 0 ? {} : { linked: mine }),
  };
}

/** Linked values of one field gathered from one system, at most this many. */
export const MAX_LINKED_VALUES = 10_000;

/** Rounds of gathering linked values: each round can reach one system further along the links. */
const MAX_ROUNDS = 5;

/** JSON cannot hold a bigint: linked values are kept as text with a marker. */
export const encodeValue = (v: FieldValue): unknown =>
  typeof v === 'bigint' ? { bigint: v.toString() } : v instanceof Date ? v.toISOString() : v;
export const decodeValue = (v: unknown): FieldValue =>
  typeof v === 'object' && v !== null && 'bigint' in v
    ? BigInt(String((v as { bigint: string }).bigint))
    : (v as FieldValue);

const sameValue = (a: FieldValue, b: FieldValue) => String(a) === String(b);

/**
 * Gathers the values linked systems hold for each other's `sameAs` fields, both ways, until a
 * round finds nothing new: the shop's customer ids for the CRM's `shop_id`, the CRM's `shop_id`
 * values for the shop's customers (a person the shop knows by another address).
 */
export async function locateLinked(
  ctx: AppContext,
  request: { readonly id: string; readonly reference: string },
  base: RequestSeeds,
  systems: readonly string[],
): Promise<LinkedValues> {
  const connectors = new Map(
    await Promise.all(systems.map(async (s) => [s, await connectorFor(ctx, s, request)] as const)),
  );
  const links: SystemLink[] = linksOf(
    [...connectors.values()].map((c) => ({
      id: c.system,
      name: c.system,
      purposes: [],
      recipients: [],
      dataset: c.dataset,
    })),
  );
  const linked: LinkedValues = {};
  const addTo = (
    system: string,
    collection: string,
    field: string,
    values: readonly FieldValue[],
  ): boolean => {
    const list = (linked[system] ??= []);
    let entry = list.find((e) => e.collection === collection && e.field === field);
    if (entry === undefined) list.push((entry = { collection, field, values: [] }));
    let added = false;
    for (const v of values)
      if (v !== null && !entry.values.some((x) => sameValue(x, v))) {
        entry.values.push(v);
        added = true;
      }
    if (entry.values.length > MAX_LINKED_VALUES)
      throw new Error(
        `More than ${MAX_LINKED_VALUES} linked values for ${system}.${collection}.${field}: the link is too broad to follow.`,
      );
    return added;
  };
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    let added = false;
    for (const { from, to } of links) {
      const source = connectors.get(to.system);
      const target = connectors.get(from.system);
      if (source === undefined || target === undefined) continue;
      const fromTo = await source.values(
        seedsFor(base, to.system, linked),
        to.collection,
        to.field,
        MAX_LINKED_VALUES + 1,
      );
      if (addTo(from.system, from.collection, from.field, fromTo)) added = true;
      const toFrom = await target.values(
        seedsFor(base, from.system, linked),
        from.collection,
        from.field,
        MAX_LINKED_VALUES + 1,
      );
      if (addTo(to.system, to.collection, to.field, toFrom)) added = true;
    }
    if (!added) break;
  }
  return linked;
}
