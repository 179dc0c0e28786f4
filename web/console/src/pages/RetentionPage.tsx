import { useState } from 'react';
import {
  api,
  type RetentionPlanResponse,
  type RetentionReceiptsResponse,
  type RetentionResponse,
  type RetentionRun,
  type RetentionRunResponse,
  type RetentionSweep,
} from '../api';
import { humanise, plural, Timestamp } from '../components/Format';
import { ApiErrorPanel, Forbidden, Loading, Success } from '../components/Status';
import { useSession } from '../session';
import { toApiError, useApiResource } from '../useApiResource';

/** 135 days and 3 hours: the largest unit that fits, and the next one down when it is not zero. */
export function spell(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const rest = Math.max(0, Math.floor(seconds));
  const first = units.findIndex(([size]) => rest >= size);
  if (first === -1) return '0 seconds';
  const [size, name] = units[first]!;
  const n = Math.floor(rest / size);
  const next = units[first + 1];
  const m = next === undefined ? 0 : Math.floor((rest - n * size) / next[0]);
  const head = plural(n, name, `${name}s`);
  return next === undefined || m === 0 ? head : `${head} and ${plural(m, next[1], `${next[1]}s`)}`;
}

function trigger(rule: RetentionSweep['rule']): string {
  const from = rule.trigger === 'event' && rule.event ? `event ${rule.event}` : humanise(rule.trigger);
  return `${rule.duration} from ${from}${rule.anchor ? `, counted from the end of the ${humanise(rule.anchor)}` : ''}`;
}

function OverdueCell({ sweep }: { sweep: RetentionSweep }) {
  if (sweep.problem !== undefined)
    return (
      <>
        <span className="badge badge-error">Cannot check</span>{' '}
        <span className="cell-note" data-testid="problem">
          {sweep.problem}
        </span>
      </>
    );
  if (sweep.oldest === null) return <span className="badge badge-ok">Nothing overdue</span>;
  return (
    <>
      <span className={`badge ${sweep.alert ? 'badge-error' : 'badge-warning'}`}>
        {sweep.alert ? 'Behind' : 'Due'}
      </span>{' '}
      <span data-testid="overdue">Oldest exceeds its rule by {spell(sweep.overdueSeconds)}</span>
      <span className="cell-note">
        Clock started <Timestamp value={sweep.oldest.clock} dateOnly />, deadline{' '}
        <Timestamp value={sweep.oldest.deadline} />
      </span>
    </>
  );
}

function counts(run: Pick<RetentionRun, 'deleted' | 'anonymised' | 'held'>): string {
  return `${run.deleted} deleted, ${run.anonymised} anonymised, ${run.held} held`;
}

function LastRunCell({ sweep }: { sweep: RetentionSweep }) {
  const active = sweep.activeRun;
  const last = sweep.lastRun;
  return (
    <>
      {active && (
        <span className="badge badge-neutral" data-testid="active-run">
          {active.status === 'running' ? `Running: ${counts(active)}` : 'Waiting for a worker'}
        </span>
      )}
      {last === null ? (
        !active && <span className="muted">Never run</span>
      ) : (
        <span data-testid="last-run">
          {last.status === 'failed' ? <span className="badge badge-error">Failed</span> : null}{' '}
          <Timestamp value={last.endedAt ?? last.createdAt} />
          <span className="cell-note">
            {counts(last)}
            {last.receiptSeq !== null && `; receipt #${last.receiptSeq}`}
            {last.error && `: ${last.error}`}
          </span>
        </span>
      )}
    </>
  );
}

function SweepsTable({
  sweeps,
  canRun,
  onStarted,
}: {
  sweeps: RetentionSweep[];
  canRun: boolean;
  onStarted: (message: string) => void;
}) {
  const { expire } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(sweep: RetentionSweep) {
    const key = `${sweep.declarationId}/${sweep.rule.id}@${sweep.system}`;
    setBusy(key);
    setError(null);
    try {
      const result = await api.post<RetentionRunResponse>(
        `/retention/${encodeURIComponent(sweep.rule.id)}/run`,
        { declarationId: sweep.declarationId, system: sweep.system },
      );
      onStarted(
        result.joined > 0
          ? `A run of ${sweep.rule.id} on ${sweep.system} is already under way.`
          : `A run of ${sweep.rule.id} on ${sweep.system} is waiting for a worker.`,
      );
    } catch (err) {
      const apiError = toApiError(err);
      if (apiError.status === 401) return expire();
      setError(apiError.message);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="table-wrap">
        <table data-testid="retention-table">
          <caption className="visually-hidden">Retention rules by system</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">System</th>
              <th scope="col">Oldest against its deadline</th>
              <th scope="col">Last run</th>
              <th scope="col">Next run</th>
              {canRun && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {sweeps.map((sweep) => {
              const key = `${sweep.declarationId}/${sweep.rule.id}@${sweep.system}`;
              return (
                <tr key={key} data-rule={sweep.rule.id} data-system={sweep.system}>
                  <th scope="row">
                    <code>{sweep.rule.id}</code>
                    <span className="cell-note">
                      {sweep.rule.action === 'anonymise' ? 'Anonymise' : 'Delete'} {trigger(sweep.rule)}
                      {sweep.rule.statutory ? ` (${sweep.rule.statutory})` : ''}
                    </span>
                  </th>
                  <td>
                    <code>{sweep.system}</code>
                    <span className="cell-note">{sweep.collections.map(humanise).join(', ')}</span>
                  </td>
                  <td>
                    <OverdueCell sweep={sweep} />
                  </td>
                  <td>
                    <LastRunCell sweep={sweep} />
                  </td>
                  <td data-testid="next-run">
                    {new Date(sweep.nextRunAt).getTime() <= Date.now() ? (
                      <>
                        Due now
                        <span className="cell-note">
                          Today’s run (<Timestamp value={sweep.nextRunAt} />) waits for a worker
                        </span>
                      </>
                    ) : (
                      <Timestamp value={sweep.nextRunAt} />
                    )}
                  </td>
                  {canRun && (
                    <td>
                      <button
                        type="button"
                        className="button button-small button-secondary"
                        disabled={busy !== null}
                        aria-busy={busy === key}
                        onClick={() => void run(sweep)}
                      >
                        Run now
                        <span className="visually-hidden">
                          {' '}
                          {sweep.rule.id} on {sweep.system}
                        </span>
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The dry run, on demand: what would go now, what is held, by which hold. */
function PlanSection() {
  const { expire } = useSession();
  const [plan, setPlan] = useState<RetentionPlanResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    setBusy(true);
    setError(null);
    try {
      setPlan(await api.get<RetentionPlanResponse>('/retention/plan'));
    } catch (err) {
      const apiError = toApiError(err);
      if (apiError.status === 401) return expire();
      setError(apiError.message);
    } finally {
      setBusy(false);
    }
  }

  const rows = plan?.sweeps.flatMap((s) =>
    s.collections
      .filter((c) => c.delete + c.anonymise + c.held + (c.blocked ?? 0) > 0)
      .map((c) => ({ sweep: s, collection: c })),
  );
  const problems = plan?.sweeps.filter((s) => s.problem !== undefined) ?? [];
  return (
    <section className="card stack-tight" aria-labelledby="plan-heading">
      <h2 id="plan-heading">What would go now</h2>
      <p className="muted">A dry run of every rule: it counts, it changes nothing.</p>
      <div>
        <button type="button" className="button button-secondary" onClick={() => void load()} disabled={busy}>
          {plan === null ? 'Show the plan' : 'Show the plan again'}
        </button>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {plan && rows && (
        <div data-testid="plan">
          <p>
            At <Timestamp value={plan.at} />:{' '}
            {rows.length === 0
              ? 'nothing has expired.'
              : plural(rows.length, 'collection with expired rows', 'collections with expired rows')}
          </p>
          {problems.map((s) => (
            <p
              key={`${s.declarationId}/${s.ruleId}@${s.system}`}
              className="notice notice-error"
              role="alert"
            >
              <code>{s.ruleId}</code> on <code>{s.system}</code> could not be counted: {s.problem}
            </p>
          ))}
          {rows.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">The plan, by rule, system and collection</caption>
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">System</th>
                    <th scope="col">Collection</th>
                    <th scope="col">Would go</th>
                    <th scope="col">Held</th>
                    <th scope="col">Oldest deadline</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ sweep, collection }) => (
                    <tr
                      key={`${sweep.declarationId}/${sweep.ruleId}@${sweep.system}/${collection.collection}`}
                    >
                      <th scope="row">
                        <code>{sweep.ruleId}</code>
                      </th>
                      <td>
                        <code>{sweep.system}</code>
                      </td>
                      <td>{humanise(collection.collection)}</td>
                      <td>
                        {collection.delete > 0 && `${collection.delete} deleted`}
                        {collection.delete > 0 && collection.anonymise > 0 && ', '}
                        {collection.anonymise > 0 && `${collection.anonymise} anonymised`}
                        {collection.delete + collection.anonymise === 0 && '0'}
                        {(collection.blocked ?? 0) > 0 && (
                          <span className="cell-note">
                            {plural(collection.blocked ?? 0, 'more row', 'more rows')} once the rows that
                            refer to them have gone
                          </span>
                        )}
                      </td>
                      <td>
                        {collection.held}
                        {Object.keys(collection.holds).length > 0 && (
                          <span className="cell-note">
                            {Object.entries(collection.holds)
                              .map(([hold, n]) => `${n} by hold ${hold}`)
                              .join(', ')}
                          </span>
                        )}
                      </td>
                      <td>{collection.oldest ? <Timestamp value={collection.oldest.deadline} /> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function ReceiptsSection() {
  const { state, reload } = useApiResource<RetentionReceiptsResponse>('/retention/receipts?limit=20');
  let body;
  if (state.status === 'loading') body = <Loading>Loading receipts…</Loading>;
  else if (state.status === 'error')
    body = <ApiErrorPanel title="Could not load the receipts" error={state.error} onRetry={reload} />;
  else if (state.data.receipts.length === 0) body = <p className="muted">No run has finished yet.</p>;
  else
    body = (
      <ul className="plain-list" data-testid="receipts">
        {state.data.receipts.map((r) => (
          <li key={r.seq}>
            <Timestamp value={r.at} /> <code>{r.details.rule}</code> on <code>{r.details.system}</code>:{' '}
            {r.details.status === 'failed' ? 'failed, ' : ''}
            {r.details.deleted ?? 0} deleted, {r.details.anonymised ?? 0} anonymised, {r.details.held ?? 0}{' '}
            held
            {(r.details.holds ?? []).length > 0 &&
              ` (${(r.details.holds ?? []).map((h) => `${h.rows} by hold ${h.hold}`).join(', ')})`}
            <span className="cell-note">Audit ledger entry #{r.seq}</span>
          </li>
        ))}
      </ul>
    );
  return (
    <section className="card stack-tight" aria-labelledby="receipts-heading">
      <h2 id="receipts-heading">Receipts</h2>
      <p className="muted">
        Each finished run writes one into the audit ledger: counts and holds, no one’s data.
      </p>
      {body}
    </section>
  );
}

function RetentionStatus({ canRun }: { canRun: boolean }) {
  const { state, reload, refresh } = useApiResource<RetentionResponse>('/retention');
  const [message, setMessage] = useState<string | null>(null);
  let body;
  if (state.status === 'loading') body = <Loading>Loading retention…</Loading>;
  else if (state.status === 'error')
    body = (
      <ApiErrorPanel
        title="Could not load retention"
        error={state.error}
        what="Seeing retention"
        onRetry={reload}
      />
    );
  else if (state.data.sweeps.length === 0)
    body = <p className="muted">No declaration in force has a rule with data to sweep.</p>;
  else {
    const behind = state.data.sweeps.filter((s) => s.alert).length;
    body = (
      <>
        <p className={behind > 0 ? 'notice notice-error' : 'muted'} data-testid="retention-summary">
          {plural(state.data.sweeps.length, 'rule and system', 'rules and systems')}
          {behind > 0 ? `; ${behind} behind: rows have outlived their rule by more than a day.` : '.'}
        </p>
        <SweepsTable
          sweeps={state.data.sweeps}
          canRun={canRun}
          onStarted={(text) => {
            setMessage(text);
            refresh();
          }}
        />
      </>
    );
  }
  return (
    <>
      <Success>{message}</Success>
      <section className="card stack-tight" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        {body}
      </section>
    </>
  );
}

export function RetentionPage() {
  const { operator } = useSession();
  const canRead = operator.permissions.includes('retention:read');
  const canRun = operator.permissions.includes('retention:run');
  return (
    <div className="page page-wide" data-testid="retention">
      <h1 tabIndex={-1}>Retention</h1>
      <p className="muted lead">
        How long each rule of the declarations keeps data, and whether the sweeps keep up: the oldest row past
        its deadline, the last run and the next. Rows under a legal hold stay until it is released.
      </p>
      {canRead ? (
        <>
          <RetentionStatus canRun={canRun} />
          <PlanSection />
          <ReceiptsSection />
        </>
      ) : (
        <Forbidden what="Seeing retention" />
      )}
    </div>
  );
}
