/**
 * People and their identifiers. A subject lives in one tenant: '' for the controller's own data,
 * or a Provider's partition for data held as processor (C1.4), which controller look-ups never
 * see. Identifiers are found by keyed hash; cookie and device ids are kept only as that hash.
 */
import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext, Keys } from '../context.js';
import { hmac } from '../crypto.js';
import { AppError } from '../errors.js';
import type { Database } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';
import { markSuppressionChange, suppressAddress } from '../consent/changes.js';
import type { IdentifierKind } from './normalize.js';
import { hashedOnlyKinds, normaliseIdentifier } from './normalize.js';

export const CONTROLLER_TENANT = '';

export interface IdentifierInput {
  readonly kind: IdentifierKind;
  readonly value: string;
}

export interface NormalisedIdentifier {
  readonly kind: IdentifierKind;
  readonly value: string;
  readonly lookup: string;
}

export function lookupOf(keys: Keys, kind: IdentifierKind, normalised: string): string {
  return hmac(keys.identifiers, `${kind}:${normalised}`);
}

/** Normalises every identifier, or throws one validation error naming each bad one. */
export function normaliseAll(
  keys: Keys,
  identifiers: readonly IdentifierInput[],
  path = 'subject.identifiers',
): NormalisedIdentifier[] {
  const problems: { path: string; message: string }[] = [];
  const result: NormalisedIdentifier[] = [];
  identifiers.forEach((identifier, i) => {
    const n = normaliseIdentifier(identifier.kind, identifier.value);
    if (n.ok)
      result.push({
        kind: identifier.kind,
        value: n.value,
        lookup: lookupOf(keys, identifier.kind, n.value),
      });
    else problems.push({ path: `${path}[${i}].value`, message: `${identifier.kind} ${n.reason}` });
  });
  if (problems.length > 0)
    throw new AppError(
      'validation_failed',
      `Invalid identifier: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  return result;
}

export async function findSubjectId(
  db: Tx,
  tenant: string,
  identifier: NormalisedIdentifier,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('identifiers')
    .select('subject_id')
    .where('tenant', '=', tenant)
    .where('kind', '=', identifier.kind)
    .where('lookup', '=', identifier.lookup)
    .executeTakeFirst();
  return row?.subject_id;
}

export interface ResolvedSubject {
  readonly subjectId: string;
  readonly created: boolean;
  /** Identifier ids by `kind:value`. */
  readonly identifierIds: ReadonlyMap<string, string>;
}

/**
 * How an identifier was verified. `double_opt_in` and `code` prove that someone controls it;
 * `operator` and `import` (a register the operator vouches for) also prove that it belongs to
 * this person, which is what a claim needs.
 */
export type Verification = 'double_opt_in' | 'code' | 'operator' | 'import';

/** Verifications that settle a claim: they say whose the identifier is, not only who can read it. */
export const settlesClaim: readonly Verification[] = ['operator', 'import'];

/**
 * Whether messages that act for the person (codes, results) may go to an identifier: one that
 * founded its subject, or a claim an operator or a verified import settled. An identifier that
 * arrived beside another person's identifier is only a claim: whoever typed it may well control
 * it (and confirm a subscription from it) without being that person.
 */
export const isChannel = (eb: ExpressionBuilder<Database, 'identifiers'>) =>
  eb.or([
    eb('identifiers.claimed', '=', 0),
    // coalesce: never NULL, so that `not(isChannel)` selects the claims too.
    eb(eb.fn.coalesce('identifiers.verified_by', eb.val('')), 'in', [...settlesClaim]),
  ]);

/**
 * Records a verification of an identifier. The first proof of control stands; a verification
 * that settles a claim replaces one that only proved control.
 */
export async function markVerified(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  identifier: { id: string; tenant: string },
  by: Verification,
): Promise<void> {
  await tx
    .updateTable('identifiers')
    .set({ verified_at: ctx.clock.now().toISOString(), verified_by: by })
    .where('id', '=', identifier.id)
    .where('tenant', '=', identifier.tenant)
    .where((eb) =>
      settlesClaim.includes(by)
        ? eb.or([eb('verified_by', 'is', null), eb('verified_by', 'not in', [...settlesClaim])])
        : eb('verified_at', 'is', null),
    )
    .execute();
}

/**
 * Finds the subject one of the identifiers belongs to, or creates one, and links the identifiers
 * that are new. The identifiers of a new subject found it; one that joins an existing subject is
 * a claim (see {@link isChannel}) unless the caller vouches for it (`verifiedBy`). An identifier
 * that already belongs to someone else stays theirs: two people are merged only by an explicit,
 * audited merge, and a capture naming identifiers of two people is written to the audit ledger.
 */
export async function resolveSubject(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'store'>,
  input: {
    tenant: string;
    identifiers: readonly NormalisedIdentifier[];
    /** Where the identifiers come from: `capture:<source>`, `subscription`, `import`, `operator`, ... */
    source: string;
    jurisdiction?: string;
    into?: string;
    verifiedBy?: Verification;
  },
): Promise<ResolvedSubject> {
  const now = ctx.clock.now().toISOString();
  const owners = await Promise.all(input.identifiers.map((i) => findSubjectId(tx, input.tenant, i)));
  let subjectId = input.into ?? owners.find((o) => o !== undefined);
  const created = subjectId === undefined;
  const others = [...new Set(owners.filter((o) => o !== undefined && o !== subjectId))];
  if (others.length > 0)
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: 'system',
      action: 'subject.identity_conflict',
      target: `subject:${subjectId}`,
      details: { others, source: input.source, joined: false },
    });
  if (subjectId === undefined) {
    subjectId = randomUUID();
    await tx
      .insertInto('subjects')
      .values({
        id: subjectId,
        tenant: input.tenant,
        jurisdiction: input.jurisdiction ?? null,
        child: 0,
        restricted: 0,
        objected_at: null,
        merged_into: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } else if (input.jurisdiction !== undefined) {
    await tx
      .updateTable('subjects')
      .set({ jurisdiction: input.jurisdiction, updated_at: now })
      .where('id', '=', subjectId)
      .where('tenant', '=', input.tenant)
      .where('jurisdiction', 'is', null)
      .execute();
  }
  const ids = new Map<string, string>();
  let newEmails = 0;
  for (const [i, identifier] of input.identifiers.entries()) {
    const owner = owners[i];
    if (owner !== undefined && owner !== subjectId) continue;
    let id: string | undefined;
    if (owner === undefined) {
      id = randomUUID();
      await tx
        .insertInto('identifiers')
        .values({
          id,
          subject_id: subjectId,
          tenant: input.tenant,
          kind: identifier.kind,
          value: hashedOnlyKinds.has(identifier.kind) ? null : identifier.value,
          lookup: identifier.lookup,
          created_at: now,
          source: input.source,
          claimed: created || input.into !== undefined ? 0 : 1,
          verified_at: input.verifiedBy === undefined ? null : now,
          verified_by: input.verifiedBy ?? null,
        })
        .execute();
      if (identifier.kind === 'email') {
        newEmails += 1;
        await extendObjection(tx, ctx, subjectId, input.tenant, identifier.lookup);
      }
    } else {
      id = (
        await tx
          .selectFrom('identifiers')
          .select('id')
          .where('tenant', '=', input.tenant)
          .where('kind', '=', identifier.kind)
          .where('lookup', '=', identifier.lookup)
          .executeTakeFirstOrThrow()
      ).id;
      if (input.verifiedBy !== undefined)
        await markVerified(tx, ctx, { id, tenant: input.tenant }, input.verifiedBy);
    }
    ids.set(`${identifier.kind}:${identifier.value}`, id);
  }
  if (newEmails > 0 && input.tenant === CONTROLLER_TENANT) await markSuppressionChange(tx, ctx, subjectId);
  return { subjectId, created, identifierIds: ids };
}

/** An objection to direct marketing covers every address of the person, including later ones (C4a.7). */
async function extendObjection(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  subjectId: string,
  tenant: string,
  lookup: string,
): Promise<void> {
  const subject = await tx
    .selectFrom('subjects')
    .select('objected_at')
    .where('id', '=', subjectId)
    .where('tenant', '=', tenant)
    .executeTakeFirst();
  if (subject?.objected_at == null) return;
  await suppressAddress(tx, ctx.clock, {
    lookup,
    declarationId: '*',
    scope: '*',
    reason: 'objected',
    subjectId: subjectId,
  });
}

export interface SubjectView {
  readonly id: string;
  readonly tenant: string;
  readonly jurisdiction: string | null;
  readonly child: boolean;
  readonly restricted: boolean;
  readonly objectedAt: string | null;
  readonly createdAt: string;
  readonly identifiers: readonly IdentifierView[];
}

export interface IdentifierView {
  readonly id: string;
  readonly kind: string;
  readonly value: string | null;
  readonly createdAt: string;
  /** Where it came from (see resolveSubject). */
  readonly source: string | null;
  /** `founding`: it created the subject; `claimed`: it arrived beside another identifier of the person. */
  readonly origin: 'founding' | 'claimed';
  readonly verifiedAt: string | null;
  readonly verifiedBy: string | null;
  /** Whether codes and results may go to it (see isChannel). */
  readonly channel: boolean;
}

/** The subject and its identifiers, if it lives in `tenant`. */
export async function loadSubject(
  db: Tx,
  subjectId: string,
  tenant: string,
): Promise<SubjectView | undefined> {
  const subject = await db
    .selectFrom('subjects')
    .selectAll()
    .where('id', '=', subjectId)
    .where('tenant', '=', tenant)
    .executeTakeFirst();
  if (subject === undefined) return undefined;
  const identifiers = await db
    .selectFrom('identifiers')
    .select(['id', 'kind', 'value', 'created_at', 'source', 'claimed', 'verified_at', 'verified_by'])
    .where('subject_id', '=', subjectId)
    .where('tenant', '=', tenant)
    .orderBy('created_at')
    .execute();
  return {
    id: subject.id,
    tenant: subject.tenant,
    jurisdiction: subject.jurisdiction,
    child: subject.child === 1,
    restricted: subject.restricted === 1,
    objectedAt: subject.objected_at,
    createdAt: subject.created_at,
    identifiers: identifiers.map((i) => ({
      id: i.id,
      kind: i.kind,
      value: i.value,
      createdAt: i.created_at,
      source: i.source,
      origin: i.claimed === 1 ? 'claimed' : 'founding',
      verifiedAt: i.verified_at,
      verifiedBy: i.verified_by,
      channel: i.claimed === 0 || settlesClaim.includes(i.verified_by as Verification),
    })),
  };
}
