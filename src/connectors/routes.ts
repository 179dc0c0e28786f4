import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, guard } from '../server/auth.js';
import { MAX_STORED_INTEGER } from '../store/database.js';
import { checkSystem } from './check-system.js';
import { datasetVersions, listSystems, readDataset } from './list-systems.js';

const idParam = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, 'must be a system id')
    .max(100),
});
const versionParams = idParam.extend({
  number: z.coerce.number().int().positive().max(MAX_STORED_INTEGER),
});

/** Connected systems: list, connection checks, dataset maps. Registered under `/api/v1`. */
export function systemRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/systems',
      {
        schema: {
          tags: ['systems'],
          summary: 'Declared connected systems: configured or not, dataset in force, last connection check',
        },
        onRequest: guard('systems:read'),
      },
      async (request) => ({ systems: await listSystems(ctx, actorOf(request)) }),
    );
    app.post(
      '/systems/:id/check',
      {
        schema: {
          tags: ['systems'],
          summary: 'Check the connection to a system: server version and latency, or what went wrong',
          params: idParam,
        },
        onRequest: guard('systems:manage'),
      },
      async (request) => ({ check: await checkSystem(ctx, actorOf(request), request.params.id) }),
    );
    app.get(
      '/systems/:id/dataset',
      {
        schema: {
          tags: ['systems'],
          summary: 'The dataset in force: the reviewed map of the system’s personal data',
          params: idParam,
        },
        onRequest: guard('systems:read'),
      },
      async (request) => readDataset(ctx, actorOf(request), request.params.id),
    );
    app.get(
      '/systems/:id/dataset/versions',
      {
        schema: { tags: ['systems'], summary: 'Published versions of a system’s dataset', params: idParam },
        onRequest: guard('systems:read'),
      },
      async (request) => ({ versions: await datasetVersions(ctx, actorOf(request), request.params.id) }),
    );
    app.get(
      '/systems/:id/dataset/versions/:number',
      {
        schema: {
          tags: ['systems'],
          summary: 'One published version of a system’s dataset',
          params: versionParams,
        },
        onRequest: guard('systems:read'),
      },
      async (request) => readDataset(ctx, actorOf(request), request.params.id, request.params.number),
    );
  };
}
