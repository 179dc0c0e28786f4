/**
 * The send-time suppression check (C4a.1, C4a.7–C4a.10, C12.1, C9.10): may this communication go
 * to this address, and if not, why. Each process keeps an in-memory index of the controller's
 * addresses, their subjects' flags, subscriptions and suppression entries; before answering it
 * reads the change log past the last change it applied (one indexed read), so an answer is never
 * older than the last committed change. Only the controller's partition is indexed: data held as
 * processor can never be selected for marketing (C4a.3).
 */
import type { AppContext } from '../context.js';
import { hmac } from '../crypto.js';
import { AppError, notInForce } from '../errors.js';
import { resolveByJurisdiction } from '../policy/model.js';
import type { Communication } from '../policy/schema.js';
import type { Store } from '../store/database.js';
import { normaliseEmail } from '../subjects/normalize.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

export const allowReasons = ['consent', 'opt_out', 'transactional'] as const;
export const blockReasons = [
  'invalid_address',
  'unknown_opt_in_required',
  'no_consent',
  'unconfirmed',
  'unsubscribed',
  'objected',
  'child',
  'restricted',
] as const;
export type AllowReason = (typeof allowReasons)[number];
export type BlockReason = (typeof blockReasons)[number];
export type Verdict =
  | { readonly allowed: true; readonly reason: AllowReason }
  | { readonly allowed: false; readonly reason: BlockReason };

/** Any scope: the suppression covers every marketing communication. */
export const ALL = '*';

interface SubjectEntry {
  jurisdiction: string | null;
  child: boolean;
  restricted: boolean;
  objected: boolean;
}

interface AddressEntry {
  subjectId: string;
  lookup: string;
  /** Subscription state by `declaration|communication`. */
  subscriptions: Map<string, 'unconfirmed' | 'confirmed' | 'unsubscribed'> | undefined;
}

/** A known address's verdict, or its subscription state when the request's jurisdiction decides. */
type Known = Verdict | 'confirmed' | 'unconfirmed' | 'none';

const verdicts = {
  consent: { allowed: true, reason: 'consent' },
  opt_out: { allowed: true, reason: 'opt_out' },
  transactional: { allowed: true, reason: 'transactional' },
  invalid_address: { allowed: false, reason: 'invalid_address' },
  unknown_opt_in_required: { allowed: false, reason: 'unknown_opt_in_required' },
  no_consent: { allowed: false, reason: 'no_consent' },
  unconfirmed: { allowed: false, reason: 'unconfirmed' },
  unsubscribed: { allowed: false, reason: 'unsubscribed' },
  objected: { allowed: false, reason: 'objected' },
  child: { allowed: false, reason: 'child' },
  restricted: { allowed: false, reason: 'restricted' },
} as const satisfies Record<AllowReason | BlockReason, Verdict>;

/** Email normalisation with a fast path for the common case: plain ASCII, lower-case domain. */
export function addressKey(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at > 0 && at < address.length - 1) {
    let plain = address.charCodeAt(0) > 32 && address.charCodeAt(address.length - 1) > 32;
    for (let i = at + 1; plain && i < address.length; i += 1) {
      const c = address.charCodeAt(i);
      if (c >= 128 || (c >= 65 && c <= 90)) plain = false;
    }
    for (let i = 0; plain && i < at; i += 1) if (address.charCodeAt(i) >= 128) plain = false;
    if (plain && address.indexOf('@') === at && !address.includes(' ')) {
      const local = address.charCodeAt(0);
      if (local !== 46 && address.charCodeAt(at - 1) !== 46 && address.indexOf('.', at) > at + 1)
        return address;
    }
  }
  const normalised = normaliseEmail(address);
  return normalised.ok ? normalised.value : undefined;
}

export class SuppressionIndex {
  private readonly addresses = new Map<string, AddressEntry>();
  private readonly subjects = new Map<string, SubjectEntry>();
  /** The indexed addresses of each subject, to drop them when the subject is reloaded. */
  private readonly addressesOf = new Map<string, string[]>();
  /** Suppression entries by address lookup: `declaration|scope` → reason. */
  private readonly suppressed = new Map<string, Map<string, string>>();
  private readonly verdictCache = new Map<
    string,
    { communication: Communication; declarationId: string; verdicts: Map<string, Known> }
  >();
  private appliedSeq = -1;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly identifierKey: Buffer,
  ) {}

  /** Applies every change committed since the last sync. Concurrent callers share one sync. */
  async sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    if (this.appliedSeq < 0) return this.rebuild();
    const changes = await this.store.db
      .selectFrom('suppression_changes')
      .select(['seq', 'subject_id'])
      .where('seq', '>', this.appliedSeq)
      .orderBy('seq')
      .limit(10_001)
      .execute();
    if (changes.length === 0) return;
    if (changes.length > 10_000 || changes.some((c) => c.subject_id === null)) return this.rebuild();
    await this.reloadSubjects([...new Set(changes.map((c) => c.subject_id as string))]);
    this.appliedSeq = Number(changes[changes.length - 1]?.seq ?? this.appliedSeq);
  }

  private async rebuild(): Promise<void> {
    const head = await this.store.db
      .selectFrom('suppression_changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    this.addresses.clear();
    this.addressesOf.clear();
    this.subjects.clear();
    this.suppressed.clear();
    this.verdictCache.clear();
    await this.load(undefined);
    this.appliedSeq = Number(head?.seq ?? 0);
  }

  private async reloadSubjects(ids: readonly string[]): Promise<void> {
    const touched = new Set<string>();
    for (const id of ids) {
      for (const key of this.addressesOf.get(id) ?? []) {
        this.addresses.delete(key);
        touched.add(key);
      }
      this.addressesOf.delete(id);
      this.subjects.delete(id);
    }
    for (let i = 0; i < ids.length; i += 500) await this.load(ids.slice(i, i + 500));
    for (const id of ids) for (const key of this.addressesOf.get(id) ?? []) touched.add(key);
    this.refreshVerdicts(touched);
  }

  /** Loads everything, or only the given subjects (and the suppression entries of their addresses). */
  private async load(subjectIds: readonly string[] | undefined): Promise<void> {
    const db = this.store.db;
    const ids = subjectIds ?? [];
    const some = subjectIds !== undefined;
    const subjects = await db
      .selectFrom('subjects')
      .select(['id', 'jurisdiction', 'child', 'restricted', 'objected_at'])
      .where('tenant', '=', CONTROLLER_TENANT)
      .$if(some, (q) => q.where('id', 'in', ids))
      .execute();
    for (const s of subjects) {
      this.subjects.set(s.id, {
        jurisdiction: s.jurisdiction,
        child: s.child === 1,
        restricted: s.restricted === 1,
        objected: s.objected_at !== null,
      });
    }
    const identifiers = await db
      .selectFrom('identifiers')
      .select(['id', 'subject_id', 'value', 'lookup'])
      .where('tenant', '=', CONTROLLER_TENANT)
      .where('kind', '=', 'email')
      .$if(some, (q) => q.where('subject_id', 'in', ids))
      .execute();
    const byIdentifier = new Map<string, AddressEntry>();
    for (const i of identifiers) {
      if (i.value === null) continue;
      const entry: AddressEntry = { subjectId: i.subject_id, lookup: i.lookup, subscriptions: undefined };
      this.addresses.set(i.value, entry);
      byIdentifier.set(i.id, entry);
      const keys = this.addressesOf.get(i.subject_id);
      if (keys === undefined) this.addressesOf.set(i.subject_id, [i.value]);
      else keys.push(i.value);
    }
    const subscriptions = await db
      .selectFrom('subscriptions')
      .select(['identifier_id', 'declaration_id', 'communication_id', 'state'])
      .$if(some, (q) => q.where('subject_id', 'in', ids))
      .execute();
    for (const s of subscriptions) {
      const entry = byIdentifier.get(s.identifier_id);
      if (entry === undefined) continue;
      (entry.subscriptions ??= new Map()).set(`${s.declaration_id}|${s.communication_id}`, s.state);
    }
    let suppressions;
    if (subjectIds === undefined) {
      suppressions = await db
        .selectFrom('suppressions')
        .select(['lookup', 'declaration_id', 'scope', 'reason'])
        .execute();
    } else {
      const lookups = identifiers.map((i) => i.lookup);
      for (const l of lookups) this.suppressed.delete(l);
      suppressions =
        lookups.length === 0
          ? []
          : await db
              .selectFrom('suppressions')
              .select(['lookup', 'declaration_id', 'scope', 'reason'])
              .where('lookup', 'in', lookups)
              .execute();
    }
    for (const s of suppressions) {
      let scopes = this.suppressed.get(s.lookup);
      if (scopes === undefined) this.suppressed.set(s.lookup, (scopes = new Map()));
      scopes.set(`${s.declaration_id}|${s.scope}`, s.reason);
    }
  }

  /**
   * Decides for each address. Call `sync()` first (the `checkSuppression` use case does).
   * `jurisdiction` applies to addresses whose subject has none on record.
   */
  checkMany(
    declarationId: string,
    communication: Communication,
    addresses: readonly string[],
    jurisdiction = 'default',
  ): Verdict[] {
    const out = new Array<Verdict>(addresses.length);
    const known = this.knownVerdicts(declarationId, communication);
    const requestPermission = resolveByJurisdiction(communication.permission, jurisdiction);
    const unknownVerdict =
      communication.kind === 'transactional'
        ? verdicts.transactional
        : requestPermission === 'opt_out'
          ? verdicts.opt_out
          : verdicts.unknown_opt_in_required;
    const scopes = this.scopes(declarationId, communication);
    for (let i = 0; i < addresses.length; i += 1) {
      const address = addresses[i] as string;
      // Most addresses arrive as we stored them: a hit needs no normalising (it is idempotent).
      let verdict = known.get(address);
      let key: string | undefined = address;
      if (verdict === undefined) {
        key = addressKey(address);
        if (key === undefined) {
          out[i] = verdicts.invalid_address;
          continue;
        }
        if (key !== address) verdict = known.get(key);
      }
      if (verdict === undefined) {
        // Not ours, or erased: only a keyed-hash suppression entry can still say no.
        out[i] =
          unknownVerdict === verdicts.opt_out && this.suppressed.size > 0
            ? (this.suppressedReason(hmac(this.identifierKey, `email:${key}`), scopes) ?? unknownVerdict)
            : unknownVerdict;
      } else if (typeof verdict === 'object') {
        out[i] = verdict;
      } else {
        out[i] =
          requestPermission === 'opt_out'
            ? verdicts.opt_out
            : verdict === 'confirmed'
              ? verdicts.consent
              : verdict === 'unconfirmed'
                ? verdicts.unconfirmed
                : verdicts.no_consent;
      }
    }
    return out;
  }

  private scopes(declarationId: string, communication: Communication): string[] {
    return [`*|${ALL}`, `${declarationId}|${ALL}`, `${declarationId}|${communication.id}`];
  }

  private suppressedReason(lookup: string, scopes: readonly string[]): Verdict | undefined {
    const entries = this.suppressed.get(lookup);
    if (entries === undefined) return undefined;
    for (const scope of scopes) {
      const reason = entries.get(scope);
      if (reason !== undefined)
        return reason === 'objected'
          ? verdicts.objected
          : reason === 'child'
            ? verdicts.child
            : verdicts.unsubscribed;
    }
    return undefined;
  }

  /**
   * The verdict of every known address for one communication, computed once and kept current
   * by `sync()`, so a check is one map look-up. Where the answer depends on the jurisdiction of
   * the request (the person has none on record), the subscription state stands in for it.
   */
  private knownVerdicts(declarationId: string, communication: Communication): Map<string, Known> {
    const cacheKey = `${declarationId}|${communication.id}`;
    const cached = this.verdictCache.get(cacheKey);
    if (cached !== undefined && cached.communication === communication) return cached.verdicts;
    const map = new Map<string, Known>();
    for (const [key, entry] of this.addresses)
      map.set(key, this.knownVerdict(entry, declarationId, communication));
    this.verdictCache.set(cacheKey, { communication, declarationId, verdicts: map });
    return map;
  }

  private knownVerdict(entry: AddressEntry, declarationId: string, communication: Communication): Known {
    const subject = this.subjects.get(entry.subjectId);
    if (communication.kind === 'transactional')
      return subject?.restricted ? verdicts.restricted : verdicts.transactional;
    if (subject === undefined || subject.objected) return verdicts.objected;
    const suppressed = this.suppressedReason(entry.lookup, this.scopes(declarationId, communication));
    if (suppressed !== undefined) return suppressed;
    if (subject.child) return verdicts.child;
    if (subject.restricted) return verdicts.restricted;
    const state = entry.subscriptions?.get(`${declarationId}|${communication.id}`);
    if (state === 'unsubscribed') return verdicts.unsubscribed;
    if (subject.jurisdiction === null) return state ?? 'none';
    if (resolveByJurisdiction(communication.permission, subject.jurisdiction) === 'opt_out')
      return verdicts.opt_out;
    return state === 'confirmed'
      ? verdicts.consent
      : state === 'unconfirmed'
        ? verdicts.unconfirmed
        : verdicts.no_consent;
  }

  /** Recomputes the cached verdicts of the given addresses (dropping those no longer known). */
  private refreshVerdicts(keys: Iterable<string>): void {
    if (this.verdictCache.size === 0) return;
    const list = [...keys];
    for (const { communication, declarationId, verdicts: map } of this.verdictCache.values()) {
      for (const key of list) {
        const entry = this.addresses.get(key);
        if (entry === undefined) map.delete(key);
        else map.set(key, this.knownVerdict(entry, declarationId, communication));
      }
    }
  }
}

const indexes = new WeakMap<Store, SuppressionIndex>();

/** The process's index for this store. */
export function suppressionIndex(ctx: Pick<AppContext, 'store' | 'keys'>): SuppressionIndex {
  let index = indexes.get(ctx.store);
  if (index === undefined)
    indexes.set(ctx.store, (index = new SuppressionIndex(ctx.store, ctx.keys.identifiers)));
  return index;
}

/** Looks up a communication or throws a clear error. */
export function communicationOf(
  ctx: Pick<AppContext, 'policies'>,
  declarationId: string,
  communicationId: string,
): Communication {
  const active = ctx.policies.get(declarationId);
  if (active === undefined) throw notInForce(declarationId);
  const communication = active.model.declaration.communications.find((c) => c.id === communicationId);
  if (communication === undefined) {
    throw new AppError(
      'not_declared',
      `Communication "${communicationId}" is not declared in "${declarationId}".`,
      [{ path: 'communication', message: 'unknown communication' }],
    );
  }
  return communication;
}

/** In-process suppression check: the same answers the batch API gives. */
export async function checkSuppression(
  ctx: Pick<AppContext, 'store' | 'keys' | 'policies'>,
  input: {
    declarationId: string;
    communication: string;
    addresses: readonly string[];
    jurisdiction?: string;
  },
): Promise<Verdict[]> {
  const communication = communicationOf(ctx, input.declarationId, input.communication);
  const index = suppressionIndex(ctx);
  await index.sync();
  return index.checkMany(input.declarationId, communication, input.addresses, input.jurisdiction);
}
