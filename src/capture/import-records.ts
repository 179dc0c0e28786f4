/**
 * Bulk import (C3a.3): leads met at trade shows, survey answers, lists from group companies or
 * public business registers. Rows are read from CSV or JSON lines as a stream (never the whole
 * file in memory), mapped to capture inputs and captured one by one through `captureRecord`, so
 * every rule of capture holds for imports too: declared purposes and sources only, the age
 * threshold (C12.1), the source recorded on the record (C3b.1) and a "notice owed" task for
 * indirect sources (C3b.2). A rejected row is reported with its reasons; it never stops the
 * import nor undoes the rows before it.
 *
 * An import never changes consent or subscription state: a row that carries consent is rejected,
 * and a consent-based purpose for a person without consent on record is refused by capture.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { ReadStream, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { CsvError, Info } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { ZodError } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import type { ErrorCode, ErrorDetail } from '../errors.js';
import { AppError, notInForce } from '../errors.js';
import { MAX_JSON_DEPTH, jsonTextTooDeep } from '../bounded-json.js';
import { transaction } from '../store/transaction.js';
import type { CaptureInput } from './capture-record.js';
import { captureInput, captureRecord } from './capture-record.js';

export type ImportFormat = 'csv' | 'jsonl';

/** One row of the file, before it is mapped to a capture input. */
export interface SourceRow {
  /** Line of the file where the row starts (1-based; in CSV the header is line 1). */
  readonly line: number;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Why the row itself could not be read (malformed CSV or JSON), if so. */
  readonly error?: string;
}

/** A problem with the file as a whole (such as its header): nothing can be imported. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}

/** The format a file's extension names, if any. */
export function formatOf(file: string): ImportFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return undefined;
}

// --- Reading files --------------------------------------------------------------------------

/** The rows of a file, read as a stream. */
export interface RowReader extends AsyncIterable<SourceRow> {
  /** How far into the file the rows handed out so far reach, in bytes (for progress). */
  readonly bytesRead: number;
}

/** How far into its file a reader has handed out rows. */
interface Position {
  bytes: number;
}

/** Header names, trimmed; an empty or repeated name (`Email` and `email` repeat) stops the import. */
function checkHeader(names: readonly string[]): string[] {
  const header = names.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw new ImportFileError(`Column ${i + 1} of the header row has no name.`);
    const key = columnKey(name);
    if (seen.has(key)) throw new ImportFileError(`The header row names column "${name}" twice.`);
    seen.add(key);
  });
  return header;
}

const lineBreaks = (text: string): number =>
  /[\r\n]/.test(text) ? (text.match(/\r\n|\r|\n/g)?.length ?? 0) : 0;
const crlfs = (text: string): number => (text.includes('\r\n') ? (text.match(/\r\n/g)?.length ?? 0) : 0);
const total = (values: readonly string[], count: (text: string) => number): number =>
  values.reduce((n, v) => n + count(v), 0);

/** What csv-parse tells of a record it skipped (`skip_records_with_error`). */
type SkippedRecord = CsvError & {
  readonly lines: number;
  readonly records: number;
  readonly header: boolean;
  readonly raw?: string;
  readonly record?: string[];
};

/** Why csv-parse could not read a record, worded to follow "it". */
function csvProblem(error: SkippedRecord, columns: number): string {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const n = error.record?.length ?? 0;
      return `has ${n} field${n === 1 ? '' : 's'} where the header has ${columns}`;
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'has text right after the closing quote of a field (a quote inside a quoted field is written twice: "")';
    case 'INVALID_OPENING_QUOTE':
      return 'has a quote inside a field that does not start with one (quote the whole field, and write a quote inside it twice: "")';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'opens a quoted field that is never closed';
    default:
      return `is not valid CSV (${error.code})`;
  }
}

/**
 * CSV with a header row, read by csv-parse as a stream. A record csv-parse cannot read (a quote
 * out of place, the wrong number of fields) becomes a row with `error`, in file order, and the
 * rest of the file is still read; a problem with the header row stops the import.
 *
 * Line numbers are where each row starts. They come from csv-parse's `info.lines`, which is the
 * line where a record ends and counts a CRLF inside a quoted field as two lines; both are
 * corrected from the record's own line breaks.
 */
async function* csvRows(input: Readable, position: Position): AsyncGenerator<SourceRow> {
  let header: string[] | undefined;
  /** Lines csv-parse has counted twice so far (CRLF inside quoted fields). */
  let drift = 0;
  const skipped: SkippedRecord[] = [];
  const parser = parse({
    columns: (names: string[]) => {
      drift += total(names, crlfs);
      return (header = checkHeader(names));
    },
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    // CRLF, LF and CR each end a record, even mixed in one file (left to itself, csv-parse keeps
    // to the first kind it meets and reads the rest of a mixed file as one long record).
    record_delimiter: ['\r\n', '\n', '\r'],
    info: true,
    // The raw text of a skipped record tells which lines it spans.
    raw: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error === undefined) return undefined;
      const skip = error as SkippedRecord;
      if (header === undefined || skip.header)
        throw new ImportFileError(`The header row is malformed: it ${csvProblem(skip, 0)}.`);
      skipped.push(skip);
      return undefined;
    },
  });
  // An error of the file stream ends the parser with it, and so the loop below.
  pipeline(input, parser, () => {});

  /** Rows for the records csv-parse skipped before its record number `before`. */
  function* unreadable(before: number): Generator<SourceRow> {
    while (skipped.length > 0 && (skipped[0] as SkippedRecord).records < before) {
      const first = skipped.shift() as SkippedRecord;
      // A broken record can report several problems as csv-parse reads on through it: its raw
      // text grows with each until the record ends (a wrong field count is always its last).
      let last = first;
      while (
        skipped.length > 0 &&
        last.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS' &&
        (skipped[0] as SkippedRecord).records < before &&
        (skipped[0]?.raw ?? '').startsWith(last.raw ?? '')
      )
        last = skipped.shift() as SkippedRecord;
      // The raw text runs from the end of the previous record (blank lines included) to where
      // the problem was found; `lines` does not count a line break at its very end yet.
      const firstRaw = (first.raw ?? '').replace(/[\r\n]$/, '');
      const lastRaw = (last.raw ?? '').replace(/[\r\n]$/, '');
      const line = first.lines - drift - crlfs(firstRaw) - lineBreaks(firstRaw.replace(/^[\r\n]+/, ''));
      const end = last.lines - drift - crlfs(lastRaw) - lineBreaks(/[\r\n]+$/.exec(lastRaw)?.[0] ?? '');
      drift += crlfs(lastRaw);
      let error = csvProblem(first, header?.length ?? 0);
      if (first.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS' && end > line)
        error += `; lines ${line} to ${end} were read as this one row, so none of them was imported`;
      const fields: Record<string, string> = {};
      if (first === last && first.record !== undefined)
        header?.forEach((name, i) => {
          const value = first.record?.[i];
          if (value !== undefined) fields[name] = value;
        });
      yield { line, fields, error };
    }
  }

  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: Info;
  }>) {
    yield* unreadable(info.records);
    const values = Object.values(record);
    drift += total(values, crlfs);
    position.bytes = info.bytes;
    yield { line: info.lines - drift - total(values, lineBreaks), fields: record };
  }
  yield* unreadable(Infinity);
}

async function* jsonRows(stream: ReadStream, position: Position): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      position.bytes += Buffer.byteLength(text) + 1; // the line break: CRLF counts one byte short
      const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
      if (trimmed === '') continue;
      if (jsonTextTooDeep(trimmed)) {
        yield { line, fields: {}, error: `nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays` };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        yield { line, fields: {}, error: 'is not valid JSON' };
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        yield { line, fields: {}, error: 'is not a JSON object' };
      else yield { line, fields: value as Record<string, unknown> };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Opens `file` and streams its rows: CSV with a header row, or one JSON object per line. */
export function readRows(file: string, format: ImportFormat): RowReader {
  const stream = format === 'csv' ? createReadStream(file) : createReadStream(file, { encoding: 'utf8' });
  const position: Position = { bytes: 0 };
  return {
    get bytesRead() {
      return position.bytes;
    },
    [Symbol.asyncIterator]() {
      return format === 'csv' ? csvRows(stream, position) : jsonRows(stream, position);
    },
  };
}

// --- Mapping rows to capture inputs ---------------------------------------------------------

/** What rows leave out: the command's defaults. */
export interface ImportDefaults {
  readonly declarationId: string;
  readonly source?: string;
  readonly purposes?: readonly string[];
  readonly categories?: readonly string[];
  /** What the rows record (`trade_show_lead`, `survey_answer`); `import` if not given. */
  readonly kind?: string;
}

/** Column names compared without case, spaces or dashes: `Collected At` is `collected_at`. */
function columnKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const identifierColumns: ReadonlySet<string> = new Set(['email', 'phone', 'account', 'customer']);

/** Columns that would carry consent: `consent`, `consent_*`, `*_consent`. */
function isConsentColumn(key: string): boolean {
  return key === 'consent' || key.startsWith('consent_') || key.endsWith('_consent');
}

const NO_CONSENT =
  'an import cannot give consent: consent is recorded only when the person gives it (a form, the preference centre)';

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(';');
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

/** A full capture input (JSON lines only) rather than a flat row of columns. */
function isFullInput(fields: Readonly<Record<string, unknown>>): boolean {
  return 'subject' in fields || 'declarationId' in fields;
}

/**
 * Maps one row to a capture input with the defaults filled in, or throws naming every problem
 * (AppError for the row's columns, ZodError for the shape of the result).
 */
export function toCaptureInput(
  fields: Readonly<Record<string, unknown>>,
  defaults: ImportDefaults,
): CaptureInput {
  const problems: ErrorDetail[] = [];
  let raw: Record<string, unknown>;
  if (isFullInput(fields)) {
    raw = { ...fields };
    if (!isEmpty(raw['consent'])) problems.push({ path: 'consent', message: NO_CONSENT });
    if (raw['declarationId'] === undefined) raw['declarationId'] = defaults.declarationId;
    else if (raw['declarationId'] !== defaults.declarationId)
      problems.push({
        path: 'declarationId',
        message: `this import is for declaration "${defaults.declarationId}"`,
      });
    raw['source'] ??= defaults.source;
    raw['purposes'] ??= defaults.purposes;
    raw['categories'] ??= defaults.categories;
    raw['kind'] ??= defaults.kind ?? 'import';
  } else {
    const identifiers: { kind: string; value: string }[] = [];
    const data: Record<string, unknown> = {};
    let jurisdiction: string | undefined;
    raw = {
      declarationId: defaults.declarationId,
      source: defaults.source,
      purposes: defaults.purposes,
      categories: defaults.categories,
      kind: defaults.kind ?? 'import',
    };
    for (const [name, value] of Object.entries(fields)) {
      const key = columnKey(name);
      if (isEmpty(value)) continue;
      const text = typeof value === 'string' ? value.trim() : String(value);
      if (identifierColumns.has(key)) identifiers.push({ kind: key, value: text });
      else if (key === 'jurisdiction') jurisdiction = text.toUpperCase();
      else if (key === 'purposes' || key === 'categories') raw[key] = listOf(value);
      else if (key === 'source' || key === 'kind') raw[key] = text;
      else if (key === 'collected_at')
        // A bare date is taken as midnight UTC of that day.
        raw['collectedAt'] = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
      else if (key === 'age') {
        if (typeof value === 'number' && Number.isInteger(value)) raw['statedAge'] = value;
        else if (/^\d{1,3}$/.test(text)) raw['statedAge'] = Number(text);
        else problems.push({ path: name, message: 'must be a whole number of years' });
      } else if (key === 'birth_date') raw['birthDate'] = text;
      else if (isConsentColumn(key)) problems.push({ path: name, message: NO_CONSENT });
      else if (name.trim() === '__proto__')
        problems.push({ path: name, message: 'is not a usable column name' });
      else data[name.trim()] = value;
    }
    raw['subject'] = { identifiers, ...(jurisdiction !== undefined ? { jurisdiction } : {}) };
    raw['data'] = data;
  }
  if (problems.length > 0)
    throw new AppError(
      'validation_failed',
      `The row cannot be imported: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  return captureInput.parse(raw);
}

// --- Masked identifiers for the report ------------------------------------------------------

/** Enough of an identifier to find the row, not enough to read it: `a***@example.com`. */
export function maskIdentifier(kind: string, value: string): string {
  const v = value.trim();
  const head = Array.from(v)[0] ?? '';
  if (kind === 'email') {
    const at = v.lastIndexOf('@');
    if (at > 0) return `${head}***${v.slice(at)}`;
  }
  if (kind === 'phone') {
    const digits = v.replace(/[^\d+]/g, '');
    return digits.length > 6 ? `${digits.slice(0, 3)}***${digits.slice(-2)}` : '***';
  }
  return v.length > 1 ? `${head}***` : '***';
}

function maskedIdentifierOf(fields: Readonly<Record<string, unknown>>): string {
  if (isFullInput(fields)) {
    const subject = fields['subject'] as { identifiers?: unknown } | undefined;
    const first = Array.isArray(subject?.identifiers) ? (subject.identifiers[0] as unknown) : undefined;
    if (typeof first === 'object' && first !== null) {
      const { kind, value } = first as { kind?: unknown; value?: unknown };
      if (typeof kind === 'string' && typeof value === 'string') return maskIdentifier(kind, value);
    }
    return '';
  }
  const byKey = new Map(Object.entries(fields).map(([name, value]) => [columnKey(name), value]));
  for (const kind of identifierColumns) {
    const value = byKey.get(kind);
    if (!isEmpty(value)) return maskIdentifier(kind, String(value));
  }
  return '';
}

// --- The import -----------------------------------------------------------------------------

export interface RejectedRow {
  readonly line: number;
  /** The row's first identifier, masked (`a***@example.com`), or '' if it has none. */
  readonly identifier: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
}

export interface ImportProgress {
  readonly rows: number;
  readonly imported: number;
  readonly rejected: number;
}

export interface ImportSummary extends ImportProgress {
  readonly dryRun: boolean;
  /** Fields the declaration's minimisation rules reduced before storing, with how many rows each. */
  readonly minimised: readonly { field: string; rule: string; rows: number }[];
}

export interface ImportOptions extends ImportDefaults {
  /** Capture every row in a transaction that is rolled back: every check runs, nothing is kept. */
  readonly dryRun?: boolean;
  /**
   * The operator vouches that the file's identifiers belong together (a customer register, not
   * typed-in leads): ones joining a known person become channels at once, without a claim.
   */
  readonly verifiedIdentifiers?: boolean;
  /** What is imported, for the audit ledger (such as the file name). */
  readonly label?: string;
  /** Called after each row. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Called for each rejected row, in file order (such as to write the report). */
  readonly onReject?: (row: RejectedRow) => void | Promise<void>;
}

/** The import stopped on an error that is not the row's fault (such as the database going away). */
export class ImportInterrupted extends Error {
  override readonly name = 'ImportInterrupted';
  constructor(
    readonly line: number,
    readonly progress: ImportProgress,
    override readonly cause: unknown,
  ) {
    super(
      `The import stopped at line ${line} after importing ${progress.imported} row${progress.imported === 1 ? '' : 's'}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

function pathOf(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`))
    .join('');
}

/** Why a row was refused, or undefined if the error is not the row's fault. */
function rejectionOf(error: unknown): Omit<RejectedRow, 'line' | 'identifier'> | undefined {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({
      path: pathOf(issue.path) || 'row',
      message:
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
          : issue.message,
    }));
    return {
      code: 'validation_failed',
      message: `Invalid input: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`,
      details,
    };
  }
  return undefined;
}

/**
 * Captures every row on its own: a refused row is passed to `onReject` and the import goes on.
 * With `dryRun` nothing is written. Records one audit entry for the import as a whole (each
 * captured record has its own entry as well).
 */
export async function importRecords(
  ctx: AppContext,
  actor: Actor,
  rows: AsyncIterable<SourceRow>,
  options: ImportOptions,
): Promise<ImportSummary> {
  requirePermission(actor, 'subjects:write');
  if (ctx.policies.get(options.declarationId) === undefined) throw notInForce(options.declarationId);
  const dryRun = options.dryRun ?? false;
  const progress = { rows: 0, imported: 0, rejected: 0 };
  const minimised = new Map<string, number>();
  for await (const row of rows) {
    progress.rows += 1;
    try {
      if (row.error !== undefined)
        throw new AppError('validation_failed', `The row could not be read: it ${row.error}.`, [
          { path: 'row', message: row.error },
        ]);
      const captured = await captureRecord(ctx, actor, toCaptureInput(row.fields, options), {
        dryRun,
        verifiedIdentifiers: options.verifiedIdentifiers ?? false,
      });
      for (const m of captured.minimised) {
        const key = `${m.field}\n${m.rule}`;
        minimised.set(key, (minimised.get(key) ?? 0) + 1);
      }
      progress.imported += 1;
    } catch (error) {
      const rejection = rejectionOf(error);
      if (rejection === undefined) {
        progress.rows -= 1;
        throw new ImportInterrupted(row.line, { ...progress }, error);
      }
      progress.rejected += 1;
      await options.onReject?.({ line: row.line, identifier: maskedIdentifierOf(row.fields), ...rejection });
    }
    options.onProgress?.({ ...progress });
  }
  if (!dryRun) {
    await transaction(ctx.store, (tx) =>
      appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: actorRef(actor),
        action: 'records.imported',
        target: `declaration:${options.declarationId}`,
        details: {
          ...(options.label !== undefined ? { file: options.label } : {}),
          rows: progress.rows,
          imported: progress.imported,
          rejected: progress.rejected,
        },
      }),
    );
  }
  return {
    ...progress,
    dryRun,
    minimised: [...minimised].map(([key, rows]) => {
      const [field = '', rule = ''] = key.split('\n');
      return { field, rule, rows };
    }),
  };
}

// --- The report of rejected rows ------------------------------------------------------------

/** A spreadsheet must not run a cell as a formula: such cells get a leading apostrophe. */
function cell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface RejectReport {
  readonly path: string;
  write(row: RejectedRow): Promise<void>;
  close(): Promise<void>;
}

/**
 * Writes rejected rows as CSV: line, masked identifier, error code, each problem as
 * `path: message` (separated by ` | `), and the full message. Values of the row itself are never
 * written. Throws if the file cannot be created.
 */
export async function openRejectReport(path: string): Promise<RejectReport> {
  const stream: WriteStream = createWriteStream(path);
  await once(stream, 'open');
  const put = async (values: (string | number)[]) => {
    if (!stream.write(stringify([values]))) await once(stream, 'drain');
  };
  await put(['line', 'identifier', 'code', 'problems', 'message']);
  return {
    path,
    write: (row) =>
      put([
        row.line,
        cell(row.identifier),
        row.code,
        cell(row.details.map((d) => `${d.path}: ${d.message}`).join(' | ')),
        cell(row.message),
      ]),
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
      }),
  };
}
