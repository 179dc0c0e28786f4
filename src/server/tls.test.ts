import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import { startTestApp } from '../../test/support/app.js';

function get(
  port: number,
  path: string,
  init: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        rejectUnauthorized: false,
        headers: init.body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let app: TestApp;
  let port: number;

  before(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    app = await startTestApp('sqlite', {
      config: { tls: { cert, key }, publicUrl: 'https://localhost:8443' },
    });
    await app.server.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.server.address() as AddressInfo).port;
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('C7.1 Steward serves HTTPS with HSTS and secure session cookies when TLS is configured', async () => {
    const health = await get(port, '/healthz');
    assert.equal(health.status, 200);
    assert.match(String(health.headers['strict-transport-security']), /max-age=31536000/);
    const { email, password } = await app.signInAs('auditor');
    const login = await get(port, '/api/v1/session', {
      method: 'POST',
      body: JSON.stringify({ email, password }),
    });
    assert.equal(login.status, 200);
    assert.match(String(login.headers['set-cookie']), /; Secure/);
  });
});
