/**
 * The hash pool in Chromium: MD5 per part as Content-MD5 wants it, SHA-256s fed part by part that equal the digest of
 * the whole file, sessions kept apart, and a saved state that continues where it stopped.
 */
import { expect } from '@open-wc/testing';
import { HashPool } from '../../src/worker/hash-pool.ts';
import { SameOriginWorker } from '../../src/worker/same-origin-worker.ts';
import { fileOf, sha256Of } from '../support/browser-helpers.ts';

describe('HashPool', () => {
  const pool = new HashPool({ size: 2 });
  after(() => pool.terminate());

  it('gives the base64 MD5 of a part', async () => {
    expect(await pool.md5(new Blob(['abc']))).to.deep.equal({ md5: 'kAFQmDzST7DWlj99KOF/cg==', bytes: 3 });
    expect((await pool.md5(new Blob([]))).md5).to.equal('1B2M2Y8AsgTpgAmY7PhCfg==');
  });

  it('hashes many parts at once and answers each with its own MD5', async () => {
    const parts = [1, 2, 3, 4, 5, 6].map((n) => fileOf(`p${n}`, 100_000 + n, n));
    const digests = await Promise.all(parts.map((p) => pool.md5(p)));
    const again = [];
    for (const p of parts) again.push(await pool.md5(p));
    expect(digests).to.deep.equal(again);
    expect(new Set(digests.map((d) => d.md5)).size).to.equal(6);
  });

  it('gives the SHA-256 of a whole file fed in parts, matching Web Crypto', async () => {
    const file = fileOf('f', 3 * 1024 * 1024 + 5, 3);
    const partSize = 1024 * 1024;
    for (let start = 0; start < file.size; start += partSize) void pool.sha256Update('s2', file.slice(start, start + partSize), false);
    expect(await pool.sha256Finish('s2')).to.equal(await sha256Of(file));
  });

  it('keeps sessions apart when their parts interleave', async () => {
    const a = fileOf('a', 2000, 1);
    const b = fileOf('b', 3000, 2);
    await Promise.all([
      pool.sha256Update('A', a.slice(0, 1000), false), pool.sha256Update('B', b.slice(0, 1500), false),
      pool.sha256Update('A', a.slice(1000), false), pool.sha256Update('B', b.slice(1500), false),
    ]);
    expect(await pool.sha256Finish('A')).to.equal(await sha256Of(a));
    expect(await pool.sha256Finish('B')).to.equal(await sha256Of(b));
  });

  it('continues a SHA-256 from a saved state in another pool (as after a reload)', async () => {
    const file = fileOf('resumed', 3000, 8);
    const state = await pool.sha256Update('first', file.slice(0, 1200), true);
    pool.discard('first');
    expect(state).to.be.instanceOf(Uint8Array);
    const other = new HashPool({ size: 1 });
    await other.sha256Restore('second', state!);
    await other.sha256Update('second', file.slice(1200), false);
    expect(await other.sha256Finish('second')).to.equal(await sha256Of(file));
    other.terminate();
  });

  for (const size of [1, 2]) {
    it(`hashes parts of a file with a pool of ${size}: each part's MD5 and the file's SHA-256`, async () => {
      const own = new HashPool({ size });
      const file = fileOf('parts', 2 * 1024 * 1024 + 3, 5);
      const parts = [file.slice(0, 1024 * 1024), file.slice(1024 * 1024, 2 * 1024 * 1024), file.slice(2 * 1024 * 1024)];
      const hashed = parts.map((p) => own.hashPart('file', p, false));
      const md5s = await Promise.all(hashed.map((h) => h.md5));
      await Promise.all(hashed.map((h) => h.sha256));
      expect(await own.sha256Finish('file')).to.equal(await sha256Of(file));
      for (const [i, p] of parts.entries()) expect(md5s[i]).to.deep.equal(await own.md5(p));
      own.terminate();
    });
  }

  it('warms up every worker once, before any file, and not after it was stopped', async () => {
    let started = 0;
    const createWorker = () => {
      started++;
      return new SameOriginWorker(new URL('../../src/worker/hash.worker.ts', import.meta.url), { type: 'module' });
    };
    const warm = new HashPool({ size: 2, createWorker });
    await Promise.all([warm.warmUp(), warm.warmUp()]);
    expect(started).to.equal(2);
    expect(await warm.md5(new Blob(['abc']))).to.deep.equal({ md5: 'kAFQmDzST7DWlj99KOF/cg==', bytes: 3 });
    expect(started).to.equal(2);
    warm.terminate();
    const stopped = new HashPool({ size: 2, createWorker });
    stopped.terminate();
    await stopped.warmUp();
    expect(started).to.equal(2);
  });

  it('gives the SHA-256 of nothing for an empty session', async () => {
    await pool.sha256Update('empty', new Blob([]), false);
    expect(await pool.sha256Finish('empty')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
