/**
 * Which secret a store belongs to. Keyed hashes of identifiers and sealed records are only
 * readable with the secret they were made under, so a process with another secret (a CLI run
 * from another directory, which generates its own `data/secret.key`) would write data no other
 * process can find. The store keeps a check value derived from the secret (HKDF, then HMAC:
 * it tells secrets apart and reveals nothing of them), and a process whose secret gives
 * another value must not start.
 */
import type { Clock } from '../context.js';
import { deriveKey, hmac, safeEqual } from '../crypto.js';
import type { Store } from './database.js';

/** The check value of a root secret; never the secret, nor a key used for anything else. */
export function secretCheck(secret: Buffer): string {
  return hmac(deriveKey(secret, 'store-identity'), 'steward store identity v1');
}

/**
 * Compares `secret` with the one the store was created with. A store without a check value (new,
 * or created before stores kept one) adopts this secret's; when several processes start at once
 * on such a store, the first to write wins and the others are compared with it.
 */
export async function checkStoreSecret(store: Store, secret: Buffer, clock: Clock): Promise<boolean> {
  const check = secretCheck(secret);
  const read = () =>
    store.db.selectFrom('store_identity').select('secret_check').where('id', '=', 1).executeTakeFirst();
  let row = await read();
  if (row === undefined) {
    await store.db
      .insertInto('store_identity')
      .values({ id: 1, secret_check: check, created_at: clock.now().toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await read();
  }
  return row !== undefined && safeEqual(row.secret_check, check);
}
