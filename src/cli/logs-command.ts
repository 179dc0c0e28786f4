/**
 * `steward logs import FILE... --declaration ID [--site HOST]`: server access logs (C3d.2), in
 * Common or Combined Log Format, plain or gzip, become minimised website events. Exit codes: 0
 * done (even with some unreadable lines, which are listed by file and line number), 1 a file could
 * not be read at all or none of its lines parse, 2 bad usage.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { closeContext, createContext, createLogger } from '../app.js';
import { loadConfig } from '../config.js';
import { notInForce } from '../errors.js';
import type { LogImportProgress, LogImportSummary } from '../web/log-import.js';
import { UNREADABLE_LISTED, importLogs, logEventTypes, siteHost } from '../web/log-import.js';
import { hostActor } from './host-actor.js';

interface LogsImportOptions {
  declaration: string;
  site?: string;
}

class UsageError extends Error {}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A progress bar on stderr, on a terminal only: bytes read of the files' total size. */
function progressBar() {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      'Importing [{bar}] {percentage}% | {read} of {size} | {lines} lines, {events} events, {unreadable} unreadable | ETA {eta_formatted}',
    hideCursor: true,
    barsize: 24,
    // ETA over the last ten seconds or so: updates come at most ten times a second.
    etaBuffer: 100,
  });
  let started = false;
  let last = 0;
  const payload = (p: LogImportProgress) => ({
    read: megabytes(p.bytesRead),
    size: megabytes(p.totalBytes),
    lines: p.lines.toLocaleString('en'),
    events: p.events.toLocaleString('en'),
    unreadable: p.unreadable.toLocaleString('en'),
  });
  return {
    update(p: LogImportProgress) {
      // An empty total would leave the bar at NaN %.
      const total = Math.max(p.totalBytes, 1);
      if (!started) bar.start(total, 0, payload(p));
      started = true;
      const now = Date.now();
      if (now - last < 100 && p.bytesRead < total) return;
      last = now;
      bar.update(Math.min(p.bytesRead, total), payload(p));
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function report(summary: LogImportSummary): void {
  for (const u of summary.unreadableLines) process.stderr.write(`${u.file}:${u.line}: ${u.reason}\n`);
  const unlisted = summary.unreadable - summary.unreadableLines.length;
  if (unlisted > 0)
    process.stderr.write(
      `… and ${plural(unlisted, 'more unreadable line')} (the first ${UNREADABLE_LISTED} are listed).\n`,
    );
  for (const f of summary.files)
    if (f.error !== undefined) process.stderr.write(`${f.file}: not imported in full: ${f.error}.\n`);
  process.stdout.write(
    `Imported ${plural(summary.events, 'event')} from ${plural(summary.lines, 'line')} in ${plural(summary.files.length, 'file')}: ` +
      `${summary.unreadable.toLocaleString('en')} unreadable, ${summary.bots.toLocaleString('en')} from bots dropped, ` +
      `${summary.skipped.toLocaleString('en')} not page views or download errors.\n`,
  );
}

async function runLogsImport(files: string[], opts: LogsImportOptions): Promise<number> {
  const site = opts.site === undefined ? undefined : siteHost(opts.site);
  if (opts.site !== undefined && site === undefined)
    throw new UsageError(`--site "${opts.site}" is not a host name, such as www.example.com.`);
  const ctx = await createContext(loadConfig(), { publishFiles: false, log: createLogger('warn') });
  const bar = progressBar();
  try {
    const active = ctx.policies.get(opts.declaration);
    if (active === undefined) {
      const ids = ctx.policies.list().map((a) => a.model.id);
      throw new UsageError(
        ids.length > 0
          ? `Declaration "${opts.declaration}" is not in force; in force: ${ids.join(', ')}.`
          : notInForce(opts.declaration).message,
      );
    }
    const types = active.model.declaration.analytics.events.map((e) => e.type as string);
    if (!logEventTypes.some((t) => types.includes(t)))
      throw new UsageError(
        `Declaration "${opts.declaration}" lists neither page_view nor download_error under analytics.events: a server log gives it nothing to record.`,
      );
    const summary = await importLogs(ctx, hostActor(), {
      files,
      declarationId: opts.declaration,
      ...(site !== undefined ? { site } : {}),
      onProgress: (p) => bar?.update(p),
    });
    bar?.stop();
    report(summary);
    return summary.files.some((f) => f.error !== undefined) ? 1 : 0;
  } finally {
    bar?.stop();
    await closeContext(ctx);
  }
}

export function registerLogsCommand(program: Command): void {
  const logs = program
    .command('logs')
    .description('Web server access logs')
    // Bad arguments are usage errors: exit 2, like the rest of `steward`.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  logs
    .command('import')
    .description(
      'Import Common or Combined Log Format files (plain or gzip) as website events, minimised as live events are: no IP address, query string or full user agent is stored',
    )
    .argument('<files...>', 'log files; gzip is recognised by its content, whatever the name')
    .requiredOption('--declaration <id>', 'declaration whose analytics events the lines become')
    .option(
      '--site <host>',
      "the site's host name (default: the log's vhost field, else the controller's website)",
    )
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (files: string[], opts: LogsImportOptions) => {
      try {
        process.exitCode = await runLogsImport(files, opts);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
