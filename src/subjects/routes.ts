import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { actorOf, guard } from '../server/auth.js';
import {
  confirmIdentifier,
  confirmIdentifierInput,
  linkIdentifier,
  linkIdentifierInput,
  mergeSubjects,
  mergeSubjectsInput,
} from './merge-subjects.js';
import {
  closeNoticeTask,
  closeNoticeTaskInput,
  findSubject,
  findSubjectInput,
  listNoticeTasks,
  openSubject,
  openSubjectInput,
} from './view-subject.js';

export function subjectRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/subjects',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Find the subject an identifier belongs to',
          querystring: findSubjectInput,
        },
        onRequest: guard('subjects:read'),
      },
      async (request) => {
        const found = await findSubject(ctx, actorOf(request), request.query);
        if (found === undefined) throw notFound('No subject with that identifier');
        return { subject: found };
      },
    );
    app.get(
      '/subjects/:id',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Open a subject’s data; the stated purpose is audited',
          params: z.object({ id: z.uuid('must be a subject id') }),
          querystring: openSubjectInput,
        },
        onRequest: guard('subjects:read'),
      },
      async (request) => ({
        subject: await openSubject(ctx, actorOf(request), request.params.id, request.query),
      }),
    );
    app.post(
      '/subjects/:id/identifiers',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Link an identifier to a subject (audited with the reason)',
          params: z.object({ id: z.uuid() }),
          body: linkIdentifierInput,
        },
        onRequest: guard('subjects:write'),
      },
      async (request, reply) =>
        reply.code(201).send(await linkIdentifier(ctx, actorOf(request), request.params.id, request.body)),
    );
    app.post(
      '/subjects/:id/identifiers/:identifierId/confirm',
      {
        schema: {
          tags: ['subjects'],
          summary:
            'Settle a claimed identifier: it is this person’s, so codes and results may go to it (audited with the reason)',
          params: z.object({ id: z.uuid(), identifierId: z.uuid() }),
          body: confirmIdentifierInput,
        },
        onRequest: guard('subjects:write'),
      },
      async (request, reply) => {
        await confirmIdentifier(
          ctx,
          actorOf(request),
          request.params.id,
          request.params.identifierId,
          request.body,
        );
        return reply.code(204).send();
      },
    );
    app.post(
      '/subjects/:id/merge',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Merge another record of the same person into this one (audited with the reason)',
          params: z.object({ id: z.uuid() }),
          body: mergeSubjectsInput,
        },
        onRequest: guard('subjects:write'),
      },
      async (request, reply) => {
        await mergeSubjects(ctx, actorOf(request), request.params.id, request.body);
        return reply.code(204).send();
      },
    );
    app.get(
      '/notice-tasks',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Notices owed for data from indirect sources (Art. 14)',
          querystring: z.strictObject({ status: z.enum(['open', 'sent', 'exempt']).default('open') }),
        },
        onRequest: guard('subjects:read'),
      },
      async (request) => ({ tasks: await listNoticeTasks(ctx, actorOf(request), request.query.status) }),
    );
    app.post(
      '/notice-tasks/:id/close',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Mark a notice as sent, or exempt with reasons',
          params: z.object({ id: z.uuid() }),
          body: closeNoticeTaskInput,
        },
        onRequest: guard('subjects:write'),
      },
      async (request, reply) => {
        await closeNoticeTask(ctx, actorOf(request), request.params.id, request.body);
        return reply.code(204).send();
      },
    );
  };
}
