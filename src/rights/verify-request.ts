/**
 * Verifying a requester (C9.6), built against the attacks studies of real companies found: a
 * one-time code (6 digits from a CSPRNG, 15 minutes, 5 attempts) goes only to contact details
 * already on file, never to ones the request supplies; when nobody matches, a decoy challenge is
 * stored that no code can pass, so answers, and the work done before answering, are the same
 * whether or not a person exists. Codes are sent by a job, so response times do not depend on
 * a mail server either. Only the code's keyed hash is kept.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { hmac, safeEqual } from '../crypto.js';
import { defineJob, enqueue } from '../jobs/queue.js';
import { seal, unseal } from '../capture/sealed.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { isChannel, markVerified } from '../subjects/subjects.js';
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
    if (challenge?.identifier_id == null) return { sent: false };
    const identifier = await ctx.store.db
      .selectFrom('identifiers')
      .select(['value', 'kind'])
      .where('id', '=', challenge.identifier_id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    const request = await loadRequest(ctx.store.db, challenge.request_id);
    const active = ctx.policies.get(request.declaration_id);
    if (identifier?.value == null || identifier.kind !== 'email' || active === undefined)
      return { sent: false };
    const claims = unseal(ctx.keys.records, request.claims) as { language?: string };
    await sendCodeEmail(ctx, {
      to: identifier.value,
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
 * decoy is still stored for step 1 so nothing differs outwardly.
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
  },
): Promise<boolean> {
  let identifierId: string | null = null;
  let withheld = target.withhold;
  if (target.subjectId !== null && withheld === undefined) {
    const emails = (await emailsOnFile(tx, target.subjectId)).filter((e) => e.id !== target.exclude);
    identifierId = pickAddress(emails, target);
    if (identifierId === null && emails.length > 0) withheld = 'no_verified_address';
  }
  if (withheld !== undefined)
    await addRequestEvent(tx, ctx, {
      requestId: request.id,
      actor: 'system',
      kind: 'code_withheld',
      details: { step, why: withheld },
    });
  if (identifierId === null && step !== 1) return false;
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
  return identifierId !== null;
}

export type CodeCheck =
  | { readonly ok: true; readonly identifierId: string }
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
  if (!matches || challenge.identifier_id === null) {
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
  await markVerified(tx, ctx, { id: challenge.identifier_id, tenant: CONTROLLER_TENANT }, 'code');
  return { ok: true, identifierId: challenge.identifier_id };
}

/** The identifier the requester proved control of at step 1: where results and notices go. */
export async function verifiedContact(
  db: Tx,
  requestId: string,
): Promise<{ id: string; value: string; lookup: string } | undefined> {
  const row = await db
    .selectFrom('verification_challenges as c')
    .innerJoin('identifiers as i', 'i.id', 'c.identifier_id')
    .select(['i.id', 'i.value', 'i.lookup'])
    .where('c.request_id', '=', requestId)
    .where('c.step', '=', 1)
    .where('c.passed_at', 'is not', null)
    .where('i.tenant', '=', CONTROLLER_TENANT)
    .executeTakeFirst();
  return row?.value == null ? undefined : { id: row.id, value: row.value, lookup: row.lookup };
}

/**
 * Where answers go: the address the requester proved control of, or, for a request an operator
 * verified by other means, the address on file that the request was made with.
 */
export async function answerAddress(
  db: Tx,
  row: Pick<RequestRow, 'id' | 'subject_id' | 'contact_lookup' | 'verified_at'>,
): Promise<{ id: string; value: string; lookup: string } | undefined> {
  const proved = await verifiedContact(db, row.id);
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
