/**
 * The dropoff server's error codes (docs/protocol.md) as protocol-neutral failure kinds.
 */
import { failureKindOfStatus, type FailureKind } from './failure-kind.ts';

const KINDS: Readonly<Record<string, FailureKind>> = {
  upload_not_found: 'not_found',
  not_supported: 'not_supported',
  upload_in_progress: 'conflict',
  unauthorized: 'unauthorized',
  forbidden_key: 'forbidden',
  invalid_request: 'invalid',
  invalid_key: 'invalid',
  invalid_parts: 'invalid',
  invalid_part_plan: 'invalid',
};

/** The kind of a dropoff error answer: by its code where the code says, else by status and retryability. */
export function dropoffFailureKind(code: string, status: number, retryable: boolean): FailureKind {
  return (retryable ? undefined : KINDS[code]) ?? failureKindOfStatus(status, retryable);
}
