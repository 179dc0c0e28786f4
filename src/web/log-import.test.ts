import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { hostActor } from '../cli/host-actor.js';
import { AppError } from '../errors.js';
import type { TestApp } from '../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../test/support/app.js';
import { eventTypeOf, importLogs, MAX_LINE_BYTES, parseLogLine, siteHost } from './log-import.js';
import { visitorId } from './minimise.js';
import { saltFor } from './salts.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** A time as a log writes it, in UTC. */
function logTime(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

describe('parsing log lines', () => {
  test('Common Log Format: the time in UTC; identity and user fields are not kept', () => {
    const parsed = parseLogLine(
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?user=frank HTTP/1.0" 200 2326',
    );
    assert.deepEqual(parsed, {
      format: 'common',
      client: '127.0.0.1',
      at: '2000-10-10T20:55:36.000Z',
      method: 'GET',
      target: '/apache_pb.gif?user=frank',
      status: 200,
    });
    assert.equal(
      parseLogLine('10.1.2.3 - - [01/Jan/2024:00:30:00 +0100] "GET / HTTP/1.1" 304 -')?.at,
      '2023-12-31T23:30:00.000Z',
    );
  });

  test('Combined Log Format, with trailing fields and with a leading vhost field', () => {
    assert.deepEqual(
      parseLogLine(
        `203.0.113.9 - - [29/Feb/2024:23:59:59 +0000] "HEAD /about HTTP/2.0" 200 0 "https://www.example.org/x?q=1" "${CHROME}" "198.51.100.1" 0.004`,
      ),
      {
        format: 'combined',
        client: '203.0.113.9',
        at: '2024-02-29T23:59:59.000Z',
        method: 'HEAD',
        target: '/about',
        status: 200,
        referrer: 'https://www.example.org/x?q=1',
        userAgent: CHROME,
      },
    );
    const vhost = parseLogLine(
      `Shop.Example.com:443 203.0.113.9 - - [29/Feb/2024:23:59:59 +0000] "GET /cart HTTP/1.1" 200 10 "-" "${CHROME}"`,
    );
    assert.equal(vhost?.vhost, 'shop.example.com');
    assert.equal(vhost?.client, '203.0.113.9');
    assert.equal(vhost?.referrer, undefined);
  });

  test('IPv6 clients', () => {
    const parsed = parseLogLine(
      `2001:db8:abcd:12::7 - - [05/May/2025:08:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "${SAFARI}"`,
    );
    assert.equal(parsed?.client, '2001:db8:abcd:12::7');
    assert.equal(parsed?.userAgent, SAFARI);
  });

  test('quoted escapes in the user agent and referrer: \\" and \\\\ (Apache), \\xHH (nginx, UTF-8)', () => {
    const parsed = parseLogLine(
      String.raw`192.0.2.1 - - [05/May/2025:08:00:00 +0000] "GET /s HTTP/1.1" 200 5 "https://ex.com/\"a\"" "Agent \"q\" back\\slash \x22nginx\x22 caf\xC3\xA9"`,
    );
    assert.equal(parsed?.referrer, 'https://ex.com/"a"');
    assert.equal(parsed?.userAgent, 'Agent "q" back\\slash "nginx" café');
  });

  test('requests that are not METHOD TARGET: parsed, without method or target', () => {
    const timeout = parseLogLine('192.0.2.1 - - [05/May/2025:08:00:00 +0000] "-" 408 -');
    assert.equal(timeout?.status, 408);
    assert.equal(timeout?.method, undefined);
    const tls = parseLogLine(
      String.raw`192.0.2.1 - - [05/May/2025:08:00:00 +0000] "\x16\x03\x01\x02" 400 0 "-" "-"`,
    );
    assert.equal(tls?.method, undefined);
    assert.equal(tls?.userAgent, undefined);
  });

  test('malformed lines are refused', () => {
    for (const line of [
      '',
      'not a log line',
      '192.0.2.1 - - [05/May/2025:08:00:00 +0000] "GET / HTTP/1.1" 200', // no size
      '192.0.2.1 - - [05/May/2025:08:00:00 +0000] "GET / HTTP/1.1" 2000 5', // status
      '192.0.2.1 - - [31/Feb/2025:08:00:00 +0000] "GET / HTTP/1.1" 200 5', // no such day
      '192.0.2.1 - - [05/Foo/2025:08:00:00 +0000] "GET / HTTP/1.1" 200 5', // no such month
      '192.0.2.1 - - [05/May/2025:25:00:00 +0000] "GET / HTTP/1.1" 200 5', // no such hour
      '192.0.2.1 - - [05/May/2025:08:00:00] "GET / HTTP/1.1" 200 5', // no offset
      '192.0.2.1 - - [05/May/2025:08:00:00 +0000] "GET / HTTP/1.1 200 5', // unclosed quote
      `192.0.2.1 - - [05/May/2025:08:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "${CHROME}`, // cut short
      '192.0.2.1 - - [05/May/2025:08:00:00 +0000] "GET / HTTP/1.1" 200 5 trailing', // CLF plus junk
      '{"ip":"192.0.2.1","path":"/"}',
    ])
      assert.equal(parseLogLine(line), undefined, line);
  });

  test('what a request becomes; sites', () => {
    assert.equal(eventTypeOf('GET', '/', 200), 'page_view');
    assert.equal(eventTypeOf('HEAD', '/shop/index.php', 304), 'page_view');
    assert.equal(eventTypeOf('GET', '/style.css', 200), undefined);
    assert.equal(eventTypeOf('GET', '/favicon.ico', 200), undefined);
    assert.equal(eventTypeOf('GET', '/fonts/a.woff2', 404), undefined);
    assert.equal(eventTypeOf('POST', '/contact', 200), undefined);
    assert.equal(eventTypeOf('GET', '/files/manual.pdf', 404), 'download_error');
    assert.equal(eventTypeOf('GET', '/files/manual.pdf', 200), undefined);
    assert.equal(eventTypeOf('GET', '/missing', 404), undefined);
    assert.equal(eventTypeOf('GET', '/missing.html', 404), undefined);
    assert.equal(siteHost('WWW.Example.com:8443'), 'www.example.com');
    assert.equal(siteHost('https://example.org/'), 'example.org');
    assert.equal(siteHost('example.org/path'), undefined);
    assert.equal(siteHost('not a host'), undefined);
    assert.equal(siteHost('-'), undefined);
  });
});

const dialectList = await dialects();

for (const dialect of dialectList) {
  describe(`server log import (${dialect})`, () => {
    let app: TestApp;
    const dir = mkdtempSync(join(tmpdir(), 'steward-logs-'));
    before(async () => {
      app = await startTestApp(dialect, { declarations: [referenceDeclaration, smallShopDeclaration] });
    });
    after(async () => {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('C3d.2 common and combined logs, plain and gzip, become minimised events; bots and bad lines are dropped and reported', async () => {
      const now = app.ctx.clock.now();
      const t = (minutesAgo: number) => logTime(new Date(now.getTime() - minutesAgo * 60_000));
      const today = now.toISOString().slice(0, 10);
      const combined = join(dir, `${dialect}-access.log`);
      writeFileSync(
        combined,
        [
          `203.0.113.45 - alice [${t(30)}] "GET /products?email=alice@example.com HTTP/1.1" 200 512 "https://www.google.com/search?q=steward" "${CHROME}"`,
          `203.0.113.45 - alice [${t(30)}] "GET /assets/site.css HTTP/1.1" 200 90 "https://www.sonynetworkcom.com/products" "${CHROME}"`,
          `2001:db8:abcd:12::7 - - [${t(20)}] "GET /about.html HTTP/2.0" 200 700 "-" "${SAFARI}"`,
          `198.51.100.23 - - [${t(15)}] "GET / HTTP/1.1" 200 800 "-" "${GOOGLEBOT}"`,
          'this is not a log line',
          `192.0.2.77 - - [${t(10)}] "GET /files/manual.pdf?token=s3cret HTTP/1.1" 404 0 "https://www.sonynetworkcom.com/support" "${FIREFOX}"`,
          `192.0.2.77 - - [32/Jan/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "${FIREFOX}"`,
          '',
          `192.0.2.77 - - [15/Mar/2020:10:00:00 +0000] "GET /old HTTP/1.1" 200 1 "-" "${FIREFOX}"`,
          `192.0.2.77 - - [15/Mar/2020:18:00:00 +0000] "GET /old HTTP/1.1" 200 1 "-" "${FIREFOX}"`,
          `192.0.2.77 - - [16/Mar/2020:10:00:00 +0000] "GET /old HTTP/1.1" 200 1 "-" "${FIREFOX}"`,
          `shop.example.com:443 203.0.113.46 - - [${t(5)}] "GET /cart HTTP/1.1" 200 10 "-" "${CHROME}"`,
        ].join('\n') + '\n',
      );
      // Gzip without a .gz name: recognised by its magic bytes. Common Log Format, CRLF.
      const gzipped = join(dir, `${dialect}-access.log.1`);
      writeFileSync(
        gzipped,
        gzipSync(
          [
            `198.51.100.99 - bob [${t(40)}] "GET /contact HTTP/1.1" 200 1000`,
            'not a log line either',
            `198.51.100.99 - bob [${t(39)}] "POST /contact HTTP/1.1" 302 0`,
          ].join('\r\n'),
        ),
      );

      const progress: number[] = [];
      const summary = await importLogs(app.ctx, hostActor(), {
        files: [combined, gzipped],
        declarationId: 'sncn-general',
        onProgress: (p) => progress.push(p.bytesRead / p.totalBytes),
      });
      assert.deepEqual(
        {
          lines: summary.lines,
          events: summary.events,
          unreadable: summary.unreadable,
          bots: summary.bots,
          skipped: summary.skipped,
        },
        { lines: 14, events: 8, unreadable: 3, bots: 1, skipped: 2 },
      );
      assert.deepEqual(
        summary.unreadableLines.map((u) => `${u.file}:${u.line}`),
        [`${combined}:5`, `${combined}:7`, `${gzipped}:2`],
      );
      assert.ok(summary.files.every((f) => f.error === undefined));
      assert.equal(progress.at(-1), 1);

      const rows = await app.ctx.store.db.selectFrom('web_events').selectAll().orderBy('at').execute();
      assert.equal(rows.length, 8);
      // No raw address, user, query string or full user agent in any column.
      const stored = JSON.stringify(rows);
      for (const secret of [
        '203.0.113.45',
        '203.0.113.46',
        '2001:db8:abcd:12::7',
        '198.51.100.23',
        '192.0.2.77',
        '198.51.100.99',
        'alice',
        'bob',
        's3cret',
        'steward',
        'Chrome/120',
        'Windows NT',
        'Intel Mac',
      ])
        assert.ok(!stored.includes(secret), `${secret} is stored`);
      for (const row of rows) {
        assert.equal(row.source, 'log');
        assert.equal(row.declaration_id, 'sncn-general');
        assert.equal(row.consent_ref, null);
        assert.ok(row.visitor !== null && row.visitor.length === 22);
        assert.equal(row.day, row.at.slice(0, 10));
      }

      const [old1, old2, old3] = rows.filter((r) => r.day.startsWith('2020-'));
      assert.equal(old1?.path, '/old');
      // An old day's salt is gone: an in-memory salt of this run only, one key per day, nothing stored.
      assert.equal(old1?.visitor, old2?.visitor);
      assert.notEqual(old1?.visitor, old3?.visitor);
      const saltDays = await app.ctx.store.db.selectFrom('visitor_salts').select('day').execute();
      assert.ok(!saltDays.some((s) => s.day.startsWith('2020-')));

      const recent = rows.filter((r) => !r.day.startsWith('2020-'));
      const byPath = new Map(recent.map((r) => [r.path, r]));
      const products = byPath.get('/products');
      assert.equal(products?.type, 'page_view');
      assert.equal(products?.purpose, 'audience_measurement');
      assert.equal(products?.category, 'analytics');
      assert.equal(products?.network, '203.0.113.0/24');
      assert.equal(products?.referrer_host, 'www.google.com');
      assert.equal(products?.browser, 'Chrome');
      assert.equal(products?.os, 'Windows');
      assert.equal(products?.value, 200);
      assert.equal(products?.site, 'www.sonynetworkcom.com'); // the controller's website
      // Today's visitor ids use the stored daily salt, as live events do.
      const salt = await saltFor(app.ctx, products?.day ?? today);
      assert.ok(salt !== undefined);
      assert.equal(
        products?.visitor,
        visitorId(salt, { ip: '203.0.113.45', userAgent: CHROME, site: 'www.sonynetworkcom.com' }),
      );

      const about = byPath.get('/about.html');
      assert.equal(about?.network, '2001:db8:abcd::/48');
      assert.equal(about?.browser, 'Safari');
      assert.equal(about?.referrer_host, null);

      const manual = byPath.get('/files/manual.pdf');
      assert.equal(manual?.type, 'download_error');
      assert.equal(manual?.purpose, 'website_analytics');
      assert.equal(manual?.value, 404);
      assert.equal(manual?.network, '192.0.2.0/24');
      assert.equal(manual?.browser, 'Firefox');

      assert.equal(byPath.get('/cart')?.site, 'shop.example.com');

      const contact = byPath.get('/contact');
      assert.equal(contact?.network, '198.51.100.0/24');
      assert.equal(contact?.browser, 'Other');
      assert.equal(contact?.os, 'Other');
      assert.equal(byPath.get('/assets/site.css'), undefined);
      assert.equal(byPath.get('/'), undefined); // the bot's

      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'web.logs_imported')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.target, 'declaration:sncn-general');
      assert.deepEqual(
        (({ lines, events, unreadable, bots }) => ({ lines, events, unreadable, bots }))(
          JSON.parse(audit[0]?.details ?? '{}') as Record<string, unknown>,
        ),
        { lines: 14, events: 8, unreadable: 3, bots: 1 },
      );
    });

    test('C3d.2 --site names the site; event types the declaration does not list are not recorded', async () => {
      const file = join(dir, `${dialect}-shop.log`);
      writeFileSync(
        file,
        [
          `192.0.2.10 - - [05/May/2025:08:00:00 +0200] "GET /kaffe HTTP/1.1" 200 5 "-" "${FIREFOX}"`,
          `192.0.2.10 - - [05/May/2025:08:00:01 +0200] "GET /katalog.pdf HTTP/1.1" 404 5 "-" "${FIREFOX}"`,
        ].join('\n'),
      );
      const summary = await importLogs(app.ctx, hostActor(), {
        files: [file],
        declarationId: 'nordkust-kaffe',
        site: 'Kaffe.Example:8080',
      });
      assert.equal(summary.events, 1);
      assert.equal(summary.skipped, 1);
      const rows = await app.ctx.store.db
        .selectFrom('web_events')
        .selectAll()
        .where('declaration_id', '=', 'nordkust-kaffe')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.type, r.purpose, r.site, r.at]),
        [['page_view', 'statistics', 'kaffe.example', '2025-05-05T06:00:00.000Z']],
      );
    });

    test('C3d.2 files that cannot be read, or none of whose lines parse, are reported; the rest go on', async () => {
      const good = join(dir, `${dialect}-good.log`);
      writeFileSync(good, `192.0.2.20 - - [05/May/2025:08:00:00 +0000] "GET /ok HTTP/1.1" 200 5\n`);
      const junk = join(dir, `${dialect}-junk.json`);
      writeFileSync(junk, '{"a":1}\n{"b":2}\n');
      const truncated = join(dir, `${dialect}-cut.log`);
      const lines = Array.from(
        { length: 5000 },
        (_, i) => `192.0.2.21 - - [05/May/2025:08:00:00 +0000] "GET /page-${i} HTTP/1.1" 200 5`,
      ).join('\n');
      const gz = gzipSync(lines);
      writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length * 0.6)));
      const long = join(dir, `${dialect}-long.log`);
      writeFileSync(
        long,
        [
          `192.0.2.22 - - [05/May/2025:08:00:00 +0000] "GET /a HTTP/1.1" 200 5`,
          `192.0.2.22 - - [05/May/2025:08:00:00 +0000] "GET /${'x'.repeat(MAX_LINE_BYTES)} HTTP/1.1" 200 5`,
          ...Array.from({ length: 30 }, () => 'junk'),
          `192.0.2.22 - - [05/May/2025:08:00:00 +0000] "GET /b HTTP/1.1" 200 5`,
        ].join('\n'),
      );
      const missing = join(dir, 'no-such.log');
      const xz = join(dir, `${dialect}-log.xz`);
      writeFileSync(xz, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]));

      const summary = await importLogs(app.ctx, hostActor(), {
        files: [missing, junk, good, truncated, xz, dir, long],
        declarationId: 'sncn-general',
        site: 'errors.example',
      });
      const byFile = new Map(summary.files.map((f) => [f.file, f]));
      assert.match(byFile.get(missing)?.error ?? '', /no such file/);
      assert.match(byFile.get(junk)?.error ?? '', /none of its 2 line/);
      assert.equal(byFile.get(good)?.error, undefined);
      assert.match(byFile.get(truncated)?.error ?? '', /could not be read past line \d+/);
      assert.match(byFile.get(xz)?.error ?? '', /xz-compressed/);
      assert.match(byFile.get(dir)?.error ?? '', /directory/);
      assert.equal(byFile.get(long)?.error, undefined);
      assert.equal(byFile.get(long)?.events, 2);
      // What the damaged file gave before the damage stays.
      const cut = byFile.get(truncated);
      assert.ok((cut?.events ?? 0) > 0 && (cut?.events ?? 0) < 5000);
      // The first 20 unreadable lines are listed, all are counted.
      assert.equal(summary.unreadable, 2 + 1 + 30);
      assert.equal(summary.unreadableLines.length, 20);
      assert.deepEqual(summary.unreadableLines.slice(0, 4), [
        { file: junk, line: 1, reason: 'not a Common or Combined Log Format line' },
        { file: junk, line: 2, reason: 'not a Common or Combined Log Format line' },
        { file: long, line: 2, reason: `longer than ${MAX_LINE_BYTES / 1024} KiB` },
        { file: long, line: 3, reason: 'not a Common or Combined Log Format line' },
      ]);
      const stored = await app.ctx.store.db
        .selectFrom('web_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('site', '=', 'errors.example')
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), summary.events);
    });

    test('an unknown declaration, or one without page_view or download_error events, is refused', async () => {
      await assert.rejects(
        importLogs(app.ctx, hostActor(), { files: [], declarationId: 'nope' }),
        (e: unknown) => e instanceof AppError && e.code === 'not_found',
      );
      await assert.rejects(
        importLogs(app.ctx, hostActor(), { files: [], declarationId: 'sncn-general', site: 'a b' }),
        (e: unknown) => e instanceof AppError && e.code === 'validation_failed',
      );
    });
  });
}
