/**
 * The notice's document tree as Markdown. Every text is escaped so it shows as written; only
 * http(s) and mailto URLs become links.
 */
import { escapeMarkdown, markdownHref, safeHref } from '../html.js';
import type { Block, Inline, NoticeDocument, Rich, Section } from './tree.js';

function inlineMd(item: Inline, atLineStart = false): string {
  if (typeof item === 'string') return escapeMarkdown(item, atLineStart);
  if ('anchor' in item) return `[${escapeMarkdown(item.text)}](#${item.anchor})`;
  const href = safeHref(item.href);
  return href === undefined
    ? escapeMarkdown(item.text)
    : `[${escapeMarkdown(item.text)}](${markdownHref(href)})`;
}

function richMd(rich: Rich, atLineStart = false): string {
  if (typeof rich === 'string') return escapeMarkdown(rich, atLineStart);
  return rich.map((item, i) => inlineMd(item, atLineStart && i === 0)).join('');
}

function blockMd(block: Block): string {
  switch (block.kind) {
    case 'p':
      return richMd(block.content, true);
    case 'list':
      return block.items.map((i) => `- ${richMd(i)}`).join('\n');
    case 'facts':
      return block.items.map((i) => `- **${escapeMarkdown(i.label)}:** ${richMd(i.value)}`).join('\n');
    case 'table': {
      const row = (cells: readonly string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
      return [
        `*${escapeMarkdown(block.caption)}*`,
        '',
        row(block.head.map((h) => escapeMarkdown(h))),
        row(block.head.map(() => '---')),
        ...block.rows.map((r) => row(r.map((cell) => richMd(cell)))),
      ].join('\n');
    }
  }
}

function sectionMd(s: Section, level: number): string {
  return [
    `<a id="${s.id}"></a>`,
    '',
    `${'#'.repeat(level)} ${escapeMarkdown(s.title)}`,
    '',
    ...s.blocks.flatMap((b) => [blockMd(b), '']),
    ...s.children.map((c) => sectionMd(c, level + 1)),
  ].join('\n');
}

function tocMd(sections: readonly Section[], indent = ''): string[] {
  return sections.flatMap((s, i) => {
    const marker = `${i + 1}. `;
    // A nested list must start where the parent item's text starts, or it does not nest.
    return [
      `${indent}${marker}[${escapeMarkdown(s.title)}](#${s.id})`,
      ...tocMd(s.children, indent + ' '.repeat(marker.length)),
    ];
  });
}

/** The notice as Markdown: headings with stable anchors, a numbered contents list, pipe tables. */
export function writeMarkdown(doc: NoticeDocument): string {
  return [
    `# ${escapeMarkdown(doc.title)}`,
    '',
    escapeMarkdown(doc.meta, true),
    '',
    ...(doc.fallback === undefined ? [] : [`> ${escapeMarkdown(doc.fallback)}`, '']),
    escapeMarkdown(doc.intro, true),
    '',
    `## ${escapeMarkdown(doc.contents)}`,
    '',
    ...tocMd(doc.sections),
    '',
    ...doc.sections.map((s) => sectionMd(s, 2)),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .concat('\n');
}
