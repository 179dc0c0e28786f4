/**
 * Script gating: `<script type="text/plain" data-category="analytics">` (inline or with `src`)
 * runs once every category it names (space-separated) is allowed, and, with
 * `data-service="name"`, while that service is not switched off. It is replaced by a live copy
 * with the same attributes, so it runs once; external copies keep their order (`async` off
 * unless the original asked for it).
 */
export function gate(allowed: (category: string) => boolean, servicesOff: readonly string[]): void {
  document.querySelectorAll<HTMLScriptElement>('script[type="text/plain"][data-category]').forEach((old) => {
    const { category = '', service = '' } = old.dataset;
    if (!category.split(' ').every(allowed) || servicesOff.includes(service)) return;
    const live = document.createElement('script');
    live.async = false;
    for (const a of Array.from(old.attributes)) if (a.name !== 'type') live.setAttribute(a.name, a.value);
    live.text = old.text;
    old.replaceWith(live);
  });
}
