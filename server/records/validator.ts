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
    const gone = 'The object is no longer in the storage.';
    const otherSize = (size: number) => `The storage holds ${size} bytes but ${submission.size} were sent.`;
    const check = this.categoryCheck(submission.category);
    if (submission.sha256 && submission.size !== null && submission.size <= this.maxHashBytes) {
      // One GET gives the size, the SHA-256 and the category's first bytes: a small file's validation is one request.
      const read = await this.store.readBack(submission.key, check ? this.headBytes : 0, submission.size, signal);
      if (!read) return gone;
      if (read.size !== submission.size) return otherSize(read.size);
      if (read.sha256 !== submission.sha256) return `The stored bytes have SHA-256 ${read.sha256}, not the ${submission.sha256} the client computed.`;
      return this.categoryProblem(submission.category, check, read.head);
    }
    const stored = await this.store.head(submission.key, signal);
    if (!stored) return gone;
    if (stored.size !== submission.size) return otherSize(stored.size);
    return this.categoryProblem(submission.category, check, check ? await this.store.firstBytes(submission.key, this.headBytes, signal) : undefined);
  }

  /** The validator of `category`; own properties only: a category named "valueOf" or "constructor" has none. */
  private categoryCheck(category: string): CategoryValidator | undefined {
    return Object.hasOwn(this.categories, category) ? this.categories[category] : undefined;
  }

  private categoryProblem(category: string, check: CategoryValidator | undefined, head: Uint8Array | undefined): string | undefined {
    const problem = check && head ? check(head) : undefined;
    return problem ? `Not a valid ${category} object: ${problem}.` : undefined;
  }
}
