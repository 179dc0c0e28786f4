/**
 * The import graph of src/: no module reaches itself through value imports (a cycle makes load
 * order decide what is initialised, and ties a state change to whatever it notifies), and the job
 * queue knows no feature. Type-only imports are erased (`verbatimModuleSyntax`), so they do not count.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Each file's imports of other files under src/ (paths relative to the repository). */
function importGraph(withTypes: boolean): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const targets: string[] = [];
    for (const statement of source.statements) {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const clause = statement.importClause;
        const bindings = clause?.namedBindings;
        const typeOnly =
          clause !== undefined &&
          (clause.isTypeOnly ||
            (clause.name === undefined &&
              bindings !== undefined &&
              ts.isNamedImports(bindings) &&
              bindings.elements.length > 0 &&
              bindings.elements.every((e) => e.isTypeOnly)));
        if (withTypes || !typeOnly) specifier = statement.moduleSpecifier.text;
      } else if (
        ts.isExportDeclaration(statement) &&
        (withTypes || !statement.isTypeOnly) &&
        statement.moduleSpecifier !== undefined &&
        ts.isStringLiteral(statement.moduleSpecifier)
      ) {
        specifier = statement.moduleSpecifier.text;
      }
      if (specifier === undefined || !specifier.startsWith('.')) continue;
      const base = resolve(dirname(file), specifier).replace(/\.js$/, '');
      const target = [`${base}.ts`, `${base}.tsx`].find((candidate) => existsSync(candidate));
      if (target !== undefined) targets.push(relative(root, target));
    }
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** Groups of files that import one another, directly or not (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = importGraph(false);

test('src/ has no import cycle (value imports)', () => {
  assert.ok(graph.size > 100, `read ${graph.size} files under src/`);
  assert.ok(graph.get('src/rights/drp/callback.ts')?.includes('src/rights/model.ts'), 'edges are read');
  assert.deepEqual(cycles(graph), []);
});

test('the cycle check finds a cycle when there is one', () => {
  const withCycle = new Map(graph);
  withCycle.set('src/rights/model.ts', [
    ...(graph.get('src/rights/model.ts') ?? []),
    'src/rights/drp/callback.ts',
  ]);
  assert.deepEqual(
    cycles(withCycle).map((group) => group.includes('src/rights/model.ts')),
    [true],
  );
});

test('src/jobs/ imports no feature, not even a type: the composition root lists the jobs (src/worker-jobs.ts)', () => {
  const shared = /^src\/(jobs\/|store\/|[a-z-]+\.ts$)/;
  for (const [file, targets] of importGraph(true)) {
    if (!file.startsWith('src/jobs/')) continue;
    assert.deepEqual(
      targets.filter((t) => !shared.test(t) || t === 'src/app.ts' || t === 'src/worker-jobs.ts'),
      [],
      file,
    );
  }
});
