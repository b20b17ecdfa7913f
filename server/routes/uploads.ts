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
import type { MultipartStore } from '../storage/multipart-store.ts';
import { jsonBody, parseWith, query } from '../validate.ts';

/** Object metadata the server writes on every upload, readable with HeadObject. */
export const METADATA = { user: 'dropoff-user', category: 'dropoff-category' } as const;

/** Status of a submission as the complete call reports it. */
export type SubmissionStatus = 'ACCEPTED' | 'FAILED';

/** Builds the `/uploads` routes over `store`. */
export function uploadRoutes(store: MultipartStore, log: (line: string) => void) {
  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/', async (c) => {
    const body = await jsonBody(c, createUploadBody);
    const user = c.var.user;
    authorizeKey(user, body.key);
    let partSize: number;
    if (body.partSize === undefined) {
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
    const uploadId = await store.create(body.key, body.contentType, { [METADATA.user]: user.id, [METADATA.category]: body.category });
    log(`create user=${user.id} key=${JSON.stringify(body.key)} size=${body.size} partSize=${partSize}`);
    return c.json({ uploadId, key: body.key, partSize, partCount: partCount(body.size, partSize) }, 201);
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
    const stored = await store.head(body.key);
    const status: SubmissionStatus = stored.size === body.size ? 'ACCEPTED' : 'FAILED';
    const message = status === 'FAILED' ? `The storage holds ${stored.size} bytes but ${body.size} were sent.` : undefined;
    log(`complete user=${user.id} key=${JSON.stringify(body.key)} size=${stored.size} etag=${stored.etag} sha256=${body.sha256} status=${status}`);
    return c.json({
      key: body.key,
      size: stored.size,
      etag: stored.etag,
      sha256: body.sha256,
      category: stored.metadata[METADATA.category] ?? '',
      status,
      ...(message ? { message } : {}),
    });
  });

  app.delete('/:id', async (c) => {
    const uploadId = parseWith(uploadIdParam, c.req.param('id'), 'upload id');
    const { key } = query(c, keyQuery);
    authorizeKey(c.var.user, key);
    await store.abort(key, uploadId);
    log(`abort user=${c.var.user.id} key=${JSON.stringify(key)}`);
    return c.body(null, 204);
  });

  return app;
}
