/**
 * The consent cookie, and clearing what a withdrawn category left behind. Nothing here writes
 * before the visitor has chosen: the cookie is written only with the server's answer.
 *
 * The cookie value is form-encoded: `v=<version>&t=<token>&a=<allowed>&o=<servicesOff>`, where
 * `v` is the declaration version the answer was for, `t` the server's signed token, `a` the
 * allowed non-required categories and `o` the services switched off, both comma-separated
 * (`new URLSearchParams(value)` reads it, on either side).
 */
import type { BannerConfig } from '../../src/web/contract';

export interface Saved {
  /** Declaration version the choice was made for; another version in force re-prompts. */
  readonly v: string;
  readonly t: string;
  readonly a: string[];
  readonly o: string[];
}

const list = (value: string | null) => (value ? value.split(',') : []);

export function readSaved(name: string): Saved | undefined {
  const raw = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  if (!raw) return undefined;
  const p = new URLSearchParams(raw.slice(name.length + 1));
  const v = p.get('v');
  const t = p.get('t');
  return v && t ? { v, t, a: list(p.get('a')), o: list(p.get('o')) } : undefined;
}

export function writeSaved(cookie: BannerConfig['consentCookie'], saved: Saved): void {
  const value = new URLSearchParams({ v: saved.v, t: saved.t, a: saved.a.join(), o: saved.o.join() });
  document.cookie =
    `${cookie.name}=${value}; Max-Age=${Math.round(cookie.days * 86400)}; Path=/; SameSite=Lax` +
    (location.protocol === 'https:' ? '; Secure' : '');
}

/**
 * Deletes first-party cookies and web storage entries of services that are not allowed (a name
 * ending in `*` is a prefix). Deleting never creates anything, so it is safe before a choice too.
 */
export function forget(services: BannerConfig['categories'][number]['services']): void {
  const hosts = location.hostname.split('.').map((_, i, parts) => parts.slice(i).join('.'));
  for (const { name, kind } of services) {
    const match = (n: string) => (name.slice(-1) === '*' ? n.startsWith(name.slice(0, -1)) : n === name);
    try {
      if (kind === 'cookie')
        for (const c of document.cookie.split('; ')) {
          const n = c.split('=')[0]!;
          if (match(n))
            for (const domain of ['', ...hosts])
              document.cookie = `${n}=; Max-Age=0; Path=/` + (domain && '; Domain=' + domain);
        }
      else if (kind !== 'pixel') {
        const store = kind === 'local_storage' ? localStorage : sessionStorage;
        for (const n of Object.keys(store)) if (match(n)) store.removeItem(n);
      }
    } catch {
      // Storage the browser refuses to open holds nothing to delete.
    }
  }
}
