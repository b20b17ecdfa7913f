/**
 * The hash worker in Chromium: MD5 per part as Content-MD5 wants it, and a SHA-256 fed part by part that equals the
 * digest of the whole file.
 */
import { expect } from '@open-wc/testing';
import { HashWorkerClient } from '../../src/worker/hash-client.ts';
import { fileOf, sha256Of } from '../support/browser-helpers.ts';

describe('HashWorkerClient', () => {
  const client = new HashWorkerClient();
  after(() => client.terminate());

  it('gives the base64 MD5 of a part', async () => {
    const digest = await client.hashPart('s1', new Blob(['abc']), false);
    expect(digest).to.deep.equal({ md5: 'kAFQmDzST7DWlj99KOF/cg==', bytes: 3 });
  });

  it('gives the SHA-256 of a whole file fed in parts, matching Web Crypto', async () => {
    const file = fileOf('f', 3 * 1024 * 1024 + 5, 3);
    const partSize = 1024 * 1024;
    for (let start = 0; start < file.size; start += partSize) await client.hashPart('s2', file.slice(start, start + partSize), true);
    expect(await client.finish('s2')).to.equal(await sha256Of(file));
  });

  it('keeps sessions apart when their parts interleave', async () => {
    const a = fileOf('a', 2000, 1);
    const b = fileOf('b', 3000, 2);
    await Promise.all([
      client.hashPart('A', a.slice(0, 1000), true), client.hashPart('B', b.slice(0, 1500), true),
      client.hashPart('A', a.slice(1000), true), client.hashPart('B', b.slice(1500), true),
    ]);
    expect(await client.finish('A')).to.equal(await sha256Of(a));
    expect(await client.finish('B')).to.equal(await sha256Of(b));
  });

  it('gives the SHA-256 of nothing for an empty session', async () => {
    await client.hashPart('empty', new Blob([]), true);
    expect(await client.finish('empty')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
