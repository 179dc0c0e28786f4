/**
 * Sending a communication to one address. Marketing goes only where the suppression check
 * allows, and always carries the RFC 2369/8058 unsubscribe headers (C4a.6); service messages
 * (C4a.10) pass suppression but may not carry marketing content.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { catalogLanguage, messages } from '../i18n/messages.js';
import { CONTROLLER_TENANT, findSubjectId, normaliseAll } from '../subjects/subjects.js';
import { preferencesUrl, sendMail, unsubscribeHeaders } from './mailer.js';
import type { Verdict } from './suppression.js';
import { checkSuppression, communicationOf } from './suppression.js';
import { mayTrack, trackLinks } from './track-clicks.js';

export const sendMessageInput = z.strictObject({
  declarationId: z.string().min(1).max(100),
  communication: z.string().min(1).max(100),
  to: z.string().min(1).max(320),
  jurisdiction: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/)
    .optional(),
  subject: z.string().trim().min(1).max(300),
  text: z.string().min(1).max(200_000),
  html: z.string().max(500_000).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional()
    .describe(
      'The language the message is written in, for the unsubscribe footer (one the declaration offers; default its first)',
    ),
  containsMarketing: z
    .boolean()
    .default(false)
    .describe('Promotional content; never allowed in a service message'),
});

/** The footer's language: the message's own where the declaration offers it, else the declaration's first. */
function footerLanguage(offered: readonly string[], wanted: string | undefined): string {
  const languages = offered.map((l) => catalogLanguage(l)).filter((l) => l !== undefined);
  const asked = wanted === undefined ? undefined : catalogLanguage(wanted);
  return asked !== undefined && languages.includes(asked) ? asked : (languages[0] ?? 'en');
}

export type SendResult =
  { sent: true; outboxId: string; verdict: Verdict } | { sent: false; verdict: Verdict };

export async function sendMessage(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof sendMessageInput>,
): Promise<SendResult> {
  requirePermission(actor, 'messages:send');
  const input = sendMessageInput.parse(raw);
  const communication = communicationOf(ctx, input.declarationId, input.communication);
  if (communication.kind === 'transactional' && input.containsMarketing) {
    throw new AppError(
      'validation_failed',
      `"${communication.id}" is a service message and cannot carry marketing; send it as a marketing communication.`,
      [{ path: 'containsMarketing', message: 'not allowed in a service message' }],
    );
  }
  const [verdict] = await checkSuppression(ctx, {
    declarationId: input.declarationId,
    communication: communication.id,
    addresses: [input.to],
    ...(input.jurisdiction ? { jurisdiction: input.jurisdiction } : {}),
  });
  if (verdict === undefined || !verdict.allowed)
    return { sent: false, verdict: verdict ?? { allowed: false, reason: 'invalid_address' } };
  const [email] = normaliseAll(ctx.keys, [{ kind: 'email', value: input.to }], 'to');
  let headers: Record<string, string> = {};
  let footer = '';
  let text = input.text;
  if (communication.kind === 'marketing' && email !== undefined) {
    const subjectId = await findSubjectId(ctx.store.db, CONTROLLER_TENANT, email);
    const identifier =
      subjectId === undefined
        ? undefined
        : await ctx.store.db
            .selectFrom('identifiers')
            .select('id')
            .where('tenant', '=', CONTROLLER_TENANT)
            .where('kind', '=', 'email')
            .where('lookup', '=', email.lookup)
            .executeTakeFirst();
    if (identifier === undefined) {
      // Opt-out lists may reach addresses Steward has not seen; record the address so its unsubscribe link works.
      throw new AppError(
        'validation_failed',
        'Capture this address first: marketing goes only to addresses Steward can unsubscribe.',
        [{ path: 'to', message: 'unknown address' }],
      );
    }
    const active = ctx.policies.get(input.declarationId);
    if (
      active !== undefined &&
      subjectId !== undefined &&
      (await mayTrack(ctx.store.db, active, communication, subjectId))
    ) {
      text = trackLinks(ctx, text, {
        identifierId: identifier.id,
        declarationId: input.declarationId,
        communicationId: communication.id,
      });
    }
    headers = unsubscribeHeaders(ctx, {
      identifierId: identifier.id,
      declarationId: input.declarationId,
      communicationId: communication.id,
    });
    const t = messages(footerLanguage(active?.model.declaration.languages ?? [], input.language));
    footer = [
      '\n\n--',
      t.format('email.footer.unsubscribe', {
        url: headers['List-Unsubscribe']?.slice(1).split('>')[0] ?? '',
      }),
      t.format('email.footer.preferences', { url: preferencesUrl(ctx, identifier.id, input.declarationId) }),
    ].join('\n');
  }
  const outboxId = await sendMail(ctx, {
    to: email?.value ?? input.to,
    from: { name: communication.sender, address: ctx.config.mailFrom.replace(/^.*<|>.*$/g, '') },
    subject: input.subject,
    text: `${text}${footer}`,
    ...(input.html ? { html: input.html } : {}),
    kind: communication.kind,
    communicationId: communication.id,
    headers,
    // The links that act for the person (unsubscribe, preferences, tracked links) all lead to
    // Steward, whose tokens the mailer removes from the stored copy.
    secrets: [],
  });
  return { sent: true, outboxId, verdict };
}
