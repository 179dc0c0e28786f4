/**
 * Durable background work. A job is data: an id, a type, a payload version and a payload that its
 * definition's schema validates. Workers claim jobs with a lease; a worker that dies (or hangs)
 * loses its lease when it expires and another worker takes the job up again. On PostgreSQL the
 * claim uses FOR UPDATE SKIP LOCKED, so many processes on many machines share one queue.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Store } from '../store/database.js';
import type { JobTable } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  /** Bump when the payload shape changes; the handler receives the version it was enqueued with. */
  readonly version: number;
  readonly payload: S;
  readonly maxAttempts?: number;
  /**
   * How long a claim lasts before another worker may take the job; renewed while running. A
   * function reads it from the settings (`ctx.config`) of the worker's process.
   */
  readonly leaseMs?: number | ((ctx: AppContext) => number);
  readonly handler: (
    ctx: AppContext,
    payload: z.infer<S>,
    /** `owner`: the worker whose lease this attempt runs under (`Worker.owner`). */
    job: { id: string; attempt: number; version: number; owner: string },
  ) => Promise<unknown>;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

export interface EnqueueOptions {
  readonly runAt?: Date;
  /** A caller-chosen id makes enqueueing idempotent: a second enqueue with the same id is ignored. */
  readonly id?: string;
}

/** Adds a job inside the caller's transaction (or on its own), validating the payload first. */
export async function enqueue<S extends z.ZodType>(
  tx: Tx,
  clock: AppContext['clock'],
  definition: JobDefinition<S>,
  payload: z.input<S>,
  options: EnqueueOptions = {},
): Promise<string> {
  const value = definition.payload.parse(payload);
  const now = clock.now().toISOString();
  const id = options.id ?? randomUUID();
  await tx
    .insertInto('jobs')
    .values({
      id,
      type: definition.type,
      version: definition.version,
      payload: JSON.stringify(value),
      status: 'pending',
      run_at: (options.runAt ?? clock.now()).toISOString(),
      attempts: 0,
      max_attempts: definition.maxAttempts ?? 5,
      lease_owner: null,
      lease_expires_at: null,
      claimed_by: null,
      last_error: null,
      result: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return id;
}

type JobRow = JobTable;

const DEFAULT_LEASE_MS = 60_000;

/** The lease a worker in this context takes on a job of `definition`. */
export function leaseOf(ctx: AppContext, definition: Pick<JobDefinition, 'leaseMs'>): number {
  const { leaseMs } = definition;
  return typeof leaseMs === 'function' ? leaseMs(ctx) : (leaseMs ?? DEFAULT_LEASE_MS);
}

/**
 * Claims the next due job (or one whose lease expired) for `owner`, leasing it for its type's
 * `leaseMs`; undefined when none is due.
 */
export async function claimJob(
  store: Store,
  owner: string,
  leases: ReadonlyMap<string, number>,
  now: Date,
): Promise<JobRow | undefined> {
  if (leases.size === 0) return undefined;
  const at = now.toISOString();
  const until = sql.join(
    [...leases].map(([type, ms]) => sql`when ${type} then ${new Date(now.getTime() + ms).toISOString()}`),
    sql` `,
  );
  const lock = store.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<JobRow>`
    update jobs set status = 'running', lease_owner = ${owner}, claimed_by = ${owner},
      lease_expires_at = case type ${until} end,
      attempts = attempts + 1, updated_at = ${at}
    where id = (
      select id from jobs
      where type in (${sql.join([...leases.keys()])})
        and ((status = 'pending' and run_at <= ${at}) or (status = 'running' and lease_expires_at < ${at}))
      order by run_at
      limit 1
      ${lock}
    )
    returning *`.execute(store.db);
  return result.rows[0];
}

export interface WorkerOptions {
  readonly concurrency?: number;
  readonly pollMs?: number;
  readonly owner?: string;
}

/**
 * Runs registered job types until stopped. Each slot polls for work; a claimed job's lease is
 * renewed at a third of its length while the handler runs.
 */
export class Worker {
  readonly owner: string;
  private readonly definitions = new Map<string, JobDefinition>();
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly ctx: AppContext,
    definitions: readonly JobDefinition[],
    private readonly options: WorkerOptions = {},
  ) {
    for (const d of definitions) this.definitions.set(d.type, d);
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const slots = this.options.concurrency ?? 1;
    this.loops = Array.from({ length: slots }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  /** Runs due jobs until none is left; for the CLI and tests. Returns how many ran. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count += 1;
    return count;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ran = await this.runOne().catch((error: unknown) => {
        this.ctx.log.error({ err: error }, 'job loop failed');
        return false;
      });
      if (!ran && this.running) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            this.wakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, this.options.pollMs ?? 1000);
          this.wakers.add(wake);
        });
      }
    }
  }

  private async runOne(): Promise<boolean> {
    const leases = new Map([...this.definitions].map(([type, d]) => [type, leaseOf(this.ctx, d)]));
    const job = await claimJob(this.ctx.store, this.owner, leases, this.ctx.clock.now());
    if (job === undefined) return false;
    const definition = this.definitions.get(job.type);
    if (definition === undefined) return false;
    if (job.attempts > job.max_attempts) {
      // Its earlier workers died (or hung) every time: stop taking it up.
      await this.finish(job, {
        status: 'dead',
        last_error: job.last_error ?? 'the worker running it stopped before it finished, every attempt',
      });
      return true;
    }
    const lease = leases.get(job.type) ?? DEFAULT_LEASE_MS;
    const renew = setInterval(() => {
      const until = new Date(this.ctx.clock.now().getTime() + lease).toISOString();
      this.ctx.store.db
        .updateTable('jobs')
        .set({ lease_expires_at: until })
        .where('id', '=', job.id)
        .where('lease_owner', '=', this.owner)
        .execute()
        .catch((error: unknown) => this.ctx.log.warn({ err: error, job: job.id }, 'lease renewal failed'));
    }, lease / 3);
    try {
      const payload: unknown = definition.payload.parse(JSON.parse(job.payload));
      const result = await definition.handler(this.ctx, payload, {
        id: job.id,
        attempt: job.attempts,
        version: job.version,
        owner: this.owner,
      });
      await this.finish(job, { status: 'done', result: JSON.stringify(result ?? null), last_error: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const dead = job.attempts >= job.max_attempts;
      const retryAt = new Date(
        this.ctx.clock.now().getTime() + Math.min(2 ** job.attempts * 1000, 3_600_000),
      );
      this.ctx.log.warn(
        { job: job.id, type: job.type, attempt: job.attempts, dead, err: message },
        'job failed',
      );
      await this.finish(
        job,
        dead
          ? { status: 'dead', last_error: message }
          : { status: 'pending', last_error: message, run_at: retryAt.toISOString() },
      );
    } finally {
      clearInterval(renew);
    }
    return true;
  }

  private async finish(
    job: JobRow,
    changes: Partial<Pick<JobRow, 'status' | 'result' | 'last_error' | 'run_at'>>,
  ): Promise<void> {
    const result = await this.ctx.store.db
      .updateTable('jobs')
      .set({
        ...changes,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: this.ctx.clock.now().toISOString(),
      })
      .where('id', '=', job.id)
      .where('lease_owner', '=', this.owner)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      this.ctx.log.warn(
        { job: job.id, type: job.type, status: changes.status },
        'job finished after its lease was lost; another worker owns it now',
      );
    }
  }
}
