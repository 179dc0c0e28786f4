/**
 * Recording consent for purposes and cookie categories through the API, and exporting a
 * person's consents as ISO/IEC TS 27560-style records and Kantara Consent Receipt-style JSON.
 * Giving and withdrawing are the same call with a different `event`: withdrawal takes no more
 * steps than giving.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notInForce } from '../errors.js';
import { localise } from '../policy/text.js';
import { groupTransaction } from '../store/transaction.js';
import { identifierKinds } from '../subjects/normalize.js';
import { CONTROLLER_TENANT, loadSubject, normaliseAll, resolveSubject } from '../subjects/subjects.js';
import type { ConsentEventView } from './ledger.js';
import { consentHistory, deriveState, recordConsentEvents } from './ledger.js';
import { choiceContext } from './subscriptions.js';

export const recordConsentInput = choiceContext.extend({
  declarationId: z.string().min(1).max(100),
  subject: z.strictObject({
    identifiers: z
      .array(z.strictObject({ kind: z.enum(identifierKinds), value: z.string().min(1).max(512) }))
      .min(1)
      .max(20),
  }),
  event: z.enum(['given', 'withdrawn', 'renewed']),
  targets: z
    .array(z.strictObject({ kind: z.enum(['purpose', 'cookie_category']), id: z.string().min(1).max(100) }))
    .min(1, 'must name at least one purpose or cookie category')
    .max(50),
  idempotencyKey: z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe('Repeat a write safely: the same key is stored once'),
});

export async function recordConsents(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof recordConsentInput>,
): Promise<{ subjectId: string; events: string[] }> {
  requirePermission(actor, 'consent:write');
  const input = recordConsentInput.parse(raw);
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  const d = active.model.declaration;
  const problems = input.targets.flatMap((t, i) => {
    if (t.kind === 'purpose') {
      const purpose = active.model.purposes.get(t.id);
      if (purpose === undefined)
        return [{ path: `targets[${i}]`, message: `purpose "${t.id}" is not declared` }];
      if (!active.model.basesOf(purpose).includes('consent'))
        return [
          {
            path: `targets[${i}]`,
            message: `purpose "${t.id}" does not rest on consent in any jurisdiction`,
          },
        ];
      return [];
    }
    const category = d.cookies.categories.find((c) => c.id === t.id);
    if (category === undefined)
      return [{ path: `targets[${i}]`, message: `cookie category "${t.id}" is not declared` }];
    if (category.required)
      return [
        {
          path: `targets[${i}]`,
          message: `cookie category "${t.id}" is strictly necessary: no consent is asked for it`,
        },
      ];
    return [];
  });
  if (problems.length > 0)
    throw new AppError(
      'not_declared',
      `Cannot record this consent: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  const identifiers = normaliseAll(ctx.keys, input.subject.identifiers);
  // Purpose consents do not change suppression answers; a new subject marks its own change.
  return groupTransaction(ctx.store, async (tx) => {
    const subject = await resolveSubject(tx, ctx, {
      tenant: CONTROLLER_TENANT,
      identifiers,
      source: 'consent',
      ...(input.jurisdiction ? { jurisdiction: input.jurisdiction } : {}),
    });
    const events = await recordConsentEvents(tx, ctx, {
      subjectId: subject.subjectId,
      declaration: active,
      targets: input.targets,
      event: input.event,
      noticeHash: input.noticeHash ?? active.version.contentHash,
      channel: input.channel,
      element: input.element ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
      gpc: input.gpc,
      jurisdiction: input.jurisdiction ?? null,
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    });
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: `consent.${input.event}`,
      target: `subject:${subject.subjectId}`,
      details: { targets: input.targets },
    });
    return { subjectId: subject.subjectId, events };
  });
}

type ExportFormat = 'iso27560' | 'kantara' | 'events';

/** A subject's consents in the requested shape; undefined when the subject does not exist. */
export async function exportConsentRecords(
  ctx: AppContext,
  actor: Actor,
  subjectId: string,
  format: ExportFormat,
): Promise<unknown> {
  requirePermission(actor, 'consent:read');
  // Consent is given to us for our purposes: a Provider's partition holds none.
  const subject = await loadSubject(ctx.store.db, subjectId, CONTROLLER_TENANT);
  if (subject === undefined) return undefined;
  const events = await consentHistory(ctx.store.db, subjectId);
  if (format === 'events') return { subjectId, events, state: deriveState(events) };
  if (format === 'iso27560') return { subjectId, records: iso27560(ctx, subjectId, events) };
  return { subjectId, receipts: kantara(ctx, subjectId, events) };
}

function targetInfo(ctx: AppContext, e: ConsentEventView) {
  const active = ctx.policies.get(e.declarationId);
  const d = active?.model.declaration;
  const lang = d?.languages[0] ?? 'en';
  if (e.target.kind === 'purpose') {
    const p = active?.model.purposes.get(e.target.id);
    return { name: p ? localise(p.name, lang) : e.target.id, dpv: p?.dpv, categories: p?.categories ?? [] };
  }
  if (e.target.kind === 'communication') {
    const c = d?.communications.find((x) => x.id === e.target.id);
    const p = c ? active?.model.purposes.get(c.purpose) : undefined;
    return {
      name: c ? localise(c.name, lang) : e.target.id,
      dpv: p?.dpv ?? 'dpv:DirectMarketing',
      categories: p?.categories ?? ['user.contact.email'],
    };
  }
  const cat = d?.cookies.categories.find((x) => x.id === e.target.id);
  return {
    name: cat ? localise(cat.name, lang) : e.target.id,
    dpv: 'dpv:Cookie',
    categories: ['user.device.cookie_id'],
  };
}

/** One record per consent (target and address), with its whole event history (ISO/IEC TS 27560 shape). */
function iso27560(ctx: AppContext, subjectId: string, events: readonly ConsentEventView[]) {
  const groups = new Map<string, ConsentEventView[]>();
  for (const e of events) {
    const key = `${e.declarationId}|${e.target.kind}|${e.target.id}|${e.identifierId ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()].map((history) => {
    const first = history[0] as ConsentEventView;
    const last = history[history.length - 1] as ConsentEventView;
    const info = targetInfo(ctx, last);
    const controller = ctx.policies.get(last.declarationId)?.model.declaration.controller;
    return {
      schema_version: 'ISO/IEC TS 27560:2023 (Steward profile 1)',
      record_id: first.id,
      data_subject: { id: subjectId, address_id: last.identifierId },
      controller: controller
        ? { name: controller.name, country: controller.establishment.country }
        : undefined,
      notice: {
        declaration: last.declarationId,
        version: last.declarationVersion,
        notice_hash: last.noticeHash,
      },
      purpose: { id: last.target.id, kind: last.target.kind, name: info.name, dpv: info.dpv },
      personal_data_categories: info.categories,
      legal_basis: 'eu-gdpr:A6-1-a',
      state: last.event === 'given' || last.event === 'renewed' ? 'active' : last.event,
      jurisdiction: last.jurisdiction,
      events: history.map((e) => ({
        id: e.id,
        type: e.event,
        time: e.at,
        channel: e.channel,
        element: e.element,
        notice_version: e.declarationVersion,
        notice_hash: e.noticeHash,
        gpc: e.gpc,
        ip_network: e.ip,
        user_agent_family: e.userAgent,
      })),
    };
  });
}

/** One receipt per event that gave consent (Kantara Consent Receipt v1.1 shape). */
function kantara(ctx: AppContext, subjectId: string, events: readonly ConsentEventView[]) {
  return events
    .filter((e) => e.event === 'given' || e.event === 'renewed')
    .map((e) => {
      const active = ctx.policies.get(e.declarationId);
      const d = active?.model.declaration;
      const info = targetInfo(ctx, e);
      const contact = d?.controller.contacts.find((c) => c.channel === 'email')?.value;
      return {
        version: 'KI-CR-v1.1.0',
        jurisdiction: e.jurisdiction ?? d?.controller.establishment.country,
        consentTimestamp: Math.floor(Date.parse(e.at) / 1000),
        collectionMethod: `${e.channel}${e.element ? `: ${e.element}` : ''}`,
        consentReceiptID: e.id,
        language: d?.languages[0] ?? 'en',
        piiPrincipalId: subjectId,
        piiControllers: d
          ? [
              {
                piiController: d.controller.name,
                contact: contact ?? '',
                address: d.controller.establishment.address,
                email: contact ?? '',
                phone: '',
              },
            ]
          : [],
        policyUrl: `${ctx.config.publicUrl}/privacy/${e.declarationId}/versions/${e.declarationVersion}`,
        services: [
          {
            service: info.name,
            purposes: [
              {
                purpose: info.name,
                purposeCategory: [info.dpv],
                consentType: 'EXPLICIT',
                piiCategory: info.categories,
                primaryPurpose: true,
                termination: 'Until withdrawn by the person',
                thirdPartyDisclosure: false,
              },
            ],
          },
        ],
        sensitive: false,
        spiCat: [],
      };
    });
}
