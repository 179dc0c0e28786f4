/**
 * The suppression change feed on PostgreSQL: rows are numbered by a sequence when inserted but
 * become visible when their transaction commits, so without an order on writers one that numbered
 * first can commit last, and a reader that already moved past the later number would skip it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { TestApp } from '../../test/support/app.js';
import { startTestApp } from '../../test/support/app.js';
import { postgresUrl, serviceAvailable } from '../../test/support/services.js';
import type { Tx } from '../store/transaction.js';
import { transaction } from '../store/transaction.js';
import { CONTROLLER_TENANT, normaliseAll, resolveSubject } from '../subjects/subjects.js';
import { markSuppressionChange } from './changes.js';
import { communicationOf, suppressionIndex, verdictOf } from './suppression.js';

const D = 'sncn-general';
const postgres = await serviceAvailable('PostgreSQL', postgresUrl);

let app: TestApp;
before(async () => {
  if (postgres) app = await startTestApp('postgres');
});
after(async () => {
  if (postgres) await app.close();
});

/** Makes a controller subject with one address; returns its id. */
async function subjectWith(email: string): Promise<string> {
  const identifiers = normaliseAll(app.ctx.keys, [{ kind: 'email', value: email }]);
  return transaction(app.ctx.store, async (tx) => {
    const resolved = await resolveSubject(tx, app.ctx, {
      tenant: CONTROLLER_TENANT,
      identifiers,
      source: 'test',
    });
    return resolved.subjectId;
  });
}

/** What a restriction writes: the flag, and the change row the index reads. */
async function restrict(tx: Tx, subjectId: string): Promise<void> {
  await tx
    .updateTable('subjects')
    .set({ restricted: 1 })
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('id', '=', subjectId)
    .execute();
  await markSuppressionChange(tx, app.ctx, subjectId);
}

/**
 * Resolves once the backend `pid` waits for a lock (polling pg_locks) or `done()` holds, whichever
 * comes first; rejects after 10 s.
 */
async function waitingForLock(pid: number, done: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until && !done()) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks where pid = ${pid} and not granted`.execute(app.ctx.store.db);
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!done()) throw new Error(`backend ${pid} neither committed nor waited for a lock`);
}

test(
  'suppression changes committed out of numbering order on PostgreSQL: the index still applies both',
  { skip: !postgres },
  async () => {
    const x = await subjectWith('out-of-order-x@example.test');
    const y = await subjectWith('out-of-order-y@example.test');
    const transactional = communicationOf(app.ctx, D, 'order_confirmations');
    const index = suppressionIndex(app.ctx);
    const answers = async () => {
      await index.sync();
      const codes = index.checkCodes(D, transactional, [
        'out-of-order-x@example.test',
        'out-of-order-y@example.test',
      ]);
      return Array.from(codes, (code) => verdictOf(code).reason);
    };
    assert.deepEqual(await answers(), ['transactional', 'transactional']);

    // A takes its number first and stays open; B starts after A numbered and tries to commit first.
    let numbered!: () => void;
    const aNumbered = new Promise<void>((resolve) => (numbered = resolve));
    let release!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (release = resolve));
    const a = app.ctx.store.db.transaction().execute(async (tx) => {
      await restrict(tx, x);
      numbered();
      await aMayCommit;
    });
    await aNumbered;
    let bPid!: (pid: number) => void;
    const bStarted = new Promise<number>((resolve) => (bPid = resolve));
    let bCommitted = false;
    const b = app.ctx.store.db
      .transaction()
      .execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        bPid(rows[0]?.pid as number);
        await restrict(tx, y);
      })
      .then(() => {
        bCommitted = true;
      });
    const pid = await bStarted;
    // B either commits at once (the writers are not ordered) or waits for A (they are).
    await waitingForLock(pid, () => bCommitted);
    // A reader between the two commits: it must not move past a number whose row is not visible yet.
    const between = await answers();
    release();
    await Promise.all([a, b]);
    assert.deepEqual(
      await answers(),
      ['restricted', 'restricted'],
      'after both commits the index has applied both changes',
    );
    assert.equal(bCommitted, true);
    assert.deepEqual(between, ['transactional', 'transactional'], 'B waited for A to commit');
  },
);
