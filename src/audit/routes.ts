import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { guard } from '../server/auth.js';
import { MAX_STORED_INTEGER } from '../store/database.js';
import { verifyLedger } from './ledger.js';

export function auditRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary: 'Verify the hash chain of the audit ledger',
          response: {
            200: z.object({
              ok: z.boolean(),
              entries: z.number(),
              headHash: z.string().optional(),
              firstBad: z.object({ seq: z.number(), reason: z.string() }).optional(),
            }),
          },
        },
        onRequest: guard('audit:read'),
      },
      () => verifyLedger(ctx.store),
    );
    app.get(
      '/audit/entries',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit entries, newest first',
          querystring: z.strictObject({
            before: z.coerce.number().int().positive().max(MAX_STORED_INTEGER).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            action: z.string().max(100).optional(),
          }),
        },
        onRequest: guard('audit:read'),
      },
      async (request) => {
        let query = ctx.store.db
          .selectFrom('audit_log')
          .selectAll()
          .orderBy('seq', 'desc')
          .limit(request.query.limit);
        if (request.query.before !== undefined) query = query.where('seq', '<', request.query.before);
        if (request.query.action !== undefined) query = query.where('action', '=', request.query.action);
        const rows = await query.execute();
        return { entries: rows.map((r) => ({ ...r, details: JSON.parse(r.details) as unknown })) };
      },
    );
  };
}
