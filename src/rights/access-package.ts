/**
 * The access package (C9.1, C9.9): a ZIP with everything Steward holds about one person, written
 * as a stream so memory stays bounded however much is held. It contains
 *
 * - `index.html`: a readable page (no scripts, everything escaped) with the Art. 15 information
 *   and the first rows of every section, linking to the full files;
 * - `information.json`: the Art. 15(1) information (`explainForSubject`);
 * - `<section>.json` and `<section>.csv` for each section of data (`subjectSections`), records one
 *   file pair per kind under `records/`;
 * - `schema.json`: what each file and each field holds.
 *
 * Each section is read from the store (and its records unsealed) once: while its JSON file is
 * written, its CSV rows are made and kept aside (`CsvRows`), then written as the CSV file.
 *
 * With a passphrase every entry is encrypted with AES-256 (WinZip AE-2, which 7-Zip, macOS and
 * Windows 11 open). Use cases only: the caller checks permissions and verification.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipWriter } from '@zip.js/zip.js';
import type { AppContext } from '../context.js';
import { messages } from '../i18n/messages.js';
import { connectedData } from '../execution/connected-data.js';
import { accessPackageIndex } from './access-package-page.js';
import type { AccessInformation } from './art15.js';
import { explainForSubject, withSystems } from './art15.js';
import type { FieldDescription, Row, SubjectDataOptions, SubjectSection } from './subject-data.js';
import { subjectSections } from './subject-data.js';
import { AppError } from '../errors.js';
import type { RequestRow } from './model.js';
import { loadRequest } from './model.js';

export interface PackageInput {
  /**
   * Steward's subject; null for a person only connected systems hold, whose package is the
   * request's connected data (`requestId` is then required).
   */
  readonly subjectId: string | null;
  /** Language of the texts: `en`, `sv`; others get English wording. */
  readonly lang: string;
  /** Encrypts every entry with AES-256 when given. */
  readonly passphrase?: string;
  /** The partition (see `SubjectDataOptions.tenant`); the controller's own data by default. */
  readonly tenant?: string;
  /**
   * The request the package answers: the data its connected systems hold is read from them now,
   * page by page, into `systems/<system>/<collection>.json` and `.csv` (nothing is staged).
   */
  readonly requestId?: string;
}

export interface PackageResult {
  readonly files: number;
  /** Records (captured data) in the package. */
  readonly records: number;
  /** Bytes of the ZIP written to `out`. */
  readonly bytes: number;
}

/** Where a package goes; it is ended (closed) when the package is complete. */
export type PackageOutput = Writable | WritableStream<Uint8Array>;

/** Rows of each section shown in `index.html`; the files hold them all. */
const HTML_ROWS = 200;
/** Keys of record data that get a CSV column of their own; any others share one JSON column. */
const MAX_EXPANDED_KEYS = 200;
/**
 * Text is handed to the compressor in pieces of about this many characters. Strings stay well
 * below V8's large-object size (128 KiB), which only a full garbage collection frees.
 */
const CHUNK_CHARS = 16 * 1024;
/** Bytes of an entry made ahead of the compressor: zip.js hands it 256 KiB at a time. */
const READ_AHEAD_BYTES = 512 * 1024;
/** CSV rows kept aside are grouped in blocks of about this many characters. */
const BLOCK_CHARS = 16 * 1024;
/** A section's CSV rows are kept in memory up to this many characters, then in a temporary file. */
const MEMORY_CHARS = 256 * 1024;
/** The temporary file is written and read in pieces of this many bytes. */
const FILE_CHUNK_BYTES = 256 * 1024;

const closedEarly = () => new Error('The output closed before the package was complete.');

/**
 * Waits until `out` takes more. Fails once it is closed (a download whose connection went), so
 * the writer stops instead of waiting for a 'drain' that never comes.
 */
async function roomIn(out: Writable): Promise<void> {
  const stop = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: stop.signal }),
      once(out, 'close', { signal: stop.signal }).then(() => {
        throw closedEarly();
      }),
    ]);
  } finally {
    stop.abort();
  }
}

function counting(out: PackageOutput, counter: { bytes: number }): WritableStream<Uint8Array> {
  if (out instanceof WritableStream) {
    const writer = out.getWriter();
    return new WritableStream<Uint8Array>({
      async write(chunk) {
        counter.bytes += chunk.byteLength;
        await writer.write(chunk);
      },
      close: () => writer.close(),
      abort: (reason: unknown) => writer.abort(reason),
    });
  }
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      counter.bytes += chunk.byteLength;
      if (out.destroyed) throw closedEarly();
      if (!out.write(chunk)) await roomIn(out);
    },
    async close() {
      out.end();
      await finished(out, { readable: false });
    },
    abort: (reason: unknown) => {
      out.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    },
  });
}

/**
 * A byte stream of the chunks. It reads up to `READ_AHEAD_BYTES` ahead of its reader: zip.js
 * waits for each piece it hands the compressor (which runs on libuv's threads), and meanwhile
 * the next piece is made here rather than after.
 */
function byteStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await iterator.return?.(undefined);
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: READ_AHEAD_BYTES }),
  );
}

/** The text pieces as UTF-8, joined into chunks of about `CHUNK_CHARS`. */
export async function* encodedChunks(
  pieces: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let buffered: string[] = [];
  let length = 0;
  for await (const piece of pieces) {
    buffered.push(piece);
    length += piece.length;
    if (length >= CHUNK_CHARS) {
      yield encoder.encode(buffered.join(''));
      buffered = [];
      length = 0;
    }
  }
  if (length > 0) yield encoder.encode(buffered.join(''));
}

/** A ZIP written entry by entry, each entry streamed, counting what reaches the output. */
export class PackageZip {
  private readonly counter = { bytes: 0 };
  private readonly zip: ZipWriter<unknown>;
  files = 0;

  constructor(out: PackageOutput, options: { passphrase?: string; date: Date }) {
    this.zip = new ZipWriter(counting(out, this.counter), {
      useWebWorkers: false,
      lastModDate: options.date,
      ...(options.passphrase === undefined
        ? {}
        : { password: options.passphrase, encryptionStrength: 3 as const }),
    });
  }

  async add(path: string, pieces: AsyncIterable<string> | Iterable<string>): Promise<void> {
    await this.addBytes(path, encodedChunks(pieces));
  }

  async addBytes(path: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    await this.zip.add(path, byteStream(chunks));
    this.files += 1;
  }

  async close(): Promise<number> {
    await this.zip.close();
    return this.counter.bytes;
  }
}

/** The columns of a section's CSV: one per field, record data one per key seen. */
export interface CsvColumn {
  readonly name: string;
  readonly description: string;
  read(row: Row): unknown;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Fields that are quoted (RFC 4180): those holding a comma, a quote or a line break. A lone CR or
 * LF is quoted too, since spreadsheets and Python's csv module end a row at either.
 */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Text a spreadsheet would run as a formula when the file is opened (`=HYPERLINK(...)` from a form,
 * say). Such a field starts with an apostrophe, as OWASP advises; the JSON file has the exact value.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: quoted (and its quotes doubled) when `NEEDS_QUOTES` says so. */
function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV columns of a section, given the keys seen in its expandable fields. */
export function csvColumns(
  section: SubjectSection,
  keys: ReadonlyMap<string, ReadonlySet<string>>,
): CsvColumn[] {
  return section.fields.flatMap((field): CsvColumn[] => {
    const seen = keys.get(field.name);
    if (!field.expand || seen === undefined) {
      return [{ name: field.name, description: field.description, read: (row) => row[field.name] }];
    }
    const expanded = [...seen].slice(0, MAX_EXPANDED_KEYS);
    const own = new Set(expanded);
    const columns: CsvColumn[] = expanded.map((key) => ({
      name: `${field.name}.${key}`,
      description: `"${key}" of ${field.name}`,
      read: (row) => (row[field.name] as Record<string, unknown> | null | undefined)?.[key],
    }));
    if (seen.size > expanded.length) {
      columns.push({
        name: `${field.name}.other`,
        description: `Any further keys of ${field.name}, as JSON`,
        read: (row) => {
          const value = row[field.name] as Record<string, unknown> | null | undefined;
          if (value === null || value === undefined) return undefined;
          const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !own.has(k)));
          return Object.keys(rest).length === 0 ? undefined : rest;
        },
      });
    }
    return columns;
  });
}

/**
 * CSV rows of a block: `columns` is how many columns they were written with, `ends` where each
 * row's text ends (before its CRLF), in UTF-16 code units from the start of `text`.
 */
interface Block {
  readonly columns: number;
  readonly ends: Uint32Array;
  readonly text: string;
}

/** Where blocks of CSV rows wait for the CSV file: memory, or a temporary encrypted file. */
interface BlockStore {
  write(block: Block): Promise<void>;
  /** Each block as its column count, its row ends, and its text as UTF-8. */
  read(): AsyncGenerator<{ columns: number; ends: Uint32Array; bytes: Uint8Array }>;
  remove(): Promise<void>;
}

class MemoryBlocks implements BlockStore {
  readonly blocks: Block[] = [];
  chars = 0;

  write(block: Block): Promise<void> {
    this.blocks.push(block);
    this.chars += block.text.length;
    return Promise.resolve();
  }

  async *read() {
    const encoder = new TextEncoder();
    for (const { columns, ends, text } of this.blocks) yield { columns, ends, bytes: encoder.encode(text) };
    await Promise.resolve();
  }

  remove(): Promise<void> {
    this.blocks.length = 0;
    return Promise.resolve();
  }
}

/** Reads exactly as many bytes as asked from a stream of chunks. */
class ByteReader {
  /** Chunks read but not yet handed out, the first from `offset`. */
  private readonly chunks: Buffer[] = [];
  private offset = 0;
  private buffered = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /**
   * The next `n` bytes, or undefined at the end of the stream (before any of them). A view of
   * the chunk read when they lie within one; copied only when they span chunks.
   */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.buffered < n) {
      const next = await this.source.next();
      if (next.done) {
        if (this.buffered === 0) return undefined;
        throw new Error('The temporary CSV file ended in the middle of a block');
      }
      this.chunks.push(next.value);
      this.buffered += next.value.length;
    }
    const first = this.chunks[0]!;
    if (first.length - this.offset >= n) {
      const bytes = first.subarray(this.offset, this.offset + n);
      this.take(n);
      return bytes;
    }
    const bytes = Buffer.allocUnsafe(n);
    for (let copied = 0; copied < n;) {
      const chunk = this.chunks[0]!;
      const length = Math.min(n - copied, chunk.length - this.offset);
      chunk.copy(bytes, copied, this.offset, this.offset + length);
      copied += length;
      this.take(length);
    }
    return bytes;
  }

  private take(n: number): void {
    this.offset += n;
    this.buffered -= n;
    if (this.offset === this.chunks[0]!.length) {
      this.chunks.shift();
      this.offset = 0;
    }
  }
}

/**
 * Blocks in a temporary file encrypted under a one-time key (AES-256-CTR; the key never leaves
 * memory), removed when the section is done. Each block is a header (column count, row count,
 * text bytes), its row ends, and its text.
 */
class FileBlocks implements BlockStore {
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(16);
  private readonly cipher = createCipheriv('aes-256-ctr', this.key, this.iv);
  private readonly out;
  /** Blocks not yet written: the file is written (and read) `FILE_CHUNK_BYTES` at a time. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {
    this.out = createWriteStream(file, { mode: 0o600 });
  }

  static async open(): Promise<FileBlocks> {
    const dir = await mkdtemp(join(tmpdir(), 'steward-package-'));
    return new FileBlocks(dir, join(dir, 'csv'));
  }

  async write({ columns, ends, text }: Block): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    const header = Buffer.alloc(12);
    header.writeUInt32LE(columns, 0);
    header.writeUInt32LE(ends.length, 4);
    header.writeUInt32LE(bytes.length, 8);
    this.pending.push(header, Buffer.from(ends.buffer, ends.byteOffset, ends.byteLength), bytes);
    this.pendingBytes += header.length + ends.byteLength + bytes.length;
    if (this.pendingBytes >= FILE_CHUNK_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const encrypted = this.cipher.update(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.out.write(encrypted)) await once(this.out, 'drain');
  }

  async *read() {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(this.cipher.final(), () => resolve());
    });
    const input = createReadStream(this.file, { highWaterMark: FILE_CHUNK_BYTES }).pipe(
      createDecipheriv('aes-256-ctr', this.key, this.iv),
    );
    const reader = new ByteReader(input[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
    for (;;) {
      const header = await reader.read(12);
      if (header === undefined) return;
      const ends = (await reader.read(header.readUInt32LE(4) * 4)) ?? Buffer.alloc(0);
      const bytes = (await reader.read(header.readUInt32LE(8))) ?? Buffer.alloc(0);
      yield {
        columns: header.readUInt32LE(0),
        // Copied: a Uint32Array needs a buffer of its own, aligned.
        ends: new Uint32Array(ends.buffer.slice(ends.byteOffset, ends.byteOffset + ends.length)),
        bytes,
      };
    }
  }

  async remove(): Promise<void> {
    this.out.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * A section's CSV rows, made while its JSON file is written and kept aside (in memory while
 * small, then in a temporary encrypted file) until the CSV file is written, so the rows are read
 * and unsealed once. The columns of record data are the keys seen so far: rows written before a
 * key was first seen lack its column, and get an empty field for it at the end when the CSV is
 * written (the expanded field is the last of its section, so its columns are the last ones).
 */
class CsvRows {
  /** Keys seen in each expanded field, in the order first seen. */
  readonly keys = new Map<string, Set<string>>();
  private readonly expanded: readonly FieldDescription[];
  private store: BlockStore = new MemoryBlocks();
  /** The CSV text of object values (lists of purposes, categories) shared by many rows. */
  private readonly objectCells = new WeakMap<object, string>();
  private pieces: string[] = [];
  private ends: number[] = [];
  private chars = 0;
  private columns = 0;

  constructor(private readonly section: SubjectSection) {
    this.expanded = section.fields.filter((f) => f.expand);
    const last = section.fields[section.fields.length - 1];
    if (this.expanded.length > 1 || (this.expanded.length === 1 && this.expanded[0] !== last))
      throw new Error(`Section ${section.id}: only its last field may be expanded into CSV columns`);
    for (const f of this.expanded) this.keys.set(f.name, new Set());
  }

  private field(value: unknown): string {
    if (typeof value === 'string') return csvField(FORMULA_START.test(value) ? `'${value}` : value);
    if (value === null || typeof value !== 'object') return csvField(cell(value));
    let text = this.objectCells.get(value);
    if (text === undefined) {
      text = csvField(cell(value));
      this.objectCells.set(value, text);
    }
    return text;
  }

  /** Notes the page's keys, then adds its rows with the columns known so far. */
  async add(page: readonly Row[]): Promise<void> {
    for (const row of page) {
      for (const f of this.expanded) {
        const value = row[f.name];
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          const set = this.keys.get(f.name)!;
          for (const key of Object.keys(value)) set.add(key);
        }
      }
    }
    const columns = csvColumns(this.section, this.keys);
    if (columns.length !== this.columns) await this.flush();
    this.columns = columns.length;
    for (const row of page) {
      const line = columns.map((c) => this.field(c.read(row))).join(',');
      this.pieces.push(line, '\r\n');
      this.ends.push(this.chars + line.length);
      this.chars += line.length + 2;
      if (this.chars >= BLOCK_CHARS) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    if (this.ends.length === 0) return;
    const block: Block = {
      columns: this.columns,
      ends: Uint32Array.from(this.ends),
      text: this.pieces.join(''),
    };
    this.pieces = [];
    this.ends = [];
    this.chars = 0;
    if (this.store instanceof MemoryBlocks && this.store.chars + block.text.length > MEMORY_CHARS) {
      const file = await FileBlocks.open();
      for (const kept of this.store.blocks) await file.write(kept);
      this.store = file;
    }
    await this.store.write(block);
  }

  /** The CSV file: header row, then every row, with empty fields for columns added after it. */
  async *file(columns: readonly CsvColumn[]): AsyncGenerator<Uint8Array> {
    await this.flush();
    const encoder = new TextEncoder();
    yield encoder.encode(`${columns.map((c) => csvField(c.name)).join(',')}\r\n`);
    const decoder = new TextDecoder();
    for await (const block of this.store.read()) {
      const missing = columns.length - block.columns;
      if (missing === 0) {
        yield block.bytes;
        continue;
      }
      // A row written with no field at all gets `missing` empty ones: one comma fewer.
      const padding = ','.repeat(block.columns === 0 ? missing - 1 : missing);
      const text = decoder.decode(block.bytes);
      const padded: string[] = [];
      let start = 0;
      for (const end of block.ends) {
        padded.push(text.slice(start, end), padding, '\r\n');
        start = end + 2;
      }
      yield encoder.encode(padded.join(''));
    }
  }

  remove(): Promise<void> {
    return this.store.remove();
  }
}

/**
 * The JSON file of a section, streamed page by page; with `csv`, each page's rows are also added
 * to it.
 */
export async function* sectionJson(section: SubjectSection, csv?: CsvRows): AsyncGenerator<string> {
  yield `{\n"section": ${JSON.stringify(section.id)},\n"description": ${JSON.stringify(section.description)},\n`;
  if (section.note !== undefined) yield `"note": ${JSON.stringify(section.note)},\n`;
  yield `"count": ${section.count},\n"rows": [`;
  let separator = '\n';
  for await (const page of section.pages()) {
    let rows: string[] = [];
    let chars = 0;
    for (const row of page) {
      const json = JSON.stringify(row);
      rows.push(separator, json);
      separator = ',\n';
      chars += json.length + 2;
      if (chars >= CHUNK_CHARS) {
        yield rows.join('');
        rows = [];
        chars = 0;
      }
    }
    if (rows.length > 0) yield rows.join('');
    await csv?.add(page);
  }
  yield '\n]\n}\n';
}

export interface FileDescription {
  readonly path: string;
  readonly format: 'json' | 'csv' | 'html';
  readonly description: string;
  readonly section?: string;
  readonly count?: number;
  readonly fields?: readonly (Pick<FieldDescription, 'name' | 'type' | 'description'> & {
    nullable?: boolean;
    category?: string;
  })[];
  readonly columns?: readonly { name: string; description: string }[];
}

/**
 * Writes the JSON and CSV files of each section into the zip; returns their descriptions for
 * `schema.json` and the number of records written. Each section is read from the store once.
 */
export async function writeSections(
  zip: PackageZip,
  sections: AsyncIterable<SubjectSection>,
  onSection?: (section: SubjectSection) => void,
): Promise<{ files: FileDescription[]; records: number }> {
  const files: FileDescription[] = [];
  let records = 0;
  for await (const section of sections) {
    onSection?.(section);
    if (section.section === 'records') records += section.count;
    const csv = section.fields.length > 0 ? new CsvRows(section) : undefined;
    try {
      await zip.add(`${section.id}.json`, sectionJson(section, csv));
      files.push(jsonDescription(section));
      if (csv !== undefined) {
        const columns = csvColumns(section, csv.keys);
        await zip.addBytes(`${section.id}.csv`, csv.file(columns));
        files.push({
          path: `${section.id}.csv`,
          format: 'csv',
          section: section.id,
          count: section.count,
          description: `${section.description} CSV (RFC 4180, UTF-8, CRLF) with a header row; lists and objects are written as JSON, and text that starts with =, +, -, @, a tab or a carriage return starts with an apostrophe so that spreadsheets do not run it as a formula (the JSON file has the exact value).`,
          columns: columns.map((c) => ({ name: c.name, description: c.description })),
        });
      }
    } finally {
      await csv?.remove();
    }
  }
  return { files, records };
}

function jsonDescription(section: SubjectSection): FileDescription {
  return {
    path: `${section.id}.json`,
    format: 'json',
    section: section.id,
    count: section.count,
    description: `${section.description} An object with "section", "description", "count" and "rows", one object per row with the fields below.${section.note === undefined ? '' : ` ${section.note}`}`,
    fields: section.fields.map((f) => ({
      name: f.name,
      type: f.type,
      description: f.description,
      ...(f.nullable ? { nullable: true } : {}),
      ...(f.category === undefined ? {} : { category: f.category }),
    })),
  };
}

/** The readable page's words, from the catalogs' `package.*` messages in the person's language. */
export interface Labels {
  readonly title: string;
  intro(controller: string, at: string): string;
  readonly summary: string;
  readonly purposes: string;
  readonly basis: string;
  readonly interest: string;
  readonly obligation: string;
  readonly consent: string;
  consentGiven(since: string): string;
  consentWithdrawn(since: string): string;
  readonly records: string;
  readonly categories: string;
  readonly recipients: string;
  readonly none: string;
  readonly transfers: string;
  readonly retention: string;
  readonly sources: string;
  readonly indirect: string;
  readonly automated: string;
  readonly rights: string;
  readonly appliesTo: string;
  readonly complaint: string;
  readonly data: string;
  readonly file: string;
  shown(shown: number, total: number): string;
  readonly empty: string;
  readonly notes: string;
  readonly systems: string;
  readonly authorityWeb: string;
  readonly authorityEmail: string;
  readonly authorityPhone: string;
}

export function labelsFor(language: string): Labels {
  const m = messages(language);
  const word = (key: Parameters<typeof m.format>[0]) => m.format(key);
  return {
    title: word('package.title'),
    intro: (controller, at) => m.format('package.intro', { controller, at }),
    summary: word('package.summary'),
    purposes: word('package.purposes'),
    basis: word('package.basis'),
    interest: word('package.interest'),
    obligation: word('package.obligation'),
    consent: word('package.consent'),
    consentGiven: (since) => m.format('package.consentGiven', { since: since.slice(0, 10) }),
    consentWithdrawn: (since) => m.format('package.consentWithdrawn', { since: since.slice(0, 10) }),
    records: word('package.records'),
    categories: word('package.categories'),
    recipients: word('package.recipients'),
    none: word('package.none'),
    transfers: word('package.transfers'),
    retention: word('package.retention'),
    sources: word('package.sources'),
    indirect: word('package.indirect'),
    automated: word('package.automated'),
    rights: word('package.rights'),
    appliesTo: word('package.appliesTo'),
    complaint: word('package.complaint'),
    data: word('package.data'),
    file: word('package.file'),
    shown: (shown, total) => m.format('package.shown', { shown: String(shown), total: String(total) }),
    empty: word('package.empty'),
    notes: word('package.notes'),
    systems: word('package.systems'),
    authorityWeb: word('package.authority.web'),
    authorityEmail: word('package.authority.email'),
    authorityPhone: word('package.authority.phone'),
  };
}

/**
 * The request a package answers, when the person has no subject (it says whose rules apply).
 *
 * @throws AppError `validation_failed` for a package of nobody: no subject and no request.
 */
export async function requestOf(
  ctx: AppContext,
  input: Pick<PackageInput, 'subjectId' | 'requestId'>,
): Promise<RequestRow | undefined> {
  if (input.subjectId !== null) return undefined;
  if (input.requestId === undefined)
    throw new AppError('validation_failed', 'A package needs a subject or the request it answers.');
  return loadRequest(ctx.store.db, input.requestId);
}

/** Steward's sections of a person's data: none for a person only connected systems hold. */
export async function* ownSections(
  ctx: AppContext,
  subjectId: string | null,
  options: SubjectDataOptions,
): AsyncGenerator<SubjectSection> {
  if (subjectId !== null) yield* subjectSections(ctx, subjectId, options);
}

/** `schema.json`: what each file of the package holds. */
export function schemaDocument(kind: 'access' | 'portability', files: readonly FileDescription[]): string {
  return `${JSON.stringify(
    {
      format: `steward-${kind}-package`,
      version: 1,
      encoding: 'UTF-8',
      dates: 'ISO 8601 date-times in UTC',
      files,
    },
    null,
    2,
  )}\n`;
}

/**
 * Writes the access package of one person to `out` and ends it. Memory stays bounded: rows are
 * read, unsealed, written and compressed a page at a time.
 *
 * @example
 * await writeAccessPackage(ctx, { subjectId, lang: 'sv', passphrase }, createWriteStream(path));
 * @throws AppError `not_found` when the subject is not in the partition asked for.
 */
export async function writeAccessPackage(
  ctx: AppContext,
  input: PackageInput,
  out: PackageOutput,
): Promise<PackageResult> {
  const options: SubjectDataOptions = {
    language: input.lang,
    ...(input.tenant === undefined ? {} : { tenant: input.tenant }),
  };
  const request = await requestOf(ctx, input);
  // Resolves the subject (and fails) before anything is written.
  const own = await explainForSubject(ctx, input.subjectId, input.lang, {
    ...options,
    jurisdiction: request?.jurisdiction ?? null,
  });
  const connected =
    input.requestId === undefined
      ? undefined
      : await connectedData(ctx, input.requestId, { lang: input.lang });
  const info: AccessInformation = connected === undefined ? own : withSystems(ctx, own, connected.systems);
  const zip = new PackageZip(out, {
    date: ctx.clock.now(),
    ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
  });
  try {
    await zip.add('information.json', [`${JSON.stringify(info, null, 2)}\n`]);
    const sections: SubjectSection[] = [];
    const written = await writeSections(zip, ownSections(ctx, input.subjectId, options), (s) =>
      sections.push(s),
    );
    const fromSystems =
      connected === undefined
        ? { files: [], records: 0 }
        : await writeSections(zip, connected.sections(), (s) => sections.push(s));
    const files: FileDescription[] = [
      {
        path: 'index.html',
        format: 'html',
        description:
          'This package as a page to read: the information below and the first rows of each section.',
      },
      {
        path: 'information.json',
        format: 'json',
        description:
          'The information of Art. 15(1) GDPR about your data: purposes with their legal basis, the categories held, recipients and transfers, retention with the expiry dates of your records, sources, your rights, the supervisory authority and automated decisions.',
      },
      ...written.files,
      ...fromSystems.files,
      { path: 'schema.json', format: 'json', description: 'This description of the files.' },
    ];
    await zip.add('schema.json', [schemaDocument('access', files)]);
    await zip.add(
      'index.html',
      accessPackageIndex({
        info,
        sections,
        lang: input.lang,
        l: labelsFor(input.lang),
        limit: HTML_ROWS,
        text: cell,
      }),
    );
    const files_ = zip.files;
    const bytes = await zip.close();
    return { files: files_, records: written.records, bytes };
  } catch (error) {
    if (out instanceof WritableStream) await out.abort(error).catch(() => undefined);
    else out.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
