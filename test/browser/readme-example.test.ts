/**
 * The README's engine example, run as written against the reference server on Ceph RGW. The code between the markers
 * must stay identical to the README's block (checked below), so the documentation cannot drift from what works.
 */
import { expect } from '@open-wc/testing';
import { DropoffApi, UploadEngine } from '../../src/index.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, readObject, readSource, sha256Of, stacks } from '../support/browser-helpers.ts';

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`markers ${start} / ${end} not found`);
  return text.slice(from + start.length, to).trim();
}

describe('the README engine example', () => {
  it('runs as written and stores the files', async () => {
    const endpoint = (await stacks()).ceph.serverUrl;
    const token = ALICE.token;
    const file = fileOf('ANMO.mseed', 9 * 1024 * 1024, 31);
    const files = [fileOf('a.mseed', 1000, 32), fileOf('b.mseed', 2000, 33)];
    const logged: unknown[] = [];
    const console = { log: (...args: unknown[]) => logged.push(args) };

    // README example start
    const engine = new UploadEngine({ api: new DropoffApi({ endpoint, token }), partConcurrency: 6, objectConcurrency: 3 });
    engine.on('progress', (e) => console.log(e.detail.key, e.detail.bytesDone, e.detail.totalBytes));

    // One object: a File or Blob, an ArrayBuffer or typed array, or a stream of unknown length.
    const stored = await engine.putObject(file, 'alice/2025/303/ANMO.mseed', { category: 'miniseed' });
    console.log(stored.key, stored.size, stored.sha256, stored.etag);

    // Many objects, taken lazily from any iterable or async iterable.
    const { completed, failed } = await engine.putObjects(
      files.map((f) => ({ body: f, key: `alice/2025/303/${f.name}` })), { category: 'miniseed' });
    console.log(completed.length, 'stored,', failed.length, 'failed');
    // README example end

    expect(stored.sha256).to.equal(await sha256Of(file));
    expect((await readObject('ceph', 'alice/2025/303/ANMO.mseed', 8 * 1024 * 1024)).sha256).to.equal(stored.sha256);
    expect(completed.map((c) => c.key).sort()).to.deep.equal(['alice/2025/303/a.mseed', 'alice/2025/303/b.mseed']);
    expect(failed).to.deep.equal([]);
    expect(logged.length).to.be.above(2);
    expect(ALICE.space).to.equal('alice/');

    const readme = await readSource('README.md');
    const source = await readSource('test/browser/readme-example.test.ts');
    const fromTest = between(source, '// README example start', '// README example end').replace(/^ {4}/gm, '');
    const fromReadme = between(readme, '<!-- engine example start -->\n```ts', '```\n<!-- engine example end -->');
    expect(fromReadme).to.equal(fromTest);
  });
});
