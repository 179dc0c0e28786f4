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
import type { z } from 'zod';
import type { CaptureInput, CapturedRecord } from '../capture/capture-record.js';
import type { recordConsentInput, recordConsents } from '../consent/record-consent.js';
import type { SubscribeResult, choiceContext, subscribeInput } from '../consent/subscriptions.js';
import type { Verdict } from '../consent/suppression.js';
import type { ErrorCode, ErrorDetail } from '../errors.js';

export type { CaptureInput, CapturedRecord, ErrorCode, ErrorDetail, SubscribeResult, Verdict };

/** Where a choice was made, kept as evidence: channel, element, notice hash, IP, user agent, GPC. */
export type ChoiceContext = z.input<typeof choiceContext>;
export type SubscribeInput = z.input<typeof subscribeInput>;
export type RecordConsentInput = z.input<typeof recordConsentInput>;
export type RecordedConsent = Awaited<ReturnType<typeof recordConsents>>;

export interface UnsubscribeInput extends ChoiceContext {
  readonly declarationId: string;
  readonly email: string;
  /** The communication to stop; leave it out to stop all marketing to this address. */
  readonly communication?: string;
}

export interface SuppressionQuery {
  readonly declarationId: string;
  readonly communication: string;
  /** For addresses Steward does not know: whose rules apply (`SE`); `default` if not given. */
  readonly jurisdiction?: string;
}

/** May this communication go to this address, and if not, why. */
export type SuppressionResult = { readonly address: string } & Verdict;

/** Up to this many addresses are checked in one JSON request; more stream as lines of text. */
export const MAX_JSON_ADDRESSES = 100_000;
const STREAM_BATCH = 10_000;

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

const json = (body: unknown) => ({ body: JSON.stringify(body), contentType: 'application/json' });

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

  /**
   * Subscribes an address to a communication (`POST /api/v1/subscriptions`). Where the
   * declaration asks for double opt-in the state is `unconfirmed` until the person follows the
   * link in the confirmation message; `blocked_by_objection` if the person objected to marketing.
   */
  async subscribe(input: SubscribeInput): Promise<SubscribeResult> {
    const { response, url } = await this.send('POST', '/api/v1/subscriptions', json(input));
    // An objection blocks the subscription: Steward answers 409 with the result, not an error.
    if (response.status === 409) {
      const result = (await response
        .clone()
        .json()
        .catch(() => undefined)) as Partial<SubscribeResult> | undefined;
      if (result?.state === 'blocked_by_objection') return result as SubscribeResult;
    }
    return this.answer<SubscribeResult>(response, url, 'POST');
  }

  /**
   * Unsubscribes an address from one communication, or from all marketing when `communication`
   * is left out (`POST /api/v1/unsubscriptions`). Harmless when repeated.
   */
  async unsubscribe(input: UnsubscribeInput): Promise<void> {
    await this.request<{ ok: true }>('POST', '/api/v1/unsubscriptions', input);
  }

  /** Records consent given, withdrawn or renewed for purposes or cookie categories (`POST /api/v1/consents`). */
  recordConsent(input: RecordConsentInput): Promise<RecordedConsent> {
    return this.request<RecordedConsent>('POST', '/api/v1/consents', input);
  }

  /**
   * Records the person's objection to direct marketing: every address, every marketing
   * communication, no reasons needed (`POST /api/v1/subjects/:id/marketing-objection`).
   */
  async objectToMarketing(subjectId: string, context: ChoiceContext = {}): Promise<void> {
    await this.request<undefined>(
      'POST',
      `/api/v1/subjects/${encodeURIComponent(subjectId)}/marketing-objection`,
      context,
    );
  }

  /**
   * May `query.communication` go to each of `addresses`? One answer per address, in order
   * (`POST /api/v1/suppression/check`). Up to 100,000 addresses go as one JSON request; more
   * stream to Steward as lines of text and the answers stream back as JSON lines.
   */
  async checkSuppression(
    query: SuppressionQuery,
    addresses: readonly string[],
  ): Promise<SuppressionResult[]> {
    const params = new URLSearchParams({
      declarationId: query.declarationId,
      communication: query.communication,
    });
    if (query.jurisdiction !== undefined) params.set('jurisdiction', query.jurisdiction);
    const path = `/api/v1/suppression/check?${params.toString()}`;
    if (addresses.length <= MAX_JSON_ADDRESSES) {
      const answer = await this.request<{ results: SuppressionResult[] }>('POST', path, {
        addresses,
      });
      return answer.results;
    }
    return this.checkSuppressionStream(path, addresses);
  }

  private async checkSuppressionStream(
    path: string,
    addresses: readonly string[],
  ): Promise<SuppressionResult[]> {
    // One address a line: Steward trims each line and passes over blank ones, so an address that
    // is blank or holds a line break cannot be sent this way. No such text is an email address:
    // it is answered here as Steward would answer it in JSON.
    const sent: number[] = [];
    const results = new Array<SuppressionResult>(addresses.length);
    addresses.forEach((address, i) => {
      const line = address.trim();
      if (line === '' || /[\r\n]/.test(line))
        results[i] = { address, allowed: false, reason: 'invalid_address' };
      else sent.push(i);
    });
    const encoder = new TextEncoder();
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next >= sent.length) {
          controller.close();
          return;
        }
        const batch = sent.slice(next, next + STREAM_BATCH);
        next += batch.length;
        controller.enqueue(
          encoder.encode(`${batch.map((i) => (addresses[i] as string).trim()).join('\n')}\n`),
        );
      },
    });
    const { response, url } = await this.send('POST', path, {
      body,
      contentType: 'text/plain',
      accept: 'application/x-ndjson',
    });
    if (!response.ok) return this.answer<never>(response, url, 'POST');
    if (response.body === null)
      throw new StewardError(response.status, 'unexpected_response', `POST ${url} answered nothing.`);
    let received = 0;
    const take = (line: string) => {
      if (line.trim() === '') return;
      let verdict: Verdict;
      try {
        verdict = JSON.parse(line) as Verdict;
      } catch {
        throw new StewardError(
          response.status,
          'unexpected_response',
          `POST ${url} did not answer JSON lines.`,
        );
      }
      const i = sent[received];
      received += 1;
      if (i === undefined)
        throw new StewardError(
          response.status,
          'unexpected_response',
          `POST ${url} answered more lines than it was sent.`,
        );
      results[i] = {
        address: addresses[i] as string,
        allowed: verdict.allowed,
        reason: verdict.reason,
      } as SuppressionResult;
    };
    const decoder = new TextDecoder();
    let rest = '';
    try {
      for await (const chunk of response.body) {
        const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(take);
      }
      take(rest + decoder.decode());
    } catch (error) {
      if (error instanceof StewardError) throw error;
      throw new StewardError(
        0,
        'network_error',
        `POST ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
        [],
        { cause: error },
      );
    }
    if (received !== sent.length)
      throw new StewardError(
        response.status,
        'unexpected_response',
        `POST ${url} answered ${received} of ${sent.length} addresses.`,
      );
    return results;
  }

  /** Any API call: `path` is relative to the base URL, `body` is sent as JSON. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { response, url } = await this.send(method, path, body !== undefined ? json(body) : {});
    return this.answer<T>(response, url, method);
  }

  private async send(
    method: string,
    path: string,
    options: { body?: string | ReadableStream<Uint8Array>; contentType?: string; accept?: string },
  ): Promise<{ response: Response; url: string }> {
    const url = `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: options.accept ?? 'application/json',
    };
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    try {
      const response = await this.fetch(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: options.body } : {}),
        // A stream is sent as it is read; fetch needs to be told (`duplex: 'half'`).
        ...(typeof options.body === 'object' ? { duplex: 'half' as const } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { response, url };
    } catch (error) {
      throw new StewardError(
        0,
        'network_error',
        `${method} ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
        [],
        { cause: error },
      );
    }
  }

  /** The JSON of a successful answer, or the StewardError of a refusal. */
  private async answer<T>(response: Response, url: string, method: string): Promise<T> {
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
