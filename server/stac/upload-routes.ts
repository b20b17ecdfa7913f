/**
 * The asset upload routes of the STAC API, as the geoadmin service-stac spec (spec/transaction/) defines them:
 *
 * POST …/assets/{a}/uploads                 create: number_parts, md5_parts, file:checksum -> 201, presigned URLs
 * GET  …/assets/{a}/uploads?status=&limit=  list
 * GET  …/assets/{a}/uploads/{id}            one upload
 * GET  …/assets/{a}/uploads/{id}/parts      the parts the storage holds so far
 * POST …/assets/{a}/uploads/{id}/complete   {parts: [{etag, part_number}]} -> 200; the asset gets file:checksum, file:size
 * POST …/assets/{a}/uploads/{id}/abort      -> 200
 *
 * mounted twice: under `/collections/{c}/items/{i}` (item assets) and `/collections/{c}` (collection assets).
 * Each part URL has its part's Content-MD5 signed in, so the storage takes only those bytes under it. After a
 * complete, the validation job re-reads the object and compares its SHA-256 with file:checksum.
 */
import type { Context, Hono } from 'hono';
import type { AuthVariables } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Services } from '../services.ts';
import { METADATA } from '../submission.ts';
import type { AssetAddress, CatalogStore } from './catalog-store.ts';
import { notFound, StacError } from './stac-errors.ts';
import { assetObjectKey } from './stac-ids.ts';
import { intQuery } from './stac-query.ts';
import { checkMd5Parts, completeUploadBody, createUploadBody, parseBody, readJson } from './upload-bodies.ts';
import type { UploadRecords, UploadStatus } from './upload-records.ts';
import { uploadView } from './upload-views.ts';

/** What the upload routes work with. */
export interface UploadRouteParts {
  readonly services: Services;
  readonly catalog: CatalogStore;
  readonly uploads: UploadRecords;
  /** The asset a request's path names (ids checked). */
  readonly address: (c: Context) => AssetAddress;
}

type App = Hono<{ Variables: AuthVariables }>;
type Ctx = Context<{ Variables: AuthVariables }>;

const STATUSES: readonly UploadStatus[] = ['in-progress', 'completed', 'aborted'];

/** Cache-Control for an update_interval: none given (-1) leaves the storage's default. */
function cacheControl(updateInterval: number): string | undefined {
  if (updateInterval < 0) return undefined;
  return updateInterval === 0 ? 'no-cache' : `public, max-age=${updateInterval}`;
}

/** Registers the upload routes under `prefix` (a path ending with `/assets/:asset`). */
export function registerUploadRoutes(app: App, prefix: string, parts: UploadRouteParts): void {
  const { services, catalog, uploads, address } = parts;
  const { store, security, log } = services;

  const findUpload = async (c: Ctx) => {
    const at = address(c);
    const upload = await uploads.find(c.var.user.id, at, c.req.param('uploadId') ?? '');
    if (!upload) throw notFound('Upload');
    return upload;
  };

  /**
   * A STAC create declares no size, so the object size limit and the user's quota are checked before the parts are
   * assembled, on what the storage holds: over either, the upload stays in progress (to be aborted) and nothing is
   * stored. A storage that cannot list parts (s3rver) is not checked.
   */
  const checkLimits = async (key: string, uploadId: string, userId: string) => {
    let size: number;
    try {
      size = (await store.listParts(key, uploadId)).reduce((sum, p) => sum + p.size, 0);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_supported') return;
      throw error;
    }
    security.limits.checkObjectSize(key, size);
    await security.limits.checkQuota(userId, [{ key, size }]);
  };

  app.post(`${prefix}/uploads`, async (c) => {
    const user = c.var.user;
    const at = address(c);
    const asset = await catalog.asset(user.id, at);
    if (!asset) throw notFound('Asset');
    const body = parseBody(createUploadBody, await readJson(c));
    checkMd5Parts(body);
    const current = await uploads.inProgress(user.id, at);
    if (current) throw new StacError(409, 'Upload already in progress', { upload_id: current.uploadId });
    // Each signed URL costs a point of the user's rate limit, as on the dropoff API.
    await security.rateLimit.consume(user.id, body.number_parts);
    const key = assetObjectKey(user, at);
    const contentType = typeof asset.document.type === 'string' && asset.document.type ? asset.document.type : 'application/octet-stream';
    const updateInterval = body.update_interval ?? -1;
    const contentEncoding = body.content_encoding ?? '';
    const uploadId = await store.create(key, contentType, { [METADATA.user]: user.id, [METADATA.category]: 'stac' }, {
      ...(contentEncoding ? { contentEncoding } : {}),
      ...(cacheControl(updateInterval) ? { cacheControl: cacheControl(updateInterval)! } : {}),
    });
    const md5Parts = [...body.md5_parts].sort((a, b) => a.part_number - b.part_number);
    const signed = await store.signParts(key, uploadId, md5Parts.map((p) => ({ partNumber: p.part_number, md5: p.md5 })));
    const { stored, conflict } = await uploads.insert({
      userId: user.id, at, uploadId, objectKey: key, numberParts: body.number_parts, md5Parts,
      urls: signed.map((s) => ({ url: s.url, part: s.partNumber, expires: s.expiresAt })),
      fileChecksum: body['file:checksum'], updateInterval, contentEncoding,
    });
    if (conflict || !stored) {
      // Another create for this asset won the race: ours is dropped, storage and all.
      await store.abort(key, uploadId).catch((error: unknown) => log(`stac: could not abort the losing upload ${uploadId}: ${(error as Error).message}`));
      throw new StacError(409, 'Upload already in progress', { upload_id: conflict?.uploadId });
    }
    c.header('Location', `${new URL(c.req.url).pathname}/${encodeURIComponent(uploadId)}`);
    return c.json(uploadView(stored, { withMd5Parts: true }), 201);
  });

  app.get(`${prefix}/uploads`, async (c) => {
    const at = address(c);
    if (!await catalog.asset(c.var.user.id, at)) throw notFound('Asset');
    const status = c.req.query('status');
    if (status !== undefined && !STATUSES.includes(status as UploadStatus)) {
      throw new StacError(400, { status: [`"${status.slice(0, 40)}" is not a valid choice: use ${STATUSES.join(', ')}.`] });
    }
    const limit = intQuery(c, 'limit', 1, 100, 100);
    // Rows are numbered by a sequence all users share: the cursor is sealed (as GET /objects' are), so it tells no
    // one how many uploads others make, and works only for this user's listing of this asset.
    const listing = `stac-uploads:${assetObjectKey(c.var.user, at)}`;
    const given = c.req.query('cursor');
    const after = given ? await security.cursors.open(given, c.var.user.id, listing) : 0;
    const page = await uploads.list(c.var.user.id, at, status as UploadStatus | undefined, limit + 1, after);
    const links = [];
    if (page.length > limit) {
      const next = new URL(c.req.url);
      next.searchParams.set('cursor', await security.cursors.seal(page[limit - 1]!.rowId, c.var.user.id, listing));
      links.push({ rel: 'next', href: next.toString() });
    }
    return c.json({ uploads: page.slice(0, limit).map((u) => uploadView(u)), links });
  });

  app.get(`${prefix}/uploads/:uploadId`, async (c) => c.json(uploadView(await findUpload(c))));

  app.get(`${prefix}/uploads/:uploadId/parts`, async (c) => {
    const upload = await findUpload(c);
    if (upload.status !== 'in-progress') throw new StacError(404, `The upload is ${upload.status}: it has no parts in progress any more.`);
    const limit = intQuery(c, 'limit', 1, 100, 100);
    const offset = intQuery(c, 'offset', 0, 100, 0);
    const stored = await store.listParts(upload.objectKey, upload.uploadId, true);
    const page = stored.slice(offset, offset + limit);
    const links = [];
    if (offset + limit < stored.length) {
      const next = new URL(c.req.url);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('offset', String(offset + limit));
      links.push({ rel: 'next', href: next.toString() });
    }
    return c.json({ parts: page.map((p) => ({ etag: p.etag, part_number: p.partNumber, modified: p.lastModified ?? null, size: p.size })), links });
  });

  app.post(`${prefix}/uploads/:uploadId/complete`, async (c) => {
    const user = c.var.user;
    const upload = await findUpload(c);
    if (upload.status !== 'in-progress') throw new StacError(409, 'No upload in progress');
    const raw = await readJson(c);
    // The count is judged first, as the reference does: a list of the wrong length is "too few/many parts" whatever its entries.
    const listed = (raw as { parts?: unknown } | null)?.parts;
    if (Array.isArray(listed) && listed.length > 0) {
      if (listed.length < upload.numberParts) throw new StacError(400, { parts: ['Too few parts'] });
      if (listed.length > upload.numberParts) throw new StacError(400, { parts: ['Too many parts'] });
    }
    const body = parseBody(completeUploadBody, raw);
    const numbers = new Set(body.parts.map((p) => p.part_number));
    if (numbers.size !== body.parts.length || [...numbers].some((n) => n > upload.numberParts)) {
      throw new StacError(400, { parts: [`Each part_number from 1 to ${upload.numberParts} must appear exactly once.`] });
    }
    try {
      await checkLimits(upload.objectKey, upload.uploadId, user.id);
      await store.complete(upload.objectKey, upload.uploadId, body.parts.map((p) => ({ partNumber: p.part_number, etag: p.etag })));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'invalid_parts') throw new StacError(400, [error.message]);
      if (error instanceof ApiError && error.code === 'upload_not_found') {
        // The storage no longer knows it (completed by a racing call, or cleared by a lifecycle rule).
        const again = await uploads.find(user.id, upload.at, upload.uploadId);
        if (again?.status === 'in-progress') await services.db.transaction((tx) => uploads.end(tx, upload.rowId, 'aborted'));
        throw new StacError(409, 'No upload in progress');
      }
      throw error;
    }
    const stored = await store.head(upload.objectKey);
    if (!stored) throw new StacError(502, 'The storage completed the upload but holds no object under its key.');
    // The validation job re-reads the object and compares its SHA-256 with the file:checksum the client declared.
    const [received] = await services.records.receive(user.id, upload.uploadId, [{
      key: upload.objectKey, category: 'stac', size: stored.size, sha256: upload.fileChecksum.slice(4), etag: stored.etag,
      status: 'VALIDATING', message: null, token: null,
    }]);
    if (received) await services.jobs.enqueue([received.submission]);
    const ended = await services.db.transaction(async (tx) => {
      const done = await uploads.end(tx, upload.rowId, 'completed');
      if (done) await catalog.setAssetFile(tx, user.id, upload.at, upload.fileChecksum, stored.size, received?.submission.id ?? null);
      return done;
    });
    if (!ended) throw new StacError(409, 'No upload in progress');
    log(`stac: completed upload of ${JSON.stringify(upload.objectKey)} (${stored.size} bytes, ${upload.numberParts} part(s))`);
    return c.json(uploadView(ended));
  });

  app.post(`${prefix}/uploads/:uploadId/abort`, async (c) => {
    const upload = await findUpload(c);
    if (upload.status !== 'in-progress') throw new StacError(409, 'No upload in progress');
    await store.abort(upload.objectKey, upload.uploadId).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'upload_not_found') return;
      // s3rver (the embedded default) cannot abort: the upload still ends here, its parts left to the storage.
      if (error instanceof ApiError && error.code === 'not_supported') {
        log(`stac: the storage cannot abort ${upload.uploadId} (${error.message}); its parts stay until the storage removes them`);
        return;
      }
      throw error;
    });
    const ended = await services.db.transaction((tx) => uploads.end(tx, upload.rowId, 'aborted'));
    if (!ended) throw new StacError(409, 'No upload in progress');
    return c.json(uploadView(ended));
  });
}
