/**
 * The Provider partition, enforced in one place. Every query Kysely runs passes through
 * `tenantGuard`, which refuses one that reads, changes or deletes rows of a partitioned table
 * (a table with a `tenant` column) without naming the tenant, and an insert that gives none. So
 * data held as processor (C1.4) cannot reach a controller purpose through a forgotten `where`:
 * the query fails instead of answering from every partition.
 *
 * A query names its tenant with `tenant = x` or `tenant in (...)` in the top-level AND chain of
 * its WHERE, or, for a joined table, of its join's ON; `a.tenant = b.tenant` carries one table's
 * tenant to the other. Conditions under OR, NOT or a subquery do not count. The rare query that
 * must see every partition says so with `unsafeAnyTenant(table)`.
 *
 * Raw `sql` statements are not inspected: they stand out in review, and src/ writes none on
 * these tables.
 */
import type {
  AliasNode,
  BinaryOperationNode,
  ColumnUpdateNode,
  DeleteQueryNode,
  Expression,
  InsertQueryNode,
  JoinNode,
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  ReferenceNode,
  RootOperationNode,
  SelectQueryNode,
  SqlBool,
  TableNode,
  UnknownRow,
  UpdateQueryNode,
} from 'kysely';
import {
  BinaryOperationNode as BinaryOperation,
  ColumnNode as Column,
  OperatorNode as Operator,
  ReferenceNode as Reference,
  TableNode as Table,
  ValueNode as Value,
} from 'kysely';
import { AppError } from '../errors.js';
import type { Database } from './schema.js';

type TenantTable = {
  [K in keyof Database]: Database[K] extends { tenant: string } ? K : never;
}[keyof Database];

/** The partitioned tables; the compiler refuses this list when a table with `tenant` is missing. */
export const partitionedTables = [
  'subjects',
  'identifiers',
  'records',
  'lifecycle_events',
] as const satisfies readonly TenantTable[];
const everyTenantTableListed: [Exclude<TenantTable, (typeof partitionedTables)[number]>] extends [never]
  ? true
  : never = true;
void everyTenantTableListed;

const partitioned: ReadonlySet<string> = new Set(partitionedTables);

/** The `tenant is not null` conditions made by `unsafeAnyTenant`, with the name they qualify. */
const anyTenantMarks = new WeakMap<OperationNode, string>();

/**
 * A condition that lets one query see every partition of `table` (its name, or its alias in the
 * query). For the few queries that must: maintenance, and acting on a row by primary key to read
 * which tenant it belongs to. Each use needs a reason in a comment beside it.
 *
 * @example
 * db.selectFrom('subjects').select('tenant').where('id', '=', id).where(unsafeAnyTenant('subjects'))
 */
export function unsafeAnyTenant(table: string): Expression<SqlBool> {
  const node = BinaryOperation.create(
    Reference.create(Column.create('tenant'), Table.create(table)),
    Operator.create('is not'),
    Value.createImmediate(null),
  );
  anyTenantMarks.set(node, table);
  return new AnyTenant(node);
}

class AnyTenant implements Expression<SqlBool> {
  constructor(private readonly node: OperationNode) {}
  get expressionType(): SqlBool | undefined {
    return undefined;
  }
  toOperationNode(): OperationNode {
    return this.node;
  }
}

/**
 * Refuses queries that do not name the tenant of every partitioned table they touch. It walks
 * each query's tree once, which costs about a microsecond for a typical one: less than Kysely
 * takes to build it, so nothing is cached (almost every query is a fresh tree).
 */
export const tenantGuard: KyselyPlugin = {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    visit(node);
    return node;
  },
  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  },
};

function refuse(table: string, what: string): never {
  throw new AppError(
    'internal',
    `A query on the partitioned table "${table}" ${what}. Name the tenant (where tenant = ...), or use unsafeAnyTenant() with a reason.`,
  );
}

/** Checks every query in the tree: subqueries, CTEs and set operations too. */
function visit(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) visit(item);
    return;
  }
  const n = node as OperationNode;
  switch (n.kind) {
    // Leaves, or nodes that never hold a query: most of a tree, so they return at once.
    case 'ValueNode':
    case 'PrimitiveValueListNode':
    case 'IdentifierNode':
    case 'ReferenceNode':
    case 'ColumnNode':
    case 'TableNode':
    case 'OperatorNode':
    case 'SelectAllNode':
    case 'DefaultInsertValueNode':
    case 'LimitNode':
    case 'OffsetNode':
      return;
    case 'SelectQueryNode': {
      const q = n as SelectQueryNode;
      checkScoped(q.from?.froms ?? [], q.joins ?? [], q.where?.where);
      break;
    }
    case 'UpdateQueryNode': {
      const q = n as UpdateQueryNode;
      checkScoped([...(q.table ? [q.table] : []), ...(q.from?.froms ?? [])], q.joins ?? [], q.where?.where);
      const target = q.table && tableOf(q.table);
      if (target !== undefined && partitioned.has(target.name)) refuseMoves(target.name, q.updates);
      break;
    }
    case 'DeleteQueryNode': {
      const q = n as DeleteQueryNode;
      checkScoped([...q.from.froms, ...(q.using?.tables ?? [])], q.joins ?? [], q.where?.where);
      break;
    }
    case 'InsertQueryNode':
      checkInsert(n as InsertQueryNode);
      break;
    case 'MergeQueryNode': {
      const into = tableOf((n as unknown as { into: OperationNode }).into);
      if (into !== undefined && partitioned.has(into.name)) refuse(into.name, 'is a MERGE');
      break;
    }
  }
  for (const key in n) {
    if (key !== 'kind') visit((n as unknown as Record<string, unknown>)[key]);
  }
}

interface InScope {
  readonly name: string;
  /** How columns refer to it: its alias, or its name. */
  readonly qualifier: string;
}

function tableOf(node: OperationNode): InScope | undefined {
  if (node.kind === 'TableNode') {
    const name = (node as TableNode).table.identifier.name;
    return { name, qualifier: name };
  }
  if (node.kind === 'AliasNode') {
    const a = node as AliasNode;
    if (a.node.kind !== 'TableNode' || a.alias.kind !== 'IdentifierNode') return undefined;
    return {
      name: (a.node as TableNode).table.identifier.name,
      qualifier: (a.alias as unknown as { name: string }).name,
    };
  }
  return undefined;
}

function columnName(node: OperationNode): string {
  return (node as unknown as { column: { name: string } }).column.name;
}

/** The conditions ANDed at the top of `node`: those every returned or changed row satisfies. */
function conjuncts(node: OperationNode | undefined, into: OperationNode[] = []): OperationNode[] {
  if (node === undefined) return into;
  if (node.kind === 'AndNode') {
    const and = node as unknown as { left: OperationNode; right: OperationNode };
    conjuncts(and.left, into);
    conjuncts(and.right, into);
  } else if (node.kind === 'ParensNode') {
    conjuncts((node as unknown as { node: OperationNode }).node, into);
  } else {
    into.push(node);
  }
  return into;
}

/** True when the AND chain of `node` pins the tenant of the only table, `qualifier`. */
function pins(node: OperationNode | undefined, qualifier: string): boolean {
  if (node === undefined) return false;
  if (node.kind === 'AndNode') {
    const and = node as unknown as { left: OperationNode; right: OperationNode };
    return pins(and.left, qualifier) || pins(and.right, qualifier);
  }
  if (node.kind === 'ParensNode') return pins((node as unknown as { node: OperationNode }).node, qualifier);
  const fact = factOf(node);
  return fact?.kind === 'pinned' && (fact.qualifier ?? qualifier) === qualifier;
}

/** What a condition says about a tenant column: pinned to values, or equal to another's. */
type TenantFact =
  | { readonly kind: 'pinned'; readonly qualifier: string | undefined }
  | { readonly kind: 'same'; readonly left: string; readonly right: string };

function tenantRef(node: OperationNode): { qualifier: string | undefined } | undefined {
  if (node.kind !== 'ReferenceNode') return undefined;
  const ref = node as ReferenceNode;
  if (ref.column.kind !== 'ColumnNode' || columnName(ref.column) !== 'tenant') return undefined;
  return { qualifier: ref.table?.table.identifier.name };
}

function isValue(node: OperationNode): boolean {
  if (node.kind === 'ValueNode') return (node as unknown as { value: unknown }).value !== null;
  if (node.kind === 'PrimitiveValueListNode') return true;
  if (node.kind === 'ValueListNode')
    return (node as unknown as { values: OperationNode[] }).values.every(isValue);
  return false;
}

function factOf(node: OperationNode): TenantFact | undefined {
  const marked = anyTenantMarks.get(node);
  if (marked !== undefined) return { kind: 'pinned', qualifier: marked };
  if (node.kind !== 'BinaryOperationNode') return undefined;
  const op = node as BinaryOperationNode;
  const operator = (op.operator as unknown as { operator: string }).operator;
  const left = tenantRef(op.leftOperand);
  if (left === undefined) return undefined;
  if (operator === '=') {
    if (isValue(op.rightOperand)) return { kind: 'pinned', qualifier: left.qualifier };
    const right = tenantRef(op.rightOperand);
    if (left.qualifier !== undefined && right?.qualifier !== undefined)
      return { kind: 'same', left: left.qualifier, right: right.qualifier };
    return undefined;
  }
  if (operator === 'in' && isValue(op.rightOperand)) return { kind: 'pinned', qualifier: left.qualifier };
  return undefined;
}

/**
 * Every partitioned table among `froms` and `joins` must end up with its tenant pinned: by a
 * condition of the WHERE, by its own join's ON, or by equality with a pinned table's tenant.
 */
function checkScoped(
  froms: readonly OperationNode[],
  joins: readonly JoinNode[],
  where: OperationNode | undefined,
): void {
  let tables: { table: InScope; on: OperationNode | undefined }[] | undefined;
  for (const from of froms) {
    const table = tableOf(from);
    if (table !== undefined && partitioned.has(table.name)) (tables ??= []).push({ table, on: undefined });
  }
  for (const join of joins) {
    const table = tableOf(join.table);
    if (table !== undefined && partitioned.has(table.name)) (tables ??= []).push({ table, on: join.on?.on });
  }
  if (tables === undefined) return;
  const [first] = tables;
  if (tables.length === 1 && first !== undefined && first.on === undefined) {
    // The common case, one table: no bookkeeping, just a look along the AND chain.
    if (!pins(where, first.table.qualifier)) refuse(first.table.name, 'does not name its tenant');
    return;
  }
  const whereFacts = conjuncts(where).flatMap((c) => factOf(c) ?? []);
  // An unqualified `tenant` is the one partitioned table's; with two, SQL calls it ambiguous.
  const only = tables.length === 1 ? tables[0]?.table.qualifier : undefined;
  const is = (q: string | undefined, table: InScope) => (q ?? only) === table.qualifier;
  const scoped = tables.map(({ table, on }) => ({
    table,
    facts: on === undefined ? whereFacts : [...whereFacts, ...conjuncts(on).flatMap((c) => factOf(c) ?? [])],
  }));
  const pinned = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const { table, facts } of scoped) {
      if (pinned.has(table.qualifier)) continue;
      const own = facts.some((f) =>
        f.kind === 'pinned'
          ? is(f.qualifier, table)
          : (f.left === table.qualifier && pinned.has(f.right)) ||
            (f.right === table.qualifier && pinned.has(f.left)),
      );
      if (own) {
        pinned.add(table.qualifier);
        changed = true;
      }
    }
  }
  for (const { table } of tables)
    if (!pinned.has(table.qualifier)) refuse(table.name, 'does not name its tenant');
}

/** A row stays in its partition: no update sets `tenant`. */
function refuseMoves(table: string, updates: readonly ColumnUpdateNode[] | undefined): void {
  for (const u of updates ?? [])
    if (u.column.kind === 'ColumnNode' && columnName(u.column) === 'tenant')
      refuse(table, 'moves rows to another tenant');
}

function checkInsert(q: InsertQueryNode): void {
  const into = q.into && tableOf(q.into);
  if (into === undefined || !partitioned.has(into.name)) return;
  const at = (q.columns ?? []).findIndex((c) => columnName(c) === 'tenant');
  if (at < 0) refuse(into.name, 'inserts rows without a tenant');
  refuseMoves(into.name, q.onConflict?.updates);
  if (q.values?.kind !== 'ValuesNode') return;
  for (const row of (q.values as unknown as { values: OperationNode[] }).values) {
    const value =
      row.kind === 'PrimitiveValueListNode'
        ? (row as unknown as { values: unknown[] }).values[at]
        : (row as unknown as { values: OperationNode[] }).values[at];
    const given =
      row.kind === 'PrimitiveValueListNode'
        ? typeof value === 'string'
        : value !== undefined && (value as OperationNode).kind !== 'DefaultInsertValueNode';
    if (!given) refuse(into.name, 'inserts a row without a tenant');
  }
}
