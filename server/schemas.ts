/**
 * Schemas of every request body and query the API accepts. Requests are parsed with these, never by hand.
 */
import { z } from 'zod';
import { MAX_PARTS } from '../src/engine/part-plan.ts';

const key = z.string().max(4096);
const partNumber = z.number().int().min(1, 'partNumber must be >= 1').max(MAX_PARTS, `partNumber must be <= ${MAX_PARTS}`);
/** Base64 of a 16-byte MD5 digest. */
const md5Base64 = z.string().regex(/^[A-Za-z0-9+/]{22}==$/, 'md5 must be the base64 of a 16-byte MD5 digest');
/** An S3 ETag as S3 returns it, quoted or not. */
const etag = z.string().min(1).max(128).regex(/^"?[A-Za-z0-9-]+"?$/, 'etag must be an ETag as the storage returned it');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits');

const category = z.string().max(64).regex(/^[A-Za-z0-9._-]*$/, 'category may hold A-Z a-z 0-9 . _ - only').default('');
const contentType = z.string().max(255).regex(/^[\x20-\x7e]*$/, 'contentType must be printable ASCII').default('application/octet-stream');

/** POST /uploads; `size` may be left out for a stream of unknown length, and then `partSize` is required. */
export const createUploadBody = z.object({
  key,
  category,
  size: z.number().int().min(0).optional(),
  contentType,
  partSize: z.number().int().positive().optional(),
  /** Abort other uploads of the same key that are still in progress, instead of answering 409. */
  takeOver: z.boolean().default(false),
  /** Parts whose MD5 the client already knows (the first): their URLs come back with the upload. */
  parts: z.array(z.object({ partNumber, md5: md5Base64 })).max(8).optional(),
}).refine((body) => body.size !== undefined || body.partSize !== undefined, 'partSize is required when size is not given');

/** POST /objects/sign: single PUTs of whole objects (at most 5 GiB each). */
export const signObjectsBody = z.object({
  objects: z.array(z.object({
    key,
    size: z.number().int().min(0).max(5 * 1024 ** 3, 'a single PUT holds at most 5 GiB; use /uploads'),
    md5: md5Base64,
    contentType,
    category,
    /** Ask for a presigned POST form instead of a PUT URL (no CORS preflight; see docs/protocol.md). */
    form: z.boolean().optional(),
  })).min(1).max(100, 'at most 100 objects per call'),
});

/** POST /objects/confirm: objects stored by single PUTs. */
export const confirmObjectsBody = z.object({
  objects: z.array(z.object({ key, size: z.number().int().min(0), sha256: sha256Hex, md5: md5Base64.optional() })).min(1).max(1000),
});

/** POST /uploads/{id}/parts */
export const signPartsBody = z.object({
  key,
  // 100 URLs per call is what the engine's batcher asks for at most, and bounds the CPU one call can cost.
  parts: z.array(z.object({ partNumber, md5: md5Base64 })).min(1).max(100, 'at most 100 part URLs per call'),
});

/** POST /uploads/{id}/complete */
export const completeUploadBody = z.object({
  key,
  size: z.number().int().min(0),
  sha256: sha256Hex,
  parts: z.array(z.object({ partNumber, etag })).min(1).max(MAX_PARTS),
});

/** Query of GET /uploads/{id}/parts and DELETE /uploads/{id}. */
export const keyQuery = z.object({ key });

/** Query of GET /objects: the latest submission of each key, newest first, a page at a time. */
export const listQuery = z.object({
  prefix: z.string().max(1024).optional(),
  cursor: z.string().max(2048).regex(/^[A-Za-z0-9._-]+$/, 'cursor must be the cursor a previous page gave').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Query of GET /objects/history: the submissions of one key, newest first, a page at a time. */
export const historyQuery = z.object({
  key,
  cursor: z.string().max(2048).regex(/^[A-Za-z0-9._-]+$/, 'cursor must be the cursor a previous page gave').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});

/** A date and time with an offset (ISO 8601), between the years 1970 and 9999 (the database holds no others). */
const boundedDate = z.iso.datetime({ offset: true }).refine((value) => {
  const time = Date.parse(value);
  return Number.isFinite(time) && time >= Date.UTC(1970, 0, 1) && time < Date.UTC(10000, 0, 1);
}, 'dates must be between 1970-01-01 and 9999-12-31');

/** Query of GET /summary. */
export const summaryQuery = z.object({
  prefix: z.string().max(1024).optional(),
  submittedAfter: boundedDate.optional(),
  submittedBefore: boundedDate.optional(),
});

/** Query of GET /uploads. */
export const prefixQuery = z.object({ prefix: z.string().max(1024).optional() });

/**
 * An upload id as S3 hands it out (AWS, Ceph `2~…`, s3rver hex): letters, digits and `. _ ~ -`, starting with a letter
 * or digit. Anything else (slashes, `%`, `..`, spaces) is refused before it reaches the records or the storage.
 */
export const uploadIdParam = z.string().min(1).max(1024).regex(/^[A-Za-z0-9][A-Za-z0-9._~-]*$/, 'upload id must be letters, digits and . _ ~ - starting with a letter or digit');
