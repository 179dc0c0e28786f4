import type { Actor } from '../access/actor.js';
import { permissions } from '../access/roles.js';

/**
 * Whoever runs the CLI on the host already holds the database and the secret, so role checks
 * would protect nothing; the audit ledger still records `system:cli` as the actor.
 */
export function hostActor(): Actor {
  return { kind: 'system', id: 'cli', name: 'steward CLI', permissions: new Set(permissions) };
}
