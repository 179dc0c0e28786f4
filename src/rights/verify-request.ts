/**
 * Verifying a requester (C9.6), built against the attacks studies of real companies found: a
 * one-time code (6 digits from a CSPRNG, 15 minutes, 5 attempts) goes only to contact details
 * already on file, never to ones the request supplies; when nobody matches, a decoy challenge is
 * stored that no code can pass, so answers, and the work done before answering, are the same
 * whether or not a person exists. Codes are sent by a job, so response times do not depend on
 * a mail server either. Only the code's keyed hash is kept.
 *
 * A person Steward holds no record of may still be on file in a connected system (a customer of
 * the shop who never wrote to us). Their request's email address is kept sealed on the
 * challenge, and the job sends the code there only if a connected system of the request's
 * declaration holds that address; otherwise it clears it and the challenge is a decoy like any
 * other. Passing the code proves control of that one address, which is then all the request's
 * search starts from (see execution/seeds.ts).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { hmac, safeEqual } from '../crypto.js';
import { defineJob, enqueue } from '../jobs/queue.js';
import { seal, unseal } from '../capture/sealed.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { isChannel, lookupOf, markVerified } from '../subjects/subjects.js';
import { addDuration } from '../time.js';
import { languageOf, sendCodeEmail } from './emails.js';
import type { RequestRow } from './model.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { addRequestEvent, loadRequest } from './model.js';

export const CODE_LIFETIME = 'PT15M';
export const CODE_ATTEMPTS = 5;

const codeHash = (ctx: Pick<AppContext, 'keys'>, challengeId: string, code: string) =>
  hmac(ctx.keys.tokens, `rights-code:${challengeId}:${code}`);

/** Where the requester enters codes and follows the request. */
export function statusUrl(ctx: Pick<AppContext, 'config'>, requestId: string): string {
  return `${ctx.config.publicUrl}/privacy-centre/requests/${requestId}`;
}

export const sendCodeJob = defineJob({
  type: 'rights.send-code',
  version: 1,
  payload: z.strictObject({
    challengeId: z.string(),
    sealedCode: z.string(),
    sealedToken: z.string().optional(),
  }),
  async handler(ctx, { challengeId, sealedCode, sealedToken }) {
    const challenge = await ctx.store.db
      .selectFrom('verification_challenges')
      .selectAll()
      .where('id', '=', challengeId)
      .executeTakeFirst();
    if (challenge === undefined || (challenge.identifier_id === null && challenge.address === null))
      return { sent: false };
    const request = await loadRequest(ctx.store.db, challenge.request_id);
    const active = ctx.policies.get(request.declaration_id);
    if (active === undefined) return { sent: false };
    let to: string | null | undefined;
    if (challenge.identifier_id !== null) {
      const identifier = await ctx.store.db
        .selectFrom('identifiers')
        .select(['value', 'kind'])
        .where('id', '=', challenge.identifier_id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .executeTakeFirst();
      to = identifier?.kind === 'email' ? identifier.value : undefined;
    } else if (challenge.address !== null) {
      to = unseal(ctx.keys.records, challenge.address) as string;
      // A later step's address is the one step 1 proved; a first code needs the address on file.
      if (challenge.step === 1 && !(await onFileInSystems(ctx, active.model.declaration.systems, to))) {
        await transaction(ctx.store, async (tx) => {
          await tx
            .updateTable('verification_challenges')
            .set({ address: null })
            .where('id', '=', challengeId)
            .execute();
          await addRequestEvent(tx, ctx, {
            requestId: request.id,
            actor: 'system',
            kind: 'code_withheld',
            details: { step: 1, why: 'not_on_file' },
          });
        });
        return { sent: false };
      }
    }
    if (to == null) return { sent: false };
    const claims = unseal(ctx.keys.records, request.claims) as { language?: string };
    await sendCodeEmail(ctx, {
      to,
      declaration: active.model.declaration,
      lang: languageOf(active.model.declaration, claims.language),
      reference: request.reference,
      type: request.type,
      code: unseal(ctx.keys.records, sealedCode) as string,
      minutes: 15,
      // The token rides in the fragment, which browsers never send: whoever holds the address
      // on file can follow the request (a DRP requester never saw the submission page).
      statusUrl:
        sealedToken === undefined
          ? statusUrl(ctx, request.id)
          : `${statusUrl(ctx, request.id)}#token=${unseal(ctx.keys.records, sealedToken) as string}`,
      purpose: challenge.step === 3 ? 'download' : 'verify',
    });
    return { sent: true };
  },
});

/**
 * True when a connected system of the declaration holds `email` as an identifying value. A system
 * that cannot be reached makes the job fail and try again, rather than pass for "not on file";
 * one without settings or a reviewed dataset cannot hold anyone and is passed over.
 */
async function onFileInSystems(
  ctx: AppContext,
  systems: readonly { readonly id: string }[],
  email: string,
): Promise<boolean> {
  if (systems.length === 0) return false;
  await ctx.systems.refresh();
  const seeds = { identities: [{ kind: 'email' as const, value: email }] };
  let failure: unknown;
  for (const { id } of systems) {
    const connector = await ctx.systems.connector(id).catch(() => undefined);
    if (connector === undefined) continue;
    try {
      for (const n of (await connector.count(seeds)).values()) if (n > 0) return true;
    } catch (error) {
      failure = error;
    }
  }
  if (failure !== undefined) throw failure;
  return false;
}

/** The email addresses on file for a subject, oldest first, with whether codes may go to each. */
async function emailsOnFile(
  tx: Tx,
  subjectId: string,
): Promise<{ id: string; lookup: string; channel: boolean }[]> {
  const rows = await tx
    .selectFrom('identifiers')
    .select(['id', 'lookup'])
    .select((eb) => isChannel(eb).as('channel'))
    .where('subject_id', '=', subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('kind', '=', 'email')
    .where('value', 'is not', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, lookup: r.lookup, channel: Boolean(r.channel) }));
}

/**
 * Which address a code goes to. Never to one that is only a claim (see isChannel). When the
 * requester named addresses we hold, only one of those will do: if each is a claim, nobody gets
 * the code, rather than the person whose address it was claimed beside. Otherwise the preferred
 * address, or the oldest channel on file.
 */
function pickAddress(
  emails: readonly { id: string; lookup: string; channel: boolean }[],
  target: { prefer?: string; named?: readonly string[] },
): string | null {
  const named = emails.filter((e) => target.named?.includes(e.lookup));
  if (named.length > 0) return named.find((e) => e.channel)?.id ?? null;
  const channels = emails.filter((e) => e.channel);
  return (channels.find((e) => e.lookup === target.prefer) ?? channels[0])?.id ?? null;
}

/**
 * Issues a challenge for `step` (1: first code, 2: second channel, 3: code before a download).
 * `prefer` is the identifier lookup to use if it is on file; `named` the lookups the requester
 * gave; `exclude` one not to use (the second channel must differ from the first); `withhold`
 * stores a decoy whatever is on file, with the reason on the request's hidden timeline. Returns
 * false when no code went out for this step (the caller then falls back to operator review); a
 * decoy is still stored for step 1 so nothing differs outwardly. `address` (a normalised email)
 * is where the code goes when the person has no subject: for step 1 the address the request
 * gave, sent to only if a connected system holds it (see the module comment); for step 3 the
 * address step 1 proved.
 */
export async function issueChallenge(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'keys'>,
  request: Pick<RequestRow, 'id'>,
  step: 1 | 2 | 3,
  target: {
    subjectId: string | null;
    prefer?: string;
    named?: readonly string[];
    exclude?: string | null;
    accessToken?: string;
    withhold?: string;
    address?: string;
  },
): Promise<boolean> {
  let identifierId: string | null = null;
  let address: string | null = null;
  let withheld = target.withhold;
  if (target.subjectId !== null && withheld === undefined) {
    const emails = (await emailsOnFile(tx, target.subjectId)).filter((e) => e.id !== target.exclude);
    identifierId = pickAddress(emails, target);
    if (identifierId === null && emails.length > 0) withheld = 'no_verified_address';
  } else if (
    target.subjectId === null &&
    withheld === undefined &&
    target.address !== undefined &&
    step !== 2
  )
    address = seal(ctx.keys.records, target.address);
  if (withheld !== undefined)
    await addRequestEvent(tx, ctx, {
      requestId: request.id,
      actor: 'system',
      kind: 'code_withheld',
      details: { step, why: withheld },
    });
  if (identifierId === null && address === null && step !== 1) return false;
  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = ctx.clock.now();
  // Older open challenges of the same step stop working: only the newest code counts.
  await tx
    .updateTable('verification_challenges')
    .set({ expires_at: now.toISOString(), attempts: CODE_ATTEMPTS })
    .where('request_id', '=', request.id)
    .where('step', '=', step)
    .where('passed_at', 'is', null)
    .execute();
  await tx
    .insertInto('verification_challenges')
    .values({
      id,
      request_id: request.id,
      step,
      identifier_id: identifierId,
      address,
      code_hash: codeHash(ctx, id, code),
      attempts: 0,
      max_attempts: CODE_ATTEMPTS,
      expires_at: addDuration(now, CODE_LIFETIME).toISOString(),
      passed_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  await enqueue(tx, ctx.clock, sendCodeJob, {
    challengeId: id,
    sealedCode: seal(ctx.keys.records, code),
    ...(target.accessToken !== undefined ? { sealedToken: seal(ctx.keys.records, target.accessToken) } : {}),
  });
  return identifierId !== null || address !== null;
}

export type CodeCheck =
  /** `identifierId` is null when the code went to a request's address (no subject holds it). */
  | { readonly ok: true; readonly identifierId: string | null }
  | { readonly ok: false; readonly reason: 'wrong_code' | 'expired' | 'too_many_attempts' | 'no_challenge' };

/**
 * Checks a code against the newest challenge of `step`. A decoy challenge answers exactly as a
 * wrong code does. Attempts are counted in their own transaction so a failure is never rolled
 * back with the caller's work.
 */
export async function checkCode(
  ctx: Pick<AppContext, 'store' | 'clock' | 'keys'>,
  requestId: string,
  step: 1 | 2 | 3,
  code: string,
): Promise<CodeCheck> {
  return transaction(ctx.store, (tx) => checkCodeIn(tx, ctx, requestId, step, code));
}

/**
 * `checkCode` inside the caller's transaction (which must commit a failure: attempts count).
 * With `keep`, a right code is not spent: it stays usable until it expires, for a download that
 * has to be tried again. `onWrong` runs in the transaction for each code compared and found
 * wrong (a caller's own limit), not for one refused unread (expired, locked, no challenge).
 */
export async function checkCodeIn(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'keys'>,
  requestId: string,
  step: 1 | 2 | 3,
  code: string,
  options: { keep?: boolean; onWrong?: () => Promise<void> } = {},
): Promise<CodeCheck> {
  const challenge = await tx
    .selectFrom('verification_challenges')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('step', '=', step)
    .where('passed_at', 'is', null)
    .orderBy('expires_at', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (challenge === undefined) return { ok: false, reason: 'no_challenge' };
  const now = ctx.clock.now().toISOString();
  if (challenge.attempts >= challenge.max_attempts) return { ok: false, reason: 'too_many_attempts' };
  if (challenge.expires_at <= now) return { ok: false, reason: 'expired' };
  const attempts = challenge.attempts + 1;
  const matches = safeEqual(codeHash(ctx, challenge.id, code), challenge.code_hash);
  if (!matches || (challenge.identifier_id === null && challenge.address === null)) {
    await tx
      .updateTable('verification_challenges')
      .set({ attempts })
      .where('id', '=', challenge.id)
      .execute();
    await addRequestEvent(tx, ctx, {
      requestId,
      actor: 'requester',
      kind: 'code_rejected',
      details: { step, attempts },
    });
    await options.onWrong?.();
    return { ok: false, reason: attempts >= challenge.max_attempts ? 'too_many_attempts' : 'wrong_code' };
  }
  if (!options.keep)
    await tx
      .updateTable('verification_challenges')
      .set({ attempts, passed_at: now })
      .where('id', '=', challenge.id)
      .execute();
  // Requests are answered from the controller's own data only.
  if (challenge.identifier_id !== null)
    await markVerified(tx, ctx, { id: challenge.identifier_id, tenant: CONTROLLER_TENANT }, 'code');
  return { ok: true, identifierId: challenge.identifier_id };
}

/** An address where answers go: an identifier on file (`id`), or a request's proven address (no `id`). */
export interface ContactAddress {
  readonly id: string | null;
  readonly value: string;
  readonly lookup: string;
}

/** The address the requester proved control of at step 1: where results and notices go. */
export async function verifiedContact(
  db: Tx,
  ctx: Pick<AppContext, 'keys'>,
  requestId: string,
): Promise<ContactAddress | undefined> {
  const row = await db
    .selectFrom('verification_challenges as c')
    .leftJoin('identifiers as i', (j) =>
      j.onRef('i.id', '=', 'c.identifier_id').on('i.tenant', '=', CONTROLLER_TENANT),
    )
    .select(['c.identifier_id', 'c.address', 'i.id', 'i.value', 'i.lookup'])
    .where('c.request_id', '=', requestId)
    .where('c.step', '=', 1)
    .where('c.passed_at', 'is not', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.identifier_id !== null)
    return row.id == null || row.value == null || row.lookup == null
      ? undefined
      : { id: row.id, value: row.value, lookup: row.lookup };
  if (row.address === null) return undefined;
  const value = unseal(ctx.keys.records, row.address) as string;
  return { id: null, value, lookup: lookupOf(ctx.keys, 'email', value) };
}

/**
 * Where answers go: the address the requester proved control of, or, for a request an operator
 * verified by other means, the address on file that the request was made with.
 */
export async function answerAddress(
  db: Tx,
  ctx: Pick<AppContext, 'keys'>,
  row: Pick<RequestRow, 'id' | 'subject_id' | 'contact_lookup' | 'verified_at'>,
): Promise<ContactAddress | undefined> {
  const proved = await verifiedContact(db, ctx, row.id);
  if (proved !== undefined || row.subject_id === null || row.verified_at === null) return proved;
  const onFile = await db
    .selectFrom('identifiers')
    .select(['id', 'value', 'lookup'])
    .where('subject_id', '=', row.subject_id)
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('kind', '=', 'email')
    .where('lookup', '=', row.contact_lookup)
    .where(isChannel)
    .executeTakeFirst();
  return onFile?.value == null ? undefined : { id: onFile.id, value: onFile.value, lookup: onFile.lookup };
}
