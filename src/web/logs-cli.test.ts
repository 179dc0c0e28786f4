import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { runCli } from '../../test/support/cli.js';
import { referenceDeclaration } from '../../test/support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-logs-cli-'));
const env = { STEWARD_DATA_DIR: dir, STEWARD_DATABASE_URL: `sqlite:${join(dir, 'steward.db')}` };
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const BOT = 'curl/8.5.0';

const line = (ip: string, path: string, status = 200, ua = FIREFOX) =>
  `${ip} - user [05/May/2025:08:00:00 +0000] "GET ${path} HTTP/1.1" ${status} 5 "https://www.example.org/from" "${ua}"`;

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('steward logs import', () => {
  before(async () => {
    const published = await runCli(['policy', 'publish', referenceDeclaration], env);
    assert.equal(published.code, 0, published.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('C3d.2 imports plain and gzip logs, lists unreadable lines by file and number, exits 0', async () => {
    const plain = file(
      'access.log',
      [
        line('203.0.113.45', '/one?q=secret'),
        'garbage line',
        line('198.51.100.23', '/', 200, BOT),
        ...Array.from({ length: 25 }, () => 'more garbage'),
        line('203.0.113.45', '/two'),
      ].join('\n'),
    );
    const gz = file('access.log.2', gzipSync(`${line('2001:db8:abcd:12::7', '/three')}\n`));
    const result = await runCli(['logs', 'import', plain, gz, '--declaration', 'sncn-general'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /Imported 3 events from 30 lines in 2 files: 26 unreadable, 1 from bots dropped, 0 not page views/,
    );
    // Not a terminal: no progress bar, only the summary.
    assert.doesNotMatch(result.stderr, /Importing \[/);
    assert.match(
      result.stderr,
      new RegExp(`${plain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not a Common`),
    );
    assert.match(result.stderr, /access\.log:4: not a Common/);
    assert.match(result.stderr, /… and 6 more unreadable lines/);
    assert.equal(result.stderr.match(/access\.log:\d+:/g)?.length, 20);

    const db = new Database(join(dir, 'steward.db'), { readonly: true });
    try {
      const rows = db.prepare('select * from web_events order by path').all() as Record<string, unknown>[];
      assert.deepEqual(
        rows.map((r) => [r['path'], r['network'], r['browser'], r['source']]),
        [
          ['/one', '203.0.113.0/24', 'Firefox', 'log'],
          ['/three', '2001:db8:abcd::/48', 'Firefox', 'log'],
          ['/two', '203.0.113.0/24', 'Firefox', 'log'],
        ],
      );
      const stored = JSON.stringify(rows);
      for (const secret of [
        '203.0.113.45',
        '2001:db8:abcd:12::7',
        '198.51.100.23',
        'secret',
        'user',
        'rv:121',
      ])
        assert.ok(!stored.includes(secret), `${secret} is stored`);
      const audit = db.prepare("select details from audit_log where action = 'web.logs_imported'").all() as {
        details: string;
      }[];
      assert.equal(audit.length, 1);
      assert.deepEqual(
        (({ lines, events, unreadable, bots }) => ({ lines, events, unreadable, bots }))(
          JSON.parse(audit[0]?.details ?? '{}') as Record<string, unknown>,
        ),
        { lines: 30, events: 3, unreadable: 26, bots: 1 },
      );
    } finally {
      db.close();
    }
  });

  test('C3d.2 exits 1 when a file cannot be read or none of its lines parse, after importing the others', async () => {
    const good = file('good.log', `${line('192.0.2.5', '/good')}\n`);
    const junk = file('junk.log', 'a\nb\n');
    const missing = join(dir, 'missing.log');
    const result = await runCli(
      ['logs', 'import', missing, junk, good, '--declaration', 'sncn-general', '--site', 'www.example.com'],
      env,
    );
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /missing\.log: not imported in full: no such file/);
    assert.match(result.stderr, /junk\.log: not imported in full: none of its 2 line/);
    assert.match(result.stdout, /Imported 1 event from 3 lines in 3 files/);
    const db = new Database(join(dir, 'steward.db'), { readonly: true });
    try {
      const row = db.prepare("select site from web_events where path = '/good'").get() as { site: string };
      assert.equal(row.site, 'www.example.com');
    } finally {
      db.close();
    }
  });

  test('bad usage exits 2: no file, no or unknown declaration, a --site that is not a host', async () => {
    const good = file('usage.log', `${line('192.0.2.6', '/u')}\n`);
    const noFile = await runCli(['logs', 'import', '--declaration', 'sncn-general'], env);
    assert.equal(noFile.code, 2, noFile.stderr);
    const noDeclaration = await runCli(['logs', 'import', good], env);
    assert.equal(noDeclaration.code, 2, noDeclaration.stderr);
    assert.match(noDeclaration.stderr, /--declaration/);
    const unknown = await runCli(['logs', 'import', good, '--declaration', 'nope'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /"nope" is not in force; in force: sncn-general/);
    const site = await runCli(
      ['logs', 'import', good, '--declaration', 'sncn-general', '--site', 'a b'],
      env,
    );
    assert.equal(site.code, 2);
    assert.match(site.stderr, /--site "a b" is not a host name/);
  });
});
