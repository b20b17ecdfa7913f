/**
 * The signer Uppy's S3 plugin talks to when its `endpoint` option is set: the routes of Uppy's Companion server that
 * @uppy/aws-s3 5.x calls (create, sign one part, list, complete, abort a multipart upload; parameters of a single
 * PUT), presigning against the same storage as our reference server. For the benchmark only: it checks nobody's
 * token and keys every object under `keyPrefix`.
 */
import { randomUUID } from 'node:crypto';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, ListPartsCommand, PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client, type S3Settings } from '../server/storage/s3-client.ts';
import { listenOnLoopback } from '../scripts/stack/processes.ts';

/** A running signer. */
export interface UppySigner {
  /** Its base URL (Uppy's `endpoint`). */
  readonly url: string;
  /** Calls it answered, by route. */
  readonly calls: Record<string, number>;
  /** Keys it created, to delete after a round. */
  readonly keys: string[];
  /** Where new keys go; changed per round. */
  keyPrefix: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Starts a Companion-style signer for `s3` on 127.0.0.1. */
export async function startUppySigner(s3: S3Settings): Promise<UppySigner> {
  const client = createS3Client(s3);
  const bucket = s3.bucket;
  const calls: Record<string, number> = {};
  const keys: string[] = [];
  const state = { keyPrefix: 'bench/uppy/' };
  const count = (route: string) => { calls[route] = (calls[route] ?? 0) + 1; };
  const newKey = (filename: string) => {
    const key = `${state.keyPrefix}${randomUUID().slice(0, 8)}-${filename}`;
    keys.push(key);
    return key;
  };

  const app = new Hono();
  app.use('*', cors({ origin: (origin) => origin, exposeHeaders: ['ETag'] }));
  app.get('/s3/params', async (c) => {
    count('params');
    const filename = c.req.query('filename') ?? 'file';
    const type = c.req.query('type') || 'application/octet-stream';
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: newKey(filename), ContentType: type }), { expiresIn: 3600 });
    return c.json({ method: 'PUT', url, fields: {}, headers: { 'content-type': type } });
  });
  app.post('/s3/multipart', async (c) => {
    count('create');
    const { filename, type } = await c.req.json<{ filename: string; type: string }>();
    const key = newKey(filename);
    const out = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: type || 'application/octet-stream' }));
    return c.json({ uploadId: out.UploadId, key });
  });
  app.get('/s3/multipart/:uploadId/:partNumber', async (c) => {
    count('sign-part');
    const url = await getSignedUrl(client, new UploadPartCommand({
      Bucket: bucket, Key: c.req.query('key')!, UploadId: c.req.param('uploadId'), PartNumber: Number(c.req.param('partNumber')),
    }), { expiresIn: 3600 });
    return c.json({ url, expires: 3600 });
  });
  app.get('/s3/multipart/:uploadId', async (c) => {
    count('list');
    const out = await client.send(new ListPartsCommand({ Bucket: bucket, Key: c.req.query('key')!, UploadId: c.req.param('uploadId') }));
    return c.json((out.Parts ?? []).map((p) => ({ PartNumber: p.PartNumber, Size: p.Size, ETag: p.ETag })));
  });
  app.post('/s3/multipart/:uploadId/complete', async (c) => {
    count('complete');
    const { parts } = await c.req.json<{ parts: { PartNumber: number; ETag: string }[] }>();
    const key = c.req.query('key')!;
    await client.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, UploadId: c.req.param('uploadId'), MultipartUpload: { Parts: [...parts].sort((a, b) => a.PartNumber - b.PartNumber) },
    }));
    return c.json({ location: `${s3.endpoint}/${bucket}/${key}` });
  });
  app.delete('/s3/multipart/:uploadId', async (c) => {
    count('abort');
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: c.req.query('key')!, UploadId: c.req.param('uploadId') }));
    return c.json({});
  });

  const server = createAdaptorServer({ fetch: app.fetch });
  const url = await listenOnLoopback(server);
  return {
    url, calls, keys,
    get keyPrefix() { return state.keyPrefix; },
    set keyPrefix(prefix: string) { state.keyPrefix = prefix; },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.destroy();
    },
  };
}
