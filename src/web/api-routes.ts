/** Website figures for operators, under /api/v1. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { actorOf, guard } from '../server/auth.js';
import { trafficFigures, trafficInput } from './traffic.js';

export function webApiRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/web/traffic',
      {
        schema: {
          tags: ['website'],
          summary: 'Visits, top pages, response times and banner choices per category, as aggregates',
          querystring: trafficInput,
        },
        onRequest: guard('web:read'),
      },
      async (request) => trafficFigures(ctx, actorOf(request), request.query),
    );
  };
}
