/**
 * Errors with stable codes. Domain code throws `AppError` with a code; the HTTP layer maps each
 * code to a status in exactly one place (`src/server/errors.ts`), and the compiler flags a code
 * without a mapping.
 */
export const errorCodes = [
  'validation_failed',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'policy_invalid',
  'undeclared_recipient',
  'not_declared',
  'child_data_refused',
  'consent_required',
  'subject_restricted',
  'objection_upheld',
  'invalid_token',
  'consent_missing',
  'untrusted_forwarding',
  'time_in_future',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorDetail {
  /** Where the problem is, e.g. `body.email` or `purposes[2].legalBasis`. */
  readonly path: string;
  readonly message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} was not found.`);
export const forbidden = (message = 'Your role does not allow this.'): AppError =>
  new AppError('forbidden', message);

/** A declaration id that no published version answers to. */
export const notInForce = (declarationId: string): AppError =>
  new AppError(
    'not_found',
    `Declaration "${declarationId}" is not in force: publish it (steward policy publish FILE), or start Steward with its file in STEWARD_DECLARATIONS.`,
    [{ path: 'declarationId', message: 'unknown declaration' }],
  );
