/**
 * Stages files on a reference server as a client would (POST /objects/sign, PUT to the storage, POST /objects/confirm)
 * and waits for what processing needs: tasks followed to their end.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

/** Calls the server's JSON API. */
export async function callApi(serverUrl: string, method: string, path: string, token: string | null, body?: unknown, raw?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${serverUrl}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Stores `files` under `prefix` with `category`; returns their keys. */
export async function stageFiles(serverUrl: string, token: string, prefix: string, files: readonly { name: string; bytes: Uint8Array }[], category = 'miniseed'): Promise<string[]> {
  const objects = files.map((f) => ({ key: `${prefix}${f.name}`, size: f.bytes.length, md5: createHash('md5').update(f.bytes).digest('base64'), category }));
  const signed = await callApi(serverUrl, 'POST', '/objects/sign', token, { objects });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  for (const [i, file] of files.entries()) {
    const { url, headers } = signed.body.urls[i];
    const put = await fetch(url, { method: 'PUT', headers, body: Buffer.from(file.bytes) });
    assert.equal(put.status, 200, await put.text());
  }
  const confirmed = await callApi(serverUrl, 'POST', '/objects/confirm', token, {
    objects: files.map((f, i) => ({ key: objects[i]!.key, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
  });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  return objects.map((o) => o.key);
}

/** Polls GET /tasks/{id} until the task succeeded or failed; returns it. */
export async function taskEnd(serverUrl: string, token: string, id: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await callApi(serverUrl, 'GET', `/tasks/${id}`, token).catch(() => undefined);
    if (answer?.status === 200 && (answer.body.status === 'succeeded' || answer.body.status === 'failed')) return answer.body;
    if (Date.now() > deadline) throw new Error(`task ${id} did not end within ${timeoutMs} ms: ${JSON.stringify(answer?.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
