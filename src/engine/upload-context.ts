/**
 * What the per-object upload steps need from the engine: its ports, its shared queue and batchers, its settings,
 * and its callbacks.
 */
import type { TaskQueue } from './task-queue.ts';
import type { CompletedUpload, ConfirmObjectRequest, SignObjectRequest, SignedObjectUrl, UploadApi } from '../protocol/upload-api.ts';
import type { ResumeStore } from '../store/resume-record.ts';
import type { PartHasher } from '../worker/hash-pool.ts';
import type { Batcher } from './batcher.ts';
import type { PartTransport } from './part-transport.ts';
import type { UploadTask } from './upload-task.ts';

/** Shared by every object upload of one engine. */
export interface UploadContext {
  readonly api: UploadApi;
  readonly hasher: PartHasher;
  readonly transport: PartTransport;
  readonly store: ResumeStore | undefined;
  /** The queue every PUT of every object goes through (part concurrency). */
  readonly partQueue: TaskQueue;
  /** Signs single PUTs of small objects, in batches. */
  readonly objectSigner: Batcher<SignObjectRequest, SignedObjectUrl>;
  /** Confirms small objects, in batches. */
  readonly objectConfirmer: Batcher<ConfirmObjectRequest, CompletedUpload>;
  /** Largest object sent by a form POST (no preflight) rather than a PUT (upload progress). */
  readonly formMaxBytes: number;
  /** Parts of one large object hashed ahead of those sent (Blob slices: they cost no memory until read). */
  readonly hashAhead: number;
  /** The server's endpoint, kept in resume records. */
  readonly endpoint: string;
  /** Retries per step. */
  readonly maxRetries: number;
  /** Take over a key whose earlier upload is still in progress elsewhere (aborting that one). */
  readonly takeOver: boolean;
  /** Most parts of one object read, hashed or sent at once: part concurrency + hash pipeline depth. */
  readonly partWindow: number;
  /** Called whenever the task's bytes moved. */
  readonly onProgress: (task: UploadTask) => void;
  /** Called when the task's state changes. */
  readonly onState: (task: UploadTask) => void;
  /** Called when a step of the task will be tried again in `delayMs`. */
  readonly onRetrying: (task: UploadTask, delayMs: number) => void;
  /** Diagnostics. */
  readonly log: (message: string) => void;
}

/** Drops the task's resume record, if it has one (a failure to is harmless: the record expires). */
export async function dropRecord(task: UploadTask, ctx: UploadContext): Promise<void> {
  if (task.fingerprint) await ctx.store?.remove(task.fingerprint).catch(() => undefined);
}

/** Sets the task's state and tells the engine. */
export function setState(task: UploadTask, ctx: UploadContext, state: UploadTask['state']): void {
  if (task.moveTo(state)) ctx.onState(task);
}
