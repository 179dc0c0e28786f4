/**
 * Who is calling: an operator with a session cookie, or a client with an API key in
 * `Authorization: Bearer stw_...`. Routes declare the permission they need with `guard`.
 */
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import { authenticateApiKey, authenticateSession } from '../access/operators.js';
import type { Permission } from '../access/roles.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';

export const SESSION_COOKIE = 'steward_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionToken: string | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer stw_')) {
      request.actor = await authenticateApiKey(ctx, header.slice('Bearer '.length));
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined) return;
    const session = await authenticateSession(ctx, token);
    if (session === undefined) return;
    // Cookie-authenticated writes must be JSON: a cross-site form cannot send that without a
    // CORS preflight, which Steward never grants. SameSite=Strict is the second line.
    if (
      !SAFE_METHODS.has(request.method) &&
      !request.headers['content-type']?.startsWith('application/json')
    ) {
      throw new AppError('unsupported_media_type', 'Send state-changing requests as application/json.');
    }
    request.actor = session.actor;
    request.sessionToken = token;
  });
}

/** preHandler that answers 401 without an actor and 403 without the permission. */
export function guard(permission?: Permission) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const actor = request.actor;
    if (actor === undefined)
      throw new AppError('unauthenticated', 'Sign in or send an API key (Authorization: Bearer stw_...).');
    if (permission !== undefined) requirePermission(actor, permission);
  };
}

/** The actor of a guarded route. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === undefined) throw new AppError('unauthenticated', 'Sign in or send an API key.');
  return request.actor;
}
