/**
 * `steward systems`: the connected systems the declarations in force declare. `list` shows each
 * with its kind, whether it has connection settings, and its dataset in force; `test ID` checks
 * the connection (exit 1 when it fails). Settings are never printed, only whether they exist.
 *
 * Other commands of the group (discovery's `scan` and `diff`) are added by registrars passed to
 * `registerSystemsCommand`, so each lives in its own file.
 */
import type { Command } from 'commander';
import { closeContext, createContext, createLogger } from '../app.js';
import { loadConfig } from '../config.js';
import type { SystemCheck } from '../connectors/check-system.js';
import { checkSystem, lastChecks } from '../connectors/check-system.js';
import type { AppContext } from '../context.js';
import { hostActor } from './host-actor.js';

/** Adds subcommands to the `systems` group (such as `scan` and `diff`). */
export type SystemsSubcommands = (systems: Command) => void;

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext(loadConfig(), { publishFiles: false, log: createLogger('warn') });
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

/** One line about a check: "ok, PostgreSQL 16.4, 12 ms" or "FAILED: …". */
export function describeCheck(check: SystemCheck): string {
  return check.ok
    ? `ok, ${check.server ?? 'unknown server'}, ${check.latencyMs ?? 0} ms`
    : `FAILED: ${check.error ?? 'unknown error'}`;
}

/** Registers `steward systems list|test` and the subcommands `extra` adds; returns the group. */
export function registerSystemsCommand(program: Command, extra: readonly SystemsSubcommands[] = []): Command {
  const systems = program
    .command('systems')
    .description('Connected systems: the company databases the declarations name');

  systems
    .command('list')
    .description('List declared systems: kind, whether configured, dataset in force, last check')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const entries = ctx.systems.list();
        const checks = await lastChecks(ctx.store);
        if (opts.json) {
          const rows = entries.map((e) => ({ ...e, lastCheck: checks.get(e.id) ?? null }));
          process.stdout.write(`${JSON.stringify({ systems: rows }, null, 2)}\n`);
          return;
        }
        if (entries.length === 0) {
          process.stdout.write('No declaration in force declares a system.\n');
          return;
        }
        const rows = entries.map((e) => {
          const check = checks.get(e.id);
          return [
            e.id,
            e.kind,
            e.configured ? 'yes' : 'no',
            e.datasetVersion !== undefined
              ? `v${e.datasetVersion}`
              : e.datasetProposal !== undefined
                ? `proposal v${e.datasetProposal} (not reviewed)`
                : 'none',
            e.reviewed === undefined ? '-' : `${e.reviewed.by} on ${e.reviewed.on}`,
            check === undefined ? 'never' : `${check.checkedAt} ${check.ok ? 'ok' : 'failed'}`,
          ];
        });
        const head = ['SYSTEM', 'KIND', 'CONFIGURED', 'DATASET', 'REVIEWED', 'LAST CHECK'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
        for (const row of [head, ...rows])
          process.stdout.write(
            `${row
              .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
              .join('  ')}\n`,
          );
      });
    });

  systems
    .command('test')
    .description('Check the connection to a system: server version and latency; exits 1 when it fails')
    .argument('<id>', 'the system id, as declared')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const check = await withContext((ctx) => checkSystem(ctx, hostActor(), id));
      if (opts.json) process.stdout.write(`${JSON.stringify(check)}\n`);
      else process.stdout.write(`${id}: ${describeCheck(check)}\n`);
      process.exitCode = check.ok ? 0 : 1;
    });

  for (const register of extra) register(systems);
  return systems;
}
