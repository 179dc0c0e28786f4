/**
 * Server HTML is written one way: TSX components under src/ rendered by src/server/html/render.tsx,
 * which escape every value by default. No `.ts` file builds markup from string or template
 * literals any more, so a forgotten `escapeHtml` cannot come back. The privacy notice's files are
 * left out while they are converted separately; `src/policy/html.ts` keeps the notice's
 * `htmlPage` until then.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

/** Not yet converted: the notice (render-notice.ts, policy/notice/) and its document frame. */
const pending = [/^src\/policy\/render-notice\.ts$/, /^src\/policy\/notice\//, /^src\/policy\/html\.ts$/];

/** HTML tag names; a literal is markup when it holds a closing tag, a tag with attributes, a doctype or two tags. */
const names =
  '(?:html|head|body|main|section|nav|header|footer|div|span|p|a|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|th|td|caption|form|input|button|select|option|textarea|label|fieldset|legend|details|summary|code|strong|em|br|meta|title|style|script|link|img)';
const closing = new RegExp(`</${names}>`, 'i');
const withAttributes = new RegExp(`<${names}\\s+[a-z-]+(=|\\s|>|/)`, 'i');
const anyTag = new RegExp(`</?${names}[\\s>/]`, 'gi');
const isMarkup = (text: string) =>
  /<!doctype/i.test(text) ||
  closing.test(text) ||
  withAttributes.test(text) ||
  (text.match(anyTag) ?? []).length > 1;

function sourceFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}

function plainTsFiles(dir: string): string[] {
  return sourceFiles(dir, /\.ts$/).filter((file) => !file.endsWith('.test.ts'));
}

/** Every string and template literal of a file whose text holds an HTML tag, with its line. */
export function markupLiterals(fileName: string, text: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    const texts =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
        ? [node.text]
        : ts.isTemplateExpression(node)
          ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)]
          : [];
    // A template split at its interpolations is checked whole too: `<${name} class=` is still a tag.
    const joined = ts.isTemplateExpression(node) ? texts.join('div') : '';
    if (texts.some(isMarkup) || withAttributes.test(joined))
      found.push({
        line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        text: node.getText().slice(0, 80),
      });
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no .ts file under src/ writes HTML from string or template literals', () => {
  const offenders = plainTsFiles(src)
    .map((file) => relative(root, file).split('\\').join('/'))
    .filter((file) => !pending.some((p) => p.test(file)))
    .flatMap((file) =>
      markupLiterals(file, readFileSync(join(root, file), 'utf8')).map((m) => `${file}:${m.line} ${m.text}`),
    );
  assert.deepEqual(offenders, [], 'write HTML as a TSX component (src/server/html/) instead');
});

test('the check finds markup in string concatenation and templates, and ignores plain text', () => {
  assert.equal(markupLiterals('a.ts', "const a = '<td>' + x + '</td>';").length, 1);
  assert.equal(markupLiterals('a.ts', 'const a = `<p class="x">${y}</p>`;').length, 1);
  assert.equal(markupLiterals('a.ts', '`<${x} class="y">`').length, 1);
  assert.equal(markupLiterals('a.ts', "const a = 'a < b and c > d'; // <div>").length, 0);
  assert.equal(markupLiterals('a.ts', "program.argument('<code>');").length, 0);
  assert.equal(markupLiterals('a.ts', 'const header = `<${url}>, <${mailto}>`;').length, 0);
});

test('raw HTML (dangerouslySetInnerHTML) is set only in src/server/html/raw.tsx', () => {
  const users = sourceFiles(src, /\.tsx?$/)
    .filter((file) => !/\.test\.tsx?$/.test(file))
    .filter((file) => readFileSync(file, 'utf8').includes('dangerouslySetInnerHTML'))
    .map((file) => relative(root, file).split('\\').join('/'));
  assert.deepEqual(users, ['src/server/html/raw.tsx']);
});
