/**
 * Trains discovery's learned scorer (`src/discovery/model.ts`) on the schemas discovery is tuned on
 * (the tuning schemas and the held-out ones since tuned on, never the untuned ones) and writes
 * `src/discovery/model-weights.ts`. Before that, leave-one-schema-out cross-validation: each tuned
 * schema in turn is scored by a model trained on the others, combined with the rules' verdicts as
 * discovery combines them, for each threshold of a grid; the threshold written is the lowest whose
 * cross-validated precision stays at or above 0.97 (the rules' precision on the same folds is
 * about 1.00, so a lower bar would buy recall with false alarms the goal's 0.90 cannot afford on
 * schemas never seen). Prints the folds' figures, rules alone, model alone and combined.
 *
 * @example
 * node --import tsx bench/discovery/train.ts          # cross-validate, then write the weights
 * node --import tsx bench/discovery/train.ts --cv     # cross-validate only
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ColumnClassification, SampleStats, TableContext } from '../../src/discovery/classify.js';
import {
  SAMPLE_LIMIT,
  classifyWithStats,
  needsSample,
  ownedOf,
  sampleStats,
  tableRoles,
} from '../../src/discovery/classify.js';
import type { ModelWeights } from '../../src/discovery/model.js';
import { categoryScore, columnFeatures, combine, personalScore, train } from '../../src/discovery/model.js';
import { sqliteConnector } from '../../test/support/discovery.js';
import { withTempDir } from '../support.js';
import type { CorpusSchema, Label } from './corpus.js';
import { labelsOf } from './corpus.js';
import { corpusNow, loadSchema } from './evaluate.js';
import { corpus } from './index.js';

export interface LabelledColumn {
  readonly schema: string;
  readonly column: string;
  readonly label: Label;
  readonly features: string[];
  /** The rules' verdict alone. */
  readonly rules: ColumnClassification;
}

/** Every column of a schema with its features, its label and the rules' verdict. */
export async function labelledColumns(schema: CorpusSchema, file: string): Promise<LabelledColumn[]> {
  const connector = sqliteConnector(file, schema.name);
  try {
    const introspection = await connector.introspect();
    const stats = new Map<string, SampleStats>();
    for (const table of introspection.tables)
      for (const column of table.columns)
        if (needsSample(table, column))
          stats.set(
            `${table.name}.${column.name}`,
            sampleStats(await connector.sample(table, column.name, SAMPLE_LIMIT), corpusNow),
          );
    const statsOf = (t: { name: string }, c: { name: string }) => stats.get(`${t.name}.${c.name}`);
    const roles = tableRoles(introspection, statsOf);
    const roleOf = new Map([...roles].map(([k, v]) => [k, v.role]));
    const ownedTables = ownedOf(roles);
    const labels = labelsOf(schema);
    const out: LabelledColumn[] = [];
    for (const table of introspection.tables) {
      const { role, owned } = roles.get(table.name)!;
      const context: TableContext = { table, role, owned, roles: roleOf, ownedTables };
      for (const column of table.columns) {
        const key = `${table.name}.${column.name}`;
        if (!labels.has(key)) throw new Error(`corpus ${schema.name}: column ${key} has no label`);
        out.push({
          schema: schema.name,
          column: key,
          label: labels.get(key) ?? null,
          features: columnFeatures(context, column, statsOf(table, column)),
          rules: classifyWithStats(context, column, statsOf(table, column)),
        });
      }
    }
    return out;
  } finally {
    await connector.close();
  }
}

/** Recall, precision and category accuracy of verdicts against labels. */
export function figures(rows: readonly { label: Label; category: string | undefined }[]) {
  const personal = rows.filter((r) => r.label !== null);
  const found = rows.filter((r) => r.category !== undefined);
  const hits = personal.filter((r) => r.category !== undefined);
  const right = hits.filter((r) => r.label!.includes(r.category!));
  return {
    recall: personal.length === 0 ? 1 : hits.length / personal.length,
    precision: found.length === 0 ? 1 : hits.length / found.length,
    accuracy: hits.length === 0 ? 1 : right.length / hits.length,
  };
}

const examplesOf = (rows: readonly LabelledColumn[]) =>
  rows.map((r) => ({ features: r.features, label: r.label?.[0] ?? null }));

const thresholds = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const PRECISION_FLOOR = 0.97;

const fmt = (x: number) => x.toFixed(3);

async function main(): Promise<void> {
  const tuned = corpus.filter((s) => !s.heldOut || s.tunedOn);
  const rows: LabelledColumn[] = [];
  await withTempDir(async (dir) => {
    for (const schema of tuned) rows.push(...(await labelledColumns(schema, loadSchema(schema, dir))));
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`tuned corpus: ${tuned.length} schemas, ${rows.length} columns`);

  // Leave one schema out: a model per fold, never trained on the schema it scores.
  const folds = new Map<string, { weights: ModelWeights; rows: LabelledColumn[] }>();
  for (const schema of tuned) {
    const test = rows.filter((r) => r.schema === schema.name);
    const weights = train(examplesOf(rows.filter((r) => r.schema !== schema.name)));
    folds.set(schema.name, { weights, rows: test });
  }
  const rulesAlone = figures(rows.map((r) => ({ label: r.label, category: r.rules.category })));
  out(
    `rules alone:         recall ${fmt(rulesAlone.recall)}, precision ${fmt(rulesAlone.precision)} (tuned on these schemas)`,
  );
  const modelAlone = (threshold: number) =>
    figures(
      [...folds.values()].flatMap(({ weights, rows: test }) =>
        test.map((r) => ({
          label: r.label,
          category:
            personalScore(r.features, weights) >= threshold
              ? categoryScore(r.features, weights).category
              : undefined,
        })),
      ),
    );
  const combined = (threshold: number) =>
    [...folds.values()].flatMap(({ weights, rows: test }) =>
      test.map((r) => ({
        schema: r.schema,
        column: r.column,
        label: r.label,
        category: combine(r.rules, r.features, { ...weights, threshold }).category,
      })),
    );
  let chosen = thresholds[thresholds.length - 1]!;
  for (const t of thresholds) {
    const m = modelAlone(t);
    const c = figures(combined(t));
    out(
      `threshold ${t.toFixed(2)}: model alone recall ${fmt(m.recall)}, precision ${fmt(m.precision)}, category ${fmt(m.accuracy)}; combined recall ${fmt(c.recall)}, precision ${fmt(c.precision)}, category ${fmt(c.accuracy)}`,
    );
  }
  for (const t of thresholds)
    if (figures(combined(t)).precision >= PRECISION_FLOOR) {
      chosen = t;
      break;
    }
  out(`chosen threshold ${chosen} (lowest with cross-validated combined precision ≥ ${PRECISION_FLOOR})`);
  for (const schema of tuned) {
    const c = figures(combined(chosen).filter((r) => r.schema === schema.name));
    const m = figures(
      folds.get(schema.name)!.rows.map((r) => ({
        label: r.label,
        category: personalScore(r.features, folds.get(schema.name)!.weights) >= chosen ? 'user' : undefined,
      })),
    );
    out(
      `  fold ${schema.name}: model alone recall ${fmt(m.recall)} precision ${fmt(m.precision)}; combined recall ${fmt(c.recall)} precision ${fmt(c.precision)}`,
    );
  }
  if (process.argv.includes('--cv')) return;

  const weights = train(examplesOf(rows), { threshold: chosen });
  const file = fileURLToPath(new URL('../../src/discovery/model-weights.ts', import.meta.url));
  writeFileSync(
    file,
    `/**
 * Generated by \`node --import tsx bench/discovery/train.ts\`; do not edit. The learned scorer's
 * weights (\`model.ts\`), trained on the ${tuned.length} schemas discovery is tuned on (${rows.length} columns);
 * the threshold was chosen by leave-one-schema-out cross-validation.
 */
import type { ModelWeights } from './model.js';

// prettier-ignore
export const modelWeights: ModelWeights = {
${layout(weights)}
};
`,
  );
  out(
    `weights written to ${file}: ${Object.keys(weights.personal).length} logistic weights, ${weights.vocabulary} naive Bayes features`,
  );
}

/** The weights as TypeScript, a feature to an item, several items to a line. */
function layout(weights: ModelWeights): string {
  const packed = (items: string[]) => {
    const lines: string[] = [];
    let line = '';
    for (const item of items) {
      if (line.length + item.length + 1 > 100) {
        lines.push(line);
        line = '';
      }
      line = line === '' ? item : `${line} ${item}`;
    }
    if (line !== '') lines.push(line);
    return lines.map((l) => `    ${l}`).join('\n');
  };
  const personal = Object.entries(weights.personal).map(([f, w]) => `${JSON.stringify(f)}: ${w},`);
  const counts = Object.entries(weights.counts).map(([f, c]) => `${JSON.stringify(f)}: [${c.join(',')}],`);
  return [
    `  bias: ${weights.bias},`,
    `  threshold: ${weights.threshold},`,
    `  vocabulary: ${weights.vocabulary},`,
    `  categories: ${JSON.stringify(weights.categories)},`,
    `  priors: ${JSON.stringify(weights.priors)},`,
    `  totals: ${JSON.stringify(weights.totals)},`,
    `  personal: {\n${packed(personal)}\n  },`,
    `  counts: {\n${packed(counts)}\n  },`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
