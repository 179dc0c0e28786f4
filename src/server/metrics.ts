/**
 * Prometheus metrics at /metrics: request counts and durations by route, the job queue, and
 * retention per rule and system (how long the oldest expired row has outlived its deadline, the
 * alert when a sweep is behind, the last and next run). No personal data: rule ids and counts.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../context.js';
import type { SweepStatus } from '../retention/status.js';
import { retentionStatus } from '../retention/status.js';

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** The retention gauges, read together once per scrape. */
function registerRetentionMetrics(registry: Registry, ctx: AppContext): void {
  const labelNames = ['declaration', 'rule', 'system'] as const;
  const labels = (s: SweepStatus) => ({ declaration: s.declarationId, rule: s.rule.id, system: s.system });
  let pending: Promise<SweepStatus[]> | undefined;
  // The four gauges are collected one after another in one scrape: they share one reading.
  const read = () => {
    pending ??= retentionStatus(ctx).finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };
  const gauge = (name: string, help: string, value: (s: SweepStatus) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const statuses = await read();
        this.reset();
        for (const s of statuses) {
          const v = value(s);
          if (v !== undefined) this.set(labels(s), v);
        }
      },
    });
  gauge(
    'steward_retention_overdue_seconds',
    'How long the oldest expired row that is not under a legal hold has outlived its deadline',
    (s) => s.overdueSeconds,
  );
  gauge(
    'steward_retention_alert',
    '1 when the oldest expired row is overdue by more than a schedule period and an hour: a sweep is behind',
    (s) => (s.alert ? 1 : 0),
  );
  gauge(
    'steward_retention_last_run_timestamp_seconds',
    'When the last run of the rule over the system ended',
    (s) => (s.lastRun?.endedAt == null ? undefined : seconds(s.lastRun.endedAt)),
  );
  gauge('steward_retention_next_run_timestamp_seconds', 'When the schedule next asks for a run', (s) =>
    seconds(s.nextRunAt),
  );
}

export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'steward_' });
  const duration = new Histogram({
    name: 'steward_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'steward_http_errors_total',
    help: 'Responses with status >= 500',
    labelNames: ['route'],
    registers: [registry],
  });
  new Gauge({
    name: 'steward_jobs',
    help: 'Jobs by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await ctx.store.db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      this.reset();
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  registerRetentionMetrics(registry, ctx);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) errors.inc({ route });
  });
  const reason = 'Prometheus scrapes it: counts and durations by route, no personal data';
  app.get('/metrics', { schema: { hide: true }, config: { public: reason } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
