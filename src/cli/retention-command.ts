/**
 * `steward retention plan [RULE]` and `steward retention run [RULE]` (C10.1). `plan` is the dry
 * run: per rule and system, the rows that would be deleted or anonymised, those a legal hold
 * keeps (and which hold), and the oldest of those that would go, changing nothing. `run` asks for
 * a run of each rule (joining one a worker already has), carries it out in this process with a
 * progress bar per rule and system on a terminal's stderr, and prints each receipt. Without RULE,
 * every rule of every declaration in force.
 *
 * Exit codes: 0 done, 1 a run failed, 2 bad usage (an unknown rule or declaration).
 */
import { MultiBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { PlannedSweep, RetentionPlan } from '../retention/plan.js';
import { readRetentionPlan, startRetentionRuns } from '../retention/operate.js';
import { sweepRun } from '../retention/run-sweep.js';
import type { RunView } from '../retention/runs.js';
import { hostActor } from './host-actor.js';

interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface RetentionCommandDeps {
  /** Runs `fn` with an app context opened for the one command and closed after it. */
  readonly withContext: <T>(fn: (ctx: AppContext) => Promise<T>) => Promise<T>;
  readonly stdout?: Output;
  readonly stderr?: Output;
  readonly setExitCode?: (code: number) => void;
}

interface FilterOptions {
  declaration?: string;
  system?: string;
  json?: boolean;
}

const filterOf = (rule: string | undefined, opts: FilterOptions) => ({
  ...(rule === undefined ? {} : { rule }),
  ...(opts.declaration === undefined ? {} : { declarationId: opts.declaration }),
  ...(opts.system === undefined ? {} : { system: opts.system }),
});

const day = (iso: string | undefined) => (iso === undefined ? '-' : iso.slice(0, 10));
const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** The plan as a table: one line per rule, system and collection with anything to report. */
function planTable(plan: RetentionPlan): string {
  const rows = plan.sweeps.flatMap((s) =>
    s.collections.map((c) => [
      s.ruleId,
      s.system,
      c.collection,
      c.action,
      String(c.delete + c.anonymise),
      String(c.held),
      c.oldest === null ? '-' : `${day(c.oldest.clock)} (expired ${day(c.oldest.deadline)})`,
    ]),
  );
  const head = ['RULE', 'SYSTEM', 'COLLECTION', 'ACTION', 'WOULD GO', 'HELD', 'OLDEST (DEADLINE)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = [head, ...rows].map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
  const notes = plan.sweeps.flatMap((s) => [
    ...(s.problem === undefined ? [] : [`${s.ruleId} on ${s.system} could not be counted: ${s.problem}`]),
    ...s.collections.flatMap((c) =>
      (c.blocked ?? 0) > 0
        ? [
            `${s.ruleId} on ${s.system}, ${c.collection}: ${plural(c.blocked ?? 0, 'more expired row')} once the rows that refer to them have gone (a run removes those first)`,
          ]
        : [],
    ),
  ]);
  if (notes.length > 0) lines.push('', ...notes);
  const go = plan.sweeps.reduce((n, s) => n + s.rows, 0);
  const held = plan.sweeps.reduce((n, s) => n + s.held, 0);
  const holds = new Set(plan.sweeps.flatMap((s) => s.collections.flatMap((c) => Object.keys(c.holds))));
  lines.push(
    '',
    `At ${plan.at}: ${plural(go, 'row')} would go, ${plural(held, 'row')} held by ${plural(holds.size, 'legal hold')}. Nothing was changed.`,
  );
  return `${lines.join('\n')}\n`;
}

function receiptLine(run: RunView): string {
  const holds = Object.entries(run.holds)
    .map(([hold, n]) => `${n} by hold ${hold}`)
    .join(', ');
  return (
    `${run.ruleId} on ${run.system}: ${run.status === 'done' ? 'done' : `FAILED: ${run.error ?? 'unknown error'}`}, ` +
    `${plural(run.deleted, 'row')} deleted, ${run.anonymised.toLocaleString('en')} anonymised, ${run.held.toLocaleString('en')} held` +
    `${holds === '' ? '' : ` (${holds})`}; receipt #${run.receiptSeq ?? '-'} in the audit ledger\n`
  );
}

/** One bar per run on a terminal's stderr: rows dealt with (removed or held) of those planned. */
function progressBars(stderr: Output) {
  if (stderr.isTTY !== true)
    return {
      bar: (_sweep: PlannedSweep) => ({ update: (_run: RunView) => undefined }),
      stop: () => undefined,
    };
  const bars = new MultiBar(
    {
      stream: stderr as NodeJS.WritableStream,
      format:
        '{rule} on {system} [{bar}] {value}/{total} rows | {deleted} deleted, {anonymised} anonymised, {held} held',
      hideCursor: true,
      barsize: 24,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  return {
    bar(sweep: PlannedSweep) {
      const total = Math.max(sweep.rows + sweep.held, 1);
      const bar = bars.create(total, 0, {
        rule: sweep.ruleId,
        system: sweep.system,
        deleted: 0,
        anonymised: 0,
        held: 0,
      });
      return {
        update(run: RunView) {
          const value = run.deleted + run.anonymised + run.held;
          // Rows that expired after the plan was read make the total grow.
          if (value > bar.getTotal()) bar.setTotal(value);
          bar.update(value, { deleted: run.deleted, anonymised: run.anonymised, held: run.held });
        },
      };
    },
    stop: () => bars.stop(),
  };
}

/** Registers `steward retention plan|run`. */
export function registerRetentionCommand(program: Command, deps: RetentionCommandDeps): Command {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const setExitCode =
    deps.setExitCode ??
    ((code: number) => {
      process.exitCode = code;
    });

  /** A rule or declaration that is not in force is bad usage: the message says what there is. */
  const usage = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== 'not_found' && error.code !== 'validation_failed'))
        throw error;
      stderr.write(`${error.message}\n${error.details.map((d) => `  ${d.path}: ${d.message}\n`).join('')}`);
      setExitCode(2);
    }
  };

  const retention = program
    .command('retention')
    .description('Retention rules: what would go (plan) and sweeping it now (run)');

  retention
    .command('plan')
    .description(
      'Per rule and system: rows that would be deleted or anonymised now, rows held, the oldest; changes nothing',
    )
    .argument('[rule]', 'a retention rule id; every rule when omitted')
    .option('--declaration <id>', 'only rules of this declaration (needed when several declare the rule)')
    .option('--system <id>', 'only this system (steward for Steward’s own store)')
    .option('--json', 'machine-readable output')
    .action((rule: string | undefined, opts: FilterOptions) =>
      usage(() =>
        deps.withContext(async (ctx) => {
          const plan = await readRetentionPlan(ctx, hostActor(), filterOf(rule, opts));
          stdout.write(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : planTable(plan));
          setExitCode(0);
        }),
      ),
    );

  retention
    .command('run')
    .description(
      'Sweep now: each rule on each system, with a receipt in the audit ledger; joins a run under way',
    )
    .argument('[rule]', 'a retention rule id; every rule when omitted')
    .option('--declaration <id>', 'only rules of this declaration (needed when several declare the rule)')
    .option('--system <id>', 'only this system (steward for Steward’s own store)')
    .option('--json', 'machine-readable output')
    .action((rule: string | undefined, opts: FilterOptions) =>
      usage(() =>
        deps.withContext(async (ctx) => {
          const filter = filterOf(rule, opts);
          const plan = await readRetentionPlan(ctx, hostActor(), filter);
          const { runs } = await startRetentionRuns(ctx, hostActor(), filter, 'cli');
          const bars = progressBars(stderr);
          const finished: RunView[] = [];
          try {
            for (const run of runs) {
              const planned = plan.sweeps.find(
                (s) =>
                  s.declarationId === run.declarationId && s.ruleId === run.ruleId && s.system === run.system,
              );
              const bar = planned === undefined ? undefined : bars.bar(planned);
              const ended = await sweepRun(ctx, run.id, { onBatch: (progress) => bar?.update(progress) });
              bar?.update(ended);
              finished.push(ended);
            }
          } finally {
            bars.stop();
          }
          if (opts.json) stdout.write(`${JSON.stringify({ runs: finished }, null, 2)}\n`);
          else for (const run of finished) stdout.write(receiptLine(run));
          setExitCode(finished.some((r) => r.status !== 'done') ? 1 : 0);
        }),
      ),
    );
  return retention;
}
