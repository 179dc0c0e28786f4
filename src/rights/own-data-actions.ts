/**
 * Objections and withdrawals of consent, which concern what Steward's own ledger allows rather
 * than data held in any system: the `steward` step of such a request's plan runs one of these.
 * Every other type works through the connectors (src/execution/). An action returns a
 * requester-facing summary (our words) and, when a person must decide (an objection to weigh),
 * `manual: true`: the step becomes a task in the console until an operator closes it.
 */
import { messages, type Messages } from '../i18n/messages.js';
import { joinWords } from '../policy/describe.js';
import { requesterLanguage } from './emails.js';
import type { Actor } from '../access/actor.js';
import type { Permission } from '../access/roles.js';
import type { AppContext } from '../context.js';
import { objectToDirectMarketing } from '../consent/subscriptions.js';
import type { RequestRow } from './model.js';
import { recordObjection } from './object-processing.js';
import type { RecipientToNotify } from './recipients.js';
import { withdrawConsent } from './withdraw-consent.js';

/** What the requester supplied, as sealed in `requests.claims`. */
export interface RequestClaims {
  readonly name?: string;
  readonly identifiers: readonly { kind: string; value: string }[];
  readonly details?: string;
  /** `parts`: the same correction split by the names below its category (`street`, `first`). */
  readonly rectification?: readonly {
    field: string;
    value: string;
    parts?: Readonly<Record<string, string>>;
  }[];
  readonly objection?: { scope: 'direct_marketing' | 'purpose'; purposeId?: string; grounds?: string };
  readonly language?: string;
  /** The language asked for, where the declaration does not offer it (answered in `language`). */
  readonly askedLanguage?: string;
}

export interface ActionOutcome {
  readonly summary: readonly string[];
  readonly manual?: boolean;
  readonly recipients?: readonly Pick<RecipientToNotify, 'recipientId' | 'name' | 'why'>[];
  readonly details?: unknown;
  /** The requester's verified address, read before an erasure removes it; never stored in clear. */
  readonly contact?: string;
}

type Action = (ctx: AppContext, request: RequestRow, claims: RequestClaims) => Promise<ActionOutcome>;

/** Fulfilment acts for the request, with exactly the permission its use cases check. */
const fulfilment = (request: RequestRow): Actor => ({
  kind: 'system',
  id: `request:${request.id}`,
  name: `fulfilment of ${request.reference}`,
  permissions: new Set<Permission>(['requests:manage', 'consent:write']),
});

const nothingHeld = (m: Messages): ActionOutcome => ({ summary: [m.format('completion.nothing')] });

export const ownDataActions: Record<'objection' | 'withdrawal', Action> = {
  objection: async (ctx, request, claims) => {
    const m = messages(requesterLanguage(ctx, request));
    if (request.subject_id === null) return nothingHeld(m);
    if (claims.objection?.scope === 'purpose' && claims.objection.purposeId !== undefined) {
      const outcome = await recordObjection(ctx, fulfilment(request), {
        subjectId: request.subject_id,
        declarationId: request.declaration_id,
        purpose: claims.objection.purposeId,
        requestId: request.id,
      });
      if (outcome.status === 'pending_decision')
        return { summary: [m.format('outcome.objectionWeighed')], manual: true, details: outcome };
      return {
        summary: [
          m.format(
            outcome.status === 'upheld' ? 'outcome.objectionUpheld' : 'outcome.objectionNotApplicable',
          ),
        ],
        details: outcome,
      };
    }
    await objectToDirectMarketing(ctx, `request:${request.id}`, { subjectId: request.subject_id });
    return { summary: [m.format('outcome.noMarketing')] };
  },
  withdrawal: async (ctx, request) => {
    const language = requesterLanguage(ctx, request);
    const m = messages(language);
    if (request.subject_id === null) return nothingHeld(m);
    const result = await withdrawConsent(ctx, fulfilment(request), {
      subjectId: request.subject_id,
      declarationId: request.declaration_id,
      requestId: request.id,
      language,
    });
    return {
      summary: [
        result.stopped.length === 0
          ? m.format('outcome.noConsent')
          : m.format('outcome.stopped', {
              purposes: joinWords(
                result.stopped.map((s) => s.name),
                language,
              ),
            }),
        ...result.continuing.map((c) => m.format('outcome.continues', { purpose: c.name, why: c.why })),
      ],
      details: result,
    };
  },
};
