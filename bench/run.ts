/**
 * Runs the benchmarks: every `bench/*.bench.ts` group, or only the groups named on the command
 * line. Prints the machine once, then one `name: value unit` line per figure.
 *
 * @example
 * npm run bench              # every group
 * npm run bench -- store     # only the `store` group
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchGroup } from './support.js';
import { machine, note, report } from './support.js';

const here = dirname(fileURLToPath(import.meta.url));

function isGroup(value: unknown): value is BenchGroup {
  const v = value as Partial<BenchGroup> | null;
  return typeof v?.name === 'string' && typeof v.run === 'function';
}

const groups: BenchGroup[] = [];
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  const loaded: unknown = await import(pathToFileURL(join(here, file)).href);
  if (!isGroup(loaded)) throw new Error(`bench/${file} must export \`name\` and \`run(report)\``);
  groups.push(loaded);
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !groups.some((g) => g.name === w));
if (unknown.length > 0) {
  process.stderr.write(
    `No benchmark group named ${unknown.join(', ')}. Groups: ${groups.map((g) => g.name).join(', ')}\n`,
  );
  process.exit(2);
}

note(`machine: ${machine()}`);
let failed = false;
for (const group of groups.filter((g) => wanted.length === 0 || wanted.includes(g.name))) {
  note(`group: ${group.name}`);
  const started = process.hrtime.bigint();
  try {
    await group.run(report);
  } catch (error) {
    failed = true;
    process.stderr.write(
      `benchmark group ${group.name} failed: ${(error as Error).stack ?? String(error)}\n`,
    );
  }
  note(`group ${group.name} took ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
}
process.exitCode = failed ? 1 : 0;
