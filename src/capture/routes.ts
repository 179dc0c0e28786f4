import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { actorOf, guard } from '../server/auth.js';
import { captureInput, captureRecord } from './capture-record.js';

export function captureRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/records',
      {
        schema: {
          tags: ['capture'],
          summary: 'Record personal data as it enters, for declared purposes only',
          body: captureInput,
        },
        onRequest: guard('subjects:write'),
      },
      async (request, reply) =>
        reply.code(201).send(await captureRecord(ctx, actorOf(request), request.body)),
    );
  };
}
