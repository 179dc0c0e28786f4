/** Small cryptographic helpers over node:crypto, shared by every feature. */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors.js';

/** Derives a 32-byte key for one use from the root secret, so one leaked key cannot serve another use. */
export function deriveKey(secret: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `steward:${label}`, 32));
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** HMAC-SHA256 as base64url: keyed hashes of identifiers, signed tokens. */
export function hmac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** A random URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * How deep canonical JSON goes: far past any input Steward accepts (bodies stop at 64 levels,
 * see bounded-json.ts), well short of the stack, so a value that slipped past validation is
 * refused by name instead of overflowing.
 */
export const CANONICAL_MAX_DEPTH = 256;

/**
 * Deterministic JSON: object keys sorted, no whitespace. Used wherever a hash must not depend on
 * key order (audit entries, content hashes).
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, 0);
}

function canonical(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (depth >= CANONICAL_MAX_DEPTH)
    throw new AppError(
      'validation_failed',
      `A value nests deeper than ${CANONICAL_MAX_DEPTH} levels of objects and arrays, the most Steward records.`,
    );
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, depth + 1)}`).join(',')}}`;
}
