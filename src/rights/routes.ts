/**
 * Rights requests over HTTP: the operators' API (queue, request page, review, refusal,
 * extension, fee, tasks), API and operator intake, and the requester's own endpoints behind the
 * privacy centre (submit, enter a code, follow the request, collect the result). Requester
 * endpoints need no account: the request's token is their key, and they are rate-limited.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import {
  accountParam,
  accountRequestInput,
  accountRequestResult,
  listAccountRequests,
  submitAccountRequest,
  viewAccountRequest,
} from './account-requests.js';
import { retryStep, retryStepInput } from '../execution/run-step.js';
import { actorOf, guard } from '../server/auth.js';
import { Transform } from 'node:stream';
import type { Delivery } from './collect-result.js';
import { collectResult, requestResultCode, sendResult } from './collect-result.js';
import { submitRequest, submitRequestInput } from './submit-request.js';
import {
  approveRequest,
  closeTask,
  closeTaskInput,
  enterCode,
  extendInput,
  extendRequest,
  feeInput,
  listRequests,
  listRequestsInput,
  listTasks,
  listTasksInput,
  openRequest,
  openRequestInput,
  refuseInput,
  refuseRequest,
  requesterView,
  resendCode,
  reviewInput,
  setFee,
  withdrawByRequester,
  withdrawRequest,
} from './workflow.js';

/**
 * Sends a result package as the ZIP answer of `reply`. It is complete only when the response
 * finished, every byte flushed to the socket; a connection that closed first, or a stream that
 * broke, is not. Bytes are counted as they are handed on to the response.
 */
export function zipDelivery(reply: FastifyReply): Delivery {
  let bytes = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.byteLength;
      callback(null, chunk);
    },
  });
  // 'finish' comes once the last byte was written to the socket; 'close' comes in any case,
  // after 'finish' or instead of it when the connection went first.
  const complete = new Promise<boolean>((resolve) => {
    const res = reply.raw;
    let whole = false;
    const closed = () => {
      // Stops the package writer at once; it would otherwise build the rest for nobody.
      if (!whole) out.destroy(new Error('The connection closed before the package was sent.'));
      resolve(whole);
    };
    if (res.destroyed) return closed();
    res.once('finish', () => (whole = true));
    res.once('close', closed);
  });
  void reply
    .type('application/zip')
    .header('content-disposition', 'attachment; filename="my-data.zip"')
    .header('cache-control', 'no-store')
    .send(out);
  return { out, sent: () => bytes, complete };
}

const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const tokenBody = z.strictObject({ token: z.string().min(10).max(200) });
/** The requester's endpoints: the request's access token or the result link is their key. */
const requester = { public: "the requester's own request: its access token or result link is the key" };
const publicLimit = { ...requester, rateLimit: { max: 20, timeWindow: '1 minute' } };

export function rightsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    // ---- Operators and integrations ----
    app.post(
      '/requests',
      {
        schema: {
          tags: ['rights'],
          summary: 'Open a request: from an integrated system (api), or on behalf of a letter, email or call',
          body: submitRequestInput,
        },
        // The channel decides which of the two it needs (see submitRequest).
        onRequest: guard(['requests:submit', 'requests:manage']),
      },
      async (request, reply) =>
        reply.code(201).send(await submitRequest(ctx, actorOf(request), request.body)),
    );
    // ---- The company's own site, for its signed-in user (requests:account) ----
    const accountQuery = z.strictObject({ account: accountParam });
    app.post(
      '/account-requests',
      {
        schema: {
          tags: ['rights'],
          summary: 'The company’s site opens a request for its signed-in user, verified by the session',
          body: accountRequestInput,
        },
        onRequest: guard('requests:account'),
      },
      async (request, reply) =>
        reply.code(201).send(await submitAccountRequest(ctx, actorOf(request), request.body)),
    );
    app.get(
      '/account-requests',
      {
        schema: { tags: ['rights'], summary: 'The signed-in user’s requests', querystring: accountQuery },
        onRequest: guard('requests:account'),
      },
      async (request) => ({
        requests: await listAccountRequests(ctx, actorOf(request), request.query.account),
      }),
    );
    app.get(
      '/account-requests/:id',
      {
        schema: {
          tags: ['rights'],
          summary: 'One request of the signed-in user',
          params: idParams,
          querystring: accountQuery,
        },
        onRequest: guard('requests:account'),
      },
      async (request) => viewAccountRequest(ctx, actorOf(request), request.params.id, request.query.account),
    );
    app.get(
      '/account-requests/:id/result',
      {
        schema: {
          tags: ['rights'],
          summary: 'The result package (ZIP) of the signed-in user’s completed access or portability request',
          params: idParams,
          querystring: accountQuery.extend({ lang: z.string().max(10).optional() }),
        },
        onRequest: guard('requests:account'),
      },
      async (request, reply) => {
        const write = await accountRequestResult(ctx, actorOf(request), {
          id: request.params.id,
          account: request.query.account,
          ...(request.query.lang === undefined ? {} : { lang: request.query.lang }),
        });
        const delivery = zipDelivery(reply);
        void write(delivery.out).catch((error: unknown) => {
          ctx.log.warn({ err: error }, 'an account result download broke off');
          delivery.out.destroy(error instanceof Error ? error : new Error(String(error)));
        });
        return reply;
      },
    );
    app.get(
      '/requests',
      {
        schema: {
          tags: ['rights'],
          summary: 'The request queue, soonest deadline first',
          querystring: listRequestsInput,
        },
        onRequest: guard('requests:read'),
      },
      async (request) => ({ requests: await listRequests(ctx, actorOf(request), request.query) }),
    );
    app.get(
      '/requests/:id',
      {
        schema: {
          tags: ['rights'],
          summary:
            'A request: what was asked, its timeline, tasks and verification state (audited); what the requester wrote only with requests:claims and a reason',
          params: idParams,
          querystring: openRequestInput,
        },
        onRequest: guard('requests:read'),
      },
      async (request) => openRequest(ctx, actorOf(request), request.params.id, request.query),
    );
    app.post(
      '/requests/:id/approve',
      {
        schema: {
          tags: ['rights'],
          summary: 'Approve after review (or verify a paper request) and start fulfilment',
          params: idParams,
          body: reviewInput,
        },
        onRequest: guard('requests:manage'),
      },
      async (request) => ({
        request: await approveRequest(ctx, actorOf(request), request.params.id, request.body),
      }),
    );
    app.post(
      '/requests/:id/refuse',
      {
        schema: {
          tags: ['rights'],
          summary: 'Refuse with reasons; the requester is told of the right to complain',
          params: idParams,
          body: refuseInput,
        },
        onRequest: guard('requests:manage'),
      },
      async (request) => ({
        request: await refuseRequest(ctx, actorOf(request), request.params.id, request.body),
      }),
    );
    app.post(
      '/requests/:id/extend',
      {
        schema: {
          tags: ['rights'],
          summary: 'Extend the deadline before it passes, with reasons sent to the requester',
          params: idParams,
          body: extendInput,
        },
        onRequest: guard('requests:manage'),
      },
      async (request) => ({
        request: await extendRequest(ctx, actorOf(request), request.params.id, request.body),
      }),
    );
    app.post(
      '/requests/:id/fee',
      {
        schema: {
          tags: ['rights'],
          summary: 'Mark a fee for a further copy or a manifestly excessive request, with reasons',
          params: idParams,
          body: feeInput,
        },
        onRequest: guard('requests:manage'),
      },
      async (request) => ({ request: await setFee(ctx, actorOf(request), request.params.id, request.body) }),
    );
    app.post(
      '/requests/:id/withdraw',
      {
        schema: {
          tags: ['rights'],
          summary: 'Record that the requester withdrew the request',
          params: idParams,
          body: z.strictObject({ reason: z.string().min(1).max(2000) }),
        },
        onRequest: guard('requests:manage'),
      },
      async (request) => ({
        request: await withdrawRequest(ctx, actorOf(request), request.params.id, request.body.reason),
      }),
    );
    app.post(
      '/requests/:id/steps/:stepId/retry',
      {
        schema: {
          tags: ['rights'],
          summary:
            'Run a failed step of the request again (after fixing its cause); a system that could not be planned is planned again',
          params: z.strictObject({ id: z.string().min(1).max(100), stepId: z.string().min(1).max(100) }),
          body: retryStepInput,
        },
        onRequest: guard('requests:manage'),
      },
      async (request, reply) => {
        await retryStep(ctx, actorOf(request), request.params.id, request.params.stepId, request.body);
        return reply.code(202).send({ retried: true });
      },
    );
    app.get(
      '/request-tasks',
      {
        schema: {
          tags: ['rights'],
          summary: 'Tasks across requests, oldest first: e.g. recipients still to be told of a change',
          querystring: listTasksInput,
        },
        onRequest: guard('requests:read'),
      },
      async (request) => ({ tasks: await listTasks(ctx, actorOf(request), request.query) }),
    );
    app.post(
      '/requests/:id/tasks/:taskId/close',
      {
        schema: {
          tags: ['rights'],
          summary: 'Close a manual task: a correction applied, a recipient or Provider told',
          params: z.strictObject({ id: z.string().min(1).max(100), taskId: z.string().min(1).max(100) }),
          body: closeTaskInput,
        },
        onRequest: guard('requests:manage'),
      },
      async (request, reply) => {
        await closeTask(ctx, actorOf(request), request.params.id, request.params.taskId, request.body);
        return reply.code(204).send();
      },
    );

    // ---- The requester (privacy centre) ----
    app.post(
      '/privacy-centre/requests',
      {
        schema: {
          tags: ['privacy centre'],
          summary: 'A person opens a request; a code goes to the contact details we hold, if any',
          body: submitRequestInput.omit({ channel: true, receivedAt: true, verifiedBy: true }),
        },
        config: publicLimit,
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await submitRequest(ctx, 'public', { ...request.body, channel: 'privacy_centre' })),
    );
    app.post(
      '/privacy-centre/requests/:id/status',
      {
        schema: {
          tags: ['privacy centre'],
          summary: 'The requester follows the request',
          params: idParams,
          body: tokenBody,
        },
        config: publicLimit,
      },
      async (request) => requesterView(ctx, { requestId: request.params.id, token: request.body.token }),
    );
    app.post(
      '/privacy-centre/requests/:id/code',
      {
        schema: {
          tags: ['privacy centre'],
          summary: 'The requester enters the code sent to them',
          params: idParams,
          body: tokenBody.extend({ code: z.string().regex(/^\d{6}$/, 'six digits') }),
        },
        config: publicLimit,
      },
      async (request) => enterCode(ctx, { requestId: request.params.id, ...request.body }),
    );
    app.post(
      '/privacy-centre/requests/:id/resend',
      {
        schema: { tags: ['privacy centre'], summary: 'Send a fresh code', params: idParams, body: tokenBody },
        config: { ...requester, rateLimit: { max: 3, timeWindow: '10 minutes' } },
      },
      async (request, reply) => {
        await resendCode(ctx, { requestId: request.params.id, token: request.body.token });
        return reply.code(202).send({ sent: 'if we hold contact details for you' });
      },
    );
    const resultParams = z.strictObject({ token: z.string().min(20).max(200) });
    app.post(
      '/privacy-centre/results/:token/code',
      {
        schema: {
          tags: ['privacy centre'],
          summary: 'Send a code to the verified address before collecting a result',
          params: resultParams,
        },
        config: { ...requester, rateLimit: { max: 3, timeWindow: '10 minutes' } },
      },
      async (request, reply) => {
        await requestResultCode(ctx, request.params.token);
        return reply.code(202).send({ sent: true });
      },
    );
    app.post(
      '/privacy-centre/results/:token/download',
      {
        schema: {
          tags: ['privacy centre'],
          summary: 'Collect the result once, with the code: a ZIP, encrypted when a passphrase is given',
          params: resultParams,
          body: z.strictObject({
            code: z.string().regex(/^\d{6}$/, 'six digits'),
            passphrase: z.string().min(8, 'at least 8 characters').max(200).optional(),
          }),
        },
        config: publicLimit,
      },
      async (request, reply) => {
        const result = await collectResult(ctx, { token: request.params.token, ...request.body }, () =>
          zipDelivery(reply),
        );
        if (!result.ok) return reply.code(403).send({ ok: false, reason: result.reason });
        return reply;
      },
    );
    app.post(
      '/privacy-centre/results/:token/send',
      {
        schema: {
          tags: ['privacy centre'],
          summary:
            'Send a portability result to another organisation’s HTTPS endpoint instead of downloading it (C5m.1)',
          description:
            'With the code. The endpoint must be HTTPS on a public address; the link is used up only when the receiver accepts (2xx). 502 when it refused or could not be reached: try again with a fresh code, or download.',
          params: resultParams,
          body: z.strictObject({
            code: z.string().regex(/^\d{6}$/, 'six digits'),
            endpoint: z.string().min(1).max(2000),
            authorization: z
              .string()
              .max(4096)
              .optional()
              .describe('An Authorization header value the receiving organisation gave the person'),
          }),
        },
        config: publicLimit,
      },
      async (request, reply) => {
        const result = await sendResult(ctx, { token: request.params.token, ...request.body });
        if (!result.ok) return reply.code(403).send({ ok: false, reason: result.reason });
        const { sent } = result;
        return reply.code(sent.ok ? 200 : 502).send({
          ok: sent.ok,
          host: sent.host,
          status: sent.status,
          ...(sent.ok ? {} : { reason: sent.reason }),
        });
      },
    );
    app.post(
      '/privacy-centre/requests/:id/withdraw',
      {
        schema: {
          tags: ['privacy centre'],
          summary: 'The requester withdraws the request',
          params: idParams,
          body: tokenBody,
        },
        config: publicLimit,
      },
      async (request, reply) => {
        await withdrawByRequester(ctx, { requestId: request.params.id, token: request.body.token });
        return reply.code(204).send();
      },
    );
  };
}
