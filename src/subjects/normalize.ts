/**
 * Identifier normalisation: the same person typing the same address twice gets one identifier.
 * Emails are trimmed, NFC-normalised and their domain lower-cased; the local part is kept as
 * typed (RFC 5321 lets servers treat it case-sensitively) and no provider-specific rewriting
 * (dots, plus-tags) is guessed.
 */
export const identifierKinds = ['email', 'phone', 'account', 'customer', 'cookie', 'device'] as const;
export type IdentifierKind = (typeof identifierKinds)[number];

/** Kinds stored only as keyed hashes: Steward never needs their value back. */
export const hashedOnlyKinds: ReadonlySet<IdentifierKind> = new Set(['cookie', 'device']);

export type Normalised = { ok: true; value: string } | { ok: false; reason: string };

const LOCAL = /^[^\s@"(),:;<>[\]\\]{1,64}$/u;
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

export function normaliseEmail(input: string): Normalised {
  const trimmed = input.trim().normalize('NFC');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1)
    return { ok: false, reason: 'is not an email address (it needs text before and after one @)' };
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (!LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { ok: false, reason: 'has a local part (before @) that is not valid' };
  }
  const labels = domain.split('.');
  if (labels.length < 2 || domain.length > 253 || !labels.every((l) => LABEL.test(l))) {
    return { ok: false, reason: 'has a domain (after @) that is not valid' };
  }
  return { ok: true, value: `${local}@${domain}` };
}

/** E.164: a plus sign and 7 to 15 digits; spaces, dots, dashes and brackets are dropped. */
export function normalisePhone(input: string): Normalised {
  const compact = input.trim().replace(/[\s.()-]/g, '');
  const value = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  return /^\+[1-9]\d{6,14}$/.test(value)
    ? { ok: true, value }
    : { ok: false, reason: 'is not a phone number in international form (E.164, such as +46701234567)' };
}

export function normaliseIdentifier(kind: IdentifierKind, input: string): Normalised {
  switch (kind) {
    case 'email':
      return normaliseEmail(input);
    case 'phone':
      return normalisePhone(input);
    default: {
      const value = input.trim().normalize('NFC');
      return value.length > 0 && value.length <= 256
        ? { ok: true, value }
        : { ok: false, reason: 'must be 1 to 256 characters' };
    }
  }
}
