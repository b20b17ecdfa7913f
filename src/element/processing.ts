/**
 * Server-side processing started from <dropoff-uploader> (its `startProcessing()` method, or `process-after` once a
 * batch is done): POST /process, then every task followed with growing waits until it succeeds or fails, each step a
 * DOM event. A chunk of the one-file bundle, loaded on first use: most pages never process.
 */
import { ApiRequestError } from '../protocol/api-error.ts';
import { ProcessingApi, type ProcessingStarted, type ProcessingTask } from '../protocol/processing-api.ts';

/** Detail of `dropoff-task`: a task's status changed (queued, running, succeeded, failed), or its progress. */
export interface TaskDetail {
  readonly task: ProcessingTask;
}

/** Detail of `dropoff-processing-error`: processing could not be started, or a task could no longer be followed. */
export interface ProcessingErrorDetail {
  readonly filename: string;
  /** The server's error code (e.g. `nothing_to_process`), or `network`. */
  readonly code: string;
  readonly message: string;
  /** The task it concerns, when it was following one. */
  readonly taskId?: string;
}

/** What the element gives this module. */
export interface ProcessingHost extends EventTarget {
  readonly endpoint: string;
  readonly token: string;
  readonly getToken: (() => string | Promise<string>) | undefined;
}

function emit(host: EventTarget, name: string, detail: unknown): void {
  host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

function failure(host: EventTarget, filename: string, error: unknown, taskId?: string): void {
  const code = error instanceof ApiRequestError ? error.code : 'error';
  emit(host, 'dropoff-processing-error', { filename, code, message: (error as Error).message, ...(taskId ? { taskId } : {}) });
}

/**
 * Starts processing `filename` for `host`: fires `dropoff-processing` with the task ids, then `dropoff-task` at each
 * change of each task until it ends. Resolves with the server's answer; rejects (after `dropoff-processing-error`)
 * when processing could not be started.
 */
export async function startProcessing(host: ProcessingHost, filename: string): Promise<ProcessingStarted> {
  const api = new ProcessingApi({ endpoint: host.endpoint, token: () => (host.getToken ? host.getToken() : host.token) });
  let started: ProcessingStarted;
  try {
    started = await api.startProcessing(filename);
  } catch (error) {
    failure(host, filename, error);
    throw error;
  }
  emit(host, 'dropoff-processing', started);
  for (const { id } of started.tasks) {
    api.follow(id, { onUpdate: (task) => emit(host, 'dropoff-task', { task }) }).catch((error: unknown) => failure(host, filename, error, id));
  }
  return started;
}
