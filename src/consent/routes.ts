import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorRef } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { actorOf, guard } from '../server/auth.js';
import { CONTROLLER_TENANT, findSubjectId, normaliseAll } from '../subjects/subjects.js';
import { listOutbox, listOutboxInput, revealMessage } from './outbox.js';
import { exportConsentRecords, recordConsentInput, recordConsents } from './record-consent.js';
import { objectionInput, objectToPurpose } from './object-to-purpose.js';
import { redeemInput, redeemPromotion } from './promotions.js';
import { sendMessage, sendMessageInput } from './send-message.js';
import type { Communication } from '../policy/schema.js';
import type { SuppressionIndex } from './suppression.js';
import { communicationOf, suppressionIndex, verdictTable } from './suppression.js';
import {
  choiceContext,
  objectToDirectMarketing,
  subscribe,
  subscribeInput,
  unsubscribe,
  unsubscribeAllMarketing,
} from './subscriptions.js';

const MAX_JSON_BATCH = 100_000;
const STREAM_CHUNK = 10_000;

const checkQuery = z.strictObject({
  declarationId: z.string().min(1).max(100),
  communication: z.string().min(1).max(100),
  jurisdiction: z
    .string()
    .regex(/^([A-Z]{2}(-[A-Z0-9]{1,3})?|default)$/, 'must be a country code such as SE')
    .default('default'),
});

const addressesBody = z.strictObject({
  addresses: z
    .array(z.string().max(320))
    .max(MAX_JSON_BATCH, `send at most ${MAX_JSON_BATCH} addresses as JSON, or stream them as text/plain`),
});

/**
 * The addresses of a JSON check. A well-formed body (the usual case) is accepted after one pass
 * over it; anything else goes through the schema, which gives the error.
 */
function jsonAddresses(body: unknown): readonly string[] {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body);
    const addresses = (body as { addresses?: unknown }).addresses;
    if (
      keys.length === 1 &&
      keys[0] === 'addresses' &&
      Array.isArray(addresses) &&
      addresses.length <= MAX_JSON_BATCH &&
      addresses.every((a) => typeof a === 'string' && a.length <= 320)
    )
      return addresses as string[];
  }
  return addressesBody.parse(body).addresses;
}

/** What follows `{"address":"…"` in an answer, by verdict code. */
const resultTail = verdictTable.map(
  (v) => `,"allowed":${v.allowed ? 'true' : 'false'},"reason":${JSON.stringify(v.reason)}}`,
);
/** What lies between two addresses that need no escaping, by the first one's verdict code. */
const between = {
  ',': resultTail.map((tail) => `"${tail},{"address":"`),
  '\n': resultTail.map((tail) => `"${tail}\n{"address":"`),
};

/**
 * One `{"address":…,"allowed":…,"reason":…}` per address, joined by `separator`: what
 * `JSON.stringify` gives for each, built without an object per address. When no address needs
 * escaping (one `JSON.stringify` of the whole list is exactly as long as the addresses with
 * their quotes, and escaping only ever lengthens), the addresses go in as they are.
 */
function answers(addresses: readonly string[], codes: Uint8Array, separator: ',' | '\n'): string {
  const n = addresses.length;
  if (n === 0) return '';
  let plain = 1 + n;
  for (let i = 0; i < n; i += 1) plain += (addresses[i] as string).length + 2;
  if (JSON.stringify(addresses).length === plain) {
    const mids = between[separator];
    const parts = new Array<string>(2 * n + 1);
    parts[0] = '{"address":"';
    for (let i = 0; i < n; i += 1) {
      parts[2 * i + 1] = addresses[i] as string;
      parts[2 * i + 2] = mids[codes[i] as number] as string;
    }
    parts[2 * n] = `"${resultTail[codes[n - 1] as number]}`;
    return parts.join('');
  }
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i += 1)
    parts[i] = `{"address":${JSON.stringify(addresses[i])}${resultTail[codes[i] as number]}`;
  return parts.join(separator);
}

interface Check {
  readonly index: SuppressionIndex;
  readonly declarationId: string;
  readonly communication: Communication;
  readonly jurisdiction: string;
}

/**
 * The streamed check: addresses one per line in (`\n`, `\r\n` or `\r`, as `readline` splits;
 * trimmed; blank lines skipped), one `{"address","allowed","reason"}` line out per address, in
 * order, checked `STREAM_CHUNK` at a time.
 */
async function* streamedVerdicts(check: Check, input: Readable): AsyncGenerator<string> {
  const { index, declarationId, communication, jurisdiction } = check;
  const codes = new Uint8Array(STREAM_CHUNK);
  let batch: string[] = [];
  const flush = () => {
    index.checkCodes(declarationId, communication, batch, jurisdiction, codes);
    const out = `${answers(batch, codes, '\n')}\n`;
    batch = [];
    return out;
  };
  input.setEncoding('utf8');
  let carry = '';
  for await (const chunk of input as AsyncIterable<string>) {
    let text = carry + chunk;
    // A lone `\r` ends a line too; `\r\n` then leaves a blank line, which is skipped anyway.
    if (text.includes('\r')) text = text.replace(/\r/g, '\n');
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const address = text.slice(start, end).trim();
      start = end + 1;
      if (address === '') continue;
      batch.push(address);
      if (batch.length === STREAM_CHUNK) yield flush();
    }
    carry = text.slice(start);
  }
  const last = carry.trim();
  if (last !== '') batch.push(last);
  if (batch.length > 0) yield flush();
}

export function consentRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    // Large batches stream in as one address per line and stream out as one JSON line per address.
    fastify.addContentTypeParser(['text/plain', 'application/x-ndjson'], (_request, payload, done) =>
      done(null, payload),
    );

    app.post(
      '/suppression/check',
      {
        schema: {
          tags: ['consent'],
          summary: 'May these addresses receive this communication? One verdict per address, in order',
          description:
            'Send JSON `{ addresses: [...] }` (up to 100,000), or stream `text/plain` with one address per line (no limit): the answer then streams as NDJSON, one `{"address","allowed","reason"}` per line.',
          querystring: checkQuery,
        },
        bodyLimit: 16 * 1024 * 1024,
        onRequest: guard('suppression:check'),
      },
      async (request, reply) => {
        const { declarationId, communication: communicationId, jurisdiction } = request.query;
        const communication = communicationOf(ctx, declarationId, communicationId);
        const index = suppressionIndex(ctx);
        await index.sync({ declarationId, communication });
        const body = request.body as unknown;
        const check = { index, declarationId, communication, jurisdiction };
        if (body !== null && typeof body === 'object' && 'pipe' in body) {
          void reply.type('application/x-ndjson');
          return reply.send(Readable.from(streamedVerdicts(check, body as Readable)));
        }
        const addresses = jsonAddresses(body);
        if (communication.softOptIn !== undefined) {
          // A soft opt-in's verdicts name the relationship they count from.
          const verdicts = index.checkMany(declarationId, communication, addresses, jurisdiction);
          const results = addresses.map((address, i) => ({ address, ...verdicts[i] }));
          return reply
            .type('application/json; charset=utf-8')
            .send({ communication: communication.id, results });
        }
        const codes = index.checkCodes(declarationId, communication, addresses, jurisdiction);
        const out = `{"communication":${JSON.stringify(communication.id)},"results":[${answers(addresses, codes, ',')}]}`;
        return reply.type('application/json; charset=utf-8').send(Buffer.from(out));
      },
    );

    app.post(
      '/messages',
      {
        schema: {
          tags: ['consent'],
          summary:
            'Send a communication to one address: marketing only where allowed, always with one-click unsubscribe',
          body: sendMessageInput,
        },
        onRequest: guard('messages:send'),
      },
      async (request, reply) => {
        const result = await sendMessage(ctx, actorOf(request), request.body);
        return reply.code(result.sent ? 202 : 200).send(result);
      },
    );

    app.get(
      '/outbox',
      {
        schema: {
          tags: ['consent'],
          summary:
            'Messages Steward built, newest first, with their codes and link tokens removed (the read is audited)',
          querystring: listOutboxInput,
        },
        onRequest: guard('outbox:read'),
      },
      async (request) => ({
        transport: ctx.config.smtpUrl === undefined ? 'outbox' : 'smtp',
        messages: await listOutbox(ctx, actorOf(request), request.query),
      }),
    );
    app.get(
      '/outbox/:id/message',
      {
        schema: {
          tags: ['consent'],
          summary:
            'One whole message of the development outbox, codes and links included (personal permission of the first administrator; audited)',
          params: z.object({ id: z.uuid('must be a message id') }),
        },
        onRequest: guard('outbox:reveal'),
      },
      async (request, reply) =>
        reply
          .header('cache-control', 'no-store')
          .send({ message: await revealMessage(ctx, actorOf(request), request.params.id) }),
    );

    app.post(
      '/promotions/redemptions',
      {
        schema: {
          tags: ['consent'],
          summary:
            'Check, and record, one redemption of a promotion per device or account (keyed hashes only)',
          body: redeemInput,
        },
        onRequest: guard('subjects:write'),
      },
      async (request) => redeemPromotion(ctx, actorOf(request), request.body),
    );

    app.post(
      '/subscriptions',
      {
        schema: {
          tags: ['consent'],
          summary: 'Subscribe an address to a communication (double opt-in where declared)',
          body: subscribeInput,
        },
        onRequest: guard('consent:write'),
      },
      async (request, reply) => {
        const result = await subscribe(ctx, actorRef(actorOf(request)), request.body);
        return reply.code(result.state === 'blocked_by_objection' ? 409 : 201).send(result);
      },
    );

    const addressInput = choiceContext.extend({
      declarationId: z.string().min(1).max(100),
      email: z.string().min(1).max(320),
      communication: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .describe('Omit to stop all marketing to this address'),
    });
    app.post(
      '/unsubscriptions',
      {
        schema: {
          tags: ['consent'],
          summary: 'Unsubscribe one address from one communication, or from all marketing',
          body: addressInput,
        },
        onRequest: guard('consent:write'),
      },
      async (request) => {
        const { email, communication, ...rest } = request.body;
        const [normalised] = normaliseAll(ctx.keys, [{ kind: 'email', value: email }], 'email');
        const subjectId =
          normalised === undefined
            ? undefined
            : await findSubjectId(ctx.store.db, CONTROLLER_TENANT, normalised);
        if (subjectId === undefined || normalised === undefined) throw notFound('That address');
        const identifier = await ctx.store.db
          .selectFrom('identifiers')
          .select('id')
          .where('tenant', '=', CONTROLLER_TENANT)
          .where('kind', '=', 'email')
          .where('lookup', '=', normalised.lookup)
          .executeTakeFirstOrThrow();
        const actor = actorRef(actorOf(request));
        if (communication === undefined)
          await unsubscribeAllMarketing(ctx, actor, { ...rest, identifierId: identifier.id });
        else await unsubscribe(ctx, actor, { ...rest, communication, identifierId: identifier.id });
        return { ok: true };
      },
    );

    app.post(
      '/subjects/:id/marketing-objection',
      {
        schema: {
          tags: ['consent'],
          summary:
            'Record an objection to direct marketing: every address, every marketing communication, no reasons needed',
          params: z.object({ id: z.uuid() }),
          body: choiceContext,
        },
        onRequest: guard('consent:write'),
      },
      async (request, reply) => {
        await objectToDirectMarketing(ctx, actorRef(actorOf(request)), {
          ...request.body,
          subjectId: request.params.id,
        });
        return reply.code(204).send();
      },
    );

    app.post(
      '/subjects/:id/objections',
      {
        schema: {
          tags: ['consent'],
          summary:
            'Object to one purpose: direct marketing and reuse of public content stop at once; others need an operator decision',
          params: z.object({ id: z.uuid() }),
          body: objectionInput,
        },
        onRequest: guard('consent:write'),
      },
      async (request) => objectToPurpose(ctx, actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/consents',
      {
        schema: {
          tags: ['consent'],
          summary: 'Record consent given or withdrawn for purposes or cookie categories',
          body: recordConsentInput,
        },
        onRequest: guard('consent:write'),
      },
      async (request, reply) =>
        reply.code(201).send(await recordConsents(ctx, actorOf(request), request.body)),
    );

    app.get(
      '/subjects/:id/consents',
      {
        schema: {
          tags: ['consent'],
          summary: 'A subject’s consent records, as ISO/IEC 27560-style records or Kantara-style receipts',
          params: z.object({ id: z.uuid() }),
          querystring: z.strictObject({
            format: z.enum(['iso27560', 'kantara', 'events']).default('events'),
          }),
        },
        onRequest: guard('consent:read'),
      },
      async (request) => {
        const exported = await exportConsentRecords(
          ctx,
          actorOf(request),
          request.params.id,
          request.query.format,
        );
        if (exported === undefined)
          throw new AppError('not_found', `Subject ${request.params.id} was not found.`);
        return exported;
      },
    );
  };
}
