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
import { loadRequest } from './model.js';
import type { RequestClaims } from './own-data-actions.js';
import { writePortabilityPackage } from './portability.js';
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

/** Sends a code to the verified address before a download. */
export async function requestResultCode(ctx: AppContext, token: string): Promise<void> {
  const link = await openLink(ctx, token);
  await transaction(ctx.store, async (tx) => {
    const request = await loadRequest(tx, link.request_id);
    const contact = await answerAddress(tx, request);
    if (contact === undefined) throw invalid();
    await issueChallenge(tx, ctx, request, 3, { subjectId: request.subject_id, prefer: contact.lookup });
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
  const request = await transaction(ctx.store, async (tx) => {
    const used = await tx
      .updateTable('result_links')
      .set({ used_at: ctx.clock.now().toISOString() })
      .where('token_hash', '=', link.token_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw invalid();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: 'requester',
      action: 'request.result_collected',
      target: `request:${link.request_id}`,
      details: { kind: link.kind, encrypted: input.passphrase !== undefined },
    });
    return loadRequest(tx, link.request_id);
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
