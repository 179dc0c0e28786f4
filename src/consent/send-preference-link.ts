/**
 * Emails a person a link to their preference centre (C4a.7): to an address Steward holds, named
 * by its identifier or by the address itself, at most a few per address per hour whoever asks,
 * so the public form cannot flood an inbox. The answer says what happened; the page that calls
 * it answers the same whatever it is, so the form does not reveal which addresses are known.
 */
import type { AppContext } from '../context.js';
import { normaliseEmail } from '../subjects/normalize.js';
import { CONTROLLER_TENANT, lookupOf } from '../subjects/subjects.js';
import type { PageLanguage } from '../server/public-page.js';
import { preferencesUrl, sendMail } from './mailer.js';
import { pageText } from './page-text.js';

export const PREFERENCE_LINK_DAYS = 30;
/** Preference links emailed to one address per hour, whoever asks. */
export const LINKS_PER_ADDRESS_PER_HOUR = 3;

export type SendPreferenceLinkInput = {
  readonly declarationId: string;
  readonly lang: PageLanguage;
} & ({ readonly identifierId: string } | { readonly email: string });

export type SendPreferenceLinkOutcome = 'sent' | 'unknown_address' | 'limited';

/** An email address Steward holds for the controller, by identifier id or by the address. */
export async function heldAddress(
  ctx: AppContext,
  by: { identifierId: string } | { email: string },
): Promise<{ identifierId: string; subjectId: string; value: string } | undefined> {
  let query = ctx.store.db
    .selectFrom('identifiers')
    .select(['id', 'subject_id', 'value'])
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('kind', '=', 'email');
  if ('identifierId' in by) query = query.where('id', '=', by.identifierId);
  else {
    const normalised = normaliseEmail(by.email);
    if (!normalised.ok) return undefined;
    query = query.where('lookup', '=', lookupOf(ctx.keys, 'email', normalised.value));
  }
  const row = await query.executeTakeFirst();
  return row?.value == null
    ? undefined
    : { identifierId: row.id, subjectId: row.subject_id, value: row.value };
}

export async function sendPreferenceLink(
  ctx: AppContext,
  input: SendPreferenceLinkInput,
): Promise<SendPreferenceLinkOutcome> {
  const address = await heldAddress(
    ctx,
    'identifierId' in input ? { identifierId: input.identifierId } : { email: input.email },
  );
  if (address === undefined) return 'unknown_address';
  const since = new Date(ctx.clock.now().getTime() - 3_600_000).toISOString();
  const recent = await ctx.store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_address', '=', address.value)
    .where('kind', '=', 'preferences_link')
    .where('created_at', '>', since)
    .executeTakeFirst();
  if (Number(recent?.n ?? 0) >= LINKS_PER_ADDRESS_PER_HOUR) return 'limited';
  const t = pageText(input.lang);
  const url = preferencesUrl(ctx, address.identifierId, input.declarationId, PREFERENCE_LINK_DAYS);
  await sendMail(ctx, {
    to: address.value,
    kind: 'preferences_link',
    subject: t.mailSubject,
    text: t.mailBody(input.lang === 'en' ? url : `${url}?lang=${input.lang}`, PREFERENCE_LINK_DAYS),
    secrets: [],
  });
  return 'sent';
}
