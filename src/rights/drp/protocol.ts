/**
 * Data Rights Protocol 1.0 messages, as the Covered Business reads them. A signed body is
 * base64 of (64-byte Ed25519 signature ‖ JSON), libsodium's "combined mode". Checks run in the
 * order the protocol fixes: base64 decode → signature with the key of the agent the bearer token
 * belongs to → `agent-id` → `business-id` → `issued-at` → `expires-at`; only then are the other
 * fields validated. Nothing here knows HTTP: every check answers with a value.
 *
 * Our `business-id` is the id of a declaration in force whose `rights.channels` list `drp`:
 * every request in Steward names the declaration it is made under (C1.3), so the business an
 * agent addresses and the declaration that governs the request are the same thing.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import { MAX_JSON_DEPTH, jsonTextTooDeep } from '../../bounded-json.js';

export const DRP_VERSION = '1.0';

/** The rights DRP 1.0 encodes (CCPA names). */
export const drpExercises = [
  'access',
  'access:categories',
  'access:specific',
  'deletion',
  'sale:opt-out',
  'sale:opt-in',
] as const;
export type DrpExercise = (typeof drpExercises)[number];

export const drpStatuses = ['open', 'in_progress', 'fulfilled', 'revoked', 'denied', 'expired'] as const;
export type DrpStatusName = (typeof drpStatuses)[number];

export const drpReasons = [
  'need_user_verification',
  'suspected_fraud',
  'insuf_verification',
  'no_match',
  'claim_not_covered',
  'outside_jurisdiction',
  'too_many_requests',
  'other',
] as const;
export type DrpReason = (typeof drpReasons)[number];

/** The Exercise Status object: the answer to create, status and revoke, and the callback body. */
export interface DrpStatus {
  readonly request_id: string;
  readonly received_at: string;
  readonly expected_by?: string;
  readonly agent_request_id?: string;
  readonly status: DrpStatusName;
  readonly reason?: DrpReason;
  readonly processing_details?: string;
  readonly user_verification_url?: string;
  readonly expires_at?: string;
}

/** The protocol's error body: `code` is the HTTP status as a string; not `fatal` means retryable. */
export interface DrpError {
  readonly code: string;
  readonly message: string;
  readonly fatal?: boolean;
}

export function drpError(status: number, message: string): DrpError {
  return { code: String(status), message, fatal: status < 500 && status !== 429 };
}

const ED25519_SIGNATURE_BYTES = 64;
const ED25519_KEY_BYTES = 32;

/**
 * A verify key as agents publish it (base64 since DRP 0.9.1; hex before) → canonical base64, or
 * undefined when it is not a 32-byte key.
 */
export function normaliseVerifyKey(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed) && Buffer.from(trimmed, 'base64').length === ED25519_KEY_BYTES)
    return trimmed;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex').toString('base64');
  return undefined;
}

/** The node:crypto public key for a stored base64 verify key. */
export function verifyKeyObject(base64: string): KeyObject {
  const x = Buffer.from(base64, 'base64').toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

export type OpenFailure = 'not_base64' | 'bad_signature' | 'not_json' | 'too_deep';
export type Opened =
  | { readonly ok: true; readonly message: Record<string, unknown> }
  | { readonly ok: false; readonly failure: OpenFailure };

/** Strict base64: the standard alphabet, padded; line breaks (as Python's encoders add) are ignored. */
function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    return undefined;
  return Buffer.from(compact, 'base64');
}

/**
 * Decodes a signed body and verifies its signature with `key`; the message must be a JSON
 * object. Checks 1 and 2 of the protocol's order (plus the JSON that the later checks read).
 */
export function openSigned(body: unknown, key: KeyObject): Opened {
  const bytes = typeof body === 'string' ? decodeBase64(body) : undefined;
  if (bytes === undefined) return { ok: false, failure: 'not_base64' };
  if (bytes.length < ED25519_SIGNATURE_BYTES) return { ok: false, failure: 'bad_signature' };
  const signature = bytes.subarray(0, ED25519_SIGNATURE_BYTES);
  const message = bytes.subarray(ED25519_SIGNATURE_BYTES);
  if (!verify(null, message, key, signature)) return { ok: false, failure: 'bad_signature' };
  const text = message.toString('utf8');
  // Bounded like every JSON body: the message is stored and serialised again later.
  if (jsonTextTooDeep(text)) return { ok: false, failure: 'too_deep' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, failure: 'not_json' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, failure: 'not_json' };
  return { ok: true, message: parsed as Record<string, unknown> };
}

/**
 * An ISO 8601 timestamp → Date. A timestamp without an offset is read as UTC (Python agents
 * often send naive `isoformat()` values; JavaScript would read them as local time).
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    value,
  );
  if (match === null) return undefined;
  const [, date, time, fraction, zone] = match;
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const offset =
    zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const parsed = new Date(`${date}T${time}${time?.length === 5 ? ':00' : ''}.${millis}${offset}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/**
 * How far an agent's clock may run ahead of ours before `issued-at` counts as the future. The
 * protocol's check exists to catch fast clocks that mint long-lived requests; half a minute
 * keeps that while ordinary drift between two NTP-synchronised hosts does not refuse requests.
 */
export const ISSUED_AT_ALLOWANCE_MS = 30_000;

export type EnvelopeFailure = 'agent_mismatch' | 'unknown_business' | 'not_yet_valid' | 'expired';
export type EnvelopeCheck =
  | { readonly ok: true; readonly businessId: string }
  | { readonly ok: false; readonly failure: EnvelopeFailure };

/** Checks 3 to 6: the agent, the business, then the validity window. */
export function checkEnvelope(
  message: Record<string, unknown>,
  expected: { agentId: string; isOurBusiness: (id: string) => boolean; now: Date },
): EnvelopeCheck {
  if (message['agent-id'] !== expected.agentId) return { ok: false, failure: 'agent_mismatch' };
  const businessId = message['business-id'];
  if (typeof businessId !== 'string' || !expected.isOurBusiness(businessId))
    return { ok: false, failure: 'unknown_business' };
  const issuedAt = parseTimestamp(message['issued-at']);
  if (issuedAt === undefined || issuedAt.getTime() > expected.now.getTime() + ISSUED_AT_ALLOWANCE_MS)
    return { ok: false, failure: 'not_yet_valid' };
  const expiresAt = parseTimestamp(message['expires-at']);
  if (expiresAt === undefined || expiresAt.getTime() <= expected.now.getTime())
    return { ok: false, failure: 'expired' };
  return { ok: true, businessId };
}

/** What each failed check tells the agent (403 for all of them). */
export const failureMessages: Record<OpenFailure | EnvelopeFailure, string> = {
  not_base64: 'The body is not base64: send base64(signature ‖ JSON) as text/plain.',
  bad_signature: 'The signature does not verify with the key registered for the agent this token belongs to.',
  not_json: 'The signed message is not a JSON object.',
  too_deep: `The signed message nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays, the most Steward accepts.`,
  agent_mismatch: '"agent-id" is not the agent this bearer token was issued to.',
  unknown_business: '"business-id" names no business that takes Data Rights Protocol requests here.',
  not_yet_valid: '"issued-at" is missing, not an ISO 8601 timestamp, or in the future: check the clock.',
  expired: '"expires-at" is missing, not an ISO 8601 timestamp, or past: sign a fresh request.',
};

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * Where status callbacks may go: https anywhere, plain http only to this host (an agent under
 * test). No credentials in the URL.
 */
export function callbackAllowed(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' &&
    (LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname))
  );
}

/** The spec's table spells the sale rights with underscores, its examples with hyphens: take both. */
const exercise = z.preprocess(
  (value) => (value === 'sale:opt_out' ? 'sale:opt-out' : value === 'sale:opt_in' ? 'sale:opt-in' : value),
  z.enum(drpExercises),
);

/** OpenID Connect Core 1.0 §5.1.1. */
const oidcAddress = z.looseObject({
  formatted: z.string().max(1000).optional(),
  street_address: z.string().max(500).optional(),
  locality: z.string().max(200).optional(),
  region: z.string().max(200).optional(),
  postal_code: z.string().max(50).optional(),
  country: z.string().max(100).optional(),
});

/**
 * The data rights request after its envelope checked out. Unknown claims are allowed (the
 * protocol permits custom claims) and ignored.
 */
export const drpRequestMessage = z
  .looseObject({
    'agent-id': z.string(),
    'business-id': z.string(),
    'issued-at': z.string(),
    'expires-at': z.string(),
    'agent-request-id': z.string().min(1).max(200).optional(),
    'drp.version': z.literal(DRP_VERSION, { error: `must be "${DRP_VERSION}"` }),
    exercise,
    regime: z.literal('ccpa', { error: 'must be "ccpa" or left out (a voluntary request)' }).optional(),
    relationships: z.array(z.string().max(100)).max(20).optional(),
    status_callback: z
      .string()
      .max(2000)
      .refine(callbackAllowed, 'must be an https URL without credentials (http only to localhost)')
      .optional(),
    name: z.string().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    email_verified: z.boolean().optional(),
    phone_number: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number such as +14155550123')
      .optional(),
    phone_number_verified: z.boolean().optional(),
    address: oidcAddress.optional(),
    address_verified: z.boolean().optional(),
    power_of_attorney: z.string().max(2000).optional(),
  })
  .refine((m) => m.email !== undefined || m.phone_number !== undefined, {
    message: 'give "email" or "phone_number": the person is verified through a contact we hold',
    path: ['email'],
  });
export type DrpRequestMessage = z.infer<typeof drpRequestMessage>;

/** The revoke body. The envelope claims, when an agent sends them, are checked like any other. */
export const drpRevokeMessage = z.looseObject({ reason: z.string().max(2000).optional() });

/** Zod issues as one sentence that names each field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? `"${issue.path.join('.')}" ` : ''}${issue.message}`)
    .join('; ');
}
