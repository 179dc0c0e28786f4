/**
 * Shared pieces for benchmarks: the group contract that `bench/run.ts` loads, the `name: value
 * unit` report line, wall-clock timing, temporary directories, test data and service checks.
 *
 * @example
 * // bench/thing.bench.ts
 * export const name = 'thing';
 * export async function run(report: Report): Promise<void> {
 *   const seconds = await measure(() => doWork(n));
 *   report('thing_ops_per_s', n / seconds, 'ops/s');
 * }
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { arch, cpus, platform, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Prints one figure. Without a unit the figure is a ratio or a count and prints with two decimals. */
export type Report = (name: string, value: number, unit?: string) => void;

/** What a `bench/*.bench.ts` file exports. */
export interface BenchGroup {
  readonly name: string;
  run(report: Report): Promise<void>;
}

/** Rates print as whole numbers; small values (ratios, milliseconds) keep two decimals. */
export function formatFigure(name: string, value: number, unit?: string): string {
  const shown = Math.abs(value) >= 100 ? String(Math.round(value)) : value.toFixed(2);
  return unit ? `${name}: ${shown} ${unit}` : `${name}: ${shown}`;
}

export const report: Report = (name, value, unit) => {
  process.stdout.write(`${formatFigure(name, value, unit)}\n`);
};

/** A note that is not a figure (skips, settings); starts with `#` so figure parsers skip it. */
export function note(text: string): void {
  process.stdout.write(`# ${text}\n`);
}

/** The machine the figures come from: CPU model, core count, Node version, OS. */
export function machine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${cores.length} cores, node ${process.version}, ${platform()} ${arch()}`;
}

/** Wall time of `fn` in seconds, from `process.hrtime.bigint()`. */
export async function measure(fn: () => unknown): Promise<number> {
  const elapsed = stopwatch();
  await fn();
  return elapsed();
}

/** Starts a wall clock; each call of the returned function gives the seconds since the start. */
export function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs `fn` with a fresh temporary directory, removed afterwards whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits `items` into slices of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A small seeded generator (mulberry32), so runs pick the same "random" keys. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A row shaped like a typical event: who, what, when, and a small JSON payload. */
export interface EventRow {
  id: string;
  subject: string;
  kind: string;
  at: string;
  payload: string;
}

const kinds = ['page_view', 'consent_given', 'form_submitted', 'email_opened', 'request_received'];
const epoch = Date.parse('2026-01-01T00:00:00.000Z');

/** `count` event rows with random UUID ids (so inserts land all over the primary-key index). */
export function eventRows(count: number): EventRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    subject: `sub_${(i * 7919) % 50_000}`,
    kind: kinds[i % kinds.length]!,
    at: new Date(epoch + i * 1000).toISOString(),
    payload: JSON.stringify({
      page: `/products/${i % 997}`,
      referrer: 'https://www.example.com/search?q=privacy',
      consent: ['analytics', 'marketing'],
      n: i,
    }),
  }));
}

export const postgresBenchUrl =
  process.env.STEWARD_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True when something accepts TCP connections at the URL's host and port. */
export function reachable(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || 5432), hostname, () => done(true));
  });
}
