/**
 * Outgoing mail. With STEWARD_SMTP_URL set, messages go out through nodemailer; without it they
 * are kept in the outbox table, readable in the console, so the embedded start needs no mail
 * server. Every marketing message carries RFC 2369 `List-Unsubscribe` (a signed HTTPS link and a
 * mailto) and RFC 8058 `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (C4a.6).
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { AppContext } from '../context.js';
import type { Store } from '../store/database.js';
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
}

const transports = new WeakMap<Store, Transporter>();

function transportFor(ctx: Pick<AppContext, 'store' | 'config'>): Transporter | undefined {
  if (ctx.config.smtpUrl === undefined) return undefined;
  let transport = transports.get(ctx.store);
  if (transport === undefined)
    transports.set(ctx.store, (transport = nodemailer.createTransport(ctx.config.smtpUrl)));
  return transport;
}

/** Sends (or stores in the outbox) and returns the outbox id. Every message is kept in the outbox as a record of what was sent. */
export async function sendMail(
  ctx: Pick<AppContext, 'store' | 'config' | 'clock' | 'log'>,
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
  await ctx.store.db
    .insertInto('outbox')
    .values({
      id,
      to_address: message.to,
      from_address: shownFrom,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
      headers: JSON.stringify(message.headers ?? {}),
      kind: message.kind,
      communication_id: message.communicationId ?? null,
      created_at: ctx.clock.now().toISOString(),
      sent_at: sentAt,
      transport: transport === undefined ? 'outbox' : 'smtp',
      error,
    })
    .execute();
  return id;
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
