/**
 * Server log import (C3d.2): web server access logs in Common or Combined Log Format, plain or
 * gzip (told apart by the file's first bytes, not its name), become website events with the same
 * minimisation as live events (src/web/minimise.ts): the country is looked up from the full
 * address in memory, then only the /24 or /48 network is kept; the user agent is reduced to
 * browser and OS family; bots are dropped; the path loses its query string; the referrer is kept
 * as a host name only; the identity and user fields of the log are never even parsed out. A
 * cookieless visitor id is computed in memory from the address, the browser and the site.
 *
 * Files are streamed: lines are read a chunk at a time (a line longer than 64 KiB is reported and
 * skipped), events are written in transactions of a few thousand, so a multi-gigabyte log needs
 * no more memory than a small one.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Actor } from '../access/actor.js';
import { actorRef } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notInForce } from '../errors.js';
import type { Declaration } from '../policy/schema.js';
import { transaction } from '../store/transaction.js';
import type { CountryLookup } from './country.js';
import { openCountryLookup } from './country.js';
import { hostOf, isBot, pathOf, reduceUserAgent, truncateIp, visitorId } from './minimise.js';
import { saltFor } from './salts.js';
import type { WebEventRow } from './store-events.js';
import { insertWebEvents } from './store-events.js';

// --- Parsing ---------------------------------------------------------------------------------

/**
 * What Steward reads from one log line. The identity (`%l`) and user (`%u`) fields are matched
 * but never kept; the address, the full request target and the user agent live only in memory.
 */
export interface ParsedLine {
  /** `common` (no referrer or user agent) or `combined`. */
  readonly format: 'common' | 'combined';
  /** The virtual host of a `vhost_combined` line (its first field), lower-cased, without the port. */
  readonly vhost?: string;
  /** The client's address as logged (`%h`); a host name when the server resolved addresses. */
  readonly client: string;
  /** The request time in UTC, ISO 8601. */
  readonly at: string;
  /** Undefined when the request line is not `METHOD TARGET [PROTOCOL]` (e.g. `-` or TLS bytes). */
  readonly method?: string;
  /** The request target as sent, query string included (in memory only). */
  readonly target?: string;
  readonly status: number;
  /** Undefined for `-`. */
  readonly referrer?: string;
  /** Undefined for `-`, and for Common Log Format lines, which have none. */
  readonly userAgent?: string;
}

/** A quoted field: `\"` and `\\` escapes as Apache writes them, `\xHH` as Apache and nginx do. */
const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';

const LINE = new RegExp(
  '^(?:(\\S+)\\s+)?' + // vhost_combined: %v:%p
    '(\\S+)\\s+\\S+\\s+\\S+\\s+' + // %h %l %u (the last two never kept)
    '\\[([^\\]]+)\\]\\s+' + // %t
    QUOTED +
    '\\s+(\\d{3})\\s+(?:\\d+|-)' + // "%r" %>s %b
    `(?:\\s+${QUOTED}\\s+${QUOTED}(?:\\s.*)?)?$`, // "%{Referer}i" "%{User-Agent}i", then anything
);

const TIME = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})\s+([+-])(\d{2})(\d{2})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const REQUEST = /^([A-Z]+) (\S+)(?: HTTP\/\d(?:\.\d)?)?$/;

/** Midnight UTC of a day, less the log's offset, by `dd/Mon/yyyy +hhmm`: one date parse per day. */
const dayStarts = new Map<string, number | null>();

function dayStart(dd: string, mon: string, yyyy: string, offset: string): number | null {
  const key = `${dd}/${mon}/${yyyy} ${offset}`;
  let start = dayStarts.get(key);
  if (start !== undefined) return start;
  const month = MONTHS.indexOf(mon.toLowerCase());
  const [day, year, offH, offM] = [
    Number(dd),
    Number(yyyy),
    Number(offset.slice(1, 3)),
    Number(offset.slice(3)),
  ];
  const midnight = Date.UTC(year, month, day);
  const check = new Date(midnight);
  start =
    month < 0 || offH > 14 || offM > 59 || check.getUTCMonth() !== month || check.getUTCDate() !== day // 31 Feb
      ? null
      : midnight - (offset.startsWith('-') ? -1 : 1) * (offH * 60 + offM) * 60_000;
  if (dayStarts.size > 1000) dayStarts.clear();
  dayStarts.set(key, start);
  return start;
}

/** `[10/Oct/2000:13:55:36 -0700]` → `2000-10-10T20:55:36.000Z`; undefined when not a real time. */
function parseTime(text: string): string | undefined {
  const m = TIME.exec(text);
  if (m === null) return undefined;
  const start = dayStart(m[1] as string, m[2] as string, m[3] as string, `${m[7]}${m[8]}${m[9]}`);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (start === null || hour > 23 || minute > 59 || second > 60) return undefined;
  // A leap second is taken as the second before it.
  return new Date(start + ((hour * 60 + minute) * 60 + Math.min(second, 59)) * 1000).toISOString();
}

/** Undoes a log's escapes; runs of `\xHH` are decoded together, as UTF-8. */
function unescapeField(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      const hex = next === 'x' ? text.slice(i + 2, i + 4) : '';
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 3;
        continue;
      }
      flush();
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
      i += 1;
      continue;
    }
    flush();
    out += c;
  }
  flush();
  return out;
}

const dash = (text: string | undefined): string | undefined =>
  text === undefined || text === '-' || text === '' ? undefined : text;

/** A site as stored: the host name, lower-cased, without port; undefined when it is not one. */
export function siteHost(value: string | undefined): string | undefined {
  const text = value?.trim() ?? '';
  if (text === '' || text === '-') return undefined;
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return undefined;
  }
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  )
    return undefined;
  return url.hostname.toLowerCase().replace(/\.$/, '') || undefined;
}

/**
 * One line of Common Log Format (`%h %l %u %t "%r" %>s %b`), Combined Log Format (plus
 * `"%{Referer}i" "%{User-Agent}i"`, and whatever a server appends after them, such as nginx's
 * `"$http_x_forwarded_for"`), or either with Apache's leading `%v:%p` (vhost_combined).
 * Undefined when the line is not one of these.
 */
export function parseLogLine(line: string): ParsedLine | undefined {
  const m = LINE.exec(line.trim());
  if (m === null) return undefined;
  const [, vhostField, client, time, request, status, referrer, userAgent] = m;
  const at = parseTime(time as string);
  if (at === undefined) return undefined;
  const req = REQUEST.exec(unescapeField(request as string));
  const combined = userAgent !== undefined;
  const vhost = vhostField === undefined ? undefined : siteHost(vhostField);
  const ref = combined ? dash(unescapeField(referrer as string)) : undefined;
  const ua = combined ? dash(unescapeField(userAgent)) : undefined;
  return {
    format: combined ? 'combined' : 'common',
    ...(vhost !== undefined ? { vhost } : {}),
    client: client as string,
    at,
    ...(req !== null ? { method: req[1] as string, target: req[2] as string } : {}),
    status: Number(status),
    ...(ref !== undefined ? { referrer: ref } : {}),
    ...(ua !== undefined ? { userAgent: ua } : {}),
  };
}

// --- What a request becomes --------------------------------------------------------------------

/** The event types a server log can give. */
export const logEventTypes = ['page_view', 'download_error'] as const;
export type LogEventType = (typeof logEventTypes)[number];

const PAGE_EXTENSIONS = new Set(['html', 'htm', 'php', 'asp', 'aspx', 'jsp']);
/** Files a page loads by itself: never a page view, and not a download the visitor asked for. */
const ASSET_EXTENSIONS = new Set([
  'css',
  'js',
  'mjs',
  'map',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'avif',
  'ico',
  'bmp',
  'woff',
  'woff2',
  'ttf',
  'otf',
  'eot',
]);

function extensionOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}

/**
 * `page_view` for a successful GET or HEAD of a page (no extension, or .html, .php and the like);
 * `download_error` for a failed (status ≥ 400) GET or HEAD of a file with another extension;
 * undefined for the rest: static assets, other methods, redirects to nowhere in particular.
 */
export function eventTypeOf(
  method: string | undefined,
  path: string,
  status: number,
): LogEventType | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const ext = extensionOf(path);
  if (ext !== undefined && ASSET_EXTENSIONS.has(ext)) return undefined;
  const page = ext === undefined || PAGE_EXTENSIONS.has(ext);
  if (status < 400) return page ? 'page_view' : undefined;
  return page ? undefined : 'download_error';
}

// --- User agents ------------------------------------------------------------------------------

interface Agent {
  readonly bot: boolean;
  readonly browser: string;
  readonly os: string;
}

/**
 * What a user agent string is reduced to, remembered for the strings seen most recently: a log
 * repeats a few hundred of them millions of times, and parsing one costs far more than a look-up.
 */
class Agents {
  private readonly known = new Map<string, Agent>();

  of(userAgent: string | undefined): Agent {
    const key = userAgent ?? '';
    let agent = this.known.get(key);
    if (agent === undefined) {
      agent = { bot: isBot(userAgent), ...reduceUserAgent(userAgent) };
      if (this.known.size >= 5000) this.known.clear();
      this.known.set(key, agent);
    }
    return agent;
  }
}

// --- Visitor-id salts --------------------------------------------------------------------------

/**
 * The salt for each day's visitor ids. Lines of today and yesterday use that day's stored random
 * salt, the one live events use, which the hourly job deletes after 48 hours. The salt of an
 * older day is gone for good and is not re-created (that would make those ids recomputable for
 * another two days). Lines of such days use a key derived per day from ONE random salt made for
 * this import run and held only in memory, never stored: once the run ends nobody can recompute
 * those ids from an address and a browser, just as for live events whose salt was deleted.
 * Deriving one key per day keeps a visitor's ids on different days unlinkable, as live ids are.
 */
class DaySalts {
  private readonly known = new Map<string, Buffer>();
  private readonly runSalt = randomBytes(32);

  constructor(private readonly ctx: AppContext) {}

  /** The salt of `day` when already known, so the common case costs no promise. */
  cached(day: string): Buffer | undefined {
    return this.known.get(day);
  }

  async of(day: string): Promise<Buffer> {
    const cached = this.known.get(day);
    if (cached !== undefined) return cached;
    const salt = (await saltFor(this.ctx, day)) ?? createHmac('sha256', this.runSalt).update(day).digest();
    // A log spans a bounded number of days; keep the map small anyway.
    if (this.known.size > 64) this.known.clear();
    this.known.set(day, salt);
    return salt;
  }
}

// --- Reading files -----------------------------------------------------------------------------

/** Lines longer than this are reported as unreadable and skipped without being held in memory. */
export const MAX_LINE_BYTES = 64 * 1024;

/** How many unreadable lines are listed by number; the rest are only counted. */
export const UNREADABLE_LISTED = 20;

/** Events per transaction. */
const BATCH_ROWS = 2000;

class FileUnreadable extends Error {}

/** The file's first bytes: gzip (1f 8b) is read through gunzip; other compressions are refused. */
function compressionOf(magic: Buffer): 'gzip' | 'none' {
  if (magic[0] === 0x1f && magic[1] === 0x8b) return 'gzip';
  const known: [string, number[]][] = [
    ['bzip2', [0x42, 0x5a, 0x68]],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
    ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ];
  for (const [name, bytes] of known)
    if (bytes.every((b, i) => magic[i] === b))
      throw new FileUnreadable(`it is ${name}-compressed; only plain and gzip logs are read`);
  return 'none';
}

function decode(parts: Buffer[], length: number): string {
  const text = (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length)).toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * The lines of a byte stream, a chunk's worth at a time; `null` stands for a line longer than
 * {@link MAX_LINE_BYTES}, whose bytes are dropped as they arrive.
 */
async function* linesOf(source: AsyncIterable<Buffer>): AsyncGenerator<(string | null)[]> {
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  for await (const chunk of source) {
    const lines: (string | null)[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
      if (!tooLong) {
        if (length + piece.length > MAX_LINE_BYTES) {
          tooLong = true;
          parts = [];
          length = 0;
        } else if (piece.length > 0) {
          parts.push(piece);
          length += piece.length;
        }
      }
      if (nl === -1) break;
      lines.push(tooLong ? null : decode(parts, length));
      parts = [];
      length = 0;
      tooLong = false;
      start = nl + 1;
    }
    if (lines.length > 0) yield lines;
  }
  if (tooLong || length > 0) yield [tooLong ? null : decode(parts, length)];
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
    return `the gzip data is damaged (${(error as Error).message})`;
  return error instanceof Error ? error.message : String(error);
}

/** Opens a log file for reading, with what its first bytes say about its compression. */
async function openLog(file: string): Promise<ReadStream & { compression: 'gzip' | 'none' }> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new FileUnreadable(describeError(error));
  }
  try {
    const magic = Buffer.alloc(6);
    await handle.read(magic, 0, magic.length, 0);
    const compression = compressionOf(magic);
    return Object.assign(handle.createReadStream({ start: 0 }), { compression });
  } catch (error) {
    await handle.close();
    throw error instanceof FileUnreadable ? error : new FileUnreadable(describeError(error));
  }
}

// --- The import --------------------------------------------------------------------------------

export interface LogImportOptions {
  readonly files: readonly string[];
  readonly declarationId: string;
  /** The site's host name for every line; by default a vhost field, else the controller's website. */
  readonly site?: string;
  /** Called as the files are read, a chunk at a time. */
  readonly onProgress?: (progress: LogImportProgress) => void;
}

export interface LogImportCounts {
  /** Lines read, blank lines not counted. */
  lines: number;
  /** Events written. */
  events: number;
  /** Lines that are not Common or Combined Log Format. */
  unreadable: number;
  /** Lines dropped because their user agent is a bot's. */
  bots: number;
  /** Lines read that give no event: static assets, other methods and statuses, undeclared types. */
  skipped: number;
}

export interface LogImportProgress extends LogImportCounts {
  /** Bytes of the files read so far (compressed bytes for gzip files), of `totalBytes`. */
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface LogFileSummary extends LogImportCounts {
  readonly file: string;
  /** Why the file counts as failed: it could not be read (to the end), or none of its lines parse. */
  error?: string;
}

export interface UnreadableLine {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface LogImportSummary extends LogImportCounts {
  readonly files: LogFileSummary[];
  /** The first {@link UNREADABLE_LISTED} unreadable lines; `unreadable` counts them all. */
  readonly unreadableLines: UnreadableLine[];
}

/** The host of the controller's website (its web contact), for logs that do not name the site. */
function controllerSite(declaration: Declaration): string | undefined {
  for (const contact of declaration.controller.contacts)
    if (contact.channel === 'web') {
      const host = hostOf(contact.value);
      if (host !== undefined) return host;
    }
  return undefined;
}

/**
 * Imports server log files under a declaration. Each line becomes at most one event, of a type
 * the declaration lists under `analytics.events` (its purpose and category come from there).
 * A file that cannot be read, or none of whose lines parse, is reported in its summary's `error`
 * and the others go on; events already written stay. One audit entry records the import.
 */
export async function importLogs(
  ctx: AppContext,
  actor: Actor,
  options: LogImportOptions,
): Promise<LogImportSummary> {
  const active = ctx.policies.get(options.declarationId);
  if (active === undefined) throw notInForce(options.declarationId);
  const { declaration } = active.model;
  const declared = new Map(
    declaration.analytics.events
      .filter((e) => (logEventTypes as readonly string[]).includes(e.type))
      .map((e) => [e.type as LogEventType, e]),
  );
  if (declared.size === 0)
    throw new AppError(
      'not_declared',
      `Declaration "${options.declarationId}" lists neither page_view nor download_error under analytics.events, so a server log gives it nothing to record.`,
      [{ path: 'analytics.events', message: 'no page_view or download_error event' }],
    );
  const fixedSite = options.site === undefined ? undefined : siteHost(options.site);
  if (options.site !== undefined && fixedSite === undefined)
    throw new AppError('validation_failed', `"${options.site}" is not a host name.`, [
      { path: 'site', message: 'not a host name' },
    ]);
  const defaultSite = controllerSite(declaration) ?? 'unknown';
  const country: CountryLookup = await openCountryLookup(ctx.config.geoipDb);
  const salts = new DaySalts(ctx);
  const agents = new Agents();

  const total: LogImportCounts = { lines: 0, events: 0, unreadable: 0, bots: 0, skipped: 0 };
  const files: LogFileSummary[] = [];
  const unreadableLines: UnreadableLine[] = [];
  let pending: WebEventRow[] = [];

  const sizes = await Promise.all(
    options.files.map((file) =>
      stat(file).then(
        (s) => (s.isFile() ? s.size : 0),
        () => 0,
      ),
    ),
  );
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let doneBytes = 0;
  const progress = (bytesRead: number) =>
    options.onProgress?.({ ...total, bytesRead: doneBytes + bytesRead, totalBytes });

  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    await transaction(ctx.store, (tx) => insertWebEvents(tx, rows, ctx.store.dialect));
  };

  const toRow = (
    parsed: ParsedLine,
    software: Agent,
    salt: Buffer,
    type: LogEventType,
    path: string,
  ): WebEventRow => {
    const event = declared.get(type)!;
    const site = fixedSite ?? parsed.vhost ?? defaultSite;
    return {
      declaration_id: options.declarationId,
      at: parsed.at,
      day: parsed.at.slice(0, 10),
      type,
      purpose: event.purpose,
      category: event.category,
      source: 'log',
      site,
      path,
      referrer_host: hostOf(parsed.referrer) ?? null,
      target: null,
      label: null,
      value: parsed.status,
      visitor: visitorId(salt, { ip: parsed.client, userAgent: parsed.userAgent ?? '', site }),
      // Looked up from the full address before it is truncated; neither is kept.
      network: truncateIp(parsed.client) ?? null,
      country: country(parsed.client) ?? null,
      browser: software.browser,
      os: software.os,
      consent_ref: null,
    };
  };

  for (const [index, file] of options.files.entries()) {
    const summary: LogFileSummary = { file, lines: 0, events: 0, unreadable: 0, bots: 0, skipped: 0 };
    files.push(summary);
    const count = (key: keyof LogImportCounts) => {
      summary[key] += 1;
      total[key] += 1;
    };
    let raw: Awaited<ReturnType<typeof openLog>> | undefined;
    let lineNo = 0;
    let parsedLines = 0;
    try {
      raw = await openLog(file);
      let source: AsyncIterable<Buffer> = raw;
      if (raw.compression === 'gzip') {
        const gunzip = createGunzip();
        raw.on('error', (error) => gunzip.destroy(error));
        source = raw.pipe(gunzip);
      }
      const chunks = linesOf(source)[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<(string | null)[]>;
        try {
          next = await chunks.next();
        } catch (error) {
          throw new FileUnreadable(
            lineNo > 0
              ? `it could not be read past line ${lineNo}: ${describeError(error)}`
              : describeError(error),
          );
        }
        if (next.done === true) break;
        for (const text of next.value) {
          lineNo += 1;
          if (text !== null && text.trim() === '') continue;
          count('lines');
          const parsed = text === null ? undefined : parseLogLine(text);
          if (parsed === undefined) {
            count('unreadable');
            if (unreadableLines.length < UNREADABLE_LISTED)
              unreadableLines.push({
                file,
                line: lineNo,
                reason:
                  text === null
                    ? `longer than ${MAX_LINE_BYTES / 1024} KiB`
                    : 'not a Common or Combined Log Format line',
              });
            continue;
          }
          parsedLines += 1;
          // Common Log Format has no user agent: such lines are kept (browser and OS "Other").
          // A combined line without one ("-") counts as a bot, as it does for live events.
          const agent = agents.of(parsed.userAgent);
          if (parsed.format === 'combined' && agent.bot) {
            count('bots');
            continue;
          }
          const path = pathOf(parsed.target);
          const type = path === undefined ? undefined : eventTypeOf(parsed.method, path, parsed.status);
          if (path === undefined || type === undefined || !declared.has(type)) {
            count('skipped');
            continue;
          }
          const day = parsed.at.slice(0, 10);
          const salt = salts.cached(day) ?? (await salts.of(day));
          pending.push(toRow(parsed, agent, salt, type, path));
          count('events');
          if (pending.length >= BATCH_ROWS) await flush();
        }
        progress(raw.bytesRead);
      }
      await flush();
      if (summary.lines > 0 && parsedLines === 0)
        summary.error = `none of its ${summary.lines} line(s) is a Common or Combined Log Format line`;
    } catch (error) {
      // Only the file's own failures are reported and passed over; the store's end the import.
      if (!(error instanceof FileUnreadable)) throw error;
      // What was read before the failure stays imported.
      await flush();
      summary.error = error.message;
    } finally {
      raw?.destroy();
    }
    doneBytes += sizes[index] ?? 0;
    progress(0);
  }

  await transaction(ctx.store, (tx) =>
    appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'web.logs_imported',
      target: `declaration:${options.declarationId}`,
      details: {
        files: files.map((f) => ({
          file: f.file,
          lines: f.lines,
          events: f.events,
          ...(f.error !== undefined ? { error: f.error } : {}),
        })),
        lines: total.lines,
        events: total.events,
        unreadable: total.unreadable,
        bots: total.bots,
        skipped: total.skipped,
        ...(fixedSite !== undefined ? { site: fixedSite } : {}),
      },
    }),
  );
  return { ...total, files, unreadableLines };
}
