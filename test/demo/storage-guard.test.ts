/**
 * The embedded default storage locked down: s3rver behind our SigV4 guard, its bucket's CORS naming only the page's
 * origin. Tried as an attacker: unsigned writes, the path traversal that once wrote a file into the checkout, forged,
 * expired and foreign signatures, another user's upload id, and a PUT from a page of another origin in Chromium. After
 * all of them nothing on disk has changed; a correctly signed PUT still works.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/stack/chromium.ts';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { listenOnLoopback } from '../../scripts/stack/processes.ts';
import { createS3Client } from '../../server/storage/s3-client.ts';
import { ALICE, BOB, TEST_TOKENS } from '../support/test-users.ts';

let dir: string;
let stack: LocalStack;
let browser: Browser;
const pageServers: ReturnType<typeof createServer>[] = [];

/** A blank page on a fresh origin (127.0.0.1, a free port). */
async function blankOrigin(): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other origin</title>'));
  pageServers.push(server);
  return listenOnLoopback(server);
}

let allowedOrigin: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropoff-guard-'));
  allowedOrigin = await blankOrigin();
  stack = await startLocalStack({ storage: 's3rver', tokens: TEST_TOKENS, s3rverDirectory: join(dir, 'storage', 's3rver'), allowedOrigins: [allowedOrigin] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  for (const server of pageServers) server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every file under `root` with its size and modification time. */
async function snapshot(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    out.push(`${path} ${info.size} ${info.mtimeMs}`);
  }
  return out.sort();
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
const bucketUrl = () => `${stack.s3.endpoint}/${stack.s3.bucket}`;

async function api(method: string, path: string, body?: unknown, token: string = ALICE.token) {
  const response = await fetch(`${stack.serverUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function signObject(key: string, bytes: Uint8Array) {
  const signed = await api('POST', '/objects/sign', { objects: [{ key, size: bytes.length, md5: md5(bytes) }] });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  return signed.body.urls[0] as { url: string; headers: Record<string, string> };
}

describe('the s3rver guard', () => {
  it('refuses unsigned, traversing, forged, expired and foreign requests, and nothing changes on disk', async () => {
    const before = await snapshot(dir);
    const refusedBefore = stack.s3rver!.guard.refused.length;
    const bytes = new TextEncoder().encode('pwned');
    const attempts: [string, Promise<Response>][] = [
      ['unsigned PUT', fetch(`${bucketUrl()}/alice/unsigned.txt`, { method: 'PUT', body: bytes })],
      ['unsigned part PUT with traversal in the upload id and part number',
        fetch(`${bucketUrl()}/x?uploadId=..%2F..%2F..&partNumber=..%2Fpwned-file.txt`, { method: 'PUT', body: bytes })],
      ['traversal in the key', fetch(`${bucketUrl()}/..%2F..%2Fpwned-file.txt`, { method: 'PUT', body: bytes })],
      ['unsigned DELETE', fetch(`${bucketUrl()}/alice/x.txt`, { method: 'DELETE' })],
      ['unsigned GET of the bucket listing', fetch(`${bucketUrl()}?list-type=2`)],
    ];
    const valid = await signObject(`${ALICE.space}guard/target.txt`, bytes);
    const moved = new URL(valid.url);
    moved.pathname = moved.pathname.replace('target.txt', 'elsewhere.txt');
    attempts.push(['a valid signature moved to another key', fetch(moved, { method: 'PUT', headers: valid.headers, body: bytes })]);
    const tampered = new URL(valid.url);
    tampered.searchParams.set('X-Amz-Expires', '604800');
    attempts.push(['a valid signature with a longer expiry', fetch(tampered, { method: 'PUT', headers: valid.headers, body: bytes })]);
    const s3rverClient = createS3Client(stack.s3);
    const expired = await getSignedUrl(s3rverClient, new PutObjectCommand({ Bucket: stack.s3.bucket, Key: 'alice/expired.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
    attempts.push(['an expired presigned URL', fetch(expired, { method: 'PUT', body: bytes })]);
    const stranger = createS3Client({ ...stack.s3, accessKeyId: 'STRANGER', secretAccessKey: 'STRANGER' });
    attempts.push(['a URL signed with another access key', fetch(await getSignedUrl(stranger, new PutObjectCommand({ Bucket: stack.s3.bucket, Key: 'alice/stranger.txt' }), { expiresIn: 60 }), { method: 'PUT', body: bytes })]);
    const wrongSecret = createS3Client({ ...stack.s3, secretAccessKey: 'not-the-secret' });
    attempts.push(['an SDK call signed with a wrong secret', wrongSecret.send(new PutObjectCommand({ Bucket: stack.s3.bucket, Key: 'alice/sdk.txt', Body: bytes }))
      .then(() => new Response('accepted', { status: 200 }), (error: { $metadata?: { httpStatusCode?: number } }) => new Response('refused', { status: error.$metadata?.httpStatusCode ?? 0 }))]);
    for (const [what, attempt] of attempts) assert.equal((await attempt).status, 403, what);
    s3rverClient.destroy();
    stranger.destroy();
    wrongSecret.destroy();
    assert.ok(stack.s3rver!.guard.refused.length - refusedBefore >= attempts.length - 1);
    assert.deepEqual(await snapshot(dir), before);
    for (const place of [process.cwd(), join(process.cwd(), '..'), dir, join(dir, 'storage')]) assert.equal(existsSync(join(place, 'pwned-file.txt')), false, place);
  });

  it('still passes a correctly signed PUT and the server’s own calls', async () => {
    const bytes = new TextEncoder().encode('hello through the guard');
    const signed = await signObject(`${ALICE.space}guard/ok.txt`, bytes);
    const response = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes });
    assert.equal(response.status, 200, await response.text());
    const confirmed = await api('POST', '/objects/confirm', { objects: [{ key: `${ALICE.space}guard/ok.txt`, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }] });
    assert.equal(confirmed.body.objects[0].status, 'VALIDATING');
  });

  it('lets go of s3rver when a client drops in the middle of a PUT, so the stack still stops', async () => {
    const own = await startLocalStack({ storage: 's3rver', tokens: TEST_TOKENS, s3rverDirectory: join(dir, 'dropped', 's3rver') });
    const bytes = new Uint8Array(200_000).fill(9);
    const response = await fetch(`${own.serverUrl}/objects/sign`, {
      method: 'POST', headers: { authorization: `Bearer ${ALICE.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ objects: [{ key: `${ALICE.space}dropped.bin`, size: bytes.length, md5: md5(bytes) }] }),
    });
    const signed = ((await response.json()) as { urls: { url: string; headers: Record<string, string> }[] }).urls[0]!;
    const put = request(signed.url, { method: 'PUT', headers: { ...signed.headers, 'content-length': String(bytes.length) } });
    put.on('error', () => undefined);
    put.write(bytes.subarray(0, 100_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    put.destroy();
    // Before the guard passed the drop on, s3rver waited for the rest of the body forever and its close never ended.
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      own.stop().then(() => 'stopped'),
      new Promise((resolve) => { timer = setTimeout(() => resolve('still waiting after 30 s'), 30_000); }),
    ]);
    clearTimeout(timer);
    assert.equal(stopped, 'stopped');
  });

  it("refuses Bob Alice's upload id on s3rver, which would have overwritten her object", async () => {
    const key = `${ALICE.space}guard/victim.bin`;
    const created = await api('POST', '/uploads', { key, size: 10, partSize: 5 * 1024 * 1024 });
    assert.equal(created.status, 201);
    const answer = await api('POST', `/uploads/${encodeURIComponent(created.body.uploadId)}/parts`, { key: `${BOB.space}victim.bin`, parts: [{ partNumber: 1, md5: md5(new Uint8Array(10)) }] }, BOB.token);
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, 'upload_not_found');
  });

  it('checks form uploads: a valid POST policy passes; a larger file, a traversing key, an uncovered field, a tampered or expired policy do not', async () => {
    const client = createS3Client(stack.s3);
    const signer = new SignatureV4({ credentials: client.config.credentials, region: 'us-east-1', service: 's3', sha256: client.config.sha256 });
    const now = new Date();
    const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const credential = `${stack.s3.accessKeyId}/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
    async function post(key: string, file: Uint8Array<ArrayBuffer>, options: { expiresInMs?: number; extra?: Record<string, string>; tamper?: boolean } = {}) {
      const policy = Buffer.from(JSON.stringify({
        expiration: new Date(now.getTime() + (options.expiresInMs ?? 600_000)).toISOString(),
        conditions: [{ bucket: stack.s3.bucket }, ['starts-with', '$key', `${ALICE.space}guard/`], ['content-length-range', 0, 100],
          { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': credential }, { 'x-amz-date': amzDate }],
      })).toString('base64');
      const signature = await signer.sign(policy, { signingDate: now });
      const form = new FormData();
      const fields: Record<string, string> = {
        key, 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': credential, 'X-Amz-Date': amzDate,
        Policy: options.tamper ? Buffer.from(Buffer.from(policy, 'base64').toString().replace('"content-length-range",0,100', '"content-length-range",0,100000000')).toString('base64') : policy,
        'X-Amz-Signature': signature, ...options.extra,
      };
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', new Blob([file]));
      return (await fetch(bucketUrl(), { method: 'POST', body: form })).status;
    }
    const before = await snapshot(dir);
    const small = new Uint8Array(100).fill(1);
    assert.equal(await post(`${ALICE.space}guard/../../../../pwned-file.txt`, small), 403, 'a key with .. segments that meets starts-with');
    assert.equal(await post(`${ALICE.space}guard/large.bin`, new Uint8Array(101)), 403, 'one byte past content-length-range');
    assert.equal(await post(`${ALICE.space}guard/meta.bin`, small, { extra: { 'x-amz-meta-evil': '1' } }), 403, 'a field no condition covers');
    assert.equal(await post(`${ALICE.space}guard/tampered.bin`, small, { tamper: true }), 403, 'a policy changed after signing');
    assert.equal(await post(`${ALICE.space}guard/expired.bin`, small, { expiresInMs: -1000 }), 403, 'an expired policy');
    assert.equal(await post(`${BOB.space}guard/elsewhere.bin`, small), 403, 'a key outside the starts-with prefix');
    assert.deepEqual(await snapshot(dir), before);
    assert.equal(existsSync(join(process.cwd(), 'pwned-file.txt')), false);
    assert.ok([200, 201, 204].includes(await post(`${ALICE.space}guard/form.bin`, small)), 'the valid form passes');
    client.destroy();
  });

  it('a page of another origin cannot PUT even with a valid URL; the allowed origin can', async () => {
    const before = await snapshot(dir);
    const bytes = new TextEncoder().encode('from another origin');
    const signed = await signObject(`${ALICE.space}guard/cross-origin.txt`, bytes);
    const page = await browser.newPage();
    const attempt = (origin: string) => page.goto(origin).then(() => page.evaluate(async ({ url, headers, text }) => {
      try {
        const response = await fetch(url, { method: 'PUT', headers, body: text });
        return `status ${response.status}`;
      } catch (error) {
        return `blocked: ${(error as Error).name}`;
      }
    }, { url: signed.url, headers: signed.headers, text: 'from another origin' }));
    assert.equal(await attempt(await blankOrigin()), 'blocked: TypeError');
    assert.deepEqual(await snapshot(dir), before);
    assert.equal(await attempt(allowedOrigin), 'status 200');
    await page.close();
    assert.ok(bytes.length > 0);
  });
});
