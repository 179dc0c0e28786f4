import type { LocalText } from './schema.js';

/** Picks the text for `language`, falling back to the first one given. */
export function localise(text: LocalText | undefined, language: string): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[language] ?? text[language.slice(0, 2)] ?? Object.values(text)[0] ?? '';
}
