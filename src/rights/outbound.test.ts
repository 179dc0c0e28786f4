import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { LookupAddress } from 'node:dns';
import { startReceiver } from '../../test/support/receiver.js';
import {
  destinationProblem,
  isPublicAddress,
  OutboundError,
  postTo,
  problemText,
  publicOnly,
} from './outbound.js';
import { bytesBody } from './sized-body.js';

test('C5m.1 only global unicast addresses count as public', () => {
  const cases: [string, boolean][] = [
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['127.1.2.3', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not an address', false],
  ];
  for (const [address, expected] of cases) assert.equal(isPublicAddress(address), expected, address);
});

test('C5m.1 a destination for personal data is https on a public host, unless the operator allowed it', () => {
  const problem = (url: string, allowed: string[] = []) => destinationProblem(new URL(url), allowed);
  assert.equal(problem('https://receiver.example/import'), undefined);
  assert.equal(problem('https://93.184.216.34/import'), undefined);
  assert.deepEqual(problem('http://receiver.example/import'), { code: 'not_https' });
  assert.deepEqual(problem('ftp://receiver.example/import'), { code: 'not_https' });
  assert.deepEqual(problem('https://user:secret@receiver.example/'), { code: 'credentials' });
  for (const [host, bare] of [
    ['10.0.0.1', '10.0.0.1'],
    ['169.254.169.254', '169.254.169.254'],
    ['[::1]', '::1'],
    ['[fd00::1]', 'fd00::1'],
    ['127.0.0.1', '127.0.0.1'],
    ['localhost', 'localhost'],
    ['LOCALHOST', 'localhost'],
  ] as const)
    assert.deepEqual(problem(`https://${host}/import`), { code: 'not_public', host: bare }, host);
  assert.equal(
    problem('https://10.1.2.3/import', ['10.1.2.3']),
    undefined,
    'an allowed host inside the network',
  );
  assert.equal(
    problem('http://127.0.0.1:8080/import', ['127.0.0.1']),
    undefined,
    'plain http to this machine, allowed',
  );
  assert.deepEqual(
    problem('http://10.1.2.3/import', ['10.1.2.3']),
    { code: 'not_https' },
    'plain http elsewhere, never',
  );
  assert.match(
    problemText({ code: 'not_public', host: '10.0.0.1' }),
    /public internet, and 10\.0\.0\.1 is not/,
  );
});

test('C5m.1 a name that resolves to a private address is refused at connection, and nothing is sent', async () => {
  const receiver = await startReceiver(202);
  try {
    const { port } = receiver;
    // destinationProblem refuses "localhost" by name; postTo alone shows the check at connection.
    const url = new URL(`http://localhost:${port}/import`);
    const send = (allowedHosts: string[]) =>
      postTo(url, { headers: {}, body: bytesBody(Buffer.from('{"a":1}')), timeoutMs: 5000, allowedHosts });
    await assert.rejects(
      send([]),
      (error: unknown) => error instanceof OutboundError && error.reason === 'private_address',
    );
    assert.equal(receiver.received.length, 0, 'no connection was made');
    assert.equal(await send(['localhost']), 202, 'an allowed host is reached');
    assert.deepEqual(
      receiver.received.map((r) => r.body),
      ['{"a":1}'],
    );
  } finally {
    await receiver.close();
  }
});

test('C5m.1 a receiver that does not answer in time is a timeout, one that cannot be reached is unreachable', async () => {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const send = (target: number, timeoutMs: number) =>
    postTo(new URL(`http://127.0.0.1:${target}/import`), {
      headers: {},
      body: bytesBody(Buffer.from('{}')),
      timeoutMs,
      allowedHosts: ['127.0.0.1'],
    });
  try {
    await assert.rejects(
      send(port, 300),
      (error: unknown) => error instanceof OutboundError && error.reason === 'timeout',
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await assert.rejects(
    send(port, 5000),
    (error: unknown) => error instanceof OutboundError && error.reason === 'unreachable',
  );
});

test('C5m.1 the connection look-up passes public addresses on in either shape, and refuses a name with any private one', async () => {
  const names: Record<string, LookupAddress[]> = {
    'receiver.example': [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ],
    'rebind.example': [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ],
    'nothing.example': [],
  };
  const lookup = publicOnly((hostname, _options, callback) => callback(null, names[hostname] ?? []));
  const ask = (hostname: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown; family: unknown }>((resolve) =>
      lookup(hostname, { all }, (error, address, family) => resolve({ error, address, family })),
    );
  assert.deepEqual(await ask('receiver.example', false), {
    error: null,
    address: '93.184.216.34',
    family: 4,
  });
  assert.deepEqual(await ask('receiver.example', true), {
    error: null,
    address: names['receiver.example'],
    family: undefined,
  });
  const rebind = await ask('rebind.example', true);
  assert.ok(
    rebind.error instanceof Error && /10\.0\.0\.7/.test(rebind.error.message),
    'one private address is enough',
  );
  assert.equal((await ask('nothing.example', false)).error?.message, 'nothing.example has no address');
});
