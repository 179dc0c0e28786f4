/**
 * Promotion redemptions (C4f.1): a keyed hash of the device or account that redeemed a promotion,
 * and when. Counted from the redemption, under the rule of the purposes that keep
 * `user.financial.promotion_redemption` (the reference declaration's fraud prevention). The hash
 * still singles out a device, so the row goes whole; no hold covers it, since nothing ties it to
 * a person Steward knows. Redemptions are not per declaration: each declaration with such a
 * purpose sweeps them by its own rule, so the shortest period decides.
 */
import type { AppContext } from '../../context.js';
import type { RedemptionTable } from '../../store/schema.js';
import type { CursorKey, RuleScope, SweepTarget } from '../targets.js';
import { deadlineOf, keysetTarget, thresholdOf } from '../targets.js';

export const REDEMPTION_CATEGORY = 'user.financial.promotion_redemption';

type Row = RedemptionTable;

/** True when some purpose of the declaration keeps redemptions under this rule. */
function keepsRedemptions(scope: RuleScope): boolean {
  return scope.model.declaration.purposes.some(
    (p) =>
      p.categories.includes(REDEMPTION_CATEGORY) &&
      scope.model.retentionFor(p, REDEMPTION_CATEGORY)?.id === scope.rule.id,
  );
}

export function redemptionsTarget(
  _ctx: AppContext,
  system: string,
  scope: RuleScope,
): SweepTarget | undefined {
  if (!keepsRedemptions(scope)) return undefined;
  return keysetTarget<Row>(system, {
    collection: 'redemptions',
    action: 'delete',
    select(db, cursor, size, at) {
      // The key is (promotion, hash): the cursor continues after the last (time, promotion, hash).
      let query = db
        .selectFrom('redemptions')
        .selectAll()
        .where('redeemed_at', '<', thresholdOf(scope, at).toISOString());
      if (cursor !== null) {
        const [t, promotion, hash] = cursor as [string, string, string];
        query = query
          .where('redeemed_at', '>=', t)
          .where((eb) =>
            eb.or([
              eb('redeemed_at', '>', t),
              eb('promotion_id', '>', promotion),
              eb.and([eb('promotion_id', '=', promotion), eb('key_hash', '>', hash)]),
            ]),
          );
      }
      return query.orderBy('redeemed_at').orderBy('promotion_id').orderBy('key_hash').limit(size).execute();
    },
    key: (r): CursorKey => [r.redeemed_at, r.promotion_id, r.key_hash],
    oldest: (r) => ({ clock: r.redeemed_at, deadline: deadlineOf(scope, r.redeemed_at) }),
    async apply(tx, rows) {
      for (const row of rows)
        await tx
          .deleteFrom('redemptions')
          .where('promotion_id', '=', row.promotion_id)
          .where('key_hash', '=', row.key_hash)
          .execute();
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}
