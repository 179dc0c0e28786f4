import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, guard } from '../server/auth.js';
import {
  listLegalHolds,
  placeHoldInput,
  placeLegalHold,
  releaseHoldInput,
  releaseLegalHold,
} from './holds.js';
import { lifecycleEventInput, reportLifecycleEvent } from './report-lifecycle-event.js';

/** Legal holds (C4f.2) and lifecycle events (C10.1). Registered under `/api/v1`. */
export function retentionRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/subjects/:id/holds',
      {
        schema: {
          tags: ['retention'],
          summary: 'Place a legal hold on a subject’s data, or on some data categories of it',
          params: z.object({ id: z.uuid('must be a subject id') }),
          body: placeHoldInput,
        },
        onRequest: guard('holds:manage'),
      },
      async (request, reply) =>
        reply
          .code(201)
          .send({ hold: await placeLegalHold(ctx, actorOf(request), request.params.id, request.body) }),
    );
    app.get(
      '/subjects/:id/holds',
      {
        schema: {
          tags: ['retention'],
          summary: 'A subject’s legal holds, in force and released',
          params: z.object({ id: z.uuid('must be a subject id') }),
        },
        onRequest: guard('requests:read'),
      },
      async (request) => ({ holds: await listLegalHolds(ctx, actorOf(request), request.params.id) }),
    );
    app.post(
      '/lifecycle-events',
      {
        schema: {
          tags: ['retention'],
          summary:
            'Report a lifecycle event (a contract ended, an order was delivered) that starts retention clocks; an exact duplicate changes nothing',
          body: lifecycleEventInput,
        },
        onRequest: guard('lifecycle:write'),
      },
      async (request, reply) => {
        const reported = await reportLifecycleEvent(ctx, actorOf(request), request.body, 'api');
        return reply.code(reported.duplicate ? 200 : 201).send(reported);
      },
    );
    app.post(
      '/holds/:id/release',
      {
        schema: {
          tags: ['retention'],
          summary: 'Release a legal hold, with the reason',
          params: z.object({ id: z.uuid('must be a hold id') }),
          body: releaseHoldInput,
        },
        onRequest: guard('holds:manage'),
      },
      async (request) => ({
        hold: await releaseLegalHold(ctx, actorOf(request), request.params.id, request.body),
      }),
    );
  };
}
