import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { spoolBody } from './sized-body.js';

const spooled = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('steward-body-')));

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts);
}

test('a spooled body gives back its bytes with their exact length, in memory or from an encrypted file', async () => {
  for (const size of [0, 10, 1024 * 1024, 3 * 1024 * 1024 + 7]) {
    const data = randomBytes(size);
    const before = spooled();
    const body = await spoolBody(
      (async function* chunks() {
        for (let at = 0; at < data.length; at += 65_536) yield data.subarray(at, at + 65_536);
      })(),
    );
    assert.equal(body.length, size);
    const created = [...spooled()].filter((n) => !before.has(n));
    assert.equal(created.length, size > 1024 * 1024 ? 1 : 0, `spilled to a file only past 1 MiB (${size})`);
    assert.ok(Buffer.compare(await read(body.stream()), data) === 0);
    await body.remove();
    for (const name of created) assert.equal(existsSync(`${tmpdir()}/${name}`), false, 'removed once sent');
  }
});

test('a body that fails while it is read leaves no file behind', async () => {
  const before = spooled();
  await assert.rejects(
    spoolBody(
      (async function* chunks() {
        yield randomBytes(2 * 1024 * 1024);
        throw new Error('the store went away');
      })(),
    ),
    /the store went away/,
  );
  assert.deepEqual(
    [...spooled()].filter((n) => !before.has(n)),
    [],
  );
});
