/**
 * The one place where error codes become HTTP statuses. Every error body has the same shape:
 * `{ error: { code, message, details? } }`, where each detail names a field and the problem.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import type { ErrorCode, ErrorDetail } from '../errors.js';
import { AppError } from '../errors.js';

export const httpStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  policy_invalid: 422,
  undeclared_recipient: 422,
  not_declared: 422,
  child_data_refused: 422,
  consent_required: 422,
  subject_restricted: 409,
  objection_upheld: 409,
  invalid_token: 400,
  consent_missing: 403,
  untrusted_forwarding: 400,
  time_in_future: 422,
  internal: 500,
};

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: readonly ErrorDetail[];
  };
}

function zodDetails(error: ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
        : issue.message;
    return { path: path || prefix, message };
  });
}

/** Converts anything thrown into a code, a status and a body safe to show. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody; unexpected: boolean } {
  const make = (code: ErrorCode, message: string, details?: readonly ErrorDetail[]) => ({
    status: httpStatus[code],
    body: { error: { code, message, ...(details && details.length > 0 ? { details } : {}) } },
    unexpected: code === 'internal',
  });
  if (error instanceof AppError) return make(error.code, error.message, error.details);
  if (error instanceof ZodError) {
    const details = zodDetails(error, '');
    return make(
      'validation_failed',
      `Invalid input: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
      details,
    );
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const details = error.validation.map((v) => {
      const field = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      const keys = (v.params as { keys?: string[] }).keys;
      const message =
        v.keyword === 'unrecognized_keys' && keys
          ? `unknown field ${keys.join(', ')}`
          : (v.message ?? 'is invalid');
      return { path: field, message };
    });
    return make(
      'validation_failed',
      `Invalid input: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
      details,
    );
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return make('invalid_json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return make('payload_too_large', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return make('unsupported_media_type', 'Send the body as application/json.');
    default:
      break;
  }
  if (fastifyError.statusCode === 429)
    return make('rate_limited', 'Too many attempts; wait a minute and try again.');
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return {
      ...make('validation_failed', fastifyError.message ?? 'Bad request.'),
      status: fastifyError.statusCode,
    };
  }
  return make('internal', 'Something went wrong on our side; it has been logged.');
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body, unexpected } = toErrorBody(error);
  if (unexpected) request.log.error({ err: error }, 'unexpected error');
  else request.log.info({ code: body.error.code }, 'request refused');
  void reply.code(status).send(body);
}
