/**
 * Roles and what each may do (C7.2). Least privilege: each role gets only the permissions its
 * work needs, and routes check a permission, never a role name.
 */
export const permissions = [
  'policy:read',
  'policy:publish',
  'audit:read',
  'operators:manage',
  'apikeys:manage',
  'subjects:read',
  'subjects:write',
  'consent:read',
  'consent:write',
  'suppression:check',
  'messages:send',
  'requests:read',
  'requests:claims',
  'requests:manage',
  'requests:submit',
  /** A company's own site: requests of its signed-in users, for the key's one declaration. */
  'requests:account',
  'holds:manage',
  'lifecycle:write',
  'drp:manage',
  'disclosures:read',
  'disclosures:write',
  'web:read',
  'jobs:read',
  'outbox:read',
  'outbox:reveal',
  'systems:read',
  'systems:manage',
  'retention:read',
  'retention:run',
] as const;
export type Permission = (typeof permissions)[number];

/**
 * Permissions no role carries and no API key can hold: granted to one operator account only.
 * `outbox:reveal` reads whole messages of the development outbox (codes and links included), so
 * someone trying Steward without a mail server can act on them; the first administrator gets it.
 */
export const personalPermissions: readonly Permission[] = ['outbox:reveal'];

/**
 * What Steward grants, beyond its role, to the account it creates first: the development outbox
 * (reading its list, and revealing whole messages), so the two-command start can be tried
 * without a mail server. Other administrators, who hold no people's data, do not get it.
 */
export const firstAccountGrants: readonly Permission[] = ['outbox:read', 'outbox:reveal'];

export const roles = [
  'administrator',
  'privacy_officer',
  'support_agent',
  'marketing_operator',
  'auditor',
] as const;
export type Role = (typeof roles)[number];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  // Runs the installation: accounts, keys, declarations. Reads people's data only through the
  // privacy officer's tools, so it holds no subject permissions.
  administrator: [
    'policy:read',
    'policy:publish',
    'audit:read',
    'operators:manage',
    'apikeys:manage',
    'drp:manage',
    'jobs:read',
    'web:read',
    // Connected systems: their list, checks and dataset maps (where data lives, never the data).
    'systems:read',
    'systems:manage',
    // Retention: which rules run, how far behind they are, their receipts (counts, no data).
    'retention:read',
  ],
  privacy_officer: [
    'policy:read',
    'policy:publish',
    'audit:read',
    'subjects:read',
    'subjects:write',
    'consent:read',
    'consent:write',
    'suppression:check',
    'messages:send',
    'requests:read',
    'requests:claims',
    'requests:manage',
    'requests:submit',
    'requests:account',
    'holds:manage',
    // Reporting that a contract ended or an order was delivered starts retention clocks.
    'lifecycle:write',
    'disclosures:read',
    'disclosures:write',
    'web:read',
    'outbox:read',
    'systems:read',
    'systems:manage',
    'retention:read',
    'retention:run',
  ],
  support_agent: [
    'policy:read',
    'subjects:read',
    'consent:read',
    'consent:write',
    'requests:read',
    'requests:claims',
    'requests:manage',
    'requests:submit',
  ],
  marketing_operator: ['policy:read', 'suppression:check', 'messages:send', 'consent:read', 'web:read'],
  // Checks that the work was done right: sees requests and their timelines, never what the
  // requester wrote (claims are masked without requests:claims).
  auditor: [
    'policy:read',
    'audit:read',
    'requests:read',
    'disclosures:read',
    'jobs:read',
    'systems:read',
    'retention:read',
  ],
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}
