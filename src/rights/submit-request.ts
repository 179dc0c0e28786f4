/**
 * Taking in a rights request (C13.1): from the privacy centre, the API, an operator entering a
 * letter, email or call (the channel is recorded), or a Data Rights Protocol agent. A request
 * names its declaration (C1.3) and may name a service: a request about a service run as a
 * processor is routed to that service's Provider, and the requester is told who that is (C1.2).
 * The answer never says whether we hold data about the requester.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { seal } from '../capture/sealed.js';
import type { AppContext } from '../context.js';
import { randomToken, sha256Hex } from '../crypto.js';
import { AppError, notInForce } from '../errors.js';
import { requestTypes } from '../policy/schema.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT, findSubjectId, isChannel, normaliseAll } from '../subjects/subjects.js';
import { addDuration } from '../time.js';
import { providerText, requestLanguage } from './emails.js';
import type { RequestRow } from './model.js';
import { addRequestEvent, deadlineFrom, moveRequest, newReference, requestChannels } from './model.js';
import { startFulfilment } from './fulfil.js';
import { categoryOfCorrection } from '../execution/plan.js';
import type { PolicyModel } from '../policy/model.js';
import { issueChallenge, statusUrl, verifiedContact } from './verify-request.js';

/**
 * Requests in a day that may name one contact, or reach one person through any of their
 * identifiers: enough for a person, too few to probe with or to flood someone with codes.
 */
export const REQUESTS_PER_CONTACT_PER_DAY = 5;

/**
 * How many requests of the last day named any of `lookups`. Every identifier a request names is
 * kept in request_contacts, so a fresh address put first does not hide the one it targets.
 */
async function requestsNaming(tx: Tx, lookups: readonly string[], since: string): Promise<number> {
  if (lookups.length === 0) return 0;
  const row = await tx
    .selectFrom('request_contacts')
    .select((eb) => eb.fn.count<number>('request_id').distinct().as('n'))
    .where('lookup', 'in', [...lookups])
    .where('received_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every identifier of the people `subjectIds` (the controller's own), as lookups. */
async function lookupsOf(tx: Tx, subjectIds: readonly string[]): Promise<string[]> {
  if (subjectIds.length === 0) return [];
  const rows = await tx
    .selectFrom('identifiers')
    .select('lookup')
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('subject_id', 'in', [...subjectIds])
    .execute();
  return rows.map((r) => r.lookup);
}

export const submitRequestInput = z.strictObject({
  declarationId: z.string().min(1).max(100),
  serviceId: z.string().min(1).max(100).optional().describe('The service the request concerns (C1.2, C1.3)'),
  type: z.enum(requestTypes),
  channel: z.enum(requestChannels).default('api'),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional(),
  requester: z.strictObject({
    name: z.string().min(1).max(200).optional(),
    identifiers: z
      .array(
        z.strictObject({
          kind: z.enum(['email', 'phone', 'account', 'customer']),
          value: z.string().min(1).max(320),
        }),
      )
      .min(1, 'give at least one email address, phone number or account id')
      .max(10),
  }),
  details: z.string().max(5000).optional().describe('What the person wrote, in their words'),
  rectification: z
    .array(
      z.strictObject({
        field: z.string().min(1).max(100),
        value: z.string().max(2000),
        parts: z
          .record(
            z
              .string()
              .regex(/^[a-z][a-z0-9_]*$/, 'a part such as street or postal_code')
              .max(60),
            z.string().max(2000),
          )
          .refine((parts) => Object.keys(parts).length <= 10, 'at most 10 parts')
          .optional()
          .describe(
            'The same correction in parts, named below its data category: street, postal_code, city, state, country for a postal address; first, last for a name. Systems that keep it in parts get the parts; without them such systems get a task for a person',
          ),
      }),
    )
    .max(50)
    .optional()
    .describe('For rectification: what should be corrected, and to what'),
  objection: z
    .strictObject({
      scope: z.enum(['direct_marketing', 'purpose']),
      purposeId: z.string().min(1).max(100).optional(),
      grounds: z.string().max(5000).optional(),
    })
    .optional(),
  jurisdiction: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/)
    .optional(),
  receivedAt: z
    .string()
    .datetime({ offset: true })
    .optional()
    .describe('Operator entry: when the letter, email or call arrived (the deadline runs from then)'),
  verifiedBy: z
    .enum(['account_session'])
    .optional()
    .describe('API only: the integrating system vouches that the person is signed in to this account'),
});
export type SubmitRequestInput = z.input<typeof submitRequestInput>;

export interface RequestReceipt {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly receivedAt: string;
  readonly dueAt: string;
  /** The requester's handle to follow the request and enter codes; shown once, kept only as a hash. */
  readonly accessToken: string;
  readonly statusUrl: string;
  /** What to tell the requester next, in the same words whether or not we hold data about them. */
  readonly next: 'enter_code' | 'wait' | 'routed_to_provider';
  readonly provider?: { readonly name: string; readonly contact: string | null; readonly text: string };
}

/**
 * A correction's parts must be parts of the category its field names: `street` of a postal
 * address is `user.contact.address.street`, a category the declaration knows.
 */
function checkParts(
  model: PolicyModel,
  corrections: readonly { field: string; parts?: Readonly<Record<string, string>> }[],
): void {
  const issues = corrections.flatMap((c, i) => {
    if (c.parts === undefined) return [];
    const category = categoryOfCorrection(model, c.field);
    const known = [...model.categories.keys()]
      .filter((k) => category !== undefined && k.startsWith(`${category}.`))
      .map((k) => k.slice(`${category}.`.length));
    if (known.length === 0)
      return [{ path: `rectification[${i}].parts`, message: `"${c.field}" is not kept in parts` }];
    return Object.keys(c.parts)
      .filter((p) => !known.includes(p))
      .map((p) => ({
        path: `rectification[${i}].parts.${p}`,
        message: `not a part of "${c.field}"; use ${known.join(', ')}`,
      }));
  });
  if (issues.length > 0)
    throw new AppError(
      'validation_failed',
      'A correction names parts its kind of data does not have.',
      issues,
    );
}

/** Who may use which channel: the public only the privacy centre, operators the paper channels. */
function checkChannel(actor: Actor | 'public', channel: string): void {
  if (actor === 'public') {
    if (channel !== 'privacy_centre')
      throw new AppError('forbidden', 'The public form takes privacy centre requests only.');
    return;
  }
  if (channel === 'email' || channel === 'post' || channel === 'phone') {
    requirePermission(actor, 'requests:manage');
  } else if (channel === 'privacy_centre') {
    throw new AppError('validation_failed', 'Privacy centre requests come through the public form.', [
      { path: 'channel', message: 'use api, email, post or phone' },
    ]);
  } else {
    requirePermission(actor, 'requests:submit');
  }
}

/**
 * Opens a request. `actor` is 'public' for the privacy centre form; an operator or API key
 * otherwise. DRP requests come through src/rights/drp with `drp` set.
 */
export async function submitRequest(
  ctx: AppContext,
  actor: Actor | 'public',
  raw: SubmitRequestInput,
  drp?: {
    agentId: string;
    agentRequestId?: string;
    callback?: string;
    /** Runs first in the transaction that opens request `requestId`; throwing opens nothing. */
    record?: (tx: Tx, requestId: string) => Promise<void>;
  },
): Promise<RequestReceipt> {
  const input = submitRequestInput.parse(raw);
  if (drp === undefined) checkChannel(actor, input.channel);
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  const declaration = active.model.declaration;
  if (!declaration.rights.channels.includes(input.channel))
    throw new AppError(
      'validation_failed',
      `"${declaration.id}" does not take requests by ${input.channel}; it takes them by ${declaration.rights.channels.join(', ')}.`,
      [{ path: 'channel', message: 'not offered by the declaration' }],
    );
  const service =
    input.serviceId === undefined ? undefined : declaration.services.find((s) => s.id === input.serviceId);
  if (input.serviceId !== undefined && service === undefined)
    throw new AppError(
      'not_declared',
      `Service "${input.serviceId}" is not declared in "${declaration.id}".`,
      [{ path: 'serviceId', message: 'unknown service' }],
    );
  if (input.type === 'rectification' && (input.rectification?.length ?? 0) === 0 && !input.details)
    throw new AppError('validation_failed', 'Say what should be corrected.', [
      { path: 'rectification', message: 'required for a rectification request' },
    ]);
  checkParts(active.model, input.rectification ?? []);
  if (input.objection?.scope === 'purpose') {
    const purpose = input.objection.purposeId && active.model.purposes.get(input.objection.purposeId);
    if (!purpose)
      throw new AppError('not_declared', 'Name a declared purpose to object to.', [
        { path: 'objection.purposeId', message: 'unknown purpose' },
      ]);
  }
  if (input.verifiedBy !== undefined) {
    if (actor === 'public' || input.channel !== 'api')
      throw new AppError('forbidden', 'Only an integrated system, through the API, can vouch for a session.');
    if (declaration.rights.verification[input.type]?.method !== 'account_session')
      throw new AppError(
        'validation_failed',
        `"${declaration.id}" verifies ${input.type} requests by email code, not by account session.`,
        [{ path: 'verifiedBy', message: 'not allowed for this request type' }],
      );
    if (!input.requester.identifiers.some((i) => i.kind === 'account'))
      throw new AppError('validation_failed', 'Name the signed-in account.', [
        { path: 'requester.identifiers', message: 'needs an account identifier' },
      ]);
  }
  const identifiers = normaliseAll(ctx.keys, input.requester.identifiers, 'requester.identifiers');
  const contact = identifiers.find((i) => i.kind === 'email') ?? identifiers[0]!;
  const { lang, asked } = requestLanguage(declaration, input.language);
  if (asked !== undefined)
    ctx.log.info(
      { declaration: declaration.id, asked, answered: lang },
      'request in a language the declaration does not offer: answered in its first language',
    );
  const now = ctx.clock.now();
  const receivedAt = input.receivedAt === undefined ? now : new Date(input.receivedAt);
  if (receivedAt > now)
    throw new AppError('validation_failed', 'A request cannot arrive in the future.', [
      { path: 'receivedAt', message: 'after now' },
    ]);
  const accessToken = randomToken(24);
  const id = randomUUID();

  const named = [...new Set(identifiers.map((i) => i.lookup))];

  const { row, next } = await transaction(ctx.store, async (tx) => {
    await drp?.record?.(tx, id);
    // What the requester typed is limited openly: the answer is the same whether or not we know it.
    const since = addDuration(now, '-P1D').toISOString();
    if ((await requestsNaming(tx, named, since)) >= REQUESTS_PER_CONTACT_PER_DAY)
      throw new AppError(
        'rate_limited',
        'Too many requests for this contact today; please try again tomorrow.',
      );

    const secondStep = declaration.rights.verification[input.type]?.secondStep ?? 'none';
    const created: RequestRow = {
      id,
      reference: newReference(),
      declaration_id: declaration.id,
      service_id: input.serviceId ?? null,
      type: input.type,
      status: 'received',
      channel: input.channel,
      subject_id: null,
      contact_lookup: contact.lookup,
      access_token_hash: sha256Hex(accessToken),
      claims: seal(ctx.keys.records, {
        name: input.requester.name,
        identifiers: identifiers.map((i) => ({ kind: i.kind, value: i.value })),
        details: input.details,
        rectification: input.rectification,
        objection: input.objection,
        language: lang,
        ...(asked === undefined ? {} : { askedLanguage: asked }),
      }),
      jurisdiction: input.jurisdiction ?? null,
      second_step: secondStep,
      received_at: receivedAt.toISOString(),
      due_at: deadlineFrom(receivedAt, declaration.rights.deadline).toISOString(),
      extended_to: null,
      verified_at: null,
      reviewed_at: null,
      closed_at: null,
      outcome: null,
      fee: null,
      drp_agent_id: drp?.agentId ?? null,
      drp_agent_request_id: drp?.agentRequestId ?? null,
      drp_callback: drp?.callback ?? null,
      created_by: actor === 'public' ? 'requester' : actorRef(actor),
      updated_at: now.toISOString(),
    };
    await tx.insertInto('requests').values(created).execute();
    await tx
      .insertInto('request_contacts')
      .values(named.map((lookup) => ({ request_id: id, lookup, received_at: created.received_at })))
      .execute();
    const by = created.created_by;
    if (asked !== undefined)
      await addRequestEvent(tx, ctx, {
        requestId: id,
        actor: 'system',
        kind: 'language_fallback',
        details: { asked, answered: lang, offered: declaration.languages },
      });

    if (service?.role === 'processor') {
      await tx
        .insertInto('request_tasks')
        .values({
          id: randomUUID(),
          request_id: id,
          kind: 'provider_route',
          target: service.id,
          action: input.type,
          status: 'pending',
          result: null,
          note: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          done_at: null,
          done_by: null,
        })
        .execute();
      const row = await moveRequest(tx, ctx, by, created, 'routed', {
        kind: 'routed_to_provider',
        details: { service: service.id, provider: service.provider?.name ?? service.provider?.kind },
      });
      return { row, next: 'routed_to_provider' as const };
    }

    // Every identifier the requester gave is looked up the same way, matched or not.
    const owners = new Map<string, string>();
    for (const identifier of identifiers) {
      const subjectId = await findSubjectId(tx, CONTROLLER_TENANT, identifier);
      if (subjectId !== undefined) owners.set(identifier.lookup, subjectId);
    }
    const matches = new Set(owners.values());
    // Identifiers of different people: a person looks before anything is done, but the
    // requester is answered and challenged exactly as anyone else, so that answer tells nothing.
    // The code goes to the person the contact address belongs to.
    const several = matches.size > 1;
    const subjectId = several ? (owners.get(contact.lookup) ?? null) : ([...matches][0] ?? null);
    if (several)
      await addRequestEvent(tx, ctx, {
        requestId: id,
        actor: 'system',
        kind: 'needs_review',
        details: { why: 'identifiers_match_several_people' },
      });
    // Reaching one person through their other identifiers counts too, but silently: a visible
    // refusal would tell which identifiers belong together. Past the limit no code is sent.
    const flooded =
      matches.size > 0 &&
      (await requestsNaming(tx, await lookupsOf(tx, [...matches]), since)) > REQUESTS_PER_CONTACT_PER_DAY;

    if (input.verifiedBy === 'account_session') {
      const verified = await moveRequest(tx, ctx, by, created, 'verifying', {
        kind: 'verified',
        details: { method: 'account_session' },
        set: { subject_id: several ? null : subjectId, verified_at: now.toISOString() },
      });
      const row = await afterVerification(tx, ctx, by, verified);
      return { row, next: 'wait' as const };
    }
    await issueChallenge(tx, ctx, created, 1, {
      subjectId,
      prefer: contact.lookup,
      named: identifiers.filter((i) => i.kind === 'email').map((i) => i.lookup),
      accessToken,
      ...(flooded ? { withhold: 'daily_limit_for_person' } : {}),
      // Nobody here matched: the code may still go to the address given, if a connected system holds it.
      ...(matches.size === 0 && contact.kind === 'email' ? { address: contact.value } : {}),
    });
    const row = await moveRequest(tx, ctx, by, created, 'verifying', {
      kind: 'received',
      details: { channel: input.channel },
    });
    return { row, next: 'enter_code' as const };
  });

  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    accessToken,
    statusUrl: statusUrl(ctx, row.id),
    next,
    ...(next === 'routed_to_provider' && input.serviceId !== undefined
      ? { provider: providerText(declaration, input.serviceId, lang) }
      : {}),
  };
}

/**
 * Where a verified request goes next: a second step when the declaration asks for one for this
 * type, otherwise fulfilment. Called inside the transaction that recorded the verification.
 */
export async function afterVerification(
  tx: Tx,
  ctx: AppContext,
  actor: string,
  row: RequestRow,
): Promise<RequestRow> {
  const why = await reviewNeeded(tx, ctx, row);
  if (why !== undefined)
    return moveRequest(tx, ctx, actor, row, 'awaiting_review', { kind: 'awaiting_review', details: { why } });
  return startFulfilment(tx, ctx, actor, row);
}

/**
 * Why a person must look before a verified request is fulfilled, if they must: the declaration
 * says so, nobody matched, the identifiers named several people, or the person's data holds an
 * address that is only a claim (it may be someone else's record that was joined to theirs).
 * Nobody matching is no reason when the requester proved control of the address a connected
 * system holds: that address is what the request's search starts from.
 */
async function reviewNeeded(tx: Tx, ctx: AppContext, row: RequestRow): Promise<string | undefined> {
  if (row.subject_id === null && (await verifiedContact(tx, ctx, row.id)) === undefined)
    return 'no_data_found';
  if (row.second_step === 'operator_review') return 'declaration_requires_review';
  if (row.subject_id === null) return undefined;
  const several = await tx
    .selectFrom('request_events')
    .select('seq')
    .where('request_id', '=', row.id)
    .where('kind', '=', 'needs_review')
    .executeTakeFirst();
  if (several !== undefined) return 'identifiers_match_several_people';
  const claim = await tx
    .selectFrom('identifiers')
    .select('id')
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('subject_id', '=', row.subject_id)
    .where('kind', '=', 'email')
    .where((eb) => eb.not(isChannel(eb)))
    .executeTakeFirst();
  return claim === undefined ? undefined : 'unverified_identifiers';
}
