/**
 * A small typed client for Steward's API, for Node 20 or later (it uses the global `fetch`).
 * Its types come from the server's modules as type-only imports, so using the client loads
 * nothing of the server at run time.
 *
 *   const steward = new StewardClient({ baseUrl: 'https://privacy.example.com', apiKey });
 *   const record = await steward.capture({ declarationId: 'sncn-general', ... });
 *
 * Every refusal becomes a `StewardError` with the HTTP status, the stable error code, the
 * message and the details (`{ path, message }` per problem) the API answered.
 */
import type { CaptureInput, CapturedRecord } from '../capture/capture-record.js';
import type { ErrorCode, ErrorDetail } from '../errors.js';

export type { CaptureInput, CapturedRecord, ErrorCode, ErrorDetail };

export interface StewardClientOptions {
  /** Where Steward answers, such as `https://privacy.example.com` (a path prefix is kept). */
  readonly baseUrl: string;
  /** An API key (`stw_...`) holding the permissions the calls need. */
  readonly apiKey: string;
  /** Replaces the global `fetch` (tests, proxies, instrumentation). */
  readonly fetch?: typeof fetch;
  /** Gives up on a request after this many milliseconds; 30 seconds unless set. */
  readonly timeoutMs?: number;
}

/** Codes of failures that never reached the API or got no answer it wrote. */
export type ClientErrorCode = 'network_error' | 'unexpected_response';

export class StewardError extends Error {
  override readonly name = 'StewardError';
  constructor(
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

export class StewardClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: StewardClientOptions) {
    if (options.apiKey.trim() === '') throw new TypeError('StewardClient needs an API key.');
    this.baseUrl = new URL(options.baseUrl).toString().replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Records personal data as it enters, for declared purposes only (`POST /api/v1/records`). */
  capture(input: CaptureInput): Promise<CapturedRecord> {
    return this.request<CapturedRecord>('POST', '/api/v1/records', input);
  }

  /** Any API call: `path` is relative to the base URL, `body` is sent as JSON. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new StewardError(
        0,
        'network_error',
        `${method} ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
        [],
        { cause: error },
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok) {
      if (json === undefined && text !== '')
        throw new StewardError(
          response.status,
          'unexpected_response',
          `${method} ${url} did not answer JSON.`,
        );
      return json as T;
    }
    const error = (json as ErrorBody | undefined)?.error;
    if (typeof error?.code === 'string' && typeof error.message === 'string') {
      const details = Array.isArray(error.details) ? (error.details as ErrorDetail[]) : [];
      throw new StewardError(response.status, error.code as ErrorCode, error.message, details);
    }
    throw new StewardError(
      response.status,
      'unexpected_response',
      `${method} ${url} answered ${response.status} ${response.statusText}`.trim(),
    );
  }
}
