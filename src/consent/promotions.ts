/**
 * Promotion fraud check (C4f.1): one redemption per promotion per device or account. Only a
 * keyed hash of the device or account id is kept; the raw id is never stored.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { hmac } from '../crypto.js';
import { isUniqueViolation } from '../store/database.js';

export const redeemInput = z
  .strictObject({
    promotion: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a promotion code of letters, digits, . _ : -'),
    deviceId: z.string().min(1).max(512).optional(),
    accountId: z.string().min(1).max(512).optional(),
    /** Only ask, do not record a redemption. */
    checkOnly: z.boolean().default(false),
  })
  .refine((v) => v.deviceId !== undefined || v.accountId !== undefined, {
    message: 'name a deviceId or an accountId',
    path: ['deviceId'],
  });

export type RedeemResult =
  | { readonly allowed: true; readonly recorded: boolean }
  | { readonly allowed: false; readonly reason: 'already_redeemed' };

export async function redeemPromotion(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof redeemInput>,
): Promise<RedeemResult> {
  requirePermission(actor, 'subjects:write');
  const input = redeemInput.parse(raw);
  const keys = [
    input.deviceId && hmac(ctx.keys.identifiers, `promotion-device:${input.deviceId.trim()}`),
    input.accountId && hmac(ctx.keys.identifiers, `promotion-account:${input.accountId.trim()}`),
  ].filter((k): k is string => typeof k === 'string');
  const seen = await ctx.store.db
    .selectFrom('redemptions')
    .select('key_hash')
    .where('promotion_id', '=', input.promotion)
    .where('key_hash', 'in', keys)
    .executeTakeFirst();
  if (seen !== undefined) return { allowed: false, reason: 'already_redeemed' };
  if (input.checkOnly) return { allowed: true, recorded: false };
  const at = ctx.clock.now().toISOString();
  try {
    await ctx.store.db
      .insertInto('redemptions')
      .values(keys.map((key_hash) => ({ promotion_id: input.promotion, key_hash, redeemed_at: at })))
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) return { allowed: false, reason: 'already_redeemed' };
    throw error;
  }
  return { allowed: true, recorded: true };
}
