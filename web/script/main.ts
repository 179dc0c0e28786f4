/**
 * Steward's browser script: the consent banner, script gating, Google Consent Mode and
 * analytics, for the declaration its tag names. It may be served from another origin than the
 * site's; it talks to the Steward that served it (its own URL's directory, `…/web/v1/`).
 *
 * @example
 * <script src="https://steward.example/web/v1/steward-<hash>.js" data-declaration="sncn-general" defer></script>
 *
 * `data-lang` picks the banner's language (otherwise `<html lang>`, otherwise the declaration's
 * first). The page gets `window.steward.open()` and `window.steward.allowed(category)`, and a
 * `steward:consent` event on `window` (detail: the allowed categories) whenever they change.
 */
import type { BannerConfig, ConsentAnswer, ConsentChoice } from '../../src/web/contract';
import { startAnalytics } from './analytics';
import { banner, h } from './banner';
import { consentDefault, consentUpdate } from './consent-mode';
import { gate } from './gate';
import { forget, readSaved, writeSaved } from './storage';
import { css } from './style';

const me = (document.currentScript ??
  document.querySelector('script[data-declaration]')) as HTMLScriptElement | null;
let allowedNow = new Set<string>();

if (me?.dataset.declaration && !window.steward) {
  const steward = (window.steward = { open() {}, allowed: (category: string) => allowedNow.has(category) });
  const { allowed } = steward;
  const base = me.src.replace(/[^/]*$/, '');
  const fail = (what: string) => (error: unknown) => console.warn(`Steward: ${what}`, error);
  const json = <T>(r: Response) =>
    r.ok ? (r.json() as Promise<T>) : Promise.reject(new Error(`HTTP ${r.status}`));
  consentDefault();

  const start = (config: BannerConfig) => {
    const want = (me.dataset.lang || document.documentElement.lang).toLowerCase();
    const lang =
      config.languages.find((l) => l === want) ??
      config.languages.find((l) => l === want.split('-')[0]) ??
      config.languages[0]!;
    const gpc = navigator.globalPrivacyControl === true;
    const forced = (id: string) =>
      gpc && config.gpcHonoured && !!config.categories.find((c) => c.id === id)?.gpcOptOut;
    let saved = readSaved(config.consentCookie.name);
    // A choice made for another version of the declaration re-prompts, and allows nothing meanwhile.
    let chosen = saved?.v === config.version;
    const servicesOff = () => (chosen && saved?.o) || [];

    const set = (ids: readonly string[]) => {
      allowedNow = new Set(
        config.categories.filter((c) => c.required || (ids.includes(c.id) && !forced(c.id))).map((c) => c.id),
      );
      const off = servicesOff();
      forget(
        config.categories.flatMap((c) => c.services.filter((v) => !allowed(c.id) || off.includes(v.name))),
      );
      gate(allowed, off);
      consentUpdate(config, allowed);
      dispatchEvent(new CustomEvent('steward:consent', { detail: [...allowedNow] }));
    };

    const choose = (categories: Record<string, boolean>, off: string[], via: ConsentChoice['via']) => {
      // A withdrawal applies at once; a grant waits until the server has recorded it.
      set([...allowedNow].filter((id) => categories[id]));
      const choice: ConsentChoice = {
        declarationId: config.declarationId,
        version: config.version,
        categories,
        servicesOff: off,
        gpc,
        language: lang,
        token: saved?.t,
        via,
      };
      fetch(base + 'consent', { method: 'POST', body: JSON.stringify(choice), keepalive: true })
        .then(json<ConsentAnswer>)
        .then((answer) => {
          saved = { v: answer.version, t: answer.token, a: [...answer.allowed], o: off };
          writeSaved(config.consentCookie, saved);
          chosen = true;
          set(answer.allowed);
        })
        .catch(fail('the choice was not recorded'));
    };

    set(chosen ? saved!.a : []);
    startAnalytics({ config, url: base + 'events', allowed, token: () => (chosen ? saved?.t : undefined) });
    document.head.append(h('style', { nonce: me.nonce || undefined }, css));
    const ui = banner({ config, lang, allowed, forced, servicesOff, chosen: () => chosen, choose });
    steward.open = () => ui.open();
    // Focus moves into a banner that opens by itself only if the visitor is not busy elsewhere.
    const active = document.activeElement;
    if (!chosen) ui.open(false, (!active || active === document.body) && 'dialog');
  };

  fetch(base + 'config/' + encodeURIComponent(me.dataset.declaration))
    .then(json<BannerConfig>)
    .then((config) => {
      if (document.readyState === 'loading') addEventListener('DOMContentLoaded', () => start(config));
      else start(config);
    })
    .catch(fail('no banner'));
}
