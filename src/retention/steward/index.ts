/**
 * Steward's own store as retention targets: for a rule, every collection of the store that rule
 * keeps, in a fixed order (a run's cursor names its place by position).
 */
import type { AppContext } from '../../context.js';
import type { RuleScope, SweepTarget } from '../targets.js';
import { consentProofsTarget } from './consent-proofs.js';
import { outboxTarget } from './outbox.js';
import { recordsTarget } from './records.js';
import { resultLinksTarget } from './result-links.js';
import { subscriptionsTarget } from './subscriptions.js';
import { webEventsTarget, webLinksTarget } from './web.js';

/** The system name of Steward's own store in runs, plans and receipts. */
export const STEWARD_STORE = 'steward';

const builders = [
  consentProofsTarget,
  subscriptionsTarget,
  webEventsTarget,
  webLinksTarget,
  outboxTarget,
  resultLinksTarget,
] as const;

/**
 * The Steward-store collections a rule keeps. Records come first and always: a record's expiry is
 * set by whichever rule governs it, so every rule a purpose uses may have records to sweep.
 */
export function stewardTargets(ctx: AppContext, scope: RuleScope): SweepTarget[] {
  const used = scope.model.declaration.purposes.some(
    (p) => p.retention?.default === scope.rule.id || Object.values(p.retention?.categories ?? {}).includes(scope.rule.id),
  );
  const others = builders.flatMap((build) => build(ctx, STEWARD_STORE, scope) ?? []);
  return used ? [recordsTarget(ctx, STEWARD_STORE, scope), ...others] : others;
}
