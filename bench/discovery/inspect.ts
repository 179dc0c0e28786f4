/**
 * Prints what the classifier got wrong on the corpus, column by column, with the rules that fired:
 * the tool for looking at misses while working on the rules. The held-out schemas are left out
 * unless named.
 *
 * @example
 * node --import tsx bench/discovery/inspect.ts          # every tuning schema
 * node --import tsx bench/discovery/inspect.ts crm      # one schema
 */
import { withTempDir } from '../support.js';
import { corpus } from './index.js';
import { loadSchema, runSchema, score } from './evaluate.js';

const wanted = process.argv.slice(2);
const schemas = corpus.filter((s) => (wanted.length === 0 ? !s.heldOut : wanted.includes(s.name)));
await withTempDir(async (dir) => {
  const results = [];
  for (const schema of schemas) results.push(...(await runSchema(schema, loadSchema(schema, dir))).results);
  const s = score(results);
  const show = (title: string, list: typeof s.misses) => {
    process.stdout.write(`\n${title} (${list.length})\n`);
    for (const r of list)
      process.stdout.write(
        `  ${r.schema}.${r.column}: label ${r.label?.join('|') ?? '-'} → ${r.verdict.category ?? '-'} (${r.verdict.confidence.toFixed(2)}) ${r.verdict.reasons.join(', ')}\n`,
      );
  };
  show('missed', s.misses);
  show('false alarms', s.falseAlarms);
  show('wrong category', s.wrongCategory);
  process.stdout.write(
    `\ncolumns ${s.columns}, personal ${s.personal}, recall ${s.recall.toFixed(3)}, precision ${s.precision.toFixed(3)}, category accuracy ${s.categoryAccuracy.toFixed(3)}\n`,
  );
});
