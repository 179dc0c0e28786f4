/**
 * The `discovery` group: how well discovery finds personal columns, and how fast. Every corpus
 * schema (bench/discovery/) is loaded into a temporary SQLite file and scanned through the SQLite
 * connector; each column's category is compared with its label.
 *
 * Figures: per-category precision and recall, overall recall and precision on personal columns
 * (goals 0.95 and 0.90), the share of found personal columns given the right category, the
 * held-out schemas' figures on their own (all of them, then only those never tuned on, with a note
 * per schema), and columns scanned per second against the baseline of merely introspecting and
 * sampling them.
 */
import { corpus } from './discovery/index.js';
import type { ColumnResult } from './discovery/evaluate.js';
import { loadSchema, runSchema, score } from './discovery/evaluate.js';
import type { Report } from './support.js';
import { note, withTempDir } from './support.js';

export const name = 'discovery';

/** Timed scans of the whole corpus after one warm-up; the fastest round counts. */
const ROUNDS = 5;

export async function run(report: Report): Promise<void> {
  await withTempDir(async (dir) => {
    const files = corpus.map((schema) => ({ schema, file: loadSchema(schema, dir) }));
    let results: ColumnResult[] = [];
    let bestScan = Number.POSITIVE_INFINITY;
    let bestRead = Number.POSITIVE_INFINITY;
    let columns = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      let scan = 0;
      let read = 0;
      const roundResults: ColumnResult[] = [];
      for (const { schema, file } of files) {
        const r = await runSchema(schema, file);
        scan += r.scanSeconds;
        read += r.readSeconds;
        roundResults.push(...r.results);
      }
      if (round === 0) continue;
      results = roundResults;
      columns = roundResults.length;
      bestScan = Math.min(bestScan, scan);
      bestRead = Math.min(bestRead, read);
    }

    const heldOut = new Set(corpus.filter((s) => s.heldOut).map((s) => s.name));
    const tuning = score(results.filter((r) => !heldOut.has(r.schema)));
    note(
      `corpus: ${corpus.length} schemas, ${columns} columns; tuning set ${tuning.columns} columns, ${tuning.personal} labelled personal`,
    );
    for (const [category, s] of tuning.perCategory) {
      const key = category.replace(/\./g, '_');
      if (!Number.isNaN(s.precision)) report(`discovery_precision_${key}`, s.precision);
      if (!Number.isNaN(s.recall)) report(`discovery_recall_${key}`, s.recall);
    }
    report('discovery_recall', tuning.recall);
    report('discovery_precision', tuning.precision);
    report('discovery_category_accuracy', tuning.categoryAccuracy);
    for (const r of tuning.misses) note(`missed ${r.schema}.${r.column} (${r.label?.join('|') ?? '-'})`);
    for (const r of tuning.falseAlarms)
      note(`false alarm ${r.schema}.${r.column} as ${r.verdict.category ?? '-'}`);

    if (heldOut.size > 0) {
      const held = score(results.filter((r) => heldOut.has(r.schema)));
      note(
        `held-out ${[...heldOut].join(', ')}: ${held.columns} columns, ${held.personal} labelled personal`,
      );
      report('discovery_heldout_recall', held.recall);
      report('discovery_heldout_precision', held.precision);
      report('discovery_heldout_category_accuracy', held.categoryAccuracy);
      // The honest generalisation figure: held-out schemas no rule was ever changed for.
      const untuned = new Set(corpus.filter((s) => s.heldOut && !s.tunedOn).map((s) => s.name));
      if (untuned.size > 0) {
        const fresh = score(results.filter((r) => untuned.has(r.schema)));
        note(`never tuned on: ${[...untuned].join(', ')}`);
        report('discovery_heldout_untuned_recall', fresh.recall);
        report('discovery_heldout_untuned_precision', fresh.precision);
        report('discovery_heldout_untuned_category_accuracy', fresh.categoryAccuracy);
      }
      for (const schema of corpus.filter((s) => s.heldOut)) {
        const one = score(results.filter((r) => r.schema === schema.name));
        note(
          `held-out ${schema.name}${schema.tunedOn ? ' (since tuned on)' : ' (never tuned on)'}: recall ${one.recall.toFixed(3)}, precision ${one.precision.toFixed(3)}, category accuracy ${one.categoryAccuracy.toFixed(3)} (${one.columns} columns, ${one.personal} labelled personal)`,
        );
      }
      for (const r of held.misses)
        note(`held-out missed ${r.schema}.${r.column} (${r.label?.join('|') ?? '-'})`);
      for (const r of held.falseAlarms)
        note(`held-out false alarm ${r.schema}.${r.column} as ${r.verdict.category ?? '-'}`);
      for (const r of held.wrongCategory)
        note(
          `held-out wrong category ${r.schema}.${r.column}: ${r.verdict.category ?? '-'} (${r.label?.join('|') ?? '-'})`,
        );
    }

    report('discovery_columns_per_s', columns / bestScan, 'columns/s');
    report('discovery_read_columns_per_s', columns / bestRead, 'columns/s');
    report('ratio_to_introspect_and_sample', bestRead / bestScan);
  });
}
