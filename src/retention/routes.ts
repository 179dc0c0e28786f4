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
import {
  readRetentionPlan,
  readRetentionReceipts,
  readRetentionRun,
  readRetentionRuns,
  readRetentionStatus,
  runInput,
  runsInput,
  startRetentionRuns,
  sweepFilterInput,
} from './operate.js';

const counts = z.object({
  deleted: z.number(),
  anonymised: z.number(),
  held: z.number(),
  blocked: z
    .number()
    .optional()
    .describe('A connected system’s expired rows left because rows that stay refer to them'),
  busy: z
    .number()
    .optional()
    .describe(
      'A connected system’s expired rows other transactions held while it was swept: the next run takes them',
    ),
});
const runView = z
  .object({
    id: z.string(),
    declarationId: z.string(),
    declarationVersion: z.number().nullable(),
    ruleId: z.string(),
    system: z.string(),
    status: z.enum(['pending', 'running', 'done', 'failed']),
    trigger: z.string().describe('schedule, operator or cli'),
    requestedBy: z.string(),
    at: z.string().nullable().describe('The instant the run’s thresholds are computed from'),
    collections: z.record(z.string(), counts).describe('Per collection: rows deleted, anonymised, held'),
    holds: z.record(z.string(), z.number()).describe('Rows each legal hold kept, by hold id'),
    deleted: z.number(),
    anonymised: z.number(),
    held: z.number(),
    batches: z.number(),
    error: z.string().nullable(),
    receiptSeq: z.number().nullable().describe('The audit ledger entry that is the run’s receipt'),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
  })
  .describe('One sweep of a retention rule over one system');
const oldest = z
  .object({
    clock: z.string().describe('When the row’s clock started'),
    deadline: z.string().describe('When it expired'),
  })
  .nullable();
const ruleView = z.object({
  id: z.string(),
  duration: z.string(),
  trigger: z.string(),
  event: z.string().optional(),
  anchor: z.string().optional(),
  action: z.enum(['delete', 'anonymise']),
  statutory: z.string().optional(),
  rationale: z
    .union([z.string(), z.record(z.string(), z.string())])
    .describe('Why the period is necessary: one text, or one per language'),
});
const sweepStatus = z.object({
  declarationId: z.string(),
  rule: ruleView,
  system: z.string(),
  collections: z.array(z.string()),
  oldest: oldest.describe('The oldest expired row still there and not under a hold'),
  overdueSeconds: z.number().describe('How long that row has outlived its deadline'),
  alert: z.boolean().describe('The oldest row is overdue by more than a day and an hour: a sweep is behind'),
  lastRun: runView.nullable(),
  activeRun: runView.nullable(),
  nextRunAt: z.string(),
  problem: z
    .string()
    .optional()
    .describe('A connected system that could not be asked (unreachable, refused); counts as an alert'),
});
const plannedCollection = z.object({
  collection: z.string(),
  action: z.enum(['delete', 'anonymise']),
  delete: z.number(),
  anonymise: z.number(),
  held: z.number(),
  holds: z.record(z.string(), z.number()),
  oldest,
  blocked: z
    .number()
    .optional()
    .describe('Expired rows that stay while rows still there refer to them (a run removes those first)'),
});
const plan = z.object({
  at: z.string(),
  sweeps: z.array(
    z.object({
      declarationId: z.string(),
      ruleId: z.string(),
      rule: ruleView.pick({ duration: true, trigger: true, action: true, anchor: true, event: true }),
      system: z.string(),
      collections: z.array(plannedCollection),
      rows: z.number().describe('Rows that would be deleted or anonymised'),
      held: z.number(),
      oldest,
      problem: z.string().optional().describe('Why the system could not be asked; its counts are missing'),
    }),
  ),
});
const receipt = z.object({
  seq: z.number(),
  at: z.string(),
  hash: z.string(),
  run: z.string(),
  details: z.record(z.string(), z.unknown()),
});
const ruleParam = z.object({
  rule: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9_-]*$/, 'must be a retention rule id'),
});

/** Legal holds (C4f.2) and retention (C10.1): lifecycle events, rules, plan, runs, receipts. Registered under `/api/v1`. */
export function retentionRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/retention',
      {
        schema: {
          tags: ['retention'],
          summary:
            'Each retention rule per system: the oldest overdue row against its deadline, last and next run',
          querystring: sweepFilterInput,
          response: { 200: z.object({ sweeps: z.array(sweepStatus) }) },
        },
        onRequest: guard('retention:read'),
      },
      async (request) => ({ sweeps: await readRetentionStatus(ctx, actorOf(request), request.query) }),
    );
    app.get(
      '/retention/plan',
      {
        schema: {
          tags: ['retention'],
          summary:
            'Dry run: per rule and system, rows that would go now, rows held and by which hold, the oldest',
          querystring: sweepFilterInput,
          response: { 200: plan },
        },
        onRequest: guard('retention:read'),
      },
      async (request) => readRetentionPlan(ctx, actorOf(request), request.query),
    );
    app.post(
      '/retention/:rule/run',
      {
        schema: {
          tags: ['retention'],
          summary:
            'Run a retention rule now, on every system holding its data; joins a run already under way',
          params: ruleParam,
          body: runInput,
          response: { 202: z.object({ runs: z.array(runView), joined: z.number() }) },
        },
        onRequest: guard('retention:run'),
      },
      async (request, reply) =>
        reply
          .code(202)
          .send(
            await startRetentionRuns(ctx, actorOf(request), { rule: request.params.rule, ...request.body }),
          ),
    );
    app.get(
      '/retention/runs',
      {
        schema: {
          tags: ['retention'],
          summary: 'Retention runs, newest first',
          querystring: runsInput,
          response: { 200: z.object({ runs: z.array(runView) }) },
        },
        onRequest: guard('retention:read'),
      },
      async (request) => ({ runs: await readRetentionRuns(ctx, actorOf(request), request.query) }),
    );
    app.get(
      '/retention/runs/:id',
      {
        schema: {
          tags: ['retention'],
          summary: 'One retention run',
          params: z.object({ id: z.uuid('must be a run id') }),
          response: { 200: z.object({ run: runView }) },
        },
        onRequest: guard('retention:read'),
      },
      async (request) => ({ run: await readRetentionRun(ctx, actorOf(request), request.params.id) }),
    );
    app.get(
      '/retention/receipts',
      {
        schema: {
          tags: ['retention'],
          summary: 'Receipts of finished runs as the audit ledger holds them: counts, holds, times',
          querystring: runsInput,
          response: { 200: z.object({ receipts: z.array(receipt) }) },
        },
        onRequest: guard('retention:read'),
      },
      async (request) => ({ receipts: await readRetentionReceipts(ctx, actorOf(request), request.query) }),
    );
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
