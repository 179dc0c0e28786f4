/**
 * A download's response ends when its last byte is flushed; the link is spent in the transaction
 * that follows. A test that asks again at once can meet the delivery still holding the link
 * (409), so it waits for the spend before checking the link works once.
 */
import type { AppContext } from '../../src/context.js';
import { sha256Hex } from '../../src/crypto.js';

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
