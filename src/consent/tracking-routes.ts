import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { recordClick } from './track-clicks.js';

/** `/t/:token`: a tracked link in a marketing message. */
export function trackingRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/t/:token',
      {
        schema: { hide: true, params: z.object({ token: z.string().max(4096) }) },
        config: { public: 'a link in a message: the signed token is the key' },
      },
      async (request, reply) => {
        const result = await recordClick(ctx, request.params.token);
        if (!result.ok) throw new AppError('invalid_token', 'This link is not valid.');
        return reply
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .redirect(result.destination, 302);
      },
    );
  };
}
