/**
 * Signed tokens for links in messages: unsubscribe, confirmation of a subscription, the
 * preference centre. A token is its payload (base64url JSON) and an HMAC over the payload and
 * its use, so a token made for one address, list or use cannot be turned into another.
 */
import { z } from 'zod';
import { hmac, safeEqual } from '../crypto.js';

export const tokenUses = ['unsubscribe', 'confirm', 'preferences', 'click'] as const;
export type TokenUse = (typeof tokenUses)[number];

const payloadSchema = z.object({
  /** identifier id (the address) */
  i: z.string(),
  /** declaration id */
  d: z.string(),
  /** communication id, where the token is about one */
  c: z.string().optional(),
  /** the link's destination, for click tokens */
  u: z.string().optional(),
  /** expiry, seconds since the epoch */
  e: z.number().int().optional(),
});
export type TokenPayload = z.infer<typeof payloadSchema>;

export function signToken(key: Buffer, use: TokenUse, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${hmac(key, `${use}.${body}`)}`;
}

export type VerifiedToken =
  { ok: true; payload: TokenPayload } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function verifyToken(key: Buffer, use: TokenUse, token: string, now: Date): VerifiedToken {
  const [body, signature, extra] = token.split('.');
  if (body === undefined || signature === undefined || extra !== undefined || body.length > 2048)
    return { ok: false, reason: 'malformed' };
  if (!safeEqual(signature, hmac(key, `${use}.${body}`))) return { ok: false, reason: 'forged' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const payload = payloadSchema.safeParse(parsed);
  if (!payload.success) return { ok: false, reason: 'malformed' };
  if (payload.data.e !== undefined && payload.data.e * 1000 < now.getTime())
    return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload.data };
}
