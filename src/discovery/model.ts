/**
 * A small learned scorer beside the rules: where the rules say nothing about a column, or are
 * unsure, it says whether the column looks personal, and of which category.
 *
 * A column is described by string features (`columnFeatures`): character 3- and 4-grams of its
 * name's tokens and of its table's name's tokens, the tokens written out (`abbreviations.ts`), its
 * SQL type's kind, its table's role, whether it is a key, and what the value detectors counted in
 * its sample (`SampleStats`, never the values). Two models read them:
 *
 * - **personal or not**: logistic regression (`train`: full-batch gradient descent with AdaGrad
 *   steps and an L2 penalty, from zero weights, a fixed number of rounds: deterministic);
 * - **which category**: multinomial naive Bayes over the personal columns' first labels.
 *
 * The weights are trained offline on the labelled corpus (`bench/discovery/train.ts`) and
 * generated into `model-weights.ts`; rare features are pruned so the file stays small.
 * `withModel` combines: a rule's personal verdict, a key's or a reference's verdict and a
 * confident "not personal" stand; an unsure "not personal" of a column with sampled values (or one
 * not sampled by design, a boolean) becomes personal when the model is sure enough (`threshold`, chosen by leave-one-schema-out cross-validation on the tuned corpus).
 */
import type { IntrospectedColumn } from '../connectors/contract.js';
import { expandAbbreviation } from './abbreviations.js';
import type { ColumnClassification, SampleStats, TableContext } from './classify.js';
import { modelWeights } from './model-weights.js';
import { nameParts, typeKind } from './names.js';

/** Counts of `SampleStats` that become value features, by their share of the sampled values. */
const valueCounts = [
  'email',
  'roleMailbox',
  'phoneStrong',
  'phone',
  'ip',
  'iban',
  'card',
  'postcode',
  'imei',
  'iccid',
  'mac',
  'coordinates',
  'coordinate',
  'givenName',
  'nameShape',
  'social',
  'prose',
  'sentences',
  'organisation',
  'dates',
  'json',
] as const satisfies readonly (keyof SampleStats)[];

/** The character n-grams of a word between boundary marks: `^ab`, `abc`, …, `yz$`. */
function grams(word: string, n: number, prefix: string, into: Set<string>): void {
  const marked = `^${word}$`;
  if (marked.length < n) return;
  for (let i = 0; i + n <= marked.length; i++) into.add(`${prefix}${marked.slice(i, i + n)}`);
}

/** The words of a name, each followed by what it abbreviates when that is known. */
function words(name: string): string[] {
  const out: string[] = [];
  for (const t of nameParts(name).tokens) {
    if (/^\d+$/.test(t)) continue;
    out.push(t);
    const written = expandAbbreviation(t);
    if (written !== undefined) out.push(written);
  }
  return out;
}

/** What the model knows of a column: string features, sorted, without duplicates. */
export function columnFeatures(
  context: Pick<TableContext, 'table' | 'role' | 'owned' | 'roles'>,
  column: IntrospectedColumn,
  stats: SampleStats | undefined,
): string[] {
  const { table } = context;
  const f = new Set<string>();
  const columnWords = words(column.name);
  for (const w of columnWords) {
    f.add(`w:${w}`);
    grams(w, 3, 'c3:', f);
    grams(w, 4, 'c4:', f);
  }
  if (columnWords.length === 1) f.add('w1');
  for (const w of words(table.name)) {
    f.add(`tw:${w}`);
    grams(w, 3, 't3:', f);
    grams(w, 4, 't4:', f);
  }
  f.add(`k:${typeKind(column.type)}`);
  f.add(`r:${context.role}`);
  if (context.owned) f.add('owned');
  if (column.nullable) f.add('nullable');
  if (table.primaryKey.includes(column.name)) f.add(table.primaryKey.length === 1 ? 'pk' : 'pk-part');
  if (table.uniques.some((u) => u.length === 1 && u[0] === column.name)) f.add('unique');
  const fk = table.foreignKeys.find((k) => k.columns.includes(column.name));
  if (fk !== undefined) f.add(`fk:${context.roles.get(fk.references.table) ?? 'unknown'}`);
  if (stats === undefined) f.add('v:unsampled');
  else if (stats.n === 0) f.add('v:empty');
  else {
    for (const key of valueCounts) {
      const share = stats[key] / stats.n;
      if (share >= 0.5) f.add(`v:${key}`);
      else if (share >= 0.1) f.add(`v:${key}~`);
    }
    if (stats.birthDates) f.add('v:birthDates');
    for (const id of stats.jsonFamilies.keys()) f.add(`j:${id}`);
    for (const id of stats.jsonValues.keys()) f.add(`jv:${id}`);
  }
  return [...f].sort();
}

/** The weights of both models, as `train` returns them and `model-weights.ts` holds them. */
export interface ModelWeights {
  /** Logistic regression for "personal": the intercept and a weight per feature. */
  readonly bias: number;
  readonly personal: Readonly<Record<string, number>>;
  /** Naive Bayes for the category: the categories, sorted, and how many personal examples had each. */
  readonly categories: readonly string[];
  readonly priors: readonly number[];
  /**
   * Feature → pairs of a category's index and the feature's count in it (`[0, 5, 3, 2]`), for
   * features seen often enough; counts below `minPairCount` are left out (read as zero).
   */
  readonly counts: Readonly<Record<string, readonly number[]>>;
  /** Each category's sum of its counts (the multinomial's denominator). */
  readonly totals: readonly number[];
  /** How many features the naive Bayes model knows (for smoothing). */
  readonly vocabulary: number;
  /** The probability of "personal" from which an unsure rule verdict is overruled. */
  readonly threshold: number;
}

export interface Example {
  readonly features: readonly string[];
  /** The column's first label, or null when it is not personal. */
  readonly label: string | null;
}

export interface TrainOptions {
  /** Features seen in fewer examples are dropped (default 4). */
  readonly minCount?: number;
  /** Gradient-descent rounds (default 300). */
  readonly rounds?: number;
  /** L2 penalty (default 0.005). */
  readonly l2?: number;
  /** Logistic weights smaller than this are dropped from the result (default 0.03). */
  readonly minWeight?: number;
  /** Also train the personal model on each example without its name's features (default true). */
  readonly withoutNames?: boolean;
  /** Naive Bayes counts below this are dropped from the result (default 1: none). */
  readonly minPairCount?: number;
  readonly threshold?: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

const nameFeature = /^(w:|c3:|c4:|w1$)/;

/** An example as a column whose name says nothing would give it. */
function withoutName(e: Example): Example {
  return { features: e.features.filter((f) => !nameFeature.test(f)), label: e.label };
}

/** Trains both models on `examples`; the same examples give the same weights. */
export function train(examples: readonly Example[], options: TrainOptions = {}): ModelWeights {
  const minCount = options.minCount ?? 4;
  const rounds = options.rounds ?? 300;
  const l2 = options.l2 ?? 0.005;
  const minWeight = options.minWeight ?? 0.03;
  const minPairCount = options.minPairCount ?? 1;
  const augment = options.withoutNames ?? true;

  const seen = new Map<string, number>();
  for (const e of examples) for (const f of e.features) seen.set(f, (seen.get(f) ?? 0) + 1);
  const names = [...seen]
    .filter(([, c]) => c >= minCount)
    .map(([f]) => f)
    .sort();
  const index = new Map(names.map((f, i) => [f, i]));
  // Each column is also shown without its name's features, as a schema in an unknown language
  // would show it: so the values, the type and the table carry weight of their own.
  const shown = augment ? [...examples, ...examples.map(withoutName)] : examples;
  const rows = shown.map((e) => ({
    x: e.features.map((f) => index.get(f)).filter((i): i is number => i !== undefined),
    y: e.label === null ? 0 : 1,
  }));

  // Logistic regression: full-batch gradient descent, AdaGrad step sizes, zero start.
  const w = new Float64Array(names.length);
  const g2 = new Float64Array(names.length);
  const grad = new Float64Array(names.length);
  let bias = 0;
  let biasG2 = 0;
  const rate = 0.5;
  for (let r = 0; r < rounds; r++) {
    grad.fill(0);
    let biasGrad = 0;
    for (const { x, y } of rows) {
      let z = bias;
      for (const i of x) z += w[i]!;
      const err = 1 / (1 + Math.exp(-z)) - y;
      biasGrad += err;
      for (const i of x) grad[i]! += err;
    }
    const n = rows.length;
    for (let i = 0; i < names.length; i++) {
      const g = grad[i]! / n + l2 * w[i]!;
      g2[i]! += g * g;
      w[i]! -= (rate * g) / (Math.sqrt(g2[i]!) + 1e-9);
    }
    const bg = biasGrad / n;
    biasG2 += bg * bg;
    bias -= (rate * bg) / (Math.sqrt(biasG2) + 1e-9);
  }
  const personal: Record<string, number> = {};
  for (const [i, f] of names.entries()) if (Math.abs(w[i]!) >= minWeight) personal[f] = round(w[i]!, 3);

  // Naive Bayes over the personal examples' categories.
  const personalExamples = examples.filter((e) => e.label !== null);
  const categories = [...new Set(personalExamples.map((e) => e.label!))].sort();
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const priors = categories.map(() => 0);
  for (const e of personalExamples) priors[categoryIndex.get(e.label!)!]!++;
  const inPersonal = new Map<string, number>();
  for (const e of personalExamples)
    for (const f of e.features) inPersonal.set(f, (inPersonal.get(f) ?? 0) + 1);
  const byFeature = new Map<string, number[]>();
  for (const e of personalExamples)
    for (const f of e.features) {
      if ((inPersonal.get(f) ?? 0) < minCount) continue;
      const list = byFeature.get(f) ?? categories.map(() => 0);
      list[categoryIndex.get(e.label!)!]!++;
      byFeature.set(f, list);
    }
  const counts: Record<string, number[]> = {};
  const totals = categories.map(() => 0);
  for (const f of [...byFeature.keys()].sort()) {
    const pairs: number[] = [];
    for (const [i, k] of byFeature.get(f)!.entries())
      if (k >= minPairCount) {
        pairs.push(i, k);
        totals[i]! += k;
      }
    if (pairs.length > 0) counts[f] = pairs;
  }
  return {
    bias: round(bias, 3),
    personal,
    categories,
    priors,
    counts,
    totals,
    vocabulary: Object.keys(counts).length,
    threshold: options.threshold ?? 0.5,
  };
}

/** The model's probability that a column with these features is personal. */
export function personalScore(features: readonly string[], weights: ModelWeights = modelWeights): number {
  let z = weights.bias;
  for (const f of features) z += weights.personal[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/** The naive Bayes smoothing constant. */
const ALPHA = 0.1;

/**
 * How much more a value feature counts than one n-gram of a name in the category model: a long
 * name has dozens of n-grams, a column's values one or two features, and they are the better
 * witness where the name's language is unknown.
 */
const VALUE_WEIGHT = 5;

/** The likeliest category of a personal column with these features, and its posterior share. */
export function categoryScore(
  features: readonly string[],
  weights: ModelWeights = modelWeights,
): { category: string; probability: number } {
  const total = weights.priors.reduce((a, b) => a + b, 0);
  const scores = weights.categories.map((category, i) => {
    // Multinomial: a feature's likelihood is its share of the category's feature counts,
    // smoothed (add-α) so an unseen pair stays finite; features the model does not know are skipped.
    const denominator = weights.totals[i]! + ALPHA * weights.vocabulary;
    let s = Math.log(weights.priors[i]! / total);
    for (const f of features) {
      const pairs = weights.counts[f];
      if (pairs === undefined) continue;
      let k = 0;
      for (let j = 0; j < pairs.length; j += 2) if (pairs[j] === i) k = pairs[j + 1]!;
      s += (f.startsWith('v:') ? VALUE_WEIGHT : 1) * Math.log((k + ALPHA) / denominator);
    }
    return [category, s] as [string, number];
  });
  scores.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const best = scores[0]!;
  const sum = scores.reduce((a, [, s]) => a + Math.exp(s - best[1]), 0);
  return { category: best[0], probability: 1 / sum };
}

/**
 * Whether the rules left a column unsure: not personal, and not because it is a key or a
 * reference, a server's address, or dates where a name was expected, nor with high confidence.
 */
export function rulesUnsure(verdict: ColumnClassification): boolean {
  if (verdict.category !== undefined) return false;
  if (verdict.reasons.some((r) => /^(key|reference):|^name:infrastructure$|^values:dates/.test(r)))
    return false;
  return verdict.confidence < 0.8;
}

/**
 * The rules' verdict, or the model's where the rules are unsure and the model is sure enough the
 * column is personal. The reasons say which model score decided.
 */
export function combine(
  verdict: ColumnClassification,
  features: readonly string[],
  weights: ModelWeights = modelWeights,
): ColumnClassification {
  // A sampled column without values gives the model only its name and table: too little to overrule.
  if (!rulesUnsure(verdict) || features.includes('v:empty')) return verdict;
  const p = personalScore(features, weights);
  if (p < weights.threshold) return verdict;
  const { category, probability } = categoryScore(features, weights);
  return {
    category,
    confidence: round(Math.min(p, 0.9) * 0.9, 2),
    reasons: [
      ...verdict.reasons,
      `model:personal ${p.toFixed(2)}`,
      `model:category ${probability.toFixed(2)}`,
    ],
    review: `No rule is sure of this column; the learned model finds it personal (${p.toFixed(2)}), most likely ${category}. Check it.`,
  };
}

/** `combine` for a column in its table, with the bundled weights. */
export function withModel(
  context: TableContext,
  column: IntrospectedColumn,
  stats: SampleStats | undefined,
  verdict: ColumnClassification,
): ColumnClassification {
  if (!rulesUnsure(verdict)) return verdict;
  return combine(verdict, columnFeatures(context, column, stats));
}
