/**
 * Google Consent Mode v2. Every signal is denied before anything else can run; once the
 * configuration is known and after every choice, an update grants the signals of the allowed
 * categories (the required ones, such as `security_storage`, included).
 */
import type { BannerConfig, ConsentModeSignal } from '../../src/web/contract';

const signals: ConsentModeSignal[] = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
];

const states = (granted: (signal: ConsentModeSignal) => boolean) =>
  Object.fromEntries(signals.map((s) => [s, granted(s) ? 'granted' : 'denied']));

/** Defines `dataLayer` and `gtag` when the page has not, and sets every signal to denied. */
export function consentDefault(): void {
  const layer = (window.dataLayer = window.dataLayer || []);
  window.gtag =
    window.gtag ||
    function () {
      // gtag.js only reads `arguments` objects off the data layer, not arrays.
      // eslint-disable-next-line prefer-rest-params
      layer.push(arguments);
    };
  window.gtag('consent', 'default', { ...states(() => false), wait_for_update: 500 });
}

export function consentUpdate(config: BannerConfig, allowed: (category: string) => boolean): void {
  window.gtag?.(
    'consent',
    'update',
    states((s) => config.categories.some((c) => allowed(c.id) && c.consentMode.includes(s))),
  );
}
