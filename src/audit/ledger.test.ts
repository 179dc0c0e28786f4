import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { cliEnv, runCli } from '../../test/support/cli.js';

for (const dialect of await dialects()) {
  describe(`audit ledger on ${dialect}`, () => {
    let app: TestApp;
    let admin: { cookie: string };

    before(async () => {
      app = await startTestApp(dialect);
      admin = await app.signInAs('administrator');
      // A few more state changes through the API, so the chain has entries to tamper with.
      for (const n of [1, 2, 3]) {
        const res = await app.request({
          method: 'POST',
          url: '/api/v1/operators',
          headers: { cookie: admin.cookie },
          payload: { email: `agent${n}@example.test`, name: `Agent ${n}`, role: 'support_agent' },
        });
        assert.equal(res.statusCode, 201);
      }
    });
    after(() => app.close());

    const verifyCli = () => runCli(['audit', 'verify'], cliEnv(app));

    test('C7.3 every state change through the API writes a hash-chained entry', async () => {
      const res = await app.request({
        method: 'GET',
        url: '/api/v1/audit/entries?limit=500',
        headers: { cookie: admin.cookie },
      });
      assert.equal(res.statusCode, 200);
      const entries = res.json<{
        entries: { seq: number; action: string; actor: string; prev_hash: string; hash: string }[];
      }>().entries;
      const actions = entries.map((e) => e.action);
      assert.ok(actions.includes('policy.published'), 'publishing the declaration at start is recorded');
      assert.equal(actions.filter((a) => a === 'operator.created').length, 4);
      assert.ok(actions.includes('operator.signed_in'));
      // Newest first: each entry points at the hash of the one before it.
      for (let i = 0; i < entries.length - 1; i += 1)
        assert.equal(entries[i]!.prev_hash, entries[i + 1]!.hash);
      const created = entries.find((e) => e.action === 'operator.created' && e.actor.startsWith('operator:'));
      assert.ok(created, 'the acting operator is the actor');
    });

    test('C7.3 audit verify passes on an untouched ledger, by CLI and API', async () => {
      const cli = await verifyCli();
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /Audit ledger verifies: \d+ entries/);
      const res = await app.request({
        method: 'GET',
        url: '/api/v1/audit/verify',
        headers: { cookie: admin.cookie },
      });
      assert.equal(res.json<{ ok: boolean }>().ok, true);
    });

    test('C7.3 editing an entry in the database makes audit verify fail and name it', async () => {
      await sql`update audit_log set details = ${'{"email":"someone-else@example.test"}'} where seq = 3`.execute(
        app.ctx.store.db,
      );
      const cli = await verifyCli();
      assert.equal(cli.code, 1);
      assert.match(cli.stdout, /FAILED at entry #3: entry #3 was modified/);
      const original = await app.ctx.store.db
        .selectFrom('audit_log')
        .select('details')
        .where('seq', '=', 4)
        .executeTakeFirstOrThrow();
      assert.ok(original.details.length > 0);
    });

    /** A fresh installation with a few entries, for tampering that must be seen on its own. */
    async function withFreshLedger(
      tamper: (fresh: TestApp) => Promise<void>,
    ): Promise<{ code: number; firstBad?: { seq: number; reason: string } }> {
      const fresh = await startTestApp(dialect);
      try {
        const cookie = (await fresh.signInAs('administrator')).cookie;
        for (const n of [1, 2]) {
          await fresh.request({
            method: 'POST',
            url: '/api/v1/operators',
            headers: { cookie },
            payload: { email: `x${n}@example.test`, name: 'X', role: 'auditor' },
          });
        }
        const before = await runCli(['audit', 'verify', '--json'], cliEnv(fresh));
        assert.equal(JSON.parse(before.stdout).ok, true);
        await tamper(fresh);
        const after = await runCli(['audit', 'verify', '--json'], cliEnv(fresh));
        assert.notEqual(
          after.stdout,
          '',
          `audit verify printed nothing (exit ${after.code}): ${after.stderr}`,
        );
        return {
          code: after.code,
          ...(JSON.parse(after.stdout) as { firstBad?: { seq: number; reason: string } }),
        };
      } finally {
        await fresh.close();
      }
    }

    test('C7.3 deleting an entry makes audit verify fail and name it', async () => {
      const result = await withFreshLedger(async (fresh) => {
        await sql`delete from audit_log where seq = 2`.execute(fresh.ctx.store.db);
      });
      assert.equal(result.code, 1);
      assert.deepEqual(result.firstBad, { seq: 2, reason: 'entry #2 is missing' });
    });

    test('C7.3 reordering entries makes audit verify fail and name the first one out of place', async () => {
      const result = await withFreshLedger(async (fresh) => {
        const rows = await fresh.ctx.store.db
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', 'in', [3, 4])
          .orderBy('seq')
          .execute();
        const [three, four] = rows;
        assert.ok(three && four);
        await sql`delete from audit_log where seq in (3, 4)`.execute(fresh.ctx.store.db);
        await fresh.ctx.store.db
          .insertInto('audit_log')
          .values([
            { ...four, seq: 3 },
            { ...three, seq: 4 },
          ])
          .execute();
      });
      assert.equal(result.code, 1);
      assert.equal(result.firstBad?.seq, 3);
    });

    test('C7.3 cutting entries off the end is detected through the head record', async () => {
      const fresh = await startTestApp(dialect);
      try {
        await fresh.signInAs('auditor');
        const last = await fresh.ctx.store.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .executeTakeFirstOrThrow();
        await sql`delete from audit_log where seq = ${Number(last.seq)}`.execute(fresh.ctx.store.db);
        const result = await runCli(['audit', 'verify'], cliEnv(fresh));
        assert.equal(result.code, 1);
        assert.match(result.stdout, /were removed/);
      } finally {
        await fresh.close();
      }
    });
  });
}
