import { useId } from 'react';
import type { RequestSummary } from '../api';
import { plural } from './Format';
import { DAY_MS, isOverdue } from './RequestFormat';

const WEEKS = 8;
const BAR = 44;
const GAP = 16;
const PLOT = 110;
const TOP = 22;
const HEIGHT = TOP + PLOT + 40;

const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

interface Bucket {
  key: string;
  /** Under the bar. */
  label: string;
  /** In the table. */
  range: string;
  count: number;
  overdue: boolean;
}

/** Overdue, then the next eight weeks counted from now, then what falls due after them. */
function bucketsOf(requests: readonly RequestSummary[], now: number): { buckets: Bucket[]; later: number } {
  const buckets: Bucket[] = [{ key: 'overdue', label: 'Overdue', range: 'Overdue', count: 0, overdue: true }];
  for (let week = 0; week < WEEKS; week += 1) {
    const start = new Date(now + week * 7 * DAY_MS);
    const end = new Date(now + (week * 7 + 6) * DAY_MS);
    buckets.push({
      key: `week-${week}`,
      label: shortDate.format(start),
      range: `${shortDate.format(start)} – ${shortDate.format(end)}`,
      count: 0,
      overdue: false,
    });
  }
  let later = 0;
  for (const request of requests) {
    const week = isOverdue(request, now)
      ? -1
      : Math.floor((Date.parse(request.deadline) - now) / (7 * DAY_MS));
    const bucket = buckets[week + 1];
    if (week < WEEKS && bucket) bucket.count += 1;
    else later += 1;
  }
  return { buckets, later };
}

/**
 * What falls due when: open requests by week of their deadline in force, with the overdue ones
 * first. The bars are drawn in SVG; the same figures are in a sentence and in a table, and the
 * overdue bar is hatched and labelled, not only coloured.
 */
export function DueChart({ requests, now }: { requests: readonly RequestSummary[]; now: number }) {
  const { buckets, later } = bucketsOf(requests, now);
  const captionId = useId();
  const summaryId = useId();
  const hatchId = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const width = buckets.length * (BAR + GAP) + GAP;
  const overdue = buckets[0]?.count ?? 0;
  const nextWeek = buckets[1]?.count ?? 0;
  const soon = buckets.slice(2).reduce((sum, bucket) => sum + bucket.count, 0);

  return (
    <figure className="stack-tight" aria-labelledby={captionId} data-testid="due-chart" style={{ margin: 0 }}>
      <figcaption id={captionId} className="muted">
        Open requests by week of their deadline, counted from today.
      </figcaption>
      <p id={summaryId} data-testid="due-summary">
        {plural(requests.length, 'open request', 'open requests')}: {overdue} overdue, {nextWeek} due in the
        next 7 days, {soon} in the {WEEKS - 1} weeks after that
        {later > 0 ? `, ${later} later` : ''}.
      </p>
      <svg
        role="img"
        aria-label="Bar chart of open requests by week of deadline"
        aria-describedby={summaryId}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        style={{ width: '100%', maxWidth: '40rem', height: 'auto' }}
      >
        <defs>
          <pattern
            id={hatchId}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" style={{ fill: 'var(--error-bg)' }} />
            <line x1="0" y1="0" x2="0" y2="6" strokeWidth="3" style={{ stroke: 'var(--error-text)' }} />
          </pattern>
        </defs>
        <line
          x1={GAP / 2}
          x2={width - GAP / 2}
          y1={TOP + PLOT}
          y2={TOP + PLOT}
          style={{ stroke: 'var(--border-strong)' }}
        />
        {buckets.map((bucket, index) => {
          const x = GAP + index * (BAR + GAP);
          const height = Math.round((bucket.count / max) * PLOT);
          return (
            <g key={bucket.key}>
              <rect
                x={x}
                y={TOP + PLOT - height}
                width={BAR}
                height={height}
                style={
                  bucket.overdue
                    ? { fill: `url(#${hatchId})`, stroke: 'var(--error-text)' }
                    : { fill: 'var(--accent)' }
                }
              />
              <text
                x={x + BAR / 2}
                y={TOP + PLOT - height - 6}
                textAnchor="middle"
                fontSize="13"
                fontWeight="600"
                style={{ fill: 'var(--text)' }}
              >
                {bucket.count}
              </text>
              <text
                x={x + BAR / 2}
                y={TOP + PLOT + 18}
                textAnchor="middle"
                fontSize="12"
                fontWeight={bucket.overdue ? '700' : '400'}
                style={{ fill: bucket.overdue ? 'var(--error-text)' : 'var(--text-muted)' }}
              >
                {bucket.label}
              </text>
            </g>
          );
        })}
        <text
          x={width / 2}
          y={HEIGHT - 4}
          textAnchor="middle"
          fontSize="12"
          style={{ fill: 'var(--text-muted)' }}
        >
          Week starting
        </text>
      </svg>
      <details>
        <summary>The same figures as a table</summary>
        <div className="table-wrap">
          <table data-testid="due-table">
            <caption className="visually-hidden">Open requests by week of deadline</caption>
            <thead>
              <tr>
                <th scope="col">Deadline</th>
                <th scope="col">Open requests</th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((bucket) => (
                <tr key={bucket.key}>
                  <th scope="row">{bucket.range}</th>
                  <td className="numeric">{bucket.count}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Later</th>
                <td className="numeric">{later}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
