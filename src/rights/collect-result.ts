/**
 * Collecting a result (C9.6): the emailed link is single-use and expires, and opening it sends a
 * fresh code to the verified address, so a link that leaks (a forwarded mail, a proxy log) is
 * not enough on its own. The package is built as it streams out, from the data as it is then.
 */
import type { Writable } from 'node:stream';
import type { AppContext } from '../context.js';
import { sha256Hex } from '../crypto.js';
import { AppError } from '../errors.js';
import { appendAudit } from '../audit/ledger.js';
import { unseal } from '../capture/sealed.js';
import { transaction } from '../store/transaction.js';
import { writeAccessPackage } from './access-package.js';
import { languageOf } from './emails.js';
import { addRequestEvent, loadRequest } from './model.js';
import type { RequestClaims } from './own-data-actions.js';
import type { TransmitResult } from './portability.js';
import { checkedEndpoint, transmitPortability, writePortabilityPackage } from './portability.js';
import { answerAddress, checkCode, issueChallenge } from './verify-request.js';

const invalid = () =>
  new AppError('invalid_token', 'This link is not valid: it was used already, or it expired.');

async function openLink(ctx: AppContext, token: string) {
  const link = await ctx.store.db
    .selectFrom('result_links')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (link === undefined || link.used_at !== null || link.expires_at <= ctx.clock.now().toISOString())
    throw invalid();
  return link;
}

/** Sends a code to the verified address before a download; answers what the link leads to. */
export async function requestResultCode(
  ctx: AppContext,
  token: string,
): Promise<{ kind: 'access' | 'portability' }> {
  const link = await openLink(ctx, token);
  await transaction(ctx.store, async (tx) => {
    const request = await loadRequest(tx, link.request_id);
    const contact = await answerAddress(tx, request);
    if (contact === undefined) throw invalid();
    await issueChallenge(tx, ctx, request, 3, { subjectId: request.subject_id, prefer: contact.lookup });
  });
  return { kind: link.kind };
}

/**
 * Marks the link used (once: a second use fails) and records how the result was collected, in
 * the audit ledger and as a step of the request's timeline that the requester sees too.
 */
async function useLink(
  ctx: AppContext,
  link: { token_hash: string; request_id: string },
  how: 'result_collected' | 'result_transmitted',
  details: Record<string, unknown>,
) {
  return transaction(ctx.store, async (tx) => {
    const used = await tx
      .updateTable('result_links')
      .set({ used_at: ctx.clock.now().toISOString() })
      .where('token_hash', '=', link.token_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw invalid();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: 'requester',
      action: `request.${how}`,
      target: `request:${link.request_id}`,
      details,
    });
    await addRequestEvent(tx, ctx, {
      requestId: link.request_id,
      actor: 'requester',
      kind: how,
      details,
      visible: true,
    });
    return loadRequest(tx, link.request_id);
  });
}

/**
 * Checks the code, uses up the link and streams the package into `out` (a ZIP, AES-encrypted
 * when a passphrase is given). Returns false, writing nothing, when the code is wrong.
 */
export async function collectResult(
  ctx: AppContext,
  input: { token: string; code: string; passphrase?: string },
  open: () => Writable,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const link = await openLink(ctx, input.token);
  const check = await checkCode(ctx, link.request_id, 3, input.code);
  if (!check.ok) return check;
  const request = await useLink(ctx, link, 'result_collected', {
    kind: link.kind,
    encrypted: input.passphrase !== undefined,
  });
  if (request.subject_id === null) throw invalid();
  const active = ctx.policies.get(request.declaration_id);
  const claims = unseal(ctx.keys.records, request.claims) as RequestClaims;
  const lang = active === undefined ? 'en' : languageOf(active.model.declaration, claims.language);
  const options = {
    subjectId: request.subject_id,
    lang,
    ...(input.passphrase ? { passphrase: input.passphrase } : {}),
  };
  if (link.kind === 'portability') await writePortabilityPackage(ctx, options, open());
  else await writeAccessPackage(ctx, options, open());
  return { ok: true };
}

/**
 * Sends a portability result straight to another controller's endpoint, on the person's
 * instruction (C5m.1), instead of downloading it: the code is checked first, the endpoint must
 * be one personal data may go to (`checkedEndpoint`), and the link is used up only when the
 * receiver accepted the data, so after a refusal or a failure the person can try again with a
 * fresh code, or download instead.
 *
 * @throws AppError `invalid_token` for a used or expired link; `validation_failed` for an access
 * result (it is not portable data) or an endpoint personal data may not go to.
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
  const check = await checkCode(ctx, link.request_id, 3, input.code);
  if (!check.ok) return check;
  const request = await loadRequest(ctx.store.db, link.request_id);
  if (request.subject_id === null) throw invalid();
  const sent = await transmitPortability(ctx, 'requester', {
    subjectId: request.subject_id,
    endpoint: input.endpoint,
    requestReference: request.reference,
    ...(input.authorization === undefined ? {} : { authorization: input.authorization }),
  });
  if (sent.ok) await useLink(ctx, link, 'result_transmitted', { kind: link.kind, host: sent.host });
  return { ok: true, sent };
}
