/**
 * Result links as a requester uses them: `collectPackage` follows the completion mail's link,
 * has a code sent and downloads the package. A download's response ends when its last byte is
 * flushed; the link is spent in the transaction that follows. A test that asks again at once can
 * meet the delivery still holding the link (409), so it waits for the spend (`untilLinkSpent`)
 * before checking the link works once.
 */
import assert from 'node:assert/strict';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import type { AppContext } from '../../src/context.js';
import { sha256Hex } from '../../src/crypto.js';
import type { TestApp } from './app.js';
import { mailbox } from './mail.js';

/** Resolves once the result link in `url` (…/results/<token>) is spent; fails after `timeoutMs`. */
export async function untilLinkSpent(ctx: AppContext, url: string, timeoutMs = 10_000): Promise<void> {
  const token = new URL(url, 'http://x').pathname.split('/').pop() ?? '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const link = await ctx.store.db
      .selectFrom('result_links')
      .select('used_at')
      .where('token_hash', '=', sha256Hex(token))
      .executeTakeFirst();
    if (link?.used_at != null) return;
    if (Date.now() > deadline) throw new Error('the result link was not spent in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The files of a ZIP, by path. */
export async function unzip(bytes: Uint8Array): Promise<Map<string, string>> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes));
  const files = new Map<string, string>();
  for (const entry of await reader.getEntries()) {
    if (entry.directory || entry.getData === undefined) continue;
    files.set(entry.filename, await entry.getData(new TextWriter()));
  }
  await reader.close();
  return files;
}

/**
 * The package of `to`'s completed request, its files by path, collected as they would: the link
 * in the completion mail, a code asked for and read from the mail, the download. `settle` lets
 * the mail go out (runs the jobs in this process, or waits while worker processes do); it is
 * called until the message is there, for up to `timeoutMs` each.
 */
export async function collectPackage(
  app: TestApp,
  to: string,
  settle: () => Promise<void>,
  timeoutMs = 30_000,
): Promise<Map<string, string>> {
  const mail = async (kind: string, after: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await mailbox(app.ctx, { to, kind });
      if (got.length > after) return got.at(-1)?.text ?? '';
      assert.ok(Date.now() < deadline, `no ${kind} message reached ${to}`);
      await settle();
    }
  };
  const link = /\/privacy-centre\/results\/([A-Za-z0-9_-]+)/.exec(await mail('rights_completed', 0))?.[1];
  assert.ok(link, 'the completion mail carries the result link');
  const codes = (await mailbox(app.ctx, { to, kind: 'rights_code' })).length;
  const asked = await app.request({ method: 'POST', url: `/api/v1/privacy-centre/results/${link}/code` });
  assert.equal(asked.statusCode, 202, asked.body);
  const code = /(?:Your code|Din kod): (\d{6})/.exec(await mail('rights_code', codes))?.[1];
  assert.ok(code, 'the code mail carries the code');
  const zip = await app.request({
    method: 'POST',
    url: `/api/v1/privacy-centre/results/${link}/download`,
    headers: { 'content-type': 'application/json' },
    payload: { code },
  });
  assert.equal(zip.statusCode, 200, zip.body.slice(0, 300));
  return unzip(zip.rawPayload);
}
