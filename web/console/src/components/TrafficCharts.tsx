import { useId } from 'react';
import type { Traffic } from '../api';
import { capitalise, humanise, plural } from './Format';

const WIDTH = 640;
const LEFT = 64;
const RIGHT = 12;
const TOP = 16;
const PLOT = 150;
const HEIGHT = TOP + PLOT + 44;
const DAY_MS = 86_400_000;

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat();

/** `2025-03-07` → `7 Mar` (the day as counted, in UTC). */
export function shortDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

export function longDay(day: string): string {
  return longDayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** Every day from `from` to `to`, inclusive (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end && days.length < 400; at += DAY_MS)
    days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** A round number at or above `value`, for the top of an axis. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** Which days get a label under the axis: the first, the last and a few evenly between. */
function labelled(count: number): (index: number) => boolean {
  const every = Math.max(1, Math.ceil(count / 8));
  return (index) =>
    index === 0 || index === count - 1 || (index % every === 0 && count - 1 - index >= every / 2);
}

function Axis({ max, unit }: { max: number; unit?: string }) {
  return (
    <g>
      <line
        x1={LEFT}
        x2={WIDTH - RIGHT}
        y1={TOP}
        y2={TOP}
        strokeDasharray="3 3"
        style={{ stroke: 'var(--border)' }}
      />
      <text x={LEFT - 6} y={TOP + 4} textAnchor="end" fontSize="11" style={{ fill: 'var(--text-muted)' }}>
        {numberFormat.format(max)}
        {unit}
      </text>
      <line
        x1={LEFT}
        x2={WIDTH - RIGHT}
        y1={TOP + PLOT}
        y2={TOP + PLOT}
        style={{ stroke: 'var(--border-strong)' }}
      />
      <text
        x={LEFT - 6}
        y={TOP + PLOT + 4}
        textAnchor="end"
        fontSize="11"
        style={{ fill: 'var(--text-muted)' }}
      >
        0
      </text>
    </g>
  );
}

function DayLabels({ days, x }: { days: readonly string[]; x: (index: number) => number }) {
  const show = labelled(days.length);
  return (
    <g>
      {days.map((day, index) =>
        show(index) ? (
          <text
            key={day}
            x={x(index)}
            y={TOP + PLOT + 18}
            textAnchor="middle"
            fontSize="11"
            style={{ fill: 'var(--text-muted)' }}
          >
            {shortDay(day)}
          </text>
        ) : null,
      )}
    </g>
  );
}

/** Visits per day as bars, every day of the period (days without page views as 0). */
export function VisitsChart({ traffic }: { traffic: Traffic }) {
  const captionId = useId();
  const summaryId = useId();
  const byDay = new Map(traffic.days.map((d) => [d.day, d]));
  const days = daysBetween(traffic.from, traffic.to);
  const rows = days.map((day) => ({
    day,
    visits: byDay.get(day)?.visits ?? 0,
    pageViews: byDay.get(day)?.pageViews ?? 0,
  }));
  const totalVisits = rows.reduce((sum, r) => sum + r.visits, 0);
  const totalViews = rows.reduce((sum, r) => sum + r.pageViews, 0);
  const busiest = rows.reduce<(typeof rows)[number] | undefined>(
    (best, r) => (r.visits > 0 && (best === undefined || r.visits > best.visits) ? r : best),
    undefined,
  );
  const max = niceMax(Math.max(0, ...rows.map((r) => r.visits)));
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(1, rows.length);
  const bar = Math.max(2, Math.min(40, slot * 0.7));
  const x = (index: number) => LEFT + slot * index + slot / 2;

  return (
    <figure
      className="stack-tight"
      aria-labelledby={captionId}
      data-testid="visits-chart"
      style={{ margin: 0 }}
    >
      <figcaption id={captionId} className="muted">
        Visits per day: distinct cookieless visitor ids, which change every day.
      </figcaption>
      <p id={summaryId} data-testid="visits-summary">
        {plural(totalVisits, 'visit', 'visits')} and {plural(totalViews, 'page view', 'page views')} from{' '}
        {longDay(traffic.from)} to {longDay(traffic.to)}
        {busiest
          ? `; the busiest day was ${longDay(busiest.day)} with ${plural(busiest.visits, 'visit', 'visits')}`
          : ''}
        .
      </p>
      <svg
        role="img"
        aria-label="Bar chart of visits per day"
        aria-describedby={summaryId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        style={{ width: '100%', maxWidth: '48rem', height: 'auto' }}
      >
        <Axis max={max} />
        {rows.map((r, index) => {
          const height = Math.round((r.visits / max) * PLOT);
          return (
            <rect
              key={r.day}
              x={x(index) - bar / 2}
              y={TOP + PLOT - height}
              width={bar}
              height={height}
              style={{ fill: 'var(--accent)' }}
            >
              <title>{`${longDay(r.day)}: ${plural(r.visits, 'visit', 'visits')}`}</title>
            </rect>
          );
        })}
        <DayLabels days={days} x={x} />
        <text
          x={(LEFT + WIDTH - RIGHT) / 2}
          y={HEIGHT - 4}
          textAnchor="middle"
          fontSize="12"
          style={{ fill: 'var(--text-muted)' }}
        >
          Day (UTC)
        </text>
      </svg>
      <details>
        <summary>The same figures as a table</summary>
        <div className="table-wrap">
          <table data-testid="visits-table">
            <caption className="visually-hidden">Visits and page views per day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Visits</th>
                <th scope="col">Page views</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.day}>
                  <th scope="row">{longDay(r.day)}</th>
                  <td className="numeric">{numberFormat.format(r.visits)}</td>
                  <td className="numeric">{numberFormat.format(r.pageViews)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** The most viewed pages, with the group-size rule that keeps small counts out. */
export function TopPagesTable({ traffic }: { traffic: Traffic }) {
  const noteId = useId();
  return (
    <div className="stack-tight">
      {traffic.topPages.length === 0 ? (
        <p className="muted" data-testid="top-pages-empty">
          No page was seen by {traffic.minimumGroupSize} or more visitors in this period.
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="top-pages" aria-describedby={noteId}>
            <caption className="visually-hidden">Most viewed pages</caption>
            <thead>
              <tr>
                <th scope="col">Page</th>
                <th scope="col">Page views</th>
                <th scope="col">Visitors</th>
              </tr>
            </thead>
            <tbody>
              {traffic.topPages.map((p) => (
                <tr key={p.path}>
                  <th scope="row">
                    <code>{p.path}</code>
                  </th>
                  <td className="numeric">{numberFormat.format(p.pageViews)}</td>
                  <td className="numeric">{numberFormat.format(p.visitors)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p id={noteId} className="muted" data-testid="group-size-note">
        Pages seen by fewer than {traffic.minimumGroupSize} visitors are not shown, so that no figure
        describes only a few people (the declaration’s minimum group size).
      </p>
    </div>
  );
}

/** Median and 75th-percentile page response time per day, as two lines with markers. */
export function ResponseTimesChart({ traffic }: { traffic: Traffic }) {
  const captionId = useId();
  const summaryId = useId();
  const rows = traffic.responseTimes;
  if (rows.length === 0)
    return (
      <p className="muted" data-testid="response-times-empty">
        No response times were measured in this period.
      </p>
    );
  const samples = rows.reduce((sum, r) => sum + r.samples, 0);
  const latest = rows[rows.length - 1]!;
  const max = niceMax(Math.max(...rows.map((r) => r.p75Ms)));
  const slot = (WIDTH - LEFT - RIGHT) / rows.length;
  const x = (index: number) => LEFT + slot * index + slot / 2;
  const y = (ms: number) => TOP + PLOT - (ms / max) * PLOT;
  const points = (pick: (r: (typeof rows)[number]) => number) =>
    rows.map((r, index) => `${x(index).toFixed(1)},${y(pick(r)).toFixed(1)}`).join(' ');
  const days = rows.map((r) => r.day);

  return (
    <figure
      className="stack-tight"
      aria-labelledby={captionId}
      data-testid="response-times-chart"
      style={{ margin: 0 }}
    >
      <figcaption id={captionId} className="muted">
        Time from the request to the end of loading, per day: the median, and the 75th percentile (a quarter
        of page loads took longer).
      </figcaption>
      <p id={summaryId} data-testid="response-times-summary">
        {plural(samples, 'measurement', 'measurements')} on {plural(rows.length, 'day', 'days')}. On{' '}
        {longDay(latest.day)} the median was {numberFormat.format(latest.medianMs)} ms and the 75th percentile{' '}
        {numberFormat.format(latest.p75Ms)} ms.
      </p>
      <ul
        className="plain-list"
        aria-hidden="true"
        style={{ display: 'flex', gap: '1.5rem', fontSize: '0.875rem' }}
      >
        <li>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="0" x2="28" y1="5" y2="5" strokeWidth="3" style={{ stroke: 'var(--accent)' }} />
          </svg>{' '}
          Median
        </li>
        <li>
          <svg width="28" height="10" aria-hidden="true">
            <line
              x1="0"
              x2="28"
              y1="5"
              y2="5"
              strokeWidth="3"
              strokeDasharray="6 4"
              style={{ stroke: 'var(--warning-text)' }}
            />
          </svg>{' '}
          75th percentile
        </li>
      </ul>
      <svg
        role="img"
        aria-label="Line chart of median and 75th-percentile response times per day"
        aria-describedby={summaryId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        style={{ width: '100%', maxWidth: '48rem', height: 'auto' }}
      >
        <Axis max={max} unit=" ms" />
        <polyline
          points={points((r) => r.p75Ms)}
          fill="none"
          strokeWidth="2.5"
          strokeDasharray="6 4"
          style={{ stroke: 'var(--warning-text)' }}
        />
        <polyline
          points={points((r) => r.medianMs)}
          fill="none"
          strokeWidth="2.5"
          style={{ stroke: 'var(--accent)' }}
        />
        {rows.map((r, index) => (
          <g key={r.day}>
            <rect
              x={x(index) - 4}
              y={y(r.p75Ms) - 4}
              width="8"
              height="8"
              style={{ fill: 'var(--warning-text)' }}
            >
              <title>{`${longDay(r.day)}: 75th percentile ${r.p75Ms} ms`}</title>
            </rect>
            <circle cx={x(index)} cy={y(r.medianMs)} r="4.5" style={{ fill: 'var(--accent)' }}>
              <title>{`${longDay(r.day)}: median ${r.medianMs} ms`}</title>
            </circle>
          </g>
        ))}
        <DayLabels days={days} x={x} />
        <text
          x={(LEFT + WIDTH - RIGHT) / 2}
          y={HEIGHT - 4}
          textAnchor="middle"
          fontSize="12"
          style={{ fill: 'var(--text-muted)' }}
        >
          Day (UTC)
        </text>
      </svg>
      <details>
        <summary>The same figures as a table</summary>
        <div className="table-wrap">
          <table data-testid="response-times-table">
            <caption className="visually-hidden">Response times per day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Measurements</th>
                <th scope="col">Median</th>
                <th scope="col">75th percentile</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.day}>
                  <th scope="row">{longDay(r.day)}</th>
                  <td className="numeric">{numberFormat.format(r.samples)}</td>
                  <td className="numeric">{numberFormat.format(r.medianMs)} ms</td>
                  <td className="numeric">{numberFormat.format(r.p75Ms)} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}

const ROW = 34;
const BAR_LEFT = 120;
const BAR_WIDTH = WIDTH - BAR_LEFT - RIGHT;

/**
 * Banner choices per cookie category as one bar each: the share that allowed it, then the share
 * that refused it (hatched, not only another colour), with the percentages written beside.
 */
export function ConsentChart({ traffic }: { traffic: Traffic }) {
  const captionId = useId();
  const summaryId = useId();
  const hatchId = `refused-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const rows = traffic.consent.map((c) => ({ ...c, total: c.given + c.refused }));
  const choices = rows.reduce((sum, r) => sum + r.total, 0);
  const height = TOP + rows.length * ROW + 8;
  const name = (category: string) => capitalise(humanise(category));

  return (
    <figure
      className="stack-tight"
      aria-labelledby={captionId}
      data-testid="consent-chart"
      style={{ margin: 0 }}
    >
      <figcaption id={captionId} className="muted">
        Banner choices in this period, per cookie category: how often it was allowed and how often refused.
        Strictly necessary cookies need no choice and are not shown.
      </figcaption>
      <p id={summaryId} data-testid="consent-summary">
        {choices === 0
          ? 'No banner choices were recorded in this period.'
          : rows
              .map((r) =>
                r.total === 0
                  ? `${name(r.category)}: no choices`
                  : `${name(r.category)}: ${percent(r.given, r.total)}% allowed, ${percent(r.refused, r.total)}% refused`,
              )
              .join('; ') + '.'}
      </p>
      {choices > 0 && (
        <svg
          role="img"
          aria-label="Bar chart of the share of banner choices that allowed or refused each cookie category"
          aria-describedby={summaryId}
          viewBox={`0 0 ${WIDTH} ${height}`}
          style={{ width: '100%', maxWidth: '48rem', height: 'auto' }}
        >
          <defs>
            <pattern
              id={hatchId}
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="6" height="6" style={{ fill: 'var(--surface-muted)' }} />
              <line x1="0" y1="0" x2="0" y2="6" strokeWidth="3" style={{ stroke: 'var(--border-strong)' }} />
            </pattern>
          </defs>
          {rows.map((r, index) => {
            const top = TOP + index * ROW;
            const given = r.total === 0 ? 0 : (r.given / r.total) * BAR_WIDTH;
            return (
              <g key={r.category}>
                <text
                  x={BAR_LEFT - 8}
                  y={top + 15}
                  textAnchor="end"
                  fontSize="13"
                  style={{ fill: 'var(--text)' }}
                >
                  {name(r.category)}
                </text>
                {r.total === 0 ? (
                  <text x={BAR_LEFT} y={top + 15} fontSize="12" style={{ fill: 'var(--text-muted)' }}>
                    No choices
                  </text>
                ) : (
                  <>
                    <rect x={BAR_LEFT} y={top} width={given} height="22" style={{ fill: 'var(--accent)' }} />
                    <rect
                      x={BAR_LEFT + given}
                      y={top}
                      width={BAR_WIDTH - given}
                      height="22"
                      style={{ fill: `url(#${hatchId})`, stroke: 'var(--border-strong)' }}
                    />
                    {percent(r.given, r.total) >= 20 && (
                      <text
                        x={BAR_LEFT + 6}
                        y={top + 15}
                        fontSize="12"
                        fontWeight="600"
                        style={{ fill: '#ffffff' }}
                      >
                        {percent(r.given, r.total)}% allowed
                      </text>
                    )}
                    {percent(r.refused, r.total) >= 20 && (
                      <text
                        x={BAR_LEFT + BAR_WIDTH - 6}
                        y={top + 15}
                        textAnchor="end"
                        fontSize="12"
                        fontWeight="600"
                        style={{
                          fill: 'var(--text)',
                          paintOrder: 'stroke',
                          stroke: 'var(--surface)',
                          strokeWidth: 3,
                        }}
                      >
                        {percent(r.refused, r.total)}% refused
                      </text>
                    )}
                  </>
                )}
              </g>
            );
          })}
        </svg>
      )}
      <details>
        <summary>The same figures as a table</summary>
        <div className="table-wrap">
          <table data-testid="consent-table">
            <caption className="visually-hidden">Banner choices per cookie category</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Allowed</th>
                <th scope="col">Refused</th>
                <th scope="col">Allowed share</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.category}>
                  <th scope="row">{name(r.category)}</th>
                  <td className="numeric">{numberFormat.format(r.given)}</td>
                  <td className="numeric">{numberFormat.format(r.refused)}</td>
                  <td className="numeric">{r.total === 0 ? '—' : `${percent(r.given, r.total)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
