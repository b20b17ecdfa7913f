/**
 * Reads an object back from storage in Node, for tests to check what really landed.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { createS3Client, type S3Settings } from '../../server/storage/s3-client.ts';

/** What the storage holds under a key. */
export interface StoredObject {
  /** False when there is no such object. */
  readonly exists: boolean;
  /** Size in bytes. */
  readonly size: number;
  /** The storage's ETag. */
  readonly etag: string;
  /** SHA-256 of the stored bytes (hex). */
  readonly sha256: string;
  /** The S3 multipart ETag those bytes would have with parts of `partSize`: `"md5(md5s)-N"`. */
  readonly multipartEtag: string;
  /** The ETag those bytes would have from a single PUT: `"md5"`. */
  readonly singleEtag: string;
  /** Content-Type. */
  readonly contentType: string;
  /** User metadata. */
  readonly metadata: Record<string, string>;
}

/** Downloads `key` and describes it. */
export async function readStoredObject(s3: S3Settings, key: string, partSize: number): Promise<StoredObject> {
  const client = createS3Client(s3);
  try {
    try {
      await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    } catch {
      return { exists: false, size: 0, etag: '', sha256: '', multipartEtag: '', singleEtag: '', contentType: '', metadata: {} };
    }
    const out = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const bytes = Buffer.from(await out.Body!.transformToByteArray());
    const partMd5s: Buffer[] = [];
    for (let start = 0; start < bytes.length || partMd5s.length === 0; start += partSize) {
      partMd5s.push(createHash('md5').update(bytes.subarray(start, start + partSize)).digest());
    }
    const multipartEtag = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}"`;
    return {
      exists: true,
      size: bytes.length,
      etag: out.ETag ?? '',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      multipartEtag,
      singleEtag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      contentType: out.ContentType ?? '',
      metadata: out.Metadata ?? {},
    };
  } finally {
    client.destroy();
  }
}

/** Upload ids still open under `prefix` (Ceph only; s3rver cannot list them). */
export async function openUploads(s3: S3Settings, prefix: string): Promise<string[]> {
  const client = createS3Client(s3);
  try {
    const out = await client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: prefix }));
    return (out.Uploads ?? []).map((u) => u.UploadId ?? '');
  } finally {
    client.destroy();
  }
}
