/**
 * The notice's document tree as a complete HTML page, written as TSX and rendered with
 * `renderToStaticMarkup`: every text is escaped by React, so no declaration value can become
 * markup. Only http(s), mailto and relative URLs become links (`safeHref`). Ids are stable:
 * `<section id="…" aria-labelledby="…-heading">` with its heading `…-heading`.
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { htmlPage, safeHref } from '../html.js';
import type { Block, Inline, NoticeDocument, Rich, Section } from './tree.js';

function InlineHtml({ item }: { readonly item: Inline }): ReactElement | string {
  if (typeof item === 'string') return item;
  if ('anchor' in item) return <a href={`#${item.anchor}`}>{item.text}</a>;
  const href = safeHref(item.href);
  return href === undefined ? item.text : <a href={href}>{item.text}</a>;
}

function RichHtml({ rich }: { readonly rich: Rich }): ReactElement | string {
  if (typeof rich === 'string') return rich;
  return (
    <>
      {rich.map((item, i) => (
        <InlineHtml key={i} item={item} />
      ))}
    </>
  );
}

function BlockHtml({ block }: { readonly block: Block }): ReactElement {
  switch (block.kind) {
    case 'p':
      return (
        <p>
          <RichHtml rich={block.content} />
        </p>
      );
    case 'list':
      return (
        <ul>
          {block.items.map((item, i) => (
            <li key={i}>
              <RichHtml rich={item} />
            </li>
          ))}
        </ul>
      );
    case 'facts':
      return (
        <dl>
          {block.items.map((item, i) => (
            <div key={i}>
              <dt>{item.label}</dt>
              <dd>
                <RichHtml rich={item.value} />
              </dd>
            </div>
          ))}
        </dl>
      );
    case 'table':
      return (
        <table>
          <caption>{block.caption}</caption>
          <thead>
            <tr>
              {block.head.map((h, i) => (
                <th key={i} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      <RichHtml rich={cell} />
                    </th>
                  ) : (
                    <td key={i}>
                      <RichHtml rich={cell} />
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
}

function Heading({
  level,
  id,
  text,
}: {
  readonly level: number;
  readonly id: string;
  readonly text: string;
}) {
  const Tag = `h${Math.min(level, 6)}` as 'h2';
  return <Tag id={id}>{text}</Tag>;
}

function SectionHtml({
  section,
  level,
}: {
  readonly section: Section;
  readonly level: number;
}): ReactElement {
  return (
    <section id={section.id} aria-labelledby={`${section.id}-heading`}>
      <Heading level={level} id={`${section.id}-heading`} text={section.title} />
      {section.blocks.map((block, i) => (
        <BlockHtml key={i} block={block} />
      ))}
      {section.children.map((child) => (
        <SectionHtml key={child.id} section={child} level={level + 1} />
      ))}
    </section>
  );
}

function Contents({ sections }: { readonly sections: readonly Section[] }): ReactElement {
  return (
    <ol>
      {sections.map((s) => (
        <li key={s.id}>
          <a href={`#${s.id}`}>{s.title}</a>
          {s.children.length === 0 ? null : <Contents sections={s.children} />}
        </li>
      ))}
    </ol>
  );
}

function NoticeMain({ doc }: { readonly doc: NoticeDocument }): ReactElement {
  return (
    <main id="main">
      <h1>{doc.title}</h1>
      <p className="meta">{doc.meta}</p>
      {doc.fallback === undefined ? null : (
        <p className="fallback" role="note">
          {doc.fallback}
        </p>
      )}
      <p>{doc.intro}</p>
      <nav aria-labelledby="contents-heading">
        <h2 id="contents-heading">{doc.contents}</h2>
        <Contents sections={doc.sections} />
      </nav>
      {doc.sections.map((s) => (
        <SectionHtml key={s.id} section={s} level={2} />
      ))}
    </main>
  );
}

/** The notice as a complete HTML page in the document's language. */
export function writeHtml(doc: NoticeDocument): string {
  return htmlPage({ lang: doc.lang, title: doc.title, body: renderToStaticMarkup(<NoticeMain doc={doc} />) });
}
