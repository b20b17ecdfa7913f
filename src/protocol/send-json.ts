/**
 * One HTTP call with a JSON body, as every API client here makes it (the dropoff API, processing, STAC): the request
 * sent with `fetch`, the answer's text read, and the two failures that have no answer mapped alike. What an answer
 * means (success, an error body) is each protocol's own business.
 */
import { ApiRequestError } from './api-error.ts';

/** A sent call: the answer, its text, and the request as errors name it. */
export interface SentCall {
  /** The answer. */
  readonly response: Response;
  /** Its body as text (JSON when the server kept to its protocol). */
  readonly text: string;
  /** Method and URL, for the errors the caller raises. */
  readonly request: { readonly method: string; readonly url: string };
}

/**
 * Sends `method url` with `headers` and, when `body` is given, `body` as JSON; reads the answer's text. Rejects with
 * {@link ApiRequestError} `aborted` when `signal` aborted it, else `network` (retryable) when there was no answer,
 * naming `server` ("the upload server at https://…") in the message.
 */
export async function sendJson(
  fetchImpl: typeof fetch, method: string, url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal | undefined, server: string,
): Promise<SentCall> {
  const request = { method, url };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetchImpl(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (signal?.aborted) throw new ApiRequestError('aborted', 'The request was aborted.', 0, false, request, undefined, { cause: error });
    throw new ApiRequestError('network', `Could not reach ${server} (${(error as Error).message}).`, 0, true, request, undefined, { cause: error });
  }
  return { response, text: await response.text(), request };
}
