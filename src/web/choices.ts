/**
 * Cookie-banner choices (C8.1, C8.2). Each browser gets a random consent id, held by the script
 * in a first-party cookie inside a token we sign; the id is a `cookie` identifier of a subject
 * of its own, so every choice is a consent record in the ledger with the declaration version
 * the visitor saw. The token lets events claim a consent quickly, but the ledger decides:
 * `allowedCategories` reads it (cached for a minute per token).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import { consentHistory, deriveState, recordConsentEvents } from '../consent/ledger.js';
import type { AppContext } from '../context.js';
import { hmac, safeEqual } from '../crypto.js';
import { AppError, notInForce } from '../errors.js';
import { groupTransaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT, lookupOf, resolveSubject } from '../subjects/subjects.js';
import type { ConsentAnswer } from './contract.js';

export const consentChoiceInput = z.strictObject({
  declarationId: z.string().min(1).max(100),
  version: z.string().regex(/^[0-9a-f]{64}$/, 'the version (content hash) the banner showed'),
  categories: z.record(z.string().max(100), z.boolean()).refine((c) => Object.keys(c).length <= 50),
  servicesOff: z.array(z.string().min(1).max(200)).max(100).optional(),
  gpc: z.boolean(),
  language: z.string().max(10),
  token: z.string().max(400).optional(),
  via: z.enum(['accept_all', 'reject_all', 'save', 'gpc']),
});
export type ConsentChoiceInput = z.input<typeof consentChoiceInput>;

export interface ConsentToken {
  readonly consentId: string;
  readonly declarationId: string;
  readonly version: string;
  readonly allowed: readonly string[];
}

const sign = (ctx: Pick<AppContext, 'keys'>, payload: string) =>
  hmac(ctx.keys.tokens, `web-consent\n${payload}`);

export function issueToken(ctx: Pick<AppContext, 'keys'>, token: ConsentToken): string {
  const payload = Buffer.from(
    JSON.stringify([token.consentId, token.declarationId, token.version, token.allowed]),
  ).toString('base64url');
  return `${payload}.${sign(ctx, payload)}`;
}

/** The token's content if we signed it; undefined for anything forged or malformed. */
export function readToken(ctx: Pick<AppContext, 'keys'>, token: string): ConsentToken | undefined {
  const [payload = '', mac = '', extra] = token.split('.');
  if (extra !== undefined || payload === '' || !safeEqual(mac, sign(ctx, payload))) return undefined;
  try {
    const [consentId, declarationId, version, allowed] = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    ) as [string, string, string, string[]];
    return { consentId, declarationId, version, allowed };
  } catch {
    return undefined;
  }
}

/** A keyed hash of a consent id: what is stored with events and links, never the id itself. */
export function consentRef(ctx: Pick<AppContext, 'keys'>, consentId: string): string {
  return lookupOf(ctx.keys, 'cookie', consentId);
}

interface RequestContext {
  readonly ip?: string;
  readonly userAgent?: string;
  /** The `Sec-GPC: 1` header. */
  readonly gpcHeader: boolean;
}

/**
 * Records a banner choice: every non-required category of the declaration, given or withdrawn,
 * with the version the visitor saw. A category the declaration turns off under Global Privacy
 * Control is recorded as withdrawn when GPC is signalled, whatever the choice said.
 */
export async function recordBannerChoice(
  ctx: AppContext,
  raw: ConsentChoiceInput,
  request: RequestContext,
): Promise<ConsentAnswer> {
  const input = consentChoiceInput.parse(raw);
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  if (input.version !== active.version.contentHash)
    throw new AppError(
      'conflict',
      'The banner showed another version of the declaration than the one in force; load its configuration again.',
      [{ path: 'version', message: `the version in force is ${active.version.contentHash}` }],
    );
  const d = active.model.declaration;
  const optional = d.cookies.categories.filter((c) => !c.required);
  const unknown = Object.keys(input.categories).filter((id) => !optional.some((c) => c.id === id));
  if (unknown.length > 0)
    throw new AppError(
      'not_declared',
      `Not a category the visitor can choose: ${unknown.join(', ')}.`,
      unknown.map((id) => ({ path: `categories.${id}`, message: 'not an optional cookie category' })),
    );
  const gpc = input.gpc || request.gpcHeader;
  const allowed = optional
    .filter((c) => input.categories[c.id] === true && !(gpc && d.gpc.honoured && c.gpcOptOut))
    .map((c) => c.id);
  const previous = input.token === undefined ? undefined : readToken(ctx, input.token);
  const consentId =
    previous !== undefined && previous.declarationId === active.model.id
      ? previous.consentId
      : randomBytes(16).toString('base64url');

  const element = [`banner:${input.via}`, ...(input.servicesOff ?? []).map((s) => `off:${s}`)]
    .join(' ')
    .slice(0, 1000);
  await groupTransaction(ctx.store, async (tx) => {
    const subject = await resolveSubject(tx, ctx, {
      tenant: CONTROLLER_TENANT,
      identifiers: [{ kind: 'cookie', value: consentId, lookup: consentRef(ctx, consentId) }],
      source: 'website',
    });
    const shared = {
      subjectId: subject.subjectId,
      declaration: active,
      noticeHash: input.version,
      channel: 'banner',
      element,
      ip: request.ip ?? null,
      userAgent: request.userAgent ?? null,
      gpc,
    };
    const given = optional.filter((c) => allowed.includes(c.id));
    const refused = optional.filter((c) => !allowed.includes(c.id));
    for (const [event, list] of [
      ['given', given],
      ['withdrawn', refused],
    ] as const)
      if (list.length > 0)
        await recordConsentEvents(tx, ctx, {
          ...shared,
          event,
          targets: list.map((c) => ({ kind: 'cookie_category' as const, id: c.id })),
        });
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: `subject:${subject.subjectId}`,
      action: 'consent.banner_choice',
      target: `subject:${subject.subjectId}`,
      details: { declarationId: active.model.id, allowed, via: input.via, gpc },
    });
  });
  tokenCache.clear();
  const token = issueToken(ctx, {
    consentId,
    declarationId: active.model.id,
    version: input.version,
    allowed,
  });
  return { token, allowed, version: input.version };
}

/** Allowed categories per token, from the ledger; kept for a minute. */
const tokenCache = new Map<string, { readonly at: number; readonly allowed: ReadonlySet<string> }>();
const TOKEN_CACHE_MS = 60_000;
const TOKEN_CACHE_SIZE = 50_000;

/**
 * The cookie categories the ledger shows as allowed for the browser behind `token`, for the
 * token's declaration; an empty set for a token we did not sign or a consent id we do not know.
 */
export async function allowedCategories(
  ctx: AppContext,
  db: Tx,
  token: ConsentToken,
  raw: string,
): Promise<ReadonlySet<string>> {
  const now = ctx.clock.now().getTime();
  const cached = tokenCache.get(raw);
  if (cached !== undefined && now - cached.at < TOKEN_CACHE_MS) return cached.allowed;
  const identifier = await db
    .selectFrom('identifiers')
    .select('subject_id')
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('lookup', '=', consentRef(ctx, token.consentId))
    .executeTakeFirst();
  const allowed = new Set(
    identifier === undefined
      ? []
      : deriveState(await consentHistory(db, identifier.subject_id))
          .filter(
            (s) => s.given && s.declarationId === token.declarationId && s.target.kind === 'cookie_category',
          )
          .map((s) => s.target.id),
  );
  if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.clear();
  tokenCache.set(raw, { at: now, allowed });
  return allowed;
}
