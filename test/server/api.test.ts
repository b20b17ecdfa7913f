/**
 * The reference server over HTTP, in front of a real Ceph RGW: authentication, confinement to the user's space, key
 * validation, part-number bounds, signing bound to Content-MD5, and the multipart flow with its failure answers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack.ts';
import { readStoredObject } from '../support/stored-object.ts';
import { ALICE, BOB, TEST_TOKENS } from '../support/test-users.ts';

const MiB = 1024 * 1024;
let stack: LocalStack;

interface Answer { status: number; body: any; headers: Headers }

async function api(method: string, path: string, body?: unknown, token: string | null = ALICE.token, raw?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${stack.serverUrl}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}

function expectError(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code);
  assert.equal(typeof answer.body.error.message, 'string');
}

let counter = 0;
const freshKey = (name = 'file.bin') => `${ALICE.space}server-test/${Date.now()}-${counter++}/${name}`;

async function createUpload(key: string, size: number, token: string = ALICE.token) {
  const answer = await api('POST', '/uploads', { key, size, partSize: 5 * MiB, category: 'miniseed' }, token);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body as { uploadId: string; partSize: number; partCount: number };
}

async function putPart(uploadId: string, key: string, partNumber: number, bytes: Uint8Array) {
  const signed = await api('POST', `/uploads/${encodeURIComponent(uploadId)}/parts`, { key, parts: [{ partNumber, md5: md5(bytes) }] });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  const { url, headers } = signed.body.urls[0];
  const response = await fetch(url, { method: 'PUT', headers, body: Buffer.from(bytes) });
  assert.equal(response.status, 200, await response.text());
  return { partNumber, etag: response.headers.get('etag')! };
}

before(async () => {
  stack = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS });
});

after(async () => {
  await stack?.stop();
});

describe('authentication', () => {
  it('answers /health without a token', async () => {
    assert.equal((await api('GET', '/health', undefined, null)).status, 200);
  });

  it('answers 401 to a missing, wrong or malformed token', async () => {
    expectError(await api('POST', '/uploads', { key: freshKey(), size: 1 }, null), 401, 'unauthorized');
    expectError(await api('POST', '/uploads', { key: freshKey(), size: 1 }, 'wrong-token-123456'), 401, 'unauthorized');
    const basic = await fetch(`${stack.serverUrl}/uploads`, { headers: { authorization: 'Basic YWxpY2U6eA==' } });
    assert.equal(basic.status, 401);
    expectError(await api('GET', '/uploads', undefined, 'wrong-token-123456'), 401, 'unauthorized');
  });
});

describe("confinement to the user's space", () => {
  it("answers 403 to a key in another user's space, for every operation", async () => {
    const bobKey = `${BOB.space}x.bin`;
    expectError(await api('POST', '/uploads', { key: bobKey, size: 1 }), 403, 'forbidden_key');
    expectError(await api('POST', '/uploads/some-id/parts', { key: bobKey, parts: [{ partNumber: 1, md5: md5(new Uint8Array()) }] }), 403, 'forbidden_key');
    expectError(await api('GET', `/uploads/some-id/parts?key=${encodeURIComponent(bobKey)}`), 403, 'forbidden_key');
    expectError(await api('POST', '/uploads/some-id/complete', { key: bobKey, size: 0, sha256: 'a'.repeat(64), parts: [{ partNumber: 1, etag: '"abc"' }] }), 403, 'forbidden_key');
    expectError(await api('DELETE', `/uploads/some-id?key=${encodeURIComponent(bobKey)}`), 403, 'forbidden_key');
    expectError(await api('GET', `/uploads?prefix=${encodeURIComponent(BOB.space)}`), 403, 'forbidden_key');
    expectError(await api('POST', '/uploads', { key: 'x.bin', size: 1 }), 403, 'forbidden_key');
  });

  it("does not let Bob abort or complete Alice's upload", async () => {
    const key = freshKey();
    const { uploadId } = await createUpload(key, 10);
    expectError(await api('DELETE', `/uploads/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`, undefined, BOB.token), 403, 'forbidden_key');
    const listed = await api('GET', `/uploads/${encodeURIComponent(uploadId)}/parts?key=${encodeURIComponent(key)}`);
    assert.equal(listed.status, 200);
    await api('DELETE', `/uploads/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`);
  });
});

describe('key validation', () => {
  const bad: [string, string][] = [
    ['a .. segment', `${ALICE.space}a/../b.bin`],
    ['a leading slash', `/${ALICE.space}b.bin`],
    ['a control character', `${ALICE.space}b\u0007.bin`],
    ['a newline', `${ALICE.space}b\n.bin`],
    ['a backslash', `${ALICE.space}a\\b.bin`],
    ['a trailing slash', `${ALICE.space}dir/`],
    ['an empty segment', `${ALICE.space}a//b.bin`],
    ['more than 1024 bytes', `${ALICE.space}${'x'.repeat(1025 - ALICE.space.length)}`],
  ];
  for (const [what, key] of bad) {
    it(`answers 400 invalid_key to a key with ${what}`, async () => {
      expectError(await api('POST', '/uploads', { key, size: 1 }), 400, 'invalid_key');
    });
  }

  it('accepts a key of exactly 1024 bytes with spaces and non-ASCII characters', async () => {
    const key = `${ALICE.space}données ü ${'x'.repeat(1024 - ALICE.space.length - 'données ü '.length - 2)}`;
    assert.equal(Buffer.byteLength(key), 1024);
    const { uploadId } = await createUpload(key, 1);
    await api('DELETE', `/uploads/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`);
  });
});

describe('request validation', () => {
  it('answers 400 to part numbers 0 and 10,001 and accepts 1 and 10,000', async () => {
    const key = freshKey();
    const { uploadId } = await createUpload(key, 10_000 * 5 * MiB);
    const sign = (partNumber: number) => api('POST', `/uploads/${encodeURIComponent(uploadId)}/parts`, { key, parts: [{ partNumber, md5: md5(new Uint8Array(1)) }] });
    const zero = await sign(0);
    expectError(zero, 400, 'invalid_request');
    assert.match(zero.body.error.message, /partNumber must be >= 1/);
    const over = await sign(10_001);
    expectError(over, 400, 'invalid_request');
    assert.match(over.body.error.message, /partNumber must be <= 10000/);
    assert.equal((await sign(1)).status, 200);
    assert.equal((await sign(10_000)).status, 200);
    const small = await createUpload(freshKey(), 10);
    const past = await api('POST', `/uploads/${encodeURIComponent(small.uploadId)}/parts`, { key: `${key.slice(0, -8)}x`, parts: [{ partNumber: 2, md5: md5(new Uint8Array(1)) }] });
    expectError(past, 404, 'upload_not_found');
    await api('DELETE', `/uploads/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`);
  });

  it('answers 400 to a body that is not JSON, a missing field, a bad MD5 or a repeated part number', async () => {
    expectError(await api('POST', '/uploads', undefined, ALICE.token, '{not json'), 400, 'invalid_request');
    expectError(await api('POST', '/uploads', { key: freshKey() }), 400, 'invalid_request');
    expectError(await api('POST', '/uploads/x/parts', { key: freshKey(), parts: [{ partNumber: 1, md5: 'abc' }] }), 400, 'invalid_request');
    const m = md5(new Uint8Array(1));
    expectError(await api('POST', '/uploads/x/parts', { key: freshKey(), parts: [{ partNumber: 1, md5: m }, { partNumber: 1, md5: m }] }), 400, 'invalid_request');
  });

  it('answers 400 invalid_part_plan to a part size below 5 MiB or a size S3 cannot store', async () => {
    expectError(await api('POST', '/uploads', { key: freshKey(), size: 10 * MiB, partSize: MiB }), 400, 'invalid_part_plan');
    expectError(await api('POST', '/uploads', { key: freshKey(), size: 6 * 1024 ** 4 }), 400, 'invalid_part_plan');
    expectError(await api('POST', '/uploads', { key: freshKey(), size: 100 * 1024 ** 3, partSize: 5 * MiB }), 400, 'invalid_part_plan');
  });

  it('picks a part size under the limits when the client names none', async () => {
    const key = freshKey();
    const answer = await api('POST', '/uploads', { key, size: 200 * 1024 ** 3 });
    assert.equal(answer.status, 201);
    assert.ok(answer.body.partCount <= 10_000);
    assert.ok(answer.body.partSize >= 5 * MiB);
    await api('DELETE', `/uploads/${encodeURIComponent(answer.body.uploadId)}?key=${encodeURIComponent(key)}`);
  });

  it('answers CORS preflights for the Authorization header', async () => {
    const response = await fetch(`${stack.serverUrl}/uploads`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(response.status, 204);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/i);
  });
});

describe('the multipart flow on Ceph RGW', () => {
  it('creates, signs, lists, completes, and reads back the final ETag', async () => {
    const key = freshKey('two parts ü.bin');
    const data = new Uint8Array(5 * MiB + 1000).map((_, i) => (i * 7) & 0xff);
    const { uploadId, partCount } = await createUpload(key, data.length);
    assert.equal(partCount, 2);
    const parts = [await putPart(uploadId, key, 1, data.subarray(0, 5 * MiB)), await putPart(uploadId, key, 2, data.subarray(5 * MiB))];
    const listed = await api('GET', `/uploads/${encodeURIComponent(uploadId)}/parts?key=${encodeURIComponent(key)}`);
    assert.deepEqual(listed.body.parts.map((p: { partNumber: number; size: number }) => [p.partNumber, p.size]), [[1, 5 * MiB], [2, 1000]]);
    const open = await api('GET', `/uploads?prefix=${encodeURIComponent(key)}`);
    assert.deepEqual(open.body.uploads.map((u: { uploadId: string }) => u.uploadId), [uploadId]);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const done = await api('POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, { key, size: data.length, sha256, parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const stored = await readStoredObject(stack.s3, key, 5 * MiB);
    assert.deepEqual(done.body, { key, size: data.length, etag: stored.multipartEtag, sha256, category: 'miniseed', status: 'VALIDATING' });
    assert.equal(stored.sha256, sha256);
  });

  it('binds Content-MD5 into the signature, and the storage checks the bytes against it', async () => {
    const key = freshKey();
    const bytes = new Uint8Array(1000).fill(1);
    const { uploadId } = await createUpload(key, bytes.length);
    const signed = await api('POST', `/uploads/${encodeURIComponent(uploadId)}/parts`, { key, parts: [{ partNumber: 1, md5: md5(bytes) }] });
    const { url, headers } = signed.body.urls[0];
    assert.equal((await fetch(url, { method: 'PUT', body: bytes })).status, 403, 'without the signed Content-MD5');
    assert.equal((await fetch(url, { method: 'PUT', headers: { 'Content-MD5': md5(new Uint8Array(1)) }, body: bytes })).status, 403, 'with another MD5');
    const corrupted = await fetch(url, { method: 'PUT', headers, body: new Uint8Array(1000).fill(2) });
    assert.equal(corrupted.status, 400);
    assert.match(await corrupted.text(), /BadDigest/);
    await api('DELETE', `/uploads/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`);
  });

  it('answers 400 invalid_parts to a complete with a wrong or missing ETag, and keeps the upload usable', async () => {
    const key = freshKey();
    const bytes = new Uint8Array(100).fill(3);
    const { uploadId } = await createUpload(key, bytes.length);
    const part = await putPart(uploadId, key, 1, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = `/uploads/${encodeURIComponent(uploadId)}/complete`;
    expectError(await api('POST', path, { key, size: 100, sha256, parts: [{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }] }), 400, 'invalid_parts');
    expectError(await api('POST', path, { key, size: 100, sha256, parts: [part, { partNumber: 2, etag: part.etag }] }), 400, 'invalid_parts');
    expectError(await api('POST', path, { key, size: 100, sha256, parts: [part, part] }), 400, 'invalid_parts');
    assert.equal((await readStoredObject(stack.s3, key, 5 * MiB)).exists, false);
    const done = await api('POST', path, { key, size: 100, sha256, parts: [part] });
    assert.equal(done.body.status, 'VALIDATING');
  });

  it('answers 404 upload_not_found to a forged upload id', async () => {
    const key = freshKey();
    const forged = '2~forgedUploadIdThatNeverExisted';
    expectError(await api('POST', `/uploads/${forged}/complete`, { key, size: 1, sha256: 'a'.repeat(64), parts: [{ partNumber: 1, etag: '"abc"' }] }), 404, 'upload_not_found');
    expectError(await api('GET', `/uploads/${forged}/parts?key=${encodeURIComponent(key)}`), 404, 'upload_not_found');
    expectError(await api('DELETE', `/uploads/${forged}?key=${encodeURIComponent(key)}`), 404, 'upload_not_found');
  });

  it('aborts an upload: its parts are gone and it can no longer be completed', async () => {
    const key = freshKey();
    const { uploadId } = await createUpload(key, 10);
    const part = await putPart(uploadId, key, 1, new Uint8Array(10));
    const aborted = await api('DELETE', `/uploads/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`);
    assert.equal(aborted.status, 204);
    expectError(await api('GET', `/uploads/${encodeURIComponent(uploadId)}/parts?key=${encodeURIComponent(key)}`), 404, 'upload_not_found');
    expectError(await api('POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, { key, size: 10, sha256: 'a'.repeat(64), parts: [part] }), 404, 'upload_not_found');
  });

  it('answers 400 size_mismatch when the complete names another size than the one declared at create', async () => {
    const key = freshKey();
    const bytes = new Uint8Array(50);
    const { uploadId } = await createUpload(key, bytes.length);
    const part = await putPart(uploadId, key, 1, bytes);
    const done = await api('POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, { key, size: 51, sha256: 'b'.repeat(64), parts: [part] });
    expectError(done, 400, 'size_mismatch');
    assert.match(done.body.error.message, /created for 50 bytes, but the complete call says 51/);
    assert.equal((await readStoredObject(stack.s3, key, 5 * MiB)).exists, false);
  });
});

describe('single PUTs of small objects', () => {
  it('signs several objects in one call, binds MD5, type and metadata, and confirms them in one call', async () => {
    const objects = [0, 1, 2].map((n) => ({ key: freshKey(`small ${n} ü.txt`), bytes: new Uint8Array(1000 + n).fill(n + 1) }));
    const signed = await api('POST', '/objects/sign', {
      objects: objects.map((o) => ({ key: o.key, size: o.bytes.length, md5: md5(o.bytes), contentType: 'text/plain', category: 'notes' })),
    });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    assert.deepEqual(signed.body.urls.map((u: { key: string }) => u.key), objects.map((o) => o.key));
    const first = signed.body.urls[0];
    assert.equal((await fetch(first.url, { method: 'PUT', headers: { 'Content-MD5': first.headers['Content-MD5'], 'Content-Type': 'text/plain' }, body: Buffer.from(objects[0]!.bytes) })).status, 403, 'metadata headers are signed');
    for (const [i, o] of objects.entries()) {
      const response = await fetch(signed.body.urls[i].url, { method: 'PUT', headers: signed.body.urls[i].headers, body: Buffer.from(o.bytes) });
      assert.equal(response.status, 200, await response.text());
    }
    const confirm = await api('POST', '/objects/confirm', {
      objects: [...objects.map((o) => ({ key: o.key, size: o.bytes.length, sha256: createHash('sha256').update(o.bytes).digest('hex') })),
        { key: freshKey('never-sent.txt'), size: 5, sha256: 'c'.repeat(64) }],
    });
    assert.equal(confirm.status, 200);
    const [a, , , missing] = confirm.body.objects;
    assert.equal(a.status, 'VALIDATING');
    assert.equal(a.category, 'notes');
    assert.equal(a.etag, `"${createHash('md5').update(objects[0]!.bytes).digest('hex')}"`);
    assert.equal(missing.status, 'FAILED');
    assert.match(missing.message, /no object/);
    const stored = await readStoredObject(stack.s3, objects[1]!.key, 5 * MiB);
    assert.equal(stored.contentType, 'text/plain');
    const { 'dropoff-token': token, ...metadata } = stored.metadata;
    assert.deepEqual(metadata, { 'dropoff-user': 'alice', 'dropoff-category': 'notes' });
    assert.match(token ?? '', /^[A-Za-z0-9_-]{22}$/, 'a random upload token ties the object to its submission');
  });

  it('signs form POSTs answered by an empty 204, and the confirm compares the stored ETag with the MD5 sent', async () => {
    const good = { key: freshKey('form good.bin'), bytes: new Uint8Array(3000).fill(7) };
    const changed = { key: freshKey('form changed.bin'), bytes: new Uint8Array(3000).fill(8) };
    const signed = await api('POST', '/objects/sign', {
      objects: [good, changed].map((o) => ({ key: o.key, size: o.bytes.length, md5: md5(o.bytes), contentType: 'application/octet-stream', category: 'notes', form: true })),
    });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    for (const [i, o] of [good, changed].entries()) {
      const { url, fields } = signed.body.urls[i];
      assert.equal(fields.success_action_status, '204');
      const form = new FormData();
      for (const [name, value] of Object.entries(fields as Record<string, string>)) form.append(name, value);
      // The second object's bytes change on the way, as a broken proxy might: same size, other bytes.
      form.append('file', new Blob([o === changed ? new Uint8Array(3000).fill(9) : o.bytes]));
      const answer = await fetch(url, { method: 'POST', body: form });
      assert.equal(answer.status, 204, await answer.text());
      assert.equal(answer.headers.get('etag'), null, "Ceph's 204 answer names no ETag: the confirm is where the MD5 is checked");
    }
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const confirm = await api('POST', '/objects/confirm', {
      objects: [good, changed].map((o) => ({ key: o.key, size: o.bytes.length, sha256: sha(o.bytes), md5: md5(o.bytes) })),
    });
    assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
    const [accepted, refused] = confirm.body.objects;
    assert.equal(accepted.status, 'VALIDATING');
    assert.equal(accepted.reason, undefined);
    assert.equal(refused.status, 'FAILED');
    assert.equal(refused.reason, 'digest_mismatch');
    assert.match(refused.message, /other bytes than the client hashed/);
  });

  it("refuses to sign another user's key or an object over 5 GiB", async () => {
    const m = md5(new Uint8Array());
    expectError(await api('POST', '/objects/sign', { objects: [{ key: `${BOB.space}x`, size: 0, md5: m }] }), 403, 'forbidden_key');
    expectError(await api('POST', '/objects/sign', { objects: [{ key: freshKey(), size: 6 * 1024 ** 3, md5: m }] }), 400, 'invalid_request');
    expectError(await api('POST', '/objects/confirm', { objects: [{ key: `${BOB.space}x`, size: 0, sha256: 'a'.repeat(64) }] }), 403, 'forbidden_key');
  });
});

describe('streams of unknown length', () => {
  it('creates an upload without a size when a part size is given, and refuses one with neither', async () => {
    const key = freshKey();
    const created = await api('POST', '/uploads', { key, partSize: 8 * MiB });
    assert.equal(created.status, 201);
    assert.equal(created.body.partCount, null);
    await api('DELETE', `/uploads/${encodeURIComponent(created.body.uploadId)}?key=${encodeURIComponent(key)}`);
    expectError(await api('POST', '/uploads', { key: freshKey() }), 400, 'invalid_request');
  });
});

describe('one upload per key', () => {
  it('answers 409 upload_in_progress to a second upload of a key, and takes over when asked', async () => {
    const key = freshKey();
    const first = await createUpload(key, 10);
    const second = await api('POST', '/uploads', { key, size: 10, partSize: 5 * MiB });
    expectError(second, 409, 'upload_in_progress');
    assert.match(second.body.error.message, new RegExp(first.uploadId.replace(/[^A-Za-z0-9]/g, '.')));
    assert.match(second.body.error.message, /takeOver/);
    const takeOver = await api('POST', '/uploads', { key, size: 10, partSize: 5 * MiB, takeOver: true });
    assert.equal(takeOver.status, 201);
    expectError(await api('GET', `/uploads/${encodeURIComponent(first.uploadId)}/parts?key=${encodeURIComponent(key)}`), 404, 'upload_not_found');
    const part = await putPart(takeOver.body.uploadId, key, 1, new Uint8Array(10));
    const done = await api('POST', `/uploads/${encodeURIComponent(takeOver.body.uploadId)}/complete`, { key, size: 10, sha256: 'd'.repeat(64), parts: [part] });
    assert.equal(done.body.status, 'VALIDATING');
    assert.equal((await createUpload(key, 10)).partCount, 1, 'a completed upload does not block the next');
  });
});
