/**
 * Scores discovery's classifier on the corpus: every schema is loaded into a temporary SQLite
 * file, introspected, sampled and classified; each column's verdict is compared with its label.
 */
import { join } from 'node:path';
import { SAMPLE_LIMIT, needsSample } from '../../src/discovery/classify.js';
import type { ProposedField } from '../../src/discovery/propose.js';
import { scanSystem } from '../../src/discovery/propose.js';
import { sqliteConnector } from '../../test/support/discovery.js';
import type { CorpusSchema, Label } from './corpus.js';
import { labelsOf, loadIntoSqlite } from './corpus.js';

/** The corpus's classification clock, so dates of birth age the same on every run. */
export const corpusNow = new Date('2025-06-01T00:00:00Z');

export interface ColumnResult {
  readonly schema: string;
  readonly column: string;
  readonly label: Label;
  readonly verdict: Pick<ProposedField, 'category' | 'identity' | 'confidence' | 'reasons'>;
}

export interface SchemaRun {
  readonly results: ColumnResult[];
  readonly columns: number;
  /** Seconds to introspect and sample every candidate column, without classifying (the baseline). */
  readonly readSeconds: number;
  /** Seconds of the whole scan: introspect, sample, classify, propose. */
  readonly scanSeconds: number;
}

/** Loads a schema into a SQLite file in `dir`; returns the file. */
export function loadSchema(schema: CorpusSchema, dir: string): string {
  const file = join(dir, `${schema.name}.db`);
  loadIntoSqlite(schema, file);
  return file;
}

/** Introspects, samples and classifies one loaded schema through the SQLite connector. */
export async function runSchema(schema: CorpusSchema, file: string): Promise<SchemaRun> {
  const connector = sqliteConnector(file, schema.name);
  try {
    const t0 = process.hrtime.bigint();
    const introspection = await connector.introspect();
    for (const table of introspection.tables)
      for (const column of table.columns)
        if (needsSample(table, column)) await connector.sample(table, column.name, SAMPLE_LIMIT);
    const t1 = process.hrtime.bigint();
    const { proposal } = await scanSystem(connector, { now: corpusNow });
    const t2 = process.hrtime.bigint();

    const labels = labelsOf(schema);
    const results: ColumnResult[] = proposal.fields.map((f) => {
      const key = `${f.collection}.${f.field}`;
      if (!labels.has(key)) throw new Error(`corpus ${schema.name}: column ${key} has no label`);
      return { schema: schema.name, column: key, label: labels.get(key) ?? null, verdict: f };
    });
    for (const key of labels.keys())
      if (!results.some((r) => r.column === key))
        throw new Error(`corpus ${schema.name}: label for unknown column ${key}`);
    return {
      results,
      columns: results.length,
      readSeconds: Number(t1 - t0) / 1e9,
      scanSeconds: Number(t2 - t1) / 1e9,
    };
  } finally {
    await connector.close();
  }
}

export interface Scores {
  readonly columns: number;
  readonly personal: number;
  /** Labelled personal and found personal, over labelled personal. */
  readonly recall: number;
  /** Found personal and labelled personal, over found personal. */
  readonly precision: number;
  /** Of the personal columns found, the share given a right category. */
  readonly categoryAccuracy: number;
  readonly perCategory: ReadonlyMap<string, { precision: number; recall: number; support: number }>;
  readonly misses: readonly ColumnResult[];
  readonly falseAlarms: readonly ColumnResult[];
  readonly wrongCategory: readonly ColumnResult[];
}

export function score(results: readonly ColumnResult[]): Scores {
  const personal = results.filter((r) => r.label !== null);
  const found = results.filter((r) => r.verdict.category !== undefined);
  const hits = personal.filter((r) => r.verdict.category !== undefined);
  const right = hits.filter((r) => r.label!.includes(r.verdict.category!));
  const categories = new Set<string>();
  for (const r of results) {
    if (r.label !== null) categories.add(r.label[0]!);
    if (r.verdict.category !== undefined) categories.add(r.verdict.category);
  }
  const perCategory = new Map<string, { precision: number; recall: number; support: number }>();
  for (const c of [...categories].sort()) {
    const predicted = results.filter((r) => r.verdict.category === c);
    const correct = predicted.filter((r) => r.label?.includes(c) === true);
    // A column labelled with alternatives counts toward the category it was given, or its first label.
    const support = results.filter(
      (r) =>
        r.label !== null &&
        (r.verdict.category !== undefined && r.label.includes(r.verdict.category)
          ? r.verdict.category === c
          : r.label[0] === c),
    );
    const recalled = support.filter((r) => r.verdict.category === c);
    perCategory.set(c, {
      precision: predicted.length === 0 ? Number.NaN : correct.length / predicted.length,
      recall: support.length === 0 ? Number.NaN : recalled.length / support.length,
      support: support.length,
    });
  }
  return {
    columns: results.length,
    personal: personal.length,
    recall: personal.length === 0 ? 1 : hits.length / personal.length,
    precision: found.length === 0 ? 1 : hits.length / found.length,
    categoryAccuracy: hits.length === 0 ? 1 : right.length / hits.length,
    perCategory,
    misses: personal.filter((r) => r.verdict.category === undefined),
    falseAlarms: found.filter((r) => r.label === null),
    wrongCategory: hits.filter((r) => !r.label!.includes(r.verdict.category!)),
  };
}
