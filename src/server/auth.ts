/**
 * Who is calling: an operator with a session cookie, or a client with an API key in
 * `Authorization: Bearer stw_...`. Routes declare the permission they need with `guard`, or say
 * why they are public with `config: { public: 'reason' }`; a route that does neither stops the
 * server from starting (see `routeTable`).
 */
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import { authenticateApiKey, authenticateSession } from '../access/operators.js';
import type { Permission } from '../access/roles.js';
import type { AppContext } from '../context.js';
import { AppError, forbidden } from '../errors.js';

export const SESSION_COOKIE = 'steward_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionToken: string | undefined;
  }
  interface FastifyContextConfig {
    /**
     * Why this route answers without a signed-in actor, such as "the person's signed link is the
     * key". A route has either a guard in `onRequest` or this reason, never both.
     */
    public?: string;
  }
}

/** Who may call a route, as its guard or its `config.public` declares. */
export type RouteAccess =
  /** An actor holding at least one of these permissions. */
  | { readonly kind: 'permission'; readonly anyOf: readonly Permission[] }
  /** Any operator or API key. */
  | { readonly kind: 'signed_in' }
  /** A signed-in operator (a session), not an API key. */
  | { readonly kind: 'operator' }
  | { readonly kind: 'public'; readonly reason: string };

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
  /** The route's input schemas (Zod), for tests that generate input. */
  readonly schema: FastifySchema | undefined;
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
/** What each guard hook checks, so the route table can be read back from the routes themselves. */
const guardAccess = new WeakMap<Hook, RouteAccess>();
const tables = new WeakMap<FastifyInstance, readonly RouteEntry[]>();

/** Every route of a ready server with who may call it (the role x route matrix test reads this). */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  const table = tables.get(app);
  if (table === undefined) throw new Error('routeTable: the server is not ready, or has no auth hook');
  return table;
}

function accessOf(route: RouteOptions): RouteAccess | string {
  const hooks = [route.onRequest ?? []].flat() as Hook[];
  const guards = hooks.flatMap((hook) => guardAccess.get(hook) ?? []);
  const reason = route.config?.public;
  if (guards.length > 1) return 'has more than one guard';
  if (guards[0] !== undefined && reason !== undefined) return 'has a guard and is also marked public';
  if (guards[0] !== undefined) return guards[0];
  if (typeof reason === 'string' && reason.trim() !== '') return { kind: 'public', reason };
  return 'has no guard in onRequest and no config.public reason';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  // Routes are read when the server is ready: a plugin's own onRoute hook (see `publicPlugin`)
  // may still mark its routes after this one has seen them.
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const problems: string[] = [];
    const table = routes.flatMap((route) =>
      [route.method].flat().map((method) => {
        const access = accessOf(route);
        if (typeof access === 'string') problems.push(`${method} ${route.url} ${access}`);
        return { method, url: route.url, access: access as RouteAccess, schema: route.schema };
      }),
    );
    if (problems.length > 0)
      throw new Error(
        `Every route needs onRequest: guard('permission') or config: { public: 'why' }:\n${problems.join('\n')}`,
      );
    tables.set(app, table);
  });

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

/**
 * onRequest hook that answers 401 without an actor and 403 without the permission (or, given a
 * list, without any of them: the use case then checks the one its input needs). Without a
 * permission, any actor passes.
 *
 * @example
 * onRequest: guard('subjects:read')
 * onRequest: guard(['requests:submit', 'requests:manage']) // the channel decides which
 */
export function guard(permission?: Permission | readonly Permission[]): Hook {
  const anyOf = permission === undefined ? [] : [permission].flat();
  const hook: Hook = async (request) => {
    const actor = request.actor;
    if (actor === undefined)
      throw new AppError('unauthenticated', 'Sign in or send an API key (Authorization: Bearer stw_...).');
    if (anyOf.length === 1) requirePermission(actor, anyOf[0] as Permission);
    else if (anyOf.length > 1 && !anyOf.some((p) => actor.permissions.has(p)))
      throw forbidden(`This needs one of the permissions ${anyOf.join(', ')}; your role has none of them.`);
  };
  guardAccess.set(hook, anyOf.length === 0 ? { kind: 'signed_in' } : { kind: 'permission', anyOf });
  return hook;
}

/** onRequest hook for the operator's own session: 401 without one (API keys included). */
export function operatorGuard(): Hook {
  const hook: Hook = async (request) => {
    if (request.actor?.kind !== 'operator' || request.actor.role === undefined)
      throw new AppError('unauthenticated', 'This endpoint is for signed-in operators.');
  };
  guardAccess.set(hook, { kind: 'operator' });
  return hook;
}

/**
 * Registers a third-party plugin whose routes are all public (API documentation, static files),
 * marking each with `reason`, since its routes cannot be given a config of ours.
 */
export function publicPlugin(reason: string, register: (scope: FastifyInstance) => PromiseLike<unknown>) {
  return async (scope: FastifyInstance): Promise<void> => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: route.config?.public ?? reason };
    });
    await register(scope);
  };
}

/** The actor of a guarded route. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === undefined) throw new AppError('unauthenticated', 'Sign in or send an API key.');
  return request.actor;
}
