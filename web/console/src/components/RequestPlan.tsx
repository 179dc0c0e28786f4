// A request's plan on its page: the steps of each system with their status, progress and
// outcome, the error of a failed step with a Retry button, and the receipt of an erasure.
import { useState } from 'react';
import { api, type ApiError, type ErasureReceipt, type RequestPlan, type RequestStep } from '../api';
import { capitalise, humanise } from './Format';
import { ServerError } from './FormField';
import { useSession } from '../session';
import { toApiError } from '../useApiResource';

const statusBadge: Record<RequestStep['status'], string> = {
  done: 'badge-ok',
  failed: 'badge-error',
  manual: 'badge-warning',
  running: 'badge-neutral',
  pending: 'badge-neutral',
  skipped: 'badge-neutral',
};

const statusWords: Record<RequestStep['status'], string> = {
  done: 'Done',
  failed: 'Failed',
  manual: 'Task for a person',
  running: 'Running',
  pending: 'Waiting',
  skipped: 'Skipped',
};

function rows(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}

/** What the step did, in a few words. */
function Outcome({ step }: { step: RequestStep }) {
  const r = step.result;
  const lines: string[] = [];
  if (r?.counts) {
    const entries = Object.entries(r.counts);
    lines.push(entries.length === 0 ? 'Nothing found' : entries.map(([c, n]) => `${c}: ${n}`).join(', '));
  }
  if (r?.found) {
    const entries = Object.entries(r.found);
    lines.push(
      entries.length === 0
        ? 'No linked values'
        : entries.map(([s, n]) => `${s}: ${n} linked values`).join(', '),
    );
  }
  if (r?.matched !== undefined || r?.changed !== undefined)
    lines.push(`${rows(r.matched ?? 0)} found, ${rows(r.changed ?? 0)} changed`);
  else if (step.progress && step.status !== 'done')
    lines.push(`${rows(step.progress.changed)} changed so far, ${step.progress.batches} batches`);
  for (const k of r?.systemKept ?? []) lines.push(`Kept: ${k.explanation}`);
  for (const s of r?.summary ?? []) lines.push(s);
  const kept = step.plan.kept;
  if (kept)
    lines.push(
      `Keeps ${kept.keptFields.map((f) => f.field).join(', ') || 'nothing personal'} for "${kept.purposeName}"${kept.obligation ? ` (${kept.obligation})` : ''}, for ${kept.retention}${kept.maskedFields.length > 0 ? `; masks ${kept.maskedFields.join(', ')}` : ''}.`,
    );
  if (step.plan.cascades?.length)
    lines.push(`Also removes ${step.plan.cascades.join(', ')} (ON DELETE CASCADE).`);
  if (lines.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list">
      {lines.map((line, index) => (
        <li key={index}>{line}</li>
      ))}
    </ul>
  );
}

function StepsTable({
  steps,
  caption,
  onRetry,
  busy,
}: {
  steps: RequestStep[];
  caption: string;
  onRetry?: (step: RequestStep) => void;
  busy: string | null;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="plan-steps">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Collection</th>
            <th scope="col">Action</th>
            <th scope="col">Status</th>
            <th scope="col">Outcome</th>
            <th scope="col">Note or error</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr key={step.id} data-step-key={step.key} data-status={step.status}>
              <td>
                {step.collection === '*' ? (
                  <span className="muted">whole system</span>
                ) : (
                  <code>{step.collection}</code>
                )}
              </td>
              <td>{capitalise(humanise(step.action))}</td>
              <td>
                <span className={`badge ${statusBadge[step.status]}`}>{statusWords[step.status]}</span>
                {step.attempts > 1 && <span className="cell-note">{step.attempts} attempts</span>}
              </td>
              <td>
                <Outcome step={step} />
              </td>
              <td className="note-cell">
                {step.error ? <span className="error-text">{step.error}</span> : (step.plan.note ?? '—')}
              </td>
              <td>
                {step.status === 'failed' && onRetry ? (
                  <button
                    type="button"
                    className="button button-small button-secondary"
                    disabled={busy === step.id}
                    onClick={() => onRetry(step)}
                  >
                    Retry<span className="visually-hidden"> {step.key}</span>
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The plan, system by system; failed steps can be retried by those who manage requests. */
export function RequestPlanView({
  requestId,
  plan,
  onChanged,
}: {
  requestId: string;
  plan: RequestPlan | null;
  onChanged: (message: string) => void;
}) {
  const { operator, expire } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (plan === null)
    return <p className="muted">No plan yet: fulfilment has not started, or is being planned.</p>;
  const canRetry = operator.permissions.includes('requests:manage');
  const retry = async (step: RequestStep) => {
    setBusy(step.id);
    setError(null);
    try {
      await api.post(
        `/requests/${encodeURIComponent(requestId)}/steps/${encodeURIComponent(step.id)}/retry`,
        {},
      );
      onChanged(`Step ${step.key} will run again.`);
    } catch (err) {
      const failure = toApiError(err);
      if (failure.status === 401) return expire();
      setError(failure);
    } finally {
      setBusy(null);
    }
  };
  const groups = [
    ...plan.systems.map((s) => ({ id: s.id, name: s.name, owner: s.owner })),
    { id: '*', name: 'Linked systems', owner: undefined },
  ]
    .map((g) => ({ ...g, steps: plan.steps.filter((s) => s.system === g.id) }))
    .filter((g) => g.steps.length > 0);
  return (
    <div data-testid="request-plan">
      <ServerError error={error} what="Retrying steps" />
      {groups.map((g) => (
        <section key={g.id} aria-label={g.name} data-system={g.id} className="plan-system">
          <h3>
            {g.name}{' '}
            <span className="muted">
              ({g.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length} of{' '}
              {g.steps.length} done)
            </span>
          </h3>
          {g.owner && <p className="muted">Tasks go to {g.owner}.</p>}
          <StepsTable
            steps={g.steps}
            caption={`Steps for ${g.name}`}
            busy={busy}
            {...(canRetry ? { onRetry: (step: RequestStep) => void retry(step) } : {})}
          />
        </section>
      ))}
    </div>
  );
}

/** What each system still holds after an erasure, and why. */
export function ErasureReceiptView({ receipt }: { receipt: ErasureReceipt }) {
  return (
    <div data-testid="erasure-receipt">
      <p className="muted">
        Searched again on {receipt.at.slice(0, 16).replace('T', ' ')} UTC, with the same identifiers.
      </p>
      <ul className="plain-list">
        {receipt.systems.map((s) => (
          <li key={s.system} data-system={s.system}>
            <strong>{s.name}:</strong> {s.statement}
          </li>
        ))}
      </ul>
    </div>
  );
}
