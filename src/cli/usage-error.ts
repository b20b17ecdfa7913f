/**
 * A mistake in how the command was called (a bad flag, a missing source, a key where a prefix is needed): reported
 * with the command's usage and exit code 2, before anything is sent.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command's exit codes. */
export const EXIT = {
  /** Every file stored (or every query answered). */
  ok: 0,
  /** Some files failed, the upload was interrupted, or the server refused or could not be reached. */
  failed: 1,
  /** The command was called wrongly. */
  usage: 2,
} as const;
