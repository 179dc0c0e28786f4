/**
 * `steward start --role web|worker|all`: one build, several roles. The web role serves HTTP; the
 * worker role runs durable jobs and keeps recurring ones scheduled; `all` does both in one process.
 */
import { bootstrapAdministrator, closeContext, createContext } from '../app.js';
import type { Config } from '../config.js';
import { jobDefinitions, recurringJobs } from '../worker-jobs.js';
import { Worker } from '../jobs/queue.js';
import { ensureScheduled } from '../jobs/schedule.js';
import { buildServer } from '../server/server.js';

export type Role = 'web' | 'worker' | 'all';

export async function start(config: Config, role: Role): Promise<void> {
  const ctx = await createContext(config);
  const stops: (() => Promise<void>)[] = [];
  const timers: NodeJS.Timeout[] = [];

  if (role === 'web' || role === 'all') {
    const created = await bootstrapAdministrator(ctx).catch((error: unknown) => {
      ctx.log.warn({ err: error }, 'could not create the first administrator');
      return undefined;
    });
    const app = await buildServer(ctx);
    await app.listen({ host: config.host, port: config.port });
    stops.push(() => app.close());
    timers.push(
      setInterval(
        () =>
          void ctx.policies
            .refresh()
            .then(() => ctx.systems.refresh())
            .catch((e: unknown) => ctx.log.warn({ err: e }, 'declaration refresh failed')),
        30_000,
      ),
    );
    const lines = [
      '',
      `Steward is running at ${config.publicUrl} (${ctx.store.dialect}, role ${role})`,
      `  Demo site:        ${config.publicUrl}/ (an example company, with the banner)`,
      `  Privacy notices:  ${config.publicUrl}/privacy`,
      `  Privacy centre:   ${config.publicUrl}/privacy-centre`,
      `  Console:          ${config.publicUrl}/console/`,
      `  API reference:    ${config.publicUrl}/api/docs`,
    ];
    if (created !== undefined) {
      lines.push(
        '',
        `  First administrator created. Sign in once with:`,
        `    email:    ${created.email}`,
        `    password: ${created.password}`,
        '  This password is shown only now; keep it somewhere safe.',
      );
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }

  if (role === 'worker' || role === 'all') {
    const worker = new Worker(ctx, jobDefinitions, { concurrency: config.workerConcurrency });
    const schedule = () =>
      Promise.all(recurringJobs.map((r) => ensureScheduled(ctx, r.definition, r.periodMs))).catch(
        (e: unknown) => ctx.log.warn({ err: e }, 'scheduling failed'),
      );
    await schedule();
    timers.push(setInterval(() => void schedule(), 60_000));
    worker.start();
    stops.push(() => worker.stop());
    ctx.log.info({ owner: worker.owner }, 'worker started');
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    for (const t of timers) clearInterval(t);
    void Promise.all(stops.map((s) => s()))
      .then(() => closeContext(ctx))
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
