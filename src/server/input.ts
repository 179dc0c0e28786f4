/**
 * What every request's input must be before a route sees it: JSON bodies bounded in depth
 * (bounded-json.ts), and no NUL character (U+0000) in any text, since PostgreSQL cannot store
 * one and no field of Steward's needs it. Both are refused as `validation_failed`, naming where.
 */
import type { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import { jsonTextTooDeep, tooDeepError } from '../bounded-json.js';
import { AppError } from '../errors.js';

/** Requests whose body went through `boundedJsonParser`, which looked for NUL already. */
const checkedBodies = new WeakSet<FastifyRequest>();

/** True when JSON text writes a NUL as `\u0000` (a raw NUL is not valid JSON anyway). */
function jsonTextHasNul(text: string): boolean {
  for (let i = text.indexOf('\\u0000'); i !== -1; i = text.indexOf('\\u0000', i + 1)) {
    // The backslash starts an escape only after an even number of backslashes.
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && text.charCodeAt(j) === 0x5c; j -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return true;
  }
  return false;
}

function nulError(where: string): AppError {
  const message = 'contains a NUL character (U+0000), which Steward does not accept in any text';
  return new AppError('validation_failed', `The request is refused: ${where} ${message}.`, [
    { path: where, message },
  ]);
}

/**
 * A `parseAs: 'string'` content-type parser for JSON: Fastify's own (which refuses `__proto__`
 * poisoning), after refusing over-deep JSON and NUL characters in the text.
 */
export function boundedJsonParser(app: FastifyInstance): FastifyBodyParser<string> {
  const parse = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (jsonTextTooDeep(body)) {
      done(tooDeepError('The JSON body'), undefined);
      return;
    }
    if (jsonTextHasNul(body)) {
      done(nulError('body'), undefined);
      return;
    }
    checkedBodies.add(request);
    void parse(request, body, done);
  };
}

/** Where a NUL character is in parsed input (strings, arrays, plain objects), walked without recursion. */
function nulPath(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return path;
    } else if (Array.isArray(item)) item.forEach((v, i) => stack.push([v, `${path}[${i}]`]));
    else if (item !== null && typeof item === 'object' && !('pipe' in item)) {
      for (const [key, v] of Object.entries(item)) {
        if (key.includes('\u0000')) return path;
        stack.push([v, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/** Refuses NUL characters in path parameters, query strings and non-JSON bodies (forms, text). */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where =
      nulPath(request.params, 'params') ??
      nulPath(request.query, 'querystring') ??
      (checkedBodies.has(request) ? undefined : nulPath(request.body, 'body'));
    if (where !== undefined) throw nulError(where);
  });
}
