/**
 * Traffic figures for the console, from aggregates only: visits and page views per day, top
 * pages, page response times, and banner choices per category. No row names a visitor, and a
 * page seen by fewer visitors than the declaration's minimum group size is left out of the top
 * pages, so the figures stay anonymous statistics.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { notInForce } from '../errors.js';

export const trafficInput = z.strictObject({
  declarationId: z.string().min(1).max(100),
  days: z.coerce.number().int().min(1).max(366).default(30),
});

export interface Traffic {
  readonly from: string;
  readonly to: string;
  readonly minimumGroupSize: number;
  readonly days: readonly { day: string; visits: number; pageViews: number }[];
  readonly topPages: readonly { path: string; pageViews: number; visitors: number }[];
  readonly responseTimes: readonly { day: string; samples: number; medianMs: number; p75Ms: number }[];
  readonly consent: readonly { category: string; given: number; refused: number }[];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export async function trafficFigures(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof trafficInput>,
): Promise<Traffic> {
  requirePermission(actor, 'web:read');
  const input = trafficInput.parse(raw);
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  const minimum = active.model.declaration.statistics.minimumGroupSize;
  const now = ctx.clock.now();
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (input.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const db = ctx.store.db;
  const inRange = db
    .selectFrom('web_events')
    .where('declaration_id', '=', active.model.id)
    .where('day', '>=', from)
    .where('day', '<=', to);

  const [perDay, pages, timings, choices] = await Promise.all([
    inRange
      .where('type', '=', 'page_view')
      .select((eb) => [
        'day',
        eb.fn.count<number>('id').as('page_views'),
        eb.fn.count<number>(sql`distinct visitor`).as('visits'),
      ])
      .groupBy('day')
      .orderBy('day')
      .execute(),
    inRange
      .where('type', '=', 'page_view')
      .where('path', 'is not', null)
      .select((eb) => [
        'path',
        eb.fn.count<number>('id').as('page_views'),
        eb.fn.count<number>(sql`distinct visitor`).as('visitors'),
      ])
      .groupBy('path')
      .having(sql`count(distinct visitor)`, '>=', minimum)
      .orderBy('page_views', 'desc')
      .limit(10)
      .execute(),
    inRange.where('type', '=', 'timing').where('value', 'is not', null).select(['day', 'value']).execute(),
    db
      .selectFrom('consent_events')
      .where('declaration_id', '=', active.model.id)
      .where('channel', '=', 'banner')
      .where('target_kind', '=', 'cookie_category')
      .where('at', '>=', `${from}T00:00:00.000Z`)
      .select((eb) => ['target_id', 'event', eb.fn.count<number>('id').as('n')])
      .groupBy(['target_id', 'event'])
      .execute(),
  ]);

  const timingByDay = new Map<string, number[]>();
  for (const t of timings) {
    const list = timingByDay.get(t.day) ?? [];
    list.push(Number(t.value));
    timingByDay.set(t.day, list);
  }
  const consent = new Map<string, { given: number; refused: number }>();
  for (const c of choices) {
    const entry = consent.get(c.target_id) ?? { given: 0, refused: 0 };
    if (c.event === 'withdrawn') entry.refused += Number(c.n);
    else entry.given += Number(c.n);
    consent.set(c.target_id, entry);
  }
  return {
    from,
    to,
    minimumGroupSize: minimum,
    days: perDay.map((d) => ({ day: d.day, visits: Number(d.visits), pageViews: Number(d.page_views) })),
    topPages: pages.map((p) => ({
      path: p.path ?? '',
      pageViews: Number(p.page_views),
      visitors: Number(p.visitors),
    })),
    responseTimes: [...timingByDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, values]) => {
        const sorted = values.sort((a, b) => a - b);
        return {
          day,
          samples: sorted.length,
          medianMs: percentile(sorted, 0.5),
          p75Ms: percentile(sorted, 0.75),
        };
      }),
    consent: active.model.declaration.cookies.categories
      .filter((c) => !c.required)
      .map((c) => ({ category: c.id, ...(consent.get(c.id) ?? { given: 0, refused: 0 }) })),
  };
}
