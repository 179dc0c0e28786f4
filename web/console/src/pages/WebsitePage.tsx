import { useState } from 'react';
import type { DeclarationsResponse, Traffic } from '../api';
import { FormField } from '../components/FormField';
import { ApiErrorPanel, Loading } from '../components/Status';
import { ConsentChart, ResponseTimesChart, TopPagesTable, VisitsChart } from '../components/TrafficCharts';
import { useApiResource } from '../useApiResource';

const periods = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
] as const;

function TrafficFigures({ declarationId, days }: { declarationId: string; days: number }) {
  const query = new URLSearchParams({ declarationId, days: String(days) }).toString();
  const { state, reload } = useApiResource<Traffic>(`/web/traffic?${query}`);
  if (state.status === 'loading') return <Loading>Loading the website figures…</Loading>;
  if (state.status === 'error')
    return (
      <ApiErrorPanel
        title="Could not load the website figures"
        error={state.error}
        what="Reading website figures"
        onRetry={reload}
      />
    );
  const traffic = state.data;
  return (
    <>
      <section className="card stack-tight" aria-labelledby="visits-heading">
        <h2 id="visits-heading">Visits over time</h2>
        <VisitsChart traffic={traffic} />
      </section>
      <section className="card stack-tight" aria-labelledby="pages-heading">
        <h2 id="pages-heading">Top pages</h2>
        <TopPagesTable traffic={traffic} />
      </section>
      <section className="card stack-tight" aria-labelledby="timing-heading">
        <h2 id="timing-heading">Response times</h2>
        <ResponseTimesChart traffic={traffic} />
      </section>
      <section className="card stack-tight" aria-labelledby="consent-heading">
        <h2 id="consent-heading">Consent by category</h2>
        <ConsentChart traffic={traffic} />
      </section>
    </>
  );
}

/** Website figures from aggregates: visits, top pages, response times and banner choices. */
export function WebsitePage() {
  const declarations = useApiResource<DeclarationsResponse>('/declarations');
  const [declarationId, setDeclarationId] = useState('');
  const [days, setDays] = useState<number>(30);
  const list = declarations.state.status === 'ready' ? declarations.state.data.declarations : [];
  const chosen = list.some((d) => d.id === declarationId) ? declarationId : (list[0]?.id ?? '');

  let body;
  if (declarations.state.status === 'loading') body = <Loading>Loading declarations…</Loading>;
  else if (declarations.state.status === 'error')
    body = (
      <ApiErrorPanel
        title="Could not load the declarations"
        error={declarations.state.error}
        what="Reading declarations"
        onRetry={declarations.reload}
      />
    );
  else if (chosen === '')
    body = (
      <div className="card">
        <p className="muted">No declarations are active yet, so there are no website figures.</p>
      </div>
    );
  else body = <TrafficFigures key={`${chosen}|${days}`} declarationId={chosen} days={days} />;

  return (
    <div className="page" data-testid="website">
      <h1 tabIndex={-1}>Website</h1>
      <p className="muted lead">
        What the browser script and imported server logs show, as aggregates only: no figure names a visitor,
        visitor ids change every day, and pages seen by only a few visitors are left out.
      </p>
      <div className="toolbar">
        {list.length > 1 ? (
          <div className="form">
            <FormField label="Declaration">
              {(control) => (
                <select
                  {...control}
                  name="declarationId"
                  value={chosen}
                  onChange={(event) => setDeclarationId(event.target.value)}
                >
                  {list.map((declaration) => (
                    <option key={declaration.id} value={declaration.id}>
                      {declaration.title} ({declaration.id})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
        ) : (
          <p className="muted">{list[0] ? `${list[0].title} (${list[0].id})` : ''}</p>
        )}
        <div className="segmented" role="group" aria-label="Period">
          {periods.map((p) => (
            <button
              key={p.days}
              type="button"
              className="segmented-button"
              aria-pressed={p.days === days}
              onClick={() => setDays(p.days)}
            >
              Last {p.label}
            </button>
          ))}
        </div>
      </div>
      {body}
    </div>
  );
}
