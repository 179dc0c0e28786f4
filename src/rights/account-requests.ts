/**
 * Requests from a person signed in to the company's own site (`verifiedBy: account_session`,
 * C9.6): the site's server calls these for the signed-in user with an API key that holds
 * `requests:account` and is bound to one declaration. It opens the request, follows it and
 * fetches the result for that account id only; nothing is sent by email and no manual task is
 * made, since the answer is delivered to the account.
 *
 * The key is the trust: its declaration is the only one it reaches, whatever a body names. The
 * account id is data: it selects only requests opened through this API for this declaration with
 * this same account id (by its keyed hash), and a request of another account or declaration is
 * answered exactly like one that does not exist.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { normaliseAll } from '../subjects/subjects.js';
import type { PackageOutput } from './access-package.js';
import { writeAccessPackage } from './access-package.js';
import { requesterLanguage } from './emails.js';
import { currentDeadline, loadRequest } from './model.js';
import type { RequestRow } from './model.js';
import { writePortabilityPackage } from './portability.js';
import type { RequestReceipt } from './submit-request.js';
import { submitRequestInput, submitRequest } from './submit-request.js';

export const accountParam = z.string().min(1).max(512).describe('The signed-in user’s account id');

export const accountRequestInput = z.strictObject({
  account: accountParam,
  type: submitRequestInput.shape.type,
  language: submitRequestInput.shape.language,
  details: submitRequestInput.shape.details,
  jurisdiction: submitRequestInput.shape.jurisdiction,
  declarationId: z.string().max(100).optional().describe('If given, must be the key’s declaration'),
});
export type AccountRequestInput = z.input<typeof accountRequestInput>;

/** The declaration the key answers for; throws for a key without one or a body naming another. */
function declarationOf(actor: Actor, named?: string): string {
  requirePermission(actor, 'requests:account');
  if (actor.declarationId === undefined)
    throw new AppError('forbidden', 'This key is not bound to a declaration, so it cannot act for accounts.');
  if (named !== undefined && named !== actor.declarationId)
    throw new AppError('forbidden', `This key answers for declaration "${actor.declarationId}" only.`, [
      { path: 'declarationId', message: 'not this key’s declaration' },
    ]);
  return actor.declarationId;
}

const lookupOf = (ctx: AppContext, account: string) =>
  normaliseAll(ctx.keys, [{ kind: 'account', value: account }], 'account')[0]!.lookup;

export async function submitAccountRequest(
  ctx: AppContext,
  actor: Actor,
  raw: AccountRequestInput,
): Promise<Omit<RequestReceipt, 'accessToken' | 'statusUrl'>> {
  const input = accountRequestInput.parse(raw);
  const declarationId = declarationOf(actor, input.declarationId);
  // The key vouches for the session; opening the request is the api channel's work.
  const receipt = await submitRequest(
    ctx,
    { ...actor, permissions: new Set([...actor.permissions, 'requests:submit']) },
    {
      declarationId,
      type: input.type,
      channel: 'api',
      verifiedBy: 'account_session',
      requester: { identifiers: [{ kind: 'account', value: input.account }] },
      ...(input.language === undefined ? {} : { language: input.language }),
      ...(input.details === undefined ? {} : { details: input.details }),
      ...(input.jurisdiction === undefined ? {} : { jurisdiction: input.jurisdiction }),
    },
  );
  const { accessToken: _token, statusUrl: _url, ...rest } = receipt;
  return rest;
}

export interface AccountRequestView {
  readonly id: string;
  readonly reference: string;
  readonly type: string;
  readonly status: string;
  readonly receivedAt: string;
  readonly deadline: string;
  /** The result can be fetched (`GET .../result`). */
  readonly resultReady: boolean;
}

const viewOf = (row: RequestRow): AccountRequestView => ({
  id: row.id,
  reference: row.reference,
  type: row.type,
  status: row.status,
  receivedAt: row.received_at,
  deadline: currentDeadline(row),
  resultReady: row.status === 'completed' && (row.type === 'access' || row.type === 'portability'),
});

/** The account's requests, newest first. */
export async function listAccountRequests(
  ctx: AppContext,
  actor: Actor,
  account: string,
): Promise<AccountRequestView[]> {
  const declarationId = declarationOf(actor);
  const rows = await ctx.store.db
    .selectFrom('requests')
    .selectAll()
    .where('declaration_id', '=', declarationId)
    .where('channel', '=', 'api')
    .where('contact_lookup', '=', lookupOf(ctx, account))
    .orderBy('received_at', 'desc')
    .limit(100)
    .execute();
  return rows.map(viewOf);
}

const notFound = () => new AppError('not_found', 'No such request for this account.');

async function accountRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  account: string,
): Promise<RequestRow> {
  const declarationId = declarationOf(actor);
  const row = await ctx.store.db
    .selectFrom('requests')
    .select('id')
    .where('id', '=', id)
    .where('declaration_id', '=', declarationId)
    .where('channel', '=', 'api')
    .where('contact_lookup', '=', lookupOf(ctx, account))
    .executeTakeFirst();
  if (row === undefined) throw notFound();
  return loadRequest(ctx.store.db, row.id);
}

export async function viewAccountRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  account: string,
): Promise<AccountRequestView> {
  return viewOf(await accountRequest(ctx, actor, id, account));
}

/**
 * Checks that the result can be fetched, then returns a writer of the package (access or
 * portability) built from the data as it is now.
 */
export async function accountRequestResult(
  ctx: AppContext,
  actor: Actor,
  input: { id: string; account: string; lang?: string; passphrase?: string },
): Promise<(out: PackageOutput) => Promise<unknown>> {
  const row = await accountRequest(ctx, actor, input.id, input.account);
  if (!viewOf(row).resultReady)
    throw new AppError('conflict', `Request ${row.reference} has no result to fetch (${row.status}).`);
  const write = row.type === 'portability' ? writePortabilityPackage : writeAccessPackage;
  const options = {
    subjectId: row.subject_id,
    requestId: row.id,
    lang: input.lang ?? requesterLanguage(ctx, row),
    ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
  };
  return (out) => write(ctx, options, out);
}
