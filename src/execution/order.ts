/**
 * The order in which one system's collections are erased, worked out from its dataset's foreign
 * keys and from how the person's rows are found, never written by hand.
 *
 * Two kinds of "A before B" follow from a dataset:
 *
 * - **Paths.** A collection whose rows are found through another's (orders through the customer
 *   row, an address through the customer row that points at it) is handled while that path still
 *   exists, so before the collection it is found through: deleting or masking the customer first
 *   would leave the orders unreachable. The paths are the ones `scopeFor` builds: for the
 *   request's own seeds when given, otherwise for the fullest search (`fullScopes`).
 * - **Foreign keys.** Rows to be deleted that reference a parent that is deleted go first:
 *   RESTRICT and NO ACTION refuse the parent's deletion otherwise, and CASCADE would remove the
 *   child's rows without its step. Under SET NULL only the paths matter (a child found through
 *   its parent goes first by the rule above; the link of any other row is emptied by the database).
 *
 * A parent cannot be deleted while rows that stay (kept or masked) reference it under RESTRICT,
 * NO ACTION or CASCADE (which would delete them), nor when it is found through the very rows that
 * must go before it: such a parent is masked instead, with the reason stated, and the check runs
 * again, since a masked parent now stays too. Under SET NULL (or SET DEFAULT) the parent goes and
 * the database empties the links of the rows that stay; the step says so.
 *
 * CASCADE children found only through their parent, and deleted like it, get no step of their own:
 * the parent's delete removes them (the step lists them in `cascades`), and whatever had to run
 * before them runs before the parent. Every other collection gets its own step, so the counts of
 * what was deleted are reported per collection and the cascade never fires on the person's rows.
 *
 * What is left is a partial order; a cycle in it has no safe order and is an error naming the
 * collections (lint reports the same).
 */
import type { CollectionScope, Scope } from '../connectors/contract.js';
import type { Dataset, DatasetCollection, OnDeleteRule } from '../connectors/dataset.js';
import { identityKinds } from '../connectors/dataset.js';
import { scopeFor } from '../connectors/scope.js';

export type ErasureAction = 'delete' | 'mask' | 'keep';

export interface ErasureStep {
  readonly collection: string;
  /** What the step does: the declared action, or `mask` for a parent that cannot be deleted. */
  readonly action: ErasureAction;
  /** The dataset's `erasure.action` (default `delete`). */
  readonly declared: ErasureAction;
  /** Why `action` is not the declared one, in words for operators and the receipt. */
  readonly reason?: string;
  /** Collections whose rows this step's delete removes through ON DELETE CASCADE (no step of their own). */
  readonly cascades: readonly string[];
  /** Collections whose steps must be done before this one starts. */
  readonly after: readonly string[];
  /** What the database does to other rows when this step runs (SET NULL links of rows that stay). */
  readonly notes: readonly string[];
}

export interface ErasureOrder {
  readonly system: string;
  /** Every step, in an order that satisfies each step's `after`. */
  readonly steps: readonly ErasureStep[];
  /** Collections that get no step, and why (reference data, no path from an identifying field). */
  readonly skipped: readonly { readonly collection: string; readonly reason: string }[];
}

/** A dataset whose collections cannot be erased in any order. */
export class ErasureOrderError extends Error {
  constructor(
    readonly system: string,
    /** The collections of the cycle, each to be handled before the next (and the last before the first). */
    readonly cycle: readonly string[],
  ) {
    super(
      `No safe erasure order in ${system}: ${[...cycle, cycle[0]].join(' must be handled before ')}. ` +
        'Change one of these collections to erasure "mask", or the ON DELETE rule of a foreign key between them.',
    );
    this.name = 'ErasureOrderError';
  }
}

interface Edge {
  /** The referencing collection and field. */
  readonly child: string;
  readonly field: string;
  readonly parent: string;
  readonly onDelete: OnDeleteRule;
}

const RULE: Record<OnDeleteRule, string> = {
  cascade: 'ON DELETE CASCADE',
  restrict: 'ON DELETE RESTRICT',
  no_action: 'ON DELETE NO ACTION',
  set_null: 'ON DELETE SET NULL',
  set_default: 'ON DELETE SET DEFAULT',
};

/** Foreign keys between collections of the person's data (reference data and self-references left out). */
function edgesOf(dataset: Dataset): Edge[] {
  const personal = new Set(dataset.collections.filter((c) => !c.reference).map((c) => c.name));
  const edges: Edge[] = [];
  for (const c of dataset.collections) {
    if (!personal.has(c.name)) continue;
    for (const f of c.fields) {
      const ref = f.references;
      if (ref === undefined || ref.collection === c.name || !personal.has(ref.collection)) continue;
      edges.push({ child: c.name, field: f.name, parent: ref.collection, onDelete: ref.onDelete });
    }
  }
  return edges;
}

/** A collection is a starting point when one of its fields identifies a person or links to another system. */
export const identifies = (c: DatasetCollection): boolean =>
  c.fields.some((f) => f.identity !== undefined || f.sameAs !== undefined);

/** The collections a scope is reached through directly (its `child` and `parent` paths). */
function directPaths(scope: Scope): string[] {
  switch (scope.kind) {
    case 'match':
      return [];
    case 'child':
      return [scope.parent];
    case 'parent':
      return [scope.child];
    case 'any':
      return scope.of.flatMap(directPaths);
  }
}

/**
 * The scopes of every collection a person's rows could be in, whatever identifiers a request
 * brings: `scopeFor` with a value for every kind of identifier and every linked field, so the
 * paths are those of the fullest search (a superset of any one request's).
 */
export function fullScopes(
  dataset: Dataset,
  linkedFields: readonly { readonly collection: string; readonly field: string }[] = [],
): CollectionScope[] {
  const linked = [
    ...dataset.collections.flatMap((c) =>
      c.fields.filter((f) => f.sameAs !== undefined).map((f) => ({ collection: c.name, field: f.name })),
    ),
    ...linkedFields,
  ].map((l) => ({ ...l, values: ['?'] }));
  const scopes = scopeFor(dataset, {
    identities: identityKinds.map((kind) => ({ kind, value: '?' })),
    linked,
  });
  return [...scopes].map(([collection, scope]) => ({ collection, scope }));
}

/**
 * For each collection of the person's data, the collections its rows are found through, from
 * the scopes (`fullScopes` when none are given).
 */
export function pathsOf(dataset: Dataset, scopes?: readonly CollectionScope[]): Map<string, Set<string>> {
  const via = new Map<string, Set<string>>();
  for (const { collection, scope } of scopes ?? fullScopes(dataset))
    via.set(collection, new Set(directPaths(scope)));
  return via;
}

/**
 * The erasure steps of one system in a safe order.
 *
 * @example
 * const { steps } = erasureOrder(dataset);
 * // [{ collection: 'order_lines', action: 'delete', after: [] }, { collection: 'orders', after: ['order_lines'] }, ...]
 * @throws ErasureOrderError when the constraints form a cycle.
 */
export function erasureOrder(dataset: Dataset, scopes?: readonly CollectionScope[]): ErasureOrder {
  const via = pathsOf(dataset, scopes);
  const skipped: { collection: string; reason: string }[] = [];
  const members: DatasetCollection[] = [];
  for (const c of dataset.collections) {
    if (c.reference)
      skipped.push({ collection: c.name, reason: 'reference data, never part of anyone’s data' });
    else if (!via.has(c.name))
      skipped.push({
        collection: c.name,
        reason: 'no path leads to it from a field that identifies a person, so no rows of it are anyone’s',
      });
    else members.push(c);
  }
  const inScope = new Set(members.map((c) => c.name));
  const edges = edgesOf(dataset).filter((e) => inScope.has(e.child) && inScope.has(e.parent));

  const declared = new Map<string, ErasureAction>(
    members.map((c) => [c.name, c.erasure?.action ?? 'delete']),
  );
  const action = new Map(declared);
  const reasons = new Map<string, string>();
  const stays = (name: string) => action.get(name) !== 'delete';
  const downgrade = (name: string, reason: string) => {
    action.set(name, 'mask');
    reasons.set(name, reason);
  };
  // A masked parent stays too, which can stop its own parents' deletion: repeat until settled.
  for (let changed = true; changed;) {
    changed = false;
    for (const e of edges) {
      if (action.get(e.parent) !== 'delete') continue;
      const blocking = e.onDelete === 'restrict' || e.onDelete === 'no_action' || e.onDelete === 'cascade';
      if (!blocking) continue;
      if (stays(e.child)) {
        const how = action.get(e.child) === 'keep' ? 'kept' : 'masked, not deleted';
        downgrade(
          e.parent,
          e.onDelete === 'cascade'
            ? `deleting its rows would delete rows of ${e.child} that stay (${how}) through ${RULE[e.onDelete]} on ${e.child}.${e.field}, so its personal fields are masked instead`
            : `rows of ${e.child} that stay (${how}) reference it (${e.child}.${e.field}, ${RULE[e.onDelete]}), so its rows cannot be deleted and its personal fields are masked instead`,
        );
        changed = true;
      } else if (via.get(e.parent)?.has(e.child)) {
        downgrade(
          e.parent,
          `its rows are found through rows of ${e.child} that reference them (${e.child}.${e.field}, ${RULE[e.onDelete]}): those must stay until it is handled, so its rows cannot be deleted and its personal fields are masked instead`,
        );
        changed = true;
      }
    }
  }

  // CASCADE children found only through their parent, and deleted like it, go with the parent.
  const owner = new Map<string, string>(members.map((c) => [c.name, c.name]));
  for (const e of edges) {
    const child = members.find((c) => c.name === e.child);
    const paths = via.get(e.child);
    if (
      e.onDelete === 'cascade' &&
      action.get(e.child) === 'delete' &&
      action.get(e.parent) === 'delete' &&
      child !== undefined &&
      !identifies(child) &&
      paths?.size === 1 &&
      paths.has(e.parent) &&
      edges.filter((x) => x.child === e.child && x.parent === e.parent).length === 1
    )
      owner.set(e.child, e.parent);
  }
  const ownerOf = (name: string): string => {
    let at = name;
    for (let hops = 0; hops <= members.length; hops += 1) {
      const next = owner.get(at) ?? at;
      if (next === at) return at;
      at = next;
    }
    // A cascade cycle: nobody owns the others; each keeps its step.
    return name;
  };

  const before = new Map<string, Set<string>>(members.map((c) => [c.name, new Set<string>()]));
  const notes = new Map<string, string[]>(members.map((c) => [c.name, []]));
  const constrain = (first: string, then: string) => {
    const a = ownerOf(first);
    const b = ownerOf(then);
    if (a !== b) before.get(b)?.add(a);
  };
  for (const [name, from] of via) {
    if (!inScope.has(name)) continue;
    for (const through of from) if (inScope.has(through)) constrain(name, through);
  }
  for (const e of edges) {
    if (action.get(e.parent) !== 'delete') continue;
    const nulls = e.onDelete === 'set_null' || e.onDelete === 'set_default';
    // Under SET NULL only the paths matter: the database empties the links of rows still there.
    if (action.get(e.child) === 'delete') {
      if (!nulls) constrain(e.child, e.parent);
    } else if (nulls)
      notes
        .get(ownerOf(e.parent))
        ?.push(
          `The database sets ${e.child}.${e.field} to ${e.onDelete === 'set_null' ? 'NULL' : 'its default'} in the rows of ${e.child} that stay.`,
        );
  }

  const stepNames = members.map((c) => c.name).filter((name) => ownerOf(name) === name);
  const cascades = new Map<string, string[]>();
  for (const c of members) {
    const o = ownerOf(c.name);
    if (o !== c.name) cascades.set(o, [...(cascades.get(o) ?? []), c.name]);
  }

  // Kahn's algorithm, taking the dataset's order among steps that are ready together.
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < stepNames.length) {
    const ready = stepNames.find(
      (name) => !done.has(name) && [...(before.get(name) ?? [])].every((x) => done.has(x)),
    );
    if (ready === undefined) throw new ErasureOrderError(dataset.system, cycleAmong(stepNames, before, done));
    ordered.push(ready);
    done.add(ready);
  }

  return {
    system: dataset.system,
    skipped,
    steps: ordered.map((name) => {
      const reason = reasons.get(name);
      return {
        collection: name,
        action: action.get(name) ?? 'delete',
        declared: declared.get(name) ?? 'delete',
        ...(reason === undefined ? {} : { reason }),
        cascades: cascades.get(name) ?? [],
        after: stepNames.filter((x) => before.get(name)?.has(x)),
        notes: notes.get(name) ?? [],
      };
    }),
  };
}

/** One cycle among the steps not yet ordered, in the order "each before the next". */
function cycleAmong(
  names: readonly string[],
  before: ReadonlyMap<string, ReadonlySet<string>>,
  done: ReadonlySet<string>,
): string[] {
  const left = names.filter((n) => !done.has(n));
  // Walk from any waiting step to one of its unmet predecessors until a step repeats.
  const path: string[] = [];
  let at = left[0]!;
  while (!path.includes(at)) {
    path.push(at);
    at = [...(before.get(at) ?? [])].find((x) => !done.has(x))!;
  }
  // The walk goes from a step to what must precede it: reversed, it reads "before".
  return path.slice(path.indexOf(at)).reverse();
}
