/**
 * The masking strategies of `dataset.ts` (`Mask`) applied to one value, and the default
 * strategy of a field. Pure apart from the CSPRNG of `random`.
 *
 * - `null`, `fixed` ("[erased]" unless given), `keep`: the same value for every row, so the SQL
 *   core writes them with one set-based statement (`isSetBased`).
 * - `random`: same length, from node's CSPRNG; a new value every time.
 * - `hash`: HMAC-SHA-256 hex under `MaskKeys.hash`: the same input gives the same output, in
 *   every collection and system masked with the same key, so joins on the masked value still
 *   match; cut to the column's declared length when that is shorter than 64.
 * - `format`: the value's shape kept (letters stay letters of the same case, digits stay digits,
 *   everything else stays), the characters drawn from an HMAC keystream of the input: distinct
 *   inputs give distinct outputs with overwhelming probability (unique indexes keep working) and
 *   the same input the same output. An email stays a valid address, `@` and dots kept, whose last
 *   label becomes `invalid` (RFC 2606) so a masked address can never reach anyone. A number stays
 *   a number with as many digits; a date keeps its year.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FieldValue, MaskKeys } from './contract.js';
import type { DatasetField, Mask, MaskStrategy } from './dataset.js';
import { isPersonal } from './dataset.js';

/** The text a `fixed` mask writes when it names none. */
export const ERASED = '[erased]';

export const strategyOf = (mask: Mask): MaskStrategy => (typeof mask === 'string' ? mask : mask.strategy);

/** The strategies that write one value for every row (or none), so one UPDATE serves any number of rows. */
export const isSetBased = (mask: Mask): boolean => {
  const s = strategyOf(mask);
  return s === 'null' || s === 'fixed' || s === 'keep';
};

/** The value a set-based mask writes (`keep` has none: the field is left out of the statement). */
export function setValue(mask: Mask): FieldValue {
  if (typeof mask !== 'string') return mask.value;
  return mask === 'fixed' ? ERASED : null;
}

/**
 * The default strategy of a field that names none:
 * - not personal: `keep`;
 * - an email identity: `format` (unique indexes and format checks keep working, and the masked
 *   address no longer matches anyone's, nor can receive mail);
 * - any other identity (phone, account, customer number): `hash` (stays unique, still joins
 *   across systems masked with the same key, never equals a real identifier);
 * - a column known to be nullable: `null`;
 * - otherwise, as NOT NULL columns never get NULL: `format` for numbers and dates (a type that
 *   accepts no text), `fixed` for text.
 */
export function defaultMask(field: DatasetField): Mask {
  if (!isPersonal(field)) return 'keep';
  if (field.identity === 'email') return 'format';
  if (field.identity !== undefined) return 'hash';
  if (field.nullable === true) return 'null';
  const type = field.type?.toLowerCase() ?? '';
  if (/int|num|dec|real|float|double|serial|date|time|year/.test(type)) return 'format';
  return 'fixed';
}

/** The masked form of one value. NULL stays NULL whatever the strategy. */
export function maskValue(value: FieldValue, mask: Mask, keys: MaskKeys, field?: DatasetField): FieldValue {
  const strategy = strategyOf(mask);
  if (strategy === 'keep') return value;
  if (strategy === 'null' || strategy === 'fixed') return setValue(mask);
  if (value === null) return null;
  if (strategy === 'hash') return hashValue(value, keys, field);
  const source: Source = strategy === 'random' ? randomSource() : keystream(formatKey(keys), bytesOf(value));
  return reshape(value, source, strategy === 'format');
}

function hashValue(value: Exclude<FieldValue, null>, keys: MaskKeys, field?: DatasetField): FieldValue {
  const mac = createHmac('sha256', keys.hash).update(bytesOf(value)).digest();
  if (value instanceof Uint8Array) return mac;
  const hex = mac.toString('hex');
  const length = declaredLength(field);
  return length !== undefined && length < hex.length ? hex.slice(0, length) : hex;
}

/** The length a text column's type declares (`varchar(20)`, `character varying(20)`, `char(8)`). */
function declaredLength(field?: DatasetField): number | undefined {
  const match = /(char|text|string)[^(]*\((\d+)\)/i.exec(field?.type ?? '');
  return match?.[2] === undefined ? undefined : Number(match[2]);
}

function bytesOf(value: Exclude<FieldValue, null>): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (value instanceof Date) return Buffer.from(value.toISOString());
  return Buffer.from(String(value));
}

const formatKeys = new WeakMap<Buffer, Buffer>();

/** A key of its own for `format`, so its keystream never equals a `hash` output. */
function formatKey(keys: MaskKeys): Buffer {
  let key = formatKeys.get(keys.hash);
  if (key === undefined) {
    key = createHmac('sha256', keys.hash).update('steward:mask:format').digest();
    formatKeys.set(keys.hash, key);
  }
  return key;
}

/** Unbiased choices in [0, n) from a stream of bytes (rejection sampling). */
interface Source {
  below(n: number): number;
}

function fromBytes(next: () => Buffer): Source {
  let buffer: Buffer = Buffer.alloc(0);
  let at = 0;
  const byte = (): number => {
    if (at >= buffer.length) {
      buffer = next();
      at = 0;
    }
    return buffer[at++]!;
  };
  return {
    below(n) {
      // One byte serves up to 256 choices; more take four (a date's day of the year).
      const span = n <= 256 ? 256 : 2 ** 32;
      const limit = span - (span % n);
      for (;;) {
        const drawn = n <= 256 ? byte() : ((byte() << 24) | (byte() << 16) | (byte() << 8) | byte()) >>> 0;
        if (drawn < limit) return drawn % n;
      }
    },
  };
}

const randomSource = (): Source => fromBytes(() => randomBytes(64));

/** HMAC-SHA-256 in counter mode over the input: deterministic, unpredictable without the key. */
function keystream(key: Buffer, input: Buffer): Source {
  let counter = 0;
  return fromBytes(() => {
    const block = Buffer.alloc(4);
    block.writeUInt32BE(counter++);
    return createHmac('sha256', key).update(block).update(input).digest();
  });
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const ALNUM = LOWER + UPPER + '0123456789';

/** A date or date-time as text (`2024-03-05`, `2024-03-05T10:00:00Z`), as drivers hand them over. */
const ISO_DATE = /^(\d{4})-(\d\d)-(\d\d)(?=$|[T ]\d\d:\d\d)/;

function reshape(value: Exclude<FieldValue, null>, source: Source, keepShape: boolean): FieldValue {
  if (typeof value === 'string' && keepShape && ISO_DATE.test(value)) return formatDateText(value, source);
  if (typeof value === 'string') return keepShape ? formatText(value, source) : randomText(value, source);
  if (typeof value === 'number') return Number(digitsOf(String(value), source));
  if (typeof value === 'bigint') return BigInt(digitsOf(value.toString(), source));
  if (typeof value === 'boolean') return source.below(2) === 1;
  if (value instanceof Date) {
    const start = Date.UTC(value.getUTCFullYear(), 0, 1);
    const day = 86_400_000;
    const days = (Date.UTC(value.getUTCFullYear() + 1, 0, 1) - start) / day;
    const timeOfDay = ((value.getTime() % day) + day) % day;
    return new Date(start + source.below(days) * day + timeOfDay);
  }
  const out = Buffer.alloc(value.length);
  for (let i = 0; i < out.length; i++) out[i] = source.below(256);
  return out;
}

/** Another day of the same year, the time of day and the rest of the text kept, so the column still accepts it. */
function formatDateText(value: string, source: Source): string {
  const year = Number(value.slice(0, 4));
  const start = Date.UTC(year, 0, 1);
  const days = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  const day = new Date(start + source.below(days) * 86_400_000).toISOString().slice(0, 10);
  return `${String(year).padStart(4, '0')}${day.slice(4)}${value.slice(10)}`;
}

/** Random letters and digits, as many characters as the value has. */
function randomText(value: string, source: Source): string {
  let out = '';
  for (let i = Array.from(value).length; i > 0; i--) out += ALNUM[source.below(ALNUM.length)];
  return out;
}

function formatText(value: string, source: Source): string {
  const at = value.lastIndexOf('@');
  if (at > 0 && at < value.length - 1 && !/\s/.test(value)) {
    const local = formatChars(value.slice(0, at), source);
    const labels = value.slice(at + 1).split('.');
    const domain = labels.map((label, i) =>
      i === labels.length - 1 && labels.length > 1 ? 'invalid' : formatChars(label, source),
    );
    return `${local}@${domain.join('.')}`;
  }
  return formatChars(value, source);
}

/** Letters to letters of the same case (caseless letters to lower case), digits to digits, the rest kept. */
function formatChars(text: string, source: Source): string {
  let out = '';
  for (const ch of text) {
    if (/\p{Lu}/u.test(ch)) out += UPPER[source.below(26)];
    else if (/\p{L}/u.test(ch)) out += LOWER[source.below(26)];
    else if (/\p{Nd}/u.test(ch)) out += String(source.below(10));
    else out += ch;
  }
  return out;
}

/** A number's digits replaced, its sign, point and digit count kept (no new leading zero). */
function digitsOf(text: string, source: Source): string {
  let leading = true;
  let out = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      out += leading && ch !== '0' ? String(1 + source.below(9)) : String(source.below(10));
      leading = false;
    } else {
      out += ch;
      if (ch === '.') leading = false;
    }
  }
  return out;
}
