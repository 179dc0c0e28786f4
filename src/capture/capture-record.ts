/**
 * Capture: personal data enters Steward only for declared purposes (C3a.1). Each record carries
 * its subject, categories, purposes with their legal basis, source, time and the expiry its
 * retention rules give. What the declaration does not allow is refused before anything is
 * written; a record stating an age under the threshold is refused (C12.1); a record from an
 * indirect source opens a "notice owed" task due within one month (C3b.2).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notInForce } from '../errors.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { LegalBasis, Purpose } from '../policy/schema.js';
import { legalBases } from '../policy/schema.js';
import { categoryCovers } from '../policy/taxonomy.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { identifierKinds } from '../subjects/normalize.js';
import { CONTROLLER_TENANT, normaliseAll, resolveSubject } from '../subjects/subjects.js';
import { addDuration } from '../time.js';
import { consentedPurposes, recordConsentEvents } from '../consent/ledger.js';
import { stoppedPurposes } from '../rights/object-processing.js';
import { purposesMovedByCapture, restartClocks } from '../retention/record-clocks.js';
import { seal } from './sealed.js';
import type { MinimisedField } from './minimise-data.js';
import { minimiseData } from './minimise-data.js';
import { rulesForRecord } from '../policy/minimisation.js';
import { markSuppressionChange } from '../consent/changes.js';
import { countsAsRelationship } from '../policy/lifecycle.js';
import { FREE_FORM_LIMITS, boundedJson } from '../bounded-json.js';

/** Sources whose data the person did not give us themselves: Art. 14 notice is owed. */
export const indirectSourceTypes: ReadonlySet<string> = new Set([
  'third_party',
  'public',
  'group_company',
  'social_network',
]);

const identifier = z.strictObject({ kind: z.enum(identifierKinds), value: z.string().min(1).max(512) });

export const captureInput = z.strictObject({
  declarationId: z.string().min(1).max(100),
  subject: z.strictObject({
    identifiers: z.array(identifier).min(1, 'must name at least one identifier').max(20),
    jurisdiction: z
      .string()
      .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be a country code such as SE')
      .optional(),
  }),
  /** For data held as processor: the service and the Provider whose partition it goes to. */
  service: z.string().max(100).optional(),
  provider: z.string().min(1).max(200).optional(),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be a short snake_case word such as form_submission')
    .describe(
      'What happened: form_submission, site_search, partner_account, support_interaction, survey_answer, ...',
    ),
  purposes: z.array(z.string().max(100)).max(20).default([]),
  categories: z.array(z.string().max(200)).min(1, 'must name at least one data category').max(50),
  source: z.string().min(1).max(100),
  collectionPoint: z.string().max(100).optional(),
  legalBasis: z.enum(legalBases).optional().describe('If given, must be the basis the declaration sets'),
  data: boundedJson(z.record(z.string(), z.unknown()))
    .default({})
    .describe(
      `Free-form fields; at most ${FREE_FORM_LIMITS.depth} levels deep, ${FREE_FORM_LIMITS.entries} fields and items, texts of ${FREE_FORM_LIMITS.textLength} characters`,
    ),
  statedAge: z.number().int().min(0).max(150).optional(),
  birthDate: z.iso.date({ message: 'must be a date written YYYY-MM-DD' }).optional(),
  collectedAt: z.iso.datetime({ message: 'must be an ISO 8601 date-time', offset: true }).optional(),
  consent: z
    .strictObject({
      noticeHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 (hex) of the notice text shown'),
      element: z.string().max(200).optional(),
      channel: z.string().max(50).default('web_form'),
    })
    .optional()
    .describe('Evidence that consent was given with this submission, for consent-based purposes'),
});
export type CaptureInput = z.input<typeof captureInput>;

export interface CapturedRecord {
  readonly id: string;
  readonly subjectId: string;
  readonly tenant: string;
  readonly purposes: readonly { id: string; basis: LegalBasis | null }[];
  readonly expiresAt: string | null;
  readonly noticeOwed: boolean;
  /** Fields the declaration's minimisation rules reduced before the record was stored, and how. */
  readonly minimised: readonly MinimisedField[];
}

/** Age in whole years on `at`. */
function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age;
}

function statedAgeOf(input: z.infer<typeof captureInput>, at: Date): number | undefined {
  if (input.statedAge !== undefined) return input.statedAge;
  const birth = input.birthDate ?? input.data['birthDate'] ?? input.data['dateOfBirth'];
  if (typeof birth === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(birth)) return ageOn(birth, at);
  const age = input.data['age'];
  return typeof age === 'number'
    ? age
    : typeof age === 'string' && /^\d{1,3}$/.test(age)
      ? Number(age)
      : undefined;
}

interface Plan {
  readonly tenant: string;
  readonly purposes: readonly { purpose: Purpose | undefined; id: string; basis: LegalBasis | null }[];
  readonly sourceType: string;
}

/** Checks the input against the declaration; throws naming every problem, or returns the plan. */
export function planCapture(active: ActiveDeclaration, input: z.infer<typeof captureInput>): Plan {
  const { model } = active;
  const d = model.declaration;
  const problems: { path: string; message: string }[] = [];
  const jurisdiction = input.subject.jurisdiction ?? 'default';

  let tenant = CONTROLLER_TENANT;
  if (input.service !== undefined) {
    const service = d.services.find((s) => s.id === input.service);
    if (service === undefined)
      problems.push({ path: 'service', message: `service "${input.service}" is not declared` });
    else if (service.role === 'processor') {
      if (input.provider === undefined)
        problems.push({
          path: 'provider',
          message: `service "${service.id}" is run as processor: name the Provider whose data this is`,
        });
      tenant = `${service.id}:${input.provider ?? ''}`;
      if (input.purposes.length > 0) {
        problems.push({
          path: 'purposes',
          message: `data of processor-role service "${service.id}" is processed only on its Provider's instructions, never for our purposes`,
        });
      }
    }
  }
  if (tenant === CONTROLLER_TENANT && input.purposes.length === 0)
    problems.push({ path: 'purposes', message: 'must name at least one declared purpose' });

  const purposes = input.purposes.map((id, i) => {
    const purpose = model.purposes.get(id);
    if (purpose === undefined) {
      problems.push({ path: `purposes[${i}]`, message: `purpose "${id}" is not declared in "${d.id}"` });
      return { purpose, id, basis: null };
    }
    const basis = model.basisFor(purpose, jurisdiction) ?? null;
    if (basis === null)
      problems.push({
        path: `purposes[${i}]`,
        message: `purpose "${id}" has no legal basis in ${jurisdiction}`,
      });
    if (input.legalBasis !== undefined && basis !== null && input.legalBasis !== basis) {
      problems.push({
        path: 'legalBasis',
        message: `purpose "${id}" rests on ${basis} in ${jurisdiction}, not ${input.legalBasis}`,
      });
    }
    return { purpose, id, basis };
  });

  input.categories.forEach((key, i) => {
    if (!model.hasCategory(key)) {
      problems.push({ path: `categories[${i}]`, message: `data category "${key}" is not in the taxonomy` });
    } else if (
      tenant === CONTROLLER_TENANT &&
      !purposes.some((p) => p.purpose?.categories.some((c) => categoryCovers(c, key)))
    ) {
      problems.push({
        path: `categories[${i}]`,
        message: `no named purpose declares data category "${key}"`,
      });
    }
  });

  const source = d.sources.find((s) => s.id === input.source);
  if (source === undefined)
    problems.push({ path: 'source', message: `source "${input.source}" is not declared` });
  purposes.forEach((p, i) => {
    if (p.purpose?.sources !== undefined && source !== undefined && !p.purpose.sources.includes(source.id)) {
      problems.push({
        path: `purposes[${i}]`,
        message: `purpose "${p.id}" does not declare source "${source.id}"`,
      });
    }
  });
  if (
    input.collectionPoint !== undefined &&
    !d.collectionPoints.some((c) => c.id === input.collectionPoint)
  ) {
    problems.push({
      path: 'collectionPoint',
      message: `collection point "${input.collectionPoint}" is not declared`,
    });
  }
  if (problems.length > 0) {
    throw new AppError(
      'not_declared',
      `The declaration "${d.id}" does not allow this record: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  }

  return { tenant, purposes, sourceType: source?.type ?? 'direct' };
}

/**
 * Refuses a record for a restricted person (Art. 18: their data is only stored, C9.10) or for a
 * purpose they objected to with the objection upheld (Art. 21, C9.3).
 */
async function refuseStopped(
  tx: Tx,
  subject: { id: string; tenant: string },
  declarationId: string,
  purposes: readonly string[],
): Promise<void> {
  const subjectId = subject.id;
  const row = await tx
    .selectFrom('subjects')
    .select('restricted')
    .where('id', '=', subjectId)
    .where('tenant', '=', subject.tenant)
    .executeTakeFirstOrThrow();
  if (row.restricted === 1) {
    throw new AppError(
      'subject_restricted',
      'Processing of this person’s data is restricted at their request: it is only stored, so no new record was taken. The restriction must be lifted first, after telling the person.',
      [{ path: 'subject', message: 'processing restricted' }],
    );
  }
  const stopped = await stoppedPurposes(tx, { subjectId, tenant: subject.tenant, declarationId, purposes });
  if (stopped.length > 0) {
    throw new AppError(
      'objection_upheld',
      `This person objected to ${stopped.join(', ')} and the objection was upheld, so no new record is taken for ${stopped.length > 1 ? 'them' : 'it'}.`,
      stopped.map((p) => ({ path: `purposes[${purposes.indexOf(p)}]`, message: 'objection upheld' })),
    );
  }
}

/**
 * Starts the clocks of a record just captured (C10.1): its own expiry from every rule it falls
 * under, and, where a record for these purposes counts as an interaction, the later expiry of the
 * person's other records it keeps alive. Returns the new record's expiry.
 */
async function startClocks(
  tx: Tx,
  ctx: AppContext,
  record: { declarationId: string; subjectId: string; id: string; input: z.infer<typeof captureInput> },
): Promise<string | null> {
  const { declarationId, subjectId } = record;
  const own = await restartClocks(tx, ctx, { declarationId, subjectId, recordIds: [record.id] });
  const model = ctx.policies.get(declarationId)?.model;
  const moved =
    model === undefined
      ? new Set<string>()
      : purposesMovedByCapture(model, record.input.purposes, record.input.kind);
  const others = await restartClocks(tx, ctx, { declarationId, subjectId, purposes: moved });
  return (others.get(record.id) ?? own.get(record.id))?.expiresAt ?? null;
}

/** Thrown inside the transaction of a dry run, so everything it wrote is rolled back. */
class DryRun extends Error {
  constructor(readonly result: CapturedRecord) {
    super('dry run');
  }
}

/**
 * Captures one record. With `dryRun`, every check runs (including consent on record) inside a
 * transaction that is then rolled back: nothing is kept.
 */
export async function captureRecord(
  ctx: AppContext,
  actor: Actor,
  rawInput: CaptureInput,
  options: {
    dryRun?: boolean;
    /** An import the operator marked as verified: its identifiers are the person's (see resolveSubject). */
    verifiedIdentifiers?: boolean;
  } = {},
): Promise<CapturedRecord> {
  requirePermission(actor, 'subjects:write');
  const input = captureInput.parse(rawInput);
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  const now = ctx.clock.now();
  const collectedAt = input.collectedAt !== undefined ? new Date(input.collectedAt) : now;
  if (collectedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError('validation_failed', 'collectedAt lies in the future.', [
      { path: 'collectedAt', message: 'must not be in the future' },
    ]);
  }
  const threshold = active.model.declaration.children.ageThreshold;
  const age = statedAgeOf(input, collectedAt);
  if (age !== undefined && age < threshold) {
    throw new AppError(
      'child_data_refused',
      `The record states an age of ${age}, under ${threshold}: we do not knowingly collect children's data, so nothing was stored.`,
      [{ path: 'statedAge', message: `under ${threshold}` }],
    );
  }
  const plan = planCapture(active, input);
  const { data, minimised } = minimiseData(
    rulesForRecord(active.model.declaration, input.purposes),
    input.data,
  );
  const identifiers = normaliseAll(ctx.keys, input.subject.identifiers);

  const run = transaction(ctx.store, async (tx) => {
    const subject = await resolveSubject(tx, ctx, {
      tenant: plan.tenant,
      identifiers,
      source: `capture:${input.source}`,
      ...(options.verifiedIdentifiers ? { verifiedBy: 'import' as const } : {}),
      ...(input.subject.jurisdiction ? { jurisdiction: input.subject.jurisdiction } : {}),
    });
    await refuseStopped(tx, { id: subject.subjectId, tenant: plan.tenant }, active.model.id, input.purposes);
    const consentPurposes = plan.purposes.filter((p) => p.basis === 'consent').map((p) => p.id);
    if (consentPurposes.length > 0) {
      if (input.consent !== undefined) {
        await recordConsentEvents(tx, ctx, {
          subjectId: subject.subjectId,
          declaration: active,
          targets: consentPurposes.map((id) => ({ kind: 'purpose' as const, id })),
          event: 'given',
          noticeHash: input.consent.noticeHash,
          channel: input.consent.channel,
          element: input.consent.element ?? input.collectionPoint ?? null,
          jurisdiction: input.subject.jurisdiction ?? null,
          at: collectedAt,
        });
      } else {
        const given = await consentedPurposes(tx, subject.subjectId, active.model.id);
        const missing = consentPurposes.filter((p) => !given.has(p));
        if (missing.length > 0) {
          throw new AppError(
            'consent_required',
            `Purpose${missing.length > 1 ? 's' : ''} ${missing.join(', ')} rest${missing.length > 1 ? '' : 's'} on consent, which this person has not given; send the consent evidence with the record.`,
            [{ path: 'consent', message: 'required for consent-based purposes' }],
          );
        }
      }
    }
    const id = randomUUID();
    await tx
      .insertInto('records')
      .values({
        id,
        subject_id: subject.subjectId,
        tenant: plan.tenant,
        declaration_id: active.model.id,
        declaration_version: active.version.number,
        kind: input.kind,
        purposes: JSON.stringify(plan.purposes.map((p) => ({ id: p.id, basis: p.basis }))),
        categories: JSON.stringify(input.categories),
        source_id: input.source,
        source_type: plan.sourceType,
        collection_point: input.collectionPoint ?? null,
        data: seal(ctx.keys.records, data),
        collected_at: collectedAt.toISOString(),
        expires_at: null,
      })
      .execute();
    const expiry =
      plan.tenant === CONTROLLER_TENANT
        ? await startClocks(tx, ctx, {
            declarationId: active.model.id,
            subjectId: subject.subjectId,
            id,
            input,
          })
        : null;
    if (
      plan.tenant === CONTROLLER_TENANT &&
      countsAsRelationship(active.model.declaration, {
        purposes: plan.purposes.map((p) => p.id),
        collectionPoint: input.collectionPoint ?? null,
      })
    )
      await markSuppressionChange(tx, ctx, subject.subjectId);
    const noticeOwed = indirectSourceTypes.has(plan.sourceType) && plan.tenant === CONTROLLER_TENANT;
    if (noticeOwed) {
      await tx
        .insertInto('notice_tasks')
        .values({
          id: randomUUID(),
          subject_id: subject.subjectId,
          record_id: id,
          declaration_id: active.model.id,
          source_id: input.source,
          due_at: addDuration(collectedAt, 'P1M').toISOString(),
          status: 'open',
          closed_at: null,
          note: null,
          created_at: now.toISOString(),
        })
        .execute();
    }
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'record.captured',
      target: `subject:${subject.subjectId}`,
      details: {
        record: id,
        kind: input.kind,
        purposes: input.purposes,
        source: input.source,
        tenant: plan.tenant || undefined,
        ...(minimised.length > 0 ? { minimised } : {}),
      },
    });
    const result: CapturedRecord = {
      id,
      subjectId: subject.subjectId,
      tenant: plan.tenant,
      purposes: plan.purposes.map((p) => ({ id: p.id, basis: p.basis })),
      expiresAt: expiry,
      noticeOwed,
      minimised,
    };
    if (options.dryRun) throw new DryRun(result);
    return result;
  });
  return run.catch((error: unknown) => {
    if (error instanceof DryRun) return error.result;
    throw error;
  });
}
