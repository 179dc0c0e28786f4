/**
 * Test harness: a real Steward (real store, real server) per test group, on SQLite and, when
 * reachable, PostgreSQL (each group in its own schema). Requests go through Fastify's inject,
 * which runs the full HTTP pipeline without a socket; `listen()` gives a real port for browsers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { closeContext, createContext, createLogger } from '../../src/app.js';
import { createOperator } from '../../src/access/operators.js';
import type { Role } from '../../src/access/roles.js';
import { systemActor } from '../../src/access/actor.js';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext, Clock } from '../../src/context.js';
import type { DialectName } from '../../src/store/database.js';
import { buildServer } from '../../src/server/server.js';
import { referenceDeclaration, smallShopDeclaration } from './paths.js';
import { postgresUrl, serviceAvailable } from './services.js';

export { referenceDeclaration, smallShopDeclaration };

export interface TestApp {
  readonly dialect: DialectName;
  readonly ctx: AppContext;
  readonly server: FastifyInstance;
  readonly config: Config;
  /** PostgreSQL schema of this app, for processes that must open the same database. */
  readonly schema?: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Creates an operator with `role` and returns a cookie header for its session. */
  signInAs(role: Role): Promise<{ cookie: string; email: string; password: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly declarations?: readonly string[];
  readonly clock?: Clock;
  readonly config?: Partial<Config>;
  /**
   * Connected systems' settings as the environment gives them (`STEWARD_SYSTEM_<ID>_URL`), read by
   * the real config loader.
   */
  readonly env?: Readonly<Record<string, string>>;
}

export function testConfig(databaseUrl: string, dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    databaseUrl,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    publicUrl: 'http://localhost:8080',
    secret: randomBytes(32),
    declarationFiles: [referenceDeclaration],
    logLevel: 'silent',
    trustedProxies: [],
    transmitAllowedHosts: [],
    workerConcurrency: 1,
    adminEmail: 'admin@steward.local',
    mailFrom: 'Steward Test <no-reply@example.test>',
    unsubscribeMailto: 'unsubscribe@example.test',
    systems: new Map(),
    ...overrides,
  };
}

/** A fresh, empty database URL for the dialect, and how to throw it away. */
export async function freshDatabase(
  dialect: DialectName,
): Promise<{ url: string; schema?: string; dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-test-'));
  if (dialect === 'sqlite') {
    return {
      url: `sqlite:${join(dataDir, 'steward.db')}`,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  return {
    url: postgresUrl,
    schema,
    dataDir,
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestApp(dialect: DialectName, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await freshDatabase(dialect);
  const secret = randomBytes(32);
  const fromEnv =
    options.env === undefined
      ? {}
      : {
          systems: loadConfig({
            ...options.env,
            STEWARD_DATA_DIR: db.dataDir,
            STEWARD_SECRET: secret.toString('base64'),
          }).systems,
        };
  const config = testConfig(db.url, db.dataDir, {
    secret,
    declarationFiles: options.declarations ?? [referenceDeclaration],
    ...fromEnv,
    ...options.config,
  });
  const ctx = await createContext(config, {
    log: createLogger('silent'),
    ...(db.schema ? { schema: db.schema } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const server = await buildServer(ctx);
  await server.ready();
  let n = 0;
  return {
    dialect,
    ctx,
    server,
    config,
    ...(db.schema ? { schema: db.schema } : {}),
    request: (o) => server.inject(o),
    async signInAs(role) {
      n += 1;
      const email = `${role.replace('_', '-')}-${n}@example.test`;
      const { password } = await createOperator(
        ctx,
        systemActor(),
        { email, name: `${role} ${n}`, role },
        { bootstrap: true },
      );
      // Each sign-in comes from its own documentation-range address, clear of the login rate limit.
      const response = await server.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: `192.0.2.${n % 250}`,
        payload: { email, password },
      });
      if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
      const setCookie = response.headers['set-cookie'];
      const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
      if (cookie === undefined) throw new Error('no session cookie');
      return { cookie, email, password };
    },
    async close() {
      await server.close();
      await closeContext(ctx);
      await db.drop();
    },
  };
}

/** The dialects to run a suite on: SQLite always, PostgreSQL when reachable (or required). */
export async function dialects(): Promise<DialectName[]> {
  return (await serviceAvailable('PostgreSQL', postgresUrl)) ? ['sqlite', 'postgres'] : ['sqlite'];
}
