/**
 * Outgoing mail. With STEWARD_SMTP_URL set, messages go out through nodemailer; without it they
 * wait in the development outbox, so the embedded start needs no mail server. Every marketing
 * message carries RFC 2369 `List-Unsubscribe` (a signed HTTPS link and a mailto) and RFC 8058
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (C4a.6).
 *
 * A message may carry bearer secrets: a code, a result link, a confirmation or preference link.
 * Whoever reads them back can act as the person, so the outbox never keeps them readable: the
 * stored copy has every declared secret and every token in a link to Steward removed. Once SMTP
 * has accepted a message only what delivery and proof need stays (addresses, subject, headers
 * without tokens, a digest of what was sent). In the development outbox the whole message is also
 * kept sealed, readable only with the personal `outbox:reveal` permission, one audited read at a time.
 */
import { createHash, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { AppContext } from '../context.js';
import type { Store } from '../store/database.js';
import { seal } from '../capture/sealed.js';
import { signToken } from './tokens.js';

export interface OutgoingMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** `marketing`, `transactional`, or a system kind such as `confirmation`. */
  readonly kind: string;
  readonly communicationId?: string;
  readonly headers?: Record<string, string>;
  /** Display name and address; a name may hold commas (it is quoted on the wire). */
  readonly from?: { readonly name: string; readonly address: string };
  /**
   * Every bearer secret the message carries (codes, tokens): sent, never stored readable. Say
   * `[]` for a message without any; tokens in links to Steward are removed even if not listed.
   */
  readonly secrets: readonly string[];
}

/** What replaces a secret in the stored copy of a message. */
export const REDACTED = '[removed]';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text without its secrets: each declared one, and in every link to Steward's public address
 * (and in mailto subjects) any query, fragment or path segment long enough to be a token.
 */
export function redactSecrets(text: string, secrets: readonly string[], publicUrl: string): string {
  let out = text;
  for (const secret of [...secrets].filter((x) => x.length > 0).sort((a, b) => b.length - a.length))
    out = out.split(secret).join(REDACTED);
  const steward = new RegExp(`${escapeRegExp(publicUrl.replace(/\/+$/, ''))}(/[^\\s<>"')]*)?`, 'g');
  out = out.replace(steward, (url: string, path: string | undefined) => {
    if (path === undefined) return url;
    const bare = path.replace(/[?#].*$/, '');
    const kept = bare
      .split('/')
      .map((segment) => (segment.length >= 16 ? REDACTED : segment))
      .join('/');
    return url.slice(0, url.length - path.length) + kept + (bare.length < path.length ? `#${REDACTED}` : '');
  });
  return out.replace(
    /(mailto:[^\s<>?]+\?subject=)([^\s<>]*)/g,
    (_m, head: string, value: string) =>
      head +
      value
        .split('%20')
        .map((word) => (word.length >= 16 ? REDACTED : word))
        .join('%20'),
  );
}

const transports = new WeakMap<Store, Transporter>();

function transportFor(ctx: Pick<AppContext, 'store' | 'config'>): Transporter | undefined {
  if (ctx.config.smtpUrl === undefined) return undefined;
  let transport = transports.get(ctx.store);
  if (transport === undefined)
    transports.set(ctx.store, (transport = nodemailer.createTransport(ctx.config.smtpUrl)));
  return transport;
}

/** Sends (or keeps in the development outbox) and returns the outbox id; every message leaves a row with its secrets removed. */
export async function sendMail(
  ctx: Pick<AppContext, 'store' | 'config' | 'clock' | 'log' | 'keys'>,
  message: OutgoingMessage,
): Promise<string> {
  const id = randomUUID();
  const from = message.from ?? ctx.config.mailFrom;
  const shownFrom =
    typeof from === 'string' ? from : `"${from.name.replace(/["\\]/g, '')}" <${from.address}>`;
  const transport = transportFor(ctx);
  let error: string | null = null;
  let sentAt: string | null = null;
  if (transport !== undefined) {
    try {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        headers: message.headers ?? {},
      });
      sentAt = ctx.clock.now().toISOString();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      ctx.log.warn({ outbox: id, err: error }, 'sending mail failed');
    }
  }
  const redact = (text: string) => redactSecrets(text, message.secrets, ctx.config.publicUrl);
  const headers = message.headers ?? {};
  // Delivered: the body has done its work; keep the digest as proof of what went out.
  const delivered = sentAt !== null;
  await ctx.store.db
    .insertInto('outbox')
    .values({
      id,
      to_address: message.to,
      from_address: shownFrom,
      subject: redact(message.subject),
      text_body: delivered ? '' : redact(message.text),
      html_body: delivered || message.html === undefined ? null : redact(message.html),
      headers: JSON.stringify(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, redact(v)]))),
      kind: message.kind,
      communication_id: message.communicationId ?? null,
      created_at: ctx.clock.now().toISOString(),
      sent_at: sentAt,
      transport: transport === undefined ? 'outbox' : 'smtp',
      error,
      sealed_message:
        transport === undefined
          ? seal(ctx.keys.records, {
              subject: message.subject,
              text: message.text,
              html: message.html ?? null,
              headers,
            })
          : null,
      body_digest: createHash('sha256')
        .update(JSON.stringify([message.subject, message.text, message.html ?? null, headers]))
        .digest('hex'),
    })
    .execute();
  return id;
}

/** A whole message of the development outbox, as its recipient would read it. */
export interface RevealedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly headers: Record<string, string>;
}

/** The RFC 2369 / RFC 8058 headers for a marketing message to one address of one list. */
export function unsubscribeHeaders(
  ctx: Pick<AppContext, 'config' | 'keys'>,
  target: { identifierId: string; declarationId: string; communicationId: string },
): Record<string, string> {
  const token = signToken(ctx.keys.tokens, 'unsubscribe', {
    i: target.identifierId,
    d: target.declarationId,
    c: target.communicationId,
  });
  const url = `${ctx.config.publicUrl}/u/${token}`;
  const mailto = `mailto:${ctx.config.unsubscribeMailto}?subject=unsubscribe%20${encodeURIComponent(token)}`;
  return {
    'List-Unsubscribe': `<${url}>, <${mailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** A signed link to the preference centre for one address, valid for `days`. */
export function preferencesUrl(
  ctx: Pick<AppContext, 'config' | 'keys' | 'clock'>,
  identifierId: string,
  declarationId: string,
  days = 30,
): string {
  const e = Math.floor(ctx.clock.now().getTime() / 1000) + days * 86_400;
  return `${ctx.config.publicUrl}/preferences/${signToken(ctx.keys.tokens, 'preferences', { i: identifierId, d: declarationId, e })}`;
}
