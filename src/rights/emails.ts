/**
 * The messages a requester receives: the code (which also acknowledges receipt), the extension
 * notice, completion (with a link to the result where there is one) and refusal. Each goes only
 * to contact details already on file and verified, through the outbox. Every message that
 * closes or delays a request names the supervisory authority and the right to complain (C9.7).
 * The words are the catalogs' `email.*` messages.
 */
import { unseal } from '../capture/sealed.js';
import type { AppContext } from '../context.js';
import { sendMail } from '../consent/mailer.js';
import type { Declaration } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import type { RequestRow } from './model.js';
import { messagesFor } from '../i18n/declaration.js';
import { catalogLanguage, isMessageKey, messages } from '../i18n/messages.js';

/** A language Steward ships a catalog for (`shippedLanguages`). */
type Lang = string;

/** The language a request is answered in, and what the requester asked for if it could not be. */
export interface RequestLanguage {
  readonly lang: Lang;
  /** The language asked for, where the declaration does not offer it (or Steward has no wording). */
  readonly asked?: string;
}

/**
 * The language to write to a requester in: the one they asked in, where the declaration offers it
 * and Steward has wording in it; otherwise the declaration's first language that Steward has
 * wording in, with what was asked kept (`asked`) so the fallback can be logged and shown. Lint
 * refuses a declared language without a catalog, so the last resort (English) is for declarations
 * loaded without lint.
 */
export function requestLanguage(declaration: Declaration, wanted: string | undefined): RequestLanguage {
  const offered = declaration.languages
    .map((l) => catalogLanguage(l))
    .filter((l): l is string => l !== undefined);
  const asked = wanted === undefined ? undefined : catalogLanguage(wanted);
  if (asked !== undefined && offered.includes(asked)) return { lang: asked };
  const lang = offered[0] ?? 'en';
  return wanted === undefined || wanted === lang ? { lang } : { lang, asked: wanted };
}

export function languageOf(declaration: Declaration, wanted: string | undefined): Lang {
  return requestLanguage(declaration, wanted).lang;
}

/** The language a request's requester is written to in (kept with the request's claims). */
export function requesterLanguage(
  ctx: Pick<AppContext, 'policies' | 'keys'>,
  request: Pick<RequestRow, 'declaration_id' | 'claims'>,
): Lang {
  const active = ctx.policies.get(request.declaration_id);
  const claims = unseal(ctx.keys.records, request.claims) as { language?: string };
  return active === undefined ? 'en' : languageOf(active.model.declaration, claims.language);
}

/** The request type in words ("a copy of your data"), or its code for a type without words. */
function typeName(type: string, lang: Lang): string {
  const key = `email.requestType.${type}`;
  return isMessageKey(key) ? messages(lang).format(key) : type;
}

/** The right to complain, with the authority's details from the declaration (C9.7). */
export function complaintText(declaration: Declaration, lang: Lang): string {
  const a = declaration.controller.supervisoryAuthority;
  const contact = [a.website, a.email, a.phone].filter(Boolean).join(', ');
  return messagesFor(declaration, lang).format('email.complaint', { authority: a.name, contact });
}

function controllerName(declaration: Declaration): string {
  return declaration.controller.shortName ?? declaration.controller.name;
}

function signOff(declaration: Declaration, lang: Lang): string {
  return messagesFor(declaration, lang).format('email.signOff', { controller: controllerName(declaration) });
}

interface Base {
  readonly to: string;
  readonly declaration: Declaration;
  readonly lang: Lang;
  readonly reference: string;
  readonly type: string;
}

type Ctx = Pick<AppContext, 'store' | 'config' | 'clock' | 'log' | 'keys'>;

export async function sendCodeEmail(
  ctx: Ctx,
  m: Base & { code: string; minutes: number; statusUrl: string; purpose: 'verify' | 'download' },
): Promise<void> {
  const t = messagesFor(m.declaration, m.lang);
  const text = t.format('email.code.body', {
    purpose: m.purpose,
    reference: m.reference,
    what: typeName(m.type, m.lang),
    code: m.code,
    minutes: String(m.minutes),
    statusUrl: m.statusUrl,
    signOff: signOff(m.declaration, m.lang),
  });
  await sendMail(ctx, {
    to: m.to,
    subject: t.format('email.code.subject', { reference: m.reference }),
    text,
    kind: 'rights_code',
    secrets: [m.code],
  });
}

export async function sendExtensionEmail(
  ctx: Ctx,
  m: Base & { reasons: string; newDeadline: string },
): Promise<void> {
  const t = messagesFor(m.declaration, m.lang);
  const text = t.format('email.extension.body', {
    reference: m.reference,
    date: m.newDeadline.slice(0, 10),
    reasons: m.reasons,
    complaint: complaintText(m.declaration, m.lang),
    signOff: signOff(m.declaration, m.lang),
  });
  await sendMail(ctx, {
    to: m.to,
    subject: t.format('email.extension.subject', { reference: m.reference }),
    text,
    kind: 'rights_extension',
    secrets: [],
  });
}

export async function sendCompletionEmail(
  ctx: Ctx,
  m: Base & { summary: readonly string[]; resultUrl?: string; expiresAt?: string },
): Promise<void> {
  const t = messagesFor(m.declaration, m.lang);
  const link =
    m.resultUrl === undefined
      ? ''
      : `\n\n${t.format('email.completion.link', { date: m.expiresAt?.slice(0, 10) ?? '', url: m.resultUrl })}`;
  const text = t.format('email.completion.body', {
    reference: m.reference,
    what: typeName(m.type, m.lang),
    summary: m.summary.map((line) => `- ${line}`).join('\n'),
    link,
    complaint: complaintText(m.declaration, m.lang),
    signOff: signOff(m.declaration, m.lang),
  });
  await sendMail(ctx, {
    to: m.to,
    subject: t.format('email.completion.subject', { reference: m.reference }),
    text,
    kind: 'rights_completed',
    secrets: [],
  });
}

/**
 * Part of an erasure waits (an order not yet delivered) or is refused (a payment pending): each
 * line names the purpose, the condition and when it ends; the rest goes ahead. Sent when the
 * request is planned; the completion email follows.
 */
export async function sendConditionsEmail(
  ctx: Ctx,
  m: Base & { lines: readonly string[]; dueAt: string },
): Promise<void> {
  const t = messagesFor(m.declaration, m.lang);
  const text = t.format('email.conditions.body', {
    reference: m.reference,
    lines: m.lines.map((line) => `- ${line}`).join('\n'),
    date: m.dueAt.slice(0, 10),
    complaint: complaintText(m.declaration, m.lang),
    signOff: signOff(m.declaration, m.lang),
  });
  await sendMail(ctx, {
    to: m.to,
    subject: t.format('email.conditions.subject', { reference: m.reference }),
    text,
    kind: 'rights_conditions',
    secrets: [],
  });
}

export async function sendRefusalEmail(ctx: Ctx, m: Base & { reasons: string }): Promise<void> {
  const t = messagesFor(m.declaration, m.lang);
  const text = t.format('email.refusal.body', {
    reference: m.reference,
    what: typeName(m.type, m.lang),
    reasons: m.reasons,
    complaint: complaintText(m.declaration, m.lang),
    signOff: signOff(m.declaration, m.lang),
  });
  await sendMail(ctx, {
    to: m.to,
    subject: t.format('email.refusal.subject', { reference: m.reference }),
    text,
    kind: 'rights_refused',
    secrets: [],
  });
}

/** The Provider's name and contact, for a request about a service run on a Provider's behalf (C1.2). */
export function providerText(
  declaration: Declaration,
  serviceId: string,
  lang: Lang,
): { name: string; contact: string | null; text: string } {
  const service = declaration.services.find((s) => s.id === serviceId);
  const provider = service?.provider;
  const name =
    provider?.name ?? (provider?.kind === 'customer' ? messages(lang).format('email.provider.customer') : '');
  const extra = localise(provider?.description, lang);
  const serviceName = service?.name ?? serviceId;
  const said = messages(lang).format('email.provider.text', {
    controller: controllerName(declaration),
    service: serviceName,
    provider: name,
  });
  const text = extra ? `${said} ${extra}` : said;
  return { name, contact: provider?.contact ?? null, text };
}
