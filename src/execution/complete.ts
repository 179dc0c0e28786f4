/**
 * Completing a request once its plan is worked through: the requester's answer (a summary per
 * system, what was kept and why, and for access and portability a single-use link), and for a
 * rectification, erasure or restriction a notification task for each declared recipient of a
 * system that really held the person's data (Art. 19, C5.1), tracked to done.
 */
import { randomUUID } from 'node:crypto';
import type { KeptRows } from '../connectors/contract.js';
import type { AppContext } from '../context.js';
import { randomToken, sha256Hex } from '../crypto.js';
import { unseal } from '../capture/sealed.js';
import { messages } from '../i18n/messages.js';
import { categoryName, joinWords } from '../policy/describe.js';
import type { PolicyModel } from '../policy/model.js';
import { loadRequest, moveRequest } from '../rights/model.js';
import type { RequestRow } from '../rights/model.js';
import type { ActionOutcome } from '../rights/own-data-actions.js';
import { requesterLanguage } from '../rights/emails.js';
import { tellRequester } from '../rights/tell-requester.js';
import type { Tx } from '../store/transaction.js';
import { addDuration } from '../time.js';
import type { KeptPlan, PlanRecipient } from './plan.js';
import type { StepRow } from './steps.js';
import { isFinished, loadSteps, planOf } from './steps.js';

/** How long a result link works. */
export const RESULT_LINK_LIFETIME = 'P7D';

const changesData: ReadonlySet<string> = new Set(['rectification', 'erasure', 'restriction']);

/** A system of a stored plan (`request_plans.systems`). */
export interface PlannedSystem {
  readonly id: string;
  readonly name: string;
  readonly owner?: string;
  readonly recipients: readonly PlanRecipient[];
}

/** What a step's run left in `result`. */
export interface StepResult {
  readonly matched?: number;
  readonly changed?: number;
  readonly batches?: number;
  /** Rows per collection (read steps). */
  readonly counts?: Readonly<Record<string, number>>;
  /** What the system kept on its own (Steward: holds and legal obligations). */
  readonly systemKept?: readonly KeptRows[];
  /** Words for the requester (Steward's own actions; a person closing a task). */
  readonly summary?: readonly string[];
  readonly recipients?: ActionOutcome['recipients'];
}

export const resultOf = (step: Pick<StepRow, 'result'>): StepResult =>
  step.result === null ? {} : (JSON.parse(step.result) as StepResult);

export async function loadPlanRow(db: Tx, requestId: string) {
  return db.selectFrom('request_plans').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

export const systemsOf = (plan: { systems: string }) => JSON.parse(plan.systems) as PlannedSystem[];

type Words = ReturnType<typeof messages>;
const rowsOf = (m: Words, n: number) => m.format('completion.rows', { count: n });

/**
 * What a system kept on its own, as its last change step that ran reported it: Steward's erasure
 * may run twice (again once a deferred condition ended), and the later run says what stays.
 */
export function latestKept(steps: readonly StepRow[]): readonly KeptRows[] {
  const reported = steps.filter((s) => resultOf(s).systemKept !== undefined);
  const last = [...reported].sort((a, b) => ((a.finished_at ?? '') < (b.finished_at ?? '') ? -1 : 1)).at(-1);
  return last === undefined ? [] : (resultOf(last).systemKept ?? []);
}

/** The requester's lines about the conditions of an erasure: refused parts, and parts that waited. */
function conditionLines(steps: readonly StepRow[], m: Words): string[] {
  return steps.flatMap((s) => {
    const c = planOf(s).condition;
    if (s.action !== 'condition' || c === undefined) return [];
    if (c.effect === 'refuse')
      return [m.format('completion.refusedPurpose', { purpose: c.purposeName, words: c.words })];
    return s.status === 'done'
      ? [
          m.format('completion.erasedLater', {
            purpose: c.purposeName,
            date: (s.finished_at ?? '').slice(0, 10),
            explanation: c.explanation,
          }),
        ]
      : [];
  });
}

/** The person's rows a system's steps found (read, changed or kept). */
export function rowsFound(steps: readonly StepRow[]): number {
  let found = 0;
  for (const step of steps) {
    const r = resultOf(step);
    if (r.counts !== undefined) found += Object.values(r.counts).reduce((a, b) => a + b, 0);
    else found += Math.max(r.matched ?? 0, r.changed ?? 0);
  }
  return found;
}

function keptSentence(
  model: PolicyModel | undefined,
  system: string,
  collection: string,
  count: number,
  kept: KeptPlan,
  language: string,
): string {
  const m = messages(language);
  const categories = [
    ...new Set(kept.keptFields.flatMap((f) => (f.category === undefined ? [] : [f.category]))),
  ];
  const names = joinWords(
    categories.map((c) => (model === undefined ? c : categoryName(model, c, language).toLowerCase())),
    language,
  );
  return [
    m.format('completion.kept.what', {
      system,
      rows: rowsOf(m, count),
      collection,
      purpose: kept.purposeName,
    }),
    names === '' ? '' : m.format('completion.kept.categories', { names }),
    kept.reason !== undefined
      ? m.format('completion.kept.reason', {
          reason: kept.obligation === undefined ? kept.reason : `${kept.reason} (${kept.obligation})`,
        })
      : kept.obligation === undefined
        ? m.format('completion.kept.law')
        : m.format('completion.kept.statute', { statute: kept.obligation }),
    kept.basis === undefined ? '' : m.format('completion.kept.basis', { basis: kept.basis }),
    m.format('completion.kept.use', { retention: kept.retention }),
    kept.maskedFields.length === 0 ? '' : m.format('completion.kept.masked'),
  ]
    .filter((sentence) => sentence !== '')
    .join(' ');
}

/** What the requester is told, system by system, in our words, in their language. */
export function summarise(
  row: Pick<RequestRow, 'type' | 'subject_id'>,
  model: PolicyModel | undefined,
  systems: readonly PlannedSystem[],
  steps: readonly StepRow[],
  language = 'en',
): string[] {
  const m = messages(language);
  const lines: string[] = [];
  let anything = false;
  let onlyNothing = true;
  const push = (...said: string[]) => {
    lines.push(...said);
    onlyNothing = false;
  };
  for (const system of systems) {
    const own = steps.filter((s) => s.system === system.id);
    if (own.length === 0) continue;
    const found = rowsFound(own);
    const spoken = own.flatMap((s) => resultOf(s).summary ?? []);
    if (system.id === 'steward') {
      if (spoken.length > 0) {
        push(...spoken);
        anything ||= row.subject_id !== null;
        continue;
      }
      if (row.type === 'rectification') {
        if (row.subject_id !== null && own.some((s) => s.action === 'review' && s.status === 'done')) {
          push(m.format('completion.rectified'));
          anything = true;
        }
        continue;
      }
      if (row.subject_id === null || found === 0) continue;
      anything = true;
      switch (row.type) {
        case 'access':
          push(m.format('completion.accessReady'));
          break;
        case 'portability':
          push(m.format('completion.portabilityReady'));
          break;
        case 'erasure':
          push(
            m.format('completion.erased'),
            ...latestKept(own)
              .filter((k) => k.reason !== 'erasure_condition')
              .map((k) => m.format('completion.keptBecause', { explanation: k.explanation })),
          );
          break;
        case 'restriction':
          push(m.format('completion.restricted'));
          break;
      }
      continue;
    }
    const name = system.name;
    if (spoken.length > 0)
      push(...spoken.map((text) => m.format('completion.systemSays', { system: name, text })));
    const refused = own.filter((s) => planOf(s).refusedBy !== undefined).map((s) => s.collection);
    if (row.type === 'erasure' && refused.length > 0) {
      anything = true;
      push(m.format('completion.notErased', { system: name, collections: joinWords(refused, language) }));
    }
    if (found === 0) {
      if (refused.length > 0 && row.type === 'erasure') continue;
      if (spoken.length === 0) lines.push(m.format('completion.nothingThere', { system: name }));
      continue;
    }
    anything = true;
    const counted = (action: string) =>
      own.filter((s) => s.action === action).reduce((n, s) => n + (resultOf(s).changed ?? 0), 0);
    switch (row.type) {
      case 'access':
      case 'portability': {
        const counts = own.flatMap((s) => Object.entries(resultOf(s).counts ?? {}));
        push(
          m.format('completion.included', {
            system: name,
            rows: rowsOf(m, found),
            counts: counts.map(([c, n]) => `${c}: ${n}`).join(', '),
          }),
        );
        break;
      }
      case 'erasure': {
        const deleted = counted('delete');
        const masked = counted('mask');
        push(
          deleted > 0 && masked > 0
            ? m.format('completion.deletedMaskedIn', {
                system: name,
                deleted: rowsOf(m, deleted),
                masked: rowsOf(m, masked),
              })
            : deleted > 0
              ? m.format('completion.deletedIn', { system: name, rows: rowsOf(m, deleted) })
              : masked > 0
                ? m.format('completion.maskedIn', { system: name, rows: rowsOf(m, masked) })
                : m.format('completion.erasedIn', { system: name }),
        );
        for (const s of own) {
          const kept = planOf(s).kept;
          const count = resultOf(s).matched ?? 0;
          if (kept !== undefined && count > 0)
            push(keptSentence(model, name, s.collection, count, kept, language));
        }
        break;
      }
      case 'rectification': {
        const fields = [
          ...new Set(own.flatMap((s) => (planOf(s).updates ?? []).map((u) => `${s.collection}.${u.field}`))),
        ];
        push(
          m.format('completion.corrected', {
            system: name,
            fields: joinWords(fields, language),
            rows: rowsOf(m, counted('update')),
          }),
        );
        break;
      }
      case 'restriction':
        push(m.format('completion.restrictedIn', { system: name, rows: rowsOf(m, counted('restrict')) }));
        break;
    }
  }
  if (row.type === 'erasure') {
    const said = conditionLines(steps, m);
    if (said.length > 0) return [...lines, ...said];
  }
  if (!anything && onlyNothing) return [m.format('completion.nothing')];
  return lines;
}

/**
 * Recipients to tell of the change: those of every system whose steps found the person's rows
 * (a step done by hand counts, since nobody can tell), one task each, naming the systems.
 */
export function recipientsOfChange(
  row: Pick<RequestRow, 'subject_id'>,
  systems: readonly PlannedSystem[],
  steps: readonly StepRow[],
): { recipientId: string; name: string; why: string; systems: string[] }[] {
  const found = new Map<string, { recipientId: string; name: string; why: string; systems: string[] }>();
  for (const system of systems) {
    const own = steps.filter((s) => s.system === system.id && s.action !== 'read' && s.action !== 'locate');
    // A correction reviewed and applied by a person changed Steward's data if Steward holds the person.
    const byHand = own.some(
      (s) => s.task_id !== null && s.status === 'done' && (s.action !== 'review' || row.subject_id !== null),
    );
    const held = rowsFound(own) > 0 || byHand;
    if (!held) continue;
    for (const r of system.recipients) {
      const entry = found.get(r.recipientId);
      if (entry === undefined) found.set(r.recipientId, { ...r, systems: [system.name] });
      else if (!entry.systems.includes(system.name)) entry.systems.push(system.name);
    }
  }
  return [...found.values()];
}

/**
 * Completes the request once every step of its plan is done (and, after an erasure, the
 * read-back receipt is written): result link, recipient notices, completion email, outcome.
 * Called after each step finishes, by a job or an operator. Requests fulfilled before plans
 * existed complete when their system tasks are done.
 */
export async function completeIfDone(
  tx: Tx,
  ctx: AppContext,
  requestId: string,
  /** Where to send the answer when the verified address no longer exists (after an erasure). */
  contact?: string,
): Promise<boolean> {
  const row = await loadRequest(tx, requestId);
  if (row.status !== 'in_progress') return false;
  const plan = await loadPlanRow(tx, requestId);
  const model = ctx.policies.get(row.declaration_id)?.model;
  let summary: string[];
  let recipients: { recipientId: string; name: string; why: string; systems?: string[] }[];
  let systemsOutcome: unknown;
  // Whether there is a package to collect: Steward holds the person, or a connected system does.
  let held = row.subject_id !== null;
  if (plan !== undefined) {
    const steps = await loadSteps(tx, requestId);
    if (steps.length === 0 || !steps.every((s) => isFinished(s.status))) return false;
    if (row.type === 'erasure' && plan.receipt === null) return false;
    const systems = systemsOf(plan);
    summary = summarise(row, model, systems, steps, requesterLanguage(ctx, row));
    recipients = changesData.has(row.type) ? recipientsOfChange(row, systems, steps) : [];
    systemsOutcome = systems.map((s) => ({
      id: s.id,
      name: s.name,
      rows: rowsFound(steps.filter((x) => x.system === s.id)),
    }));
    held ||= rowsFound(steps.filter((s) => s.system !== 'steward')) > 0;
    contact ??= plan.answer_to === null ? undefined : (unseal(ctx.keys.records, plan.answer_to) as string);
  } else {
    const tasks = await tx
      .selectFrom('request_tasks')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('kind', '=', 'system')
      .execute();
    if (tasks.some((t) => t.status !== 'done' && t.status !== 'skipped')) return false;
    const outcomes = tasks.map((t) => JSON.parse(t.result ?? '{}') as ActionOutcome);
    summary = outcomes.flatMap((o) => o.summary);
    recipients = changesData.has(row.type) ? outcomes.flatMap((o) => o.recipients ?? []) : [];
  }
  const now = ctx.clock.now();

  let resultUrl: string | undefined;
  let expiresAt: string | undefined;
  if ((row.type === 'access' || row.type === 'portability') && held) {
    const token = randomToken(32);
    expiresAt = addDuration(now, RESULT_LINK_LIFETIME).toISOString();
    await tx
      .insertInto('result_links')
      .values({
        token_hash: sha256Hex(token),
        request_id: row.id,
        kind: row.type,
        passphrase_hash: null,
        expires_at: expiresAt,
        used_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    resultUrl = `${ctx.config.publicUrl}/privacy-centre/results/${token}`;
  }

  const notices: string[] = [];
  for (const recipient of recipients) {
    if (notices.includes(recipient.recipientId)) continue;
    notices.push(recipient.recipientId);
    const held =
      recipient.systems === undefined ? '' : ` The data was held in ${joinWords(recipient.systems, 'en')}.`;
    await tx
      .insertInto('request_tasks')
      .values({
        id: randomUUID(),
        request_id: row.id,
        kind: 'recipient_notice',
        target: recipient.recipientId,
        action: row.type,
        status: 'pending',
        result: null,
        note: `Tell ${recipient.name} of the ${row.type} (${recipient.why.replace(/\.$/, '')}).${held}`,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        done_at: null,
        done_by: null,
      })
      .execute();
  }

  await moveRequest(tx, ctx, 'system', row, 'completed', {
    kind: 'completed',
    details: { recipientsToNotify: notices },
    set: {
      outcome: JSON.stringify({
        summary,
        recipientsToNotify: notices,
        ...(systemsOutcome === undefined ? {} : { systems: systemsOutcome }),
      }),
    },
  });
  await tellRequester(tx, ctx, row.id, {
    kind: 'completed',
    ...(contact !== undefined ? { to: contact } : {}),
    summary,
    ...(resultUrl !== undefined && expiresAt !== undefined ? { resultUrl, expiresAt } : {}),
  });
  return true;
}
