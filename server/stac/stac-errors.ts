/**
 * The STAC API's errors, in the body shape the geoadmin STAC API answers with: `{"code": <HTTP status>,
 * "description": …}`, where `description` is a sentence, a list of sentences, or an object naming each bad field
 * with its problems (`{"number_parts": ["Ensure this value is less than or equal to 100."]}`). A few errors carry
 * one more field (the 409 of a second create names the `upload_id` in progress).
 */
import { ApiError } from '../errors.ts';

/** What `description` may hold. */
export type StacDescription = string | readonly string[] | Readonly<Record<string, unknown>>;

/** An error the STAC routes answer with. */
export class StacError extends Error {
  /**
   * @param status the HTTP status, also sent as `code`
   * @param description a sentence, sentences, or field -> problems
   * @param extra more fields of the body (e.g. `upload_id`)
   * @param headers response headers (e.g. WWW-Authenticate)
   */
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 501 | 502 | 503,
    readonly description: StacDescription,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof description === 'string' ? description : JSON.stringify(description));
    this.name = 'StacError';
  }

  /** The JSON body. */
  toJSON(): Record<string, unknown> {
    return { code: this.status, description: this.description, ...this.extra };
  }
}

/** A 400 naming one field and its problem. */
export function fieldError(field: string, problem: string): StacError {
  return new StacError(400, { [field]: [problem] });
}

/** A 404 for what the user has no such thing of (another user's things are not found either). */
export function notFound(what: string): StacError {
  return new StacError(404, `${what} not found.`);
}

/**
 * Turns any error into a StacError: the server's own ApiErrors (storage, database, rate limit) keep their status
 * and message; anything else is a 500 whose detail stays in the log.
 */
export function toStacError(error: unknown): StacError {
  if (error instanceof StacError) return error;
  if (error instanceof ApiError) {
    const headers: Record<string, string> = error.retryAfterSeconds !== undefined ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    const status = ([400, 401, 403, 404, 409, 413, 429, 500, 501, 502, 503] as const).find((s) => s === error.status) ?? 500;
    return new StacError(status, error.message, {}, headers);
  }
  return new StacError(500, 'The server failed unexpectedly.');
}
