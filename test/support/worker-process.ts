/**
 * Real `steward start --role worker` processes for tests that kill them (SIGKILL) and start them
 * again, and a poll of the shared store until something holds.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageRoot } from '../../src/config.js';

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far, for a failure message. */
  output(): string;
}

/** Starts a worker process with the given settings (as the environment gives them). */
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
  child.stdout?.on('data', (b: Buffer) => (printed += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (printed += b.toString()));
  return { child, output: () => printed };
}

/** Resolves once the process has exited (at once if it already has). */
export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/** Kills with SIGKILL and waits for the exit. */
export async function killHard(worker: WorkerProcess): Promise<void> {
  worker.child.kill('SIGKILL');
  await exited(worker.child);
}

/** Waits (polling every 15 ms) until `done` holds; fails after `ms` with what `output` says. */
export async function until(what: string, ms: number, done: () => Promise<boolean>, output: () => string) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await sleep(15);
  }
}
