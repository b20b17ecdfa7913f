/**
 * What a processor is: a named step that runs after staging on the objects of one category under a prefix, as a
 * durable task, and stores a JSON result. Each processor is one module listed in ./registry.ts.
 */
import type { UploadStore } from '../storage/upload-store.ts';

/** One staged object a processor works on (the latest ACCEPTED submission of its key). */
export interface StagedObject {
  readonly key: string;
  /** Bytes stored. */
  readonly size: number;
}

/** What a processor is given for one task. */
export interface ProcessorContext {
  /** The objects to process, in key order. */
  readonly objects: readonly StagedObject[];
  /** The storage, to read them (stream them: objects may be many GB). */
  readonly store: UploadStore;
  /** Aborts when the process stops (the task is handed back and run again later). */
  readonly signal: AbortSignal;
  /** Reports how many objects are done, for the task's progress. */
  readonly progress: (objectsDone: number) => Promise<void>;
}

/** A JSON value, as a task's result is stored. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** A processing step for the objects of one category. */
export interface Processor {
  /** Its name, as task ids are keyed in POST /process's answer (`<name>_task_id`); letters, digits, `-`. */
  readonly name: string;
  /** The category of objects it takes (as uploads are tagged). */
  readonly category: string;
  /** One sentence for docs and listings. */
  readonly description: string;
  /** Runs the step; resolves with the result to store. Throws {@link ProcessingFailure} when the data is at fault. */
  run(context: ProcessorContext): Promise<Json>;
  /** One line about a result, for task lists and the command line. */
  summarize(result: Json): string;
}

/**
 * A failure of the data, not of the system (a corrupt object, say): the task fails at once with this message,
 * because running it again would fail the same way. Any other error is retried with backoff.
 */
export class ProcessingFailure extends Error {
  override readonly name = 'ProcessingFailure';
}
