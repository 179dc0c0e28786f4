/**
 * The `connectors` group: a rights request carried out in a company's database through
 * Steward's connectors, each figure beside hand-written SQL doing the same work in the same run.
 *
 * - `dsr_access_ms`: one person's rows read as the access package reads them (count, then every
 *   collection a page of 500 at a time); median over several persons. Raw: `rawAccess` via pg.
 * - `dsr_erasure_ms`: the engine's erasure steps for the shop (from `planRequest`, in the order
 *   of `order.ts`) run through the connector for one person. Raw: `rawErase` in one transaction
 *   on another person of the same shape.
 * - `dsr_access_peak_rss_mb`: a fresh process writes the per-collection JSON and CSV files of the
 *   person with a million rows (`HEAVY_CUSTOMER`) through the access package's writer into a ZIP
 *   that goes nowhere; its peak RSS (`process.resourceUsage().maxRSS`).
 * - `dsr_requests_per_min`: queued erasures (created by an operator on behalf, approved) done by
 *   four `steward start --role worker` processes; Steward's store on PostgreSQL in its own schema.
 * - `_mariadb` and `_sqlite`: the access figures on the same shape at a smaller scale.
 *
 * Settings (environment): `STEWARD_BENCH_SCALE=small` for a quick run (20,000 customers on
 * PostgreSQL instead of 500,000, ten million rows in all); `STEWARD_BENCH_REQUESTS` for the number of queued
 * erasures (default 1,000, or 100 on the small scale). The PostgreSQL shop is kept in the schema
 * `steward_bench_shop` (`steward_bench_shop_small`) and reused by the next run of the same scale;
 * `STEWARD_BENCH_REGENERATE=1` rebuilds it. Each run erases persons nobody erased before.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { parse } from 'yaml';
import { packageRoot } from '../src/config.js';
import type { Connector, FieldValue, MaskKeys, Row, Seeds } from '../src/connectors/contract.js';
import type { Dataset } from '../src/connectors/dataset.js';
import { datasetSchema } from '../src/connectors/dataset.js';
import { createMariadbConnector } from '../src/connectors/mysql/index.js';
import { createPostgresConnector } from '../src/connectors/postgres/index.js';
import { createSqliteConnector } from '../src/connectors/sqlite/index.js';
import type { PlannedStep } from '../src/execution/plan.js';
import { planRequest } from '../src/execution/plan.js';
import { PolicyModel } from '../src/policy/model.js';
import { declarationSchema } from '../src/policy/schema.js';
import { PackageZip, writeSections } from '../src/rights/access-package.js';
import type { SubjectSection } from '../src/rights/subject-data.js';
import type { FixtureScale } from './connectors-fixture.js';
import type { WorkerProcess } from '../test/support/worker-process.js';
import {
  createMariadbShop,
  createSqliteShop,
  emailOf,
  ensurePostgresShop,
  HEAVY_CUSTOMER,
  rawAccess,
  rawErase,
  shopDataset,
  TEN_MILLION,
} from './connectors-fixture.js';
import type { Report } from './support.js';
import { note, postgresBenchUrl, reachable, stopwatch, withTempDir } from './support.js';

export const name = 'connectors';

const small = process.env.STEWARD_BENCH_SCALE === 'small';
const PG_SCALE: FixtureScale = small ? { customers: 20_000, heavyEvents: 1_000_000 } : TEN_MILLION;
const PG_SCHEMA = small ? 'steward_bench_shop_small' : 'steward_bench_shop';
/** MariaDB and SQLite: the same shape, 20,000 customers (about 420,000 rows). */
const SIDE_SCALE: FixtureScale = { customers: 20_000, heavyEvents: 10_000 };
const REQUESTS = Number(process.env.STEWARD_BENCH_REQUESTS ?? (small ? 100 : 1_000));
const WORKERS = 4;
const ACCESS_PERSONS = 9;
const ERASURE_PERSONS = 5;
const PAGE = 500;
const SYSTEM = 'shop';
const KEEP = 'bookkeeping';
const mariadbUrl = process.env.STEWARD_BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const keys: MaskKeys = { hash: randomBytes(32) };
const seedsOf = (n: number): Seeds => ({ identities: [{ kind: 'email', value: emailOf(n) }] });
const dataset = (schema: string | undefined): Dataset =>
  datasetSchema.parse(shopDataset(SYSTEM, schema, KEEP));

/** Every row of the person, as the access package reads them: counts, then pages per collection. */
async function connectorAccess(connector: Connector, seeds: Seeds): Promise<number> {
  const counts = await connector.count(seeds);
  let rows = 0;
  for (const c of connector.dataset.collections) {
    if (c.reference || (counts.get(c.name) ?? 0) === 0) continue;
    let after: readonly FieldValue[] | undefined;
    for (;;) {
      const page = await connector.read(seeds, c.name, {
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      });
      rows += page.rows.length;
      if (page.next === undefined) break;
      after = page.next;
    }
  }
  return rows;
}

/** Customers nobody erased yet (the heavy one left out), starting at a random place. */
async function freshPersons(client: pg.ClientBase, schema: string, count: number): Promise<number[]> {
  const start = Math.floor(Math.random() * Math.max(0, PG_SCALE.customers - count * 20));
  const { rows } = await client.query<{ id: string }>(
    `select id from ${schema}.customers where full_name <> '[erased]' and id <> $1 and id > $2 order by id limit $3`,
    [HEAVY_CUSTOMER, start, count],
  );
  if (rows.length < count) throw new Error(`only ${rows.length} customers left to erase in ${schema}`);
  return rows.map((r) => Number(r.id));
}

function referenceModel(): PolicyModel {
  const file = join(packageRoot, 'examples/reference/declaration.yaml');
  return new PolicyModel(declarationSchema.parse(parse(readFileSync(file, 'utf8'))));
}

/** The shop's erasure steps as the engine plans them. */
function erasureSteps(d: Dataset): PlannedStep[] {
  const plan = planRequest({
    type: 'erasure',
    model: referenceModel(),
    jurisdiction: 'SE',
    systems: [{ id: SYSTEM, name: 'Shop', purposes: [KEEP], recipients: [], dataset: d }],
  });
  return plan.steps.filter((s) => s.system === SYSTEM);
}

/** The steps run as `performChange` runs them; returns the rows changed. */
async function connectorErase(connector: Connector, steps: readonly PlannedStep[], seeds: Seeds) {
  let changed = 0;
  for (const step of steps) {
    if (step.change === undefined) await connector.count(seeds);
    else changed += (await connector.change(seeds, step.collection, step.change)).changed;
  }
  return changed;
}

async function rawPgAccess(client: pg.ClientBase, schema: string, email: string): Promise<number> {
  let rows = 0;
  for (const text of rawAccess(`${schema}.`)) rows += (await client.query(text, [email])).rows.length;
  return rows;
}

async function rawPgErase(client: pg.ClientBase, schema: string, email: string): Promise<number> {
  let changed = 0;
  await client.query('begin');
  try {
    for (const text of rawErase(schema)) changed += (await client.query(text, [email])).rowCount ?? 0;
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return changed;
}

/** Times `fn` per person (one untimed warm-up first); the median in milliseconds. */
async function medianMs(persons: readonly number[], fn: (n: number) => Promise<unknown>): Promise<number> {
  await fn(persons[0]!);
  const times: number[] = [];
  for (const n of persons.slice(1)) {
    const t = stopwatch();
    await fn(n);
    times.push(t() * 1000);
  }
  return median(times);
}

// ---- PostgreSQL ---------------------------------------------------------------------------------

async function postgres(report: Report): Promise<void> {
  const client = new pg.Client({ connectionString: postgresBenchUrl });
  await client.connect();
  try {
    if (process.env.STEWARD_BENCH_REGENERATE === '1')
      await client.query(`drop schema if exists ${PG_SCHEMA} cascade`);
    const t = stopwatch();
    const generated = await ensurePostgresShop(client, PG_SCHEMA, PG_SCALE);
    note(
      `shop: ${PG_SCALE.customers} customers in schema ${PG_SCHEMA}, ${generated ? `generated in ${t().toFixed(0)} s` : 'reused'}`,
    );
    const d = dataset(PG_SCHEMA);
    const connector = createPostgresConnector({ system: SYSTEM, url: postgresBenchUrl }, d, keys);
    try {
      const persons = await freshPersons(client, PG_SCHEMA, ACCESS_PERSONS + 2 * ERASURE_PERSONS + 2);
      const access = persons.slice(0, ACCESS_PERSONS);
      const viaConnector = await connectorAccess(connector, seedsOf(access[0]!));
      const viaSql = await rawPgAccess(client, PG_SCHEMA, emailOf(access[0]!));
      if (viaConnector !== viaSql)
        throw new Error(`the connector read ${viaConnector} rows, the raw SQL ${viaSql}`);
      note(`access: ${viaConnector} rows per person`);
      // Interleaved, so both see the same cache and load.
      const connectorMs = await medianMs(access, (n) => connectorAccess(connector, seedsOf(n)));
      const rawMs = await medianMs(access, (n) => rawPgAccess(client, PG_SCHEMA, emailOf(n)));
      report('dsr_access_ms', connectorMs, 'ms');
      report('dsr_access_raw_sql_ms', rawMs, 'ms');
      report('dsr_access_ratio_to_raw_sql', connectorMs / rawMs);

      const steps = erasureSteps(d);
      note(`erasure steps: ${steps.map((s) => `${s.collection}:${s.change?.action ?? 'count'}`).join(', ')}`);
      const rest = persons.slice(ACCESS_PERSONS);
      const engine = rest.filter((_, i) => i % 2 === 0).slice(0, ERASURE_PERSONS + 1);
      const raw = rest.filter((_, i) => i % 2 === 1).slice(0, ERASURE_PERSONS + 1);
      const changed = await connectorErase(connector, steps, seedsOf(engine[0]!));
      const rawChanged = await rawPgErase(client, PG_SCHEMA, emailOf(raw[0]!));
      if (changed !== rawChanged)
        throw new Error(`the connector changed ${changed} rows, the raw SQL ${rawChanged}`);
      note(`erasure: ${changed} rows changed per person`);
      const eraseMs = await medianMs(engine.slice(1), (n) => connectorErase(connector, steps, seedsOf(n)));
      const rawEraseMs = await medianMs(raw.slice(1), (n) => rawPgErase(client, PG_SCHEMA, emailOf(n)));
      report('dsr_erasure_ms', eraseMs, 'ms');
      report('dsr_erasure_raw_sql_ms', rawEraseMs, 'ms');
      report('dsr_erasure_ratio_to_raw_sql', eraseMs / rawEraseMs);
    } finally {
      await connector.close();
    }

    const heavy = await inChild(await childCommand(), { url: postgresBenchUrl, schema: PG_SCHEMA });
    note(
      `heavy person: ${heavy.rows} rows, ${(heavy.bytes / 1e6).toFixed(0)} MB of ZIP, ${heavy.ms.toFixed(0)} ms`,
    );
    report('dsr_access_heavy_ms', heavy.ms, 'ms');
    report('dsr_access_peak_rss_mb', heavy.peakRssMb, 'MB');
    const heavyRaw = stopwatch();
    const heavyRows = await rawPgAccessStreamed(client, PG_SCHEMA, emailOf(HEAVY_CUSTOMER));
    note(`heavy person by raw SQL (cursor of ${PAGE} rows, nothing written): ${heavyRows} rows`);
    report('dsr_access_heavy_raw_sql_ms', heavyRaw() * 1000, 'ms');

    await requestsPerMinute(client, report);
  } finally {
    await client.end();
  }
}

/** The raw statements read through a cursor, a page at a time (a million rows do not fit one result). */
async function rawPgAccessStreamed(client: pg.ClientBase, schema: string, email: string): Promise<number> {
  let rows = 0;
  await client.query('begin');
  try {
    for (const text of rawAccess(`${schema}.`)) {
      await client.query(`declare c no scroll cursor for ${text}`, [email]);
      for (;;) {
        const got = (await client.query(`fetch ${PAGE} from c`)).rows.length;
        rows += got;
        if (got < PAGE) break;
      }
      await client.query('close c');
    }
  } finally {
    await client.query('commit');
  }
  return rows;
}

// ---- The heavy person's package, in a fresh process ----------------------------------------------

interface ChildResult {
  readonly ms: number;
  readonly peakRssMb: number;
  readonly rows: number;
  readonly bytes: number;
}

type ChildCommand = readonly string[];

/** This file compiled to JavaScript (as production runs), or through tsx with STEWARD_BENCH_CHILD=tsx. */
async function childCommand(): Promise<ChildCommand> {
  if (process.env.STEWARD_BENCH_CHILD === 'tsx') {
    note('child: through tsx (STEWARD_BENCH_CHILD=tsx)');
    return ['--import', 'tsx', fileURLToPath(import.meta.url)];
  }
  const out = join(packageRoot, 'node_modules/.cache/steward-bench-connectors');
  rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const t = stopwatch();
  await promisify(execFile)(process.execPath, [
    tsc,
    '-p',
    join(packageRoot, 'tsconfig.json'),
    '--outDir',
    out,
    '--noCheck',
  ]);
  note(`child: compiled JavaScript (tsc into ${out} in ${t().toFixed(1)} s)`);
  return [join(out, 'bench/connectors.bench.js')];
}

function inChild(command: ChildCommand, args: { url: string; schema: string }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...command, 'child'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_CONNECTORS: JSON.stringify(args) },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the package process exited with ${code}: ${out}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult);
    });
  });
}

/** JSON can hold it: as `connected-data.ts` converts values for the package. */
function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** The heavy person's sections, read from the connector page by page (as `connectedData` builds them). */
async function heavySections(connector: Connector, seeds: Seeds): Promise<SubjectSection[]> {
  const counts = await connector.count(seeds);
  return connector.dataset.collections
    .filter((c) => !c.reference && (counts.get(c.name) ?? 0) > 0)
    .map((c) => {
      const fields = c.fields.map((f) => ({ name: f.name, type: 'string' as const, description: f.name }));
      return {
        id: `systems/${SYSTEM}/${c.name}`,
        section: 'system' as const,
        category: SYSTEM,
        description: `Your rows of ${c.name}`,
        fields,
        count: counts.get(c.name) ?? 0,
        async *pages(options?: { pageSize?: number }) {
          let after: readonly FieldValue[] | undefined;
          for (;;) {
            const page = await connector.read(seeds, c.name, {
              limit: options?.pageSize ?? PAGE,
              ...(after === undefined ? {} : { after }),
            });
            if (page.rows.length > 0)
              yield page.rows.map((row: Row) =>
                Object.fromEntries(fields.map((f) => [f.name, jsonValue(row[f.name] ?? null)])),
              );
            if (page.next === undefined) return;
            after = page.next;
          }
        },
      };
    });
}

async function child(): Promise<void> {
  const args = JSON.parse(process.env.BENCH_CONNECTORS ?? '{}') as { url: string; schema: string };
  const connector = createPostgresConnector({ system: SYSTEM, url: args.url }, dataset(args.schema), keys);
  try {
    const sink = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    });
    const t = stopwatch();
    const zip = new PackageZip(sink, { date: new Date() });
    const sections = await heavySections(connector, seedsOf(HEAVY_CUSTOMER));
    await writeSections(
      zip,
      (async function* () {
        yield* sections;
      })(),
    );
    const bytes = await zip.close();
    const ms = t() * 1000;
    const result: ChildResult = {
      ms,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
      rows: sections.reduce((n, s) => n + s.count, 0),
      bytes,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await connector.close();
  }
}

// ---- Queued erasures, four worker processes ----------------------------------------------------

const systemEntry = `
  - id: ${SYSTEM}
    name: { en: Web shop, sv: Webbutik }
    kind: postgres
    operator: self
    purposes: [b2b_service_provision, ${KEEP}]
    hosting: { country: SE }
    owner: shop-team@example.com
`;

async function requestsPerMinute(client: pg.ClientBase, report: Report): Promise<void> {
  const { startTestApp } = await import('../test/support/app.js');
  const { Worker } = await import('../src/jobs/queue.js');
  const { jobDefinitions } = await import('../src/worker-jobs.js');
  const { startWorker } = await import('../test/support/worker-process.js');
  await withTempDir(async (dir) => {
    mkdirSync(join(dir, 'datasets'));
    const declaration = join(dir, 'declaration.yaml');
    const reference = readFileSync(join(packageRoot, 'examples/reference/declaration.yaml'), 'utf8');
    writeFileSync(declaration, `${reference.trimEnd()}\n\nsystems:${systemEntry}`);
    writeFileSync(
      join(dir, 'datasets', `${SYSTEM}.yaml`),
      JSON.stringify(shopDataset(SYSTEM, PG_SCHEMA, KEEP)),
    );
    const app = await startTestApp('postgres', {
      declarations: [declaration],
      config: { systems: new Map([[SYSTEM, { system: SYSTEM, url: postgresBenchUrl }]]) },
    });
    const workers: WorkerProcess[] = [];
    try {
      const headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const persons = await freshPersons(client, PG_SCHEMA, 2 * REQUESTS);
      const queued = persons.filter((_, i) => i % 2 === 0);
      const t = stopwatch();
      const ids: string[] = [];
      for (const n of queued) {
        const res = await app.request({
          method: 'POST',
          url: '/api/v1/requests',
          headers,
          payload: {
            declarationId: 'sncn-general',
            type: 'erasure',
            channel: 'post',
            language: 'en',
            requester: { identifiers: [{ kind: 'email', value: emailOf(n) }] },
          },
        });
        if (res.statusCode !== 201) throw new Error(`creating a request: ${res.statusCode} ${res.body}`);
        ids.push(res.json<{ id: string }>().id);
      }
      await new Worker(app.ctx, jobDefinitions).drain();
      for (const id of ids) {
        const ok = await app.request({
          method: 'POST',
          url: `/api/v1/requests/${id}/approve`,
          headers,
          payload: { note: 'Signed letter matched the address on file' },
        });
        if (ok.statusCode !== 200) throw new Error(`approving a request: ${ok.statusCode} ${ok.body}`);
      }
      note(`requests: ${ids.length} erasures created and approved in ${t().toFixed(0)} s (not timed)`);

      const schemaParam = app.schema === undefined ? '' : `?schema=${app.schema}`;
      const env = {
        STEWARD_DATABASE_URL: `${postgresBenchUrl}${schemaParam}`,
        STEWARD_SECRET: app.config.secret.toString('base64'),
        STEWARD_DATA_DIR: dir,
        STEWARD_DECLARATIONS: declaration,
        STEWARD_SYSTEM_SHOP_URL: postgresBenchUrl,
        STEWARD_LOG_LEVEL: 'info',
      };
      for (let i = 0; i < WORKERS; i += 1) workers.push(startWorker(env));
      await Promise.all(workers.map((w) => w.started));
      const run = stopwatch();
      const done = async () => {
        const row = await app.ctx.store.db
          .selectFrom('requests')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('id', 'in', ids)
          .where('status', '=', 'completed')
          .executeTakeFirstOrThrow();
        return Number(row.n);
      };
      let completed = 0;
      const deadline = 30 * 60;
      while ((completed = await done()) < ids.length && run() < deadline) await sleep(250);
      const seconds = run();
      if (completed < ids.length) note(`only ${completed} of ${ids.length} completed within ${deadline} s`);
      note(
        `requests: ${completed} erasures completed by ${WORKERS} worker processes (concurrency 1 each) in ${seconds.toFixed(1)} s`,
      );
      report('dsr_requests_per_min', (completed / seconds) * 60, 'requests/min');

      const raw = persons.filter((_, i) => i % 2 === 1);
      const serial = stopwatch();
      for (const n of raw) await rawPgErase(client, PG_SCHEMA, emailOf(n));
      report('dsr_requests_raw_sql_serial_per_min', (raw.length / serial()) * 60, 'requests/min');
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(
        workers.map((w) =>
          w.child.exitCode === null ? new Promise((r) => w.child.once('exit', r)) : undefined,
        ),
      );
      await app.close();
    }
  });
}

// ---- MariaDB and SQLite ------------------------------------------------------------------------

/** Statements for `?` placeholders, with the email bound once per placeholder. */
const questionMarks = (text: string) => ({
  text: text.replace(/\$1/g, '?'),
  binds: text.split('$1').length - 1,
});

async function sideAccess(
  label: string,
  connector: Connector,
  rawRows: (email: string) => Promise<number>,
  report: Report,
): Promise<void> {
  const persons = Array.from({ length: ACCESS_PERSONS }, (_, i) => 1_000 + i * 997);
  const viaConnector = await connectorAccess(connector, seedsOf(persons[0]!));
  const viaSql = await rawRows(emailOf(persons[0]!));
  if (viaConnector !== viaSql)
    throw new Error(`${label}: the connector read ${viaConnector} rows, SQL ${viaSql}`);
  const ms = await medianMs(persons, (n) => connectorAccess(connector, seedsOf(n)));
  const rawMs = await medianMs(persons, (n) => rawRows(emailOf(n)));
  report(`dsr_access_ms_${label}`, ms, 'ms');
  report(`dsr_access_raw_sql_ms_${label}`, rawMs, 'ms');
  report(`dsr_access_ratio_to_raw_sql_${label}`, ms / rawMs);
}

async function mariadb(report: Report): Promise<void> {
  const { default: mysql } = await import('mysql2/promise');
  const database = 'steward_bench_shop';
  const conn = await mysql.createConnection({ uri: mariadbUrl, multipleStatements: false });
  try {
    const t = stopwatch();
    await createMariadbShop((sql) => conn.query(sql), database, SIDE_SCALE);
    note(`mariadb: ${SIDE_SCALE.customers} customers generated in ${t().toFixed(0)} s`);
    const url = `${mariadbUrl.replace(/\/$/, '')}/${database}`;
    const connector = createMariadbConnector({ system: SYSTEM, url }, dataset(undefined), keys);
    try {
      const statements = rawAccess('').map(questionMarks);
      await sideAccess(
        'mariadb',
        connector,
        async (email) => {
          let rows = 0;
          for (const s of statements) {
            const [got] = await conn.execute(s.text, Array(s.binds).fill(email));
            rows += (got as unknown[]).length;
          }
          return rows;
        },
        report,
      );
    } finally {
      await connector.close();
    }
  } finally {
    await conn.query(`drop database if exists ${database}`);
    await conn.end();
  }
}

async function sqlite(report: Report): Promise<void> {
  const { default: SQLite } = await import('better-sqlite3');
  await withTempDir(async (dir) => {
    const path = join(dir, 'shop.db');
    const db = new SQLite(path);
    try {
      const t = stopwatch();
      createSqliteShop((sql) => db.exec(sql), SIDE_SCALE);
      note(`sqlite: ${SIDE_SCALE.customers} customers generated in ${t().toFixed(0)} s`);
      const connector = createSqliteConnector(
        { system: SYSTEM, url: `sqlite:${path}` },
        dataset(undefined),
        keys,
      );
      try {
        const statements = rawAccess('')
          .map(questionMarks)
          .map((s) => ({ ...s, prepared: db.prepare(s.text) }));
        await sideAccess(
          'sqlite',
          connector,
          async (email) => {
            let rows = 0;
            for (const s of statements) rows += s.prepared.all(...Array<string>(s.binds).fill(email)).length;
            return rows;
          },
          report,
        );
      } finally {
        await connector.close();
      }
    } finally {
      db.close();
    }
  });
}

export async function run(report: Report): Promise<void> {
  note(`scale: ${small ? 'small' : 'full'} (STEWARD_BENCH_SCALE=small for a quick run)`);
  await sqlite(report);
  if (await reachable(mariadbUrl)) await mariadb(report);
  else note(`MariaDB not reachable at ${mariadbUrl}: skipping the _mariadb figures`);
  if (await reachable(postgresBenchUrl)) await postgres(report);
  else note(`PostgreSQL not reachable at ${postgresBenchUrl}: skipping the PostgreSQL figures`);
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === 'child'
)
  await child();
