/**
 * Attacks on what processes share: a process with another secret opening the store (finding 8),
 * a signed Data Rights Protocol message played again (finding 10), a consent withdrawal that
 * another web process does not see (finding 12), and bodies Steward POSTs without their length
 * (finding 13). Each goes through the public interfaces: the CLI and servers as child processes,
 * HTTP through the test app, a real receiver for what Steward sends out.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { createContext, createLogger } from '../../src/app.js';
import { hostActor } from '../../src/cli/host-actor.js';
import { ConfigError, packageRoot } from '../../src/config.js';
import { Worker } from '../../src/jobs/queue.js';
import { drpCallbackJob } from '../../src/rights/drp/callback.js';
import { addDrpAgent } from '../../src/rights/drp/agents.js';
import { transmitPortability } from '../../src/rights/portability.js';
import { openStore } from '../../src/store/database.js';
import type { TestApp } from '../support/app.js';
import { dialects, freshDatabase, referenceDeclaration, startTestApp } from '../support/app.js';
import { cliEnv, runCli } from '../support/cli.js';
import { startReceiver } from '../support/receiver.js';

const DECLARATION = 'sncn-general';
/** Asked once, before any test runs: a busy machine can miss the reachability probe later. */
const dialectsToTest = await dialects();

/** A URL that names the PostgreSQL schema, as an operator would configure several installations. */
const urlOf = (db: { url: string; schema?: string }) =>
  db.schema ? `${db.url}?schema=${db.schema}` : db.url;

/** Runs `steward ...args` as its own process for at most `ms`; a process still running is stopped. */
function runFor(
  args: readonly string[],
  env: Record<string, string>,
  ms: number,
): Promise<{ code: number | null; stderr: string; stillRunning: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), ...args],
      {
        cwd: packageRoot,
        env: { PATH: process.env.PATH ?? '', STEWARD_LOG_LEVEL: 'silent', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stillRunning: code === null });
    });
  });
}

async function count(url: string, table: 'operators' | 'subjects' | 'policy_versions'): Promise<number> {
  const store = await openStore(url);
  try {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

for (const dialect of dialectsToTest) {
  describe(`finding 8: the store knows its secret, on ${dialect}`, () => {
    test('C7.3 finding 8: every process with another secret refuses to start, names the setting to fix, and writes nothing', async () => {
      const db = await freshDatabase(dialect);
      const url = urlOf(db);
      try {
        // The installation: on SQLite its secret is the generated data/secret.key; PostgreSQL needs STEWARD_SECRET.
        const first: Record<string, string> = {
          STEWARD_DATABASE_URL: url,
          STEWARD_DATA_DIR: join(db.dataDir, 'installed'),
          ...(dialect === 'postgres' ? { STEWARD_SECRET: randomBytes(32).toString('base64') } : {}),
        };
        const created = await runCli(
          [
            'operator',
            'create',
            '--email',
            'first@example.test',
            '--name',
            'First',
            '--role',
            'administrator',
          ],
          first,
        );
        assert.equal(created.code, 0, created.stderr);
        const operators = await count(url, 'operators');
        const versions = await count(url, 'policy_versions');

        // Another directory, the same database: SQLite would generate a fresh secret.key there.
        const elsewhere = join(db.dataDir, 'elsewhere');
        const second: Record<string, string> = {
          STEWARD_DATABASE_URL: url,
          STEWARD_DATA_DIR: elsewhere,
          ...(dialect === 'postgres' ? { STEWARD_SECRET: randomBytes(32).toString('base64') } : {}),
        };
        const setting = dialect === 'postgres' ? /STEWARD_SECRET/ : /secret\.key[\s\S]*STEWARD_DATA_DIR/;
        for (const args of [
          ['migrate'],
          [
            'operator',
            'create',
            '--email',
            'second@example.test',
            '--name',
            'Second',
            '--role',
            'administrator',
          ],
          ['policy', 'publish', referenceDeclaration],
          ['jobs', 'run'],
        ]) {
          const refused = await runCli(args, second);
          assert.notEqual(refused.code, 0, `steward ${args.join(' ')} must refuse: ${refused.stdout}`);
          assert.match(refused.stderr, /another secret/, args.join(' '));
          assert.match(refused.stderr, setting, args.join(' '));
        }
        for (const role of ['web', 'worker']) {
          const server = await runFor(['start', '--role', role], { ...second, STEWARD_PORT: '0' }, 20_000);
          assert.equal(server.stillRunning, false, `start --role ${role} must not run with another secret`);
          assert.notEqual(server.code, 0);
          assert.match(server.stderr, setting);
        }
        assert.equal(await count(url, 'operators'), operators, 'no operator was written');
        assert.equal(await count(url, 'policy_versions'), versions, 'no declaration was published');
        if (dialect === 'sqlite')
          assert.equal(
            existsSync(join(elsewhere, 'secret.key')),
            false,
            'no stray secret file is left behind',
          );

        const again = await runCli(['migrate'], first);
        assert.equal(again.code, 0, `the installation's own settings still work: ${again.stderr}`);
      } finally {
        await db.drop();
      }
    });

    test('C7.3 finding 8: a store from before the check value adopts the first secret that opens it, then refuses others', async () => {
      const app = await startTestApp(dialect);
      try {
        await app.ctx.store.db.deleteFrom('store_identity').execute();
        const options = { log: createLogger('silent'), ...(app.schema ? { schema: app.schema } : {}) };
        const adopted = await createContext({ ...app.config }, options);
        await adopted.store.close();
        assert.equal((await app.ctx.store.db.selectFrom('store_identity').selectAll().execute()).length, 1);
        const check = await app.ctx.store.db
          .selectFrom('store_identity')
          .selectAll()
          .executeTakeFirstOrThrow();
        assert.ok(!JSON.stringify(check).includes(app.config.secret.toString('base64')), 'never the secret');
        await assert.rejects(
          createContext({ ...app.config, secret: randomBytes(32) }, options),
          (error: unknown) => error instanceof ConfigError && /STEWARD_SECRET/.test(error.message),
        );
      } finally {
        await app.close();
      }
    });
  });
}

/** An agent's key pair, its verify key as the DRP directory publishes it (base64 of 32 bytes). */
function keyPair(): { privateKey: KeyObject; verifyKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { privateKey, verifyKey: Buffer.from(x, 'base64url').toString('base64') };
}

/** libsodium combined mode: signature ‖ message, then base64. */
function signedText(privateKey: KeyObject, json: string): string {
  const bytes = Buffer.from(json);
  return Buffer.concat([sign(null, bytes, privateKey), bytes]).toString('base64');
}
const signed = (privateKey: KeyObject, message: object) => signedText(privateKey, JSON.stringify(message));

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

/** The reference declaration, taking DRP requests. */
function drpDeclaration(dir: string): string {
  const doc = parse(readFileSync(referenceDeclaration, 'utf8')) as { rights: { channels: string[] } };
  doc.rights.channels.push('drp');
  const file = join(dir, 'declaration-drp.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

for (const dialect of dialectsToTest) {
  describe(`findings 10 and 13: Data Rights Protocol messages, on ${dialect}`, () => {
    let app: TestApp;
    let dir: string;
    const agent = { id: 'REPLAY_AGENT', ...keyPair(), token: '' };
    let people = 0;

    const envelope = (extra: Record<string, unknown> = {}) => ({
      'agent-id': agent.id,
      'business-id': DECLARATION,
      'issued-at': minutes(-1),
      'expires-at': minutes(9),
      'drp.version': '1.0',
      ...extra,
    });
    const requestMessage = (extra: Record<string, unknown> = {}) => {
      people += 1;
      return envelope({
        exercise: 'access',
        regime: 'ccpa',
        name: `Replayed Person ${people}`,
        email: `replayed${people}@example.test`,
        ...extra,
      });
    };
    const send = (method: 'POST' | 'DELETE', url: string, payload: string, token = agent.token) =>
      app.request({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        payload,
      });
    const agentRequests = async () =>
      (
        await app.ctx.store.db
          .selectFrom('requests')
          .select(['id', 'status'])
          .where('drp_agent_id', '=', agent.id)
          .execute()
      ).length;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'steward-replay-'));
      app = await startTestApp(dialect, {
        declarations: [drpDeclaration(dir)],
        config: { transmitAllowedHosts: ['127.0.0.1'] },
      });
      await addDrpAgent(app.ctx, hostActor(), { id: agent.id, verifyKey: agent.verifyKey });
      const paired = await app.request({
        method: 'POST',
        url: `/v1/agent/${agent.id}`,
        headers: { 'content-type': 'text/plain' },
        payload: signed(agent.privateKey, envelope()),
      });
      assert.equal(paired.statusCode, 200, paired.body);
      agent.token = paired.json<{ token: string }>().token;
    });
    after(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('C9.6 finding 10: a DRP request sent again, re-encoded or signed again over the same content answers the first request', async () => {
      const message = requestMessage();
      const body = signed(agent.privateKey, message);
      const before = await agentRequests();
      const first = await send('POST', '/v1/data-rights-request', body);
      assert.equal(first.statusCode, 200, first.body);
      const answer = first.json<{ request_id: string; status: string }>();

      // The same content in other bytes: base64 broken into lines, keys in another order and
      // spaced (a new signature), and the same body several times at once.
      const lines = body.replace(/(.{76})/g, '$1\n');
      const reordered = signedText(
        agent.privateKey,
        JSON.stringify(Object.fromEntries(Object.entries(message).reverse()), null, 2),
      );
      const replays = [
        await send('POST', '/v1/data-rights-request', body),
        await send('POST', '/v1/data-rights-request/', lines),
        await send('POST', '/v1/data-rights-request', reordered),
        ...(await Promise.all([1, 2, 3].map(() => send('POST', '/v1/data-rights-request', body)))),
      ];
      for (const replay of replays) {
        assert.equal(replay.statusCode, 200, replay.body);
        const again = replay.json<{ request_id: string; status: string }>();
        assert.equal(again.request_id, answer.request_id);
        assert.equal(again.status, answer.status);
      }
      assert.equal(await agentRequests(), before + 1, 'one request, however often the message came');
    });

    test('C9.6 finding 10: one agent-request-id sent at once in several fresh messages opens one request', async () => {
      const before = await agentRequests();
      const id = `ar-${randomBytes(6).toString('hex')}`;
      const bodies = [0, 1, 2, 3].map((i) =>
        signed(agent.privateKey, {
          ...requestMessage({ 'agent-request-id': id }),
          'issued-at': minutes(-1 - i),
        }),
      );
      const answers = await Promise.all(bodies.map((b) => send('POST', '/v1/data-rights-request', b)));
      const ids = new Set(answers.map((a) => a.json<{ request_id: string }>().request_id));
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        [200, 200, 200, 200],
      );
      assert.equal(ids.size, 1);
      assert.equal(await agentRequests(), before + 1);
    });

    test('C9.6 finding 10: a replayed sale opt-out answers the same denial, with the same request id', async () => {
      const body = signed(agent.privateKey, requestMessage({ exercise: 'sale:opt-out' }));
      const first = await send('POST', '/v1/data-rights-request', body);
      const again = await send('POST', '/v1/data-rights-request', body);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(again.json(), first.json());
    });

    test('C9.6 finding 10: a signed revoke takes effect on the request it was sent for, never on another', async () => {
      const open = async () => {
        const res = await send('POST', '/v1/data-rights-request', signed(agent.privateKey, requestMessage()));
        assert.equal(res.statusCode, 200, res.body);
        return res.json<{ request_id: string }>().request_id;
      };
      const [a, b] = [await open(), await open()];
      const revoke = signed(agent.privateKey, envelope({ reason: 'changed my mind' }));
      const revoked = await send('DELETE', `/v1/data-rights-request/${a}`, revoke);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal(revoked.json<{ status: string }>().status, 'revoked');
      const again = await send('DELETE', `/v1/data-rights-request/${a}`, revoke);
      assert.equal(again.json<{ status: string }>().status, 'revoked', 'the same request: the same answer');

      const misused = await send('DELETE', `/v1/data-rights-request/${b}`, revoke);
      assert.equal(misused.statusCode, 403, misused.body);
      const row = await app.ctx.store.db
        .selectFrom('requests')
        .select('status')
        .where('id', '=', b)
        .executeTakeFirstOrThrow();
      assert.notEqual(row.status, 'withdrawn');
    });

    test('C9.6 finding 13: DRP status callbacks carry an exact Content-Length and are not chunked', async () => {
      const hook = await startReceiver(200);
      try {
        const created = await send(
          'POST',
          '/v1/data-rights-request',
          signed(agent.privateKey, requestMessage({ status_callback: `http://127.0.0.1:${hook.port}/drp` })),
        );
        assert.equal(created.statusCode, 200, created.body);
        assert.ok((await new Worker(app.ctx, [drpCallbackJob]).drain()) >= 1);
        const [callback] = hook.received;
        assert.ok(callback, 'the callback arrived');
        assert.equal(callback.headers['transfer-encoding'], undefined);
        assert.equal(callback.headers['content-length'], String(Buffer.byteLength(callback.body)));
        assert.equal(
          (JSON.parse(callback.body) as { request_id: string }).request_id,
          created.json<{ request_id: string }>().request_id,
        );
      } finally {
        await hook.close();
      }
    });

    test('C5m.1 finding 13: a portability transmission carries an exact Content-Length and is not chunked', async () => {
      const officer = await app.signInAs('privacy_officer');
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: { cookie: officer.cookie, 'content-type': 'application/json' },
        payload: {
          declarationId: DECLARATION,
          subject: { identifiers: [{ kind: 'email', value: 'portable@example.test' }], jurisdiction: 'DE' },
          kind: 'partner_account',
          purposes: ['b2b_service_provision'],
          categories: ['user.name', 'user.account.username'],
          source: 'partner_account',
          data: { username: 'portable', company: 'Acme AB', note: 'å'.repeat(5000) },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      const receiver = await startReceiver(202);
      try {
        const result = await transmitPortability(app.ctx, 'operator:test', {
          subjectId: captured.json<{ subjectId: string }>().subjectId,
          endpoint: `http://127.0.0.1:${receiver.port}/import`,
        });
        assert.equal(result.ok, true);
        const [received] = receiver.received;
        assert.ok(received);
        assert.equal(received.headers['transfer-encoding'], undefined);
        assert.equal(received.headers['content-length'], String(Buffer.byteLength(received.body)));
        assert.equal(result.bytes, Buffer.byteLength(received.body));
        assert.ok(received.body.includes('portable'));
      } finally {
        await receiver.close();
      }
    });

    test('C9.6 finding 10: a replayed pairing message issues no token, and the agent’s token keeps working', async () => {
      const pairing = signed(agent.privateKey, envelope());
      const post = () =>
        app.request({
          method: 'POST',
          url: `/v1/agent/${agent.id}`,
          headers: { 'content-type': 'text/plain' },
          payload: pairing,
        });
      const first = await post();
      assert.equal(first.statusCode, 200, first.body);
      agent.token = first.json<{ token: string }>().token;
      const replayed = await post();
      assert.equal(replayed.statusCode, 403);
      assert.equal(replayed.body, '');
      const info = await app.request({
        method: 'GET',
        url: `/v1/agent/${agent.id}`,
        headers: { authorization: `Bearer ${agent.token}` },
      });
      assert.equal(info.statusCode, 200, 'the replay did not replace the agent’s token');
    });
  });
}

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

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

function post(port: number, path: string, body: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    )
      .on('error', reject)
      .end(JSON.stringify(body));
  });
}

/** `steward start --role web` on the test app's database, in its own process, once healthy. */
async function startWebProcess(app: TestApp): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), 'start', '--role', 'web'],
    {
      cwd: packageRoot,
      env: {
        PATH: process.env.PATH ?? '',
        ...cliEnv(app),
        STEWARD_PORT: String(port),
        STEWARD_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
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
      child.kill('SIGKILL');
      throw new Error('steward start did not become healthy');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

for (const dialect of dialectsToTest) {
  describe(`finding 12: consent withdrawals reach every process, on ${dialect}`, () => {
    test('C3d.1 finding 12: after a withdrawal in one process, another web process refuses the token’s events at once', async () => {
      const app = await startTestApp(dialect);
      const other = await startWebProcess(app);
      try {
        const config = await app.request({ method: 'GET', url: `/web/v1/config/${DECLARATION}` });
        const version = config.json<{ version: string }>().version;
        const choice = (categories: Record<string, boolean>, token?: string) => ({
          declarationId: DECLARATION,
          version,
          categories,
          gpc: false,
          language: 'en',
          via: 'save',
          ...(token === undefined ? {} : { token }),
        });
        const batch = (token: string) => ({
          id: randomBytes(12).toString('base64url'),
          declarationId: DECLARATION,
          token,
          page: 'https://www.example.com/products/1',
          events: [{ type: 'click', at: Date.now(), target: 'BUTTON', label: 'buy' }],
        });

        const given = await post(other.port, '/web/v1/consent', choice({ analytics: true }));
        assert.equal(given.status, 200, given.body);
        const token = (JSON.parse(given.body) as { token: string }).token;
        const accepted = await post(other.port, '/web/v1/events', batch(token));
        assert.equal(accepted.status, 202, accepted.body);
        assert.equal((JSON.parse(accepted.body) as { accepted: number }).accepted, 1);

        const withdrawn = await app.request({
          method: 'POST',
          url: '/web/v1/consent',
          headers: { 'content-type': 'application/json', 'user-agent': BROWSER },
          payload: choice({ analytics: false }, token),
        });
        assert.equal(withdrawn.statusCode, 200, withdrawn.body);

        const refused = await post(other.port, '/web/v1/events', batch(token));
        assert.equal(refused.status, 403, `the other process still took the events: ${refused.body}`);
        assert.match(refused.body, /consent/);
      } finally {
        await other.stop();
        await app.close();
      }
    });
  });
}
