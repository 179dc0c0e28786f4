import { useId, useState, type FormEvent } from 'react';
import { api, identifierKinds, type ApiError, type FindSubjectResponse, type IdentifierKind } from '../api';
import { Dialog } from '../components/Dialog';
import { ReasonForm } from '../components/ReasonForm';
import { ApiErrorPanel } from '../components/Status';
import { useSession } from '../session';
import { toApiError } from '../useApiResource';

const kindLabels: Record<IdentifierKind, string> = {
  email: 'Email address',
  phone: 'Phone number',
  account: 'Account id',
  customer: 'Customer number',
  cookie: 'Cookie id',
  device: 'Device id',
};

const kindHints: Record<IdentifierKind, string> = {
  email: 'For example ada@example.com.',
  phone: 'In international form, for example +46 70 123 45 67.',
  account: 'The account id in the system it comes from.',
  customer: 'The customer number in the system it comes from.',
  cookie: 'Kept only as a keyed hash: the exact value is needed to find it.',
  device: 'Kept only as a keyed hash: the exact value is needed to find it.',
};

type Search =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'found'; subjectId: string; kind: IdentifierKind }
  | { status: 'not-found' }
  | { status: 'error'; error: ApiError };

export function SubjectsPage() {
  const { expire } = useSession();
  const [kind, setKind] = useState<IdentifierKind>('email');
  const [value, setValue] = useState('');
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const [inputError, setInputError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const kindId = useId();
  const valueId = useId();
  const hintId = useId();
  const errorId = useId();
  const resultId = useId();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const wanted = value.trim();
    if (wanted === '') {
      setInputError('Enter the identifier to look for.');
      return;
    }
    setInputError(null);
    setSearch({ status: 'searching' });
    try {
      const query = new URLSearchParams({ kind, value: wanted });
      const { subject } = await api.get<FindSubjectResponse>(`/subjects?${query.toString()}`);
      setSearch({ status: 'found', subjectId: subject.id, kind });
    } catch (err) {
      const error = toApiError(err);
      if (error.status === 401) expire();
      else if (error.status === 404) setSearch({ status: 'not-found' });
      else setSearch({ status: 'error', error });
    }
  }

  const searching = search.status === 'searching';
  const summary =
    search.status === 'searching'
      ? 'Searching…'
      : search.status === 'found'
        ? 'Found one person with that identifier.'
        : search.status === 'not-found'
          ? 'No one with that identifier'
          : '';

  return (
    <div className="page" data-testid="subjects">
      <h1 tabIndex={-1}>Subjects</h1>
      <section className="card" aria-labelledby="subject-search-heading">
        <h2 id="subject-search-heading">Find a person</h2>
        <p className="muted">
          Searching tells you only whether Steward knows this identifier. Opening the person’s data is a
          separate step, and needs a reason.
        </p>
        <form
          className="form form-inline"
          data-testid="subject-search"
          noValidate
          onSubmit={(event) => void handleSubmit(event)}
        >
          <div className="field">
            <label htmlFor={kindId}>Identifier kind</label>
            <select
              id={kindId}
              name="kind"
              value={kind}
              onChange={(event) => setKind(event.target.value as IdentifierKind)}
            >
              {identifierKinds.map((k) => (
                <option key={k} value={k}>
                  {kindLabels[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-grow">
            <label htmlFor={valueId}>Value</label>
            <input
              id={valueId}
              name="value"
              type="text"
              required
              autoComplete="off"
              spellCheck={false}
              maxLength={512}
              aria-invalid={inputError ? true : undefined}
              aria-describedby={inputError ? `${hintId} ${errorId}` : hintId}
              value={value}
              onChange={(event) => setValue(event.target.value)}
            />
            <p id={hintId} className="field-hint">
              {kindHints[kind]}
            </p>
            {inputError && (
              <p id={errorId} className="field-error" role="alert">
                {inputError}
              </p>
            )}
          </div>
          <div className="form-submit">
            <button
              type="submit"
              className="button button-primary"
              disabled={searching}
              aria-busy={searching}
            >
              Find
            </button>
          </div>
        </form>
      </section>

      <div role="status" className="live-region">
        {summary && search.status !== 'found' ? <p className="search-summary">{summary}</p> : null}
        {search.status === 'found' ? <p className="visually-hidden">{summary}</p> : null}
      </div>

      {search.status === 'error' && (
        <ApiErrorPanel title="The search failed" error={search.error} what="Looking people up" />
      )}

      {search.status === 'found' && (
        <section className="card" data-testid="subject-result" aria-labelledby={resultId}>
          <h2 id={resultId}>One person found</h2>
          <dl className="facts">
            <div>
              <dt>Subject id</dt>
              <dd>
                <code data-testid="subject-id">{search.subjectId}</code>
              </dd>
            </div>
            <div>
              <dt>Found by</dt>
              <dd>{kindLabels[search.kind]}</dd>
            </div>
          </dl>
          <p className="muted">Their data stays closed until you open it and say why.</p>
          <button
            type="button"
            className="button button-primary"
            data-testid="open-subject"
            onClick={() => setOpening(true)}
          >
            Open
          </button>
        </section>
      )}

      {opening && search.status === 'found' && (
        <Dialog title="Open this person’s data" onClose={() => setOpening(false)} testId="purpose-dialog">
          <p className="muted">
            Subject <code>{search.subjectId}</code>
          </p>
          <ReasonForm subjectId={search.subjectId} onCancel={() => setOpening(false)} autoFocus />
        </Dialog>
      )}
    </div>
  );
}
