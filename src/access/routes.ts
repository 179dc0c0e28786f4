import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, actorOf, guard, operatorGuard } from '../server/auth.js';
import {
  createApiKey,
  createApiKeyInput,
  createOperator,
  createOperatorInput,
  listOperators,
  revokeApiKey,
  signIn,
  signOut,
} from './operators.js';
import { permissions, roles } from './roles.js';

const operatorView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  permissions: z.array(z.enum(permissions)).readonly(),
});
const sessionBody = z.object({ operator: operatorView });

export function accessRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const secure = ctx.config.publicUrl.startsWith('https:');

    app.post(
      '/session',
      {
        schema: {
          tags: ['access'],
          summary: 'Sign in with email and password',
          body: z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
          response: { 200: sessionBody },
        },
        config: { public: 'signing in', rateLimit: { max: 10, timeWindow: '1 minute' } },
      },
      async (request, reply) => {
        const result = await signIn(ctx, request.body.email, request.body.password);
        if (!result.ok) {
          throw new AppError(
            'invalid_credentials',
            result.reason === 'locked'
              ? 'Too many failed attempts: this account is locked for 15 minutes.'
              : 'The email or password is not correct.',
          );
        }
        void reply.setCookie(SESSION_COOKIE, result.token, {
          httpOnly: true,
          secure,
          sameSite: 'strict',
          path: '/',
          expires: result.expiresAt,
        });
        return { operator: result.operator };
      },
    );

    app.get(
      '/session',
      {
        schema: { tags: ['access'], summary: 'The signed-in operator', response: { 200: sessionBody } },
        onRequest: operatorGuard(),
      },
      async (request) => {
        const actor = actorOf(request);
        if (actor.kind !== 'operator' || actor.role === undefined) {
          throw new AppError('unauthenticated', 'This endpoint is for signed-in operators.');
        }
        const operator = await ctx.store.db
          .selectFrom('operators')
          .select(['id', 'email', 'name'])
          .where('id', '=', actor.id)
          .executeTakeFirstOrThrow();
        return { operator: { ...operator, role: actor.role, permissions: [...actor.permissions] } };
      },
    );

    app.delete(
      '/session',
      { schema: { tags: ['access'], summary: 'Sign out' }, onRequest: operatorGuard() },
      async (request, reply) => {
        if (request.sessionToken !== undefined) await signOut(ctx, actorOf(request), request.sessionToken);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );

    app.get(
      '/operators',
      {
        schema: {
          tags: ['access'],
          summary: 'List operators',
          response: { 200: z.object({ operators: z.array(operatorView) }) },
        },
        onRequest: guard('operators:manage'),
      },
      async (request) => ({ operators: await listOperators(ctx, actorOf(request)) }),
    );

    app.post(
      '/operators',
      {
        schema: {
          tags: ['access'],
          summary: 'Create an operator; the password is generated and shown once unless given',
          body: createOperatorInput,
          response: { 201: z.object({ operator: operatorView, password: z.string() }) },
        },
        onRequest: guard('operators:manage'),
      },
      async (request, reply) =>
        reply.code(201).send(await createOperator(ctx, actorOf(request), request.body)),
    );

    app.post(
      '/api-keys',
      {
        schema: {
          tags: ['access'],
          summary: 'Create an API key limited to the given permissions; the key is shown once',
          body: createApiKeyInput,
          response: { 201: z.object({ id: z.string(), key: z.string(), scopes: z.array(z.string()) }) },
        },
        onRequest: guard('apikeys:manage'),
      },
      async (request, reply) => reply.code(201).send(await createApiKey(ctx, actorOf(request), request.body)),
    );

    app.delete(
      '/api-keys/:id',
      {
        schema: {
          tags: ['access'],
          summary: 'Revoke an API key',
          params: z.object({ id: z.string().max(64) }),
        },
        onRequest: guard('apikeys:manage'),
      },
      async (request, reply) => {
        await revokeApiKey(ctx, actorOf(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
