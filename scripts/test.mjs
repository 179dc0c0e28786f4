#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's test runner (TypeScript through tsx).
// Arguments narrow the run: `npm test -- src/policy` runs the files below that path.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = ['src', 'test'];
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : walk(path);
    return /\.test\.tsx?$/.test(name) ? [relative('.', path)] : [];
  });
}

const files = roots
  .flatMap((root) => walk(root))
  .filter((file) => filters.length === 0 || filters.some((f) => file.startsWith(f) || file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  process.exit(1);
}
// A test that hangs fails after 15 minutes, and a file whose tests are done ends even if a handle
// is still open (a test that failed half-way through its set-up, say): either would otherwise
// keep the whole run waiting with nothing said.
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=900000',
    '--test-force-exit',
    '--test-reporter=spec',
    ...passThrough,
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
