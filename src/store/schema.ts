/**
 * Table types for Kysely. Times are ISO 8601 UTC strings (`toISOString()`) in both dialects so
 * values compare and sort the same on SQLite and PostgreSQL; JSON is stored as text.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

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
  /** JSON array of permissions granted beyond the role (see access/roles.ts personalPermissions). */
  grants: Generated<string>;
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
  /** The one declaration a key of a company's own site answers for (requests:account). */
  declaration_id: string | null;
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
  /** The worker (`host:pid:random`) that claimed the latest attempt; kept once the job finished. */
  claimed_by: string | null;
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

export interface SubjectTable {
  id: string;
  /** '' for the controller's own data; `<service>:<provider>` for data held as processor. */
  tenant: string;
  jurisdiction: string | null;
  child: number;
  restricted: number;
  objected_at: string | null;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdentifierTable {
  id: string;
  subject_id: string;
  tenant: string;
  kind: string;
  /** The normalised value; null for kinds kept only as keyed hashes (cookie and device ids). */
  value: string | null;
  /** Keyed hash of kind and normalised value: how identifiers are looked up. */
  lookup: string;
  created_at: string;
  /** Where it came from: `capture:<source>`, `import`, `subscription`, `consent`, `operator`, `merge`, ... */
  source: string | null;
  /** 1 when it arrived beside an identifier of an existing person: a claim, not a channel until verified. */
  claimed: Generated<number>;
  verified_at: string | null;
  /** `double_opt_in`, `operator`, `import` or `code`. */
  verified_by: string | null;
}

export interface RecordTable {
  id: string;
  subject_id: string;
  tenant: string;
  declaration_id: string;
  declaration_version: number;
  kind: string;
  purposes: string;
  categories: string;
  source_id: string;
  source_type: string;
  collection_point: string | null;
  /** Encrypted JSON (see src/capture/sealed.ts). */
  data: string;
  collected_at: string;
  /**
   * When the record expires: the latest end of the retention periods of its purposes and
   * categories, each counted from its own clock (src/retention/record-clocks.ts); null while a
   * clock has not started (a contract still running). Sweeps take `expires_at < now`.
   */
  expires_at: string | null;
  /** The rule whose period ends at `expires_at`: its action (delete or anonymise) applies then. */
  expiry_rule: string | null;
}

/** A lifecycle event reported for a person, a record or a connected system's row (src/retention/). */
export interface LifecycleEventTable {
  id: string;
  tenant: string;
  declaration_id: string;
  /** The person it happened to; also set for an event about one of their records. */
  subject_id: string | null;
  /** One of Steward's records, for an event about a record. */
  record_id: string | null;
  /** A connected system's row: its system, collection and key (canonical JSON). */
  system: string | null;
  collection: string | null;
  record_key: string | null;
  event: string;
  occurred_at: string;
  received_at: string;
  /** `api`, `cli` or `dataset`. */
  source: string;
  actor: string;
  /** SHA-256 of the event's natural key: an exact duplicate is recorded once. */
  natural_key: string;
}

export interface NoticeTaskTable {
  id: string;
  subject_id: string;
  record_id: string;
  declaration_id: string;
  source_id: string;
  due_at: string;
  status: 'open' | 'sent' | 'exempt';
  closed_at: string | null;
  note: string | null;
  created_at: string;
}

export interface ConsentEventTable {
  seq: Generated<number>;
  id: string;
  subject_id: string;
  identifier_id: string | null;
  declaration_id: string;
  declaration_version: number;
  notice_hash: string;
  target_kind: 'purpose' | 'communication' | 'cookie_category';
  target_id: string;
  event: 'given' | 'withdrawn' | 'expired' | 'renewed';
  channel: string;
  element: string | null;
  at: string;
  ip: string | null;
  user_agent: string | null;
  gpc: number;
  jurisdiction: string | null;
  idempotency_key: string | null;
}

export interface SubscriptionTable {
  id: string;
  subject_id: string;
  identifier_id: string;
  declaration_id: string;
  communication_id: string;
  state: 'unconfirmed' | 'confirmed' | 'unsubscribed';
  sender: string;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
}

export interface SuppressionTable {
  id: string;
  lookup: string;
  declaration_id: string;
  /** A communication id, or '*' for every marketing communication. */
  scope: string;
  reason: 'unsubscribed' | 'objected' | 'child';
  subject_id: string | null;
  created_at: string;
}

export interface RedemptionTable {
  promotion_id: string;
  key_hash: string;
  redeemed_at: string;
}

export interface OutboxTable {
  id: string;
  to_address: string;
  from_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  headers: string;
  kind: string;
  communication_id: string | null;
  created_at: string;
  sent_at: string | null;
  transport: string;
  error: string | null;
  /** The whole message, sealed; only in the development outbox, readable with outbox:reveal. */
  sealed_message: string | null;
  /** SHA-256 of subject, text, HTML and headers as sent. */
  body_digest: string | null;
}

export interface RequestContactTable {
  request_id: string;
  lookup: string;
  received_at: string;
}

export interface SuppressionChangeTable {
  seq: Generated<number>;
  /** The subject whose answers changed; null when anything may have (erasure, bulk changes). */
  subject_id: string | null;
  at: string;
}

export const requestStatuses = [
  'received',
  'verifying',
  'awaiting_review',
  'in_progress',
  'routed',
  'completed',
  'refused',
  'withdrawn',
  'expired',
] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export interface RequestTable {
  id: string;
  /** Short reference the requester and operators quote, e.g. `R-7KQ2-M9XD`. */
  reference: string;
  declaration_id: string;
  /** The service the request concerns (C1.2/C1.3), when it names one. */
  service_id: string | null;
  type: string;
  status: RequestStatus;
  channel: string;
  /** Set once the requester is verified as this subject (or found to be nobody we hold). */
  subject_id: string | null;
  /** Keyed hash of the contact identifier the request was made with, for rate limits and repeats. */
  contact_lookup: string;
  /** Hash of the token the requester got at submission: their handle to status, code entry, results. */
  access_token_hash: string;
  /** Sealed JSON: the identifiers, name and details the requester supplied. */
  claims: string;
  jurisdiction: string | null;
  second_step: 'none' | 'second_channel' | 'operator_review';
  received_at: string;
  due_at: string;
  extended_to: string | null;
  verified_at: string | null;
  reviewed_at: string | null;
  closed_at: string | null;
  /** JSON: what was done, or the refusal and its reasons. */
  outcome: string | null;
  /** JSON: a fee decision with its recorded reasons. */
  fee: string | null;
  drp_agent_id: string | null;
  drp_agent_request_id: string | null;
  drp_callback: string | null;
  created_by: string;
  updated_at: string;
}

export interface RequestEventTable {
  seq: Generated<number>;
  request_id: string;
  at: string;
  actor: string;
  kind: string;
  details: string;
  /** 1 when the requester sees this step in their status page. */
  visible: number;
}

export interface VerificationChallengeTable {
  id: string;
  request_id: string;
  /** 1 for the first challenge, 2 for a second-channel challenge. */
  step: number;
  /** The identifier on file the code was sent to; null when nobody matched (a decoy). */
  identifier_id: string | null;
  /**
   * Without an identifier: the address the request gave (sealed), for a person only a connected
   * system holds; cleared when no system holds it, which leaves a decoy.
   */
  address: string | null;
  code_hash: string;
  attempts: number;
  max_attempts: number;
  expires_at: string;
  passed_at: string | null;
  created_at: string;
}

export interface RequestTaskTable {
  id: string;
  request_id: string;
  kind: 'system' | 'recipient_notice' | 'provider_route' | 'manual';
  /** A system id (`steward` for Steward's own data), recipient id or service id. */
  target: string;
  action: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  result: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
  done_by: string | null;
}

export type RequestStepStatus = 'pending' | 'running' | 'done' | 'failed' | 'manual' | 'skipped';

/** One step of a request's plan (src/execution/): a collection of a system, or a whole system. */
export interface RequestStepTable {
  id: string;
  request_id: string;
  /** `system:collection:action`, unique within the request. */
  key: string;
  /** Order in the plan (a step added by a retry comes after the others). */
  position: number;
  /** `steward` for Steward's own data, `*` for the locate step over every linked system. */
  system: string;
  collection: string;
  action: string;
  /** JSON: keys of the steps that must be done first. */
  depends_on: string;
  status: RequestStepStatus;
  attempts: Generated<number>;
  /** JSON: what the plan asked for (change, updates, kept, note, cascades, collections). */
  plan: string;
  /** JSON: rows changed so far and batches committed, across attempts. */
  progress: string | null;
  /** JSON: counts, what was kept, the summary; sealed values for a locate step. */
  result: string | null;
  /** The last error, safe to show to operators (no connection secrets). */
  error: string | null;
  /** The task a person closes, for a manual step. */
  task_id: string | null;
  job_id: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface RequestPlanTable {
  request_id: string;
  /** Sealed JSON: the identifiers (and Steward subject) the steps search with. */
  seeds: string | null;
  /** Sealed: the verified address to answer, read before erasure removes it. */
  answer_to: string | null;
  /** JSON: the systems of the plan, with names and the recipients to tell of a change. */
  systems: string;
  /** JSON: the read-back after an erasure, per system. */
  receipt: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResultLinkTable {
  token_hash: string;
  request_id: string;
  kind: 'access' | 'portability';
  passphrase_hash: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
  /** Codes sent for this link (capped: RESULT_LINK_CODES). */
  codes_sent: Generated<number>;
  /** Wrong codes tried with it, across all its codes (capped: RESULT_LINK_GUESSES). */
  wrong_codes: Generated<number>;
  /** When it was closed before use because a cap was reached, and which. */
  closed_at: string | null;
  closed_reason: 'code_limit' | 'guess_limit' | null;
  /** A delivery (download or transmission) in progress holds the link until then. */
  delivering_until: string | null;
}

export interface LegalHoldTable {
  id: string;
  subject_id: string;
  /** JSON array of data category ids, or null for everything held about the subject. */
  categories: string | null;
  reason: string;
  reference: string | null;
  placed_by: string;
  placed_at: string;
  released_by: string | null;
  released_at: string | null;
}

export interface DrpAgentTable {
  id: string;
  /** The agent's Ed25519 verify key, base64 (32 bytes). */
  verify_key: string;
  /** Hash of the pairwise bearer token issued at set-up. */
  token_hash: string | null;
  added_by: string;
  added_at: string;
  paired_at: string | null;
  revoked_at: string | null;
}

/** A website event, already minimised (src/web/minimise.ts). */
export interface WebEventTable {
  id: Generated<number>;
  declaration_id: string;
  at: string;
  /** UTC day of `at`, for aggregates and retention. */
  day: string;
  type: string;
  purpose: string;
  category: string;
  /** `script` or `log`. */
  source: string;
  /** The site's host name. */
  site: string;
  path: string | null;
  referrer_host: string | null;
  /** Clicks: the element's tag or link host; exits: the destination host only (C11.1). */
  target: string | null;
  /** Site search: the term; hovers and clicks: the element's data label. */
  label: string | null;
  /** Scroll depth %, milliseconds (timing, time on page), HTTP status (logs). */
  value: number | null;
  visitor: string | null;
  /** The /24 or /48 network: the only trace of the IP address. */
  network: string | null;
  country: string | null;
  browser: string | null;
  os: string | null;
  /** Keyed hash of the browser's consent id, only where events may be linked to it. */
  consent_ref: string | null;
}

export interface VisitorSaltTable {
  day: string;
  salt: string;
  created_at: string;
}

export interface WebBatchTable {
  id: string;
  received_at: string;
}

export interface WebLinkTable {
  id: string;
  declaration_id: string;
  consent_ref: string;
  subject_id: string;
  purpose: string;
  linked_at: string;
  consent_event_id: string | null;
}

/** The one row naming the secret the store was created with (src/store/identity.ts). */
export interface StoreIdentityTable {
  id: number;
  /** HMAC under a key derived from the root secret; never the secret or a key. */
  secret_check: string;
  created_at: string;
}

/** A signed DRP message that took effect (src/rights/drp/replay.ts). */
export interface DrpMessageTable {
  agent_id: string;
  /** `create:<sha256>`, `agent-request:<id>`, `pair:<sha256>` or `revoke:<sha256>`. */
  key: string;
  request_id: string | null;
  /** The status answered, for an answer that opened no request (a denied sale right). */
  answer: string | null;
  received_at: string;
}

export interface ConsentChangeTable {
  seq: Generated<number>;
  /** The subject whose cookie consents changed; null when anyone's may have (erasure, merge). */
  subject_id: string | null;
  at: string;
}

/** A published version of a system's dataset (src/connectors/dataset-versions.ts). */
export interface DatasetVersionTable {
  declaration_id: string;
  system: string;
  number: number;
  /** SHA-256 of the dataset's canonical JSON. */
  content_hash: string;
  /** The YAML as published. */
  source: string;
  published_at: string;
  published_by: string;
  /** The dataset's `reviewed` block; null for a proposal, which connectors refuse. */
  reviewed_by: string | null;
  reviewed_on: string | null;
}

/** The last connection check of a system (src/connectors/systems.ts). */
export interface SystemCheckTable {
  system: string;
  checked_at: string;
  checked_by: string;
  ok: number;
  /** Server product and version, when the check passed. */
  server: string | null;
  latency_ms: number | null;
  /** What went wrong, secrets removed. */
  error: string | null;
}

export type RetentionRunStatus = 'pending' | 'running' | 'done' | 'failed';

/** One sweep of a retention rule over one system (src/retention/runs.ts). */
export interface RetentionRunTable {
  id: string;
  declaration_id: string;
  /** The declaration version whose rule the run applies, set when it starts. */
  declaration_version: number | null;
  rule_id: string;
  /** `steward` for Steward's own store, or a connected system's id. */
  system: string;
  status: RetentionRunStatus;
  /** `schedule`, `operator` (API or console) or `cli`. */
  trigger: string;
  /** Who asked: `system` for the schedule, `operator:<id>`, `api_key:<id>`, `system:cli`. */
  requested_by: string;
  /** JSON: the rule as it stood when the run started (duration, trigger, anchor, action). */
  rule: string | null;
  /** The instant the run's thresholds are computed from, fixed when it starts. */
  at: string | null;
  /** JSON: the collection the next batch reads and the key it continues after. */
  cursor: string | null;
  /** JSON: per collection, rows deleted, anonymised and held so far. */
  counts: string;
  /** JSON: rows kept by each legal hold, by hold id. */
  held: string;
  batches: Generated<number>;
  job_id: string | null;
  /** Why the run failed, safe to show (no connection secrets). */
  error: string | null;
  /** The audit ledger entry that is the run's receipt. */
  receipt_seq: number | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  updated_at: string;
}

export interface Database {
  web_events: WebEventTable;
  visitor_salts: VisitorSaltTable;
  web_batches: WebBatchTable;
  web_links: WebLinkTable;
  policy_versions: PolicyVersionTable;
  operators: OperatorTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  audit_log: AuditTable;
  audit_head: AuditHeadTable;
  jobs: JobTable;
  disclosures: DisclosureTable;
  subjects: SubjectTable;
  identifiers: IdentifierTable;
  records: RecordTable;
  lifecycle_events: LifecycleEventTable;
  notice_tasks: NoticeTaskTable;
  consent_events: ConsentEventTable;
  subscriptions: SubscriptionTable;
  suppressions: SuppressionTable;
  redemptions: RedemptionTable;
  outbox: OutboxTable;
  request_contacts: RequestContactTable;
  suppression_changes: SuppressionChangeTable;
  requests: RequestTable;
  request_events: RequestEventTable;
  verification_challenges: VerificationChallengeTable;
  request_tasks: RequestTaskTable;
  request_steps: RequestStepTable;
  request_plans: RequestPlanTable;
  result_links: ResultLinkTable;
  legal_holds: LegalHoldTable;
  drp_agents: DrpAgentTable;
  store_identity: StoreIdentityTable;
  drp_messages: DrpMessageTable;
  consent_changes: ConsentChangeTable;
  dataset_versions: DatasetVersionTable;
  system_checks: SystemCheckTable;
  retention_runs: RetentionRunTable;
}

export type Operator = Selectable<OperatorTable>;
export type NewJob = Insertable<JobTable>;
export type AuditRow = Selectable<AuditTable>;
export type DisclosureRow = Selectable<DisclosureTable>;
