/**
 * Validation of what was submitted, after the storage confirmed it: asynchronous (the client is not kept waiting),
 * one at a time, and restart-safe (submissions still VALIDATING are picked up again when the server starts).
 * Checks: the object is there with the size sent; its SHA-256 equals the client's when it is small enough to re-read;
 * the category's own validator, when there is one, on its first bytes.
 */
import type { UploadStore } from '../storage/upload-store.ts';
import { miniseedProblem } from './miniseed.ts';
import type { PendingValidation, SubmissionStore } from './submissions.ts';

/** A check of one category: the object's first bytes -> why it is not valid, or undefined. */
export type CategoryValidator = (head: Uint8Array) => string | undefined;

/** Options of {@link Validator}. */
export interface ValidatorOptions {
  /** Objects up to this size are read back and their SHA-256 compared. Default 64 MiB. */
  readonly maxHashBytes?: number;
  /** Validators by category. Default: `miniseed`. */
  readonly categories?: Readonly<Record<string, CategoryValidator>>;
  /** Bytes given to a category validator. Default 512. */
  readonly headBytes?: number;
}

/** Validates submissions in the background. */
export class Validator {
  private queue: Promise<void> = Promise.resolve();
  private readonly maxHashBytes: number;
  private readonly categories: Readonly<Record<string, CategoryValidator>>;
  private readonly headBytes: number;

  constructor(
    private readonly records: SubmissionStore,
    private readonly store: UploadStore,
    private readonly log: (line: string) => void,
    options: ValidatorOptions = {},
  ) {
    this.maxHashBytes = options.maxHashBytes ?? 64 * 1024 * 1024;
    this.categories = options.categories ?? { miniseed: miniseedProblem };
    this.headBytes = options.headBytes ?? 512;
  }

  /** Picks up submissions left VALIDATING by an earlier run. */
  async resumePending(): Promise<void> {
    for (const pending of await this.records.validating()) this.enqueue(pending.id);
  }

  /** Validates submission `id` after those already waiting. */
  enqueue(id: number): void {
    this.queue = this.queue.then(() => this.validate(id)).catch((error: unknown) => this.log(`validation of submission ${id} failed to run: ${String(error)}`));
  }

  /** Resolves when nothing is waiting. */
  async idle(): Promise<void> {
    let current;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  private async validate(id: number): Promise<void> {
    const submission = await this.records.byId(id);
    if (!submission || submission.status !== 'VALIDATING') return;
    const problem = await this.problem(submission);
    await this.records.settle(id, problem ? 'FAILED' : 'ACCEPTED', problem ?? null);
    this.log(`validated ${JSON.stringify(submission.key)} (${submission.id}): ${problem ? `FAILED: ${problem}` : 'ACCEPTED'}`);
  }

  private async problem(submission: PendingValidation): Promise<string | undefined> {
    const stored = await this.store.head(submission.key);
    if (!stored) return 'The object is no longer in the storage.';
    if (stored.size !== submission.size) return `The storage holds ${stored.size} bytes but ${submission.size} were sent.`;
    if (stored.size <= this.maxHashBytes && submission.sha256) {
      const sha256 = await this.store.sha256(submission.key);
      if (sha256 !== submission.sha256) return `The stored bytes have SHA-256 ${sha256}, not the ${submission.sha256} the client computed.`;
    }
    const check = this.categories[submission.category];
    if (check) {
      const problem = check(await this.store.firstBytes(submission.key, this.headBytes));
      if (problem) return `Not a valid ${submission.category} object: ${problem}.`;
    }
    return undefined;
  }
}
