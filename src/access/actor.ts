import { forbidden } from '../errors.js';
import type { Permission, Role } from './roles.js';

/** Who is acting. Domain code records `ref` in the audit ledger and checks `can`. */
export interface Actor {
  readonly kind: 'operator' | 'api_key' | 'system';
  readonly id: string;
  readonly name: string;
  readonly role?: Role;
  readonly permissions: ReadonlySet<Permission>;
  /** An API key bound to one declaration (a company's own site): the only one it may act for. */
  readonly declarationId?: string;
}

export const actorRef = (actor: Actor): string =>
  actor.kind === 'system' ? 'system' : `${actor.kind}:${actor.id}`;

/** Throws `forbidden` unless the actor holds the permission. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission))
    throw forbidden(`This needs the ${permission} permission, which your role does not have.`);
}

/** The actor for work Steward does on its own (start-up, sweeps, the CLI run by the host's owner). */
export function systemActor(name = 'system'): Actor {
  return { kind: 'system', id: name, name, permissions: new Set<Permission>() };
}
