/**
 * Analytics events, each sent only when the declaration lists its type and its category is
 * allowed, or the declaration marks it exempt audience measurement. Exempt batches carry no
 * token, and nothing here ever writes a cookie or web storage.
 *
 * Events wait in a queue and leave as one batch on `pagehide` or when the page is hidden, every
 * 10 s, or at 20 events. Links are reported without their query and fragment; a link to another
 * host is an `exit` carrying only the destination's origin, never a `click`.
 */
import type { AnalyticsEventType, BannerConfig, BrowserEvent, EventBatch } from '../../src/web/contract';

export interface AnalyticsSetup {
  readonly config: BannerConfig;
  /** Where events go: `<steward>/web/v1/events`. */
  readonly url: string;
  readonly allowed: (category: string) => boolean;
  /** The consent token, once the visitor has chosen. */
  readonly token: () => string | undefined;
}

type Extra = Omit<BrowserEvent, 'type' | 'at'>;

const files =
  /\.(pdf|zip|gz|tgz|7z|rar|dmg|exe|msi|pkg|deb|apk|iso|csv|xlsx?|docx?|pptx?|od[tsp]|epub|mp[34])$/i;

const randomId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b | 256).toString(16).slice(1)).join('');

/** The URL without query and fragment. */
const bare = (a: HTMLAnchorElement) => a.origin + a.pathname;

export function startAnalytics({ config, url, allowed, token }: AnalyticsSetup): void {
  const rule = (type: AnalyticsEventType) => config.events.find((e) => e.type === type);
  const exempt = (type: AnalyticsEventType) => !!rule(type)?.exempt;
  const can = (type: AnalyticsEventType) => {
    const r = rule(type);
    return !!r && (r.exempt || allowed(r.category));
  };
  let queue: BrowserEvent[] = [];

  const add = (type: AnalyticsEventType, extra: Extra = {}) => {
    if (!can(type)) return;
    queue.push({ type, at: Date.now(), ...extra });
    if (queue.length >= 20) flush();
  };

  const flush = () => {
    // A withdrawal since an event was queued also withdraws the event.
    const events = queue.filter((e) => can(e.type));
    queue = [];
    if (!events.length) return;
    const batch: EventBatch = {
      id: randomId(),
      declarationId: config.declarationId,
      token: events.some((e) => !exempt(e.type)) ? token() : undefined,
      page: location.href.split('#')[0]!,
      referrer: document.referrer || undefined,
      events,
    };
    const body = JSON.stringify(batch);
    if (!navigator.sendBeacon?.(url, body))
      fetch(url, { method: 'POST', body, keepalive: true }).catch(() => {});
  };

  const on = document.addEventListener.bind(document);
  const labelled = (node: EventTarget | null) =>
    node instanceof Element ? node.closest('[data-steward-label]') : null;
  const label = (el: Element | null) => el?.getAttribute('data-steward-label') ?? undefined;

  add('page_view');
  const query = new URLSearchParams(location.search);
  const term = query.get('q') || query.get('search');
  if (term) add('site_search', { label: term });

  // Navigation Timing 2: until the load event ended, or until the response did.
  const timing = () => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    if (nav) add('timing', { value: Math.round((nav.loadEventEnd || nav.responseEnd) - nav.startTime) });
  };
  if (document.readyState === 'complete') setTimeout(timing);
  else addEventListener('load', () => setTimeout(timing));

  on(
    'click',
    (e) => {
      const el = e.target instanceof Element ? e.target : null;
      if (!el || el.closest('.stw,.stw-r')) return;
      const a = el.closest('a[href]') as HTMLAnchorElement | null;
      const tagged = labelled(el);
      if (a && /^https?:$/.test(a.protocol) && a.host !== location.host)
        return add('exit', { target: a.origin });
      if (a || tagged)
        add('click', { target: a ? bare(a) : tagged!.tagName.toLowerCase(), label: label(tagged) });
      if (
        a &&
        a.origin === location.origin &&
        (a.hasAttribute('download') || files.test(a.pathname)) &&
        can('download_error')
      )
        fetch(a.href, { method: 'HEAD' }).then(
          (r) => r.ok || add('download_error', { target: bare(a), value: r.status }),
          () => add('download_error', { target: bare(a) }),
        );
    },
    true,
  );

  // A page resource that failed to load (image, script, style sheet).
  addEventListener(
    'error',
    (e) => {
      const t = e.target as Partial<HTMLImageElement & HTMLLinkElement> | null;
      const src = t?.src || t?.href;
      if (src) add('download_error', { target: src.split(/[?#]/)[0] });
    },
    true,
  );

  let depth = 0;
  addEventListener(
    'scroll',
    () => {
      if (!can('scroll')) return;
      const seen = ((scrollY + innerHeight) / document.documentElement.scrollHeight) * 100;
      while (depth < 100 && depth + 25 <= seen + 0.5) add('scroll', { value: (depth += 25) });
    },
    { passive: true },
  );

  let over: Element | null = null;
  let hoverTimer = 0;
  const hover = (el: Element | null) => {
    if (el === over) return;
    clearTimeout(hoverTimer);
    over = el;
    if (el)
      hoverTimer = setTimeout(
        () => add('hover', { target: el.tagName.toLowerCase(), label: label(el) }),
        500,
      );
  };
  on('mouseover', (e) => hover(labelled(e.target)));
  on('mouseout', (e) => e.relatedTarget || hover(null));

  // A search form that reloads the page with ?q= or ?search= is counted by the page it opens.
  on('submit', (e) => {
    const form = e.target as HTMLFormElement;
    const input = form
      .closest('[role=search],search')
      ?.querySelector<HTMLInputElement>('input[type=search],input[name=q],input[name=search]');
    if (!input?.value) return;
    if (!e.defaultPrevented && form.method === 'get' && /^(q|search)$/.test(input.name)) return;
    add('site_search', { label: input.value });
  });

  // time_on_page: the milliseconds the page was visible since the last such event.
  let visibleSince = document.visibilityState === 'visible' ? performance.now() : -1;
  const leave = () => {
    if (visibleSince >= 0) add('time_on_page', { value: Math.round(performance.now() - visibleSince) });
    visibleSince = -1;
    flush();
  };
  on('visibilitychange', () => {
    if (document.visibilityState === 'hidden') leave();
    else visibleSince = performance.now();
  });
  addEventListener('pagehide', leave);
  setInterval(flush, 10_000);
}
