/**
 * Durability of consent writes: `POST /api/v1/consents` answers 201 only after the transaction
 * commits, so a write the client saw acknowledged must survive the server process dying at any
 * moment. A real `steward start --role web` process takes a stream of writes and is killed with
 * SIGKILL while writes are in flight; after a restart every acknowledged event is in the database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { consentBody, send } from '../../bench/consent-fixtures.js';
import { packageRoot } from '../../src/config.js';
import { dialects } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { postgresUrl } from '../support/services.js';

const WRITERS = 16;
/** How long writes run, after the first acknowledgement, before the server is killed. */
const KILL_AFTER_MS = 1_500;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything the process printed, for failure messages. */
  output(): string;
}

/** `steward start --role web` from source, as its own process; resolves once /healthz answers 200. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), 'start', '--role', 'web'],
    {
      cwd: packageRoot,
      env: { PATH: process.env.PATH ?? '', STEWARD_LOG_LEVEL: 'warn', ...env, STEWARD_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let printed = '';
  child.stdout?.on('data', (b: Buffer) => (printed += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (printed += b.toString()));
  const server = { child, port, output: () => printed };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`steward start exited (${child.exitCode ?? child.signalCode}):\n${printed}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) return server;
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`steward start did not answer /healthz within 60 s:\n${printed}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Acknowledged {
  readonly idempotencyKey: string;
  readonly subjectId: string;
  readonly eventId: string;
}

interface Stream {
  readonly acknowledged: Acknowledged[];
  /** Answers other than 201 received before the kill. */
  readonly refused: string[];
  /** Requests sent whose answer had not arrived when the process was killed. */
  readonly inFlightAtKill: number;
  readonly sent: number;
}

/**
 * Sixteen writers post consents, each with its own address and idempotency key, until the server
 * stops answering; `KILL_AFTER_MS` after the first 201 the process gets SIGKILL.
 */
async function writeUntilKilled(server: Server, apiKey: string): Promise<Stream> {
  const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
  const run = randomUUID().slice(0, 8);
  const acknowledged: Acknowledged[] = [];
  const refused: string[] = [];
  let sent = 0;
  let inFlight = 0;
  let inFlightAtKill = -1;
  let killTimer: NodeJS.Timeout | undefined;
  const kill = () => {
    inFlightAtKill = inFlight;
    server.child.kill('SIGKILL');
  };
  // Should nothing ever be acknowledged, stop anyway; the assertions then say why.
  const giveUp = setTimeout(kill, 30_000);
  const writer = async () => {
    while (inFlightAtKill < 0) {
      sent += 1;
      const n = sent;
      const idempotencyKey = `crash-${run}-${n}`;
      inFlight += 1;
      try {
        const res = await send(agent, server.port, {
          method: 'POST',
          path: '/api/v1/consents',
          apiKey,
          body: JSON.stringify(consentBody(`crash.${run}.${n}@example.org`, idempotencyKey)),
        });
        if (res.status === 201) {
          const body = JSON.parse(res.body) as { subjectId: string; events: string[] };
          acknowledged.push({ idempotencyKey, subjectId: body.subjectId, eventId: body.events[0]! });
          killTimer ??= setTimeout(kill, KILL_AFTER_MS);
        } else if (inFlightAtKill < 0) {
          refused.push(`${res.status} ${res.body.slice(0, 200)}`);
        }
      } catch {
        // The connection died with the process: this write was never acknowledged.
        if (inFlightAtKill >= 0) return;
        await sleep(10);
      } finally {
        inFlight -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  clearTimeout(giveUp);
  clearTimeout(killTimer);
  agent.destroy();
  await exited(server.child);
  return { acknowledged, refused, inFlightAtKill, sent };
}

/** The event ids stored under each idempotency key (`<key>#0` for a single-target write). */
async function storedEvents(
  dialect: string,
  dataDir: string,
  schema: string | undefined,
): Promise<Map<string, string>> {
  const query = 'select idempotency_key, id from consent_events where idempotency_key is not null';
  let rows: { idempotency_key: string; id: string }[];
  if (dialect === 'sqlite') {
    const db = new SQLite(join(dataDir, 'steward.db'), { readonly: true, fileMustExist: true });
    try {
      rows = db.prepare(query).all() as typeof rows;
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      rows = (await client.query<{ idempotency_key: string; id: string }>(query)).rows;
    } finally {
      await client.end();
    }
  }
  return new Map(rows.map((r) => [r.idempotency_key, r.id]));
}

for (const dialect of await dialects()) {
  describe(`consent durability on ${dialect}`, () => {
    test(
      'consent writes acknowledged before a SIGKILL are all there after restart',
      { timeout: 180_000 },
      async (t) => {
        const dataDir = mkdtempSync(join(tmpdir(), 'steward-crash-'));
        const schema =
          dialect === 'postgres' ? `crash_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
        const env: Record<string, string> = {
          STEWARD_DATA_DIR: dataDir,
          ...(schema === undefined
            ? {}
            : {
                STEWARD_DATABASE_URL: `${postgresUrl}?schema=${schema}`,
                STEWARD_SECRET: randomBytes(32).toString('base64'),
              }),
        };
        const children: ChildProcess[] = [];
        t.after(async () => {
          for (const child of children)
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await Promise.all(children.map(exited));
          if (schema !== undefined) {
            const client = new pg.Client({ connectionString: postgresUrl });
            await client.connect();
            await client.query(`drop schema if exists ${schema} cascade`);
            await client.end();
          }
          rmSync(dataDir, { recursive: true, force: true });
        });

        const created = await runCli(
          ['apikey', 'create', '--name', 'crash', '--scopes', 'consent:write,consent:read'],
          env,
        );
        assert.equal(created.code, 0, created.stderr);
        const apiKey = /(stw_[A-Za-z0-9_-]+)/.exec(created.stdout)?.[1];
        assert.ok(apiKey, `no key in: ${created.stdout}`);

        const first = await startServer(env);
        children.push(first.child);
        const stream = await writeUntilKilled(first, apiKey);
        assert.equal(first.child.signalCode, 'SIGKILL', 'the server was killed, not stopped');
        assert.deepEqual(stream.refused, [], `writes refused before the kill:\n${first.output()}`);
        assert.ok(
          stream.acknowledged.length > 0,
          `no write was acknowledged before the kill, so nothing is proven:\n${first.output()}`,
        );
        assert.ok(stream.inFlightAtKill > 0, 'writes were in flight when the server was killed');

        const second = await startServer(env);
        children.push(second.child);
        const stored = await storedEvents(dialect, dataDir, schema);
        const missing = stream.acknowledged.filter((a) => stored.get(`${a.idempotencyKey}#0`) !== a.eventId);
        assert.deepEqual(
          missing.map((m) => m.idempotencyKey),
          [],
          `${missing.length} of ${stream.acknowledged.length} acknowledged writes are missing`,
        );
        // Unacknowledged writes may or may not have committed; none is stored twice (the key is unique).
        assert.ok(stored.size <= stream.sent, `${stored.size} events stored for ${stream.sent} requests`);

        // The restarted server serves them too: the last acknowledged writes, through the API.
        const agent = new Agent({ keepAlive: true });
        try {
          for (const a of stream.acknowledged.slice(-20)) {
            const res = await send(agent, second.port, {
              method: 'GET',
              path: `/api/v1/subjects/${a.subjectId}/consents`,
              apiKey,
            });
            assert.equal(res.status, 200, res.body);
            const body = JSON.parse(res.body) as { events: { id: string }[] };
            assert.ok(
              body.events.some((e) => e.id === a.eventId),
              `event ${a.eventId} of ${a.subjectId} not served`,
            );
          }
        } finally {
          agent.destroy();
        }
        t.diagnostic(
          `${dialect}: ${stream.acknowledged.length} acknowledged of ${stream.sent} sent, ${stream.inFlightAtKill} in flight at the kill, ${stored.size} stored`,
        );
      },
    );
  });
}
