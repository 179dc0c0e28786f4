import { useId, useState } from 'react';
import {
  api,
  type ConnectedSystem,
  type DatasetCollection,
  type DatasetField,
  type DatasetResponse,
  type SystemCheck,
  type SystemCheckResponse,
  type SystemsResponse,
} from '../api';
import { Hash, Identifier, plural, Timestamp } from '../components/Format';
import { ApiErrorPanel, Loading, Success } from '../components/Status';
import type { PageProps } from '../routes';
import { href } from '../router';
import { useSession } from '../session';
import { toApiError, useApiResource } from '../useApiResource';

function DatasetCell({ system }: { system: ConnectedSystem }) {
  if (system.datasetVersion !== undefined)
    return (
      <>
        <a href={href(`/systems/${system.id}`)}>
          Version {system.datasetVersion}
          <span className="visually-hidden"> of the {system.name} dataset</span>
        </a>
        {system.reviewed && (
          <span className="cell-note">
            Reviewed by {system.reviewed.by} on {system.reviewed.on}
          </span>
        )}
      </>
    );
  if (system.datasetProposal !== undefined)
    return (
      <>
        <span className="badge badge-warning">Proposal</span>{' '}
        <a href={href(`/systems/${system.id}`)}>Version {system.datasetProposal}</a>
        <span className="cell-note">Not reviewed: Steward does not act on it</span>
      </>
    );
  return <span className="muted">No dataset</span>;
}

function CheckCell({ check }: { check: SystemCheck | null }) {
  if (check === null) return <span className="muted">Never checked</span>;
  return (
    <>
      {check.ok ? (
        <span className="badge badge-ok">Reachable</span>
      ) : (
        <span className="badge badge-error">Failed</span>
      )}{' '}
      <Timestamp value={check.checkedAt} />
      <span className="cell-note" data-testid="check-detail">
        {check.ok ? `${check.server ?? 'Unknown server'}, ${check.latencyMs ?? 0} ms` : check.error}
      </span>
    </>
  );
}

function SystemsTable({
  systems,
  canCheck,
  onChecked,
}: {
  systems: ConnectedSystem[];
  canCheck: boolean;
  onChecked: (message: string) => void;
}) {
  const { expire } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function check(system: ConnectedSystem) {
    setBusy(system.id);
    setError(null);
    try {
      const { check: result } = await api.post<SystemCheckResponse>(
        `/systems/${encodeURIComponent(system.id)}/check`,
        {},
      );
      onChecked(
        result.ok
          ? `${system.name} answered: ${result.server ?? 'unknown server'}, ${result.latencyMs ?? 0} ms.`
          : `${system.name} could not be reached: ${result.error ?? 'unknown error'}`,
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
        <table data-testid="systems-table">
          <caption className="visually-hidden">Connected systems, by id</caption>
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Kind</th>
              <th scope="col">Connection settings</th>
              <th scope="col">Dataset</th>
              <th scope="col">Last check</th>
              {canCheck && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {systems.map((system) => (
              <tr key={system.id} data-system={system.id}>
                <th scope="row">
                  {system.name}
                  <span className="cell-note">
                    <code>{system.id}</code> in <code>{system.declarationId}</code>
                  </span>
                </th>
                <td>
                  <code className="nowrap">{system.kind}</code>
                </td>
                <td>
                  {system.configured ? (
                    <span className="badge badge-ok">Configured</span>
                  ) : (
                    <span className="badge badge-neutral">Not configured</span>
                  )}
                </td>
                <td>
                  <DatasetCell system={system} />
                </td>
                <td>
                  <CheckCell check={system.lastCheck} />
                </td>
                {canCheck && (
                  <td>
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      disabled={busy !== null}
                      aria-busy={busy === system.id}
                      onClick={() => void check(system)}
                    >
                      Check connection<span className="visually-hidden"> to {system.name}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function SystemsPage() {
  const { operator } = useSession();
  const { state, reload, refresh } = useApiResource<SystemsResponse>('/systems');
  const [message, setMessage] = useState<string | null>(null);
  const canCheck = operator.permissions.includes('systems:manage');

  let body;
  if (state.status === 'loading') body = <Loading>Loading systems…</Loading>;
  else if (state.status === 'error')
    body = (
      <ApiErrorPanel
        title="Could not load the systems"
        error={state.error}
        what="Seeing connected systems"
        onRetry={reload}
      />
    );
  else if (state.data.systems.length === 0)
    body = <p className="muted">No declaration in force declares a system.</p>;
  else
    body = (
      <>
        <p className="muted">{plural(state.data.systems.length, 'system', 'systems')}.</p>
        <SystemsTable
          systems={state.data.systems}
          canCheck={canCheck}
          onChecked={(text) => {
            setMessage(text);
            refresh();
          }}
        />
      </>
    );

  return (
    <div className="page page-wide" data-testid="systems">
      <h1 tabIndex={-1}>Connected systems</h1>
      <p className="muted lead">
        The company’s own databases the declarations name. Steward reaches each one with the connection
        settings of its installation (never shown here) and touches only what its reviewed dataset maps.
      </p>
      <Success>{message}</Success>
      <section className="card stack-tight" aria-labelledby="systems-heading">
        <h2 id="systems-heading">Systems</h2>
        {body}
      </section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The dataset map of one system

const maskWords: Record<string, string> = {
  null: 'set to empty (NULL)',
  fixed: 'replaced by a fixed text',
  random: 'replaced by random text',
  hash: 'replaced by a keyed hash',
  format: 'replaced, keeping its format',
  keep: 'kept as it is',
};

function maskText(field: DatasetField): string {
  const mask = field.mask;
  if (mask === undefined) return 'default for its category';
  if (typeof mask === 'string') return maskWords[mask] ?? mask;
  return `replaced by “${mask.value}”`;
}

/** What erasure does to one personal field, as a note after its name ('' when the rows go). */
function maskNote(collection: DatasetCollection, field: DatasetField): string {
  const action = collection.erasure?.action;
  if (action === 'mask') return ` (${maskText(field)} on erasure)`;
  if (action === 'keep') return ` (${maskText(field)} if erasure masks it)`;
  return '';
}

function erasureText(collection: DatasetCollection): string {
  const erasure = collection.erasure;
  if (collection.reference === true) return 'Reference data: never part of anyone’s data';
  if (erasure === undefined) return 'No erasure rule';
  if (erasure.action === 'delete') return 'Erasure deletes the person’s rows';
  if (erasure.action === 'mask') return 'Erasure keeps the rows and masks every personal field';
  return `Erasure keeps the rows for ${erasure.purpose}, masking only the fields that purpose does not need`;
}

function CollectionCard({ collection }: { collection: DatasetCollection }) {
  const headingId = useId();
  const personal = collection.fields.filter((f) => f.category !== undefined || f.identity !== undefined);
  const byCategory = new Map<string, DatasetField[]>();
  for (const field of personal) {
    const key = field.category ?? 'no category';
    byCategory.set(key, [...(byCategory.get(key) ?? []), field]);
  }
  const identities = collection.fields.filter((f) => f.identity !== undefined);
  return (
    <article
      className="card stack-tight"
      data-testid="collection"
      data-collection={collection.name}
      aria-labelledby={headingId}
    >
      <div className="card-header">
        <h3 id={headingId}>
          <code>{collection.schema ? `${collection.schema}.${collection.name}` : collection.name}</code>
        </h3>
        {collection.reference === true ? (
          <span className="badge badge-neutral">Reference data</span>
        ) : (
          <span className="badge badge-warning">
            {plural(personal.length, 'personal field', 'personal fields')}
          </span>
        )}
      </div>
      {collection.description && <p>{collection.description}</p>}
      <dl className="facts facts-compact">
        <div>
          <dt>Erasure</dt>
          <dd data-testid="erasure">{erasureText(collection)}</dd>
        </div>
        <div>
          <dt>Primary key</dt>
          <dd>
            <code>{collection.primaryKey.join(', ')}</code>
          </dd>
        </div>
        {identities.length > 0 && (
          <div>
            <dt>Finds the person by</dt>
            <dd data-testid="identities">
              {identities.map((f) => `${f.identity ?? ''} (${f.name})`).join(', ')}
            </dd>
          </div>
        )}
        <div>
          <dt>Restriction</dt>
          <dd>
            {collection.restriction ? (
              <>
                <code>{collection.restriction.field}</code> set to{' '}
                <code>{String(collection.restriction.value)}</code>
              </>
            ) : (
              'A task for a person'
            )}
          </dd>
        </div>
        {collection.purposes && (
          <div>
            <dt>Purposes</dt>
            <dd>{collection.purposes.join(', ')}</dd>
          </div>
        )}
      </dl>
      {byCategory.size > 0 && (
        <>
          <h4>Personal fields by category</h4>
          <ul className="plain-list" data-testid="categories">
            {[...byCategory.entries()].map(([category, fields]) => (
              <li key={category}>
                <Identifier value={category} />:{' '}
                {fields.map((f, i) => (
                  <span key={f.name}>
                    {i > 0 && ', '}
                    <code>{f.name}</code>
                    {maskNote(collection, f)}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
      <details>
        <summary>All {plural(collection.fields.length, 'field', 'fields')}</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Fields of {collection.name}</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Category</th>
                <th scope="col">Identity</th>
                <th scope="col">Links to</th>
              </tr>
            </thead>
            <tbody>
              {collection.fields.map((f) => (
                <tr key={f.name}>
                  <th scope="row">
                    <code>{f.name}</code>
                  </th>
                  <td>
                    {f.type ?? '—'}
                    {f.nullable === false ? ' not null' : ''}
                  </td>
                  <td>{f.category ? <Identifier value={f.category} /> : '—'}</td>
                  <td>{f.identity ?? '—'}</td>
                  <td>
                    {f.references
                      ? `${f.references.collection}.${f.references.field}`
                      : f.sameAs
                        ? `${f.sameAs.system}: ${f.sameAs.collection}.${f.sameAs.field}`
                        : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </article>
  );
}

function Links({ collections }: { collections: DatasetCollection[] }) {
  const references = collections.flatMap((c) =>
    c.fields.flatMap((f) => (f.references ? [{ from: c.name, field: f, to: f.references }] : [])),
  );
  const same = collections.flatMap((c) =>
    c.fields.flatMap((f) => (f.sameAs ? [{ from: c.name, field: f, to: f.sameAs }] : [])),
  );
  return (
    <section className="card stack-tight" aria-labelledby="links-heading">
      <h2 id="links-heading">How the collections link</h2>
      {references.length === 0 ? (
        <p className="muted">No collection refers to another.</p>
      ) : (
        <ul className="plain-list" data-testid="references">
          {references.map(({ from, field, to }) => (
            <li key={`${from}.${field.name}`}>
              <code>
                {from}.{field.name}
              </code>{' '}
              → <code>{`${to.collection}.${to.field}`}</code>{' '}
              <span className="muted">
                (on delete {to.onDelete.replace(/_/g, ' ')}
                {field.nullable === false ? ', not null' : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
      {same.length > 0 && (
        <>
          <h3>The same values in other systems</h3>
          <ul className="plain-list" data-testid="same-as">
            {same.map(({ from, field, to }) => (
              <li key={`${from}.${field.name}`}>
                <code>
                  {from}.{field.name}
                </code>{' '}
                is <a href={href(`/systems/${to.system}`)}>{to.system}</a>’s{' '}
                <code>{`${to.collection}.${to.field}`}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function SystemDatasetPage({ params }: PageProps) {
  const id = params['id'] ?? '';
  const { state, reload } = useApiResource<DatasetResponse>(`/systems/${encodeURIComponent(id)}/dataset`);

  let body;
  if (state.status === 'loading') body = <Loading>Loading the dataset…</Loading>;
  else if (state.status === 'error')
    body = (
      <ApiErrorPanel
        title="Could not load the dataset"
        error={state.error}
        what="Reading dataset maps"
        onRetry={reload}
      />
    );
  else {
    const { version, dataset } = state.data;
    const personal = dataset.collections.filter((c) => c.reference !== true);
    body = (
      <>
        <section className="card" aria-labelledby="version-heading">
          <h2 id="version-heading">Dataset version {version.number}</h2>
          {version.reviewed ? (
            <p data-testid="reviewed">
              Reviewed by {version.reviewed.by} on {version.reviewed.on}.
            </p>
          ) : (
            <p className="notice notice-info" data-testid="reviewed">
              A proposal nobody has reviewed: Steward does not act on this system until it is reviewed.
            </p>
          )}
          <dl className="facts facts-compact">
            <div>
              <dt>Declaration</dt>
              <dd>
                <code>{version.declarationId}</code>
              </dd>
            </div>
            <div>
              <dt>Published</dt>
              <dd>
                <Timestamp value={version.publishedAt} />
              </dd>
            </div>
            <div>
              <dt>Content hash</dt>
              <dd>
                <Hash value={version.contentHash} />
              </dd>
            </div>
            <div>
              <dt>Collections</dt>
              <dd>
                {dataset.collections.length} ({personal.length} with people’s data)
              </dd>
            </div>
          </dl>
        </section>
        <Links collections={dataset.collections} />
        <section className="stack" aria-labelledby="collections-heading">
          <h2 id="collections-heading">Collections</h2>
          {dataset.collections.map((collection) => (
            <CollectionCard key={collection.name} collection={collection} />
          ))}
        </section>
      </>
    );
  }

  return (
    <div className="page page-wide" data-testid="system-dataset">
      <p className="breadcrumb">
        <a href={href('/systems')}>Connected systems</a>
      </p>
      <h1 tabIndex={-1}>
        Dataset of <code>{id}</code>
      </h1>
      {body}
    </div>
  );
}
