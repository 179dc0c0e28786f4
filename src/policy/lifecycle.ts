/**
 * What starts a retention clock, as the declaration says it: the lifecycle event a rule waits for
 * (`contract_end`, `account_closed`, or a named event such as `delivered`), who may report it, and
 * what counts as an interaction for a purpose's `last_interaction` rules. Pure look-ups over a
 * declaration, shared by lint, the notice's wording and the clocks (src/retention/).
 */
import type {
  Communication,
  Declaration,
  LifecycleEvent,
  LocalText,
  Purpose,
  RetentionRule,
} from './schema.js';

/** Triggers that are lifecycle events of the same id, reportable without a declared entry. */
export const builtInEvents = ['contract_end', 'account_closed'] as const;
export type BuiltInEvent = (typeof builtInEvents)[number];

export const isBuiltInEvent = (id: string): id is BuiltInEvent =>
  (builtInEvents as readonly string[]).includes(id);

/** A lifecycle event as Steward treats it: its declared entry, or a built-in one's defaults. */
export interface ResolvedEvent {
  readonly id: string;
  /** Its name in the notice; absent for a built-in event declared nowhere (its trigger has words). */
  readonly name?: LocalText;
  readonly about: LifecycleEvent['about'];
  readonly source: LifecycleEvent['source'];
  readonly declared: boolean;
}

/** The event a lifecycle event id names in a declaration, or undefined when nothing declares it. */
export function lifecycleEvent(
  declaration: Pick<Declaration, 'lifecycleEvents'>,
  id: string,
): ResolvedEvent | undefined {
  const entry = declaration.lifecycleEvents.find((e) => e.id === id);
  if (entry !== undefined) return { ...entry, declared: true };
  if (isBuiltInEvent(id)) return { id, about: 'subject', source: ['api'], declared: false };
  return undefined;
}

/** The lifecycle event whose time starts a rule's clock; undefined for the triggers Steward sees itself. */
export function eventOfRule(rule: Pick<RetentionRule, 'trigger' | 'event'>): string | undefined {
  if (rule.trigger === 'contract_end' || rule.trigger === 'account_closed') return rule.trigger;
  return rule.trigger === 'event' ? rule.event : undefined;
}

/**
 * What counts as an interaction for `last_interaction`:
 * - `capture`: a record of the person captured for the purpose (`purpose` absent), or for the
 *   named purpose (`capture:orders`: an order is an interaction for a marketing purpose);
 * - `consent`: consent given or renewed for the purpose or one of its communications;
 * - `click`: a click recorded on a link in a message of one of the purpose's communications;
 * - `event`: a lifecycle event reported for the person (or for one of their records).
 */
export type Interaction =
  | { readonly kind: 'capture'; readonly purpose?: string }
  | { readonly kind: 'consent' }
  | { readonly kind: 'click' }
  | { readonly kind: 'event'; readonly event: string };

/** Reads one `interactions` entry of a purpose (the schema has checked its shape). */
export function parseInteraction(text: string): Interaction {
  if (text === 'capture' || text === 'consent' || text === 'click') return { kind: text };
  if (text.startsWith('capture:')) return { kind: 'capture', purpose: text.slice('capture:'.length) };
  return { kind: 'event', event: text };
}

/** A purpose's interactions; none declared means a `last_interaction` clock starts at collection only. */
export function interactionsOf(purpose: Pick<Purpose, 'interactions'>): Interaction[] {
  return (purpose.interactions ?? []).map(parseInteraction);
}

/** A soft opt-in's relationship fact: a record captured for a purpose, or a lifecycle event. */
export type RelationshipFact =
  { readonly kind: 'capture'; readonly purpose: string } | { readonly kind: 'event'; readonly event: string };

/** The relationship facts of a communication's soft opt-in; none when it has no soft opt-in. */
export function relationshipFacts(communication: Pick<Communication, 'softOptIn'>): RelationshipFact[] {
  return (communication.softOptIn?.relationship ?? []).map((text) =>
    text.startsWith('capture:')
      ? { kind: 'capture', purpose: text.slice('capture:'.length) }
      : { kind: 'event', event: text },
  );
}

/**
 * Whether a capture (its purposes and collection point) or a reported event is a relationship
 * fact some soft opt-in of the declaration counts, so that the suppression index must see it.
 */
export function countsAsRelationship(
  declaration: Pick<Declaration, 'communications'>,
  what:
    | { readonly purposes: readonly string[]; readonly collectionPoint: string | null }
    | { readonly event: string },
): boolean {
  return declaration.communications.some((c) =>
    relationshipFacts(c).some((f) =>
      'event' in what
        ? f.kind === 'event' && f.event === what.event
        : f.kind === 'capture' &&
          what.purposes.includes(f.purpose) &&
          what.collectionPoint !== null &&
          (c.softOptIn?.objectionOfferedAt ?? []).includes(what.collectionPoint),
    ),
  );
}

/** The ids of the rules a purpose's retention names (its default and its per-category rules). */
export function ruleIdsOf(purpose: Pick<Purpose, 'retention'>): Set<string> {
  const ids = new Set(Object.values(purpose.retention?.categories ?? {}));
  if (purpose.retention?.default !== undefined) ids.add(purpose.retention.default);
  return ids;
}

/**
 * What uses one lifecycle event: rules whose clock it starts, purposes that count it as an
 * interaction, communications whose soft opt-in counts it as the relationship, and erasure
 * conditions it opens or closes (`purpose.condition`).
 */
export interface EventUse {
  readonly rules: readonly string[];
  readonly interactions: readonly string[];
  readonly softOptIns: readonly string[];
  readonly conditions: readonly string[];
}

/** The lifecycle events a purpose's erasure conditions wait for: those that open them and those that close them. */
export function conditionEventsOf(
  purpose: Pick<Purpose, 'id' | 'erasure'>,
): { event: string; condition: string }[] {
  return (purpose.erasure?.conditions ?? []).flatMap((c) =>
    'event' in c.while
      ? [c.while.event, ...(c.while.until === undefined ? [] : [c.while.until])].map((event) => ({
          event,
          condition: `${purpose.id}.${c.id}`,
        }))
      : [],
  );
}

/** Every lifecycle event a rule or an interaction uses, by id, in declaration order. */
export function eventsInUse(
  declaration: Pick<Declaration, 'retention' | 'purposes'> & Partial<Pick<Declaration, 'communications'>>,
): Map<string, EventUse> {
  const uses = new Map<
    string,
    { rules: string[]; interactions: string[]; softOptIns: string[]; conditions: string[] }
  >();
  const use = (id: string) => {
    const found = uses.get(id) ?? { rules: [], interactions: [], softOptIns: [], conditions: [] };
    uses.set(id, found);
    return found;
  };
  for (const rule of declaration.retention) {
    const event = eventOfRule(rule);
    if (event !== undefined) use(event).rules.push(rule.id);
  }
  for (const purpose of declaration.purposes)
    for (const i of interactionsOf(purpose))
      if (i.kind === 'event' && !use(i.event).interactions.includes(purpose.id))
        use(i.event).interactions.push(purpose.id);
  for (const c of declaration.communications ?? [])
    for (const f of relationshipFacts(c)) if (f.kind === 'event') use(f.event).softOptIns.push(c.id);
  for (const purpose of declaration.purposes)
    for (const { event, condition } of conditionEventsOf(purpose))
      if (!use(event).conditions.includes(condition)) use(event).conditions.push(condition);
  return uses;
}

/** The events a report through the API or CLI may name: in use, and reportable through the API. */
export function reportableEvents(
  declaration: Pick<Declaration, 'retention' | 'purposes' | 'lifecycleEvents'> &
    Partial<Pick<Declaration, 'communications'>>,
): string[] {
  return [...eventsInUse(declaration).keys()].filter(
    (id) => lifecycleEvent(declaration, id)?.source.includes('api') === true,
  );
}

/**
 * The part of a dataset this module reads: which field names which lifecycle event as its source
 * (`event: delivered` on an order's `delivered_at`). Any dataset with fields fits.
 */
export interface EventSourceDataset {
  readonly system: string;
  readonly collections: readonly {
    readonly name: string;
    readonly fields: readonly { readonly name: string; readonly event?: string }[];
  }[];
}

/** An event in use that nothing can report. */
export interface UnsourcedEvent extends EventUse {
  readonly event: string;
  /**
   * `undeclared`: neither declared nor built in; `no_dataset_field`: declared with source
   * `dataset` only, and no field of the given datasets names it.
   */
  readonly reason: 'undeclared' | 'no_dataset_field';
}

/**
 * The events some rule or interaction needs that no source can report, given the datasets in
 * force beside the declaration. The declaration's lint calls it with no datasets when the
 * declaration names no system (so `dataset`-only events cannot have a source); dataset lint calls
 * it with the datasets it loaded.
 *
 * @example eventsWithoutSource(declaration, [shopDataset]) // [] once shop.orders.delivered_at says `event: delivered`
 */
export function eventsWithoutSource(
  declaration: Pick<Declaration, 'retention' | 'purposes' | 'lifecycleEvents'> &
    Partial<Pick<Declaration, 'communications'>>,
  datasets: readonly EventSourceDataset[],
): UnsourcedEvent[] {
  const named = new Set(
    datasets.flatMap((d) => d.collections.flatMap((c) => c.fields.flatMap((f) => f.event ?? []))),
  );
  const out: UnsourcedEvent[] = [];
  for (const [event, use] of eventsInUse(declaration)) {
    const resolved = lifecycleEvent(declaration, event);
    if (resolved === undefined) out.push({ event, reason: 'undeclared', ...use });
    else if (!resolved.source.includes('api') && !named.has(event))
      out.push({ event, reason: 'no_dataset_field', ...use });
  }
  return out;
}
