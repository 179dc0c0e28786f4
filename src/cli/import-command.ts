/**
 * `steward import FILE`: bulk import of records (C3a.3) through the same checks as capture. Exit
 * codes: 0 every row imported, 1 some rows rejected (see the report), 2 bad usage (no such file,
 * unknown declaration, source or purpose).
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { closeContext, createContext, createLogger } from '../app.js';
import type { ImportFormat, ImportProgress, RejectReport } from '../capture/import-records.js';
import {
  ImportFileError,
  ImportInterrupted,
  formatOf,
  importRecords,
  openRejectReport,
  readRows,
} from '../capture/import-records.js';
import { captureInput } from '../capture/capture-record.js';
import { loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import { notInForce } from '../errors.js';
import { hostActor } from './host-actor.js';

interface ImportCommandOptions {
  declaration?: string;
  source?: string;
  purposes?: string[];
  categories?: string[];
  kind: string;
  format?: ImportFormat;
  report?: string;
  dryRun?: boolean;
  verified?: boolean;
}

class UsageError extends Error {}

const commaList = (value: string): string[] => {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError('name at least one');
  return list;
};

/**
 * A progress bar on stderr, on a terminal only. How many rows a file holds is not known until it
 * is read, so the bar shows how far into the file the import is (in bytes); rows done, rows
 * rejected and the rate are shown beside it.
 */
function progressBar(size: number, bytesRead: () => number, dryRun: boolean) {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${dryRun ? 'Checking' : 'Importing'} [{bar}] {percentage}% | {rows} rows, {rejected} rejected | {rate} rows/s | ETA {eta_formatted}`,
    hideCursor: true,
    barsize: 24,
    etaBuffer: 1000,
  });
  const started = Date.now();
  const payload = (p: ImportProgress) => ({
    rows: p.rows,
    rejected: p.rejected,
    rate: Math.round(p.rows / Math.max((Date.now() - started) / 1000, 0.001)),
  });
  bar.start(size, 0, payload({ rows: 0, imported: 0, rejected: 0 }));
  return {
    update: (p: ImportProgress) => bar.update(Math.min(bytesRead(), size), payload(p)),
    /** Draws the last state and leaves the bar's line, before anything else is printed. */
    stop: (p: ImportProgress, done: boolean) => {
      bar.update(done ? size : Math.min(bytesRead(), size), payload(p));
      bar.stop();
    },
  };
}

function checkDefaults(ctx: AppContext, declarationId: string, opts: ImportCommandOptions): void {
  const active = ctx.policies.get(declarationId);
  if (active === undefined) {
    const ids = ctx.policies.list().map((a) => a.model.id);
    throw new UsageError(
      ids.length > 0
        ? `Declaration "${declarationId}" is not in force; in force: ${ids.join(', ')}.`
        : notInForce(declarationId).message,
    );
  }
  const { model } = active;
  const sources = model.declaration.sources.map((s) => s.id);
  if (opts.source !== undefined && !sources.includes(opts.source))
    throw new UsageError(
      `Source "${opts.source}" is not declared in "${declarationId}"; declared: ${sources.join(', ')}.`,
    );
  const unknownPurposes = (opts.purposes ?? []).filter((p) => !model.purposes.has(p));
  if (unknownPurposes.length > 0)
    throw new UsageError(`Purpose ${unknownPurposes.join(', ')} is not declared in "${declarationId}".`);
  const unknownCategories = (opts.categories ?? []).filter((c) => !model.hasCategory(c));
  if (unknownCategories.length > 0)
    throw new UsageError(`Data category ${unknownCategories.join(', ')} is not in the taxonomy.`);
  const kind = captureInput.shape.kind.safeParse(opts.kind);
  if (!kind.success) throw new UsageError(`--kind ${kind.error.issues[0]?.message ?? 'is invalid'}.`);
}

/** Runs the import and returns the exit code. */
async function runImport(file: string, opts: ImportCommandOptions): Promise<number> {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file.`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}.`,
    );
  }
  const format = opts.format ?? formatOf(file);
  if (format === undefined)
    throw new UsageError(
      `Cannot tell the format of ${file} from its name; use --format csv or --format jsonl.`,
    );
  const reportPath = opts.report ?? `${file}.rejected.csv`;

  const ctx = await createContext(loadConfig(), { publishFiles: false, log: createLogger('warn') });
  let report: RejectReport | undefined;
  let bar: ReturnType<typeof progressBar> = undefined;
  let last: ImportProgress = { rows: 0, imported: 0, rejected: 0 };
  try {
    const inForce = ctx.policies.list().map((a) => a.model.id);
    let declarationId = opts.declaration;
    if (declarationId === undefined) {
      if (inForce.length !== 1)
        throw new UsageError(
          `Name the declaration with --declaration; in force: ${inForce.join(', ') || 'none'}.`,
        );
      declarationId = inForce[0] as string;
    }
    checkDefaults(ctx, declarationId, opts);
    try {
      report = await openRejectReport(reportPath);
    } catch (error) {
      throw new UsageError(
        `Cannot write the report to ${reportPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const rows = readRows(file, format);
    bar = progressBar(size, () => rows.bytesRead, opts.dryRun ?? false);
    const summary = await importRecords(ctx, hostActor(), rows, {
      declarationId,
      ...(opts.source !== undefined ? { source: opts.source } : {}),
      ...(opts.purposes !== undefined ? { purposes: opts.purposes } : {}),
      ...(opts.categories !== undefined ? { categories: opts.categories } : {}),
      kind: opts.kind,
      dryRun: opts.dryRun ?? false,
      verifiedIdentifiers: opts.verified ?? false,
      label: basename(file),
      onReject: (row) => report?.write(row),
      onProgress: (p) => {
        last = p;
        bar?.update(p);
      },
    });
    bar?.stop(summary, true);
    bar = undefined;
    const plural = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
    process.stdout.write(
      summary.dryRun
        ? `Dry run, nothing written: would import ${plural(summary.imported)}, rejected ${summary.rejected}; report: ${reportPath}\n`
        : `Imported ${plural(summary.imported)}, rejected ${summary.rejected}; report: ${reportPath}\n`,
    );
    for (const m of summary.minimised)
      process.stdout.write(`Reduced ${m.field} (${m.rule}) in ${plural(m.rows)} before storing\n`);
    return summary.rejected > 0 ? 1 : 0;
  } catch (error) {
    bar?.stop(last, false);
    bar = undefined;
    if (error instanceof ImportFileError) throw new UsageError(`${file}: ${error.message}`);
    if (error instanceof ImportInterrupted) {
      process.stderr.write(
        `${error.message}\nRows up to there stay imported (${error.progress.rejected} rejected); report: ${reportPath}\n`,
      );
      return 1;
    }
    throw error;
  } finally {
    await report?.close();
    await closeContext(ctx);
  }
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      'Import records from a CSV (header row) or JSON-lines file, each row checked and captured on its own; never gives consent',
    )
    .argument('<file>', 'a .csv, .jsonl or .ndjson file')
    .option('--declaration <id>', 'declaration to capture under (default: the only one in force)')
    .option('--source <id>', 'declared source, for rows without a source column')
    .option('--purposes <ids>', 'comma-separated purposes, for rows without a purposes column', commaList)
    .option(
      '--categories <keys>',
      'comma-separated data categories, for rows without a categories column',
      commaList,
    )
    .option('--kind <kind>', 'what the rows record, such as trade_show_lead or survey_answer', 'import')
    .addOption(
      new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'jsonl']),
    )
    .option('--report <path>', 'where to write the rejected rows (default: FILE.rejected.csv)')
    .option('--dry-run', 'check every row without writing anything')
    .option(
      '--verified',
      'the identifiers of each row are known to belong together (a customer register): ones joining a known person may receive codes and results at once',
    )
    // Bad arguments are usage errors: exit 2, like the rest of `steward`.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (file: string, opts: ImportCommandOptions) => {
      try {
        process.exitCode = await runImport(file, opts);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
