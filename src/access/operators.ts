/**
 * Operator accounts, password sign-in with per-account throttling, sessions, and API keys.
 * Passwords are stored as argon2id hashes; session tokens and API keys as SHA-256 hashes (they
 * are long random values, so a slow hash adds nothing).
 */
import { randomUUID } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { randomToken, sha256Hex } from '../crypto.js';
import { AppError } from '../errors.js';
import { isUniqueViolation } from '../store/database.js';
import type { Operator } from '../store/schema.js';
import { transaction } from '../store/transaction.js';
import type { Actor } from './actor.js';
import { actorRef, requirePermission } from './actor.js';
import type { Permission, Role } from './roles.js';
import {
  firstAccountGrants,
  isPermission,
  permissions,
  personalPermissions,
  rolePermissions,
  roles,
} from './roles.js';

const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_FAILED_LOGINS = 5;
const LOCK_MS = 15 * 60 * 1000;
/** Verified against when the email is unknown, so timing does not tell who has an account. */
let dummyHash: Promise<string> | undefined;
const unknownAccountHash = (): Promise<string> => (dummyHash ??= argonHash(randomToken(16)));

export const createOperatorInput = z.strictObject({
  email: z.email('must be an email address').transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role: z.enum(roles),
  password: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
});
export type CreateOperatorInput = z.input<typeof createOperatorInput>;

export interface OperatorView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** What the role allows, and any personal grant: the console shows only what can be used. */
  readonly permissions: readonly Permission[];
}

/** The role's permissions and the operator's own grants (only the first account's can count). */
function permissionsOf(o: Pick<Operator, 'role' | 'grants'>): Permission[] {
  const grants = (JSON.parse(o.grants) as string[]).filter(
    (p): p is Permission => isPermission(p) && firstAccountGrants.includes(p),
  );
  return [...new Set([...(rolePermissions[o.role as Role] ?? []), ...grants])];
}

const view = (o: Pick<Operator, 'id' | 'email' | 'name' | 'role' | 'grants'>): OperatorView => ({
  id: o.id,
  email: o.email,
  name: o.name,
  role: o.role as Role,
  permissions: permissionsOf(o),
});

/** Creates an operator; without a password, one is generated and returned once. */
export async function createOperator(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  actor: Actor,
  input: CreateOperatorInput,
  options: { bootstrap?: boolean; grants?: readonly Permission[] } = {},
): Promise<{ operator: OperatorView; password: string }> {
  if (!options.bootstrap) requirePermission(actor, 'operators:manage');
  // Personal permissions are given once, by Steward itself, to the account it creates first.
  if (
    options.grants !== undefined &&
    (!options.bootstrap || options.grants.some((p) => !firstAccountGrants.includes(p)))
  )
    throw new AppError('forbidden', 'Only the first account’s grants can be given, and only to it.');
  const data = createOperatorInput.parse(input);
  const password = data.password ?? randomToken(18);
  const row = {
    id: randomUUID(),
    email: data.email,
    name: data.name,
    role: data.role,
    password_hash: await argonHash(password),
    created_at: ctx.clock.now().toISOString(),
    disabled_at: null,
    failed_logins: 0,
    locked_until: null,
    grants: JSON.stringify(options.grants ?? []),
  };
  try {
    await transaction(ctx.store, async (tx) => {
      await tx.insertInto('operators').values(row).execute();
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: actorRef(actor),
        action: 'operator.created',
        target: `operator:${row.id}`,
        details: {
          email: row.email,
          role: row.role,
          ...(options.grants?.length ? { grants: options.grants } : {}),
        },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', `An operator with the email ${data.email} already exists.`, [
        { path: 'email', message: 'already in use' },
      ]);
    throw error;
  }
  return { operator: view(row), password };
}

export async function countOperators(ctx: Pick<AppContext, 'store'>): Promise<number> {
  const row = await ctx.store.db
    .selectFrom('operators')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listOperators(ctx: Pick<AppContext, 'store'>, actor: Actor): Promise<OperatorView[]> {
  requirePermission(actor, 'operators:manage');
  const rows = await ctx.store.db
    .selectFrom('operators')
    .select(['id', 'email', 'name', 'role', 'grants'])
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();
  return rows.map(view);
}

export type SignInResult =
  | { readonly ok: true; readonly operator: OperatorView; readonly token: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: 'invalid_credentials' | 'locked' };

/**
 * Checks a password and opens a session. Five failures lock the account for 15 minutes; unknown
 * emails cost the same time as known ones.
 */
export async function signIn(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  email: string,
  password: string,
): Promise<SignInResult> {
  const now = ctx.clock.now();
  const operator = await ctx.store.db
    .selectFrom('operators')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  const valid = await argonVerify(operator?.password_hash ?? (await unknownAccountHash()), password).catch(
    () => false,
  );
  if (operator === undefined) return { ok: false, reason: 'invalid_credentials' };
  if (operator.locked_until !== null && operator.locked_until > now.toISOString())
    return { ok: false, reason: 'locked' };
  if (!valid) {
    const failed = operator.failed_logins + 1;
    await transaction(ctx.store, async (tx) => {
      await tx
        .updateTable('operators')
        .set({
          failed_logins: failed >= MAX_FAILED_LOGINS ? 0 : failed,
          locked_until: failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MS).toISOString() : null,
        })
        .where('id', '=', operator.id)
        .execute();
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: 'public',
        action: 'operator.sign_in_failed',
        target: `operator:${operator.id}`,
        details: { locked: failed >= MAX_FAILED_LOGINS },
      });
    });
    return { ok: false, reason: 'invalid_credentials' };
  }
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await transaction(ctx.store, async (tx) => {
    await tx
      .updateTable('operators')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', operator.id)
      .execute();
    await tx
      .insertInto('sessions')
      .values({
        token_hash: sha256Hex(token),
        operator_id: operator.id,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        last_seen_at: now.toISOString(),
      })
      .execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: `operator:${operator.id}`,
      action: 'operator.signed_in',
      target: `operator:${operator.id}`,
    });
  });
  return { ok: true, operator: view(operator), token, expiresAt };
}

function operatorActor(o: Pick<Operator, 'id' | 'name' | 'role' | 'grants'>): Actor {
  return {
    kind: 'operator',
    id: o.id,
    name: o.name,
    role: o.role as Role,
    permissions: new Set(permissionsOf(o)),
  };
}

/** The operator behind a session token, sliding its idle expiry; undefined when not valid. */
export async function authenticateSession(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  token: string,
): Promise<{ actor: Actor; operator: OperatorView } | undefined> {
  const now = ctx.clock.now();
  const row = await ctx.store.db
    .selectFrom('sessions')
    .innerJoin('operators', 'operators.id', 'sessions.operator_id')
    .select([
      'operators.id',
      'operators.email',
      'operators.name',
      'operators.role',
      'operators.grants',
      'sessions.created_at',
      'sessions.expires_at',
      'sessions.last_seen_at',
    ])
    .where('sessions.token_hash', '=', sha256Hex(token))
    .where('operators.disabled_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined || row.expires_at <= now.toISOString()) return undefined;
  if (now.getTime() - Date.parse(row.created_at) > SESSION_MAX_MS) return undefined;
  if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
    await ctx.store.db
      .updateTable('sessions')
      .set({
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      })
      .where('token_hash', '=', sha256Hex(token))
      .execute();
  }
  return { actor: operatorActor(row), operator: view(row) };
}

export async function signOut(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  actor: Actor,
  token: string,
): Promise<void> {
  await transaction(ctx.store, async (tx) => {
    await tx.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'operator.signed_out',
      target: actorRef(actor),
    });
  });
}

export const createApiKeyInput = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  scopes: z.array(z.enum(permissions)).min(1, 'must name at least one permission'),
  expiresAt: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }).optional(),
  declarationId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Binds the key to one declaration; required with requests:account'),
});

/**
 * Creates an API key limited to `scopes`, which must be permissions the creator holds. The key
 * (`stw_<id>_<secret>`) is shown once; only its hash is kept.
 */
export async function createApiKey(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  actor: Actor,
  input: z.input<typeof createApiKeyInput>,
): Promise<{ id: string; key: string; scopes: Permission[] }> {
  requirePermission(actor, 'apikeys:manage');
  const data = createApiKeyInput.parse(input);
  const personal = data.scopes.filter((scope) => personalPermissions.includes(scope));
  if (personal.length > 0)
    throw new AppError('forbidden', `An API key cannot hold a personal permission: ${personal.join(', ')}.`, [
      { path: 'scopes', message: 'personal to one operator' },
    ]);
  const beyond = data.scopes.filter((scope) => !actor.permissions.has(scope));
  if (beyond.length > 0) {
    throw new AppError(
      'forbidden',
      `An API key cannot hold permissions its creator lacks: ${beyond.join(', ')}.`,
      [{ path: 'scopes', message: 'exceeds your permissions' }],
    );
  }
  if (data.scopes.includes('requests:account') && data.declarationId === undefined)
    throw new AppError(
      'validation_failed',
      'A key with requests:account answers for one declaration: name it.',
      [{ path: 'declarationId', message: 'required with requests:account' }],
    );
  const id = randomToken(9);
  const key = `stw_${id}_${randomToken(32)}`;
  await transaction(ctx.store, async (tx) => {
    await tx
      .insertInto('api_keys')
      .values({
        id,
        name: data.name,
        key_hash: sha256Hex(key),
        scopes: JSON.stringify(data.scopes),
        declaration_id: data.declarationId ?? null,
        created_by: actorRef(actor),
        created_at: ctx.clock.now().toISOString(),
        expires_at: data.expiresAt ?? null,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'api_key.created',
      target: `api_key:${id}`,
      details: { name: data.name, scopes: data.scopes, declarationId: data.declarationId },
    });
  });
  return { id, key, scopes: data.scopes };
}

export async function revokeApiKey(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  actor: Actor,
  id: string,
): Promise<void> {
  requirePermission(actor, 'apikeys:manage');
  await transaction(ctx.store, async (tx) => {
    const result = await tx
      .updateTable('api_keys')
      .set({ revoked_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new AppError('not_found', `API key ${id} was not found or is already revoked.`);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'api_key.revoked',
      target: `api_key:${id}`,
    });
  });
}

export async function authenticateApiKey(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  key: string,
): Promise<Actor | undefined> {
  if (!/^stw_[A-Za-z0-9_-]+$/.test(key)) return undefined;
  const now = ctx.clock.now().toISOString();
  const row = await ctx.store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', sha256Hex(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  if (row.last_used_at === null || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) {
    await ctx.store.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const scopes = (JSON.parse(row.scopes) as string[]).filter(isPermission);
  return {
    kind: 'api_key',
    id: row.id,
    name: row.name,
    permissions: new Set(scopes),
    ...(row.declaration_id === null ? {} : { declarationId: row.declaration_id }),
  };
}
