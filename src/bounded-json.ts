/**
 * Bounds on the JSON Steward takes in. Parsing is safe at any depth, but serialising is not:
 * `JSON.stringify` (sealing), canonical JSON (the audit chain) and the response serialiser recurse,
 * and a value nested a few thousand levels deep overflows the stack. So every JSON body and file
 * line is refused past `MAX_JSON_DEPTH` before it is parsed, and every free-form field (a
 * record's data, corrected values) has explicit bounds checked by `boundedJson`.
 */
import type { z } from 'zod';
import { AppError } from './errors.js';

/** How deep objects and arrays may nest in any JSON body or file line. */
export const MAX_JSON_DEPTH = 64;

/** Bounds on one free-form JSON value, such as a captured record's `data`. */
export interface FreeFormLimits {
  /** Levels of objects and arrays inside the value. */
  readonly depth: number;
  /** Fields and array items, counted over the whole value. */
  readonly entries: number;
  /** Characters in any one text or field name. */
  readonly textLength: number;
  /** Characters of the value written as JSON (approximately, counted without writing it). */
  readonly size: number;
}

export const FREE_FORM_LIMITS: FreeFormLimits = {
  depth: 16,
  entries: 10_000,
  textLength: 100_000,
  size: 256 * 1024,
};

/**
 * True when JSON text nests deeper than `limit`, found in one pass without recursion. Text that
 * is not valid JSON is left to the parser to refuse.
 */
export function jsonTextTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  // Text with no more opening brackets than the limit cannot nest past it (native searches).
  let opening = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1 && opening <= limit; i = text.indexOf(bracket, i + 1))
      opening += 1;
  }
  if (opening <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

/** The refusal for JSON text past `MAX_JSON_DEPTH`; `where` names it (`The JSON body`, `This line`). */
export function tooDeepError(where: string): AppError {
  const message = `nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays, the most Steward accepts`;
  return new AppError('validation_failed', `${where} ${message}.`, [{ path: 'body', message }]);
}

/**
 * What is wrong with `value` as bounded free-form JSON, or undefined. Walks it with a stack (no
 * recursion) and stops at the first bound passed. Only JSON values pass: no functions, no
 * non-finite numbers, and no `__proto__` field (it would set a prototype when copied).
 */
export function freeFormProblem(
  value: unknown,
  limits: FreeFormLimits = FREE_FORM_LIMITS,
): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  let entries = 0;
  let size = 0;
  const text = (s: string): string | undefined => {
    size += s.length + 2;
    return s.length > limits.textLength
      ? `has a text longer than ${limits.textLength} characters`
      : undefined;
  };
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === 'string') {
      const problem = text(item);
      if (problem !== undefined) return problem;
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'has a number that is not finite';
      size += 8;
    } else if (item === null || typeof item === 'boolean') size += 5;
    else if (typeof item === 'object') {
      if (depth >= limits.depth) return `nests deeper than ${limits.depth} levels`;
      const children = Array.isArray(item) ? item : Object.entries(item as Record<string, unknown>);
      entries += children.length;
      if (entries > limits.entries) return `has more than ${limits.entries} fields and items`;
      size += 2;
      if (Array.isArray(item)) for (const child of item) stack.push([child, depth + 1]);
      else
        for (const [key, child] of children as [string, unknown][]) {
          if (key === '__proto__') return 'has a field named __proto__';
          const problem = text(key);
          if (problem !== undefined) return problem;
          stack.push([child, depth + 1]);
        }
    } else return `has a value of type ${typeof item}, which JSON cannot hold`;
    if (size > limits.size) return `is larger than ${limits.size} characters as JSON`;
  }
  return undefined;
}

/**
 * `schema` with the free-form bounds checked on what it parsed.
 *
 * @example
 * data: boundedJson(z.record(z.string(), z.unknown())).default({})
 */
export function boundedJson<T extends z.ZodType>(schema: T, limits: FreeFormLimits = FREE_FORM_LIMITS) {
  return schema.superRefine((value, ctx) => {
    const problem = freeFormProblem(value, limits);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}
