/**
 * A request body whose length is known before it is sent. Some receivers (agent frameworks among
 * them) read a chunked body as empty and still answer 200, so Steward sends every body with an
 * exact Content-Length. A body made as a stream (the portability document) is spooled first: in
 * memory while small, then in a temporary file encrypted under a one-time key that never leaves
 * memory (AES-256-CTR), removed once sent. Spooling also means the store has been read to the end
 * before a connection is opened, so a failure while reading never sends a truncated body.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

export interface SizedBody {
  /** Bytes the stream yields, exactly. */
  readonly length: number;
  /** The body, from its first byte; call once. */
  stream(): Readable;
  /** Drops the spooled bytes (the temporary file, if any). */
  remove(): Promise<void>;
}

/** Bodies up to this size stay in memory. */
const MEMORY_BYTES = 1024 * 1024;

/** A body of bytes already in memory. */
export function bytesBody(bytes: Buffer): SizedBody {
  return { length: bytes.length, stream: () => Readable.from([bytes]), remove: () => Promise.resolve() };
}

/** Reads `chunks` to the end and keeps them (see the module comment) until sent. */
export async function spoolBody(chunks: AsyncIterable<Uint8Array>): Promise<SizedBody> {
  const held: Buffer[] = [];
  let length = 0;
  let file: { dir: string; path: string; key: Buffer; iv: Buffer } | undefined;
  let out: ReturnType<typeof createWriteStream> | undefined;
  let cipher: ReturnType<typeof createCipheriv> | undefined;
  try {
    for await (const chunk of chunks) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      length += bytes.length;
      if (out === undefined || cipher === undefined) {
        held.push(Buffer.from(bytes));
        if (length <= MEMORY_BYTES) continue;
        const dir = await mkdtemp(join(tmpdir(), 'steward-body-'));
        file = { dir, path: join(dir, 'body'), key: randomBytes(32), iv: randomBytes(16) };
        out = createWriteStream(file.path, { mode: 0o600 });
        cipher = createCipheriv('aes-256-ctr', file.key, file.iv);
        const spilled = cipher.update(Buffer.concat(held));
        held.length = 0;
        if (!out.write(spilled)) await once(out, 'drain');
      } else if (!out.write(cipher.update(bytes))) {
        await once(out, 'drain');
      }
    }
    if (out !== undefined && cipher !== undefined) {
      out.end(cipher.final());
      await finished(out);
    }
  } catch (error) {
    out?.destroy();
    if (file !== undefined) await rm(file.dir, { recursive: true, force: true });
    throw error;
  }
  if (file === undefined) return bytesBody(Buffer.concat(held, length));
  const { dir, path, key, iv } = file;
  return {
    length,
    stream: () => createReadStream(path).pipe(createDecipheriv('aes-256-ctr', key, iv)),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
