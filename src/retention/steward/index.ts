/**
 * Steward's own store as retention targets: for a rule, every collection of the store that rule
 * keeps, in a fixed order (a run's cursor names its place by position).
 */
import type { AppContext } from '../../context.js';
import type { RuleScope, SweepTarget } from '../targets.js';
import { consentProofsTarget } from './consent-proofs.js';
import { outboxTarget } from './outbox.js';
import { recordsTarget } from './records.js';
import { redemptionsTarget } from './redemptions.js';
import { requestsTarget } from './requests.js';
import { resultLinksTarget } from './result-links.js';
import { subscriptionsTarget } from './subscriptions.js';
import { webEventsTarget, webLinksTarget } from './web.js';

/** The system name of Steward's own store in runs, plans and receipts. */
export const STEWARD_STORE = 'steward';

const builders = [
  recordsTarget,
  consentProofsTarget,
  subscriptionsTarget,
  webEventsTarget,
  webLinksTarget,
  outboxTarget,
  resultLinksTarget,
  // Appended, not inserted: a run's cursor names its target by position.
  requestsTarget,
  redemptionsTarget,
] as const;

/** The Steward-store collections a rule keeps (records whenever a purpose names the rule). */
export function stewardTargets(ctx: AppContext, scope: RuleScope): SweepTarget[] {
  return builders.flatMap((build) => build(ctx, STEWARD_STORE, scope) ?? []);
}
