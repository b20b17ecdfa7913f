/**
 * Turns errors of the S3 SDK into the API's documented errors, so a client never sees a raw storage failure.
 */
import { ApiError } from '../errors.ts';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** What the failed storage call was, for the message. */
export type StorageOperation = 'create' | 'sign' | 'list-parts' | 'complete' | 'head' | 'read' | 'abort' | 'list-uploads';

/** True when the S3 client's error is the storage's 404: no object under the key asked for. */
export function isNotFound(error: unknown): boolean {
  return (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode === 404;
}

/** Maps an error thrown by the S3 client during `operation` to an {@link ApiError}. */
export function toApiError(error: unknown, operation: StorageOperation): ApiError {
  if (error instanceof ApiError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? e.code ?? '';
  const detail = e.message && e.message !== 'UnknownError' ? `${name}: ${e.message}` : name || String(error);
  const cause = { cause: error };
  if (name === 'NoSuchUpload' || (operation === 'list-parts' && status === 404)) {
    // Ceph answers ListParts on an aborted or unknown upload with 404 NoSuchKey, not NoSuchUpload.
    return new ApiError('upload_not_found', 'The storage does not know this upload: it was completed, aborted or never existed.', false, cause);
  }
  if (name === 'InvalidPart' || name === 'InvalidPartOrder' || name === 'EntityTooSmall') {
    return new ApiError('invalid_parts', `The storage refused the part list: ${detail}`, false, cause);
  }
  if (name === 'NotImplemented' || name === 'MethodNotAllowed' || status === 501 || status === 405) {
    return new ApiError('not_supported', `This storage does not support the ${operation} operation (${detail}).`, false, cause);
  }
  if (status === undefined) {
    return new ApiError('storage_unavailable', `The storage could not be reached (${detail}).`, true, cause);
  }
  if (status === 503 || status === 502 || status === 504 || name === 'SlowDown') {
    return new ApiError('storage_unavailable', `The storage is busy or unavailable (${detail}).`, true, cause);
  }
  return new ApiError('storage_error', `The storage failed the ${operation} operation (${detail}).`, status >= 500, cause);
}
