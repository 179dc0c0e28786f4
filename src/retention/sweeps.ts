/**
 * Which sweeps exist: for every retention rule of every declaration in force, one per system that
 * holds data the rule keeps (Steward's own store, and each connected system whose reviewed
 * dataset names the rule for some collection), with that system's targets. The schedule, the plan, the status and the API all
 * start from this list.
 */
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { RetentionRule } from '../policy/schema.js';
import { STEWARD_STORE, stewardTargets } from './steward/index.js';
import { connectedTargets, reviewedDatasets } from './connected/targets.js';
import type { RuleScope, RuleTarget } from './targets.js';

export interface RuleSweep {
  readonly declarationId: string;
  readonly declarationVersion: number;
  readonly rule: RetentionRule;
  readonly scope: RuleScope;
  readonly system: string;
  readonly targets: readonly RuleTarget[];
}

export interface SweepFilter {
  readonly declarationId?: string;
  readonly ruleId?: string;
  readonly system?: string;
}

/** The targets of one rule on one system (none for a system that holds nothing of it). */
export async function targetsOf(ctx: AppContext, scope: RuleScope, system: string): Promise<RuleTarget[]> {
  if (system === STEWARD_STORE) return stewardTargets(ctx, scope);
  return connectedTargets(scope, system, await reviewedDatasets(ctx, scope.model));
}

/**
 * Every sweep of the declarations in force that the filter selects, by declaration and rule
 * order: Steward's store first, then each connected system (by id) whose reviewed dataset names
 * the rule.
 */
export async function ruleSweeps(ctx: AppContext, filter: SweepFilter = {}): Promise<RuleSweep[]> {
  const sweeps: RuleSweep[] = [];
  for (const active of ctx.policies.list()) {
    const model = active.model;
    if (filter.declarationId !== undefined && model.id !== filter.declarationId) continue;
    const datasets = await reviewedDatasets(ctx, model);
    const systems = [STEWARD_STORE, ...[...datasets.keys()].sort()];
    for (const rule of model.declaration.retention) {
      if (filter.ruleId !== undefined && rule.id !== filter.ruleId) continue;
      const scope = { model, rule };
      for (const system of systems) {
        if (filter.system !== undefined && system !== filter.system) continue;
        const targets =
          system === STEWARD_STORE ? stewardTargets(ctx, scope) : connectedTargets(scope, system, datasets);
        if (targets.length === 0) continue;
        sweeps.push({
          declarationId: model.id,
          declarationVersion: active.version.number,
          rule,
          scope,
          system,
          targets,
        });
      }
    }
  }
  return sweeps;
}

/**
 * Checks that a rule (and declaration, when given) names something in force, so a typo is an
 * error and not an empty answer. A rule id used by several declarations needs the declaration.
 *
 * @throws AppError `not_found` naming the rules there are; `validation_failed` when ambiguous.
 */
export function checkRuleFilter(ctx: AppContext, filter: SweepFilter): void {
  const declarations = ctx.policies.list().map((a) => a.model);
  if (filter.declarationId !== undefined && !declarations.some((m) => m.id === filter.declarationId))
    throw new AppError('not_found', `Declaration "${filter.declarationId}" is not in force.`, [
      { path: 'declarationId', message: `in force: ${declarations.map((m) => m.id).join(', ') || 'none'}` },
    ]);
  if (filter.ruleId === undefined) return;
  const candidates = declarations.filter(
    (m) =>
      (filter.declarationId === undefined || m.id === filter.declarationId) &&
      m.retentionRules.has(filter.ruleId!),
  );
  if (candidates.length === 0) {
    const known = declarations
      .filter((m) => filter.declarationId === undefined || m.id === filter.declarationId)
      .flatMap((m) => [...m.retentionRules.keys()]);
    const error = notFound(`Retention rule "${filter.ruleId}"`);
    throw new AppError('not_found', error.message, [
      { path: 'rule', message: `declared rules: ${[...new Set(known)].join(', ')}` },
    ]);
  }
  if (candidates.length > 1 && filter.declarationId === undefined)
    throw new AppError(
      'validation_failed',
      `Retention rule "${filter.ruleId}" is declared by ${candidates.map((m) => m.id).join(' and ')}; name the declaration.`,
      [{ path: 'declarationId', message: `one of ${candidates.map((m) => m.id).join(', ')}` }],
    );
}
