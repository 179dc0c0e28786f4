/**
 * The retention part of dataset lint (`lint-dataset.ts`): each collection's `retention` entry
 * against the declaration's rules and the collection's purposes, its clock column, the `with`
 * form's cascade, anonymisation that would leave an identifying value, and the fields that name
 * a lifecycle event as their source.
 */
import type { PathPart, RawIssue } from '../policy/lint.js';
import { PolicyModel } from '../policy/model.js';
import type { Declaration } from '../policy/schema.js';
import type { Dataset, DatasetCollection, DatasetField } from './dataset.js';
import { isPersonal } from './dataset.js';
import { identifyingLeft, isTimeType, retentionClock } from './retention.js';

export const retentionLintCodes = {
  'dataset.retention_missing':
    'A collection with personal fields says nothing about how long its rows are kept',
  'dataset.retention_rule_undeclared':
    'A collection’s retention names a rule the declaration does not declare',
  'dataset.retention_rule_outside_purposes':
    'A collection’s retention rule is the rule of none of its purposes',
  'dataset.retention_clock_missing':
    'The retention clock or its `through` field is not a field, or `through` references nothing',
  'dataset.retention_clock_type': 'The retention clock is not a date or time column',
  'dataset.retention_clock_nullable': 'Rows whose retention clock is NULL never expire',
  'dataset.retention_with_invalid':
    'Rows said to go `with` another row do not go with it: no cascading reference, or that row is never deleted',
  'dataset.anonymise_identifying':
    'Anonymising the rows would leave an identifying value (a key, a link, or a mask that keeps a stable value)',
  'dataset.anonymise_linked': 'Anonymised rows keep a reference to rows that hold personal data',
  'dataset.event_undeclared': 'A field is the source of a lifecycle event no rule or declared event knows',
  'dataset.event_not_from_dataset':
    'A field is the source of a lifecycle event declared to come from elsewhere',
  'dataset.event_not_time': 'A lifecycle event’s source column is not a date or time column',
} as const;
export type RetentionLintCode = keyof typeof retentionLintCodes;

type Report = (code: RetentionLintCode, pathParts: PathPart[], message: string, hint: string) => void;

/** Lifecycle events as the declaration may declare them (`lifecycleEvents`), where it does. */
interface DeclaredEvent {
  readonly id: string;
  readonly source?: readonly string[];
}

/** Events a retention trigger names without a declared entry. */
const BUILT_IN_EVENTS = ['contract_end', 'account_closed'];

/** The lifecycle events the declaration knows: declared ones, the rules' events, the built-in ones. */
export function knownEvents(declaration: Declaration): ReadonlyMap<string, DeclaredEvent> {
  const declared =
    (declaration as { readonly lifecycleEvents?: readonly DeclaredEvent[] }).lifecycleEvents ?? [];
  const out = new Map<string, DeclaredEvent>(BUILT_IN_EVENTS.map((id) => [id, { id }]));
  for (const rule of declaration.retention)
    if (rule.trigger === 'event' && rule.event !== undefined) out.set(rule.event, { id: rule.event });
  for (const event of declared) out.set(event.id, event);
  return out;
}

/**
 * Which events the datasets report, and from where: the fields that name each as their source.
 * The declaration's lint uses it for events declared to come from a dataset only.
 */
export function eventsFromDatasets(
  datasets: Iterable<Dataset>,
): ReadonlyMap<string, readonly { system: string; collection: string; field: string }[]> {
  const out = new Map<string, { system: string; collection: string; field: string }[]>();
  for (const d of datasets)
    for (const c of d.collections)
      for (const f of c.fields)
        if (f.event !== undefined)
          out.set(f.event, [
            ...(out.get(f.event) ?? []),
            { system: d.system, collection: c.name, field: f.name },
          ]);
  return out;
}

/** The retention and lifecycle-event rules of one dataset. */
export function checkRetention(dataset: Dataset, declaration: Declaration): RawIssue<RetentionLintCode>[] {
  const issues: RawIssue<RetentionLintCode>[] = [];
  const error: Report = (code, pathParts, message, hint) =>
    issues.push({ code, severity: 'error', pathParts, message, hint });
  const warn: Report = (code, pathParts, message, hint) =>
    issues.push({ code, severity: 'warning', pathParts, message, hint });
  const model = new PolicyModel(declaration);
  const system = declaration.systems.find((s) => s.id === dataset.system);
  const kind = system?.kind;
  const events = knownEvents(declaration);

  dataset.collections.forEach((c, i) => {
    const at = (...rest: PathPart[]): PathPart[] => ['collections', i, ...rest];
    const r = c.retention;
    if (r === undefined) {
      if (c.reference !== true && c.fields.some(isPersonal))
        warn(
          'dataset.retention_missing',
          at(),
          `collection "${c.name}" has personal fields but no retention entry, so no sweep ever removes its rows`,
          'Add retention: { rule: ID, clock: COLUMN } (the column whose time starts the rule), or { with: FIELD } when the rows go with the row that field references.',
        );
    } else if ('with' in r) checkWith(dataset, c, r.with, model, at, error);
    else checkRule(dataset, c, r, { model, kind }, at, error, warn);

    c.fields.forEach((f, j) => {
      if (f.event === undefined) return;
      const fat = (...rest: PathPart[]) => at('fields', j, ...rest);
      const event = events.get(f.event);
      if (event === undefined)
        error(
          'dataset.event_undeclared',
          fat('event'),
          `"${c.name}.${f.name}" is the source of event "${f.event}", which no retention rule uses and the declaration does not declare`,
          `Declare the event under lifecycleEvents (with source dataset), or name one a rule's event: uses (${[...events.keys()].join(', ')}).`,
        );
      else if (event.source !== undefined && !event.source.includes('dataset'))
        error(
          'dataset.event_not_from_dataset',
          fat('event'),
          `event "${f.event}" is declared to come from ${event.source.join(', ')}, not from a dataset`,
          'Add dataset to the event’s source in the declaration, or remove event: from this field.',
        );
      if (f.type !== undefined && !isTimeType(f.type, kind))
        error(
          'dataset.event_not_time',
          fat('type'),
          `"${c.name}.${f.name}" (${f.type}) is the source of event "${f.event}" but holds no date or time`,
          'Name the column that holds when the event happened.',
        );
    });
  });
  return issues;
}

function checkRule(
  dataset: Dataset,
  c: DatasetCollection,
  r: { readonly rule: string; readonly clock: string; readonly through?: string },
  context: { readonly model: PolicyModel; readonly kind: string | undefined },
  at: (...rest: PathPart[]) => PathPart[],
  error: Report,
  warn: Report,
): void {
  const rule = context.model.retentionRules.get(r.rule);
  if (rule === undefined)
    error(
      'dataset.retention_rule_undeclared',
      at('retention', 'rule'),
      `collection "${c.name}" is kept under retention rule "${r.rule}", which the declaration does not declare`,
      `Name a rule under retention in the declaration (${[...context.model.retentionRules.keys()].join(', ')}).`,
    );
  else {
    const purposes =
      c.purposes ?? context.model.declaration.systems.find((s) => s.id === dataset.system)?.purposes ?? [];
    const rulesOf = (id: string) => {
      const p = context.model.purposes.get(id);
      return [p?.retention?.default, ...Object.values(p?.retention?.categories ?? {})];
    };
    if (purposes.length > 0 && !purposes.some((p) => rulesOf(p).includes(r.rule)))
      error(
        'dataset.retention_rule_outside_purposes',
        at('retention', 'rule'),
        `retention rule "${r.rule}" is not the rule of any purpose "${c.name}" serves (${purposes.join(', ')})`,
        'Use the rule of one of the collection’s purposes (the longest that applies to its rows), or add the purpose.',
      );
  }

  const clock = retentionClock(dataset, c);
  if (clock === undefined) return;
  if ('problem' in clock) {
    error(
      'dataset.retention_clock_missing',
      at(
        'retention',
        r.through !== undefined && !c.fields.some((f) => f.name === r.through) ? 'through' : 'clock',
      ),
      clock.problem,
      'Name a field listed under the collection’s fields (or, with through, one of the referenced collection).',
    );
    return;
  }
  const field: DatasetField = clock.field;
  if (field.type !== undefined && !isTimeType(field.type, context.kind))
    error(
      'dataset.retention_clock_type',
      at('retention', 'clock'),
      `retention clock "${field.name}" is ${field.type}, not a date or time`,
      'Name the column whose time starts the rule’s period (created_at, delivered_at, closed_at, last_seen_at).',
    );
  if (field.nullable === true)
    warn(
      'dataset.retention_clock_nullable',
      at('retention', 'clock'),
      `retention clock "${field.name}" may be NULL, and rows without a time never expire`,
      'Use a column that always holds a time, or make sure the rows that stay NULL may stay.',
    );

  if (rule?.action !== 'anonymise') return;
  const left = identifyingLeft(dataset, c);
  for (const l of left) {
    const j = c.fields.findIndex((f) => f.name === l.field);
    error(
      'dataset.anonymise_identifying',
      at('fields', j, l.reason === 'mask' ? 'mask' : 'name'),
      l.reason === 'key'
        ? `rule "${r.rule}" anonymises "${c.name}", but "${l.field}" identifies people and is a key or link, which is never masked`
        : `rule "${r.rule}" anonymises "${c.name}", but "${l.field}" would be masked with ${JSON.stringify(l.mask)}, which keeps a stable identifier`,
      l.reason === 'key'
        ? 'Delete these rows instead (a rule with action delete), or key the table by a value that identifies nobody.'
        : 'Give the field mask: null, fixed or random; a keyed hash or format-preserving value still tells one person’s rows from another’s.',
    );
  }
  c.fields.forEach((f, j) => {
    const target = f.references && dataset.collections.find((x) => x.name === f.references?.collection);
    if (target === undefined || target.reference === true || !target.fields.some(isPersonal)) return;
    warn(
      'dataset.anonymise_linked',
      at('fields', j, 'references'),
      `anonymised "${c.name}" rows keep "${f.name}", which links them to "${target.name}" rows holding personal data`,
      `Make sure the "${target.name}" rows go first (their own retention), or delete these rows instead.`,
    );
  });
}

function checkWith(
  dataset: Dataset,
  c: DatasetCollection,
  name: string,
  model: PolicyModel,
  at: (...rest: PathPart[]) => PathPart[],
  error: Report,
): void {
  const f = c.fields.find((x) => x.name === name);
  const parent = f?.references && dataset.collections.find((x) => x.name === f.references?.collection);
  if (f?.references === undefined || f.references.onDelete !== 'cascade' || parent === undefined) {
    error(
      'dataset.retention_with_invalid',
      at('retention', 'with'),
      `"${c.name}.${name}" is not a reference with onDelete: cascade, so its rows do not go with the row it references`,
      'Name the field whose foreign key cascades, or give the collection a rule and clock of its own.',
    );
    return;
  }
  const own = parent.retention;
  const action = own !== undefined && 'rule' in own ? model.retentionRules.get(own.rule)?.action : undefined;
  if (action === 'anonymise')
    error(
      'dataset.retention_with_invalid',
      at('retention', 'with'),
      `"${c.name}" rows go with their "${parent.name}" row, but rule "${(own as { rule: string }).rule}" anonymises those rows and never deletes them`,
      `Give "${c.name}" a rule and clock of its own (anonymising or deleting these rows too).`,
    );
}
