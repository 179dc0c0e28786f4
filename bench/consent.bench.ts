/**
 * The `consent` group: how fast Steward answers "may this communication go to these addresses"
 * (in process and over the batch API) and how fast it records consent over HTTP, each write
 * acknowledged only after it commits. Figures on SQLite, then on PostgreSQL when reachable.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { hostActor } from '../src/cli/host-actor.js';
import { createApiKey } from '../src/access/operators.js';
import { createContext, createLogger, deriveKeys } from '../src/app.js';
import { packageRoot } from '../src/config.js';
import type { Config } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { buildServer } from '../src/server/server.js';
import { communicationOf, suppressionIndex, verdictOf, verdictTable } from '../src/consent/suppression.js';
import type { People, StoredPerson } from './consent-fixtures.js';
import {
  consentBody,
  expectedReason,
  loadPeoplePostgres,
  loadPeopleSqlite,
  planPeople,
  send,
  storedPeople,
} from './consent-fixtures.js';
import type { Report } from './support.js';
import { chunks, note, postgresBenchUrl, reachable, stopwatch, withTempDir } from './support.js';

export const name = 'consent';

const DECLARATION = 'sncn-general';
const COMMUNICATION = 'sncn_newsletter';
const ADDRESSES = 1_000_000;
const CHECK_CHUNK = 10_000;
const CHECK_ROUNDS = 3;
const JSON_BATCH = 100_000;
const WRITE_CONCURRENCY = 32;
const WRITE_SECONDS = 10;
const WRITE_LIMIT = 30_000;
const WRITE_WARMUP = 500;
const SEED = 20261125;

/** `global.gc`, switched on at run time so `npm run bench` needs no extra node flag. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function config(databaseUrl: string, dataDir: string, secret: Buffer): Config {
  return {
    databaseUrl,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    publicUrl: 'http://localhost:8080',
    secret,
    declarationFiles: [join(packageRoot, 'examples/reference/declaration.yaml')],
    logLevel: 'silent',
    trustedProxies: [],
    transmitAllowedHosts: [],
    workerConcurrency: 1,
    adminEmail: 'admin@steward.local',
    mailFrom: 'Steward Bench <no-reply@example.test>',
    unsubscribeMailto: 'unsubscribe@example.test',
    systems: new Map(),
  };
}

/** Counts per verdict reason, and throws unless every address got the answer its kind calls for. */
function verify(people: People, reasons: readonly string[]): { blockedShare: number } {
  const wrong: string[] = [];
  let blocked = 0;
  for (let i = 0; i < reasons.length; i += 1) {
    const want = expectedReason(people.kinds[i]!);
    if (reasons[i] !== want && wrong.length < 5)
      wrong.push(`${people.addresses[i]}: ${reasons[i]} ≠ ${want}`);
    if (reasons[i] !== 'consent') blocked += 1;
  }
  if (reasons.length !== people.addresses.length)
    throw new Error(`expected ${people.addresses.length} verdicts, got ${reasons.length}`);
  if (wrong.length > 0) throw new Error(`wrong verdicts, for example ${wrong.join('; ')}`);
  const blockedShare = blocked / reasons.length;
  if (Math.abs(blockedShare - 0.1) > 0.001) throw new Error(`blocked share ${blockedShare}, expected 0.10`);
  return { blockedShare };
}

/**
 * Builds the index, then times `checkCodes` over every address (one reused `Uint8Array` of codes,
 * as a mail platform walking a large list would), `checkMany` (a verdict object per address)
 * beside it, and a plain `Set` beside both.
 */
async function inProcess(ctx: AppContext, people: People, report: Report): Promise<void> {
  const gc = collector();
  const index = suppressionIndex(ctx);
  const before = heapAfterGc(gc);
  const build = stopwatch();
  await index.sync();
  report('suppression_index_build_ms', build() * 1000, 'ms');
  report('suppression_index_heap_mb', (heapAfterGc(gc) - before) / 2 ** 20, 'MB');

  const communication = communicationOf(ctx, DECLARATION, COMMUNICATION);
  const batches = chunks(people.addresses, CHECK_CHUNK);
  const codes = new Uint8Array(CHECK_CHUNK);
  const reasons: string[] = [];
  for (const batch of batches) {
    index.checkCodes(DECLARATION, communication, batch, undefined, codes);
    const verdicts = index.checkMany(DECLARATION, communication, batch);
    for (let i = 0; i < batch.length; i += 1) {
      const verdict = verdictOf(codes[i]!);
      if (verdicts[i] !== verdict)
        throw new Error(`${batch[i]}: checkMany says ${verdicts[i]?.reason}, checkCodes ${verdict.reason}`);
      reasons.push(verdict.reason);
    }
  }
  const { blockedShare } = verify(people, reasons);

  const rates: number[] = [];
  const manyRates: number[] = [];
  for (let round = 0; round < CHECK_ROUNDS; round += 1) {
    let allowed = 0;
    let elapsed = stopwatch();
    for (const batch of batches) {
      index.checkCodes(DECLARATION, communication, batch, undefined, codes);
      for (let i = 0; i < batch.length; i += 1) if (verdictTable[codes[i]!]!.allowed) allowed += 1;
    }
    rates.push(ADDRESSES / elapsed());
    if (allowed !== ADDRESSES * 0.9) throw new Error(`round ${round}: ${allowed} allowed`);
    allowed = 0;
    elapsed = stopwatch();
    for (const batch of batches)
      for (const v of index.checkMany(DECLARATION, communication, batch)) if (v.allowed) allowed += 1;
    manyRates.push(ADDRESSES / elapsed());
    if (allowed !== ADDRESSES * 0.9) throw new Error(`checkMany round ${round}: ${allowed} allowed`);
  }
  report('suppression_checks_per_s', median(rates), 'checks/s');
  report('suppression_check_many_per_s', median(manyRates), 'checks/s');
  report('suppression_blocked_share', blockedShare);

  // Its own copies of the allowed addresses, made and inserted in sorted order, not the order they
  // are looked up in (as the index's are): the very strings, in order, would be kinder to the cache.
  const allowedAddresses = people.addresses.filter((_, i) => people.kinds[i] === 'confirmed').sort();
  const set = new Set(JSON.parse(JSON.stringify(allowedAddresses)) as string[]);
  const setRates: number[] = [];
  for (let round = 0; round < CHECK_ROUNDS; round += 1) {
    let allowed = 0;
    const elapsed = stopwatch();
    for (const a of people.addresses) if (set.has(a)) allowed += 1;
    setRates.push(ADDRESSES / elapsed());
    if (allowed !== set.size) throw new Error(`set round ${round}: ${allowed} of ${set.size}`);
  }
  report('raw_set_lookup_per_s', median(setRates), 'lookups/s');
}

interface Served {
  readonly port: number;
  readonly apiKey: string;
  readonly agent: Agent;
  close(): Promise<void>;
}

async function serve(ctx: AppContext): Promise<Served> {
  const { key } = await createApiKey(ctx, hostActor(), {
    name: 'bench',
    scopes: ['suppression:check', 'consent:write'],
  });
  const server = await buildServer(ctx);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    port: (server.server.address() as AddressInfo).port,
    apiKey: key,
    agent,
    async close() {
      agent.destroy();
      await server.close();
    },
  };
}

const checkPath = `/api/v1/suppression/check?declarationId=${DECLARATION}&communication=${COMMUNICATION}`;

/** JSON batches of 100,000, one request after another; returns checks per second. */
async function httpJson(served: Served, people: People): Promise<number> {
  const bodies = chunks(people.addresses, JSON_BATCH).map((addresses) => JSON.stringify({ addresses }));
  const warmup = await send(served.agent, served.port, {
    method: 'POST',
    path: checkPath,
    apiKey: served.apiKey,
    body: JSON.stringify({ addresses: people.addresses.slice(0, 10_000) }),
  });
  if (warmup.status !== 200) throw new Error(`suppression check answered ${warmup.status}: ${warmup.body}`);
  const elapsed = stopwatch();
  let allowed = 0;
  let answered = 0;
  for (const body of bodies) {
    const res = await send(served.agent, served.port, {
      method: 'POST',
      path: checkPath,
      apiKey: served.apiKey,
      body,
    });
    if (res.status !== 200)
      throw new Error(`suppression check answered ${res.status}: ${res.body.slice(0, 300)}`);
    const { results } = JSON.parse(res.body) as { results: { allowed: boolean }[] };
    answered += results.length;
    for (const r of results) if (r.allowed) allowed += 1;
  }
  const seconds = elapsed();
  if (answered !== ADDRESSES || allowed !== ADDRESSES * 0.9)
    throw new Error(`JSON batches: ${answered} answers, ${allowed} allowed`);
  return ADDRESSES / seconds;
}

/** All addresses streamed as text/plain in one request, the NDJSON answer read as it arrives. */
async function httpStream(served: Served, people: People): Promise<number> {
  const body = Buffer.from(`${people.addresses.join('\n')}\n`);
  const elapsed = stopwatch();
  const { answered, allowed } = await new Promise<{ answered: number; allowed: number }>(
    (resolve, reject) => {
      const req = request(
        {
          agent: served.agent,
          host: '127.0.0.1',
          port: served.port,
          method: 'POST',
          path: checkPath,
          headers: { authorization: `Bearer ${served.apiKey}`, 'content-type': 'text/plain' },
        },
        (res) => {
          let carry = '';
          let lines = 0;
          let yes = 0;
          let failure = '';
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            if (res.statusCode !== 200) {
              failure += text;
              return;
            }
            const all = carry + text;
            let start = 0;
            for (let end = all.indexOf('\n'); end >= 0; end = all.indexOf('\n', start)) {
              lines += 1;
              // Each line is {"address":…,"allowed":true|false,…}; 't' follows the colon when allowed.
              if (all.charCodeAt(all.indexOf('"allowed":', start) + 10) === 116) yes += 1;
              start = end + 1;
            }
            carry = all.slice(start);
          });
          res.on('end', () =>
            res.statusCode === 200
              ? resolve({ answered: lines, allowed: yes })
              : reject(new Error(`streamed check answered ${res.statusCode}: ${failure.slice(0, 300)}`)),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.setTimeout(120_000, () => req.destroy(new Error('no answer to the streamed check for 120 s')));
      // Sent in 1 MiB pieces, as a client reading a file would.
      let offset = 0;
      const pump = () => {
        while (offset < body.length) {
          const piece = body.subarray(offset, offset + 2 ** 20);
          offset += piece.length;
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    },
  );
  const seconds = elapsed();
  if (answered !== ADDRESSES || allowed !== ADDRESSES * 0.9)
    throw new Error(`stream: ${answered} answers, ${allowed} allowed`);
  return ADDRESSES / seconds;
}

/**
 * `POST /api/v1/consents` from 32 concurrent clients, a new address per request, for 10 s or
 * 30,000 requests; every answer must be 201 (sent after the commit).
 */
async function consentWrites(served: Served): Promise<number> {
  const run = randomUUID().slice(0, 8);
  let next = 0;
  const write = async () => {
    const n = (next += 1);
    const res = await send(served.agent, served.port, {
      method: 'POST',
      path: '/api/v1/consents',
      apiKey: served.apiKey,
      body: JSON.stringify(consentBody(`writer.${run}.${n}@example.org`)),
    });
    if (res.status !== 201)
      throw new Error(`consent write answered ${res.status}: ${res.body.slice(0, 300)}`);
  };
  const clients = async (until: () => boolean) => {
    await Promise.all(
      Array.from({ length: WRITE_CONCURRENCY }, async () => {
        while (!until()) await write();
      }),
    );
  };
  await clients(() => next >= WRITE_WARMUP);
  const started = next;
  const elapsed = stopwatch();
  await clients(() => next - started >= WRITE_LIMIT || elapsed() >= WRITE_SECONDS);
  const seconds = elapsed();
  return (next - started) / seconds;
}

/** Runs a section; a failure is printed and remembered, and the rest of the group still runs. */
async function section(failures: string[], label: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    failures.push(label);
    note(`${label} failed: ${(error as Error).message}`);
  }
}

interface Data {
  readonly people: People;
  readonly stored: readonly StoredPerson[];
  readonly secret: Buffer;
}

async function sqliteRun(
  { people, stored, secret }: Data,
  report: Report,
  failures: string[],
): Promise<void> {
  await withTempDir(async (dir) => {
    const file = join(dir, 'steward.db');
    const ctx = await createContext(config(`sqlite:${file}`, dir, secret), { log: createLogger('silent') });
    try {
      const load = stopwatch();
      const { rows } = loadPeopleSqlite(file, stored, {
        declarationId: DECLARATION,
        communication: COMMUNICATION,
      });
      note(`set-up: ${rows} rows into SQLite in ${load().toFixed(1)} s`);
      await section(failures, 'suppression_checks_per_s', () => inProcess(ctx, people, report));
      const served = await serve(ctx);
      try {
        await section(failures, 'suppression_http_checks_per_s', async () => {
          const json = await httpJson(served, people);
          const stream = await httpStream(served, people);
          report('suppression_http_checks_per_s', Math.max(json, stream), 'checks/s');
          report('suppression_http_json_checks_per_s', json, 'checks/s');
          report('suppression_http_stream_checks_per_s', stream, 'checks/s');
        });
        await section(failures, 'consent_writes_per_s', async () => {
          report('consent_writes_per_s', await consentWrites(served), 'writes/s');
        });
      } finally {
        await served.close();
      }
    } finally {
      await ctx.store.close();
    }
  });
}

async function postgresRun(
  { people, stored, secret }: Data,
  report: Report,
  failures: string[],
): Promise<void> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  try {
    await withTempDir(async (dir) => {
      const ctx = await createContext(config(postgresBenchUrl, dir, secret), {
        log: createLogger('silent'),
        schema,
      });
      try {
        const load = stopwatch();
        const { rows } = await loadPeoplePostgres(postgresBenchUrl, schema, stored, {
          declarationId: DECLARATION,
          communication: COMMUNICATION,
        });
        note(`set-up: ${rows} rows into PostgreSQL in ${load().toFixed(1)} s`);
        const build = stopwatch();
        await suppressionIndex(ctx).sync();
        report('suppression_index_build_ms_postgres', build() * 1000, 'ms');
        const served = await serve(ctx);
        try {
          await section(failures, 'suppression_http_checks_per_s_postgres', async () => {
            const json = await httpJson(served, people);
            const stream = await httpStream(served, people);
            report('suppression_http_checks_per_s_postgres', Math.max(json, stream), 'checks/s');
            report('suppression_http_json_checks_per_s_postgres', json, 'checks/s');
            report('suppression_http_stream_checks_per_s_postgres', stream, 'checks/s');
          });
          await section(failures, 'consent_writes_per_s_postgres', async () => {
            report('consent_writes_per_s_postgres', await consentWrites(served), 'writes/s');
          });
        } finally {
          await served.close();
        }
      } finally {
        await ctx.store.close();
      }
    });
  } finally {
    const client = new pg.Client({ connectionString: postgresBenchUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

export async function run(report: Report): Promise<void> {
  const prepare = stopwatch();
  const people = planPeople(ADDRESSES, SEED);
  // One secret for both stores, so the keyed hashes (lookups) are computed once.
  const secret = randomBytes(32);
  const data: Data = { people, stored: storedPeople(deriveKeys(secret), people), secret };
  note(`set-up: ${ADDRESSES} addresses and their lookups in ${prepare().toFixed(1)} s`);
  const failures: string[] = [];
  await sqliteRun(data, report, failures);
  if (await reachable(postgresBenchUrl)) {
    await postgresRun(data, report, failures);
  } else {
    const { hostname, port } = new URL(postgresBenchUrl);
    note(`skipping the PostgreSQL consent figures: PostgreSQL at ${hostname}:${port} is not reachable`);
  }
  if (failures.length > 0) throw new Error(`these figures could not be measured: ${failures.join(', ')}`);
}
