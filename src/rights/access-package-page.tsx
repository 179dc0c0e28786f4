/**
 * The access package's `index.html`: the Art. 15 information (purposes, systems, automated
 * decisions, rights, complaints) and a table of the first rows of each section, linking to the
 * full files. Streamed a section at a time; each piece is a TSX component, so React escapes every
 * value from the declaration and the person's data. The words are in src/rights/access-package.ts.
 */
import type { ReactNode } from 'react';
import type { SystemHeld } from '../execution/connected-data.js';
import { pageStyle, safeHref } from '../policy/html.js';
import { HtmlDocument } from '../server/html/document.js';
import { renderFragment, renderPage } from '../server/html/render.js';
import type { AccessInformation } from './art15.js';
import type { Row, SubjectSection } from './subject-data.js';
import type { Labels } from './access-package.js';

/** A link when the URL is safe to follow (http, https, mailto, relative), else the text alone. */
function SafeLink({ href, text }: { href: string; text: string }) {
  const safe = safeHref(href);
  return safe === undefined ? <>{text}</> : <a href={safe}>{text}</a>;
}

function Facts({ items }: { items: readonly [string, ReactNode][] }) {
  return (
    <dl>
      {items.map(([k, v], i) => (
        <div key={i}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function List({ items, none }: { items: readonly ReactNode[]; none: string }) {
  return items.length === 0 ? (
    <>{none}</>
  ) : (
    <ul>
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

function Purpose({ p, l }: { p: AccessInformation['purposes'][number]; l: Labels }) {
  const items: [string, ReactNode][] = [[l.basis, p.legalBasis.text]];
  if (p.legitimateInterest !== null) items.push([l.interest, p.legitimateInterest]);
  if (p.statutoryObligation !== null) items.push([l.obligation, p.statutoryObligation]);
  if (p.consent !== null)
    items.push([
      l.consent,
      p.consent.given ? l.consentGiven(p.consent.since) : l.consentWithdrawn(p.consent.since),
    ]);
  items.push(
    [l.records, String(p.records)],
    [l.categories, <List none={l.none} items={p.categories.map((c) => c.name)} />],
    [
      l.recipients,
      <List
        none={l.none}
        items={p.recipients.map((r) => `${r.name} (${r.countries.map((c) => c.name).join(', ')})`)}
      />,
    ],
    [
      l.transfers,
      <List
        none={l.none}
        items={p.transfers.map((t) => (
          <>
            {`${t.recipient}, ${t.countryName}: ${t.safeguard}`}
            {t.reference === null ? null : ` (${t.reference})`}
            {t.safeguardsUrl === null ? null : (
              <>
                {' '}
                <SafeLink href={t.safeguardsUrl} text={t.safeguardsUrl} />
              </>
            )}
          </>
        ))}
      />,
    ],
    [
      l.retention,
      <>
        <List none={l.none} items={p.retention.rules.map((r) => `${r.categoryName}: ${r.text}`)} />
        {p.retention.text === '' ? null : <p>{p.retention.text}</p>}
      </>,
    ],
    [
      l.sources,
      <List
        none={l.none}
        items={p.sources.map(
          (s) =>
            `${s.name}${s.indirect ? ` (${l.indirect}${s.organisation === null ? '' : `: ${s.organisation}`})` : ''}`,
        )}
      />,
    ],
  );
  if (p.automatedDecision !== null)
    items.push([
      l.automated,
      `${p.automatedDecision.logic} ${p.automatedDecision.significance} ${p.automatedDecision.consequences}`,
    ]);
  const id = `p-${p.declarationId}-${p.id}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{p.name}</h3>
      <p>{p.description}</p>
      <Facts items={items} />
    </section>
  );
}

/** One connected system: what it holds (collections, categories) and why (purposes, bases). */
function System({ s, l }: { s: SystemHeld; l: Labels }) {
  return (
    <section aria-labelledby={`sys-${s.id}`}>
      <h3 id={`sys-${s.id}`}>{s.name}</h3>
      {s.description === null ? null : <p>{s.description}</p>}
      <Facts
        items={[
          [
            l.purposes,
            <List
              none={l.none}
              items={s.purposes.map((p) => (p.legalBasis === null ? p.name : `${p.name} (${p.legalBasis})`))}
            />,
          ],
          [l.categories, <List none={l.none} items={s.categories.map((c) => c.name)} />],
          [l.records, <List none={l.none} items={s.collections.map((c) => `${c.name}: ${c.rows}`)} />],
        ]}
      />
    </section>
  );
}

/** The Art. 15 information: summary, purposes, automated decisions, rights, complaints. */
export function Information({ info, l }: { info: AccessInformation; l: Labels }) {
  return (
    <>
      <h2 id="summary">{l.summary}</h2>
      <p>{info.summary.text}</p>
      <h2 id="purposes">{l.purposes}</h2>
      {info.purposes.map((p) => (
        <Purpose key={`${p.declarationId}/${p.id}`} p={p} l={l} />
      ))}
      {info.systems === undefined || info.systems.length === 0 ? null : (
        <>
          <h2 id="systems">{l.systems}</h2>
          {info.systems.map((s) => (
            <System key={s.id} s={s} l={l} />
          ))}
        </>
      )}
      <h2 id="automated">{l.automated}</h2>
      <p>{info.automatedDecisions.text}</p>
      <h2 id="rights">{l.rights}</h2>
      <ul>
        {info.rights.map((r, i) => (
          <li key={i}>
            {r.text}
            {r.appliesTo.length === 0 ? null : (
              <>
                {' '}
                <span className="meta">{`${l.appliesTo}: ${r.appliesTo.join(', ')}`}</span>
              </>
            )}
          </li>
        ))}
      </ul>
      <p>{info.howToExercise.text}</p>
      <List none="" items={info.howToExercise.channels} />
      <h2 id="complaints">{l.complaint}</h2>
      <p>{info.complaint.text}</p>
      {info.complaint.authorities.map((a, i) => (
        <Facts
          key={i}
          items={[
            ['', a.name],
            [l.authorityWeb, <SafeLink href={a.website} text={a.website} />],
            ...(a.email === null
              ? []
              : [
                  [l.authorityEmail, <SafeLink href={`mailto:${a.email}`} text={a.email} />] as [
                    string,
                    ReactNode,
                  ],
                ]),
            ...(a.phone === null ? [] : [[l.authorityPhone, a.phone] as [string, ReactNode]]),
            ...(a.address === null ? [] : [['', a.address] as [string, ReactNode]]),
          ]}
        />
      ))}
      <h2 id="notes">{l.notes}</h2>
      <ul>
        {info.notes.map((n, i) => (
          <li key={i}>{n}</li>
        ))}
      </ul>
    </>
  );
}

/** A cell of a section's table: an object as a small definition list, anything else as text. */
function Cell({ value, text }: { value: unknown; text: (value: unknown) => string }) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return null;
    return <Facts items={entries.map(([k, v]) => [k, text(v)])} />;
  }
  return <>{text(value)}</>;
}

/** A section as a table of its first rows, with links to its files. */
function Section(props: {
  section: SubjectSection;
  rows: readonly Row[];
  limit: number;
  l: Labels;
  text: (value: unknown) => string;
}) {
  const { section, l } = props;
  const id = `s-${section.id.replace(/[^a-z0-9_-]/gi, '-')}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{section.id}</h3>
      <p>{section.description}</p>
      {section.note === undefined ? null : <p className="meta">{section.note}</p>}
      {section.count === 0 ? (
        <p>{l.empty}</p>
      ) : (
        <>
          <p>
            {l.file}: <SafeLink href={`${section.id}.json`} text={`${section.id}.json`} />,{' '}
            <SafeLink href={`${section.id}.csv`} text={`${section.id}.csv`} />
            {section.count > props.limit ? ` ${l.shown(props.limit, section.count)}` : null}
          </p>
          <div className="scroll">
            <table>
              <caption>{section.id}</caption>
              <thead>
                <tr>
                  {section.fields.map((f) => (
                    <th scope="col" key={f.name}>
                      {f.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {props.rows.map((row, i) => (
                  <tr key={i}>
                    {section.fields.map((f) => (
                      <td key={f.name}>
                        <Cell value={row[f.name]} text={props.text} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Marks where the streamed body goes in the rendered frame: plain text, so React keeps it as is. */
const BODY_MARKER = 'steward-access-package-body-7f3a';

/**
 * The whole `index.html`, a piece at a time: the frame and the information up to the marker,
 * then each section with at most `limit` rows (read page by page), then the rest of the frame.
 */
export async function* accessPackageIndex(input: {
  info: AccessInformation;
  sections: readonly SubjectSection[];
  lang: string;
  l: Labels;
  limit: number;
  text: (value: unknown) => string;
}): AsyncGenerator<string> {
  const { info, l } = input;
  const controller = info.controllers.map((c) => c.name).join(', ');
  const frame = renderPage(
    <HtmlDocument lang={input.lang} title={l.title} style={`${pageStyle}.scroll { overflow-x: auto; }\n`}>
      <main id="main">
        <h1>{l.title}</h1>
        <p>{l.intro(controller, info.generatedAt.slice(0, 10))}</p>
        <Information info={info} l={l} />
        <h2 id="data">{l.data}</h2>
        {BODY_MARKER}
      </main>
    </HtmlDocument>,
  );
  const [head = '', tail = ''] = frame.split(BODY_MARKER);
  yield head;
  for (const section of input.sections) {
    const rows: Row[] = [];
    if (section.count > 0)
      for await (const page of section.pages({ pageSize: input.limit })) {
        for (const row of page) if (rows.length < input.limit) rows.push(row);
        if (rows.length >= input.limit) break;
      }
    yield renderFragment(
      <Section section={section} rows={rows} limit={input.limit} l={l} text={input.text} />,
    );
  }
  yield tail;
}
