/**
 * Table types for Kysely. Times are ISO 8601 UTC strings (`toISOString()`) in both dialects so
 * values compare and sort the same on SQLite and PostgreSQL; JSON is stored as text.
 */
import type { Insertable, Selectable } from 'kysely';

export interface PolicyVersionTable {
  declaration_id: string;
  number: number;
  version_label: string;
  effective_date: string;
  content_hash: string;
  source: string;
  published_at: string;
  published_by: string;
}

export interface OperatorTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
  failed_logins: number;
  locked_until: string | null;
}

export interface SessionTable {
  token_hash: string;
  operator_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  key_hash: string;
  scopes: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  purpose: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface JobTable {
  id: string;
  type: string;
  version: number;
  payload: string;
  status: 'pending' | 'running' | 'done' | 'dead';
  run_at: string;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

export interface DisclosureTable {
  id: string;
  declaration_id: string;
  recipient_id: string;
  legal_basis: string;
  categories: string;
  subject_ref: string | null;
  description: string;
  disclosed_at: string;
  recorded_by: string;
  recorded_at: string;
}

export interface Database {
  policy_versions: PolicyVersionTable;
  operators: OperatorTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  audit_log: AuditTable;
  audit_head: AuditHeadTable;
  jobs: JobTable;
  disclosures: DisclosureTable;
}

export type Operator = Selectable<OperatorTable>;
export type NewJob = Insertable<JobTable>;
export type AuditRow = Selectable<AuditTable>;
export type DisclosureRow = Selectable<DisclosureTable>;
