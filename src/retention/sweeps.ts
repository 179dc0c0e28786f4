/**
 * Which sweeps exist: for every retention rule of every declaration in force, one per system that
 * holds data the rule keeps (Steward's own store, and later each connected system whose dataset
 * names the rule), with that system's targets. The schedule, the plan, the status and the API all
 * start from this list.
 */
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { PolicyModel } from '../policy/model.js';
import type { RetentionRule } from '../policy/schema.js';
import { STEWARD_STORE, stewardTargets } from './steward/index.js';
import type { RuleScope, SweepTarget } from './targets.js';

export interface RuleSweep {
  readonly declarationId: string;
  readonly declarationVersion: number;
  readonly rule: RetentionRule;
  readonly scope: RuleScope;
  readonly system: string;
  readonly targets: readonly SweepTarget[];
}

export interface SweepFilter {
  readonly declarationId?: string;
  readonly ruleId?: string;
  readonly system?: string;
}

/** The targets of one rule on one system (none for a system that holds nothing of it). */
export function targetsOf(ctx: AppContext, scope: RuleScope, system: string): SweepTarget[] {
  return system === STEWARD_STORE ? stewardTargets(ctx, scope) : [];
}

/** The systems a rule of a declaration may have data in. */
function systemsOf(_model: PolicyModel): string[] {
  return [STEWARD_STORE];
}

/** Every sweep of the declarations in force that the filter selects, by declaration and rule order. */
export function ruleSweeps(ctx: AppContext, filter: SweepFilter = {}): RuleSweep[] {
  const sweeps: RuleSweep[] = [];
  for (const active of ctx.policies.list()) {
    const model = active.model;
    if (filter.declarationId !== undefined && model.id !== filter.declarationId) continue;
    for (const rule of model.declaration.retention) {
      if (filter.ruleId !== undefined && rule.id !== filter.ruleId) continue;
      const scope = { model, rule };
      for (const system of systemsOf(model)) {
        if (filter.system !== undefined && system !== filter.system) continue;
        const targets = targetsOf(ctx, scope, system);
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
