/**
 * The browser script (web/script) bundled for serving: one minified IIFE that the server
 * publishes at `/web/v1/steward-${hash}.js` with a long cache, since a change of code is a
 * change of URL. Built once per process, on first use.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { packageRoot } from '../config.js';

export interface BrowserScript {
  readonly code: string;
  /** First 12 hex digits of the SHA-256 of `code`. */
  readonly hash: string;
  /** Size after gzip at level 9: what a visitor downloads. */
  readonly gzipBytes: number;
}

let built: Promise<BrowserScript> | undefined;

async function bundle(): Promise<BrowserScript> {
  const result = await build({
    absWorkingDir: packageRoot,
    entryPoints: [join(packageRoot, 'web/script/main.ts')],
    tsconfig: join(packageRoot, 'web/script/tsconfig.json'),
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return {
    code,
    hash: createHash('sha256').update(code).digest('hex').slice(0, 12),
    gzipBytes: gzipSync(code, { level: 9 }).length,
  };
}

/** The bundled script; a failed build is not remembered, so the next call tries again. */
export async function buildBrowserScript(): Promise<BrowserScript> {
  built ??= bundle().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
