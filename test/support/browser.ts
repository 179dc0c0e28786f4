/**
 * Browser support for end-to-end tests of the operator console: a headless Chromium (Debian's
 * package, driven by playwright-core) and an up-to-date console build in dist/console.
 * Without Chromium the browser tests skip with one line — unless STEWARD_REQUIRE_SERVICES=1.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { packageRoot } from '../../src/config.js';
import { requireServices } from './services.js';

export type { Browser, BrowserContext, Page } from 'playwright-core';

export const chromiumPath = process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let announced = false;

/**
 * Launches headless Chromium, or resolves to undefined (after one line saying why) when it is not
 * installed. Under STEWARD_REQUIRE_SERVICES=1 a missing Chromium is an error instead.
 */
export async function launchBrowser(): Promise<Browser | undefined> {
  if (!existsSync(chromiumPath)) {
    const message = `Chromium not found at ${chromiumPath}`;
    if (requireServices) {
      throw new Error(
        `${message}: the browser tests require Chromium (install the Debian "chromium" package, or set STEWARD_CHROMIUM), and STEWARD_REQUIRE_SERVICES=1 makes that a failure`,
      );
    }
    if (!announced) {
      announced = true;
      process.stdout.write(`# skipping browser tests: ${message} (apt-get install chromium)\n`);
    }
    return undefined;
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 60_000 });
}

/** Newest modification time (ms) of the files under `path` (or of `path` itself). */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

const execFileAsync = promisify(execFile);

/**
 * Builds the console with Vite when dist/console is missing or older than its sources, so the
 * browser tests never run against a stale build. Call it before starting the server: the server
 * serves the console only when dist/console/index.html exists when it is built.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const built = join(packageRoot, 'dist/console/index.html');
  const sources = [
    join(packageRoot, 'web/console/src'),
    join(packageRoot, 'web/console/index.html'),
    join(packageRoot, 'web/console/vite.config.ts'),
  ].filter((path) => existsSync(path));
  const newestSource = Math.max(...sources.map(newestMtime));
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  try {
    await execFileAsync('npx', ['vite', 'build', '--config', 'web/console/vite.config.ts'], {
      cwd: packageRoot,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 180_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`The console build failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  if (!existsSync(built)) throw new Error(`The console build did not write ${built}`);
}
