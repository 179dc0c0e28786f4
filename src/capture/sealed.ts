/**
 * Captured data is encrypted at rest with AES-256-GCM under a key derived for this use. The sealed
 * form starts with its key version (`k1.`), so a later key can be introduced while older values
 * stay readable with the key they name.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MAX_JSON_DEPTH } from '../bounded-json.js';
import { AppError } from '../errors.js';

const VERSION = 'k1';

export function seal(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(jsonOf(value), 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

/**
 * `JSON.stringify` recurses: what reaches it is bounded at validation (bounded-json.ts), and a
 * value that still nests too deep for it is refused by name rather than answered with a 500.
 */
function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError)
      throw new AppError('validation_failed', 'The data nests too deep to be stored.', [
        { path: 'data', message: `nests too deep: keep it within ${MAX_JSON_DEPTH} levels` },
      ]);
    throw error;
  }
}

export function unseal(key: Buffer, sealed: string): unknown {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined)
    throw new Error(`Unknown sealed format ${version ?? ''}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(
    Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8'),
  ) as unknown;
}
