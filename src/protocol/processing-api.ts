/**
 * The processing side of the server protocol (docs/protocol.md, "Processing"): start server-side processing of what
 * was staged under a prefix (`POST /process` with `{"filename": …}`, as the seed's `upload_plots` call does), then
 * follow each task it started (`GET /tasks/{id}`) until it succeeds or fails; `GET /tasks` lists the user's tasks.
 */
import { ApiRequestError } from './api-error.ts';
import { sendJson } from './send-json.ts';
import type { TokenSource } from './dropoff-api.ts';

/** Where a task stands. `succeeded` and `failed` are final. */
export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One processing task, as GET /tasks/{id} answers (GET /tasks leaves out `result`). */
export interface ProcessingTask {
  /** The task id (a UUID). */
  readonly id: string;
  /** The processor it runs, e.g. `miniseed`. */
  readonly processor: string;
  /** What POST /process was given. */
  readonly filename: string;
  /** The prefix of the objects it processes. */
  readonly prefix: string;
  readonly status: TaskStatus;
  /** When it was asked for (ISO 8601). */
  readonly createdAt: string;
  /** When its latest attempt started; null while it never ran. */
  readonly startedAt: string | null;
  /** When it succeeded or failed; null before. */
  readonly finishedAt: string | null;
  /** Attempts so far (a stopped server or an unreachable storage costs one; the task is retried). */
  readonly attempts: number;
  /** Objects done out of the objects it takes, in its latest attempt. */
  readonly progress: { readonly objectsDone: number; readonly objectsTotal: number };
  /** One line about the result, once it succeeded. */
  readonly summary: string | null;
  /** Why it failed (or, while queued again, why its latest attempt did). */
  readonly error: string | null;
  /** The processor's result, once it succeeded (GET /tasks/{id} only). */
  readonly result?: unknown;
}

/** A task started by POST /process. */
export interface StartedTask {
  readonly id: string;
  readonly processor: string;
  readonly status: TaskStatus;
  /** How many staged objects it takes. */
  readonly objects: number;
}

/** The answer to POST /process (202): one task per processor that applies, also as `<processor>_task_id` keys. */
export interface ProcessingStarted {
  readonly filename: string;
  readonly prefix: string;
  readonly tasks: readonly StartedTask[];
  /** `<processor>_task_id` for each task, as the seed's API names them (e.g. `miniseed_task_id`). */
  readonly [taskIdKey: `${string}_task_id`]: string;
}

/** Whether a task has ended. */
export function isFinal(status: TaskStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/** Options of {@link ProcessingApi}. */
export interface ProcessingApiOptions {
  /** Base URL of the server. Required. */
  readonly endpoint: string;
  /** Bearer token, or a function returning one. */
  readonly token?: TokenSource;
  /** The fetch implementation. Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** How {@link ProcessingApi.follow} polls. */
export interface FollowOptions {
  /** First wait between polls, ms. Default 500. */
  readonly minDelayMs?: number;
  /** Longest wait between polls, ms (the wait grows by half each poll up to this). Default 10,000. */
  readonly maxDelayMs?: number;
  /** Called with the task after every poll whose answer changed (status, attempts or progress). */
  readonly onUpdate?: (task: ProcessingTask) => void;
  /** Stops following (the promise rejects with an `aborted` ApiRequestError). */
  readonly signal?: AbortSignal;
}

/** The processing calls of a dropoff server. */
export class ProcessingApi {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  /** @param options see {@link ProcessingApiOptions} */
  constructor(private readonly options: ProcessingApiOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Starts processing what is staged under `filename` (a prefix in the user's space, or a folder name in it). */
  startProcessing(filename: string, signal?: AbortSignal): Promise<ProcessingStarted> {
    return this.call('POST', '/process', { filename }, signal);
  }

  /** One task, with its result once it succeeded. */
  getTask(id: string, signal?: AbortSignal): Promise<ProcessingTask> {
    return this.call('GET', `/tasks/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** The user's latest tasks, newest first (without results); with `prefix`, only those of that prefix and below. */
  async listTasks(limit = 50, prefix?: string, signal?: AbortSignal): Promise<ProcessingTask[]> {
    const query = `limit=${limit}${prefix ? `&prefix=${encodeURIComponent(prefix)}` : ''}`;
    return (await this.call<{ tasks: ProcessingTask[] }>('GET', `/tasks?${query}`, undefined, signal)).tasks;
  }

  /**
   * Polls task `id` with a growing wait until it succeeds or fails; resolves with the final task. A poll that fails
   * with a retryable error (network, 503) is tried again after the wait; any other error rejects.
   */
  async follow(id: string, options: FollowOptions = {}): Promise<ProcessingTask> {
    const minDelay = options.minDelayMs ?? 500;
    const maxDelay = options.maxDelayMs ?? 10_000;
    let delay = minDelay;
    let last = '';
    for (;;) {
      let task: ProcessingTask | undefined;
      try {
        task = await this.getTask(id, options.signal);
      } catch (error) {
        if (!(error instanceof ApiRequestError) || !error.retryable) throw error;
      }
      if (task) {
        const seen = `${task.status}/${task.attempts}/${task.progress.objectsDone}/${task.error ?? ''}`;
        if (seen !== last) options.onUpdate?.(task);
        last = seen;
        if (isFinal(task.status)) return task;
      }
      await wait(delay, options.signal);
      delay = Math.min(maxDelay, Math.round(delay * 1.5));
    }
  }

  private async call<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const headers: Record<string, string> = {};
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const { response, text, request } = await sendJson(this.fetchImpl, method, `${this.base}${path}`, headers, body, signal, `the server at ${this.base}`);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok && parsed !== undefined) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string; retryable?: boolean } } | undefined)?.error;
    if (response.ok) throw new ApiRequestError('bad_response', `The server answered ${method} ${path} with something that is not JSON.`, response.status, false, request, text);
    throw new ApiRequestError(error?.code ?? `http_${response.status}`, error?.message ?? `The server answered ${response.status} to ${method} ${path.split('?')[0]}.`,
      response.status, error?.retryable ?? [408, 429, 502, 503, 504].includes(response.status), request, text, undefined, response.headers.get('Retry-After') ?? undefined);
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(new ApiRequestError('aborted', 'Following the task was stopped.', 0, false, { method: 'GET', url: '' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted, { once: true });
  });
}
