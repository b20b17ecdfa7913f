/**
 * Faults on purpose, end to end: the engine in Chromium uploads through fault-injecting proxies in front of Ceph RGW
 * and in front of the reference server. Every upload ends with the right bytes stored, or, where the fault is
 * permanent, with a clear error and nothing stored.
 */
import { expect } from '@open-wc/testing';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { UploadError } from '../../src/engine/upload-error.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { ALICE } from '../support/test-users.ts';
import { faultLog, fileOf, injectFaults, readObject, sha256Of, stacks, uniquePrefix, type FaultRule } from '../support/browser-helpers.ts';

const MiB = 1024 * 1024;
const PART_PUT = 'partNumber=';
const SINGLE_PUT = '^/dropoff/[^?]+\\?X-Amz-Algorithm';

async function uploadThroughFaults(storage: FaultRule[], server: FaultRule[], size = 12 * MiB, label = 'fault') {
  await injectFaults('storage', storage);
  await injectFaults('server', server);
  const serverUrl = (await stacks()).faulty.serverUrl;
  const logs: string[] = [];
  const engine = new UploadEngine({
    api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: null, partSize: 5 * MiB, partConcurrency: 2, maxRetries: 4,
    log: (line) => logs.push(line),
  });
  const file = fileOf(`${label}.bin`, size, size % 251);
  const key = `${uniquePrefix(ALICE.space, label)}${label}.bin`;
  const outcome = await engine.putObject(file, key).then((detail) => ({ detail, error: undefined }), (error: UploadError) => ({ detail: undefined, error }));
  engine.dispose();
  return { ...outcome, file, key, logs, storageLog: await faultLog('storage'), serverLog: await faultLog('server') };
}

async function expectStored(key: string, file: File, sha256: string | undefined): Promise<void> {
  const expected = await sha256Of(file);
  expect(sha256).to.equal(expected);
  const stored = await readObject('ceph', key, 5 * MiB);
  expect(stored.size).to.equal(file.size);
  expect(stored.sha256).to.equal(expected);
}

describe('faults between the browser and the storage', () => {
  after(async () => {
    await injectFaults('storage', []);
    await injectFaults('server', []);
  });

  const transient: [string, FaultRule[]][] = [
    ['503 SlowDown on two part PUTs', [{ method: 'PUT', path: PART_PUT, action: 'status', status: 503, times: 2 }]],
    ['500 on one part PUT', [{ method: 'PUT', path: PART_PUT, action: 'status', status: 500, times: 1 }]],
    ['a connection dropped in the middle of two part bodies', [{ method: 'PUT', path: PART_PUT, action: 'drop', times: 2 }]],
    ['403 "Request has expired" on one part PUT', [{ method: 'PUT', path: PART_PUT, action: 'expire', times: 1 }]],
    ['a 1.5 s delay on every part PUT', [{ method: 'PUT', path: PART_PUT, action: 'delay', delayMs: 1500, times: -1 }]],
  ];
  for (const [what, rules] of transient) {
    it(`survives ${what}`, async () => {
      const result = await uploadThroughFaults(rules, [], 12 * MiB, 'storage-fault');
      expect(result.error?.message ?? '').to.equal('');
      expect(Object.values(result.storageLog.faults).reduce((a, b) => a + b, 0)).to.be.above(0);
      await expectStored(result.key, result.file, result.detail?.sha256);
    });
  }

  it('survives a dropped connection on a small file sent by one PUT (over formMaxBytes)', async () => {
    const result = await uploadThroughFaults([{ method: 'PUT', path: SINGLE_PUT, action: 'drop', times: 1 }], [], 3 * MiB, 'small-drop');
    expect(result.storageLog.faults.drop).to.equal(1);
    await expectStored(result.key, result.file, result.detail?.sha256);
  });

  it('survives a dropped connection on a small file sent by one form POST', async () => {
    const result = await uploadThroughFaults([{ method: 'POST', path: '^/dropoff/?$', action: 'drop', times: 1 }], [], 300_000, 'small-post-drop');
    expect(result.storageLog.faults.drop).to.equal(1);
    expect(result.storageLog.forwarded.PUT ?? 0).to.equal(0);
    await expectStored(result.key, result.file, result.detail?.sha256);
  });

  it('survives a 503 on a small file sent by one form POST', async () => {
    const result = await uploadThroughFaults([{ method: 'POST', path: '^/dropoff/?$', action: 'status', status: 503, times: 1 }], [], 200_000, 'small-post-503');
    expect(result.storageLog.faults.status).to.equal(1);
    await expectStored(result.key, result.file, result.detail?.sha256);
  });

  it('fails with a clear error, and stores nothing, when the storage keeps answering 500', async () => {
    const result = await uploadThroughFaults([{ method: 'PUT', path: PART_PUT, action: 'status', status: 500, times: -1 }], [], 12 * MiB, 'storage-down');
    const error = result.error!;
    expect(error).to.be.instanceOf(UploadError);
    expect(error.code).to.equal('storage_unavailable');
    expect(error.message).to.contain('500 InternalError');
    expect((await readObject('ceph', result.key, 5 * MiB)).exists).to.equal(false);
  });

  it("fails loudly, naming CORS ExposeHeaders, when the storage's ETag cannot be read", async () => {
    const result = await uploadThroughFaults([{ method: 'PUT', path: PART_PUT, action: 'hide-etag', times: -1 }], [], 12 * MiB, 'hidden-etag');
    const error = result.error!;
    expect(error.code).to.equal('etag_unreadable');
    expect(error.message).to.contain('ExposeHeaders');
    expect((await readObject('ceph', result.key, 5 * MiB)).exists).to.equal(false);
  });

  it('fails with the storage message when every signature is refused', async () => {
    const result = await uploadThroughFaults([{ method: 'PUT', path: PART_PUT, action: 'expire', times: -1 }], [], 12 * MiB, 'always-expired');
    const error = result.error!;
    expect(error).to.be.instanceOf(UploadError);
    expect(error.code).to.equal('storage_rejected');
    expect(error.message).to.contain('Request has expired');
  });
});

describe('faults between the browser and the reference server', () => {
  after(async () => {
    await injectFaults('storage', []);
    await injectFaults('server', []);
  });

  const transient: [string, FaultRule[]][] = [
    ['503 on creating the upload', [{ method: 'POST', path: '^/uploads$', action: 'status', status: 503, times: 2 }]],
    ['a dropped connection on creating the upload', [{ method: 'POST', path: '^/uploads$', action: 'drop', times: 1 }]],
    ['503 on signing parts', [{ method: 'POST', path: '/parts$', action: 'status', status: 503, times: 2 }]],
    ['502 on completing', [{ method: 'POST', path: '/complete$', action: 'status', status: 502, times: 1 }]],
    ['a slow server (1 s on every call)', [{ path: '^/uploads', action: 'delay', delayMs: 1000, times: -1 }]],
  ];
  for (const [what, rules] of transient) {
    it(`survives ${what}`, async () => {
      const result = await uploadThroughFaults([], rules, 12 * MiB, 'server-fault');
      expect(result.error?.message ?? '').to.equal('');
      expect(Object.values(result.serverLog.faults).reduce((a, b) => a + b, 0)).to.be.above(0);
      await expectStored(result.key, result.file, result.detail?.sha256);
    });
  }

  it('fails with the server message when the server refuses for good (400)', async () => {
    const result = await uploadThroughFaults([], [{ method: 'POST', path: '^/uploads$', action: 'status', status: 400, times: -1 }], 12 * MiB, 'server-refuses');
    const error = result.error!;
    expect(error).to.be.instanceOf(UploadError);
    expect(error.code).to.equal('server');
    expect(error.message).to.contain('Injected 400');
    expect(result.serverLog.faults.status).to.equal(1);
  });
});
