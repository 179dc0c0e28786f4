// Typed client for the Steward HTTP API (/api/v1). JSON in, JSON out, cookie session.

export const API_BASE = '/api/v1';

export type Role = 'administrator' | 'privacy_officer' | 'support_agent' | 'marketing_operator' | 'auditor';

export interface Operator {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** What this operator may do: the role's permissions and any personal grant. */
  permissions: string[];
}

export interface SessionResponse {
  operator: Operator;
}

export interface LintIssue {
  code: string;
  severity: 'error' | 'warning';
  path: string;
  line?: number;
  message: string;
  hint: string;
}

export interface DeclarationVersion {
  number: number;
  version: string;
  effectiveDate: string;
  contentHash: string;
  publishedAt: string;
  url: string;
}

export interface DeclarationSummary {
  id: string;
  title: string;
  version: string;
  effectiveDate: string;
  contentHash: string;
  publishedAt: string;
  noticeUrl: string;
  lint: { errors: number; warnings: number; issues: LintIssue[] };
  versions: DeclarationVersion[];
}

export interface DeclarationsResponse {
  declarations: DeclarationSummary[];
}

export interface AuditVerifyResponse {
  ok: boolean;
  entries: number;
  firstBad?: { seq: number; reason: string };
}

export const identifierKinds = ['email', 'phone', 'account', 'customer', 'cookie', 'device'] as const;
export type IdentifierKind = (typeof identifierKinds)[number];

/** Identifier kinds Steward keeps only as a keyed hash: their value is never shown. */
export const hashedOnlyKinds: ReadonlySet<string> = new Set<IdentifierKind>(['cookie', 'device']);

export interface FindSubjectResponse {
  subject: { id: string };
}

export interface SubjectIdentifier {
  id: string;
  kind: string;
  /** Null for kinds kept only as a keyed hash. */
  value: string | null;
  createdAt: string;
  /** Where it came from: `capture:<source>`, `subscription:<list>`, `import`, `operator`, ... */
  source: string | null;
  /** `founding`: it created the subject; `claimed`: it arrived beside an identifier of this person. */
  origin: 'founding' | 'claimed';
  verifiedAt: string | null;
  verifiedBy: string | null;
  /** Whether codes and results may go to it. */
  channel: boolean;
}

export interface SubjectRecord {
  id: string;
  kind: string;
  declarationId: string;
  declarationVersion: number;
  purposes: { id: string; basis: string | null }[];
  categories: string[];
  source: { id: string; type: string };
  collectionPoint: string | null;
  data: unknown;
  collectedAt: string;
  expiresAt: string | null;
}

export type ConsentTargetKind = 'purpose' | 'communication' | 'cookie_category';
export type ConsentEventKind = 'given' | 'withdrawn' | 'expired' | 'renewed';

export interface ConsentEvent {
  id: string;
  declarationId: string;
  declarationVersion: number;
  noticeHash: string;
  target: { kind: ConsentTargetKind; id: string };
  identifierId: string | null;
  event: ConsentEventKind;
  channel: string;
  element: string | null;
  at: string;
  ip: string | null;
  userAgent: string | null;
  gpc: boolean;
  jurisdiction: string | null;
}

export interface ConsentStateEntry {
  declarationId: string;
  target: { kind: ConsentTargetKind; id: string };
  identifierId: string | null;
  given: boolean;
  since: string;
}

export interface Subscription {
  id: string;
  identifierId: string;
  declarationId: string;
  communicationId: string;
  state: string;
  sender: string;
  updatedAt: string;
}

export type NoticeTaskStatus = 'open' | 'sent' | 'exempt';

export interface SubjectNoticeTask {
  id: string;
  recordId: string;
  sourceId: string;
  dueAt: string;
  status: NoticeTaskStatus;
}

export interface SubjectFile {
  id: string;
  tenant: string;
  jurisdiction: string | null;
  child: boolean;
  restricted: boolean;
  objectedAt: string | null;
  createdAt: string;
  identifiers: SubjectIdentifier[];
  records: SubjectRecord[];
  consentEvents: ConsentEvent[];
  consentState: ConsentStateEntry[];
  subscriptions: Subscription[];
  noticeTasks: SubjectNoticeTask[];
}

export interface SubjectFileResponse {
  subject: SubjectFile;
}

export interface NoticeTask {
  id: string;
  subjectId: string;
  recordId: string;
  declarationId: string;
  sourceId: string;
  dueAt: string;
  overdue: boolean;
  status: NoticeTaskStatus;
  closedAt?: string | null;
  note?: string | null;
}

export interface NoticeTasksResponse {
  tasks: NoticeTask[];
}

export interface OutboxMessage {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  kind: string;
  communication: string | null;
  createdAt: string;
  sentAt: string | null;
  transport: 'outbox' | 'smtp';
  error: string | null;
  /** SHA-256 of what was sent. */
  digest: string | null;
  /** The whole message is kept sealed (development outbox) for someone with outbox:reveal. */
  revealable: boolean;
}

/** A whole message of the development outbox, codes and links included. */
export interface RevealedMessage {
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

export interface OutboxResponse {
  transport: 'outbox' | 'smtp';
  messages: OutboxMessage[];
}

/** An error reported by the server (`{ error: { code, message, details? } }`) or by the network. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorFromBody(status: number, statusText: string, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error)) {
    const code = typeof error.code === 'string' ? error.code : `http_${status}`;
    const message =
      typeof error.message === 'string' && error.message !== ''
        ? error.message
        : `The server refused the request (${code}).`;
    return new ApiError(status, code, message, error.details);
  }
  return new ApiError(
    status,
    `http_${status}`,
    `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`,
  );
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (response.ok)
      throw new ApiError(response.status, 'invalid_response', 'The server sent a malformed response.');
    return undefined;
  }
}

async function send(method: Method, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: string | undefined;
  if (method !== 'GET') {
    // The server requires this header on every state-changing request (CSRF defence), even without a body.
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(
      0,
      'network_error',
      'Could not reach the Steward server. Check your connection and try again.',
    );
  }

  const data = await readBody(response);
  if (!response.ok) throw errorFromBody(response.status, response.statusText, data);
  return data;
}

// The response types follow the server's published contract; they are not validated at run time.
export const api = {
  get: async <T>(path: string, signal?: AbortSignal): Promise<T> =>
    (await send('GET', path, undefined, signal)) as T,
  post: async <T>(path: string, body: unknown): Promise<T> => (await send('POST', path, body)) as T,
  delete: async (path: string): Promise<void> => {
    await send('DELETE', path, {});
  },
};

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

// ---- Rights requests (src/rights/model.ts, src/rights/workflow.ts) ----

export const requestTypes = [
  'access',
  'portability',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'withdrawal',
] as const;
export type RequestType = (typeof requestTypes)[number];

export type RequestStatus =
  | 'received'
  | 'verifying'
  | 'awaiting_review'
  | 'in_progress'
  | 'routed'
  | 'completed'
  | 'refused'
  | 'withdrawn'
  | 'expired';

/** Statuses after which nothing more happens to a request. */
export const closedRequestStatuses: ReadonlySet<RequestStatus> = new Set<RequestStatus>([
  'completed',
  'refused',
  'withdrawn',
  'expired',
  'routed',
]);

/** The channels an operator enters on someone's behalf. */
export const operatorChannels = ['email', 'post', 'phone'] as const;
export type OperatorChannel = (typeof operatorChannels)[number];

export const refusalGrounds = [
  'identity_not_verified',
  'manifestly_unfounded',
  'excessive',
  'exemption',
  'not_covered',
  'other',
] as const;
export type RefusalGround = (typeof refusalGrounds)[number];

export interface RequestSummary {
  id: string;
  reference: string;
  declarationId: string;
  serviceId: string | null;
  type: string;
  status: RequestStatus;
  channel: string;
  subjectId: string | null;
  receivedAt: string;
  dueAt: string;
  extendedTo: string | null;
  /** The deadline in force: `extendedTo` when extended, otherwise `dueAt`. */
  deadline: string;
  overdue: boolean;
  secondStep: string;
  verifiedAt: string | null;
  closedAt: string | null;
  outcome: unknown;
  fee: unknown;
}

export interface RequestsResponse {
  requests: RequestSummary[];
}

export interface RequestClaims {
  name?: string;
  identifiers: { kind: string; value: string }[];
  details?: string;
  rectification?: { field: string; value: string }[];
  objection?: { scope: string; purposeId?: string; grounds?: string };
  language?: string;
}

export interface RequestEvent {
  at: string;
  actor: string;
  kind: string;
  details: unknown;
  visibleToRequester: boolean;
}

export interface RequestTask {
  id: string;
  kind: 'system' | 'recipient_notice' | 'provider_route' | 'manual';
  target: string;
  action: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  note: string | null;
  result: unknown;
  doneAt: string | null;
  doneBy: string | null;
}

export interface VerificationChallenge {
  step: number;
  attempts: number;
  maxAttempts: number;
  expiresAt: string;
  passedAt: string | null;
  sentTo: string;
  createdAt: string;
}

/** One step of a request's plan (src/execution/view.ts). */
export interface RequestStep {
  id: string;
  key: string;
  system: string;
  collection: string;
  action: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'manual' | 'skipped';
  attempts: number;
  dependsOn: string[];
  plan: {
    note?: string;
    cascades?: string[];
    kept?: {
      purposeName: string;
      obligation?: string;
      retention: string;
      keptFields: { field: string; category?: string }[];
      maskedFields: string[];
    };
  };
  progress: { changed: number; batches: number } | null;
  result: {
    matched?: number;
    changed?: number;
    counts?: Record<string, number>;
    found?: Record<string, number>;
    summary?: string[];
    systemKept?: { collection: string; count: number; explanation: string }[];
  } | null;
  error: string | null;
  taskId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RequestPlan {
  systems: { id: string; name: string; owner?: string; recipients: string[] }[];
  steps: RequestStep[];
}

/** After an erasure: what each system still holds of the person, and why (src/execution/receipt.ts). */
export interface ErasureReceipt {
  at: string;
  systems: {
    system: string;
    name: string;
    checkedAt: string;
    identifyingValues: number;
    remaining: { collection: string; rows: number; why: string; expected: boolean }[];
    statement: string;
    error?: string;
  }[];
}

export interface RequestFileResponse {
  request: RequestSummary;
  claims: RequestClaims;
  /** False when the claims are masked (no reason stated, or no requests:claims). */
  claimsShown: boolean;
  timeline: RequestEvent[];
  tasks: RequestTask[];
  /** Null until fulfilment has been planned (and for requests fulfilled before plans). */
  plan: RequestPlan | null;
  receipt: ErasureReceipt | null;
  verification: VerificationChallenge[];
}

/** The answer to an operator action on a request (approve, refuse, extend, fee, withdraw). */
export interface RequestActionResponse {
  request: RequestSummary;
}

export interface RequestReceipt {
  id: string;
  reference: string;
  status: string;
  receivedAt: string;
  dueAt: string;
}

// ---- Website traffic (src/web/traffic.ts) ----

/** `GET /web/traffic?declarationId=…&days=N`: aggregates only; no row names a visitor. */
export interface Traffic {
  /** First and last day counted (YYYY-MM-DD, UTC). */
  from: string;
  to: string;
  /** Pages seen by fewer visitors than this are left out of `topPages`. */
  minimumGroupSize: number;
  /** Days with page views: `visits` counts distinct cookieless visitor ids that day. */
  days: { day: string; visits: number; pageViews: number }[];
  topPages: { path: string; pageViews: number; visitors: number }[];
  responseTimes: { day: string; samples: number; medianMs: number; p75Ms: number }[];
  /** Banner choices per non-required cookie category. */
  consent: { category: string; given: number; refused: number }[];
}

/** The last connection check of a connected system. */
export interface SystemCheck {
  system: string;
  checkedAt: string;
  checkedBy: string;
  ok: boolean;
  server?: string;
  latencyMs?: number;
  error?: string;
}

/** A connected system, as `GET /systems` lists it: never its connection settings. */
export interface ConnectedSystem {
  id: string;
  kind: string;
  declarationId: string;
  name: string;
  configured: boolean;
  datasetVersion?: number;
  reviewed?: { by: string; on: string };
  datasetProposal?: number;
  lastCheck: SystemCheck | null;
}

export interface SystemsResponse {
  systems: ConnectedSystem[];
}

export interface SystemCheckResponse {
  check: SystemCheck;
}

export type MaskStrategy = 'null' | 'fixed' | 'random' | 'hash' | 'format' | 'keep';

export interface DatasetField {
  name: string;
  type?: string;
  nullable?: boolean;
  category?: string;
  identity?: 'email' | 'phone' | 'account' | 'customer';
  normalised?: boolean;
  mask?: MaskStrategy | { strategy: 'fixed'; value: string };
  references?: { collection: string; field: string; onDelete: string };
  sameAs?: { system: string; collection: string; field: string };
}

export interface DatasetCollection {
  name: string;
  schema?: string;
  description?: string;
  primaryKey: string[];
  fields: DatasetField[];
  reference?: boolean;
  purposes?: string[];
  erasure?: { action: 'delete' } | { action: 'mask' } | { action: 'keep'; purpose: string };
  restriction?: { field: string; value: boolean | string | number };
}

export interface DatasetResponse {
  system: string;
  version: {
    declarationId: string;
    number: number;
    contentHash: string;
    publishedAt: string;
    reviewed?: { by: string; on: string };
  };
  dataset: { system: string; collections: DatasetCollection[] };
}

// ---- Retention (src/retention/) ----

export interface RetentionCounts {
  deleted: number;
  anonymised: number;
  held: number;
}

export interface RetentionRun {
  id: string;
  declarationId: string;
  ruleId: string;
  system: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  trigger: string;
  requestedBy: string;
  at: string | null;
  collections: Record<string, RetentionCounts>;
  holds: Record<string, number>;
  deleted: number;
  anonymised: number;
  held: number;
  batches: number;
  error: string | null;
  receiptSeq: number | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface RetentionRule {
  id: string;
  duration: string;
  trigger: string;
  event?: string;
  anchor?: string;
  action: 'delete' | 'anonymise';
  statutory?: string;
  rationale: string | Record<string, string>;
}

/** The oldest row a sweep would remove: when its clock started and when it expired. */
export interface OldestRow {
  clock: string;
  deadline: string;
}

export interface RetentionSweep {
  declarationId: string;
  rule: RetentionRule;
  system: string;
  collections: string[];
  oldest: OldestRow | null;
  overdueSeconds: number;
  alert: boolean;
  lastRun: RetentionRun | null;
  activeRun: RetentionRun | null;
  nextRunAt: string;
  /** A connected system that could not be asked (unreachable, refused): its oldest row is unknown. */
  problem?: string;
}

export interface RetentionResponse {
  sweeps: RetentionSweep[];
}

export interface RetentionPlanResponse {
  at: string;
  sweeps: {
    declarationId: string;
    ruleId: string;
    system: string;
    rows: number;
    held: number;
    oldest: OldestRow | null;
    /** Why a connected system could not be asked; its counts are missing. */
    problem?: string;
    collections: {
      collection: string;
      action: 'delete' | 'anonymise';
      delete: number;
      anonymise: number;
      held: number;
      holds: Record<string, number>;
      oldest: OldestRow | null;
      /** Expired rows that stay while rows still there refer to them (a run removes those first). */
      blocked?: number;
    }[];
  }[];
}

export interface RetentionRunResponse {
  runs: RetentionRun[];
  joined: number;
}

export interface RetentionReceipt {
  seq: number;
  at: string;
  hash: string;
  run: string;
  details: {
    rule?: string;
    system?: string;
    status?: string;
    deleted?: number;
    anonymised?: number;
    held?: number;
    holds?: { hold: string; rows: number }[];
  };
}

export interface RetentionReceiptsResponse {
  receipts: RetentionReceipt[];
}
