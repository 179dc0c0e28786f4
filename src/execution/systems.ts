/**
 * The systems a request's plan covers, as the plan sees them (`PlanSystem`), and the connector
 * each step talks to: Steward's own data first, then every system the request's declaration
 * names, connected through the app context's system registry.
 */
import type { AppContext } from '../context.js';
import type { Connector } from '../connectors/contract.js';
import {
  STEWARD_SYSTEM,
  stewardCapabilities,
  stewardConnector,
  stewardDataset,
  WHOLE_PERSON,
} from '../connectors/steward/index.js';
import { recipientsOf } from '../policy/describe.js';
import type { PolicyModel } from '../policy/model.js';
import type { DeclaredSystem } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import type { PlanRecipient, PlanSystem } from './plan.js';

/** The connected systems the declaration names. */
export function declaredSystems(model: PolicyModel): readonly DeclaredSystem[] {
  return model.declaration.systems;
}

/**
 * Recipients to tell of a change to a system's data (Art. 19): those serving its purposes that
 * the declaration marks `notifyOnChange`, and the processor that runs it for us.
 */
export function systemRecipients(model: PolicyModel, system: DeclaredSystem): PlanRecipient[] {
  const name = localise(system.name, 'en');
  const found = new Map<string, PlanRecipient>();
  for (const purposeId of system.purposes) {
    const purpose = model.purposes.get(purposeId);
    if (purpose === undefined) continue;
    for (const r of recipientsOf(model, purpose))
      if (r.notifyOnChange === true && !found.has(r.id))
        found.set(r.id, {
          recipientId: r.id,
          name: localise(r.name, 'en'),
          why: `Receives data held in ${name} for "${localise(purpose.name, 'en')}".`,
        });
  }
  const operator =
    system.operator === 'self'
      ? undefined
      : model.declaration.recipients.find((r) => r.id === system.operator);
  if (operator !== undefined && !found.has(operator.id))
    found.set(operator.id, {
      recipientId: operator.id,
      name: localise(operator.name, 'en'),
      why: `Runs ${name} for us and holds its data.`,
    });
  return [...found.values()];
}

/** Steward's own data as a system of the plan; its recipients are worked out per person at planning. */
export function stewardSystem(recipients: readonly PlanRecipient[]): PlanSystem {
  return {
    id: STEWARD_SYSTEM,
    name: 'Steward',
    purposes: [],
    recipients,
    dataset: stewardDataset,
    capabilities: stewardCapabilities,
    wholePerson: WHOLE_PERSON,
  };
}

/**
 * The connected systems of a declaration as the plan sees them: with the reviewed dataset and
 * capabilities of their connector, or the registry's refusal (no settings, no reviewed dataset,
 * no connector for its kind), which says what to do.
 */
export async function connectedSystems(ctx: AppContext, model: PolicyModel): Promise<PlanSystem[]> {
  await ctx.systems.refresh();
  const systems: PlanSystem[] = [];
  for (const declared of declaredSystems(model)) {
    const name = localise(declared.name, 'en');
    const base = {
      id: declared.id,
      name,
      purposes: declared.purposes,
      recipients: systemRecipients(model, declared),
      ...(declared.owner === undefined ? {} : { owner: declared.owner }),
    };
    try {
      const connector = await ctx.systems.connector(declared.id);
      systems.push({ ...base, dataset: connector.dataset, capabilities: connector.capabilities });
    } catch (error) {
      systems.push({ ...base, problem: `${safeMessage(error).replace(/\.?$/, '.')} Then retry this step.` });
    }
  }
  return systems;
}

/** The connector of one system of a request's plan. */
export async function connectorFor(
  ctx: AppContext,
  system: string,
  request: { readonly id: string; readonly reference: string },
): Promise<Connector> {
  if (system === STEWARD_SYSTEM)
    return stewardConnector(ctx, { requestId: request.id, reference: request.reference });
  return ctx.systems.connector(system);
}

/** Text of an error that is safe to store with a step and show to operators: no URLs, no secrets. */
export function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]')
    .replace(/password=\S+/gi, 'password=[secret]')
    .slice(0, 2000);
}
