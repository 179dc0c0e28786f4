/**
 * Collecting a result (C9.6): the emailed link is single-use and expires, and opening it sends a
 * fresh code to the verified address, so a link that leaks (a forwarded mail, a proxy log) is
 * not enough on its own. A leaked link is also not a code and guess machine: it sends a few codes
 * and takes a few wrong ones in its whole life, whoever asks from wherever, and is then closed.
 *
 * The package is built as it streams out, from the data as it is then, so two builds are not the
 * same bytes and a broken download cannot be resumed with HTTP Range without keeping a copy of
 * the person's data. Instead the link is used up only once the whole package was flushed to the
 * connection (or the receiving organisation accepted it): a download that broke off is recorded
 * as such, and the same code, or a new one, fetches the package again. One delivery at a time
 * holds the link, by a lease that a crashed process cannot keep past RESULT_DELIVERY_LEASE.
 */
import type { Writable } from 'node:stream';
import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import { sha256Hex } from '../crypto.js';
import { AppError } from '../errors.js';
import { appendAudit } from '../audit/ledger.js';
import type { ResultLinkTable } from '../store/schema.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { addDuration } from '../time.js';
import { writeAccessPackage } from './access-package.js';
import { requesterLanguage } from './emails.js';
import { addRequestEvent, loadRequest } from './model.js';
import type { TransmitResult } from './portability.js';
import { checkedEndpoint, transmitPortability, writePortabilityPackage } from './portability.js';
import type { CodeCheck } from './verify-request.js';
import { answerAddress, checkCodeIn, issueChallenge } from './verify-request.js';

/** Codes one result link sends in its whole life; asking for one more closes the link. */
export const RESULT_LINK_CODES = 3;

/** Wrong codes one result link takes in all, across its codes; the last of them closes the link. */
export const RESULT_LINK_GUESSES = 10;

/**
 * How long a download or transmission holds its link; renewed while bytes flow. A process that
 * dies mid-download holds it no longer than this, and then the link works again.
 */
export const RESULT_DELIVERY_LEASE = 'PT2M';

/** How often a download's lease is renewed; one without progress in this time is cut off. */
const RENEW_MS = 30_000;

type Link = Selectable<ResultLinkTable>;

/** Why a link is refused, the same for a used, expired, closed or unknown one, with what to do. */
const gone = (ctx: Pick<AppContext, 'config'>) =>
  new AppError(
    'invalid_token',
    `This link is not valid: it was used already, or it expired, or it was closed because too many codes were asked for or tried with it. To get your data, make a new request at ${ctx.config.publicUrl}/privacy-centre, or contact the organisation that wrote to you.`,
  );

const alive = (link: Link, now: string) =>
  link.used_at === null && link.closed_at === null && link.expires_at > now;

async function findLink(db: Tx, tokenHash: string): Promise<Link | undefined> {
  return db.selectFrom('result_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

async function openLink(ctx: AppContext, token: string): Promise<Link> {
  const link = await findLink(ctx.store.db, sha256Hex(token));
  if (link === undefined || !alive(link, ctx.clock.now().toISOString())) throw gone(ctx);
  return link;
}

/** Records a step of collecting the result in the audit ledger and on the timeline the requester sees. */
async function record(
  tx: Tx,
  ctx: AppContext,
  requestId: string,
  kind: string,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(tx, ctx.store.dialect, ctx.clock, {
    actor: 'requester',
    action: `request.${kind}`,
    target: `request:${requestId}`,
    details,
  });
  await addRequestEvent(tx, ctx, { requestId, actor: 'requester', kind, details, visible: true });
}

/** Closes a link that reached a cap (once, however many reach it together) and says so. */
async function closeLink(tx: Tx, ctx: AppContext, tokenHash: string, reason: 'code_limit' | 'guess_limit') {
  const link = await findLink(tx, tokenHash);
  if (link === undefined || !alive(link, ctx.clock.now().toISOString())) return;
  await tx
    .updateTable('result_links')
    .set({ closed_at: ctx.clock.now().toISOString(), closed_reason: reason })
    .where('token_hash', '=', tokenHash)
    .where('closed_at', 'is', null)
    .execute();
  await record(tx, ctx, link.request_id, 'result_link_closed', {
    reason,
    codes: link.codes_sent,
    wrongCodes: link.wrong_codes,
  });
}

/**
 * Sends a code to the verified address before a download; answers what the link leads to.
 * @throws AppError `invalid_token` for a dead link, and for the code past RESULT_LINK_CODES,
 * which closes it.
 */
export async function requestResultCode(
  ctx: AppContext,
  token: string,
): Promise<{ kind: 'access' | 'portability' }> {
  const link = await openLink(ctx, token);
  const sent = await transaction(ctx.store, async (tx) => {
    const counted = await tx
      .updateTable('result_links')
      .set((eb) => ({ codes_sent: eb('codes_sent', '+', 1) }))
      .where('token_hash', '=', link.token_hash)
      .where('used_at', 'is', null)
      .where('closed_at', 'is', null)
      .where('expires_at', '>', ctx.clock.now().toISOString())
      .where('codes_sent', '<', RESULT_LINK_CODES)
      .executeTakeFirst();
    if (Number(counted.numUpdatedRows) !== 1) {
      await closeLink(tx, ctx, link.token_hash, 'code_limit');
      return false;
    }
    const request = await loadRequest(tx, link.request_id);
    const contact = await answerAddress(tx, ctx, request);
    if (contact === undefined) throw gone(ctx);
    await issueChallenge(tx, ctx, request, 3, {
      subjectId: request.subject_id,
      prefer: contact.lookup,
      // A person only connected systems hold: the address step 1 proved.
      ...(contact.id === null ? { address: contact.value } : {}),
    });
    return true;
  });
  if (!sent) throw gone(ctx);
  return { kind: link.kind };
}

/**
 * Checks a code for a link: a right one stays usable until it expires (a broken download is
 * tried again with it); a wrong one counts against the link's RESULT_LINK_GUESSES, checked under
 * the row's lock first so that guesses sent at once cannot pass the cap.
 * @throws AppError `invalid_token` when the link is dead.
 */
async function checkLinkCode(ctx: AppContext, link: Link, code: string): Promise<CodeCheck> {
  const result = await transaction(ctx.store, async (tx) => {
    const open = await tx
      .updateTable('result_links')
      .set((eb) => ({ wrong_codes: eb.ref('wrong_codes') }))
      .where('token_hash', '=', link.token_hash)
      .where('used_at', 'is', null)
      .where('closed_at', 'is', null)
      .where('expires_at', '>', ctx.clock.now().toISOString())
      .where('wrong_codes', '<', RESULT_LINK_GUESSES)
      .executeTakeFirst();
    if (Number(open.numUpdatedRows) !== 1) return undefined;
    return checkCodeIn(tx, ctx, link.request_id, 3, code, {
      keep: true,
      async onWrong() {
        const counted = await tx
          .updateTable('result_links')
          .set((eb) => ({ wrong_codes: eb('wrong_codes', '+', 1) }))
          .where('token_hash', '=', link.token_hash)
          .returning('wrong_codes')
          .executeTakeFirstOrThrow();
        if (counted.wrong_codes >= RESULT_LINK_GUESSES)
          await closeLink(tx, ctx, link.token_hash, 'guess_limit');
      },
    });
  });
  if (result === undefined) throw gone(ctx);
  return result;
}

/**
 * Takes the link for one delivery, until the lease ends; records that it started.
 * @throws AppError `invalid_token` for a dead link; `conflict` while another delivery holds it.
 */
async function holdLink(ctx: AppContext, link: Link, kind: string, details: Record<string, unknown>) {
  await transaction(ctx.store, async (tx) => {
    const now = ctx.clock.now();
    const held = await tx
      .updateTable('result_links')
      .set({ delivering_until: addDuration(now, RESULT_DELIVERY_LEASE).toISOString() })
      .where('token_hash', '=', link.token_hash)
      .where('used_at', 'is', null)
      .where('closed_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .where((eb) =>
        eb.or([eb('delivering_until', 'is', null), eb('delivering_until', '<=', now.toISOString())]),
      )
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) {
      const current = await findLink(tx, link.token_hash);
      if (current === undefined || !alive(current, now.toISOString())) throw gone(ctx);
      throw new AppError(
        'conflict',
        'This answer is being collected already: wait for that download to finish, or try again in a few minutes.',
      );
    }
    await record(tx, ctx, link.request_id, kind, details);
  });
}

/**
 * Ends a delivery: `used` spends the link (the answer arrived whole, or was accepted), otherwise
 * the link is let go for another try. Either way the step is recorded as it happened.
 */
async function releaseLink(
  ctx: AppContext,
  link: Link,
  used: boolean,
  kind: string,
  details: Record<string, unknown>,
) {
  await transaction(ctx.store, async (tx) => {
    await tx
      .updateTable('result_links')
      .set(
        used
          ? { used_at: ctx.clock.now().toISOString(), delivering_until: null }
          : { delivering_until: null },
      )
      .where('token_hash', '=', link.token_hash)
      .execute();
    await record(tx, ctx, link.request_id, kind, details);
  });
}

/**
 * Where a package goes, and what the transport saw of it: the HTTP layer gives the response's
 * body stream, the bytes handed to the connection so far, and whether it ended with every byte
 * flushed to the socket (false for a dropped connection or a broken stream).
 */
export interface Delivery {
  readonly out: Writable;
  sent(): number;
  readonly complete: Promise<boolean>;
}

/**
 * Checks the code and streams the package into the delivery `open` gives (a ZIP, AES-encrypted
 * when a passphrase is given). The link is used up only when the delivery reports it complete;
 * a broken one is recorded with the bytes that went, and the link works again. Returns false,
 * writing nothing, when the code is wrong.
 * @throws AppError `invalid_token` for a dead link; `conflict` while another download holds it.
 */
export async function collectResult(
  ctx: AppContext,
  input: { token: string; code: string; passphrase?: string },
  open: () => Delivery,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const link = await openLink(ctx, input.token);
  const check = await checkLinkCode(ctx, link, input.code);
  if (!check.ok) return check;
  const base = { kind: link.kind, encrypted: input.passphrase !== undefined };
  await holdLink(ctx, link, 'download_started', base);
  let delivery: Delivery | undefined;
  let complete = false;
  try {
    const request = await loadRequest(ctx.store.db, link.request_id);
    const options = {
      subjectId: request.subject_id,
      requestId: request.id,
      lang: requesterLanguage(ctx, request),
      ...(input.passphrase ? { passphrase: input.passphrase } : {}),
    };
    const opened = (delivery = open());
    const write = link.kind === 'portability' ? writePortabilityPackage : writeAccessPackage;
    // A writer that fails has broken the stream, so the delivery reports it incomplete.
    const writing = write(ctx, options, opened.out).then(
      () => undefined,
      (error: unknown) => error,
    );
    const renewing = keepHolding(ctx, link, opened);
    try {
      complete = await opened.complete;
    } finally {
      clearInterval(renewing);
    }
    const failure = await writing;
    if (failure !== undefined) ctx.log.warn({ err: failure }, 'a result download broke off');
  } finally {
    // Not complete: the link is let go at once rather than at the lease's end.
    await releaseLink(ctx, link, complete, complete ? 'result_collected' : 'download_interrupted', {
      ...base,
      bytes: delivery?.sent() ?? 0,
    });
  }
  return { ok: true };
}

/**
 * Renews the delivery's hold on the link while bytes flow; cuts off a delivery that made no
 * progress since the last renewal, so a stalled connection cannot keep the link from the person.
 */
function keepHolding(ctx: AppContext, link: Link, delivery: Delivery): NodeJS.Timeout {
  let last = -1;
  const timer = setInterval(() => {
    const sent = delivery.sent();
    if (sent === last) {
      delivery.out.destroy(new Error('The download made no progress.'));
      return;
    }
    last = sent;
    ctx.store.db
      .updateTable('result_links')
      .set({ delivering_until: addDuration(ctx.clock.now(), RESULT_DELIVERY_LEASE).toISOString() })
      .where('token_hash', '=', link.token_hash)
      .where('used_at', 'is', null)
      .execute()
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not renew a download lease'));
  }, RENEW_MS);
  timer.unref();
  return timer;
}

/**
 * Sends a portability result straight to another controller's endpoint, on the person's
 * instruction (C5m.1), instead of downloading it: the code is checked first (and, as for a
 * download, stays usable after a failure), the endpoint must be one personal data may go to
 * (`checkedEndpoint`), and the link is used up only when the receiver accepted the data, so
 * after a refusal or a failure the person can try again, or download instead.
 *
 * @throws AppError `invalid_token` for a used or expired link; `validation_failed` for an access
 * result (it is not portable data) or an endpoint personal data may not go to; `conflict` while
 * a download holds the link.
 */
export async function sendResult(
  ctx: AppContext,
  input: { token: string; code: string; endpoint: string; authorization?: string },
): Promise<{ ok: false; reason: string } | { ok: true; sent: TransmitResult }> {
  const link = await openLink(ctx, input.token);
  if (link.kind !== 'portability')
    throw new AppError(
      'validation_failed',
      'Only data for portability can be sent to another organisation; download this answer instead.',
      [{ path: 'endpoint', message: 'only for a portability answer' }],
    );
  checkedEndpoint(ctx, input.endpoint);
  const check = await checkLinkCode(ctx, link, input.code);
  if (!check.ok) return check;
  const request = await loadRequest(ctx.store.db, link.request_id);
  await holdLink(ctx, link, 'transmission_started', { kind: link.kind });
  let sent: TransmitResult;
  try {
    sent = await transmitPortability(ctx, 'requester', {
      ...(request.subject_id === null ? {} : { subjectId: request.subject_id }),
      requestId: request.id,
      lang: requesterLanguage(ctx, request),
      endpoint: input.endpoint,
      requestReference: request.reference,
      ...(input.authorization === undefined ? {} : { authorization: input.authorization }),
    });
  } catch (error) {
    await releaseLink(ctx, link, false, 'transmission_failed', { kind: link.kind, reason: 'error' });
    throw error;
  }
  await releaseLink(
    ctx,
    link,
    sent.ok,
    sent.ok ? 'result_transmitted' : 'transmission_failed',
    sent.ok
      ? { kind: link.kind, host: sent.host }
      : { kind: link.kind, host: sent.host, reason: sent.reason, status: sent.status },
  );
  return { ok: true, sent };
}
