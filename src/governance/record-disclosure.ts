/**
 * The disclosure register (C5.0, C5j.1): every disclosure of personal data to a recipient is
 * logged with the recipient, legal basis, categories and date. A disclosure to a recipient the
 * declaration does not name is refused: nothing is disclosed that the notice did not announce.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { legalBases } from '../policy/schema.js';
import type { DisclosureRow } from '../store/schema.js';
import { transaction } from '../store/transaction.js';

export const recordDisclosureInput = z.strictObject({
  declarationId: z.string().min(1).max(100),
  recipientId: z.string().min(1).max(100),
  legalBasis: z.enum(legalBases),
  categories: z.array(z.string().min(1).max(200)).min(1, 'must name at least one data category'),
  subjectRef: z.string().max(200).optional().describe('Whose data, where it concerns one person'),
  description: z.string().trim().min(1, 'must say what was disclosed and why').max(4000),
  disclosedAt: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }).optional(),
});
export type RecordDisclosureInput = z.input<typeof recordDisclosureInput>;

export interface Disclosure {
  readonly id: string;
  readonly declarationId: string;
  readonly recipientId: string;
  readonly legalBasis: string;
  readonly categories: readonly string[];
  readonly subjectRef: string | null;
  readonly description: string;
  readonly disclosedAt: string;
  readonly recordedBy: string;
}

export async function recordDisclosure(
  ctx: AppContext,
  actor: Actor,
  input: RecordDisclosureInput,
): Promise<Disclosure> {
  requirePermission(actor, 'disclosures:write');
  const data = recordDisclosureInput.parse(input);
  const active = ctx.policies.get(data.declarationId);
  if (active === undefined) throw notFound(`Declaration "${data.declarationId}"`);
  const recipient = active.model.declaration.recipients.find((r) => r.id === data.recipientId);
  if (recipient === undefined) {
    throw new AppError(
      'undeclared_recipient',
      `Recipient "${data.recipientId}" is not declared in "${data.declarationId}"; declare it and publish a new version before disclosing.`,
      [{ path: 'recipientId', message: 'not a declared recipient' }],
    );
  }
  const unknown = data.categories.filter((c) => !active.model.hasCategory(c));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `Unknown data categories: ${unknown.join(', ')}.`, [
      { path: 'categories', message: 'not in the taxonomy' },
    ]);
  }
  const now = ctx.clock.now().toISOString();
  const row = {
    id: randomUUID(),
    declaration_id: data.declarationId,
    recipient_id: data.recipientId,
    legal_basis: data.legalBasis,
    categories: JSON.stringify(data.categories),
    subject_ref: data.subjectRef ?? null,
    description: data.description,
    disclosed_at: data.disclosedAt ?? now,
    recorded_by: actorRef(actor),
    recorded_at: now,
  };
  await transaction(ctx.store, async (tx) => {
    await tx.insertInto('disclosures').values(row).execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: row.recorded_by,
      action: 'disclosure.recorded',
      target: `recipient:${data.recipientId}`,
      details: { id: row.id, legalBasis: data.legalBasis, categories: data.categories },
    });
  });
  return toDisclosure(row);
}

function toDisclosure(row: DisclosureRow): Disclosure {
  return {
    id: row.id,
    declarationId: row.declaration_id,
    recipientId: row.recipient_id,
    legalBasis: row.legal_basis,
    categories: JSON.parse(row.categories) as string[],
    subjectRef: row.subject_ref,
    description: row.description,
    disclosedAt: row.disclosed_at,
    recordedBy: row.recorded_by,
  };
}

export async function listDisclosures(
  ctx: AppContext,
  actor: Actor,
  filter: { subjectRef?: string; recipientId?: string } = {},
): Promise<Disclosure[]> {
  requirePermission(actor, 'disclosures:read');
  let query = ctx.store.db.selectFrom('disclosures').selectAll().orderBy('disclosed_at', 'desc').limit(1000);
  if (filter.subjectRef !== undefined) query = query.where('subject_ref', '=', filter.subjectRef);
  if (filter.recipientId !== undefined) query = query.where('recipient_id', '=', filter.recipientId);
  return (await query.execute()).map(toDisclosure);
}
