/**
 * Protocol-neutral failure kinds: the dropoff adapter maps its wire codes, anything else falls back on the status,
 * and the engine's errors carry the kind on.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { callServer } from '../../src/engine/server-call.ts';
import { UploadError } from '../../src/engine/upload-error.ts';
import { ApiRequestError } from '../../src/protocol/api-error.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { dropoffFailureKind } from '../../src/protocol/dropoff-failures.ts';

it('maps the dropoff codes, and falls back on the status', () => {
  assert.equal(dropoffFailureKind('upload_not_found', 404, false), 'not_found');
  assert.equal(dropoffFailureKind('not_supported', 501, false), 'not_supported');
  assert.equal(dropoffFailureKind('upload_in_progress', 409, false), 'conflict');
  assert.equal(dropoffFailureKind('unauthorized', 401, false), 'unauthorized');
  assert.equal(dropoffFailureKind('forbidden_key', 403, false), 'forbidden');
  assert.equal(dropoffFailureKind('invalid_request', 400, false), 'invalid');
  assert.equal(dropoffFailureKind('http_503', 503, true), 'retryable');
  assert.equal(dropoffFailureKind('something_new', 404, false), 'not_found');
  assert.equal(dropoffFailureKind('something_new', 500, false), 'failed');
});

it('gives every DropoffApi failure a kind, and the engine keeps it', async () => {
  const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status });
  const gone = new DropoffApi({ endpoint: 'http://x', fetch: answer(404, { error: { code: 'upload_not_found', message: 'gone' } }) });
  const error = await gone.listParts('u', 'k').catch((e: unknown) => e);
  assert.ok(error instanceof ApiRequestError);
  assert.equal(error.kind, 'not_found');
  const converted = await callServer(() => gone.listParts('u', 'k'), new AbortController().signal).catch((e: unknown) => e);
  assert.ok(converted instanceof UploadError);
  assert.equal(converted.kind, 'not_found');
  assert.equal(converted.serverCode, 'upload_not_found');
  const down = new DropoffApi({ endpoint: 'http://x', fetch: async () => { throw new TypeError('fetch failed'); } });
  const network = await down.listObjects().catch((e: unknown) => e);
  assert.ok(network instanceof ApiRequestError);
  assert.equal(network.kind, 'retryable');
});
