/**
 * The multipart upload routes: create, sign parts, list parts, complete, abort, list open uploads.
 * See docs/protocol.md for the contract.
 */
import { Hono } from 'hono';
import { checkPartPlan, choosePartSize, partCount } from '../../src/engine/part-plan.ts';
import type { AuthVariables } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { authorizeKey, authorizePrefix } from '../keys.ts';
import { completeUploadBody, createUploadBody, keyQuery, prefixQuery, signPartsBody, uploadIdParam } from '../schemas.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import { recordReceived, type Services } from '../services.ts';
import { METADATA, reportStored } from '../submission.ts';
import { jsonBody, parseWith, query } from '../validate.ts';

/**
 * Only one upload per key may be in progress: another one answers 409 upload_in_progress, unless the client asks to
 * take over, which aborts the others. Storages that cannot list uploads (s3rver) skip the check.
 */
async function settleOpenUploads(store: UploadStore, key: string, takeOver: boolean, log: (line: string) => void): Promise<void> {
  let open;
  try {
    open = (await store.listUploads(key)).filter((u) => u.key === key);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_supported') return;
    throw error;
  }
  if (open.length === 0) return;
  if (!takeOver) {
    const since = open[0]!.initiated ? ` since ${open[0]!.initiated}` : '';
    throw new ApiError('upload_in_progress', `Another upload of "${key}" is in progress${since} (upload id ${open[0]!.uploadId}). Resume it from where it was started, or create with takeOver: true to abort it and start over.`);
  }
  for (const upload of open) {
    log(`take over key=${JSON.stringify(key)}: aborting upload ${upload.uploadId}`);
    await store.abort(key, upload.uploadId).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.code === 'upload_not_found')) throw error;
    });
  }
}

/** Builds the `/uploads` routes. */
export function uploadRoutes(services: Services) {
  const { store, log } = services;
  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/', async (c) => {
    const body = await jsonBody(c, createUploadBody);
    const user = c.var.user;
    authorizeKey(user, body.key);
    let partSize: number;
    if (body.size === undefined) {
      // A stream of unknown length: the client grows its parts as it goes; only the first size can be checked.
      const problem = checkPartPlan(0, body.partSize!);
      if (problem) throw new ApiError('invalid_part_plan', `Invalid part plan: ${problem}.`);
      partSize = body.partSize!;
    } else if (body.partSize === undefined) {
      try {
        partSize = choosePartSize(body.size);
      } catch (error) {
        throw new ApiError('invalid_part_plan', (error as Error).message);
      }
    } else {
      const problem = checkPartPlan(body.size, body.partSize);
      if (problem) throw new ApiError('invalid_part_plan', `Invalid part plan: ${problem}.`);
      partSize = body.partSize;
    }
    await settleOpenUploads(store, body.key, body.takeOver, log);
    const uploadId = await store.create(body.key, body.contentType, { [METADATA.user]: user.id, [METADATA.category]: body.category });
    await services.records.authorize(user.id, body.key, body.category, uploadId);
    log(`create user=${user.id} key=${JSON.stringify(body.key)} size=${body.size ?? 'unknown'} partSize=${partSize}`);
    // Signing the parts the client named saves it a round trip before its first PUT.
    const urls = body.parts?.length ? await store.signParts(body.key, uploadId, body.parts) : undefined;
    return c.json({ uploadId, key: body.key, partSize, partCount: body.size === undefined ? null : partCount(body.size, partSize), ...(urls ? { urls } : {}) }, 201);
  });

  app.get('/', async (c) => {
    const { prefix } = query(c, prefixQuery);
    const listPrefix = authorizePrefix(c.var.user, prefix);
    return c.json({ uploads: await store.listUploads(listPrefix) });
  });

  app.post('/:id/parts', async (c) => {
    const uploadId = parseWith(uploadIdParam, c.req.param('id'), 'upload id');
    const body = await jsonBody(c, signPartsBody);
    authorizeKey(c.var.user, body.key);
    const numbers = new Set(body.parts.map((p) => p.partNumber));
    if (numbers.size !== body.parts.length) throw new ApiError('invalid_request', 'Invalid request body: a part number appears twice.');
    return c.json({ urls: await store.signParts(body.key, uploadId, body.parts) });
  });

  app.get('/:id/parts', async (c) => {
    const uploadId = parseWith(uploadIdParam, c.req.param('id'), 'upload id');
    const { key } = query(c, keyQuery);
    authorizeKey(c.var.user, key);
    return c.json({ parts: await store.listParts(key, uploadId) });
  });

  app.post('/:id/complete', async (c) => {
    const uploadId = parseWith(uploadIdParam, c.req.param('id'), 'upload id');
    const body = await jsonBody(c, completeUploadBody);
    const user = c.var.user;
    authorizeKey(user, body.key);
    const numbers = body.parts.map((p) => p.partNumber);
    if (new Set(numbers).size !== numbers.length) throw new ApiError('invalid_parts', 'The part list names a part number twice.');
    await store.complete(body.key, uploadId, body.parts);
    const report = await reportStored(store, body.key, body.size, body.sha256);
    await recordReceived(services, user.id, uploadId, report);
    log(`complete user=${user.id} key=${JSON.stringify(body.key)} size=${report.size} etag=${report.etag} sha256=${report.sha256} status=${report.status}`);
    return c.json(report);
  });

  app.delete('/:id', async (c) => {
    const uploadId = parseWith(uploadIdParam, c.req.param('id'), 'upload id');
    const { key } = query(c, keyQuery);
    authorizeKey(c.var.user, key);
    await store.abort(key, uploadId);
    await services.records.aborted(c.var.user.id, key, uploadId);
    log(`abort user=${c.var.user.id} key=${JSON.stringify(key)}`);
    return c.body(null, 204);
  });

  return app;
}
