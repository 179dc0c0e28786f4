/**
 * Finding Steward's English wording left in something written in another language: the fixed
 * phrases of the English catalog (three words or more, outside placeholders) that the language's
 * own catalog says otherwise.
 */
import { catalogs } from '../../src/i18n/catalogs.js';

/** Visible text of HTML: tags dropped, the usual entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The fixed words of an ICU message: its text outside every `{…}`, piece by piece, trimmed. */
export function fixedPieces(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '{' || ch === '}') {
      if (depth === 0 && current !== '') pieces.push(current);
      current = '';
      depth += ch === '{' ? 1 : -1;
    } else if (depth === 0) current += ch;
  }
  if (current !== '') pieces.push(current);
  return pieces.map((p) => p.trim());
}

/** The English phrases of the messages under `prefixes` that `lang` says otherwise. */
export function englishPhrases(lang: string, prefixes: readonly string[]): string[] {
  const own = Object.values(catalogs[lang] ?? {}).join('\n');
  const phrases = new Set<string>();
  for (const [key, text] of Object.entries(catalogs.en)) {
    if (!prefixes.some((p) => key.startsWith(p))) continue;
    for (const piece of fixedPieces(text))
      if (piece.split(/\s+/).length >= 3 && piece.length >= 14 && !own.includes(piece)) phrases.add(piece);
  }
  return [...phrases];
}
