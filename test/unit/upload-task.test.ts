/**
 * UploadTask's one way to change state: the table of allowed moves.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOWED_MOVES, StateMoveError, UploadTask } from '../../src/engine/upload-task.ts';

const task = () => new UploadTask({ kind: 'blob', blob: new Blob(['x']) }, 'x', 'alice/x', '', 'application/octet-stream', undefined, 5 * 1024 * 1024);

it('moves along the table, reports whether anything changed, and refuses moves the table does not list', () => {
  const t = task();
  assert.equal(t.state, 'queued');
  assert.equal(t.moveTo('queued'), false, 'no change, nothing to announce');
  assert.equal(t.moveTo('hashing'), true);
  assert.equal(t.moveTo('uploading'), true);
  assert.equal(t.moveTo('retrying'), true);
  assert.equal(t.moveTo('uploading'), true);
  assert.equal(t.moveTo('paused'), true);
  assert.throws(() => t.moveTo('uploading'), StateMoveError, 'a paused upload is queued again first');
  assert.equal(t.moveTo('queued'), true);
  assert.equal(t.moveTo('failed'), true);
  assert.equal(t.moveTo('queued'), true);
  assert.equal(t.moveTo('done'), true);
  for (const next of ['queued', 'failed', 'cancelled', 'paused'] as const) assert.throws(() => t.moveTo(next), StateMoveError, `done is final (${next})`);
  const cancelled = task();
  cancelled.moveTo('cancelled');
  assert.deepEqual(ALLOWED_MOVES.cancelled, []);
  assert.throws(() => cancelled.moveTo('queued'), /cannot move from cancelled to queued/);
});
