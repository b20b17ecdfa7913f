/**
 * Validation of what was submitted, after the storage confirmed it: the object is there with the size sent; its
 * SHA-256 equals the client's when it is small enough to re-read; the category's own validator, when there is one,
 * on its first bytes. It runs as a durable job (server/jobs/), never while the client waits.
 */
import type { UploadStore } from '../storage/upload-store.ts';
import { miniseedProblem } from './miniseed.ts';
import type { StoredSubmission } from './submissions.ts';

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

/** Checks stored objects against what their submission says. */
export class Validator {
  private readonly maxHashBytes: number;
  private readonly categories: Readonly<Record<string, CategoryValidator>>;
  private readonly headBytes: number;

  /**
   * @param store the storage the objects are in
   * @param options limits and category validators
   */
  constructor(private readonly store: UploadStore, options: ValidatorOptions = {}) {
    this.maxHashBytes = options.maxHashBytes ?? 64 * 1024 * 1024;
    this.categories = options.categories ?? { miniseed: miniseedProblem };
    this.headBytes = options.headBytes ?? 512;
  }

  /**
   * Why `submission`'s object is not valid, or undefined when it is. Throws (retry later) when the storage cannot be
   * read, or `signal` aborts (its deadline passed, or the process is stopping).
   */
  async problem(submission: StoredSubmission, signal?: AbortSignal): Promise<string | undefined> {
    const stored = await this.store.head(submission.key, signal);
    if (!stored) return 'The object is no longer in the storage.';
    if (stored.size !== submission.size) return `The storage holds ${stored.size} bytes but ${submission.size} were sent.`;
    if (stored.size <= this.maxHashBytes && submission.sha256) {
      const sha256 = await this.store.sha256(submission.key, signal);
      if (sha256 !== submission.sha256) return `The stored bytes have SHA-256 ${sha256}, not the ${submission.sha256} the client computed.`;
    }
    // Own properties only: a category named "valueOf" or "constructor" has no validator.
    const check = Object.hasOwn(this.categories, submission.category) ? this.categories[submission.category] : undefined;
    if (check) {
      const problem = check(await this.store.firstBytes(submission.key, this.headBytes, signal));
      if (problem) return `Not a valid ${submission.category} object: ${problem}.`;
    }
    return undefined;
  }
}
