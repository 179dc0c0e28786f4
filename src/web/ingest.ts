/**
 * Taking in a batch of website events (C3d.1, C3d.3, C11.1). Every event must be of a type the
 * declaration lists, and allowed: exempt audience measurement always, the rest only when the
 * ledger shows consent for its cookie category for the browser whose token the batch carries.
 * One event that is not allowed refuses the whole batch, and nothing of it is stored. What is
 * stored is minimised first: network instead of IP, browser and OS family, hosts instead of
 * URLs for referrers and exits, paths without queries, a cookieless daily visitor id.
 */
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError, notInForce } from '../errors.js';
import { analyticsEventTypes } from '../policy/schema.js';
import { groupTransaction } from '../store/transaction.js';
import type { ConsentToken } from './choices.js';
import { allowedCategories, consentRef, readToken } from './choices.js';
import type { CountryLookup } from './country.js';
import { hostOf, isBot, pathOf, reduceUserAgent, truncateIp, visitorId } from './minimise.js';
import { saltFor } from './salts.js';
import type { WebEventRow } from './store-events.js';
import { insertWebEvents } from './store-events.js';

/** Events in one batch: a page sends a few dozen at most. */
export const MAX_EVENTS = 200;
/** How far a browser clock may be off, and how old an event may be when it arrives. */
const FUTURE_MS = 5 * 60_000;
const PAST_MS = 24 * 60 * 60_000;

const text = (max: number) => z.string().max(max);

export const eventBatchInput = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '16 to 64 letters, digits, - or _'),
  declarationId: z.string().min(1).max(100),
  token: z.string().max(400).optional(),
  page: z.string().url().max(2000),
  referrer: text(2000).optional(),
  events: z
    .array(
      z.strictObject({
        type: z.enum(analyticsEventTypes),
        at: z.number().int().positive(),
        path: text(2000).optional(),
        target: text(2000).optional(),
        label: text(200).optional(),
        value: z.number().int().min(0).max(100_000_000).optional(),
      }),
    )
    .min(1, 'a batch holds at least one event')
    .max(MAX_EVENTS, `a batch holds at most ${MAX_EVENTS} events`),
});
export type EventBatchInput = z.input<typeof eventBatchInput>;

export interface RequestFacts {
  /** The client address, as resolved through the trusted proxies only. */
  readonly ip: string;
  readonly userAgent?: string;
}

export type IngestResult = { readonly accepted: number } | { readonly accepted: 0; readonly dropped: 'bot' };

/**
 * Validates, checks consent against the ledger, minimises and stores one batch. Refusals are
 * AppErrors naming the problem: `validation_failed`, `not_declared` (an event type the
 * declaration does not list), `consent_missing` (events not allowed), `conflict` (a replay).
 */
export async function ingestBatch(
  ctx: AppContext,
  raw: unknown,
  facts: RequestFacts,
  country: CountryLookup = () => undefined,
): Promise<IngestResult> {
  const batch = eventBatchInput.parse(raw);
  const active = ctx.policies.get(batch.declarationId);
  if (active === undefined) throw notInForce(batch.declarationId);
  if (isBot(facts.userAgent)) return { accepted: 0, dropped: 'bot' };

  const now = ctx.clock.now();
  const declared = new Map(active.model.declaration.analytics.events.map((e) => [e.type, e]));
  const problems = batch.events.flatMap((e, i) => {
    if (!declared.has(e.type))
      return [{ path: `events[${i}].type`, message: `${e.type} is not an event type the declaration lists` }];
    if (e.at > now.getTime() + FUTURE_MS || e.at < now.getTime() - PAST_MS)
      return [
        { path: `events[${i}].at`, message: 'more than 5 minutes ahead or a day behind the server clock' },
      ];
    return [];
  });
  if (problems.length > 0)
    throw new AppError(
      problems.some((p) => p.path.endsWith('.type')) ? 'not_declared' : 'validation_failed',
      `Refused the batch: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );

  let token: ConsentToken | undefined;
  if (batch.token !== undefined) {
    token = readToken(ctx, batch.token);
    if (token === undefined || token.declarationId !== active.model.id)
      throw new AppError('invalid_token', 'The consent token is not one we issued for this declaration.', [
        { path: 'token', message: 'forged, damaged or for another declaration' },
      ]);
  }
  const allowed =
    token === undefined || batch.token === undefined
      ? new Set<string>()
      : await allowedCategories(ctx, ctx.store.db, token, batch.token);
  const refused = [
    ...new Set(
      batch.events
        .map((e) => declared.get(e.type)!)
        .filter((e) => !e.exempt && !allowed.has(e.category))
        .map((e) => `${e.type} (needs ${e.category})`),
    ),
  ];
  if (refused.length > 0)
    throw new AppError(
      'consent_missing',
      `Refused the batch: no consent in the ledger for ${refused.join(', ')}. Nothing was stored.`,
      refused.map((r) => ({ path: 'events', message: r })),
    );

  const site = hostOf(batch.page) ?? 'unknown';
  const day = now.toISOString().slice(0, 10);
  const salt = await saltFor(ctx, day);
  const visitor =
    salt === undefined ? null : visitorId(salt, { ip: facts.ip, userAgent: facts.userAgent ?? '', site });
  const { browser, os } = reduceUserAgent(facts.userAgent);
  const network = truncateIp(facts.ip) ?? null;
  const countryCode = country(facts.ip) ?? null;
  const link = active.model.declaration.analytics.linkToSubject;
  const ref =
    token !== undefined && link !== undefined && allowed.has(link.category)
      ? consentRef(ctx, token.consentId)
      : null;
  const pagePath = pathOf(batch.page) ?? null;
  const referrerHost = hostOf(batch.referrer) ?? null;

  const rows: WebEventRow[] = batch.events.map((e) => {
    const entry = declared.get(e.type)!;
    const at = new Date(e.at).toISOString();
    return {
      declaration_id: active.model.id,
      at,
      day: at.slice(0, 10),
      type: e.type,
      purpose: entry.purpose,
      category: entry.category,
      source: 'script',
      site,
      path: e.path === undefined ? pagePath : (pathOf(e.path) ?? null),
      referrer_host: e.type === 'page_view' ? referrerHost : null,
      // Exits keep the destination host only (C11.1); clicks keep a link's host or the element's tag.
      target:
        e.target === undefined
          ? null
          : e.type === 'exit' || /^https?:/i.test(e.target)
            ? (hostOf(e.target) ?? null)
            : e.target.slice(0, 40),
      label: e.label ?? null,
      value: e.value ?? null,
      visitor,
      network,
      country: countryCode,
      browser,
      os,
      consent_ref: entry.exempt ? null : ref,
    };
  });

  // Concurrent batches share one commit (a replay makes its group re-run one by one).
  await groupTransaction(ctx.store, async (tx) => {
    const taken = await tx
      .insertInto('web_batches')
      .values({ id: batch.id, received_at: now.toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(taken.numInsertedOrUpdatedRows ?? 0) !== 1)
      throw new AppError('conflict', 'This batch was received before; a replay is not stored again.', [
        { path: 'id', message: 'already received' },
      ]);
    await insertWebEvents(tx, rows, ctx.store.dialect);
  });
  return { accepted: rows.length };
}
