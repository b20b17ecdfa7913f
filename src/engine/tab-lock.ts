/**
 * Keeps two tabs (or two engines) from uploading the same file to the same key at once, with the Web Locks API.
 * Where the browser has no Web Locks, the step simply runs.
 */
import { UploadError } from './upload-error.ts';

/** The lock name for an upload fingerprint. */
export function lockName(fingerprint: string): string {
  return `dropoff-uploader:${fingerprint}`;
}

/** Runs `step` holding the lock for `fingerprint`; fails at once with `in_use` when another holder has it. */
export async function withTabLock<T>(fingerprint: string, step: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return step();
  let result: { value: T } | undefined;
  await locks.request(lockName(fingerprint), { ifAvailable: true }, async (lock) => {
    if (!lock) return;
    result = { value: await step() };
  });
  if (!result) {
    throw new UploadError('in_use', 'This file is already being uploaded to the same place from another tab or window; let that one finish, or cancel it there.');
  }
  return result.value;
}
