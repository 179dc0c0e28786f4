/**
 * Reads a declaration file and reports every problem at once: YAML syntax, schema violations, and
 * the rules that make a declaration lawful and coherent. Each issue has a stable code, the path in
 * the file, the line where it can be found, and a hint saying how to fix it.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { connectorFactories } from '../connectors/registry.js';
import { canonicalJson, sha256Hex } from '../crypto.js';
import { needsTransferMechanism } from './geography.js';
import { checkCoherence } from './lint-coherence.js';
import { carriesTransferTo, checkTransfers } from './lint-transfers.js';
import { checkMinimisation } from './minimisation.js';
import { checkLanguages } from './lint-language.js';
import { checkErasure } from './lint-erasure.js';
import {
  builtInEvents,
  eventsInUse,
  eventsWithoutSource,
  interactionsOf,
  lifecycleEvent,
  relationshipFacts,
  ruleIdsOf,
} from './lifecycle.js';
import { PolicyModel, RIGHTS_FULFILMENT_DPV, rightsHandlingPurpose } from './model.js';
import type { Communication, Declaration } from './schema.js';
import { declarationSchema, wellKnownSystemKinds } from './schema.js';

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
  'transfer.adequacy_without_decision':
    'A transfer relies on an adequacy decision that the country does not have',
  'transfer.fallback_invalid': 'A fallback transfer mechanism that cannot carry the transfer to the country',
  'transfer.mechanism_duplicate': 'A transfer lists the same mechanism twice',
  'cookie.third_country_mismatch': 'A cookie’s third-country flag contradicts its provider’s country',
  'coherence.cookie_third_country_no_mechanism':
    'A cookie’s provider is in a third country without adequacy, and neither the cookie nor its recipient has a transfer mechanism',
  'coherence.retention_shorter_than_obligation':
    'A retention period shorter than the statutory minimum the declaration states',
  'recipient.art19_unstated':
    'A recipient does not say whether it is told of rectification, erasure and restriction (Art. 19)',
  'recipient.art19_exemption_missing':
    'A recipient is not told of rectification, erasure and restriction, without saying why',
  'retention.missing': 'A category used by a purpose has no retention rule',
  'retention.event_missing': 'A rule with trigger `event` does not name the event that starts it',
  'retention.event_with_other_trigger': 'A rule names an event, but its trigger is not `event`',
  'retention.event_unreportable': 'A rule or interaction waits for a lifecycle event that nothing can report',
  'retention.interactions_missing':
    'A purpose kept until after the last interaction does not say what counts as one',
  'interaction.unknown': 'An interaction that is neither built in nor a declared lifecycle event',
  'interaction.click_untracked':
    'Clicks count as interactions, but no communication of the purpose records them',
  'lifecycle.unused': 'A declared lifecycle event that no rule or interaction uses',
  'retention.rights_requests_unkept':
    'Rights requests are received, but no purpose handles them with a retention rule, so closed requests are never swept',
  'consent.no_collection_point': 'Consent is the basis but there is no way to collect it',
  'processor.data_in_controller_purpose': 'A controller purpose uses the data of a processor-role service',
  'processor.no_provider': 'A processor-role service does not say who the Provider is',
  'communication.permission_mismatch': 'A communication’s kind and permission do not fit together',
  'communication.purpose_not_marketing':
    'A marketing communication serves a purpose not marked as direct marketing',
  'category.special': 'A special category of data (Art. 9) is processed',
  'system.unknown_kind': 'A connected system of a kind Steward has no connector for',
  'system.no_connector': 'A connected system of a known kind whose connector this build lacks',
  'system.role_mismatch': 'A connected system’s role does not fit its purposes or services',
  'system.hosting_country_undeclared': 'A system is hosted in a country its operator is not declared in',
  'system.transfer_no_mechanism': 'A system hosted outside the EEA without adequacy or a transfer mechanism',
  'system.self_hosted_outside_eea':
    'A system the controller runs itself is hosted outside the EEA: check whether someone else runs the servers',
  'system.operator_not_recipient': 'A system’s operator is not a recipient of the purposes it serves',
  'coherence.consent_for_required':
    'Consent is the basis of a purpose whose data the law or a contract makes the person provide',
  'coherence.marketing_on_contract': 'A marketing communication serves a purpose that rests on contract',
  'coherence.opt_out_without_soft_opt_in':
    'Opt-out email or SMS marketing to consumers where the ePrivacy rules require opt-in, without a soft opt-in',
  'category.unused': 'A declared data category that no purpose, source or recipient uses',
  'retention.rule_unused': 'A retention rule that no purpose or category applies',
  'language.text_missing': 'A text given per language lacks one of the declared languages',
  'minimisation.rule_unfit':
    'A minimisation rule that does not fit its data category (year_only on an email)',
  'minimisation.field_mismatch': 'A minimisation rule lists a field that holds another data category',
  'erasure.exempt_without_ground': 'A purpose exempt from erasure does not name its Art. 17(3) ground',
  'erasure.exempt_without_reason': 'A purpose exempt from erasure does not say why',
  'erasure.ground_mismatch':
    'An exemption from erasure on a ground that does not fit the purpose’s legal basis',
  'erasure.obligation_not_exempt':
    'A purpose on a legal obligation does not state whether it is exempt from erasure',
  'erasure.condition_event_unknown': 'An erasure condition waits for a lifecycle event that is not declared',
  'erasure.condition_system_unknown': 'An erasure condition reads a system that is not declared',
  'erasure.condition_explanation_missing':
    'An erasure condition lacks its explanation in a declared language',
  'erasure.condition_on_exempt': 'An erasure condition on a purpose whose data is exempt from erasure',
  'language.no_catalog': 'A declared language for which Steward ships no message catalog',
  'language.message_missing': 'The catalog of a declared language lacks messages that English has',
  'language.placeholder_mismatch':
    'A message (in a catalog or a declaration override) has other placeholders than the English one',
  'language.override_unknown_key': 'A declaration overrides a message key that does not exist',
  'language.override_undeclared': 'A declaration overrides messages in a language it does not declare',
  'language.message_invalid': 'A declaration override is not valid ICU MessageFormat',
} as const;
export type LintCode = keyof typeof lintCodes;

export interface LintIssue<C extends string = LintCode> {
  readonly code: C;
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

export type PathPart = string | number;

export function formatPath(path: readonly PathPart[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`),
    '',
  );
}

/** A YAML document read for linting: its plain value, and the line where any path starts. */
export interface YamlSource {
  readonly raw: unknown;
  lineOf(path: readonly PathPart[]): number | undefined;
}

type SyntaxOrSchema = 'yaml.syntax' | 'schema.invalid';

/**
 * Parses YAML text for a linter: the value and a line finder, or the syntax issues. Shared by the
 * declaration and dataset linters, so both report lines the same way. Never throws.
 */
export function readYamlSource(
  source: string,
): { readonly yaml: YamlSource } | { readonly issues: LintIssue<SyntaxOrSchema>[] } {
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
  try {
    return { yaml: { raw: doc.toJS(), lineOf } };
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
}

/** Where the reader of a schema issue finds the expected shape. */
export interface SchemaHints {
  /** For a value of the wrong shape. */
  readonly shape: string;
  /** For an unknown key. */
  readonly keys: string;
}

const declarationHints: SchemaHints = {
  shape: 'See `steward policy schema` for the expected shape.',
  keys: 'Remove the key or correct its spelling; `steward policy schema` prints the allowed keys.',
};

/** Checks a parsed YAML value against a schema: the value, or one `schema.invalid` issue per problem. */
export function validateYaml<T>(
  yaml: YamlSource,
  schema: z.ZodType<T>,
  what: string,
  hints: SchemaHints = declarationHints,
): { readonly value: T } | { readonly issues: LintIssue<SyntaxOrSchema>[] } {
  const parsed = schema.safeParse(yaml.raw);
  if (parsed.success) return { value: parsed.data };
  return { issues: parsed.error.issues.map((issue) => schemaIssue(issue, yaml.lineOf, what, hints)) };
}

/** Rule issues with their path parts turned into a path and a line. */
export function placeIssues<C extends string>(
  lineOf: YamlSource['lineOf'],
  issues: readonly RawIssue<C>[],
): LintIssue<C>[] {
  return issues.map(({ pathParts, ...rest }) => {
    const line = lineOf(pathParts);
    return { ...rest, path: formatPath(pathParts), ...(line !== undefined ? { line } : {}) };
  });
}

/** Options of the declaration linter. */
export interface LintOptions {
  /** Connector kinds this build can reach (default: the registry's). */
  readonly connectorKinds?: ReadonlySet<string>;
}

/** Lints a declaration given as YAML text. Never throws on bad input. */
export function lintSource(source: string, options: LintOptions = {}): LintResult {
  const read = readYamlSource(source);
  if ('issues' in read) return { issues: read.issues };
  const validated = validateYaml(read.yaml, declarationSchema, 'declaration');
  if ('issues' in validated) return { issues: validated.issues };
  const declaration = validated.value;
  return {
    issues: placeIssues(read.yaml.lineOf, checkRules(declaration, options)),
    declaration,
    contentHash: sha256Hex(canonicalJson(read.yaml.raw)),
  };
}

function schemaIssue(
  issue: z.core.$ZodIssue,
  lineOf: (p: readonly PathPart[]) => number | undefined,
  what: string,
  hints: SchemaHints,
): LintIssue<'schema.invalid'> {
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
    message: `${formatPath(path) || what}: ${message}`,
    hint: issue.code === 'unrecognized_keys' ? hints.keys : hints.shape,
  };
}

/** An issue found by a rule, before its path is formatted and its line looked up. */
export interface RawIssue<C extends string = LintCode> extends Omit<LintIssue<C>, 'path' | 'line'> {
  readonly pathParts: readonly PathPart[];
}

/** The semantic rules, over a declaration that already matches the schema. */
export function checkRules(d: Declaration, options: LintOptions = {}): RawIssue[] {
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
  ids(d.systems, 'systems');
  const points = ids(d.collectionPoints, 'collectionPoints');
  ids(d.lifecycleEvents, 'lifecycleEvents');
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
        `Use one of the keys that exist (${nearestCategories(model, key).join(', ')}, ...) or add it to dataCategories.`,
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

  checkClocks(d, error, warn, (id, path) => ref(purposes, 'purposes', id, path));

  d.recipients.forEach((r, i) => {
    r.purposes?.forEach((p, j) => ref(purposes, 'purposes', p, ['recipients', i, 'purposes', j]));
    r.categories?.forEach((c, j) => category(c, ['recipients', i, 'categories', j]));
    if (r.notifyOnChange === undefined)
      error(
        'recipient.art19_unstated',
        ['recipients', i],
        `recipient "${r.id}" does not say whether it is told when a person's data is corrected, erased or restricted`,
        'Add notifyOnChange: true (Steward then opens a task to tell it), or notifyOnChange: false with notifyExemption saying why telling it is impossible or disproportionate.',
      );
    else if (r.notifyOnChange === false && r.notifyExemption === undefined)
      error(
        'recipient.art19_exemption_missing',
        ['recipients', i, 'notifyOnChange'],
        `recipient "${r.id}" is never told of corrections and erasures, and the declaration does not say why`,
        'Add notifyExemption: why telling it is impossible or takes disproportionate effort (Art. 19), or that it receives no personal data.',
      );
  });
  checkTransfers(d, error);

  const kinds = options.connectorKinds ?? new Set(Object.keys(connectorFactories));
  d.systems.forEach((system, i) => {
    const at = (...rest: PathPart[]): PathPart[] => ['systems', i, ...rest];
    if (!kinds.has(system.kind)) {
      if ((wellKnownSystemKinds as readonly string[]).includes(system.kind))
        warn(
          'system.no_connector',
          at('kind'),
          `system "${system.id}" is a ${system.kind} database, but this build of Steward has no ${system.kind} connector`,
          'Steward lists the system but cannot reach it until a connector for the kind is installed.',
        );
      else
        error(
          'system.unknown_kind',
          at('kind'),
          `system "${system.id}" has kind "${system.kind}", which no connector handles`,
          `Use one of ${[...new Set([...kinds, ...wellKnownSystemKinds])].sort().join(', ')}.`,
        );
    }
    system.purposes.forEach((p, j) => ref(purposes, 'purposes', p, at('purposes', j)));
    system.services?.forEach((s, j) => ref(services, 'services', s, at('services', j)));
    if (system.role === 'controller' && system.purposes.length === 0)
      error(
        'system.role_mismatch',
        at('purposes'),
        `system "${system.id}" names no purpose, so neither the notice nor the record of processing can say why it holds data`,
        'List the declared purposes its data serves.',
      );
    if (system.role === 'processor') {
      if (system.purposes.length > 0)
        error(
          'system.role_mismatch',
          at('purposes'),
          `system "${system.id}" holds data as processor, which may not serve the controller’s purposes`,
          'Remove the purposes and name the processor-role services whose data it holds.',
        );
      const processorServices = (system.services ?? []).filter(
        (s) => d.services.find((x) => x.id === s)?.role === 'processor',
      );
      if (processorServices.length === 0)
        error(
          'system.role_mismatch',
          at('services'),
          `processor-role system "${system.id}" names no processor-role service`,
          'Name the services (role: processor) whose Providers’ data it holds.',
        );
    }
    const country = system.hosting.country;
    if (system.operator === 'self') {
      if (needsTransferMechanism(country))
        warn(
          'system.self_hosted_outside_eea',
          at('hosting', 'country'),
          `system "${system.id}" is hosted in ${country}, outside the EEA and without an adequacy decision`,
          system.hosting.provider === undefined
            ? 'If another company runs the servers, declare it as a recipient with a transfer mechanism and make it the operator.'
            : `Declare ${system.hosting.provider} as a recipient with a transfer mechanism and make it the operator.`,
        );
      return;
    }
    ref(recipients, 'recipients', system.operator, at('operator'));
    const operator = d.recipients.find((r) => r.id === system.operator);
    if (operator === undefined) return;
    if (!operator.countries.includes(country))
      error(
        'system.hosting_country_undeclared',
        at('hosting', 'country'),
        `system "${system.id}" is hosted in ${country} by recipient "${operator.id}", whose countries are ${operator.countries.join(', ')}`,
        `Add ${country} to the countries of recipient "${operator.id}", so the notice says where the data goes.`,
      );
    if (!carriesTransferTo(model.transfersOf(operator.id), country))
      error(
        'system.transfer_no_mechanism',
        at('hosting', 'country'),
        `system "${system.id}" is hosted in ${country} by "${operator.id}" without an adequacy decision or a transfer mechanism valid there`,
        `Add transfer: { mechanism: scc | bcr | dpf | ... } to recipient "${operator.id}".`,
      );
    for (const [j, p] of system.purposes.entries()) {
      const purpose = model.purposes.get(p);
      if (purpose === undefined) continue;
      const named = (purpose.recipients ?? []).includes(operator.id) || (operator.purposes ?? []).includes(p);
      if (!named)
        warn(
          'system.operator_not_recipient',
          at('purposes', j),
          `"${operator.id}" runs system "${system.id}" for purpose "${p}" but is not among that purpose’s recipients`,
          `Add "${operator.id}" to the recipients of purpose "${p}" (or "${p}" to the recipient’s purposes).`,
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
    if (c.softOptIn !== undefined) checkSoftOptIn(d, c, i, error);
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
  // Every declaration receives rights requests (channels default to the privacy centre and the
  // API); what a closed one leaves behind is kept under the rights-handling purpose's rule for
  // addresses, and without one nothing ever sweeps it.
  const rights = rightsHandlingPurpose(d);
  if (
    d.rights.channels.length > 0 &&
    (rights === undefined || model.retentionFor(rights, 'user.contact.email') === undefined)
  )
    warn(
      'retention.rights_requests_unkept',
      rights === undefined ? ['rights', 'channels'] : ['purposes', d.purposes.indexOf(rights), 'retention'],
      rights === undefined
        ? `rights requests arrive by ${d.rights.channels.join(', ')}, but no purpose handles them (dpv: ${RIGHTS_FULFILMENT_DPV}), so closed requests, their messages and result links are kept for ever`
        : `purpose "${rights.id}" handles rights requests but keeps no rule for user.contact.email, so closed requests are kept for ever`,
      rights === undefined
        ? `Add a purpose with dpv: ${RIGHTS_FULFILMENT_DPV}, legalBasis: legal_obligation, categories including user.contact and retention.default naming a rule (e.g. P3Y from collected, delete).`
        : 'Give it retention.default, or retention.categories for user.contact, naming a rule (e.g. P3Y from collected, delete).',
    );
  checkCoherence(d, error, warn);
  checkMinimisation(d, model, error);
  checkErasure(d, error, warn);
  checkLanguages(d, error);
  return issues;
}

type Report = (code: LintCode, pathParts: PathPart[], message: string, hint: string) => void;

/**
 * The declared or default category keys nearest to one that does not exist: those under the
 * longest dotted prefix they share with it (`user.contact.emial` → the `user.contact.*` keys),
 * at most eight, sorted.
 */
export function nearestCategories(model: PolicyModel, key: string): string[] {
  const keys = [...model.categories.keys()];
  const parts = key.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = `${parts.slice(0, n).join('.')}.`;
    const under = keys.filter((k) => k.startsWith(prefix)).sort();
    if (under.length > 0) return under.slice(0, 8);
  }
  return keys
    .filter((k) => !k.includes('.', k.indexOf('.') + 1))
    .sort()
    .slice(0, 8);
}

/**
 * A soft opt-in counts facts the declaration has: captures for declared purposes at declared
 * collection points, and declared (or built-in) lifecycle events.
 */
function checkSoftOptIn(d: Declaration, c: Communication, i: number, error: Report): void {
  const at = ['communications', i, 'softOptIn'];
  const list = (ids: readonly string[]) => ids.join(', ') || 'none declared';
  relationshipFacts(c).forEach((f, j) => {
    if (f.kind === 'capture' && !d.purposes.some((p) => p.id === f.purpose))
      error(
        'ref.undeclared',
        [...at, 'relationship', j],
        `the soft opt-in of "${c.id}" counts records of purpose "${f.purpose}", which is not declared`,
        `Use capture:<purpose> with one of: ${list(d.purposes.map((p) => p.id))}.`,
      );
    if (f.kind === 'event' && lifecycleEvent(d, f.event) === undefined)
      error(
        'ref.undeclared',
        [...at, 'relationship', j],
        `the soft opt-in of "${c.id}" counts event "${f.event}", which is neither built in nor a declared lifecycle event`,
        `Use one of: ${list([...builtInEvents, ...d.lifecycleEvents.map((e) => e.id)])}, or declare it under lifecycleEvents.`,
      );
  });
  c.softOptIn?.objectionOfferedAt.forEach((p, j) => {
    if (!d.collectionPoints.some((cp) => cp.id === p))
      error(
        'ref.undeclared',
        [...at, 'objectionOfferedAt', j],
        `the soft opt-in of "${c.id}" names collection point "${p}", which is not declared`,
        `Use one of: ${list(d.collectionPoints.map((cp) => cp.id))}.`,
      );
  });
}

/**
 * Whether every rule's clock can start: an `event` trigger names its event, and something can
 * report each event a rule or interaction waits for; what counts as an interaction is declared
 * where a `last_interaction` rule needs it. Whether a dataset field reports a `dataset`-only event
 * is the dataset lint's part (it calls `eventsWithoutSource` with the datasets); here, such an
 * event has no source only when the declaration names no system at all.
 */
function checkClocks(
  d: Declaration,
  error: Report,
  warn: Report,
  refPurpose: (id: string, path: PathPart[]) => void,
): void {
  d.retention.forEach((rule, i) => {
    if (rule.trigger === 'event' && rule.event === undefined)
      error(
        'retention.event_missing',
        ['retention', i, 'trigger'],
        `retention rule "${rule.id}" starts at an event but does not say which`,
        'Add event: <id> naming a lifecycle event (declare it under lifecycleEvents).',
      );
    if (rule.trigger !== 'event' && rule.event !== undefined)
      error(
        'retention.event_with_other_trigger',
        ['retention', i, 'event'],
        `retention rule "${rule.id}" names event "${rule.event}" but its trigger is ${rule.trigger}`,
        'Set trigger: event to count from the event, or remove the event.',
      );
  });
  const unsourced = eventsWithoutSource(d, []).filter(
    (u) => u.reason === 'undeclared' || d.systems.length === 0,
  );
  for (const u of unsourced) {
    for (const ruleId of u.rules) {
      const at = d.retention.findIndex((r) => r.id === ruleId);
      error(
        'retention.event_unreportable',
        ['retention', at, 'event'],
        u.reason === 'undeclared'
          ? `retention rule "${ruleId}" waits for event "${u.event}", which is not declared, so nothing can report it`
          : `retention rule "${ruleId}" waits for event "${u.event}", which only a dataset can report, and the declaration names no system`,
        u.reason === 'undeclared'
          ? `Declare it under lifecycleEvents: { id: ${u.event}, name: ..., source: [api] }.`
          : `Add api to the source of "${u.event}", or declare the system whose dataset holds it.`,
      );
    }
    if (u.reason === 'no_dataset_field')
      for (const purposeId of u.interactions)
        error(
          'retention.event_unreportable',
          ['purposes', d.purposes.findIndex((p) => p.id === purposeId), 'interactions'],
          `purpose "${purposeId}" counts event "${u.event}" as an interaction, but only a dataset can report it and the declaration names no system`,
          `Add api to the source of "${u.event}", or declare the system whose dataset holds it.`,
        );
  }
  const tracked = new Set(d.communications.filter((c) => c.interactionTracking).map((c) => c.purpose));
  d.purposes.forEach((p, i) => {
    const interactions = interactionsOf(p);
    interactions.forEach((interaction, j) => {
      const at: PathPart[] = ['purposes', i, 'interactions', j];
      if (interaction.kind === 'capture' && interaction.purpose !== undefined)
        refPurpose(interaction.purpose, at);
      if (interaction.kind === 'event' && lifecycleEvent(d, interaction.event) === undefined)
        error(
          'interaction.unknown',
          at,
          `purpose "${p.id}" counts "${interaction.event}" as an interaction, which is neither built in nor a declared lifecycle event`,
          'Use capture, capture:<purpose>, consent or click, or declare the event under lifecycleEvents.',
        );
      if (interaction.kind === 'click' && !tracked.has(p.id))
        warn(
          'interaction.click_untracked',
          at,
          `purpose "${p.id}" counts clicks as interactions, but none of its communications records clicks`,
          'Add interactionTracking to a communication of the purpose, or remove click.',
        );
    });
    const lastInteraction = [...ruleIdsOf(p)].find(
      (id) => d.retention.find((r) => r.id === id)?.trigger === 'last_interaction',
    );
    if (lastInteraction !== undefined && interactions.length === 0)
      warn(
        'retention.interactions_missing',
        ['purposes', i, 'retention'],
        `purpose "${p.id}" keeps data until after the last interaction (rule "${lastInteraction}") but does not say what counts as one, so the clock counts from collection only`,
        'Add interactions: [capture, consent, click, ...] to the purpose.',
      );
  });
  const used = eventsInUse(d);
  d.lifecycleEvents.forEach((e, i) => {
    if (!used.has(e.id))
      warn(
        'lifecycle.unused',
        ['lifecycleEvents', i, 'id'],
        `lifecycle event "${e.id}" starts no retention rule and is no interaction, so reports of it are refused`,
        'Name it in a rule (trigger: event, event: <id>) or in a purpose’s interactions, or remove it.',
      );
  });
}
