/**
 * Cookie-banner choices (C8.1, C8.2). Each browser gets a random consent id, held by the script
 * in a first-party cookie inside a token we sign; the id is a `cookie` identifier of a subject
 * of its own, so every choice is a consent record in the ledger with the declaration version
 * the visitor saw. The token lets events claim a consent quickly, but the ledger decides:
 * `allowedCategories` reads it, through a per-process cache that applies the consent change log
 * (src/consent/changes.ts) before every answer, so a withdrawal made in any process holds in all.
 */
import { randomBytes } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import { changesLost } from '../consent/changes.js';
import { consentHistory, deriveState, recordConsentEvents } from '../consent/ledger.js';
import type { AppContext } from '../context.js';
import { hmac, safeEqual } from '../crypto.js';
import { AppError, notInForce } from '../errors.js';
import type { Store } from '../store/database.js';
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
  const token = issueToken(ctx, {
    consentId,
    declarationId: active.model.id,
    version: input.version,
    allowed,
  });
  return { token, allowed, version: input.version };
}

/** An entry is read again after this long even without a change: a bound, not the guarantee. */
const TOKEN_CACHE_MS = 60_000;
const TOKEN_CACHE_SIZE = 50_000;
/** Past this many changes at once, dropping everything is cheaper than dropping each. */
const CHANGES_PER_SYNC = 10_000;

interface CachedToken {
  readonly at: number;
  readonly subjectId: string;
  readonly allowed: ReadonlySet<string>;
}

/**
 * Allowed categories per token, from the ledger. Before each answer it reads the consent change
 * log past the last row it applied (one indexed read, shared by concurrent callers) and drops the
 * tokens of the subjects that changed, as the suppression index does with its own log.
 */
class TokenCache {
  private readonly entries = new Map<string, CachedToken>();
  private readonly bySubject = new Map<string, Set<string>>();
  private appliedSeq = -1;
  private syncing: Promise<void> | undefined;

  /** Compiled once: this read runs before every answer, and building it cost more than running it. */
  private readonly changesSince;

  constructor(private readonly store: Store) {
    this.changesSince = store.db
      .selectFrom('consent_changes')
      .select(['seq', 'subject_id'])
      .where('seq', '>=', 0)
      .orderBy('seq')
      .limit(1)
      .compile();
  }

  /** Applies every consent change committed so far. */
  sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** The sequence applied so far: an answer read from the ledger is cached only if it is unchanged. */
  get applied(): number {
    return this.appliedSeq;
  }

  get(raw: string, now: number): ReadonlySet<string> | undefined {
    const entry = this.entries.get(raw);
    return entry !== undefined && now - entry.at < TOKEN_CACHE_MS ? entry.allowed : undefined;
  }

  set(raw: string, entry: CachedToken, readAt: number): void {
    // A change applied while the ledger was read may be newer than what was read.
    if (readAt !== this.appliedSeq) return;
    if (this.entries.size >= TOKEN_CACHE_SIZE) this.clear();
    this.entries.set(raw, entry);
    let tokens = this.bySubject.get(entry.subjectId);
    if (tokens === undefined) this.bySubject.set(entry.subjectId, (tokens = new Set()));
    tokens.add(raw);
  }

  private clear(): void {
    this.entries.clear();
    this.bySubject.clear();
  }

  private async doSync(): Promise<void> {
    if (this.appliedSeq < 0) {
      const head = await this.store.db
        .selectFrom('consent_changes')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst();
      this.clear();
      this.appliedSeq = Number(head?.seq ?? 0);
      return;
    }
    // From the row applied last on: if housekeeping removed it, changes may be lost, so forget all.
    const { rows: read } = await this.store.db.executeQuery<{ seq: number; subject_id: string | null }>(
      CompiledQuery.raw(this.changesSince.sql, [this.appliedSeq, CHANGES_PER_SYNC + 2]),
    );
    const lost = changesLost(this.appliedSeq, read);
    const changes = read.filter((c) => Number(c.seq) > this.appliedSeq);
    if (changes.length === 0 && !lost) return;
    if (lost || changes.length > CHANGES_PER_SYNC || changes.some((c) => c.subject_id === null)) {
      this.clear();
    } else {
      for (const { subject_id: subjectId } of changes) {
        for (const raw of this.bySubject.get(subjectId!) ?? []) this.entries.delete(raw);
        this.bySubject.delete(subjectId!);
      }
    }
    this.appliedSeq = Number(read.at(-1)?.seq ?? 0);
  }
}

/** One cache per store, so two contexts in one process are two processes to each other. */
const tokenCaches = new WeakMap<Store, TokenCache>();

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
  let cache = tokenCaches.get(ctx.store);
  if (cache === undefined) tokenCaches.set(ctx.store, (cache = new TokenCache(ctx.store)));
  await cache.sync();
  const now = ctx.clock.now().getTime();
  const cached = cache.get(raw, now);
  if (cached !== undefined) return cached;
  const readAt = cache.applied;
  const identifier = await db
    .selectFrom('identifiers')
    .select('subject_id')
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('lookup', '=', consentRef(ctx, token.consentId))
    .executeTakeFirst();
  if (identifier === undefined) return new Set();
  const allowed = new Set(
    deriveState(await consentHistory(db, identifier.subject_id))
      .filter(
        (s) => s.given && s.declarationId === token.declarationId && s.target.kind === 'cookie_category',
      )
      .map((s) => s.target.id),
  );
  cache.set(raw, { at: now, subjectId: identifier.subject_id, allowed }, readAt);
  return allowed;
}
