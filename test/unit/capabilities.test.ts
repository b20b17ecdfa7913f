/**
 * A protocol with only the multipart core (create, sign parts, complete, abort) works: small objects then go as
 * one-part multipart uploads, and a resume trusts the parts recorded locally when the protocol cannot list parts.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UploadApi } from '../../src/protocol/upload-api.ts';
import { FileResumeStore } from '../../src/node/file-resume-store.ts';
import { NodeUploadEngine } from '../../src/node/node-upload-engine.ts';
import { ScriptedNetwork } from '../support/scripted-network.ts';

const MiB = 1024 * 1024;

/** The scripted server without the optional capabilities. */
function coreOnly(network: ScriptedNetwork): UploadApi {
  const { createUpload, signParts, completeUpload, abortUpload } = network.api;
  return { createUpload, signParts, completeUpload, abortUpload };
}

it('sends small objects as one-part multipart uploads when the protocol has no batched single objects', async () => {
  const network = new ScriptedNetwork();
  const engine = new NodeUploadEngine({ api: coreOnly(network), transport: network.transport, store: null, partSize: 5 * MiB, hashThreads: 1 });
  try {
    const bytes = randomBytes(1000);
    const stored = await engine.putObject(bytes, 'alice/small.bin');
    assert.equal(stored.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.ok(stored.uploadId, 'a multipart upload');
    assert.deepEqual(Buffer.from(await network.assembled(stored.uploadId)), bytes);
    assert.ok(!network.calls.includes('sign-objects') && !network.calls.includes('confirm-objects'));
    const empty = await engine.putObject(new Uint8Array(0), 'alice/empty.bin');
    assert.equal(empty.size, 0);
  } finally {
    engine.dispose();
  }
});

it('trusts the parts recorded locally when the protocol cannot list parts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dropoff-capabilities-'));
  const network = new ScriptedNetwork();
  const store = new FileResumeStore(dir);
  const logs: string[] = [];
  const options = { api: coreOnly(network), transport: network.transport, store, partSize: 5 * MiB, hashThreads: 1, partConcurrency: 1, objectConcurrency: 1, progressIntervalMs: 0, log: (line: string) => logs.push(line) };
  const bytes = randomBytes(16 * MiB);
  const blob = new Blob([bytes]);
  const first = new NodeUploadEngine(options);
  try {
    const paused = new Promise<void>((resolve) => first.on('progress', (event) => {
      if (event.detail.bytesDone >= 5 * MiB) { first.pause(); resolve(); }
    }));
    void first.putObject(blob, 'alice/resume.bin', { lastModified: 1 });
    await paused;
    await first.whenIdle();
  } finally {
    first.dispose();
  }
  const sent = network.putAttempts.size;
  const second = new NodeUploadEngine(options);
  try {
    const stored = await second.putObject(blob, 'alice/resume.bin', { lastModified: 1 });
    assert.deepEqual(Buffer.from(await network.assembled(stored.uploadId)), bytes);
    assert.ok(network.putAttempts.size - sent < 4, 'parts recorded before were not sent again');
    assert.ok(logs.some((line) => /cannot list parts/.test(line)), logs.join('\n'));
  } finally {
    second.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
