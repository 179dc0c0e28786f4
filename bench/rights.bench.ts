/**
 * The `rights` group: how long the access package of one person with 100,000 records takes, and
 * how much memory it needs. The package is written by a fresh child process, so its peak resident
 * memory is that of the package work (plus Node and the loaded code), not of the set-up.
 *
 * The child runs compiled JavaScript, as production does (`npm run build`, `node bin/steward.js`):
 * the group first compiles the sources with the project's compiler settings into
 * `node_modules/.cache/steward-bench` and runs this file from there. `STEWARD_BENCH_CHILD=tsx`
 * runs the child through tsx instead, as the figures before 2026-11-25 were measured.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createContext, createLogger } from '../src/app.js';
import { packageRoot } from '../src/config.js';
import type { Config } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { writeAccessPackage } from '../src/rights/access-package.js';
import type { Report } from './support.js';
import { chunks, note, postgresBenchUrl, reachable, stopwatch, withTempDir } from './support.js';

export const name = 'rights';

const RECORDS = 100_000;
const ROWS_PER_STATEMENT = 500;
const DECLARATION = 'sncn-general';
const EMAIL = 'bench.person@example.com';

/**
 * The test harness's settings, with the secret the records are sealed under. The harness (and
 * the set-up's other helpers) are imported where they are used, not at the top, so that the
 * child process loads only the code the package needs.
 */
async function config(databaseUrl: string, dataDir: string, secret: Buffer): Promise<Config> {
  const { testConfig } = await import('../test/support/app.js');
  return testConfig(databaseUrl, dataDir, { secret });
}

/** Four kinds of record, shaped as capture stores them (purposes with bases, sealed data). */
const shapes = [
  {
    kind: 'form_submission',
    purposes: [{ id: 'enquiries', basis: 'legitimate_interests' }],
    categories: ['user.name', 'user.contact', 'user.content.communication'],
    source: ['website_forms', 'direct'],
    days: 365,
  },
  {
    kind: 'partner_account',
    purposes: [{ id: 'b2b_service_provision', basis: 'contract' }],
    categories: ['user.name', 'user.account'],
    source: ['partner_account', 'direct'],
    days: null,
  },
  {
    kind: 'site_search',
    purposes: [{ id: 'website_analytics', basis: 'consent' }],
    categories: ['user.behavior.search_history'],
    source: ['site_search', 'direct'],
    days: 395,
  },
  {
    kind: 'credit_report',
    purposes: [{ id: 'credit_check', basis: 'legitimate_interests' }],
    categories: ['user.financial.credit'],
    source: ['credit_institutions', 'third_party'],
    days: 182,
  },
] as const;

/** One subject with `RECORDS` records, inserted in multi-row statements inside one transaction. */
async function load(ctx: AppContext): Promise<string> {
  const { seal } = await import('../src/capture/sealed.js');
  const { lookupOf } = await import('../src/subjects/subjects.js');
  const subjectId = randomUUID();
  const now = new Date('2026-11-01T00:00:00Z');
  await ctx.store.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('subjects')
      .values({
        id: subjectId,
        tenant: '',
        jurisdiction: 'SE',
        child: 0,
        restricted: 0,
        objected_at: null,
        merged_into: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    await tx
      .insertInto('identifiers')
      .values({
        id: randomUUID(),
        subject_id: subjectId,
        tenant: '',
        kind: 'email',
        value: EMAIL,
        lookup: lookupOf(ctx.keys, 'email', EMAIL),
        created_at: now.toISOString(),
      })
      .execute();
    const indexes = Array.from({ length: RECORDS }, (_, i) => i);
    for (const statement of chunks(indexes, ROWS_PER_STATEMENT)) {
      await tx
        .insertInto('records')
        .values(
          statement.map((i) => {
            const shape = shapes[i % shapes.length]!;
            const collected = new Date(now.getTime() - (RECORDS - i) * 60_000);
            return {
              id: randomUUID(),
              subject_id: subjectId,
              tenant: '',
              declaration_id: DECLARATION,
              declaration_version: 1,
              kind: shape.kind,
              purposes: JSON.stringify(shape.purposes),
              categories: JSON.stringify(shape.categories),
              source_id: shape.source[0],
              source_type: shape.source[1],
              collection_point: null,
              data: seal(ctx.keys.records, {
                name: 'Bench Person',
                email: EMAIL,
                message: `Message ${i}: could you tell me more about the office sensors and their prices?`,
                page: `/products/${i % 997}`,
                n: i,
              }),
              collected_at: collected.toISOString(),
              expires_at:
                shape.days === null
                  ? null
                  : new Date(collected.getTime() + shape.days * 86_400_000).toISOString(),
            };
          }),
        )
        .execute();
    }
  });
  return subjectId;
}

interface ChildResult {
  readonly ms: number;
  readonly peakRssMb: number;
  readonly startRssMb: number;
  readonly bytes: number;
  readonly records: number;
  readonly files: number;
}

/** How the child runs: this file compiled to JavaScript, or through tsx. */
type ChildCommand = readonly string[];

/**
 * Compiles the project (src, bench, test) with its own compiler settings, without type-checking
 * (CI does that), into a cache directory inside the project, so that the compiled files resolve
 * packages from `node_modules`. Returns the arguments that run this file's compiled copy.
 */
async function compiledChild(): Promise<ChildCommand> {
  if (process.env.STEWARD_BENCH_CHILD === 'tsx') {
    note('child: through tsx (STEWARD_BENCH_CHILD=tsx)');
    return ['--import', 'tsx', fileURLToPath(import.meta.url)];
  }
  const out = join(packageRoot, 'node_modules/.cache/steward-bench');
  rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const elapsed = stopwatch();
  await promisify(execFile)(process.execPath, [
    tsc,
    '-p',
    join(packageRoot, 'tsconfig.json'),
    '--outDir',
    out,
    '--noCheck',
  ]);
  note(`child: compiled JavaScript (tsc into ${out} in ${elapsed().toFixed(1)} s)`);
  return [join(out, 'bench/rights.bench.js')];
}

interface ChildArgs<Secret> {
  readonly config: Omit<Config, 'secret'> & { secret: Secret };
  readonly schema?: string;
  readonly subjectId: string;
  readonly passphrase?: string;
}

/** Runs the package in a fresh process; its figures come back as one JSON line. */
function inChild(command: ChildCommand, args: ChildArgs<Buffer>) {
  return new Promise<ChildResult>((resolve, reject) => {
    const child = spawn(process.execPath, [...command, 'child'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_RIGHTS: JSON.stringify({
          ...args,
          config: { ...args.config, secret: args.config.secret.toString('hex') },
        }),
      },
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

/** The child: open the store, write the package to a sink that only counts, report figures. */
async function child(): Promise<void> {
  const args = JSON.parse(process.env.BENCH_RIGHTS ?? '{}') as ChildArgs<string>;
  await withTempDir(async (dir) => {
    const config = { ...args.config, dataDir: dir, secret: Buffer.from(args.config.secret, 'hex') };
    const ctx = await createContext(config, {
      log: createLogger('silent'),
      publishFiles: false,
      ...(args.schema === undefined ? {} : { schema: args.schema }),
    });
    try {
      const startRss = process.memoryUsage.rss();
      let peak = startRss;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 10);
      const sink = new Writable({
        write(_chunk, _encoding, callback) {
          callback();
        },
      });
      const elapsed = stopwatch();
      const result = await writeAccessPackage(
        ctx,
        {
          subjectId: args.subjectId,
          lang: 'en',
          ...(args.passphrase === undefined ? {} : { passphrase: args.passphrase }),
        },
        sink,
      );
      const ms = elapsed() * 1000;
      clearInterval(sampler);
      // maxRSS covers the whole life of the process, start-up included: the honest peak.
      const maxRss = process.resourceUsage().maxRSS * 1024;
      const figures: ChildResult = {
        ms,
        peakRssMb: Math.max(peak, maxRss) / 1e6,
        startRssMb: startRss / 1e6,
        ...result,
      };
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    } finally {
      await ctx.store.close();
    }
  });
}

async function measureOn(
  command: ChildCommand,
  label: '' | '_postgres',
  url: string,
  dir: string,
  report: Report,
  schema?: string,
): Promise<void> {
  const settings = await config(url, dir, randomBytes(32));
  const ctx = await createContext(settings, {
    log: createLogger('silent'),
    ...(schema === undefined ? {} : { schema }),
  });
  try {
    const loading = stopwatch();
    const subjectId = await load(ctx);
    note(`set-up${label}: ${RECORDS} records in ${loading().toFixed(1)} s`);
    const base = { config: settings, subjectId, ...(schema === undefined ? {} : { schema }) };
    // One untimed run warms the database's page cache, as a live system's would be.
    await inChild(command, base);
    const plain = await inChild(command, base);
    if (plain.records !== RECORDS)
      throw new Error(`expected ${RECORDS} records, the package has ${plain.records}`);
    report(`access_package_ms${label}`, plain.ms, 'ms');
    report(`access_package_peak_rss_mb${label}`, plain.peakRssMb, 'MB');
    report(`access_package_start_rss_mb${label}`, plain.startRssMb, 'MB');
    report(`access_package_mb${label}`, plain.bytes / 1e6, 'MB');
    const encrypted = await inChild(command, { ...base, passphrase: 'bench passphrase' });
    report(`access_package_encrypted_ms${label}`, encrypted.ms, 'ms');
    report(`access_package_encrypted_peak_rss_mb${label}`, encrypted.peakRssMb, 'MB');
  } finally {
    await ctx.store.close();
  }
}

export async function run(report: Report): Promise<void> {
  const command = await compiledChild();
  await withTempDir((dir) => measureOn(command, '', `sqlite:${join(dir, 'rights.db')}`, dir, report));
  if (!(await reachable(postgresBenchUrl))) {
    note(`PostgreSQL not reachable at ${postgresBenchUrl}: skipping the _postgres figures`);
    return;
  }
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  try {
    await withTempDir((dir) => measureOn(command, '_postgres', postgresBenchUrl, dir, report, schema));
  } finally {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: postgresBenchUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === 'child'
)
  await child();
