/**
 * `steward retention plan|run` as a separate process against a test app's store (SQLite and
 * PostgreSQL), and in-process with a terminal on stderr to see the progress bars.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Command } from 'commander';
import type { TestApp } from '../../test/support/app.js';
import { dialects, startTestApp } from '../../test/support/app.js';
import { cliEnv, runCli } from '../../test/support/cli.js';
import { daysAgo } from '../../test/support/clock.js';
import { registerRetentionCommand } from './retention-command.js';

const D = 'sncn-general';

for (const dialect of await dialects()) {
  describe(`steward retention on ${dialect}`, () => {
    let app: TestApp;
    let headers: Record<string, string>;
    let n = 0;
    before(async () => {
      app = await startTestApp(dialect, { config: { retentionBatchSize: 2 } });
      headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    async function capture(
      days: number,
      purpose: string,
      categories: string[],
      source: string,
    ): Promise<string> {
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers,
        payload: {
          declarationId: D,
          subject: { identifiers: [{ kind: 'email', value: `cli-${(n += 1)}@example.org` }] },
          kind: 'note',
          purposes: [purpose],
          categories,
          source,
          collectedAt: daysAgo(days).toISOString(),
          data: { name: 'Ola' },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string }>().id;
    }
    const exists = async (id: string) =>
      (
        await app.ctx.store.db
          .selectFrom('records')
          .select('id')
          .where('tenant', '=', '')
          .where('id', '=', id)
          .execute()
      ).length === 1;

    test('C10.1 `steward retention plan RULE` shows what would go per system and changes nothing; `run RULE` sweeps it and prints the receipt', async () => {
      const expired = [
        await capture(400, 'staff_training_qa', ['user.name'], 'customer_support'),
        await capture(300, 'staff_training_qa', ['user.name'], 'customer_support'),
        await capture(250, 'staff_training_qa', ['user.name'], 'customer_support'),
      ];
      const fresh = await capture(20, 'staff_training_qa', ['user.name'], 'customer_support');
      const env = cliEnv(app);

      const plan = await runCli(['retention', 'plan', 'training_samples'], env);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(
        plan.stdout,
        /training_samples\s+steward\s+records\s+delete\s+3\s+0\s+\d{4}-\d{2}-\d{2} \(expired/,
      );
      assert.match(plan.stdout, /3 rows would go, 0 rows held by 0 legal holds\. Nothing was changed\./);
      for (const id of [...expired, fresh]) assert.ok(await exists(id), 'the plan deleted nothing');
      const json = await runCli(['retention', 'plan', 'training_samples', '--json'], env);
      assert.equal(JSON.parse(json.stdout).sweeps[0].rows, 3);

      const run = await runCli(['retention', 'run', 'training_samples'], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        run.stdout,
        /training_samples on steward: done, 3 rows deleted, 0 anonymised, 0 held; receipt #\d+/,
      );
      for (const id of expired) assert.ok(!(await exists(id)));
      assert.ok(await exists(fresh));
      const seq = Number(/receipt #(\d+)/.exec(run.stdout)?.[1]);
      const entry = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['action', 'actor', 'details'])
        .where('seq', '=', seq)
        .executeTakeFirstOrThrow();
      assert.equal(entry.action, 'retention.swept');
      assert.equal(JSON.parse(entry.details).trigger, 'cli');
    });

    test('C10.1 an unknown rule or declaration is bad usage (exit 2) naming what is declared', async () => {
      const env = cliEnv(app);
      const unknown = await runCli(['retention', 'run', 'no_such_rule'], env);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /Retention rule "no_such_rule" was not found/);
      assert.match(unknown.stderr, /training_samples/);
      const declaration = await runCli(['retention', 'plan', '--declaration', 'nope'], env);
      assert.equal(declaration.code, 2);
      assert.match(declaration.stderr, /Declaration "nope" is not in force/);
    });

    test('C10.1 `steward retention run` on a terminal draws a progress bar per rule and system', async () => {
      for (let i = 0; i < 5; i++) await capture(500 + i, 'enquiries', ['user.name'], 'website_forms');
      let out = '';
      let err = '';
      let code = -1;
      const program = new Command('steward').exitOverride();
      registerRetentionCommand(program, {
        withContext: (fn) => fn(app.ctx),
        stdout: { write: (t: string) => (out += t) },
        stderr: Object.assign(
          { write: (t: string) => ((err += t), true), isTTY: true as const },
          { columns: 120 },
        ),
        setExitCode: (c) => (code = c),
      });
      await program.parseAsync(['node', 'steward', 'retention', 'run', 'enquiries']);
      assert.equal(code, 0, err);
      assert.match(err, /enquiries on steward \[[^\]]*\] 5\/5 rows \| 5 deleted, 0 anonymised, 0 held/);
      assert.match(out, /enquiries on steward: done, 5 rows deleted/);
    });
  });
}
