/**
 * The send-time suppression check (C4a.1, C4a.7–C4a.10, C12.1, C9.10): may this communication go
 * to this address, and if not, why. Each process keeps an in-memory index of the controller's
 * addresses, their subjects' flags, subscriptions and suppression entries; before answering it
 * reads the change log past the last change it applied (one indexed read), so an answer is never
 * older than the last committed change. Only the controller's partition is indexed: data held as
 * processor can never be selected for marketing (C4a.3).
 *
 * A communication with a soft opt-in (`softOptIn`, where its permission is opt_out) also needs the
 * person's latest relationship fact (an order captured where refusing was offered, a reported
 * lifecycle event): the index keeps, per fact, each subject's latest time, loaded the first time
 * such a communication is checked (`sync({ declarationId, communication })`) and kept current by
 * the same change log; the period is measured against the clock at each check.
 */
import { sql } from 'kysely';
import { changesLost } from './changes.js';
import type { AppContext, Clock } from '../context.js';
import { systemClock } from '../context.js';
import { hmac } from '../crypto.js';
import { AppError, notInForce } from '../errors.js';
import { resolveByJurisdiction } from '../policy/model.js';
import type { RelationshipFact } from '../policy/lifecycle.js';
import { relationshipFacts } from '../policy/lifecycle.js';
import type { Communication } from '../policy/schema.js';
import { purposePattern } from '../retention/record-clocks.js';
import type { Store } from '../store/database.js';
import { normaliseEmail } from '../subjects/normalize.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { addDuration } from '../time.js';

export const allowReasons = ['consent', 'opt_out', 'transactional', 'soft_opt_in'] as const;
export const blockReasons = [
  'invalid_address',
  'unknown_opt_in_required',
  'no_consent',
  'unconfirmed',
  'unsubscribed',
  'objected',
  'child',
  'restricted',
  'no_relationship',
  'relationship_expired',
] as const;
export type AllowReason = (typeof allowReasons)[number];
export type BlockReason = (typeof blockReasons)[number];
/**
 * A verdict. `soft_opt_in` and `relationship_expired` also carry `relationshipAt`: the time of the
 * latest relationship fact (the purchase) the answer counts from.
 */
export type Verdict =
  | { readonly allowed: true; readonly reason: AllowReason; readonly relationshipAt?: string }
  | { readonly allowed: false; readonly reason: BlockReason; readonly relationshipAt?: string };

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
const SOFT_OPT_IN = verdictCode.soft_opt_in;
const NO_RELATIONSHIP = verdictCode.no_relationship;
const RELATIONSHIP_EXPIRED = verdictCode.relationship_expired;
/**
 * Codes kept only in the index, never answered: a known address whose subject has no jurisdiction
 * on record, so the request's jurisdiction decides, by its subscription state.
 */
const IF_OPT_IN_CONFIRMED = reasons.length;
const IF_OPT_IN_UNCONFIRMED = reasons.length + 1;
const IF_OPT_IN_NONE = reasons.length + 2;
/**
 * Codes kept only in the index, never answered: opt-out under a soft opt-in, without consent, so
 * the person's latest relationship fact decides (without one: unconfirmed, or no relationship).
 */
const IF_RELATIONSHIP_UNCONFIRMED = reasons.length + 3;
const IF_RELATIONSHIP_NONE = reasons.length + 4;
const KNOWN_CODES = reasons.length + 5;

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
  readonly id: string;
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

/** One relationship fact of one declaration, as the index keeps it: what is counted, and where. */
interface FactSpec {
  readonly declarationId: string;
  readonly fact: RelationshipFact;
  /** For a capture: the collection points it counts from (where refusing was offered). */
  readonly points: readonly string[];
}

const factKey = (declarationId: string, fact: RelationshipFact, points: readonly string[]): string =>
  fact.kind === 'event'
    ? `${declarationId}|event:${fact.event}`
    : `${declarationId}|capture:${fact.purpose}|${[...points].sort().join(',')}`;

/** The facts a communication's soft opt-in counts, by key. */
function factSpecs(declarationId: string, communication: Communication): Map<string, FactSpec> {
  const points = communication.softOptIn?.objectionOfferedAt ?? [];
  return new Map(
    relationshipFacts(communication).map((fact) => [
      factKey(declarationId, fact, points),
      { declarationId, fact, points: fact.kind === 'capture' ? points : [] },
    ]),
  );
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
    {
      communication: Communication;
      declarationId: string;
      codes: Map<string, number>;
      /** Soft opt-in: the time (ms) of each address's latest relationship fact, where it has one. */
      since: Map<string, number>;
    }
  >();
  /** Relationship facts by `factKey`: each subject's latest time (ms), for the facts in use. */
  private readonly facts = new Map<string, { spec: FactSpec; latest: Map<string, number> }>();
  /** Sync and fact loads take turns, so a reload never interleaves with a first load. */
  private turn: Promise<void> = Promise.resolve();
  /** One copy of each jurisdiction string, rather than one per subject row. */
  private readonly jurisdictions = new Map<string, string>();
  private appliedSeq = -1;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly identifierKey: Buffer,
    private readonly clock: Clock = systemClock,
  ) {}

  private inTurn(work: () => Promise<void>): Promise<void> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies every change committed since the last sync. Concurrent callers share one sync. Name
   * the communication about to be checked so that the relationship facts its soft opt-in counts
   * are loaded (once per process).
   */
  async sync(check?: { declarationId: string; communication: Communication }): Promise<void> {
    this.syncing ??= this.inTurn(() => this.doSync()).finally(() => {
      this.syncing = undefined;
    });
    await this.syncing;
    if (check === undefined) return;
    const missing = [...factSpecs(check.declarationId, check.communication)].filter(
      ([key]) => !this.facts.has(key),
    );
    if (missing.length > 0)
      await this.inTurn(async () => {
        for (const [key, spec] of missing) {
          if (this.facts.has(key)) continue;
          const latest = new Map<string, number>();
          await this.loadFact(spec, latest, undefined);
          this.facts.set(key, { spec, latest });
        }
      });
  }

  /** Each subject's latest time of one fact: of every subject, or of the given ones. */
  private async loadFact(
    spec: FactSpec,
    latest: Map<string, number>,
    subjectIds: readonly string[] | undefined,
  ): Promise<void> {
    const db = this.store.db;
    const { fact } = spec;
    const some = subjectIds !== undefined;
    const rows =
      fact.kind === 'event'
        ? await db
            .selectFrom('lifecycle_events')
            .select((eb) => ['subject_id', eb.fn.max('occurred_at').as('at')])
            .where('tenant', '=', CONTROLLER_TENANT)
            .where('declaration_id', '=', spec.declarationId)
            .where('event', '=', fact.event)
            .where('subject_id', 'is not', null)
            .$if(some, (q) => q.where('subject_id', 'in', subjectIds ?? []))
            .groupBy('subject_id')
            .execute()
        : spec.points.length === 0
          ? []
          : await db
              .selectFrom('records')
              .select((eb) => ['subject_id', eb.fn.max('collected_at').as('at')])
              .where('tenant', '=', CONTROLLER_TENANT)
              .where('declaration_id', '=', spec.declarationId)
              .where('collection_point', 'in', spec.points)
              .where(sql<boolean>`purposes like ${purposePattern(fact.purpose)} escape '\\'`)
              .$if(some, (q) => q.where('subject_id', 'in', subjectIds ?? []))
              .groupBy('subject_id')
              .execute();
    for (const row of rows)
      if (row.subject_id !== null && row.at !== null) latest.set(row.subject_id, Date.parse(String(row.at)));
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
    for (const { spec, latest } of this.facts.values()) {
      latest.clear();
      await this.loadFact(spec, latest, undefined);
    }
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
    for (const { latest } of this.facts.values()) for (const id of ids) latest.delete(id);
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await this.load(batch);
      for (const { spec, latest } of this.facts.values()) await this.loadFact(spec, latest, batch);
    }
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
        id: s.id,
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
        subject = {
          id: i.subject_id,
          jurisdiction: null,
          child: false,
          restricted: false,
          objected: true,
          addresses: [],
        };
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
    for (let i = 0; i < codes.length; i += 1) {
      const code = codes[i] as number;
      const verdict = verdictTable[code] as Verdict;
      const at =
        code === SOFT_OPT_IN || code === RELATIONSHIP_EXPIRED
          ? this.relationshipAt(declarationId, communication, addresses[i] as string)
          : undefined;
      out[i] = at === undefined ? verdict : { ...verdict, relationshipAt: new Date(at).toISOString() };
    }
    return out;
  }

  /** The time (ms) of an address's latest relationship fact for a soft opt-in communication. */
  private relationshipAt(
    declarationId: string,
    communication: Communication,
    address: string,
  ): number | undefined {
    const since = this.verdictCache.get(`${declarationId}|${communication.id}`)?.since;
    if (since === undefined) return undefined;
    const direct = since.get(address);
    if (direct !== undefined) return direct;
    const key = addressKey(address);
    return key === undefined ? undefined : since.get(key);
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
    const { codes: known, since } = this.knownCodes(declarationId, communication);
    const requestPermission = resolveByJurisdiction(communication.permission, jurisdiction);
    const soft = communication.softOptIn;
    const optOut = requestPermission === 'opt_out' && soft === undefined;
    const softOptOut = requestPermission === 'opt_out' && soft !== undefined;
    const unknownCode =
      communication.kind === 'transactional'
        ? TRANSACTIONAL
        : optOut
          ? OPT_OUT
          : softOptOut
            ? NO_RELATIONSHIP
            : UNKNOWN_OPT_IN_REQUIRED;
    // Stored code → answer: the same, except where the request's jurisdiction decides.
    const answer = new Uint8Array(KNOWN_CODES);
    for (let code = 0; code < KNOWN_CODES; code += 1) answer[code] = code;
    answer[IF_OPT_IN_CONFIRMED] = optOut ? OPT_OUT : CONSENT;
    answer[IF_OPT_IN_UNCONFIRMED] = optOut ? OPT_OUT : softOptOut ? IF_RELATIONSHIP_UNCONFIRMED : UNCONFIRMED;
    answer[IF_OPT_IN_NONE] = optOut ? OPT_OUT : softOptOut ? IF_RELATIONSHIP_NONE : NO_CONSENT;
    // A relationship fact at or after this time is recent enough.
    const cutoff = soft === undefined ? 0 : addDuration(this.clock.now(), `-${soft.within}`).getTime();
    const hashUnknown = unknownCode === OPT_OUT && this.suppressed.size > 0;
    for (let i = 0; i < n; i += 1) {
      const address = addresses[i] as string;
      // Most addresses arrive as we stored them: a hit needs no normalising (it is idempotent).
      let code = known.get(address);
      let key = address;
      if (code === undefined) {
        const normalised = addressKey(address);
        if (normalised === undefined) {
          codes[i] = INVALID_ADDRESS;
          continue;
        }
        key = normalised;
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
      let answered = answer[code] as number;
      if (answered >= IF_RELATIONSHIP_UNCONFIRMED) {
        const at = since.get(key);
        answered =
          at === undefined
            ? answered === IF_RELATIONSHIP_UNCONFIRMED
              ? UNCONFIRMED
              : NO_RELATIONSHIP
            : at >= cutoff
              ? SOFT_OPT_IN
              : RELATIONSHIP_EXPIRED;
      }
      codes[i] = answered;
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
   * jurisdiction of the request (the person has none on record), an `IF_OPT_IN_…` code stands in;
   * where the relationship decides (a soft opt-in), an `IF_RELATIONSHIP_…` code, and `since` holds
   * the time of the address's latest relationship fact.
   */
  private knownCodes(
    declarationId: string,
    communication: Communication,
  ): { codes: Map<string, number>; since: Map<string, number> } {
    const cacheKey = `${declarationId}|${communication.id}`;
    const cached = this.verdictCache.get(cacheKey);
    if (cached !== undefined && cached.communication === communication) return cached;
    const facts = this.factsOf(declarationId, communication);
    const codes = new Map<string, number>();
    const since = new Map<string, number>();
    const states = this.subscriptions.get(cacheKey);
    for (const [key, subject] of this.addresses) {
      codes.set(key, this.knownCode(key, subject, states, declarationId, communication));
      setSince(since, key, subject, facts);
    }
    const entry = { communication, declarationId, codes, since };
    this.verdictCache.set(cacheKey, entry);
    return entry;
  }

  /** The loaded facts of a communication's soft opt-in; throws when `sync` was not told of it. */
  private factsOf(declarationId: string, communication: Communication): Map<string, number>[] {
    return [...factSpecs(declarationId, communication).keys()].map((key) => {
      const loaded = this.facts.get(key);
      if (loaded === undefined)
        throw new Error(
          `"${communication.id}" has a soft opt-in: call sync({ declarationId, communication }) before checking it`,
        );
      return loaded.latest;
    });
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
    if (resolveByJurisdiction(communication.permission, subject.jurisdiction) === 'opt_out')
      return communication.softOptIn === undefined
        ? OPT_OUT
        : state === SUBSCRIPTION_CONFIRMED
          ? CONSENT
          : state === SUBSCRIPTION_UNCONFIRMED
            ? IF_RELATIONSHIP_UNCONFIRMED
            : IF_RELATIONSHIP_NONE;
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
    for (const [cacheKey, { communication, declarationId, codes, since }] of this.verdictCache) {
      const states = this.subscriptions.get(cacheKey);
      const facts = this.factsOf(declarationId, communication);
      for (const key of list) {
        const subject = this.addresses.get(key);
        since.delete(key);
        if (subject === undefined) codes.delete(key);
        else {
          codes.set(key, this.knownCode(key, subject, states, declarationId, communication));
          setSince(since, key, subject, facts);
        }
      }
    }
  }
}

/** Records the latest of a subject's relationship facts against one of its addresses. */
function setSince(
  since: Map<string, number>,
  key: string,
  subject: SubjectEntry,
  facts: readonly Map<string, number>[],
): void {
  let at: number | undefined;
  for (const latest of facts) {
    const t = latest.get(subject.id);
    if (t !== undefined && (at === undefined || t > at)) at = t;
  }
  if (at !== undefined) since.set(key, at);
}

const indexes = new WeakMap<Store, SuppressionIndex>();

/** The process's index for this store. */
export function suppressionIndex(
  ctx: Pick<AppContext, 'store' | 'keys'> & Partial<Pick<AppContext, 'clock'>>,
): SuppressionIndex {
  let index = indexes.get(ctx.store);
  if (index === undefined)
    indexes.set(ctx.store, (index = new SuppressionIndex(ctx.store, ctx.keys.identifiers, ctx.clock)));
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
  ctx: Pick<AppContext, 'store' | 'keys' | 'policies'> & Partial<Pick<AppContext, 'clock'>>,
  input: {
    declarationId: string;
    communication: string;
    addresses: readonly string[];
    jurisdiction?: string;
  },
): Promise<Verdict[]> {
  const communication = communicationOf(ctx, input.declarationId, input.communication);
  const index = suppressionIndex(ctx);
  await index.sync({ declarationId: input.declarationId, communication });
  return index.checkMany(input.declarationId, communication, input.addresses, input.jurisdiction);
}
