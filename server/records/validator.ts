/**
 * Validation of what was submitted, after the storage confirmed it: the object is there with the size sent; its
 * SHA-256 equals the client's when it is small enough to re-read; the category's own validator, when there is one,
 * on its first bytes. It runs as a durable job (server/jobs/), except for a small object confirmed by
 * `/objects/confirm`: the confirm reads it whole anyway (one GET instead of a HEAD), and judges it from that read
 * ({@link Validator.judge}) instead of queueing a job that would read it again.
 */
import type { ObjectReadBack, UploadStore } from '../storage/upload-store.ts';
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
  /**
   * Objects confirmed by `/objects/confirm` up to this size are read whole by the confirm and validated from that
   * read, with no job. Default 1 MiB; 0: every validation is a job.
   */
  readonly confirmMaxBytes?: number;
}

/** What a submission says of its object: what validation compares the stored bytes with. */
export interface SubmittedObject {
  /** Bytes sent. */
  readonly size: number;
  /** The client's SHA-256 (hex). */
  readonly sha256: string;
  /** The category the object was signed with. */
  readonly category: string;
}

/** Why an object of `stored` bytes is not the one of `sent` bytes (the confirm says it in the same words). */
export function otherSize(stored: number, sent: number | null): string {
  return `The storage holds ${stored} bytes but ${sent} were sent.`;
}

/** Checks stored objects against what their submission says. */
export class Validator {
  private readonly maxHashBytes: number;
  private readonly categories: Readonly<Record<string, CategoryValidator>>;
  /** Bytes of an object's start a category validator reads. */
  readonly headBytes: number;
  /** Objects up to this size are validated from the confirm's read (see {@link ValidatorOptions.confirmMaxBytes}). */
  readonly confirmMaxBytes: number;

  /**
   * @param store the storage the objects are in
   * @param options limits and category validators
   */
  constructor(private readonly store: UploadStore, options: ValidatorOptions = {}) {
    this.maxHashBytes = options.maxHashBytes ?? 64 * 1024 * 1024;
    this.categories = options.categories ?? { miniseed: miniseedProblem };
    this.headBytes = options.headBytes ?? 512;
    this.confirmMaxBytes = Math.min(options.confirmMaxBytes ?? 1024 * 1024, this.maxHashBytes);
  }

  /**
   * Why `submission`'s object is not valid, or undefined when it is. Throws (retry later) when the storage cannot be
   * read, or `signal` aborts (its deadline passed, or the process is stopping).
   */
  async problem(submission: StoredSubmission, signal?: AbortSignal): Promise<string | undefined> {
    const gone = 'The object is no longer in the storage.';
    const check = this.categoryCheck(submission.category);
    if (submission.sha256 && submission.size !== null && submission.size <= this.maxHashBytes) {
      // One GET gives the size, the SHA-256 and the category's first bytes: a small file's validation is one request.
      const read = await this.store.readBack(submission.key, check ? this.headBytes : 0, submission.size, signal);
      if (!read) return gone;
      return this.judge({ size: submission.size, sha256: submission.sha256, category: submission.category }, read);
    }
    const stored = await this.store.head(submission.key, signal);
    if (!stored) return gone;
    if (stored.size !== submission.size) return otherSize(stored.size, submission.size);
    return this.categoryProblem(submission.category, check, check ? await this.store.firstBytes(submission.key, this.headBytes, signal) : undefined);
  }

  /**
   * Why the object `read` back whole (with at least {@link headBytes} of its start) is not what was `submitted`, or
   * undefined when it is valid.
   */
  judge(submitted: SubmittedObject, read: ObjectReadBack): string | undefined {
    if (read.size !== submitted.size) return otherSize(read.size, submitted.size);
    if (read.sha256 !== submitted.sha256) return `The stored bytes have SHA-256 ${read.sha256}, not the ${submitted.sha256} the client computed.`;
    const check = this.categoryCheck(submitted.category);
    return this.categoryProblem(submitted.category, check, read.head);
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
