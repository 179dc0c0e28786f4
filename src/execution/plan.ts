/**
 * A request's work across Steward's own data and every connected system, as a graph of steps:
 * request type + each system's reviewed dataset + the declaration → steps with dependencies.
 * Pure: the same input gives the same plan, so it is unit-tested without a database and a
 * step's key (`system:collection:action`) is stable across plans of the same request.
 *
 * - **Access, portability:** one `read` step per system, counting the person's rows per
 *   collection (portability only in collections serving a purpose on consent or contract); the
 *   rows themselves are read when the requester collects the package.
 * - **Erasure:** one step per collection in the order of `order.ts`. A `keep` collection masks
 *   only the fields whose category lies outside the keeping purpose's categories, and the step
 *   records what is kept, under which obligation and for how long.
 * - **Erasure conditions:** a condition of a purpose that holds for the person (an order not yet
 *   delivered, a payment pending: `OpenCondition`, found by `conditions.ts` before planning)
 *   gets a `condition` step. `defer`: every step of a collection serving that purpose waits for
 *   it (the step re-checks until the condition ends), and Steward's own erasure keeps that
 *   purpose's records until a second Steward step after it; `refuse`: those collections' steps
 *   are skipped and Steward keeps the records, and the requester is told why. The rest proceeds.
 * - **Rectification:** a person first checks that the correction is accurate (a `review` task, as
 *   before); each correction is matched to a data category, and every field of that category in
 *   every system gets an `update` step once the review is done. A field whose category lies
 *   below the correction's (`user.contact.address.street` under `user.contact.address`) holds a
 *   part of it and gets that part, when the correction is given in parts; given as one text, it
 *   is never written whole into such fields: that collection gets a task for the system's owner.
 * - **Restriction:** a `restrict` step per collection that declares how to mark rows restricted;
 *   in a system declaring none, a task for its owner.
 * - **Linked systems:** when a dataset field is `sameAs` a field of another system, one `locate`
 *   step first gathers the linked values (both ways, until nothing new turns up), and every step
 *   of the systems involved waits for it, so no system is changed before the others found their rows.
 *
 * A system without settings or a reviewed dataset gets one failed step saying what to do, and a
 * missing capability becomes a task for a person: never a silent success.
 */
import { messages } from '../i18n/messages.js';
import type { Capabilities, ChangeAction, FieldMask } from '../connectors/contract.js';
import type { Dataset, DatasetCollection, DatasetField } from '../connectors/dataset.js';
import { defaultMask } from '../connectors/masking.js';
import { isPersonal, keyFields } from '../connectors/dataset.js';
import { categoryName, describeBasis, describeRetentionPeriod, joinWords } from '../policy/describe.js';
import type { PolicyModel } from '../policy/model.js';
import type { Purpose, RequestType } from '../policy/schema.js';
import { categoryCovers } from '../policy/taxonomy.js';
import { localise } from '../policy/text.js';
import type { OpenCondition } from './conditions.js';
import type { ErasureStep } from './order.js';
import { erasureOrder, ErasureOrderError, fullScopes } from './order.js';

/** A recipient to tell of a change made in a system (Art. 19), when the system held the person's data. */
export interface PlanRecipient {
  readonly recipientId: string;
  readonly name: string;
  readonly why: string;
}

/** A system as the plan sees it: Steward's own data or a connected one. */
export interface PlanSystem {
  readonly id: string;
  readonly name: string;
  /** Who looks after the system: its tasks are for them. */
  readonly owner?: string;
  /** Declared purposes the system's data serves (a collection's own `purposes` take precedence). */
  readonly purposes: readonly string[];
  /** Declared recipients to tell of a change to the data this system held. */
  readonly recipients: readonly PlanRecipient[];
  /** The reviewed dataset in force, with its connector's capabilities; absent when `problem` says why. */
  readonly dataset?: Dataset;
  readonly capabilities?: Capabilities;
  /** Why the system cannot be worked on (no settings, no reviewed dataset), with what to do. */
  readonly problem?: string;
  /**
   * The collection through which the connector changes a person's data as a whole (Steward's
   * own data: its use cases erase or restrict a person in one transaction, keeping what the
   * declaration keeps). Such a system gets one change step on this collection.
   */
  readonly wholePerson?: string;
}

export interface PlanInput {
  readonly type: RequestType;
  readonly model: PolicyModel;
  /** The jurisdiction whose legal bases apply (`SE`, `default`). */
  readonly jurisdiction: string;
  readonly systems: readonly PlanSystem[];
  /**
   * For rectification: what the requester asked to correct (field in their words, or a category
   * key), and the parts it was given in, by the name below its category (`street`, `first`). Only
   * the parts' names are read: values stay in the sealed claims.
   */
  readonly corrections?: readonly {
    readonly field: string;
    readonly parts?: Readonly<Record<string, unknown>>;
  }[];
  /** For erasure: the purposes' conditions that hold for the person now. */
  readonly conditions?: readonly OpenCondition[];
  /** The requester's language: what the plan keeps to tell them is in it (default English). */
  readonly language?: string;
}

export type StepAction =
  | 'locate'
  | 'read'
  | 'delete'
  | 'mask'
  | 'keep'
  | 'update'
  | 'restrict'
  | 'review'
  | 'manual'
  | 'objection'
  | 'withdrawal'
  | 'condition';

/** What a `keep` step keeps, and why: shown to operators and, in our words, to the requester. */
export interface KeptPlan {
  readonly purpose: string;
  readonly purposeName: string;
  /** The law that obliges us to keep it (the purpose's `statutoryObligation`). */
  readonly obligation?: string;
  /** Why, as the purpose's exemption states it (`erasure.exempt.reason`), in English. */
  readonly reason?: string;
  /** The legal basis, in words. */
  readonly basis?: string;
  /** Until when, in words, from the purpose's retention rules for the kept categories. */
  readonly retention: string;
  /** Fields left as they are, with their categories (keys other rows need are kept too). */
  readonly keptFields: readonly { readonly field: string; readonly category?: string }[];
  /** Fields masked because the purpose does not need them. */
  readonly maskedFields: readonly string[];
}

/** Rectification: which correction sets which field (values are read from the sealed claims when the step runs). */
export interface PlannedUpdate {
  readonly field: string;
  readonly category: string;
  /** Index of the correction in the request's claims. */
  readonly correction: number;
  /** The part of the correction the field holds (`street`); absent: the whole correction. */
  readonly part?: string;
}

export interface PlannedStep {
  /** Stable within a request: `system:collection:action` (`*` for a step over a whole system). */
  readonly key: string;
  readonly system: string;
  readonly collection: string;
  readonly action: StepAction;
  /** What the connector is asked to do (changes only; updates get their values at run time). */
  readonly change?: ChangeAction;
  readonly updates?: readonly PlannedUpdate[];
  /** Keys of the steps that must be done first. */
  readonly dependsOn: readonly string[];
  /**
   * `manual`: a task for a person; `failed`: cannot run as things stand (see `note`); `skipped`:
   * not done, on purpose (a condition refuses the erasure of its purpose's data).
   */
  readonly status: 'pending' | 'manual' | 'failed' | 'skipped';
  /** For operators: what the step does differently and why, or what a person must do. */
  readonly note?: string;
  readonly kept?: KeptPlan;
  /** Collections whose rows this delete removes through ON DELETE CASCADE. */
  readonly cascades?: readonly string[];
  /** For `read` steps: the collections to count and read (default: all the person's). */
  readonly collections?: readonly string[];
  /** For the `locate` step: the linked systems it searches. */
  readonly systems?: readonly string[];
  /** For a `condition` step: the condition it waits out (defer) or reports (refuse). */
  readonly condition?: OpenCondition;
  /** Steward's own erasure: conditions whose purposes' records stay while their steps are not done. */
  readonly withhold?: readonly OpenCondition[];
  /** A skipped erasure step: the condition (`purpose.condition`) that refuses it. */
  readonly refusedBy?: string;
}

export interface Plan {
  readonly steps: readonly PlannedStep[];
}

export const LOCATE_KEY = '*:*:locate';

/** The key of a condition's step. */
export const conditionStepKey = (c: Pick<OpenCondition, 'purpose' | 'condition'>) =>
  `*:${c.purpose}.${c.condition}:condition`;

const keyOf = (system: string, collection: string, action: StepAction) => `${system}:${collection}:${action}`;

/** The category an identifying field holds when the dataset names none. */
const identityCategory: Record<NonNullable<DatasetField['identity']>, string> = {
  email: 'user.contact.email',
  phone: 'user.contact.phone_number',
  account: 'user.unique_id',
  customer: 'user.unique_id',
};

/** A field's data category: its own, or the one its kind of identifier implies. */
export const categoryOf = (field: DatasetField): string | undefined =>
  field.category ?? (field.identity === undefined ? undefined : identityCategory[field.identity]);

function masksFor(fields: readonly DatasetField[]): FieldMask[] {
  return fields.map((f) => ({ field: f.name, mask: f.mask ?? defaultMask(f) }));
}

/** The purposes a collection's data serves. */
const purposesOf = (system: PlanSystem, collection: DatasetCollection) =>
  collection.purposes ?? system.purposes;

function retentionText(
  model: PolicyModel,
  purpose: Purpose,
  categories: readonly string[],
  language: string,
): string {
  const rules = [
    ...new Set(
      categories.flatMap((c) => {
        const rule = model.retentionFor(purpose, c);
        return rule === undefined ? [] : [describeRetentionPeriod(rule, language, model.declaration)];
      }),
    ),
  ];
  return rules.length === 0 ? messages(language).format('completion.kept.byLaw') : joinWords(rules, language);
}

/** The masking of one erasure step, or why it cannot be planned. */
function erasureChange(
  input: PlanInput,
  system: PlanSystem,
  dataset: Dataset,
  step: ErasureStep,
): { change?: ChangeAction; kept?: KeptPlan; problem?: string } {
  const collection = dataset.collections.find((c) => c.name === step.collection)!;
  if (step.action === 'delete') return { change: { action: 'delete' } };
  const keys = keyFields(dataset, collection);
  const personal = collection.fields.filter((f) => isPersonal(f) && !keys.has(f.name));
  if (step.action === 'mask') {
    const masked = personal.filter((f) => f.mask !== 'keep');
    return masked.length === 0 ? {} : { change: { action: 'mask', fields: masksFor(masked) } };
  }
  const rule = collection.erasure;
  const purposeId = rule?.action === 'keep' ? rule.purpose : '';
  const purpose = input.model.purposes.get(purposeId);
  if (purpose === undefined)
    return {
      problem: `The dataset keeps ${collection.name} for the purpose "${purposeId}", which the declaration does not declare: correct the dataset (or the declaration), then retry.`,
    };
  const covered = (f: DatasetField) => {
    const category = categoryOf(f);
    return category !== undefined && purpose.categories.some((pc) => categoryCovers(pc, category));
  };
  const masked = personal.filter((f) => !covered(f) && f.mask !== 'keep');
  const keptFields = collection.fields
    .filter((f) => isPersonal(f) && !masked.includes(f))
    .map((f) => {
      const category = categoryOf(f);
      return { field: f.name, ...(category === undefined ? {} : { category }) };
    });
  const basis = input.model.basisFor(purpose, input.jurisdiction);
  const language = input.language ?? 'en';
  const reason = localise(input.model.exemptionOf(purpose, input.jurisdiction)?.reason, language);
  const kept: KeptPlan = {
    purpose: purpose.id,
    purposeName: localise(purpose.name, language),
    ...(reason === '' ? {} : { reason: reason.replace(/\.$/, '') }),
    ...(purpose.statutoryObligation === undefined ? {} : { obligation: purpose.statutoryObligation }),
    ...(basis === undefined ? {} : { basis: describeBasis(basis, language) }),
    retention: retentionText(
      input.model,
      purpose,
      keptFields.flatMap((f) => (f.category === undefined ? [] : [f.category])),
      language,
    ),
    keptFields,
    maskedFields: masked.map((f) => f.name),
  };
  return masked.length === 0 ? { kept } : { kept, change: { action: 'mask', fields: masksFor(masked) } };
}

/** The portable collections: those serving a purpose on consent or contract (Art. 20(1)). */
function portableCollections(input: PlanInput, system: PlanSystem, dataset: Dataset): string[] {
  return dataset.collections
    .filter((c) => !c.reference)
    .filter((c) =>
      purposesOf(system, c).some((id) => {
        const purpose = input.model.purposes.get(id);
        const basis = purpose === undefined ? undefined : input.model.basisFor(purpose, input.jurisdiction);
        return basis === 'consent' || basis === 'contract';
      }),
    )
    .map((c) => c.name);
}

/** Words people use for a category, besides its key and its names in the declaration and taxonomy. */
const categoryWords: Readonly<Record<string, readonly string[]>> = {
  'user.contact.email': ['email', 'e-mail', 'email address', 'e-post', 'e-postadress', 'mejl'],
  'user.contact.phone_number': [
    'phone',
    'telephone',
    'mobile',
    'phone number',
    'telefon',
    'telefonnummer',
    'mobil',
  ],
  'user.contact.address': ['address', 'postal address', 'adress', 'postadress'],
  'user.contact.address.street': ['street', 'street address', 'gata', 'gatuadress'],
  'user.contact.address.postal_code': ['postcode', 'postal code', 'zip', 'zip code', 'postnummer'],
  'user.contact.address.city': ['city', 'town', 'ort', 'stad'],
  'user.contact.address.country': ['country', 'land'],
  'user.name': ['name', 'full name', 'namn'],
  'user.name.first': ['first name', 'given name', 'förnamn'],
  'user.name.last': ['last name', 'surname', 'family name', 'efternamn'],
  'user.job_title': ['title', 'job title', 'titel'],
  'user.demographic.age': ['age', 'birth date', 'date of birth', 'ålder', 'födelsedatum'],
};

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The data category a correction names: a category key, a category's name (in any of the
 * declaration's languages), or a common word for it. Undefined when nothing matches.
 */
export function categoryOfCorrection(model: PolicyModel, field: string): string | undefined {
  const wanted = norm(field);
  if (model.hasCategory(field.trim())) return field.trim();
  for (const [key, info] of model.categories) {
    const names = typeof info.name === 'string' ? [info.name] : Object.values(info.name);
    const languages = model.declaration.languages;
    const localised = languages.map((l) => categoryName(model, key, l));
    if ([...names, ...localised].some((n) => norm(n) === wanted)) return key;
  }
  for (const [key, words] of Object.entries(categoryWords)) if (words.includes(wanted)) return key;
  return undefined;
}

/** Every link between two systems' fields: `from` is declared `sameAs` `to`. */
export interface SystemLink {
  readonly from: { readonly system: string; readonly collection: string; readonly field: string };
  readonly to: { readonly system: string; readonly collection: string; readonly field: string };
}

export function linksOf(systems: readonly PlanSystem[]): SystemLink[] {
  const known = new Set(systems.map((s) => s.id));
  return systems.flatMap((s) =>
    (s.dataset?.collections ?? []).flatMap((c) =>
      c.fields.flatMap((f) =>
        f.sameAs === undefined || !known.has(f.sameAs.system)
          ? []
          : [{ from: { system: s.id, collection: c.name, field: f.name }, to: f.sameAs }],
      ),
    ),
  );
}

const capable = (system: PlanSystem, what: keyof Capabilities) => system.capabilities?.[what] ?? true;

const forOwner = (system: PlanSystem) => (system.owner === undefined ? '' : ` (for ${system.owner})`);

/** The steps of one system that can be worked on (it has a dataset). */
function systemSteps(input: PlanInput, system: PlanSystem, dataset: Dataset, linked: boolean): PlannedStep[] {
  const id = system.id;
  const locate = linked ? [LOCATE_KEY] : [];
  const collections = dataset.collections.filter((c) => !c.reference);
  const manual = (action: StepAction, note: string, dependsOn: string[] = []): PlannedStep => ({
    key: keyOf(id, '*', action),
    system: id,
    collection: '*',
    action,
    dependsOn,
    status: 'manual',
    note,
  });

  switch (input.type) {
    case 'access':
    case 'portability': {
      // Steward decides what is portable record by record (how it was collected, on which basis).
      const portable =
        input.type === 'portability' && system.wholePerson === undefined
          ? portableCollections(input, system, dataset)
          : undefined;
      if (portable !== undefined && portable.length === 0) return [];
      return [
        {
          key: keyOf(id, '*', 'read'),
          system: id,
          collection: '*',
          action: 'read',
          dependsOn: locate,
          status: 'pending',
          ...(portable === undefined ? {} : { collections: portable }),
        },
      ];
    }
    case 'restriction': {
      const declared = collections.filter((c) => c.restriction !== undefined);
      if (declared.length === 0 || !capable(system, 'restrict'))
        return [
          manual(
            'manual',
            `${system.name} declares no way to mark a person's data restricted: mark their data in ${joinWords(
              collections.map((c) => c.name),
              'en',
            )} restricted by hand${forOwner(system)}, so it is kept but not used, then close this task.`,
          ),
        ];
      const target =
        system.wholePerson === undefined ? declared : declared.filter((c) => c.name === system.wholePerson);
      return target.map((c) => ({
        key: keyOf(id, c.name, 'restrict'),
        system: id,
        collection: c.name,
        action: 'restrict',
        change: { action: 'restrict' },
        dependsOn: locate,
        status: 'pending',
      }));
    }
    case 'rectification':
      // A person applies corrections to Steward's own data in the review that comes first.
      return system.wholePerson === undefined ? updateSteps(input, system, dataset, locate) : [];
    case 'erasure':
      return erasureSteps(input, system, dataset, locate);
    case 'objection':
    case 'withdrawal':
      return [];
  }
}

function erasureSteps(
  input: PlanInput,
  system: PlanSystem,
  dataset: Dataset,
  locate: string[],
): PlannedStep[] {
  const id = system.id;
  const conditions = input.conditions ?? [];
  if (system.wholePerson !== undefined) {
    const first: PlannedStep = {
      key: keyOf(id, system.wholePerson, 'delete'),
      system: id,
      collection: system.wholePerson,
      action: 'delete',
      change: { action: 'delete' },
      dependsOn: locate,
      status: 'pending',
      ...(conditions.length === 0 ? {} : { withhold: conditions }),
    };
    // What a deferred condition kept is erased by a second run once the condition has ended.
    const after = conditions
      .filter((c) => c.effect === 'defer')
      .map((c): PlannedStep => ({
        ...first,
        key: `${first.key}:after:${c.purpose}.${c.condition}`,
        dependsOn: [...locate, first.key, conditionStepKey(c)],
        note: `Erases what "${c.purposeName}" kept while ${c.condition} held.`,
      }));
    return [first, ...after];
  }
  // Fields of this system that others declare `sameAs` are searched with their values too.
  const linkedFields = linksOf(input.systems)
    .filter((l) => l.to.system === id)
    .map((l) => ({ collection: l.to.collection, field: l.to.field }));
  let order;
  try {
    order = erasureOrder(dataset, fullScopes(dataset, linkedFields));
  } catch (error) {
    if (!(error instanceof ErasureOrderError)) throw error;
    return [
      {
        key: keyOf(id, '*', 'delete'),
        system: id,
        collection: '*',
        action: 'delete',
        dependsOn: [],
        status: 'failed',
        note: `${error.message} Then retry.`,
      },
    ];
  }
  const keys = new Map<string, string>();
  const steps: PlannedStep[] = [];
  for (const step of order.steps) {
    const { change, kept, problem } = erasureChange(input, system, dataset, step);
    const action: StepAction = step.action === 'keep' ? 'keep' : step.action;
    const key = keyOf(id, step.collection, action);
    keys.set(step.collection, key);
    const notes = [
      step.reason === undefined ? undefined : `Masked, not deleted: ${step.reason}.`,
      ...step.notes,
    ];
    const missing =
      change === undefined
        ? undefined
        : change.action === 'delete' && !capable(system, 'delete')
          ? 'delete'
          : change.action === 'mask' && !capable(system, 'mask')
            ? 'mask'
            : undefined;
    if (missing !== undefined)
      notes.push(
        `The connector of ${system.name} cannot ${missing} rows: ${missing} the person's rows of ${step.collection} by hand${forOwner(system)}, then close this task.`,
      );
    if (problem !== undefined) notes.push(problem);
    const collection = dataset.collections.find((c) => c.name === step.collection)!;
    const serves = conditions.filter((c) => purposesOf(system, collection).includes(c.purpose));
    const refused = serves.filter((c) => c.effect === 'refuse');
    const deferred = serves.filter((c) => c.effect === 'defer');
    for (const c of refused) notes.push(`Not erased: ${c.condition} holds for "${c.purposeName}" (refused).`);
    for (const c of deferred)
      notes.push(`Waits until ${c.condition} no longer holds for "${c.purposeName}".`);
    const note = notes.filter((n) => n !== undefined).join(' ');
    steps.push({
      key,
      system: id,
      collection: step.collection,
      action,
      ...(change === undefined || refused.length > 0 ? {} : { change }),
      dependsOn: [...locate, ...step.after.map((c) => keys.get(c)!), ...deferred.map(conditionStepKey)],
      status:
        problem !== undefined
          ? 'failed'
          : refused.length > 0
            ? 'skipped'
            : missing !== undefined
              ? 'manual'
              : 'pending',
      ...(note === '' ? {} : { note }),
      ...(kept === undefined ? {} : { kept }),
      ...(step.cascades.length === 0 ? {} : { cascades: step.cascades }),
      ...(refused[0] === undefined ? {} : { refusedBy: `${refused[0].purpose}.${refused[0].condition}` }),
    });
  }
  return steps;
}

function updateSteps(
  input: PlanInput,
  system: PlanSystem,
  dataset: Dataset,
  locate: string[],
): PlannedStep[] {
  const id = system.id;
  const review = keyOf('steward', '*', 'review');
  const corrections = (input.corrections ?? []).map((c, i) => ({
    index: i,
    field: c.field,
    category: categoryOfCorrection(input.model, c.field),
    parts: c.parts === undefined ? undefined : Object.keys(c.parts),
  }));
  const steps: PlannedStep[] = [];
  for (const collection of dataset.collections) {
    if (collection.reference) continue;
    const keys = keyFields(dataset, collection);
    const updates: PlannedUpdate[] = [];
    /** Fields holding a part of a correction given as one text: never written whole. */
    const unsplit: { field: string; part: string; correction: string }[] = [];
    /** Parts given that no field of this collection holds, though it holds others. */
    const unheld = new Set<string>();
    for (const c of corrections) {
      if (c.category === undefined) continue;
      const held = new Set<string>();
      for (const f of collection.fields) {
        const category = categoryOf(f);
        if (category === undefined || keys.has(f.name)) continue;
        if (category === c.category) updates.push({ field: f.name, category, correction: c.index });
        else if (categoryCovers(c.category, category)) {
          const part = category.slice(c.category.length + 1);
          held.add(part);
          if (c.parts === undefined) unsplit.push({ field: f.name, part, correction: c.field });
          else if (c.parts.includes(part))
            updates.push({ field: f.name, category, correction: c.index, part });
        }
      }
      if (held.size > 0) for (const p of c.parts ?? []) if (!held.has(p)) unheld.add(p);
    }
    if (updates.length > 0) {
      const fields = joinWords(
        updates.map((u) => u.field),
        'en',
      );
      const notes = [
        capable(system, 'update')
          ? undefined
          : `The connector of ${system.name} cannot update rows: set ${fields} of the person's rows of ${collection.name} to the corrected values (in the request's claims) by hand${forOwner(system)}, then close this task.`,
        unheld.size === 0
          ? undefined
          : `${collection.name} has no field for the ${joinWords([...unheld], 'en')} given in the correction: check it by hand if it changed.`,
      ].filter((n) => n !== undefined);
      steps.push({
        key: keyOf(id, collection.name, 'update'),
        system: id,
        collection: collection.name,
        action: 'update',
        updates,
        dependsOn: [review, ...locate],
        status: capable(system, 'update') ? 'pending' : 'manual',
        ...(notes.length === 0 ? {} : { note: notes.join(' ') }),
      });
    }
    if (unsplit.length > 0)
      steps.push({
        key: keyOf(id, collection.name, 'manual'),
        system: id,
        collection: collection.name,
        action: 'manual',
        dependsOn: [review, ...locate],
        status: 'manual',
        note: `${system.name} keeps ${joinWords(
          [...new Set(unsplit.map((u) => `"${u.correction}"`))],
          'en',
        )} in parts in ${collection.name} (${joinWords(
          unsplit.map((u) => `${u.field}: ${u.part}`),
          'en',
        )}), and the correction was given as one text, so it is not written whole into each: set those fields of the person's rows to the matching parts of the correction (in the request's claims) by hand${forOwner(system)}, then close this task. A correction given in parts is applied to them without a task.`,
      });
  }
  // Rows are found by their identifying fields: a step changing one of them goes last.
  const identifying = (s: PlannedStep) =>
    (s.updates ?? []).some(
      (u) =>
        dataset.collections.find((c) => c.name === s.collection)?.fields.find((f) => f.name === u.field)
          ?.identity !== undefined,
    );
  const others = steps.filter((s) => !identifying(s)).map((s) => s.key);
  return steps.map((s) => (identifying(s) ? { ...s, dependsOn: [...s.dependsOn, ...others] } : s));
}

/** The review every rectification starts with: a person checks the correction is accurate (Art. 16). */
function reviewStep(input: PlanInput): PlannedStep {
  const unmatched = (input.corrections ?? [])
    .map((c) => c.field)
    .filter((field) => categoryOfCorrection(input.model, field) === undefined);
  return {
    key: keyOf('steward', '*', 'review'),
    system: 'steward',
    collection: '*',
    action: 'review',
    dependsOn: [],
    status: 'manual',
    note: [
      "Check that the correction is accurate and apply it to Steward's data on the subject page; closing this task sends the corrections to every connected system that holds the same kind of data.",
      unmatched.length === 0
        ? ''
        : `Not matched to a data category, so correct by hand wherever it is held: ${unmatched.map((f) => `"${f}"`).join(', ')}.`,
    ]
      .filter((s) => s !== '')
      .join(' '),
  };
}

/** The action of a system's single step when it cannot be planned collection by collection. */
const systemAction: Record<RequestType, StepAction> = {
  access: 'read',
  portability: 'read',
  rectification: 'update',
  erasure: 'delete',
  restriction: 'restrict',
  objection: 'objection',
  withdrawal: 'withdrawal',
};

/**
 * The plan of a request across the given systems (Steward's own first).
 *
 * @example
 * const plan = planRequest({ type: 'erasure', model, jurisdiction: 'SE', systems: [steward, shop] });
 * // plan.steps: steward:subject:delete, shop:order_lines:delete, shop:invoices:keep, ...
 */
export function planRequest(input: PlanInput): Plan {
  if (input.type === 'objection' || input.type === 'withdrawal')
    return {
      steps: [
        {
          key: keyOf('steward', '*', input.type),
          system: 'steward',
          collection: '*',
          action: input.type,
          dependsOn: [],
          status: 'pending',
        },
      ],
    };
  const usable = input.systems.filter((s) => s.dataset !== undefined && s.problem === undefined);
  const links = linksOf(usable);
  const linkedSystems = new Set(links.flatMap((l) => [l.from.system, l.to.system]));
  const steps: PlannedStep[] = [];
  if (input.type === 'rectification') steps.push(reviewStep(input));
  if (linkedSystems.size > 0)
    steps.push({
      key: LOCATE_KEY,
      system: '*',
      collection: '*',
      action: 'locate',
      dependsOn: [],
      status: 'pending',
      systems: [...linkedSystems].sort(),
      note: `Finds the person's linked values in ${joinWords([...linkedSystems].sort(), 'en')} before any of them changes.`,
    });
  if (input.type === 'erasure')
    for (const c of input.conditions ?? [])
      steps.push({
        key: conditionStepKey(c),
        system: '*',
        collection: `${c.purpose}.${c.condition}`,
        action: 'condition',
        dependsOn: [],
        status: c.effect === 'refuse' ? 'skipped' : 'pending',
        condition: c,
        note:
          c.effect === 'refuse'
            ? `Erasure of "${c.purposeName}" data refused while ${c.condition} holds: ${c.words}`
            : `Erasure of "${c.purposeName}" data waits while ${c.condition} holds; checked again every ${c.recheck}.`,
      });
  for (const system of input.systems) {
    if (system.dataset === undefined || system.problem !== undefined) {
      const action = systemAction[input.type];
      steps.push({
        key: keyOf(system.id, '*', action),
        system: system.id,
        collection: '*',
        action,
        dependsOn: [],
        status: 'failed',
        note: system.problem ?? `${system.name} has no reviewed dataset: review one, then retry.`,
      });
      continue;
    }
    steps.push(...systemSteps(input, system, system.dataset, linkedSystems.has(system.id)));
  }
  return { steps };
}
