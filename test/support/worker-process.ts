/**
 * `steward start --role worker` as a real child process, from source, with the given settings
 * only (nothing of this process's environment but PATH), and polling until something holds.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageRoot } from '../../src/config.js';

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves once the worker logged that it started (needs STEWARD_LOG_LEVEL info or lower). */
  readonly started: Promise<void>;
  /** Everything it printed so far. */
  output(): string;
}

export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), 'start', '--role', 'worker'],
    {
      cwd: packageRoot,
      env: { PATH: process.env.PATH ?? '', STEWARD_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let printed = '';
  const started = new Promise<void>((resolve, reject) => {
    const look = (b: Buffer) => {
      printed += b.toString();
      if (printed.includes('worker started')) resolve();
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code, signal) =>
      reject(new Error(`a worker exited (${code ?? signal}):\n${printed.slice(-2000)}`)),
    );
  });
  // Only a caller that waits for the start hears of an early exit.
  started.catch(() => undefined);
  return { child, started, output: () => printed };
}

/** Resolves when the process has exited (at once if it already has). */
export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/** SIGKILLs every process still running and waits for each to exit. */
export async function killAll(children: readonly ChildProcess[]): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map(exited));
}

/** Polls `done` every 15 ms until it holds; fails after `ms` with `what` and `output()`. */
export async function until(
  what: string,
  ms: number,
  done: () => Promise<boolean>,
  output: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await sleep(15);
  }
}
