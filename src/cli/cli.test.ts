import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../config.js';
import { runCli } from '../../test/support/cli.js';
import { referenceDeclaration, smallShopDeclaration } from '../../test/support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
const env = { STEWARD_DATA_DIR: dir, STEWARD_DATABASE_URL: `sqlite:${join(dir, 'steward.db')}` };
const reference = readFileSync(referenceDeclaration, 'utf8');

function brokenDeclaration(): string {
  const doc = parse(reference) as { purposes: Record<string, unknown>[] };
  delete doc.purposes[0]!['legalBasis'];
  const file = join(dir, 'broken.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

describe('steward CLI', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('policy lint passes both examples and fails a broken file with code, path, line and hint', async () => {
    const ok = await runCli(['policy', 'lint', referenceDeclaration, smallShopDeclaration]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /reference\/declaration\.yaml: ok \(0 errors/);

    const file = brokenDeclaration();
    const bad = await runCli(['policy', 'lint', file]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /broken\.yaml:\d+ error basis\.missing \[purposes\[0\]\]/);
    assert.match(bad.stdout, /fix: Add legalBasis/);

    const json = await runCli(['policy', 'lint', '--json', file]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      files: { issues: { code: string; line: number }[] }[];
    };
    assert.equal(report.ok, false);
    assert.equal(report.files[0]?.issues[0]?.code, 'basis.missing');
    assert.ok((report.files[0]?.issues[0]?.line ?? 0) > 1);
  });

  test('C2.1 policy render writes the notice with its glossary, in Markdown and HTML', async () => {
    const md = await runCli(['policy', 'render', referenceDeclaration, '--format', 'md']);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /Glossary/);
    assert.match(md.stdout, /Integritetsskyddsmyndigheten/);
    const out = join(dir, 'notice.html');
    const html = await runCli([
      'policy',
      'render',
      smallShopDeclaration,
      '--format',
      'html',
      '--lang',
      'sv',
      '--out',
      out,
    ]);
    assert.equal(html.code, 0, html.stderr);
    assert.match(readFileSync(out, 'utf8'), /<html lang="sv"/);
  });

  test('policy render refuses a --lang the declaration does not offer, naming what it offers', async () => {
    const ja = await runCli(['policy', 'render', smallShopDeclaration, '--lang', 'ja']);
    assert.equal(ja.code, 2);
    assert.equal(ja.stdout, '');
    assert.match(
      ja.stderr,
      /--lang ja: the declaration offers sv, en, and Steward has no wording in ja \(shipped: en, bg, [a-z, ]+, sv\)/,
    );
  });

  test('policy ropa writes the record of processing as CSV and JSON', async () => {
    const csv = await runCli(['policy', 'ropa', referenceDeclaration, '--format', 'csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const purposes = (parse(reference) as { purposes: unknown[] }).purposes.length;
    assert.equal(csv.stdout.trim().split(/\r?\n/).length, purposes + 1);
    const json = JSON.parse(
      (await runCli(['policy', 'ropa', referenceDeclaration, '--format', 'json'])).stdout,
    ) as { rows: unknown[] };
    assert.equal(json.rows.length, purposes);
  });

  test('policy schema prints the JSON Schema', async () => {
    const res = await runCli(['policy', 'schema']);
    const schema = JSON.parse(res.stdout) as { properties: Record<string, unknown> };
    assert.ok('communications' in schema.properties && 'cookies' in schema.properties);
  });

  test('CV.1 policy publish, versions and diff work against the store', async () => {
    const first = await runCli(['policy', 'publish', referenceDeclaration], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /Published sncn-general version 1 \(2021-03, in force from 2021-03-01, sha256 [0-9a-f]{64}\)/,
    );
    const same = await runCli(['policy', 'publish', referenceDeclaration], env);
    assert.match(same.stdout, /Unchanged: sncn-general version 1/);

    const doc = parse(reference) as { version: string; children: { ageThreshold: number } };
    doc.version = '2027-01';
    doc.children.ageThreshold = 18;
    const next = join(dir, 'next.yaml');
    writeFileSync(next, stringify(doc));
    const second = await runCli(['policy', 'publish', next, '--effective', '2027-01-15'], env);
    assert.match(second.stdout, /version 2 \(2027-01, in force from 2027-01-15/);

    const versions = await runCli(['policy', 'versions', 'sncn-general'], env);
    assert.equal(versions.stdout.trim().split('\n').length, 2);
    const diff = await runCli(['policy', 'diff', 'sncn-general@1', 'sncn-general@2'], env);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /children: changed children/);
    assert.match(diff.stdout, /^\+\s*ageThreshold: 18/m);
    const files = await runCli(['policy', 'diff', referenceDeclaration, next]);
    assert.match(files.stdout, /children: changed/);
  });

  test('C4a.1 steward check answers the suppression check from a file of addresses', async () => {
    await runCli(['policy', 'publish', referenceDeclaration], env);
    const file = join(dir, 'addresses.txt');
    writeFileSync(file, 'someone@example.com\n\nnot-an-address\n');
    const optIn = await runCli(
      ['check', '--declaration', 'sncn-general', '--communication', 'product_updates', file],
      env,
    );
    assert.equal(optIn.code, 0, optIn.stderr);
    assert.equal(
      optIn.stdout,
      'address,allowed,reason\n"someone@example.com",false,unknown_opt_in_required\n"not-an-address",false,invalid_address\n',
    );
    const optOut = await runCli(
      [
        'check',
        '--declaration',
        'sncn-general',
        '--communication',
        'product_updates',
        '--jurisdiction',
        'SE',
        file,
      ],
      env,
    );
    assert.match(optOut.stdout, /"someone@example\.com",true,opt_out/);
    const unknown = await runCli(
      ['check', '--declaration', 'sncn-general', '--communication', 'nope', file],
      env,
    );
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Communication "nope" is not declared/);
  });

  test('drp agent add, list and revoke manage the agents trusted to pair, with clear refusals', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const verifyKey = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
    const added = await runCli(['drp', 'agent', 'add', 'CLI_AGENT_1', '--verify-key', verifyKey], env);
    assert.equal(added.code, 0, added.stderr);
    assert.match(
      added.stdout,
      /Trusted DRP agent CLI_AGENT_1\. It can now pair at .*\/v1\/agent\/CLI_AGENT_1/,
    );

    const again = await runCli(['drp', 'agent', 'add', 'CLI_AGENT_1', '--verify-key', verifyKey], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already trusted; revoke it first/);
    const badKey = await runCli(['drp', 'agent', 'add', 'CLI_AGENT_2', '--verify-key', 'AAAA'], env);
    assert.equal(badKey.code, 1);
    assert.match(badKey.stderr, /verifyKey: must be a 32-byte Ed25519 verify key/);

    const listed = await runCli(['drp', 'agent', 'list'], env);
    assert.match(listed.stdout, /^CLI_AGENT_1\tnot paired yet\tverify key /m);
    assert.doesNotMatch(listed.stdout, /CLI_AGENT_2/);

    const revoked = await runCli(['drp', 'agent', 'revoke', 'CLI_AGENT_1'], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    const json = JSON.parse((await runCli(['drp', 'agent', 'list', '--json'], env)).stdout) as {
      id: string;
      revokedAt: string | null;
    }[];
    assert.ok(json.find((a) => a.id === 'CLI_AGENT_1')?.revokedAt);
    const unknown = await runCli(['drp', 'agent', 'revoke', 'NOBODY'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /NOBODY/);
  });

  test('start refuses a declaration with errors, prints the lint output, and stores nothing', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'steward-cli-refuse-'));
    try {
      const res = await runCli(['start'], {
        STEWARD_DATA_DIR: fresh,
        STEWARD_DECLARATIONS: `${smallShopDeclaration},${brokenDeclaration()}`,
        STEWARD_PORT: '0',
      });
      assert.equal(res.code, 2);
      assert.match(res.stderr, /will not start/);
      assert.match(res.stderr, /basis\.missing/);
      // The valid file was not published either: one bad file means nothing loads.
      const versions = await runCli(['policy', 'versions', 'nordkust-kaffe'], { STEWARD_DATA_DIR: fresh });
      assert.equal(versions.code, 1);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  test('a bad setting stops start-up with a message saying how to fix it', async () => {
    const res = await runCli(['start'], {
      ...env,
      STEWARD_PORT: 'eighty',
      STEWARD_DATABASE_URL: 'mysql://x',
    });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /STEWARD_PORT must be a port number/);
    const db = await runCli(['migrate'], { ...env, STEWARD_DATABASE_URL: 'mysql://x' });
    assert.equal(db.code, 2);
    assert.match(db.stderr, /use sqlite:PATH or postgres:\/\//);
    const pg = await runCli(['migrate'], {
      ...env,
      STEWARD_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    });
    assert.match(pg.stderr, /STEWARD_SECRET: required with PostgreSQL/);
  });

  test('start serves the notice and health, creates the first administrator once, and stops on SIGTERM', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const fresh = mkdtempSync(join(tmpdir(), 'steward-cli-start-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), 'start'],
      {
        cwd: packageRoot,
        env: {
          PATH: process.env.PATH ?? '',
          STEWARD_DATA_DIR: fresh,
          STEWARD_PORT: String(port),
          STEWARD_LOG_LEVEL: 'warn',
        },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      const deadline = Date.now() + 30_000;
      while (!stdout.includes('password:') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(stdout, /First administrator created/);
      assert.match(stdout, /email: {4}admin@steward\.local/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const notice = await (await fetch(`http://127.0.0.1:${port}/privacy/sncn-general`)).text();
      assert.match(notice, /id="purpose-newsletters"/);
      const password = /password: (\S+)/.exec(stdout)?.[1];
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@steward.local', password }),
      });
      assert.equal(login.status, 200);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
