/**
 * The Data Rights Protocol 1.0 endpoints a Covered Business serves, mounted at the root
 * (`/v1/...`), each with and without a trailing slash (clients before 0.9.3 send one). Bodies
 * are `text/plain` base64 of a signed message; answers and errors are the protocol's own shapes
 * (`{ code, message, fatal }`), not Steward's `{ error }`. The pairing endpoint answers every
 * failure with a bare 403, as the protocol requires.
 */
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  RouteShorthandOptions,
} from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { toErrorBody } from '../../server/errors.js';
import type { DrpAgentTable } from '../../store/schema.js';
import { authenticateDrpAgent, isDrpBusiness, pairDrpAgent } from './agents.js';
import { agentRequest, exerciseRight, revokeRequest } from './exercise.js';
import {
  checkEnvelope,
  describeIssues,
  drpError,
  drpRequestMessage,
  drpRevokeMessage,
  failureMessages,
  openSigned,
  verifyKeyObject,
} from './protocol.js';
import { bindRevoke, contentKey } from './replay.js';
import { statusOf } from './status.js';

/** A signed request is a few kilobytes at most; anything larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

const ENVELOPE_CLAIMS = ['agent-id', 'business-id', 'issued-at', 'expires-at'] as const;

/** The message's fields after its envelope checked out: 400 naming each bad field. */
function fields<S extends z.ZodType>(schema: S, message: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(message);
  if (!parsed.success)
    throw new AppError('validation_failed', `Invalid request: ${describeIssues(parsed.error)}.`);
  return parsed.data;
}

type Handler<P> = (request: FastifyRequest<{ Params: P }>, reply: FastifyReply) => Promise<unknown>;

/** Registers `path` and `path/`; only the first appears in the OpenAPI description. */
function both<P>(
  fastify: FastifyInstance,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: RouteShorthandOptions & { schema: { summary: string; description?: string } },
  handler: Handler<P>,
): void {
  for (const url of [path, `${path}/`]) {
    fastify.route<{ Params: P }>({
      ...options,
      method,
      url,
      schema: { tags: ['drp'], security: [], ...options.schema, ...(url === path ? {} : { hide: true }) },
      // Not an operator's or an API key's route: DRP agents bring their pairwise token, checked below.
      config: { ...options.config, public: 'DRP agents: their pairwise token is checked by this plugin' },
      handler,
    });
  }
}

/**
 * The DRP plugin. Register it at the root of the server, after the auth hook:
 *
 * @example
 * await app.register(drpRoutes(ctx));
 */
export function drpRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    // Bodies are text/plain base64 by the protocol; any type is read as text, since the signature,
    // not the header, says what the body is (and no cookie ever authenticates these routes).
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
      (_request, body, done) => done(null, body),
    );
    fastify.setErrorHandler((error, request, reply) => {
      const { status, body, unexpected } = toErrorBody(error);
      if (unexpected) request.log.error({ err: error }, 'unexpected error');
      else request.log.info({ code: body.error.code }, 'DRP request refused');
      void reply.code(status).send(drpError(status, body.error.message));
    });

    // The agent is found in onRequest, before the body is read: a caller without a valid token
    // learns nothing about the input these routes take.
    const agents = new WeakMap<FastifyRequest, DrpAgentTable>();
    const authenticate = async (request: FastifyRequest): Promise<void> => {
      const agent = await authenticateDrpAgent(ctx, request.headers.authorization);
      if (agent === undefined)
        throw new AppError(
          'forbidden',
          'Send the pairwise token from POST /v1/agent/{agent-id} as Authorization: Bearer <token>.',
        );
      agents.set(request, agent);
    };
    const agentOf = (request: FastifyRequest): DrpAgentTable => {
      const agent = agents.get(request);
      if (agent === undefined) throw new Error('DRP route without the agent hook');
      return agent;
    };

    /** Checks 1 and 2: base64, then the signature with this agent's key. */
    const open = (agent: DrpAgentTable, body: unknown): Record<string, unknown> => {
      const opened = openSigned(body, verifyKeyObject(agent.verify_key));
      if (opened.ok) return opened.message;
      if (opened.failure === 'not_json' || opened.failure === 'too_deep')
        throw new AppError('validation_failed', failureMessages[opened.failure]);
      throw new AppError('forbidden', failureMessages[opened.failure]);
    };

    /** Checks 3 to 6: agent, business, issued-at, expires-at. Returns the business (declaration) id. */
    const envelope = (agent: DrpAgentTable, message: Record<string, unknown>): string => {
      const checked = checkEnvelope(message, {
        agentId: agent.id,
        isOurBusiness: (id) => isDrpBusiness(ctx, id),
        now: ctx.clock.now(),
      });
      if (!checked.ok) throw new AppError('forbidden', failureMessages[checked.failure]);
      return checked.businessId;
    };

    both<{ agentId: string }>(
      fastify,
      'POST',
      '/v1/agent/:agentId',
      {
        schema: {
          summary: 'DRP pairwise key set-up: a message signed by a trusted agent gets a bearer token',
          description: 'Answers `{ "agent-id", "token" }`, or 403 with no body.',
        },
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (request, reply) => {
        const result = await pairDrpAgent(ctx, request.params.agentId, request.body);
        if (!result.ok) return reply.code(403).send();
        void reply.header('cache-control', 'no-store');
        return { 'agent-id': result.agentId, token: result.token };
      },
    );

    both<{ agentId: string }>(
      fastify,
      'GET',
      '/v1/agent/:agentId',
      { schema: { summary: 'DRP agent information: `{}` while the bearer token is valid for this agent' } },
      async (request) => {
        const agent = await authenticateDrpAgent(ctx, request.headers.authorization);
        if (agent === undefined || agent.id !== request.params.agentId)
          throw new AppError('forbidden', 'This bearer token is not valid for this agent.');
        return {};
      },
    );

    both<Record<string, never>>(
      fastify,
      'POST',
      '/v1/data-rights-request',
      {
        schema: {
          summary: 'DRP: exercise a right (access, deletion, sale opt-out/in) for a person',
          description:
            'Body: text/plain base64 of the Ed25519 signature followed by the JSON request. Answers the status object.',
        },
        onRequest: authenticate,
      },
      async (request) => {
        const agent = agentOf(request);
        const message = open(agent, request.body);
        const businessId = envelope(agent, message);
        const exercise = fields(drpRequestMessage, message);
        return exerciseRight(ctx, agent.id, businessId, exercise, contentKey('create', message));
      },
    );

    both<{ requestId: string }>(
      fastify,
      'GET',
      '/v1/data-rights-request/:requestId',
      { schema: { summary: 'DRP: the status of a request this agent made' }, onRequest: authenticate },
      async (request) => {
        const agent = agentOf(request);
        return statusOf(ctx, await agentRequest(ctx, agent.id, request.params.requestId));
      },
    );

    both<{ requestId: string }>(
      fastify,
      'DELETE',
      '/v1/data-rights-request/:requestId',
      {
        schema: {
          summary: 'DRP: revoke a request this agent made',
          description:
            'Body: signed `{ "reason" }`; when the message also carries the envelope claims (agent-id, business-id, issued-at, expires-at), they are checked as for a new request.',
        },
        onRequest: authenticate,
      },
      async (request) => {
        const agent = agentOf(request);
        const message = open(agent, request.body);
        const dated = ENVELOPE_CLAIMS.some((claim) => claim in message);
        if (dated) envelope(agent, message);
        const { reason } = fields(drpRevokeMessage, message);
        // A message with the envelope claims is one act at one moment: it revokes the request it
        // was first sent for and no other. A bare `{ reason }` (all DRP 1.0 requires) carries
        // nothing to bind it to, so the same words may revoke several requests.
        if (dated) await bindRevoke(ctx, agent.id, contentKey('revoke', message), request.params.requestId);
        return revokeRequest(ctx, agent.id, request.params.requestId, reason);
      },
    );
  };
}
