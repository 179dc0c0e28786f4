/**
 * `steward systems scan ID [--out FILE]` and `steward systems diff ID`: discovery from the command
 * line. `scan` reads the live schema of a system through its connector, samples a few values per
 * column (never stored, never printed) and writes a proposed dataset as YAML for review, with a
 * progress bar on stderr and the notes after it. `diff` compares the reviewed dataset in force with
 * a fresh scan and prints what changed, in the lint output's style.
 *
 * Exit codes: 0 done (diff: nothing that needs review), 1 the system refused or failed, or the
 * diff found errors or warnings, 2 bad usage (such as a reviewed dataset in the way of --out).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parse } from 'yaml';
import type { Connector, SystemRegistry } from '../connectors/contract.js';
import { ConnectorError } from '../connectors/contract.js';
import type { DiscoveryWarning } from '../discovery/diff.js';
import { diffDataset } from '../discovery/diff.js';
import type { Proposal, ProposalNote, ScanProgress } from '../discovery/propose.js';
import { proposalToYaml, scanSystem } from '../discovery/propose.js';

interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** What a scan needs of a system: its structure and a few values. */
export type ScanSource = Pick<Connector, 'system' | 'introspect' | 'sample'>;

/**
 * The connected systems as the commands use them: `connector` gives the connector with the
 * reviewed dataset in force (diff compares against it); `scanner`, when given, a connector for
 * reading the structure of a system that has no reviewed dataset yet (scan uses it, and falls
 * back to `connector`).
 */
export interface ScanSystems extends Pick<SystemRegistry, 'connector'> {
  scanner?(system: string): Promise<ScanSource>;
}

export interface ScanCommandDeps {
  /**
   * Runs `fn` with the connected systems of an app context (`ctx.systems`), opened for the one
   * command and closed after it.
   */
  readonly withSystems: <T>(fn: (systems: ScanSystems) => Promise<T>) => Promise<T>;
  readonly stdout?: Output;
  readonly stderr?: Output;
  readonly setExitCode?: (code: number) => void;
  readonly clock?: () => Date;
}

class UsageError extends Error {}

/** A progress bar on stderr, on a terminal only: tables sampled of the schema's tables. */
function progressBar(stderr: Output, system: string) {
  if (stderr.isTTY !== true) return { update: (_p: ScanProgress) => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: stderr as NodeJS.WritableStream,
    format: `Scanning ${system} [{bar}] {value}/{total} tables | {table}`,
    hideCursor: true,
    barsize: 24,
  });
  let started = false;
  return {
    update(p: ScanProgress) {
      if (p.phase !== 'sample') return;
      if (!started) bar.start(Math.max(p.total, 1), 0, { table: '' });
      started = true;
      bar.update(p.index, { table: p.table ?? '' });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

const where = (collection?: string, field?: string) =>
  collection === undefined ? '' : `[${collection}${field === undefined ? '' : `.${field}`}] `;

function describeNote(system: string, note: ProposalNote): string {
  return `${system} note ${note.code} ${where(note.collection, note.field)}${note.message}\n`;
}

function describeWarning(system: string, w: DiscoveryWarning): string {
  return `${system} ${w.severity} ${w.code} ${where(w.collection, w.field)}${w.message}\n    fix: ${w.hint}\n`;
}

function summary(proposal: Proposal): string {
  const collections = proposal.dataset.collections;
  const reference = collections.filter((c) => c.reference === true).length;
  const personal = proposal.fields.filter((f) => f.category !== undefined).length;
  return (
    `Proposed ${collections.length} collection${collections.length === 1 ? '' : 's'} (${reference} reference), ` +
    `${personal} personal field${personal === 1 ? '' : 's'}, ${proposal.notes.length} note${proposal.notes.length === 1 ? '' : 's'}. ` +
    'Review it, add reviewed: { by, on }, and publish it beside the declaration.\n'
  );
}

/** Refuses to write a proposal over a dataset somebody reviewed. */
async function refuseReviewed(file: string, id: string): Promise<void> {
  if (!existsSync(file)) return;
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch {
    return; // Not YAML: nothing reviewed to lose.
  }
  if (doc !== null && typeof doc === 'object' && 'reviewed' in doc)
    throw new UsageError(
      `${file} holds a reviewed dataset; scan never overwrites one. Compare it with the live schema with \`steward systems diff ${id}\`, or write the proposal to another file.`,
    );
}

/**
 * The `scan` and `diff` subcommands, for `registerSystemsCommand`'s list of registrars.
 *
 * @example
 * registerSystemsCommand(program, [
 *   systemsScanCommands({ withSystems: (fn) => withContext((ctx) => fn(ctx.systems)) }),
 * ]);
 */
export function systemsScanCommands(deps: ScanCommandDeps): (systems: Command) => void {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const setExitCode =
    deps.setExitCode ??
    ((code: number) => {
      process.exitCode = code;
    });
  const clock = deps.clock ?? (() => new Date());

  /** Runs a command against one system; refusals and failures print and set exit code 1. */
  const withSystem = async (id: string, fn: (systems: ScanSystems) => Promise<void>): Promise<void> => {
    try {
      await deps.withSystems(fn);
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      stderr.write(`${error.message}\n`);
      setExitCode(1);
    }
  };

  return (systems) => {
    systems
      .command('scan')
      .description(
        'Read a system’s live schema and propose its dataset (YAML) for review; sampled values are never stored',
      )
      .argument('<id>', 'the system id, as declared')
      .option('-o, --out <file>', 'write the proposal to a file instead of standard output')
      .action(async (id: string, opts: { out?: string }) => {
        try {
          if (opts.out !== undefined) await refuseReviewed(opts.out, id);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          stderr.write(`${error.message}\n`);
          setExitCode(2);
          return;
        }
        await withSystem(id, async (registry) => {
          const source = await (registry.scanner?.(id) ?? registry.connector(id));
          const bar = progressBar(stderr, id);
          let proposal: Proposal;
          try {
            ({ proposal } = await scanSystem(source, { onProgress: (p) => bar.update(p), system: id }));
          } finally {
            bar.stop();
          }
          const yaml = proposalToYaml(proposal, clock());
          if (opts.out === undefined) stdout.write(yaml);
          else await writeFile(opts.out, yaml);
          for (const note of proposal.notes) stderr.write(describeNote(id, note));
          stderr.write(summary(proposal));
          if (opts.out !== undefined) stderr.write(`Wrote ${opts.out}.\n`);
          setExitCode(0);
        });
      });

    systems
      .command('diff')
      .description(
        'Compare the reviewed dataset in force with a fresh scan; exits 1 when something needs review',
      )
      .argument('<id>', 'the system id, as declared')
      .option('--json', 'machine-readable output')
      .action(async (id: string, opts: { json?: boolean }) => {
        await withSystem(id, async (registry) => {
          const connector = await registry.connector(id);
          const bar = progressBar(stderr, id);
          let warnings: DiscoveryWarning[];
          try {
            const fresh = await scanSystem(connector, { onProgress: (p) => bar.update(p), system: id });
            warnings = diffDataset(connector.dataset, fresh);
          } finally {
            bar.stop();
          }
          const count = (s: DiscoveryWarning['severity']) => warnings.filter((w) => w.severity === s).length;
          const [errors, warned, info] = [count('error'), count('warning'), count('info')];
          const failed = errors + warned > 0;
          if (opts.json) stdout.write(`${JSON.stringify({ ok: !failed, system: id, warnings }, null, 2)}\n`);
          else {
            for (const w of warnings) stdout.write(describeWarning(id, w));
            stdout.write(
              `${id}: ${failed ? 'REVIEW NEEDED' : 'ok'} (${errors} error${errors === 1 ? '' : 's'}, ${warned} warning${warned === 1 ? '' : 's'}, ${info} info)\n`,
            );
          }
          setExitCode(failed ? 1 : 0);
        });
      });
  };
}
