/**
 * Which rows of each collection belong to a person: the reviewed dataset's identity fields and
 * references turned into one `Scope` tree per collection (pure; the SQL core compiles the trees
 * into WHERE clauses, so no keys are ever carried in memory).
 *
 * 1. Seeds: identity fields whose kind the request has values for, and `seeds.linked` values
 *    (what other systems hold for this system's fields) are `match` scopes.
 * 2. Downward: a collection referencing an in-scope collection holds the person's rows too (the
 *    orders of their customer row, the lines of those orders). Followed to a fixpoint over the
 *    strongly connected components of the reference graph, in topological order, so every scope
 *    refers only to scopes built before it; inside a cycle (a ticket replying to a ticket) the
 *    component is unrolled `CYCLE_TURNS` times around (fewer when its statement would pass
 *    `MAX_SCOPE_NODES`) and then cut.
 * 3. Upward, one hop: a collection the person's rows reference (their address) is theirs only
 *    where no row outside their scope references it too (a household's shared address is not).
 *    Nothing is followed down from a collection reached this way.
 *
 * Reference collections (`reference: true`) are never entered or left. A reference is read as
 * ownership: a foreign key that links one person to another (a referral) must not be declared
 * as `references` in the dataset, or the referred people's rows would be found too.
 */
import type { FieldValue, Scope, Seeds } from './contract.js';
import type { Dataset, DatasetField } from './dataset.js';

/** How many times a cycle of references is followed around before it is cut. */
export const CYCLE_TURNS = 3;

/**
 * The most nodes an unrolled cycle's scope may expand to (each node is a subquery or a test in
 * the statement): a tight knot of references stops turning before its statement grows huge.
 */
export const MAX_SCOPE_NODES = 400;

interface Edge {
  /** The referencing collection and field (the child). */
  readonly child: string;
  readonly childField: string;
  /** The referenced collection and field (the parent). */
  readonly parent: string;
  readonly parentField: string;
}

/**
 * The person's scope in every collection that holds some of their rows; collections with no
 * path from the seeds have no entry.
 *
 * @example
 * scopeFor(shop, { identities: [{ kind: 'email', value: 'alice@example.com' }] }).get('orders')
 * // { kind: 'child', field: 'customer_id', parent: 'customers', parentField: 'id', parentScope: ... }
 */
export function scopeFor(dataset: Dataset, seeds: Seeds): Map<string, Scope> {
  const collections = new Map(dataset.collections.map((c) => [c.name, c]));
  const personal = (name: string): boolean => {
    const c = collections.get(name);
    return c !== undefined && c.reference !== true;
  };
  const edges: Edge[] = [];
  for (const c of dataset.collections)
    for (const f of c.fields)
      if (f.references !== undefined)
        edges.push({
          child: c.name,
          childField: f.name,
          parent: f.references.collection,
          parentField: f.references.field,
        });
  const followed = edges.filter((e) => personal(e.child) && personal(e.parent));

  const seeded = seedScopes(dataset, seeds);
  const down = downward(dataset, seeded, followed);

  const result = new Map(down);
  for (const c of dataset.collections) {
    if (c.reference === true || down.has(c.name)) continue;
    const paths: Scope[] = [];
    for (const e of followed) {
      const childScope = down.get(e.child);
      if (e.parent !== c.name || childScope === undefined) continue;
      const others = edges
        .filter((o) => o.parent === c.name && o.parentField === e.parentField)
        .map((o) => {
          const scope = down.get(o.child);
          return scope === undefined
            ? { collection: o.child, field: o.childField }
            : { collection: o.child, field: o.childField, scope };
        });
      paths.push({
        kind: 'parent',
        field: e.parentField,
        child: e.child,
        childField: e.childField,
        childScope,
        others,
      });
    }
    const scope = anyOf(paths);
    if (scope !== undefined) result.set(c.name, scope);
  }
  return result;
}

/** The seed scopes of each collection: identity fields and linked values. */
function seedScopes(dataset: Dataset, seeds: Seeds): Map<string, Scope[]> {
  const out = new Map<string, Scope[]>();
  const add = (collection: string, scope: Scope) => {
    const list = out.get(collection);
    if (list === undefined) out.set(collection, [scope]);
    else list.push(scope);
  };
  for (const c of dataset.collections) {
    if (c.reference === true) continue;
    for (const f of c.fields) {
      if (f.identity === undefined) continue;
      const values = seeds.identities.filter((i) => i.kind === f.identity).map((i) => i.value);
      const scope = matchScope(f, values);
      if (scope !== undefined) add(c.name, scope);
    }
  }
  for (const link of seeds.linked ?? []) {
    const c = dataset.collections.find((x) => x.name === link.collection);
    const f = c?.fields.find((x) => x.name === link.field);
    if (c === undefined || f === undefined || c.reference === true) continue;
    const scope = matchScope(f, link.values);
    if (scope !== undefined) add(c.name, scope);
  }
  return out;
}

function matchScope(field: DatasetField, values: readonly FieldValue[]): Scope | undefined {
  const caseInsensitive = field.identity === 'email' && field.normalised !== true;
  const distinct = [
    ...new Set(
      values
        .filter((v) => v !== null)
        .map((v) => (caseInsensitive && typeof v === 'string' ? v.toLowerCase() : v)),
    ),
  ];
  if (distinct.length === 0) return undefined;
  return caseInsensitive
    ? { kind: 'match', field: field.name, values: distinct, caseInsensitive: true }
    : { kind: 'match', field: field.name, values: distinct };
}

/**
 * Downward closure. The reference graph restricted to what the seeds reach is split into
 * strongly connected components (Tarjan); components are handled parents first, so a child's
 * scope is built from its parents' finished scopes. A component with a cycle is unrolled: each
 * round builds every member's scope from the previous round's.
 */
function downward(
  dataset: Dataset,
  seeded: Map<string, Scope[]>,
  edges: readonly Edge[],
): Map<string, Scope> {
  const reached = new Set(seeded.keys());
  for (let grew = true; grew;) {
    grew = false;
    for (const e of edges)
      if (reached.has(e.parent) && !reached.has(e.child)) {
        reached.add(e.child);
        grew = true;
      }
  }
  const inner = edges.filter((e) => reached.has(e.parent) && reached.has(e.child));
  const order = dataset.collections.map((c) => c.name).filter((n) => reached.has(n));
  const components = stronglyConnected(order, inner);

  const done = new Map<string, Scope>();
  for (const component of components) {
    const members = new Set(component);
    const entry = new Map<string, Scope[]>();
    for (const name of component) {
      const paths = [...(seeded.get(name) ?? [])];
      for (const e of inner) {
        const parentScope = done.get(e.parent);
        if (e.child === name && !members.has(e.parent) && parentScope !== undefined)
          paths.push(childScope(e, parentScope));
      }
      entry.set(name, paths);
    }
    const internal = inner.filter((e) => members.has(e.parent) && members.has(e.child));
    let current = new Map<string, Scope>();
    for (const name of component) {
      const scope = anyOf(entry.get(name) ?? []);
      if (scope !== undefined) current.set(name, scope);
    }
    const rounds = internal.length === 0 ? 0 : component.length * CYCLE_TURNS;
    for (let round = 0; round < rounds; round++) {
      const next = new Map<string, Scope>();
      for (const name of component) {
        const paths = [...(entry.get(name) ?? [])];
        for (const e of internal) {
          const parentScope = current.get(e.parent);
          if (e.child === name && parentScope !== undefined) paths.push(childScope(e, parentScope));
        }
        const scope = anyOf(paths);
        if (scope !== undefined) next.set(name, scope);
      }
      // Once every member is reached, a further turn that makes a statement too large is cut.
      const grown = Math.max(...[...next.values()].map(nodes));
      if (current.size === component.length && grown > MAX_SCOPE_NODES) break;
      current = next;
    }
    for (const [name, scope] of current) done.set(name, scope);
  }
  return done;
}

const sizes = new WeakMap<Scope, number>();

/** Nodes of a scope tree as a statement expands it (shared subtrees counted each time). */
function nodes(scope: Scope): number {
  const known = sizes.get(scope);
  if (known !== undefined) return known;
  const n =
    scope.kind === 'match'
      ? 1
      : scope.kind === 'child'
        ? 1 + nodes(scope.parentScope)
        : scope.kind === 'parent'
          ? 1 +
            nodes(scope.childScope) +
            scope.others.reduce((sum, o) => sum + 1 + (o.scope === undefined ? 0 : nodes(o.scope)), 0)
          : scope.of.reduce((sum, s) => sum + nodes(s), 1);
  sizes.set(scope, n);
  return n;
}

function childScope(e: Edge, parentScope: Scope): Scope {
  return {
    kind: 'child',
    field: e.childField,
    parent: e.parent,
    parentField: e.parentField,
    parentScope,
  };
}

function anyOf(paths: readonly Scope[]): Scope | undefined {
  if (paths.length === 0) return undefined;
  if (paths.length === 1) return paths[0];
  return { kind: 'any', of: paths };
}

/**
 * Tarjan's algorithm (iterative), components returned parents first: an edge runs parent →
 * child, and Tarjan emits a component only after every component it reaches, so the emitted
 * order is reversed.
 */
function stronglyConnected(nodes: readonly string[], edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) next.get(e.parent)?.push(e.child);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const successors = next.get(frame.node) ?? [];
      if (frame.i < successors.length) {
        const w = successors[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        for (;;) {
          const w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
          if (w === frame.node) break;
        }
        out.push(component.sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b)));
      }
    }
  }
  return out.reverse();
}
