/**
 * The messages a requester receives: the code (which also acknowledges receipt), the extension
 * notice, completion (with a link to the result where there is one) and refusal. Each goes only
 * to contact details already on file and verified, through the outbox. Every message that
 * closes or delays a request names the supervisory authority and the right to complain (C9.7).
 */
import type { AppContext } from '../context.js';
import { sendMail } from '../consent/mailer.js';
import type { Declaration } from '../policy/schema.js';
import { localise } from '../policy/text.js';

type Lang = 'en' | 'sv';

export function languageOf(declaration: Declaration, wanted: string | undefined): Lang {
  const lang = wanted ?? declaration.languages[0] ?? 'en';
  return lang.startsWith('sv') && declaration.languages.some((l) => l.startsWith('sv')) ? 'sv' : 'en';
}

const typeNames: Record<Lang, Record<string, string>> = {
  en: {
    access: 'a copy of your data',
    portability: 'your data in a portable format',
    rectification: 'correction of your data',
    erasure: 'erasure of your data',
    restriction: 'restriction of processing',
    objection: 'objection to processing',
    withdrawal: 'withdrawal of consent',
  },
  sv: {
    access: 'en kopia av dina uppgifter',
    portability: 'dina uppgifter i ett flyttbart format',
    rectification: 'rättelse av dina uppgifter',
    erasure: 'radering av dina uppgifter',
    restriction: 'begränsning av behandlingen',
    objection: 'invändning mot behandling',
    withdrawal: 'återkallat samtycke',
  },
};

/** The right to complain, with the authority's details from the declaration (C9.7). */
export function complaintText(declaration: Declaration, lang: Lang): string {
  const a = declaration.controller.supervisoryAuthority;
  const contact = [a.website, a.email, a.phone].filter(Boolean).join(', ');
  return lang === 'sv'
    ? `Du har rätt att klaga hos tillsynsmyndigheten ${a.name} (${contact}).`
    : `You have the right to lodge a complaint with the supervisory authority, ${a.name} (${contact}).`;
}

function controllerName(declaration: Declaration): string {
  return declaration.controller.shortName ?? declaration.controller.name;
}

function signOff(declaration: Declaration, lang: Lang): string {
  return lang === 'sv'
    ? `Vänliga hälsningar\n${controllerName(declaration)}`
    : `Kind regards\n${controllerName(declaration)}`;
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
  const what = typeNames[m.lang][m.type] ?? m.type;
  const text =
    m.lang === 'sv'
      ? `${m.purpose === 'verify' ? `Vi har tagit emot din begäran ${m.reference} om ${what}.` : `Du vill hämta svaret på din begäran ${m.reference}.`}\n\nDin kod: ${m.code}\n\nKoden gäller i ${m.minutes} minuter. Ange den på ${m.statusUrl}\nOm det inte var du som frågade kan du bortse från meddelandet; inget lämnas ut utan koden.\n\n${signOff(m.declaration, m.lang)}`
      : `${m.purpose === 'verify' ? `We have received your request ${m.reference} for ${what}.` : `You asked to download the answer to your request ${m.reference}.`}\n\nYour code: ${m.code}\n\nThe code is valid for ${m.minutes} minutes. Enter it at ${m.statusUrl}\nIf you did not ask, ignore this message: nothing is released without the code.\n\n${signOff(m.declaration, m.lang)}`;
  await sendMail(ctx, {
    to: m.to,
    subject: m.lang === 'sv' ? `Din kod för begäran ${m.reference}` : `Your code for request ${m.reference}`,
    text,
    kind: 'rights_code',
    secrets: [m.code],
  });
}

export async function sendExtensionEmail(
  ctx: Ctx,
  m: Base & { reasons: string; newDeadline: string },
): Promise<void> {
  const date = m.newDeadline.slice(0, 10);
  const text =
    m.lang === 'sv'
      ? `Vi behöver mer tid för din begäran ${m.reference}. Vi svarar senast ${date}.\n\nSkäl: ${m.reasons}\n\n${complaintText(m.declaration, m.lang)}\n\n${signOff(m.declaration, m.lang)}`
      : `We need more time for your request ${m.reference}. We will answer by ${date} at the latest.\n\nWhy: ${m.reasons}\n\n${complaintText(m.declaration, m.lang)}\n\n${signOff(m.declaration, m.lang)}`;
  await sendMail(ctx, {
    to: m.to,
    subject: m.lang === 'sv' ? `Förlängd svarstid: ${m.reference}` : `More time needed: ${m.reference}`,
    text,
    kind: 'rights_extension',
    secrets: [],
  });
}

export async function sendCompletionEmail(
  ctx: Ctx,
  m: Base & { summary: readonly string[]; resultUrl?: string; expiresAt?: string },
): Promise<void> {
  const what = typeNames[m.lang][m.type] ?? m.type;
  const link =
    m.resultUrl === undefined
      ? ''
      : m.lang === 'sv'
        ? `\n\nHämta svaret här (länken fungerar en gång, till ${m.expiresAt?.slice(0, 10)}; du får en kod när du öppnar den):\n${m.resultUrl}`
        : `\n\nCollect the answer here (the link works once, until ${m.expiresAt?.slice(0, 10)}; you will get a code when you open it):\n${m.resultUrl}`;
  const body = m.summary.map((line) => `- ${line}`).join('\n');
  const text =
    m.lang === 'sv'
      ? `Vi har hanterat din begäran ${m.reference} om ${what}.\n\n${body}${link}\n\n${complaintText(m.declaration, m.lang)}\n\n${signOff(m.declaration, m.lang)}`
      : `We have dealt with your request ${m.reference} for ${what}.\n\n${body}${link}\n\n${complaintText(m.declaration, m.lang)}\n\n${signOff(m.declaration, m.lang)}`;
  await sendMail(ctx, {
    to: m.to,
    subject: m.lang === 'sv' ? `Din begäran ${m.reference} är klar` : `Your request ${m.reference} is done`,
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
  const body = m.lines.map((line) => `- ${line}`).join('\n');
  const date = m.dueAt.slice(0, 10);
  const text =
    m.lang === 'sv'
      ? `Vi raderar nu dina uppgifter enligt din begäran ${m.reference}, utom följande, av de skäl som anges (förklaringarna är på engelska):\n\n${body}\n\nVi svarar senast ${date} och berättar då vad som har raderats.\n\n${complaintText(m.declaration, m.lang)}\n\n${signOff(m.declaration, m.lang)}`
      : `We are erasing your data as you asked in request ${m.reference}, except for the following, for the reasons given:\n\n${body}\n\nWe will answer by ${date} at the latest and tell you then what was erased.\n\n${complaintText(m.declaration, m.lang)}\n\n${signOff(m.declaration, m.lang)}`;
  await sendMail(ctx, {
    to: m.to,
    subject:
      m.lang === 'sv'
        ? `Del av din begäran ${m.reference} väntar`
        : `Part of your request ${m.reference} waits`,
    text,
    kind: 'rights_conditions',
    secrets: [],
  });
}

export async function sendRefusalEmail(ctx: Ctx, m: Base & { reasons: string }): Promise<void> {
  const what = typeNames[m.lang][m.type] ?? m.type;
  const text =
    m.lang === 'sv'
      ? `Vi kan inte tillmötesgå din begäran ${m.reference} om ${what}.\n\nSkäl: ${m.reasons}\n\n${complaintText(m.declaration, m.lang)} Du kan också gå till domstol.\n\n${signOff(m.declaration, m.lang)}`
      : `We cannot grant your request ${m.reference} for ${what}.\n\nWhy: ${m.reasons}\n\n${complaintText(m.declaration, m.lang)} You may also seek a judicial remedy.\n\n${signOff(m.declaration, m.lang)}`;
  await sendMail(ctx, {
    to: m.to,
    subject:
      m.lang === 'sv' ? `Beslut om din begäran ${m.reference}` : `Decision on your request ${m.reference}`,
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
    provider?.name ??
    (provider?.kind === 'customer'
      ? lang === 'sv'
        ? 'organisationen som använder tjänsten'
        : 'the organisation that uses the service'
      : '');
  const extra = localise(provider?.description, lang);
  const serviceName = service?.name ?? serviceId;
  const text =
    lang === 'sv'
      ? `${controllerName(declaration)} behandlar uppgifterna i ${serviceName} för ${name}s räkning. ${name} är personuppgiftsansvarig och besvarar begäran; vi har skickat den vidare.${extra ? ` ${extra}` : ''}`
      : `${controllerName(declaration)} processes the data in ${serviceName} on behalf of ${name}, who is the controller and answers the request; we have passed it on.${extra ? ` ${extra}` : ''}`;
  return { name, contact: provider?.contact ?? null, text };
}
