/**
 * Connected systems as retention targets: for a rule, every collection of a system's reviewed
 * dataset whose `retention` names the rule, in an order that lets deletes succeed (children
 * before the parents they reference, as erasure orders them: `execution/order.ts`). Collections
 * that go `with` their parent (ON DELETE CASCADE) are no target of their own.
 *
 * Also what a sweep of such a target leaves alone (`heldPersons`: the people of every legal hold
 * that covers the collection's data, as the connected systems know them) and the dry run the
 * plan and the status read (`dryRunConnected`).
 */
import type { AppContext } from '../../context.js';
import type { Connector, FieldValue, HeldRows, Seeds } from '../../connectors/contract.js';
import { ConnectorError } from '../../connectors/contract.js';
import type { Dataset, DatasetCollection } from '../../connectors/dataset.js';
import { latestDatasets } from '../../connectors/dataset-versions.js';
import type { PolicyModel } from '../../policy/model.js';
import { erasureOrder, ErasureOrderError } from '../../execution/order.js';
import { categoryOf } from '../../execution/plan.js';
import type { RequestSeeds } from '../../execution/seeds.js';
import { locateLinked, seedsFor, subjectSeeds } from '../../execution/seeds.js';
import type { LegalHold } from '../holds.js';
import { holdCovering, holdsInForce } from '../holds.js';
import type { ConnectedTarget, OldestRow, RuleScope } from '../targets.js';
import { deadlineOf, thresholdOf } from '../targets.js';

/**
 * The reviewed datasets of the connected systems a declaration names, by system (a proposal
 * nobody reviewed is swept by nothing: its connector would refuse).
 */
export async function reviewedDatasets(ctx: AppContext, model: PolicyModel): Promise<Map<string, Dataset>> {
  const declared = new Set(model.declaration.systems.map((s) => s.id));
  const found = new Map<string, Dataset>();
  for (const stored of await latestDatasets(ctx.store, [model.id]))
    if (stored.reviewed !== undefined && declared.has(stored.system))
      found.set(stored.system, stored.dataset);
  return found;
}

const ownRule = (c: DatasetCollection, ruleId: string) =>
  c.retention !== undefined && 'rule' in c.retention && c.retention.rule === ruleId;

/**
 * The collections of `dataset` under the rule, children first: the erasure order of the dataset
 * with every collection deleted (so each foreign key between them orders them), the rule's
 * collections taken from it; those erasure never reaches (no path from an identifying field)
 * follow in the dataset's order, as do all of them when the keys form a cycle.
 */
export function sweepOrder(dataset: Dataset, ruleId: string): DatasetCollection[] {
  const mine = dataset.collections.filter((c) => ownRule(c, ruleId));
  if (mine.length < 2) return mine;
  let ordered: string[] = [];
  try {
    ordered = erasureOrder({
      ...dataset,
      collections: dataset.collections.map((c) => ({ ...c, erasure: { action: 'delete' as const } })),
    }).steps.map((s) => s.collection);
  } catch (error) {
    if (!(error instanceof ErasureOrderError)) throw error;
  }
  const rank = (c: DatasetCollection) => {
    const i = ordered.indexOf(c.name);
    return i === -1 ? ordered.length + dataset.collections.indexOf(c) : i;
  };
  return [...mine].sort((a, b) => rank(a) - rank(b));
}

/** The categories a collection's rows hold, with those of the rows that go with them by cascade. */
function categoriesOf(dataset: Dataset, collection: DatasetCollection): string[] {
  const withIt = dataset.collections.filter((c) => {
    const r = c.retention;
    if (r === undefined || !('with' in r)) return false;
    return c.fields.find((f) => f.name === r.with)?.references?.collection === collection.name;
  });
  const categories = [collection, ...withIt].flatMap((c) => c.fields.map(categoryOf));
  return [...new Set(categories.filter((c): c is string => c !== undefined))].sort();
}

/** The targets of a rule on one connected system (none when its dataset names the rule nowhere). */
export function connectedTargets(
  scope: RuleScope,
  system: string,
  datasets: ReadonlyMap<string, Dataset>,
): ConnectedTarget[] {
  const dataset = datasets.get(system);
  if (dataset === undefined) return [];
  const linkedSystems = [...datasets.keys()].filter((s) => s !== system);
  return sweepOrder(dataset, scope.rule.id).map((c) => ({
    system,
    collection: c.name,
    action: scope.rule.action,
    categories: categoriesOf(dataset, c),
    linkedSystems,
  }));
}

/** The connector of a target's system, able to sweep, or a refusal that says why not. */
export async function sweepingConnector(ctx: AppContext, target: ConnectedTarget): Promise<Connector> {
  const connector = await ctx.systems.connector(target.system);
  if (!connector.capabilities.sweep)
    throw new ConnectorError(
      target.system,
      'refused',
      `the ${connector.kind} connector cannot sweep collections`,
    );
  return connector;
}

/**
 * What a sweep of a target leaves alone, read fresh each time it is asked: the people of every
 * hold in force that covers the collection's categories. Each held person is looked up once per
 * sweep (their identifiers in Steward, and the values the connected systems link to them);
 * `last` is the holds of the latest answer, for the receipt.
 */
export function heldPersons(ctx: AppContext, target: ConnectedTarget) {
  const seeds = new Map<string, Promise<Seeds>>();
  const seedsOf = (subjectId: string): Promise<Seeds> => {
    let found = seeds.get(subjectId);
    if (found === undefined) {
      found = (async () => {
        const base: RequestSeeds = await subjectSeeds(ctx.store.db, subjectId);
        const systems = [target.system, ...target.linkedSystems];
        const linked = await locateLinked(
          ctx,
          { id: `hold:${subjectId}`, reference: 'legal hold' },
          base,
          systems,
        );
        return seedsFor(base, target.system, linked);
      })();
      found.catch(() => seeds.delete(subjectId));
      seeds.set(subjectId, found);
    }
    return found;
  };
  const state = {
    last: [] as LegalHold[],
    async held(only?: LegalHold): Promise<HeldRows> {
      const covering =
        only !== undefined
          ? [only]
          : (await holdsInForce(ctx.store.db)).filter(
              (h) => holdCovering([h], target.categories) !== undefined,
            );
      if (only === undefined) state.last = covering;
      const subjects = [...new Set(covering.map((h) => h.subjectId))];
      return { persons: await Promise.all(subjects.map(seedsOf)) };
    },
  };
  return state;
}

/**
 * Rows each hold keeps. A sweep counts held rows as one number; with a single hold it is that
 * hold's, with several each hold's own rows are counted by a dry run with only its person held.
 */
export async function heldByHold(
  connector: Connector,
  target: ConnectedTarget,
  before: Date,
  holds: ReturnType<typeof heldPersons>,
  total: number,
): Promise<Record<string, number>> {
  const last = holds.last;
  if (total === 0 || last.length === 0) return {};
  if (last.length === 1) return { [last[0]!.id]: total };
  const counts: Record<string, number> = {};
  for (const hold of last) {
    const result = await connector.sweep(target.collection, {
      before,
      action: target.action,
      dryRun: true,
      held: () => holds.held(hold),
    });
    if (result.held > 0) counts[hold.id] = result.held;
  }
  return counts;
}

/** A clock value as the driver gives it, as an instant (ISO 8601), or undefined if it is none. */
export function clockText(value: FieldValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const at = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

export interface ConnectedDryRun {
  readonly delete: number;
  readonly anonymise: number;
  readonly held: number;
  readonly holds: Record<string, number>;
  /** Expired rows left because rows that stay refer to them. */
  readonly blocked: number;
  readonly oldest: OldestRow | null;
}

/** What a sweep of the target would do now, changing nothing. */
export async function dryRunConnected(
  ctx: AppContext,
  scope: RuleScope,
  target: ConnectedTarget,
  at: Date,
): Promise<ConnectedDryRun> {
  const connector = await sweepingConnector(ctx, target);
  const before = thresholdOf(scope, at);
  const holds = heldPersons(ctx, target);
  const result = await connector.sweep(target.collection, {
    before,
    action: target.action,
    dryRun: true,
    held: () => holds.held(),
  });
  const clock = clockText(result.oldest);
  return {
    delete: target.action === 'delete' ? result.swept : 0,
    anonymise: target.action === 'anonymise' ? result.swept : 0,
    held: result.held,
    holds: await heldByHold(connector, target, before, holds, result.held),
    blocked: result.blocked,
    oldest: clock === undefined ? null : { clock, deadline: deadlineOf(scope, clock) },
  };
}
