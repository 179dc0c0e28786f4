/**
 * Which real services the tests can use. A service that is not reachable skips its tests with
 * one line saying why — unless STEWARD_REQUIRE_SERVICES=1 (set by CI), where it is a failure.
 */
import { Socket } from 'node:net';

export const requireServices = process.env.STEWARD_REQUIRE_SERVICES === '1';
export const postgresUrl = process.env.STEWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A MySQL or MariaDB server where the tests may create and drop databases of their own. */
export const mysqlUrl = process.env.STEWARD_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

function reachable(host: string, port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

const announced = new Set<string>();

/**
 * Resolves to true when the service answers. When it does not: throws under
 * STEWARD_REQUIRE_SERVICES=1, otherwise prints one line (once per process) and resolves false.
 */
export async function serviceAvailable(name: string, url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  if (await reachable(hostname, Number(port))) return true;
  const message = `${name} at ${hostname}:${port} is not reachable`;
  if (requireServices) throw new Error(`${message}, and STEWARD_REQUIRE_SERVICES=1 makes that a failure`);
  if (!announced.has(name)) {
    announced.add(name);
    process.stdout.write(
      `# skipping ${name} tests: ${message} (set STEWARD_REQUIRE_SERVICES=1 to fail instead)\n`,
    );
  }
  return false;
}
