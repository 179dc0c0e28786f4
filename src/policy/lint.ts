/**
 * Reads a declaration file and reports every problem at once: YAML syntax, schema violations, and
 * the rules that make a declaration lawful and coherent. Each issue has a stable code, the path in
 * the file, the line where it can be found, and a hint saying how to fix it.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { canonicalJson, sha256Hex } from '../crypto.js';
import { needsTransferMechanism } from './geography.js';
import { PolicyModel } from './model.js';
import type { Declaration } from './schema.js';
import { declarationSchema } from './schema.js';

export const lintCodes = {
  'yaml.syntax': 'The file is not valid YAML',
  'schema.invalid': 'A value does not have the shape the format requires',
  'id.duplicate': 'Two entries share an id',
  'ref.undeclared': 'A reference to something the declaration does not declare',
  'basis.missing': 'A purpose has no legal basis',
  'basis.no_default': 'A per-jurisdiction legal basis leaves other jurisdictions without one',
  'basis.li_without_assessment': 'Legitimate interests without a recorded assessment',
  'basis.obligation_without_law': 'Legal obligation without naming the law',
  'transfer.no_mechanism': 'A recipient outside the EEA without adequacy or a transfer mechanism',
  'transfer.dpf_outside_us': 'The Data Privacy Framework only covers recipients in the United States',
  'retention.missing': 'A category used by a purpose has no retention rule',
  'consent.no_collection_point': 'Consent is the basis but there is no way to collect it',
  'processor.data_in_controller_purpose': 'A controller purpose uses the data of a processor-role service',
  'processor.no_provider': 'A processor-role service does not say who the Provider is',
  'communication.permission_mismatch': 'A communication’s kind and permission do not fit together',
  'communication.purpose_not_marketing':
    'A marketing communication serves a purpose not marked as direct marketing',
  'category.special': 'A special category of data (Art. 9) is processed',
} as const;
export type LintCode = keyof typeof lintCodes;

export interface LintIssue {
  readonly code: LintCode;
  readonly severity: 'error' | 'warning';
  /** Path in the file, such as `purposes[2].legalBasis`. */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
  readonly hint: string;
}

export interface LintResult {
  readonly issues: readonly LintIssue[];
  /** Present when the file parses and matches the schema (lint errors may remain). */
  readonly declaration?: Declaration;
  /** SHA-256 of the declaration's canonical JSON: formatting and comments do not change it. */
  readonly contentHash?: string;
}

type PathPart = string | number;

export function formatPath(path: readonly PathPart[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`),
    '',
  );
}

/** Lints a declaration given as YAML text. Never throws on bad input. */
export function lintSource(source: string): LintResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        code: 'yaml.syntax',
        severity: 'error',
        path: '',
        line: lineCounter.linePos(e.pos[0]).line,
        message: e.message.split('\n')[0] ?? 'YAML syntax error',
        hint: 'Check indentation and quoting at that line.',
      })),
    };
  }
  const lineOf = (path: readonly PathPart[]): number | undefined => {
    for (let n = path.length; n >= 0; n -= 1) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  // Aliases are resolved only here: an alias to no anchor, or one that expands past the YAML
  // library's limit (a "billion laughs" document), throws.
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    return {
      issues: [
        {
          code: 'yaml.syntax',
          severity: 'error',
          path: '',
          message: error instanceof Error ? error.message : String(error),
          hint: 'Define each anchor (&name) before its alias (*name), and use aliases sparingly.',
        },
      ],
    };
  }
  const parsed = declarationSchema.safeParse(raw);
  if (!parsed.success) {
    return { issues: parsed.error.issues.map((issue) => schemaIssue(issue, lineOf)) };
  }
  const declaration = parsed.data;
  const issues = checkRules(declaration).map((i) => ({ ...i, line: lineOf(i.pathParts) }));
  return {
    issues: issues.map(({ pathParts, ...rest }) => ({ ...rest, path: formatPath(pathParts) })),
    declaration,
    contentHash: sha256Hex(canonicalJson(raw)),
  };
}

function schemaIssue(
  issue: z.core.$ZodIssue,
  lineOf: (p: readonly PathPart[]) => number | undefined,
): LintIssue {
  const path = issue.path.filter((p): p is PathPart => typeof p !== 'symbol');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) message = 'is required';
  const line = lineOf(path);
  return {
    code: 'schema.invalid',
    severity: 'error',
    path: formatPath(path),
    ...(line !== undefined ? { line } : {}),
    message: `${formatPath(path) || 'declaration'}: ${message}`,
    hint:
      issue.code === 'unrecognized_keys'
        ? 'Remove the key or correct its spelling; `steward policy schema` prints the allowed keys.'
        : 'See `steward policy schema` for the expected shape.',
  };
}

interface RawIssue extends Omit<LintIssue, 'path' | 'line'> {
  readonly pathParts: readonly PathPart[];
}

/** The semantic rules, over a declaration that already matches the schema. */
export function checkRules(d: Declaration): RawIssue[] {
  const issues: RawIssue[] = [];
  const model = new PolicyModel(d);
  const error = (code: LintCode, pathParts: PathPart[], message: string, hint: string) =>
    issues.push({ code, severity: 'error', pathParts, message, hint });
  const warn = (code: LintCode, pathParts: PathPart[], message: string, hint: string) =>
    issues.push({ code, severity: 'warning', pathParts, message, hint });

  const ids = (list: readonly { id: string }[], where: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id))
        error(
          'id.duplicate',
          [where, i, 'id'],
          `${where} "${item.id}" is declared twice`,
          'Give each entry its own id.',
        );
      seen.add(item.id);
    });
    return seen;
  };
  const purposes = ids(d.purposes, 'purposes');
  const recipients = ids(d.recipients, 'recipients');
  const sources = ids(d.sources, 'sources');
  const subjects = ids(d.subjectCategories, 'subjectCategories');
  const services = ids(d.services, 'services');
  const rules = ids(d.retention, 'retention');
  const points = ids(d.collectionPoints, 'collectionPoints');
  ids(d.communications, 'communications');
  const cookieCategories = ids(d.cookies.categories, 'cookies.categories');
  const related = new Set(d.relatedDeclarations.map((r) => r.id));

  const ref = (set: ReadonlySet<string>, kind: string, value: string, path: PathPart[]) => {
    if (!set.has(value)) {
      error(
        'ref.undeclared',
        path,
        `${kind} "${value}" is not declared`,
        `Declare it under ${kind}, or correct the reference.`,
      );
    }
  };
  const category = (key: string, path: PathPart[]) => {
    if (!model.hasCategory(key)) {
      error(
        'ref.undeclared',
        path,
        `data category "${key}" is neither in the default taxonomy nor in dataCategories`,
        'Use a taxonomy key (user.contact.email) or add it to dataCategories.',
      );
    }
  };

  d.services.forEach((s, i) => {
    if (s.role === 'processor' && s.provider === undefined) {
      error(
        'processor.no_provider',
        ['services', i],
        `processor-role service "${s.id}" does not say who the Provider is`,
        'Add provider: { kind: customer } or a named provider.',
      );
    }
    if (s.declaration !== undefined && s.declaration !== d.id)
      ref(related, 'relatedDeclarations', s.declaration, ['services', i, 'declaration']);
  });

  d.sources.forEach((s, i) => s.categories?.forEach((c, j) => category(c, ['sources', i, 'categories', j])));

  d.purposes.forEach((p, i) => {
    const at = (...rest: PathPart[]): PathPart[] => ['purposes', i, ...rest];
    p.categories.forEach((c, j) => category(c, at('categories', j)));
    p.subjectCategories.forEach((s, j) => ref(subjects, 'subjectCategories', s, at('subjectCategories', j)));
    p.sources?.forEach((s, j) => ref(sources, 'sources', s, at('sources', j)));
    p.recipients?.forEach((r, j) => ref(recipients, 'recipients', r, at('recipients', j)));
    p.collectionPoints?.forEach((c, j) => ref(points, 'collectionPoints', c, at('collectionPoints', j)));
    p.services?.forEach((s, j) => {
      ref(services, 'services', s, at('services', j));
      const service = d.services.find((x) => x.id === s);
      if (service?.role === 'processor') {
        error(
          'processor.data_in_controller_purpose',
          at('services', j),
          `purpose "${p.id}" would use data of "${s}", which is processed only for its Provider`,
          'Remove the service: data held as processor may only be used on the Provider’s instructions.',
        );
      }
    });
    if (p.retention?.default !== undefined)
      ref(rules, 'retention', p.retention.default, at('retention', 'default'));
    for (const [key, rule] of Object.entries(p.retention?.categories ?? {})) {
      ref(rules, 'retention', rule, at('retention', 'categories', key));
    }

    const bases = model.basesOf(p);
    if (p.legalBasis === undefined) {
      error(
        'basis.missing',
        at(),
        `purpose "${p.id}" has no legal basis`,
        'Add legalBasis (consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests).',
      );
    } else if (typeof p.legalBasis !== 'string' && p.legalBasis['default'] === undefined) {
      error(
        'basis.no_default',
        at('legalBasis'),
        `purpose "${p.id}" has no legal basis outside ${Object.keys(p.legalBasis).join(', ')}`,
        'Add a `default:` entry for every other jurisdiction.',
      );
    }
    if (bases.includes('legitimate_interests') && p.legitimateInterest === undefined) {
      error(
        'basis.li_without_assessment',
        at('legitimateInterest'),
        `purpose "${p.id}" relies on legitimate interests without an assessment`,
        'Add legitimateInterest with interest, necessity and balancing.',
      );
    }
    if (bases.includes('legal_obligation') && p.statutoryObligation === undefined) {
      warn(
        'basis.obligation_without_law',
        at('statutoryObligation'),
        `purpose "${p.id}" relies on a legal obligation without naming the law`,
        'Name the law in statutoryObligation.',
      );
    }
    if (bases.includes('consent') && (p.collectionPoints ?? []).length === 0) {
      error(
        'consent.no_collection_point',
        at('collectionPoints'),
        `purpose "${p.id}" rests on consent but names no collection point`,
        'List where consent is asked for in collectionPoints.',
      );
    }
    for (const key of p.categories) {
      if (!model.hasCategory(key)) continue;
      if (model.retentionFor(p, key) === undefined) {
        error(
          'retention.missing',
          at('categories', p.categories.indexOf(key)),
          `category "${key}" of purpose "${p.id}" has no retention rule`,
          'Set retention.default or retention.categories for it.',
        );
      }
      if (model.categories.get(key)?.special) {
        warn(
          'category.special',
          at('categories', p.categories.indexOf(key)),
          `purpose "${p.id}" processes special-category data "${key}"`,
          'Make sure an Art. 9(2) condition applies and say so in the description.',
        );
      }
    }
  });

  d.recipients.forEach((r, i) => {
    r.purposes?.forEach((p, j) => ref(purposes, 'purposes', p, ['recipients', i, 'purposes', j]));
    r.categories?.forEach((c, j) => category(c, ['recipients', i, 'categories', j]));
    const outside = r.countries.filter(needsTransferMechanism);
    if (outside.length > 0 && r.transfer === undefined) {
      error(
        'transfer.no_mechanism',
        ['recipients', i, 'countries'],
        `recipient "${r.id}" receives data in ${outside.join(', ')} without an adequacy decision or a transfer mechanism`,
        'Add transfer: { mechanism: scc | bcr | dpf | derogation_... }.',
      );
    }
    if (r.transfer?.mechanism === 'dpf' && r.countries.some((c) => c !== 'US' && needsTransferMechanism(c))) {
      error(
        'transfer.dpf_outside_us',
        ['recipients', i, 'transfer', 'mechanism'],
        `recipient "${r.id}" uses the Data Privacy Framework for countries other than the US`,
        'Use SCCs or BCRs for the other countries.',
      );
    }
  });

  d.communications.forEach((c, i) => {
    ref(purposes, 'purposes', c.purpose, ['communications', i, 'purpose']);
    if (c.interactionTracking !== undefined) {
      ref(purposes, 'purposes', c.interactionTracking.purpose, [
        'communications',
        i,
        'interactionTracking',
        'purpose',
      ]);
      ref(sources, 'sources', c.interactionTracking.source, [
        'communications',
        i,
        'interactionTracking',
        'source',
      ]);
    }
    c.collectionPoints?.forEach((p, j) =>
      ref(points, 'collectionPoints', p, ['communications', i, 'collectionPoints', j]),
    );
    const permissions = typeof c.permission === 'string' ? [c.permission] : Object.values(c.permission);
    if (c.kind === 'transactional' && permissions.some((p) => p !== 'not_applicable')) {
      error(
        'communication.permission_mismatch',
        ['communications', i, 'permission'],
        `transactional communication "${c.id}" cannot be opted into or out of`,
        'Use permission: not_applicable.',
      );
    }
    if (c.kind === 'marketing' && permissions.includes('not_applicable')) {
      error(
        'communication.permission_mismatch',
        ['communications', i, 'permission'],
        `marketing communication "${c.id}" needs opt_in or opt_out`,
        'Use opt_in (consent) or opt_out where the law allows.',
      );
    }
    if (permissions.includes('opt_in') && (c.collectionPoints ?? []).length === 0) {
      error(
        'consent.no_collection_point',
        ['communications', i, 'collectionPoints'],
        `communication "${c.id}" needs opt-in consent but names no collection point`,
        'List where people sign up in collectionPoints.',
      );
    }
    const purpose = model.purposes.get(c.purpose);
    if (c.kind === 'marketing' && purpose !== undefined && purpose.directMarketing !== true) {
      warn(
        'communication.purpose_not_marketing',
        ['communications', i, 'purpose'],
        `marketing communication "${c.id}" serves purpose "${c.purpose}", which is not marked directMarketing`,
        'Set directMarketing: true on the purpose so objections stop it.',
      );
    }
  });

  d.cookies.categories.forEach((c, i) =>
    c.purposes.forEach((p, j) => ref(purposes, 'purposes', p, ['cookies', 'categories', i, 'purposes', j])),
  );
  d.cookies.items.forEach((c, i) => {
    ref(cookieCategories, 'cookies.categories', c.category, ['cookies', 'items', i, 'category']);
    ref(purposes, 'purposes', c.purpose, ['cookies', 'items', i, 'purpose']);
  });
  d.analytics.events.forEach((e, i) => {
    ref(purposes, 'purposes', e.purpose, ['analytics', 'events', i, 'purpose']);
    ref(cookieCategories, 'cookies.categories', e.category, ['analytics', 'events', i, 'category']);
  });
  if (d.analytics.linkToSubject !== undefined) {
    ref(purposes, 'purposes', d.analytics.linkToSubject.purpose, ['analytics', 'linkToSubject', 'purpose']);
    ref(cookieCategories, 'cookies.categories', d.analytics.linkToSubject.category, [
      'analytics',
      'linkToSubject',
      'category',
    ]);
  }
  return issues;
}
