/**
 * The send-time suppression check (C4a.1, C4a.7–C4a.10, C12.1, C9.10): may this communication go
 * to this address, and if not, why. Each process keeps an in-memory index of the controller's
 * addresses, their subjects' flags, subscriptions and suppression entries; before answering it
 * reads the change log past the last change it applied (one indexed read), so an answer is never
 * older than the last committed change. Only the controller's partition is indexed: data held as
 * processor can never be selected for marketing (C4a.3).
 */
import { changesLost } from './changes.js';
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

const reasons = [...allowReasons, ...blockReasons] as const;

/**
 * Every verdict, indexed by its code: `checkCodes` answers with these codes (the allow reasons
 * come first, so a code below `allowReasons.length` allows). `verdictTable[checkCodes(…)[i]]` is
 * what `checkMany(…)[i]` returns.
 */
export const verdictTable: readonly Verdict[] = Object.freeze(
  reasons.map((reason, code) => Object.freeze({ allowed: code < allowReasons.length, reason }) as Verdict),
);

/** The code of each verdict reason, the inverse of `verdictTable`. */
export const verdictCode = Object.freeze(
  Object.fromEntries(reasons.map((reason, code) => [reason, code])) as Record<
    AllowReason | BlockReason,
    number
  >,
);

/** The verdict a `checkCodes` code stands for. */
export function verdictOf(code: number): Verdict {
  const verdict = verdictTable[code];
  if (verdict === undefined) throw new RangeError(`${code} is not a suppression verdict code`);
  return verdict;
}

const CONSENT = verdictCode.consent;
const OPT_OUT = verdictCode.opt_out;
const TRANSACTIONAL = verdictCode.transactional;
const INVALID_ADDRESS = verdictCode.invalid_address;
const UNKNOWN_OPT_IN_REQUIRED = verdictCode.unknown_opt_in_required;
const NO_CONSENT = verdictCode.no_consent;
const UNCONFIRMED = verdictCode.unconfirmed;
const UNSUBSCRIBED = verdictCode.unsubscribed;
const OBJECTED = verdictCode.objected;
const CHILD = verdictCode.child;
const RESTRICTED = verdictCode.restricted;
/**
 * Codes kept only in the index, never answered: a known address whose subject has no jurisdiction
 * on record, so the request's jurisdiction decides, by its subscription state.
 */
const IF_OPT_IN_CONFIRMED = reasons.length;
const IF_OPT_IN_UNCONFIRMED = reasons.length + 1;
const IF_OPT_IN_NONE = reasons.length + 2;
const KNOWN_CODES = reasons.length + 3;

/** Subscription states, as kept in the index. */
const SUBSCRIPTION_UNCONFIRMED = 0;
const SUBSCRIPTION_CONFIRMED = 1;
const SUBSCRIPTION_UNSUBSCRIBED = 2;
const subscriptionCodes: Readonly<Record<string, number>> = {
  unconfirmed: SUBSCRIPTION_UNCONFIRMED,
  confirmed: SUBSCRIPTION_CONFIRMED,
  unsubscribed: SUBSCRIPTION_UNSUBSCRIBED,
};

interface SubjectEntry {
  readonly jurisdiction: string | null;
  readonly child: boolean;
  readonly restricted: boolean;
  readonly objected: boolean;
  /** The subject's indexed addresses, to drop them when the subject is reloaded. */
  readonly addresses: string[];
}

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

/**
 * The index. Its memory is kept to what a verdict needs: one map entry per address (to its
 * subject), the subject's flags, one small-integer map per communication for subscription
 * states, and suppression entries only where there are some. Each communication's verdicts are
 * kept as one `address → code` map.
 */
export class SuppressionIndex {
  /** Every indexed address (normalised), to its subject. */
  private readonly addresses = new Map<string, SubjectEntry>();
  private readonly subjects = new Map<string, SubjectEntry>();
  /** Subscription states by `declaration|communication`, then by address. */
  private readonly subscriptions = new Map<string, Map<string, number>>();
  /** Suppression entries by address lookup (keyed hash): `declaration|scope` → reason. */
  private readonly suppressed = new Map<string, Map<string, string>>();
  /** The same entries by indexed address, for the addresses that have any. */
  private readonly suppressedAddresses = new Map<string, Map<string, string>>();
  private readonly verdictCache = new Map<
    string,
    { communication: Communication; declarationId: string; codes: Map<string, number> }
  >();
  /** One copy of each jurisdiction string, rather than one per subject row. */
  private readonly jurisdictions = new Map<string, string>();
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
    // The row applied last is read back with the new ones: housekeeping removes old rows (never
    // the newest), so if it is gone, rows this process never applied may be gone too.
    const read = await this.store.db
      .selectFrom('suppression_changes')
      .select(['seq', 'subject_id'])
      .where('seq', '>=', this.appliedSeq)
      .orderBy('seq')
      .limit(10_002)
      .execute();
    if (changesLost(this.appliedSeq, read)) return this.rebuild();
    const changes = read.filter((c) => Number(c.seq) > this.appliedSeq);
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
    this.subjects.clear();
    this.subscriptions.clear();
    this.suppressed.clear();
    this.suppressedAddresses.clear();
    this.verdictCache.clear();
    await this.load(undefined);
    this.appliedSeq = Number(head?.seq ?? 0);
  }

  private async reloadSubjects(ids: readonly string[]): Promise<void> {
    const touched = new Set<string>();
    for (const id of ids) {
      for (const key of this.subjects.get(id)?.addresses ?? []) {
        this.addresses.delete(key);
        this.suppressedAddresses.delete(key);
        for (const states of this.subscriptions.values()) states.delete(key);
        touched.add(key);
      }
      this.subjects.delete(id);
    }
    for (let i = 0; i < ids.length; i += 500) await this.load(ids.slice(i, i + 500));
    for (const id of ids) for (const key of this.subjects.get(id)?.addresses ?? []) touched.add(key);
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
      let jurisdiction = s.jurisdiction;
      if (jurisdiction !== null) {
        const shared = this.jurisdictions.get(jurisdiction);
        if (shared === undefined) this.jurisdictions.set(jurisdiction, jurisdiction);
        else jurisdiction = shared;
      }
      this.subjects.set(s.id, {
        jurisdiction,
        child: s.child === 1,
        restricted: s.restricted === 1,
        objected: s.objected_at !== null,
        addresses: [],
      });
    }
    const identifiers = await db
      .selectFrom('identifiers')
      .select(['id', 'subject_id', 'value', 'lookup'])
      .where('tenant', '=', CONTROLLER_TENANT)
      .where('kind', '=', 'email')
      .$if(some, (q) => q.where('subject_id', 'in', ids))
      .execute();
    let suppressions;
    if (!some) {
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
    const addressOf = new Map<string, string>();
    for (const i of identifiers) {
      if (i.value === null) continue;
      let subject = this.subjects.get(i.subject_id);
      if (subject === undefined) {
        // Its subject is not the controller's (or is gone): marketing is refused, as for an
        // objection, and transactional messages pass.
        subject = { jurisdiction: null, child: false, restricted: false, objected: true, addresses: [] };
        this.subjects.set(i.subject_id, subject);
      }
      subject.addresses.push(i.value);
      this.addresses.set(i.value, subject);
      addressOf.set(i.id, i.value);
      const scopes = this.suppressed.get(i.lookup);
      if (scopes !== undefined) this.suppressedAddresses.set(i.value, scopes);
    }
    const subscriptions = await db
      .selectFrom('subscriptions')
      .select(['identifier_id', 'declaration_id', 'communication_id', 'state'])
      .$if(some, (q) => q.where('subject_id', 'in', ids))
      .execute();
    for (const s of subscriptions) {
      const address = addressOf.get(s.identifier_id);
      const state = subscriptionCodes[s.state];
      if (address === undefined || state === undefined) continue;
      const list = `${s.declaration_id}|${s.communication_id}`;
      let states = this.subscriptions.get(list);
      if (states === undefined) this.subscriptions.set(list, (states = new Map()));
      states.set(address, state);
    }
  }

  /**
   * Decides for each address: `checkCodes` with each code turned into its verdict. Call `sync()`
   * first (the `checkSuppression` use case does). `jurisdiction` applies to addresses whose
   * subject has none on record.
   */
  checkMany(
    declarationId: string,
    communication: Communication,
    addresses: readonly string[],
    jurisdiction = 'default',
  ): Verdict[] {
    const codes = this.checkCodes(declarationId, communication, addresses, jurisdiction);
    const out = new Array<Verdict>(codes.length);
    for (let i = 0; i < codes.length; i += 1) out[i] = verdictTable[codes[i] as number] as Verdict;
    return out;
  }

  /**
   * Decides for each address, as a verdict code (`verdictOf(code)`, or `verdictTable[code]`): the
   * same answers as `checkMany`, without an object per address. Writes into `out` when given
   * (it must hold at least `addresses.length` codes; reuse it across batches) and returns it.
   *
   * @example
   * const codes = new Uint8Array(10_000);
   * index.checkCodes('sncn-general', newsletter, batch, 'SE', codes);
   * if (codes[0] !== verdictCode.consent) skip(batch[0]);
   */
  checkCodes(
    declarationId: string,
    communication: Communication,
    addresses: readonly string[],
    jurisdiction = 'default',
    out?: Uint8Array,
  ): Uint8Array {
    const n = addresses.length;
    if (out !== undefined && out.length < n)
      throw new RangeError(`out holds ${out.length} codes; ${n} addresses need as many`);
    const codes = out ?? new Uint8Array(n);
    const known = this.knownCodes(declarationId, communication);
    const requestPermission = resolveByJurisdiction(communication.permission, jurisdiction);
    const unknownCode =
      communication.kind === 'transactional'
        ? TRANSACTIONAL
        : requestPermission === 'opt_out'
          ? OPT_OUT
          : UNKNOWN_OPT_IN_REQUIRED;
    // Stored code → answer: the same, except where the request's jurisdiction decides.
    const answer = new Uint8Array(KNOWN_CODES);
    for (let code = 0; code < reasons.length; code += 1) answer[code] = code;
    answer[IF_OPT_IN_CONFIRMED] = requestPermission === 'opt_out' ? OPT_OUT : CONSENT;
    answer[IF_OPT_IN_UNCONFIRMED] = requestPermission === 'opt_out' ? OPT_OUT : UNCONFIRMED;
    answer[IF_OPT_IN_NONE] = requestPermission === 'opt_out' ? OPT_OUT : NO_CONSENT;
    const hashUnknown = unknownCode === OPT_OUT && this.suppressed.size > 0;
    for (let i = 0; i < n; i += 1) {
      const address = addresses[i] as string;
      // Most addresses arrive as we stored them: a hit needs no normalising (it is idempotent).
      let code = known.get(address);
      if (code === undefined) {
        const key = addressKey(address);
        if (key === undefined) {
          codes[i] = INVALID_ADDRESS;
          continue;
        }
        if (key !== address) code = known.get(key);
        if (code === undefined) {
          // Not ours, or erased: only a keyed-hash suppression entry can still say no.
          codes[i] = hashUnknown
            ? (this.suppressedCode(
                this.suppressed.get(hmac(this.identifierKey, `email:${key}`)),
                declarationId,
                communication.id,
              ) ?? unknownCode)
            : unknownCode;
          continue;
        }
      }
      codes[i] = answer[code] as number;
    }
    return codes;
  }

  private suppressedCode(
    entries: Map<string, string> | undefined,
    declarationId: string,
    communicationId: string,
  ): number | undefined {
    if (entries === undefined) return undefined;
    const reason =
      entries.get(`*|${ALL}`) ??
      entries.get(`${declarationId}|${ALL}`) ??
      entries.get(`${declarationId}|${communicationId}`);
    if (reason === undefined) return undefined;
    return reason === 'objected' ? OBJECTED : reason === 'child' ? CHILD : UNSUBSCRIBED;
  }

  /**
   * The verdict code of every known address for one communication, computed once and kept
   * current by `sync()`, so a check is one map look-up. Where the answer depends on the
   * jurisdiction of the request (the person has none on record), an `IF_OPT_IN_…` code stands in.
   */
  private knownCodes(declarationId: string, communication: Communication): Map<string, number> {
    const cacheKey = `${declarationId}|${communication.id}`;
    const cached = this.verdictCache.get(cacheKey);
    if (cached !== undefined && cached.communication === communication) return cached.codes;
    const codes = new Map<string, number>();
    const states = this.subscriptions.get(cacheKey);
    for (const [key, subject] of this.addresses)
      codes.set(key, this.knownCode(key, subject, states, declarationId, communication));
    this.verdictCache.set(cacheKey, { communication, declarationId, codes });
    return codes;
  }

  private knownCode(
    key: string,
    subject: SubjectEntry,
    states: Map<string, number> | undefined,
    declarationId: string,
    communication: Communication,
  ): number {
    if (communication.kind === 'transactional') return subject.restricted ? RESTRICTED : TRANSACTIONAL;
    if (subject.objected) return OBJECTED;
    const suppressed = this.suppressedCode(
      this.suppressedAddresses.get(key),
      declarationId,
      communication.id,
    );
    if (suppressed !== undefined) return suppressed;
    if (subject.child) return CHILD;
    if (subject.restricted) return RESTRICTED;
    const state = states?.get(key);
    if (state === SUBSCRIPTION_UNSUBSCRIBED) return UNSUBSCRIBED;
    if (subject.jurisdiction === null)
      return state === SUBSCRIPTION_CONFIRMED
        ? IF_OPT_IN_CONFIRMED
        : state === SUBSCRIPTION_UNCONFIRMED
          ? IF_OPT_IN_UNCONFIRMED
          : IF_OPT_IN_NONE;
    if (resolveByJurisdiction(communication.permission, subject.jurisdiction) === 'opt_out') return OPT_OUT;
    return state === SUBSCRIPTION_CONFIRMED
      ? CONSENT
      : state === SUBSCRIPTION_UNCONFIRMED
        ? UNCONFIRMED
        : NO_CONSENT;
  }

  /** Recomputes the cached verdicts of the given addresses (dropping those no longer known). */
  private refreshVerdicts(keys: Iterable<string>): void {
    if (this.verdictCache.size === 0) return;
    const list = [...keys];
    for (const [cacheKey, { communication, declarationId, codes }] of this.verdictCache) {
      const states = this.subscriptions.get(cacheKey);
      for (const key of list) {
        const subject = this.addresses.get(key);
        if (subject === undefined) codes.delete(key);
        else codes.set(key, this.knownCode(key, subject, states, declarationId, communication));
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
