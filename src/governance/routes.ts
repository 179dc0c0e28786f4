import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, guard } from '../server/auth.js';
import { listDisclosures, recordDisclosure, recordDisclosureInput } from './record-disclosure.js';

export function governanceRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/disclosures',
      {
        schema: {
          tags: ['governance'],
          summary: 'Record a disclosure to a declared recipient',
          body: recordDisclosureInput,
        },
        onRequest: guard('disclosures:write'),
      },
      async (request, reply) =>
        reply.code(201).send({ disclosure: await recordDisclosure(ctx, actorOf(request), request.body) }),
    );
    app.get(
      '/disclosures',
      {
        schema: {
          tags: ['governance'],
          summary: 'The disclosure register',
          querystring: z.strictObject({
            subjectRef: z.string().max(200).optional(),
            recipientId: z.string().max(100).optional(),
          }),
        },
        onRequest: guard('disclosures:read'),
      },
      async (request) => ({ disclosures: await listDisclosures(ctx, actorOf(request), request.query) }),
    );
  };
}
