/**
 * The `web` group: the size of the browser script (banner and analytics, JS and CSS, gzip -9)
 * and how many website events per second the HTTP endpoint takes into SQLite (and PostgreSQL
 * when reachable), with the raw batched-insert rate of the same rows beside it.
 *
 * Ingestion is measured the way browsers send: batches of 50 events as text/plain JSON, 32
 * requests in flight over keep-alive connections, from 50 visitors who gave analytics consent
 * (so every batch is checked against the ledger through the token cache). Steward runs as it
 * does in production, `steward start --role web` in its own process; this process is the
 * client. Both share the machine's cores.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createContext, createLogger } from '../src/app.js';
import type { AppContext } from '../src/context.js';
import { packageRoot } from '../src/config.js';
import { transaction } from '../src/store/transaction.js';
import type { WebEventRow } from '../src/web/store-events.js';
import { insertWebEvents } from '../src/web/store-events.js';
import { testConfig } from '../test/support/app.js';
import type { Report } from './support.js';
import { note, postgresBenchUrl, reachable, stopwatch, withTempDir } from './support.js';

export const name = 'web';

const DECLARATION = 'sncn-general';
const EVENTS = 200_000;
const PER_BATCH = 50;
const IN_FLIGHT = 32;
const VISITORS = 50;
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const types = ['page_view', 'click', 'scroll', 'timing', 'time_on_page'] as const;

function post(
  agent: Agent,
  port: number,
  path: string,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function batchBody(token: string, n: number): string {
  const at = Date.now();
  return JSON.stringify({
    id: randomBytes(12).toString('base64url'),
    declarationId: DECLARATION,
    token,
    page: `https://www.example.com/products/${n % 997}`,
    referrer: 'https://search.example.net/',
    events: Array.from({ length: PER_BATCH }, (_, i) => {
      const type = types[(n + i) % types.length]!;
      return { type, at, ...(type === 'click' ? { target: 'BUTTON', label: 'buy' } : { value: 40 + i }) };
    }),
  });
}

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `steward start --role web` on `databaseUrl`, answering on the returned port once healthy. */
async function startSteward(databaseUrl: string, dataDir: string, secret: Buffer) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), 'start', '--role', 'web'],
    {
      cwd: packageRoot,
      env: {
        PATH: process.env.PATH ?? '',
        STEWARD_DATABASE_URL: databaseUrl,
        STEWARD_DATA_DIR: dataDir,
        STEWARD_SECRET: secret.toString('base64'),
        STEWARD_PORT: String(port),
        STEWARD_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 90_000;
  for (;;) {
    const healthy = await new Promise<boolean>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
        .on('error', () => resolve(false))
        .end();
    });
    if (healthy) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error('steward start did not become healthy');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Events per second through POST /web/v1/events of a Steward running in its own process. */
async function ingestHttp(port: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  try {
    const config = JSON.parse(
      await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: `/web/v1/config/${DECLARATION}` }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      }),
    ) as { version: string };
    const tokens: string[] = [];
    for (let v = 0; v < VISITORS; v += 1) {
      const res = await post(
        agent,
        port,
        '/web/v1/consent',
        JSON.stringify({
          declarationId: DECLARATION,
          version: config.version,
          categories: { analytics: true },
          gpc: false,
          language: 'en',
          via: 'save',
        }),
      );
      if (res.status !== 200) throw new Error(`consent answered ${res.status}: ${res.body}`);
      tokens.push((JSON.parse(res.body) as { token: string }).token);
    }
    const batches = EVENTS / PER_BATCH;
    const bodies = Array.from({ length: batches }, (_, n) => batchBody(tokens[n % VISITORS]!, n));
    const warm = await post(agent, port, '/web/v1/events', batchBody(tokens[0]!, 0));
    if (warm.status !== 202) throw new Error(`events answered ${warm.status}: ${warm.body}`);
    let next = 0;
    const elapsed = stopwatch();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await post(agent, port, '/web/v1/events', body);
          if (res.status !== 202) throw new Error(`events answered ${res.status}: ${res.body.slice(0, 300)}`);
        }
      }),
    );
    return EVENTS / elapsed();
  } finally {
    agent.destroy();
  }
}

/** The same number of rows straight into the table, one transaction per batch. */
async function rawInserts(ctx: AppContext): Promise<number> {
  const at = new Date().toISOString();
  const row = (n: number): WebEventRow => ({
    declaration_id: DECLARATION,
    at,
    day: at.slice(0, 10),
    type: types[n % types.length]!,
    purpose: 'website_analytics',
    category: 'analytics',
    source: 'script',
    site: 'www.example.com',
    path: `/products/${n % 997}`,
    referrer_host: null,
    target: null,
    label: null,
    value: n % 100,
    visitor: 'bench-visitor-0000000000',
    network: '127.0.0.0/24',
    country: null,
    browser: 'Chrome',
    os: 'Windows',
    consent_ref: null,
  });
  const rows = Array.from({ length: PER_BATCH }, (_, i) => row(i));
  const elapsed = stopwatch();
  for (let b = 0; b < EVENTS / PER_BATCH; b += 1)
    await transaction(ctx.store, (tx) => insertWebEvents(tx, rows, ctx.store.dialect));
  return EVENTS / elapsed();
}

export async function run(report: Report): Promise<void> {
  const { scriptFigures } = await import('./web-script.js');
  const script = await scriptFigures();
  report('browser_script_gzip_bytes', script.browser_script_gzip_bytes, 'bytes');
  report('browser_script_bytes', script.browser_script_bytes, 'bytes');

  const secret = randomBytes(32);
  await withTempDir(async (dir) => {
    const url = `sqlite:${join(dir, 'steward.db')}`;
    const steward = await startSteward(url, dir, secret);
    try {
      report('ingest_events_per_s', await ingestHttp(steward.port), 'events/s');
    } finally {
      await steward.stop();
    }
    const ctx = await createContext(testConfig(url, dir, { secret }), { log: createLogger('silent') });
    try {
      report('raw_sqlite_batched_insert_events_per_s', await rawInserts(ctx), 'events/s');
    } finally {
      await ctx.store.close();
    }
  });

  if (!(await reachable(postgresBenchUrl))) {
    note(`skipping PostgreSQL: nothing answers at ${postgresBenchUrl}`);
    return;
  }
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await withTempDir(async (dir) => {
    const ctx = await createContext(testConfig(postgresBenchUrl, dir, { secret }), {
      log: createLogger('silent'),
      schema,
    });
    try {
      const steward = await startSteward(`${postgresBenchUrl}?schema=${schema}`, dir, secret);
      try {
        report('ingest_events_per_s_postgres', await ingestHttp(steward.port), 'events/s');
      } finally {
        await steward.stop();
      }
      report('raw_postgres_batched_insert_events_per_s', await rawInserts(ctx), 'events/s');
    } finally {
      await ctx.store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await ctx.store.close();
    }
  });
}
