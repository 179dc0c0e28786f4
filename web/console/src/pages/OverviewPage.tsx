import { useId } from 'react';
import type { AuditVerifyResponse, DeclarationSummary, DeclarationsResponse, LintIssue } from '../api';
import { Hash, plural, Timestamp } from '../components/Format';
import { ErrorPanel, Loading } from '../components/Status';
import { useApiResource } from '../useApiResource';

function LintIssues({ issues }: { issues: LintIssue[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Lint issues</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Code</th>
            <th scope="col">Path</th>
            <th scope="col">Line</th>
            <th scope="col">Message</th>
            <th scope="col">Hint</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((issue, index) => (
            <tr key={`${issue.code}:${issue.path}:${index}`}>
              <td>
                <span className={`badge badge-${issue.severity}`}>{issue.severity}</span>
              </td>
              <td>
                <code>{issue.code}</code>
              </td>
              <td>
                <code>{issue.path}</code>
              </td>
              <td className="numeric">{issue.line ?? '—'}</td>
              <td>{issue.message}</td>
              <td>{issue.hint}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LintStatus({ lint }: { lint: DeclarationSummary['lint'] }) {
  const passes = lint.errors === 0 && lint.warnings === 0;
  const tone = lint.errors > 0 ? 'error' : passes ? 'ok' : 'warning';
  return (
    <div className="lint">
      <p className={`status status-${tone}`}>
        {passes
          ? 'Lint: passes'
          : `Lint: ${plural(lint.errors, 'error', 'errors')}, ${plural(lint.warnings, 'warning', 'warnings')}`}
      </p>
      {lint.issues.length > 0 && <LintIssues issues={lint.issues} />}
    </div>
  );
}

function VersionsTable({ declaration }: { declaration: DeclarationSummary }) {
  if (declaration.versions.length === 0) return <p className="muted">No published versions.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Published versions of {declaration.title}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Version</th>
            <th scope="col">Effective date</th>
            <th scope="col">Published at</th>
            <th scope="col">Hash</th>
            <th scope="col">Document</th>
          </tr>
        </thead>
        <tbody>
          {declaration.versions.map((version) => (
            <tr key={version.number}>
              <td className="numeric">{version.number}</td>
              <td>{version.version}</td>
              <td>{version.effectiveDate}</td>
              <td>
                <Timestamp value={version.publishedAt} />
              </td>
              <td>
                <Hash value={version.contentHash} />
              </td>
              <td>
                <a href={version.url} aria-label={`View version ${version.version} of ${declaration.title}`}>
                  View
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeclarationCard({ declaration }: { declaration: DeclarationSummary }) {
  const headingId = useId();
  return (
    <article className="card" data-testid="declaration-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h3 id={headingId}>{declaration.title}</h3>
        <a href={declaration.noticeUrl} className="card-link">
          Public notice<span className="visually-hidden"> for {declaration.title}</span>
        </a>
      </header>
      <dl className="facts">
        <div>
          <dt>ID</dt>
          <dd>
            <code>{declaration.id}</code>
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{declaration.version}</dd>
        </div>
        <div>
          <dt>Effective date</dt>
          <dd>{declaration.effectiveDate}</dd>
        </div>
        <div>
          <dt>Content hash</dt>
          <dd>
            <Hash value={declaration.contentHash} />
          </dd>
        </div>
        <div>
          <dt>Published at</dt>
          <dd>
            <Timestamp value={declaration.publishedAt} />
          </dd>
        </div>
      </dl>
      <LintStatus lint={declaration.lint} />
      <h4>Versions</h4>
      <VersionsTable declaration={declaration} />
    </article>
  );
}

function Declarations() {
  const { state, reload } = useApiResource<DeclarationsResponse>('/declarations');
  if (state.status === 'loading') return <Loading>Loading declarations…</Loading>;
  if (state.status === 'error') {
    return <ErrorPanel title="Could not load declarations" message={state.error.message} onRetry={reload} />;
  }
  const { declarations } = state.data;
  if (declarations.length === 0) {
    return (
      <div className="card">
        <p className="muted">No declarations are active yet. Publish one with the Steward CLI.</p>
      </div>
    );
  }
  return (
    <>
      {declarations.map((declaration) => (
        <DeclarationCard key={declaration.id} declaration={declaration} />
      ))}
    </>
  );
}

function AuditBody() {
  const { state, reload } = useApiResource<AuditVerifyResponse>('/audit/verify');
  if (state.status === 'loading') return <Loading>Verifying the audit ledger…</Loading>;
  if (state.status === 'error') {
    if (state.error.status === 403) {
      return <p className="muted">You cannot view the audit ledger status with your role</p>;
    }
    return (
      <ErrorPanel title="Could not verify the audit ledger" message={state.error.message} onRetry={reload} />
    );
  }
  const { ok, entries, firstBad } = state.data;
  if (ok) {
    return <p className="status status-ok">Audit ledger verifies ({plural(entries, 'entry', 'entries')})</p>;
  }
  return (
    <p className="notice notice-error" role="alert">
      {firstBad
        ? `Audit ledger FAILED verification at entry #${firstBad.seq}: ${firstBad.reason}`
        : 'Audit ledger FAILED verification'}
    </p>
  );
}

function AuditCard() {
  return (
    <section className="card" data-testid="audit-status" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit ledger</h2>
      <AuditBody />
    </section>
  );
}

export function OverviewPage() {
  return (
    <div className="page" data-testid="overview">
      <h1 tabIndex={-1}>Overview</h1>
      <AuditCard />
      <section className="stack" aria-labelledby="declarations-heading">
        <h2 id="declarations-heading">Active declarations</h2>
        <Declarations />
      </section>
    </div>
  );
}
