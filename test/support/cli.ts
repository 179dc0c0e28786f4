import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/config.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `steward` CLI from source, as a separate process, with the given settings. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), ...args],
      {
        cwd: packageRoot,
        env: { PATH: process.env.PATH ?? '', STEWARD_LOG_LEVEL: 'silent', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** CLI settings that point at a test app's database. */
export function cliEnv(app: {
  config: { databaseUrl: string; dataDir: string; secret: Buffer };
  schema?: string;
}): Record<string, string> {
  const url = app.schema
    ? `${app.config.databaseUrl}${app.config.databaseUrl.includes('?') ? '&' : '?'}schema=${app.schema}`
    : app.config.databaseUrl;
  return {
    STEWARD_DATABASE_URL: url,
    STEWARD_DATA_DIR: app.config.dataDir,
    STEWARD_SECRET: app.config.secret.toString('base64'),
  };
}
