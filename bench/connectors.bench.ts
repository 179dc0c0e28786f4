/**
 * The `connectors` group: a rights request carried out in a company's database through
 * Steward's connectors, each figure beside hand-written SQL doing the same work in the same run.
 *
 * - `dsr_access_ms`: one person's rows read as the access package reads them (`connectedData`:
 *   each collection's first page of 500, a count only when one has more, then the rest page by
 *   page); taken in turns with the raw SQL, 8 persons 5 times over, the median. Raw: `rawAccess`.
 * - `dsr_erasure_ms`: the engine's erasure steps for the shop (from `planRequest`, in the order
 *   of `order.ts`) run through the connector for one person as a request's job runs them: in one
 *   transaction of the shop (`Connector.together`), each step one batch. Raw: `rawErase` in one
 *   transaction on another person of the same shape. `dsr_erasure_one_by_one_ms`: the same steps
 *   one by one, each in its own transactions (what a person with more than a batch of rows in a
 *   collection gets), beside the raw statements committed one by one.
 * - `dsr_access_peak_rss_mb`: a fresh process writes the per-collection JSON and CSV files of the
 *   person with a million rows (`HEAVY_CUSTOMER`) through the access package's writer into a ZIP
 *   that goes nowhere; its peak RSS (`process.resourceUsage().maxRSS`).
 * - `dsr_requests_per_min`: queued erasures (created by an operator on behalf, approved) done by
 *   four `steward start --role worker` processes; Steward's store on PostgreSQL in its own schema.
 * - `_mariadb` and `_sqlite`: the access figures on the same shape at a smaller scale.
 *
 * Settings (environment): `STEWARD_BENCH_SCALE=small` for a quick run (20,000 customers on
 * PostgreSQL instead of 500,000, ten million rows in all); `STEWARD_BENCH_REQUESTS` for the number of queued
 * erasures (default 1,000, or 100 on the small scale; 0 skips them); `STEWARD_BENCH_PARTS` for some of the parts
 * only, a comma-separated list of `sqlite`, `mariadb`, `access`, `erasure`, `heavy` and `requests`
 * (default all). The PostgreSQL shop is kept in the schema
 * `steward_bench_shop` (`steward_bench_shop_small`) and reused by the next run of the same scale;
 * `STEWARD_BENCH_REGENERATE=1` rebuilds it. Each run erases persons nobody erased before.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../src/config.js';
import type { Connector, MaskKeys, Seeds } from '../src/connectors/contract.js';
import { TooLargeTogether } from '../src/connectors/contract.js';
import type { Dataset } from '../src/connectors/dataset.js';
import { datasetSchema } from '../src/connectors/dataset.js';
import { createMariadbConnector } from '../src/connectors/mysql/index.js';
import { createPostgresConnector } from '../src/connectors/postgres/index.js';
import { createSqliteConnector } from '../src/connectors/sqlite/index.js';
import { collectionSection, heldCollections, heldPages } from '../src/execution/connected-data.js';
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
import type { AppContext } from '../src/context.js';
import type { Report } from './support.js';
import { note, postgresBenchUrl, reachable, stopwatch, withTempDir } from './support.js';

export const name = 'connectors';

const small = process.env.STEWARD_BENCH_SCALE === 'small';
const PG_SCALE: FixtureScale = small ? { customers: 20_000, heavyEvents: 1_000_000 } : TEN_MILLION;
const PG_SCHEMA = small ? 'steward_bench_shop_small' : 'steward_bench_shop';
/** MariaDB and SQLite: the same shape, 20,000 customers (about 420,000 rows). */
const SIDE_SCALE: FixtureScale = { customers: 20_000, heavyEvents: 10_000 };
const REQUESTS = Number(process.env.STEWARD_BENCH_REQUESTS ?? (small ? 100 : 1_000));
if (!Number.isSafeInteger(REQUESTS) || REQUESTS < 0)
  throw new Error(
    `STEWARD_BENCH_REQUESTS must be a whole number (0 skips the queued erasures), not ${process.env.STEWARD_BENCH_REQUESTS}`,
  );
const WORKERS = 4;
const ACCESS_PERSONS = 9;
const ERASURE_PERSONS = 25;
const PAGE = 500;
const SYSTEM = 'shop';
const KEEP = 'bookkeeping';
const mariadbUrl = process.env.STEWARD_BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
const PARTS = ['sqlite', 'mariadb', 'access', 'erasure', 'heavy', 'requests'] as const;
const chosen = (process.env.STEWARD_BENCH_PARTS ?? PARTS.join(',')).split(',').map((p) => p.trim());
const unknownPart = chosen.find((p) => !(PARTS as readonly string[]).includes(p));
if (unknownPart !== undefined)
  throw new Error(`STEWARD_BENCH_PARTS: no part "${unknownPart}"; parts are ${PARTS.join(', ')}`);
/** Whether this run measures `part` (`STEWARD_BENCH_PARTS`). */
const runs = (part: (typeof PARTS)[number]): boolean => chosen.includes(part);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const keys: MaskKeys = { hash: randomBytes(32) };
const seedsOf = (n: number): Seeds => ({ identities: [{ kind: 'email', value: emailOf(n) }] });
const dataset = (schema: string | undefined): Dataset =>
  datasetSchema.parse(shopDataset(SYSTEM, schema, KEEP));

/**
 * Every row of the person, as the access package reads them (`connectedData`): each collection's
 * first page, a count only when some collection has more, then the rest of each a page at a time
 * (the rows as the connector gives them: the package's JSON conversion is not the read path's).
 */
async function connectorAccess(connector: Connector, seeds: Seeds): Promise<number> {
  let rows = 0;
  for (const held of await heldCollections(connector, seeds))
    for await (const page of heldPages(connector, seeds, held, PAGE)) rows += page.length;
  return rows;
}

/** The person's sections of the shop, as `connectedData` builds them. */
async function systemSections(connector: Connector, seeds: Seeds): Promise<SubjectSection[]> {
  return (await heldCollections(connector, seeds)).map((held) =>
    collectionSection(connector, seeds, held, { systemName: 'Shop', lang: 'en' }),
  );
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

/**
 * The steps run as a request's job runs them (`runStep`): together in one transaction of the
 * shop when each fits in a batch (`Connector.together`), else (or with `oneByOne`) one by one as
 * `performChange` runs them. Returns the rows changed.
 */
async function connectorErase(
  connector: Connector,
  steps: readonly PlannedStep[],
  seeds: Seeds,
  oneByOne = false,
) {
  if (!oneByOne && connector.together !== undefined) {
    try {
      return await connector.together(async (changes) => {
        let changed = 0;
        for (const step of steps)
          changed += (
            await changes.change(seeds, step.collection, step.change ?? { action: 'mask', fields: [] })
          ).changed;
        return changed;
      });
    } catch (error) {
      if (!(error instanceof TooLargeTogether)) throw error;
    }
  }
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

/**
 * `rawErase` in one transaction, or (`perStep`) each statement committed on its own, as seven
 * steps that each end in their own COMMIT must be: the floor of any engine running them as steps.
 */
async function rawPgErase(
  client: pg.ClientBase,
  schema: string,
  email: string,
  how: { perStep?: boolean; prepared?: boolean } = {},
) {
  let changed = 0;
  const run = async (text: string, i: number) =>
    (
      await client.query(
        how.prepared === true ? { name: `raw_erase_${i}`, text, values: [email] } : { text, values: [email] },
      )
    ).rowCount ?? 0;
  if (how.perStep === true) {
    for (const [i, text] of rawErase(schema).entries()) changed += await run(text, i);
    return changed;
  }
  await client.query('begin');
  try {
    for (const [i, text] of rawErase(schema).entries()) changed += await run(text, i);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return changed;
}

/**
 * The connector's and the raw SQL's time for the same work on the same persons, taken in turns
 * (person by person, `rounds` times over) so both meet the same cache and the same load of a
 * shared machine; each time is the mean of `reps` runs, which a sub-millisecond read needs to
 * rise above the timer and scheduler noise. The medians in milliseconds, after one untimed run of
 * each on the first person.
 */
async function pairedMedianMs(
  persons: readonly number[],
  viaConnector: (n: number) => Promise<unknown>,
  viaSql: (n: number) => Promise<unknown>,
  reps: number,
  rounds = 5,
): Promise<{ connector: number; raw: number }> {
  await viaConnector(persons[0]!);
  await viaSql(persons[0]!);
  const times = { connector: [] as number[], raw: [] as number[] };
  const timed = async (fn: (n: number) => Promise<unknown>, n: number, into: number[]) => {
    const t = stopwatch();
    for (let i = 0; i < reps; i += 1) await fn(n);
    into.push((t() * 1000) / reps);
  };
  for (let round = 0; round < rounds; round += 1)
    for (const n of persons.slice(1)) {
      await timed(viaConnector, n, times.connector);
      await timed(viaSql, n, times.raw);
    }
  return { connector: median(times.connector), raw: median(times.raw) };
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
      if (runs('access')) {
        const access = await freshPersons(client, PG_SCHEMA, ACCESS_PERSONS);
        const viaConnector = await connectorAccess(connector, seedsOf(access[0]!));
        const viaSql = await rawPgAccess(client, PG_SCHEMA, emailOf(access[0]!));
        if (viaConnector !== viaSql)
          throw new Error(`the connector read ${viaConnector} rows, the raw SQL ${viaSql}`);
        note(`access: ${viaConnector} rows per person`);
        const ms = await pairedMedianMs(
          access,
          (n) => connectorAccess(connector, seedsOf(n)),
          (n) => rawPgAccess(client, PG_SCHEMA, emailOf(n)),
          3,
        );
        report('dsr_access_ms', ms.connector, 'ms');
        report('dsr_access_raw_sql_ms', ms.raw, 'ms');
        report('dsr_access_ratio_to_raw_sql', ms.connector / ms.raw);
      }
      if (runs('erasure')) await pgErasure(client, connector, d, report);
    } finally {
      await connector.close();
    }

    if (runs('heavy')) {
      const command = await childCommand();
      const heavy = await inChild(command.args, { url: postgresBenchUrl, schema: PG_SCHEMA }).finally(() =>
        command.remove(),
      );
      note(
        `heavy person: ${heavy.rows} rows, ${(heavy.bytes / 1e6).toFixed(0)} MB of ZIP, ${heavy.ms.toFixed(0)} ms`,
      );
      report('dsr_access_heavy_ms', heavy.ms, 'ms');
      report('dsr_access_peak_rss_mb', heavy.peakRssMb, 'MB');
      const heavyRaw = stopwatch();
      const heavyRows = await rawPgAccessStreamed(client, PG_SCHEMA, emailOf(HEAVY_CUSTOMER));
      note(`heavy person by raw SQL (cursor of ${PAGE} rows, nothing written): ${heavyRows} rows`);
      report('dsr_access_heavy_raw_sql_ms', heavyRaw() * 1000, 'ms');
    }

    if (runs('requests') && REQUESTS > 0) await requestsPerMinute(client, report);
    else if (runs('requests'))
      note('STEWARD_BENCH_REQUESTS=0: skipping the queued erasures (dsr_requests_per_min)');
  } finally {
    await client.end();
  }
}

/**
 * The engine's erasure against the raw SQL's, one person each in turn (so both see the same cache
 * and load), after one untimed run of each.
 */
async function pgErasure(client: pg.ClientBase, connector: Connector, d: Dataset, report: Report) {
  const steps = erasureSteps(d);
  note(`erasure steps: ${steps.map((s) => `${s.collection}:${s.change?.action ?? 'count'}`).join(', ')}`);
  const persons = await freshPersons(client, PG_SCHEMA, 5 * (ERASURE_PERSONS + 1));
  const engine = persons.filter((_, i) => i % 5 === 0);
  const raw = persons.filter((_, i) => i % 5 === 1);
  const perStep = persons.filter((_, i) => i % 5 === 2);
  const oneByOne = persons.filter((_, i) => i % 5 === 3);
  const prepared = persons.filter((_, i) => i % 5 === 4);
  const changed = await connectorErase(connector, steps, seedsOf(engine[0]!));
  const rawChanged = await rawPgErase(client, PG_SCHEMA, emailOf(raw[0]!));
  if (changed !== rawChanged)
    throw new Error(`the connector changed ${changed} rows, the raw SQL ${rawChanged}`);
  const stepped = await connectorErase(connector, steps, seedsOf(oneByOne[0]!), true);
  if (stepped !== rawChanged)
    throw new Error(`the connector changed ${stepped} rows step by step, the raw SQL ${rawChanged}`);
  note(`erasure: ${changed} rows changed per person`);
  await rawPgErase(client, PG_SCHEMA, emailOf(perStep[0]!), { perStep: true });
  await rawPgErase(client, PG_SCHEMA, emailOf(prepared[0]!), { prepared: true });
  const engineMs: number[] = [];
  const rawMs: number[] = [];
  const perStepMs: number[] = [];
  const oneByOneMs: number[] = [];
  const preparedMs: number[] = [];
  const timed = async (into: number[], work: Promise<unknown>) => {
    const t = stopwatch();
    await work;
    into.push(t() * 1000);
  };
  for (let i = 1; i <= ERASURE_PERSONS; i += 1) {
    await timed(engineMs, connectorErase(connector, steps, seedsOf(engine[i]!)));
    await timed(rawMs, rawPgErase(client, PG_SCHEMA, emailOf(raw[i]!)));
    await timed(preparedMs, rawPgErase(client, PG_SCHEMA, emailOf(prepared[i]!), { prepared: true }));
    await timed(perStepMs, rawPgErase(client, PG_SCHEMA, emailOf(perStep[i]!), { perStep: true }));
    await timed(oneByOneMs, connectorErase(connector, steps, seedsOf(oneByOne[i]!), true));
  }
  report('dsr_erasure_ms', median(engineMs), 'ms');
  report('dsr_erasure_raw_sql_ms', median(rawMs), 'ms');
  report('dsr_erasure_ratio_to_raw_sql', median(engineMs) / median(rawMs));
  report('dsr_erasure_raw_sql_prepared_ms', median(preparedMs), 'ms');
  report('dsr_erasure_ratio_to_raw_sql_prepared', median(engineMs) / median(preparedMs));
  report('dsr_erasure_one_by_one_ms', median(oneByOneMs), 'ms');
  report('dsr_erasure_raw_sql_per_step_commit_ms', median(perStepMs), 'ms');
  report('dsr_erasure_one_by_one_ratio_to_raw_sql_per_step_commit', median(oneByOneMs) / median(perStepMs));
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

interface ChildCommand {
  readonly args: readonly string[];
  /** Removes what was compiled for it. */
  remove(): void;
}

/**
 * This file compiled to JavaScript (as production runs), or through tsx with
 * STEWARD_BENCH_CHILD=tsx. Compiled into `dist/` of this checkout, one folder per run, so two
 * runs at once do not overwrite each other's child, and `node_modules` (which may be shared with
 * other checkouts) is never written.
 */
async function childCommand(): Promise<ChildCommand> {
  if (process.env.STEWARD_BENCH_CHILD === 'tsx') {
    note('child: through tsx (STEWARD_BENCH_CHILD=tsx)');
    return { args: ['--import', 'tsx', fileURLToPath(import.meta.url)], remove: () => undefined };
  }
  const out = join(packageRoot, 'dist', `bench-connectors-${process.pid}`);
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
  return {
    args: [join(out, 'bench/connectors.bench.js')],
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}

function inChild(command: readonly string[], args: { url: string; schema: string }): Promise<ChildResult> {
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
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`the package process exited with ${code}: ${out}`));
      else if (!last.startsWith('{')) reject(new Error(`the package process printed no result: ${out}`));
      else resolve(JSON.parse(last) as ChildResult);
    });
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
    const sections = await systemSections(connector, seedsOf(HEAVY_CUSTOMER));
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

/**
 * The reference declaration with the shop as a system. The shop's own service also holds order
 * notes, card digits and behaviour events, which the reference's purposes do not list, so the
 * service purpose declares them here (a dataset may hold only what its purposes declare).
 */
function shopDeclaration(): string {
  const file = join(packageRoot, 'examples/reference/declaration.yaml');
  const declaration = parse(readFileSync(file, 'utf8')) as {
    purposes: { id: string; categories: string[] }[];
  };
  const service = declaration.purposes.find((p) => p.id === 'b2b_service_provision');
  if (service === undefined) throw new Error('the reference declaration has no b2b_service_provision');
  service.categories.push('user.content', 'user.financial.payment', 'user.behavior');
  const system = {
    id: SYSTEM,
    name: { en: 'Web shop', sv: 'Webbutik' },
    kind: 'postgres',
    operator: 'self',
    purposes: ['b2b_service_provision', KEEP],
    hosting: { country: 'SE' },
    owner: 'shop-team@example.com',
  };
  return stringify({ ...declaration, systems: [system] });
}

/**
 * What the run left, as notes: steps and jobs by status, any run more than once, the rows each
 * request changed in the shop (the same for every person of the fixture's shape), and the
 * warnings the workers logged.
 */
async function runHealth(
  db: AppContext['store']['db'],
  ids: readonly string[],
  workers: readonly WorkerProcess[],
): Promise<void> {
  const steps = await db
    .selectFrom('request_steps')
    .select(['request_id', 'system', 'status', 'attempts', 'result'])
    .where('request_id', 'in', ids)
    .execute();
  const tally = (xs: readonly string[]) =>
    Object.entries(xs.reduce<Record<string, number>>((n, x) => ({ ...n, [x]: (n[x] ?? 0) + 1 }), {}))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  note(
    `steps: ${tally(steps.map((s) => s.status))}; run more than once: ${steps.filter((s) => s.attempts > 1).length}`,
  );
  const changed = new Map<string, number>();
  for (const s of steps)
    if (s.system === SYSTEM && s.result !== null)
      changed.set(
        s.request_id,
        (changed.get(s.request_id) ?? 0) +
          Number((JSON.parse(s.result) as { changed?: number }).changed ?? 0),
      );
  note(`shop rows changed per request: ${tally([...changed.values()].map(String))}`);
  const jobs = await db.selectFrom('jobs').select(['type', 'status', 'attempts']).execute();
  note(
    `jobs: ${tally(jobs.map((j) => `${j.type}:${j.status}`))}; claimed more than once: ${jobs.filter((j) => j.attempts > 1).length}`,
  );
  const warnings = workers.flatMap((w) =>
    w
      .output()
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line))
      .map((line) => String((JSON.parse(line) as { msg?: string }).msg)),
  );
  note(`worker warnings and errors: ${warnings.length === 0 ? 'none' : tally(warnings)}`);
  note(`worker CPU: ${workers.map((w) => `${cpuSeconds(w.child.pid).toFixed(1)} s`).join(', ')}`);
}

/** User and system CPU time of a process so far, from /proc (0 where there is none). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function requestsPerMinute(client: pg.ClientBase, report: Report): Promise<void> {
  const { startTestApp } = await import('../test/support/app.js');
  const { Worker } = await import('../src/jobs/queue.js');
  const { jobDefinitions } = await import('../src/worker-jobs.js');
  const { startWorker } = await import('../test/support/worker-process.js');
  await withTempDir(async (dir) => {
    mkdirSync(join(dir, 'datasets'));
    const declaration = join(dir, 'declaration.yaml');
    writeFileSync(declaration, shopDeclaration());
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
      await runHealth(app.ctx.store.db, ids, workers);

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
  reps: number,
): Promise<void> {
  const persons = Array.from({ length: ACCESS_PERSONS }, (_, i) => 1_000 + i * 997);
  const viaConnector = await connectorAccess(connector, seedsOf(persons[0]!));
  const viaSql = await rawRows(emailOf(persons[0]!));
  if (viaConnector !== viaSql)
    throw new Error(`${label}: the connector read ${viaConnector} rows, SQL ${viaSql}`);
  const ms = await pairedMedianMs(
    persons,
    (n) => connectorAccess(connector, seedsOf(n)),
    (n) => rawRows(emailOf(n)),
    reps,
  );
  report(`dsr_access_ms_${label}`, ms.connector, 'ms');
  report(`dsr_access_raw_sql_ms_${label}`, ms.raw, 'ms');
  report(`dsr_access_ratio_to_raw_sql_${label}`, ms.connector / ms.raw);
}

async function mariadb(report: Report): Promise<void> {
  const { default: mysql } = await import('mysql2/promise');
  // One database per run: two runs at once on a shared machine must not drop each other's shop.
  const database = `steward_bench_shop_${process.pid}`;
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
        3,
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
          20,
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
  if (runs('sqlite')) await sqlite(report);
  if (!runs('mariadb')) note('MariaDB: not in STEWARD_BENCH_PARTS');
  else if (await reachable(mariadbUrl)) await mariadb(report);
  else note(`MariaDB not reachable at ${mariadbUrl}: skipping the _mariadb figures`);
  if (await reachable(postgresBenchUrl)) await postgres(report);
  else note(`PostgreSQL not reachable at ${postgresBenchUrl}: skipping the PostgreSQL figures`);
}

if (
  process.argv[1] !== undefined &&
  // The real path: Node runs a main module found through a symbolic link under its target's name.
  import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href &&
  process.argv[2] === 'child'
)
  await child();
