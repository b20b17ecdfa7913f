/**
 * <dropoff-uploader> itself: restrictions with reasons, folders, the overall summary, polite announcements, texts in
 * another language, the list of thousands summarised, and the row controls. Uploads go to the real server on Ceph RGW.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import type { TreeEntry } from '../../src/element/folder-reader.ts';
import { readTree } from '../../src/element/folder-tree.ts';
import { accepts } from '../../src/element/restrictions.ts';
import type { RejectedDetail } from '../../src/engine/upload-events.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, injectFaults, nextEvent, readObject, stacks, uniquePrefix } from '../support/browser-helpers.ts';

describe('<dropoff-uploader> restrictions', () => {
  it('refuses files by accept, max-file-size and max-files, lists them with the reason, and fires one event', async () => {
    const el = await fixture<DropoffUploader>(html`
      <dropoff-uploader endpoint="http://127.0.0.1:9" destination="alice/x/" accept=".mseed,text/*" max-file-size="1KiB" max-files="2" no-auto-start no-resume>
      </dropoff-uploader>`);
    const rejected = nextEvent<RejectedDetail>(el, 'dropoff-files-rejected');
    const added = el.addFiles([
      fileOf('a.mseed', 100), fileOf('photo.jpg', 100, 1, 'image/jpeg'), fileOf('big.mseed', 2048),
      fileOf('notes.txt', 10, 2, 'text/plain'), fileOf('c.mseed', 100),
    ]);
    expect(added.map((i) => i.key)).to.deep.equal(['alice/x/a.mseed', 'alice/x/notes.txt']);
    const { files } = await rejected;
    expect(files.map((f) => [f.name, f.reason])).to.deep.equal([
      ['photo.jpg', 'This type of file is not accepted here (accepted: .mseed,text/*).'],
      ['big.mseed', 'The file is larger than the 1.0 KiB allowed.'],
      ['c.mseed', 'At most 2 files may be added.'],
    ]);
    await el.updateComplete;
    const shown = el.shadowRoot!.querySelector('[part=rejected]')!.textContent!;
    expect(shown).to.contain('photo.jpg').and.to.contain('not accepted').and.to.contain('At most 2 files');
  });

  it('matches accept like <input accept>: extensions, MIME types and wildcards', () => {
    expect(accepts('', { name: 'x.bin', type: '' })).to.equal(true);
    expect(accepts('.MSEED', { name: 'a.mseed', type: '' })).to.equal(true);
    expect(accepts('image/*', { name: 'a.png', type: 'image/png' })).to.equal(true);
    expect(accepts('image/*,.xml', { name: 'a.txt', type: 'text/plain' })).to.equal(false);
    expect(accepts('text/plain', { name: 'a.txt', type: 'text/plain' })).to.equal(true);
  });
});

describe('<dropoff-uploader> folders', () => {
  it('walks a dropped folder, keeping paths relative to it, however many batches readEntries answers in', async () => {
    const file = (path: string): TreeEntry => ({
      isFile: true, isDirectory: false, name: path.split('/').pop()!, fullPath: `/${path}`,
      file: (ok) => ok(new File([path], path.split('/').pop()!)),
    });
    const folder = (path: string, children: TreeEntry[]): TreeEntry => ({
      isFile: false, isDirectory: true, name: path.split('/').pop()!, fullPath: `/${path}`,
      createReader: () => {
        const batches = [children.slice(0, 2), children.slice(2), []];
        return { readEntries: (ok) => ok(batches.shift() ?? []) };
      },
    });
    const tree = folder('2025', [file('2025/a.mseed'), folder('2025/303', [file('2025/303/b.mseed')]), file('2025/c.xml'), file('2025/d ü.txt')]);
    const found = await readTree(tree);
    expect(found.map((f) => f.relativePath).sort()).to.deep.equal(['2025/303/b.mseed', '2025/a.mseed', '2025/c.xml', '2025/d ü.txt']);
  });

  it('offers a folder picker with the directory attribute and keys files by their path under the prefix', async () => {
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint="http://127.0.0.1:9" destination="alice/up/" directory no-auto-start no-resume></dropoff-uploader>`);
    expect(el.shadowRoot!.querySelector('input[type=file]')!.hasAttribute('webkitdirectory')).to.equal(true);
    expect(el.shadowRoot!.querySelector('.browse')!.textContent).to.equal('choose a folder');
    const added = el.addFiles([{ file: fileOf('b.mseed', 10), name: 'b.mseed', relativePath: '2025/303/b.mseed' }]);
    expect(added[0]!.key).to.equal('alice/up/2025/303/b.mseed');
  });
});

describe('<dropoff-uploader> while uploading', () => {
  it('ends on the batch summary, announces politely in the page language, gives small files a compact row and large ones copy and remove', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    const prefix = uniquePrefix(ALICE.space, 'element');
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${prefix} part-size="5MiB" multiple no-resume></dropoff-uploader>`);
    el.strings = { announceDone: (name) => `Fertig: ${name}`, states: { ...el.texts.states, done: 'Fertig' } };
    const done = nextEvent(el, 'dropoff-done');
    el.addFiles([fileOf('eins.bin', 3000, 1), fileOf('zwei.bin', 6 * 1024 * 1024, 2)]);
    await done;
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('[part=summary]')!.textContent).to.match(/^Completed 2 uploads · 6\.0 MiB · [\d.]+ (B|KiB|MiB|GiB)\/s · 0:\d\d$/);
    expect(root.querySelector('[aria-live=polite]')!.textContent).to.contain('All uploads finished: 2 of 2 files stored');
    const small = root.querySelector<HTMLElement>(`li.done[data-key="${CSS.escape(`${prefix}eins.bin`)}"]`)!;
    expect(small.classList.contains('compact'), 'a file sent by one request has a compact row').to.equal(true);
    expect(small.querySelector('[part=status]')!.textContent).to.equal('Fertig · 2.9 KiB');
    expect(small.querySelectorAll('button').length).to.equal(0);
    const row = root.querySelector<HTMLElement>(`li.done[data-key="${CSS.escape(`${prefix}zwei.bin`)}"]`)!;
    expect(row.classList.contains('compact')).to.equal(false);
    expect(row.querySelector('[part=status]')!.textContent).to.contain('Fertig');
    expect(row.querySelector('[part=sha256]')!.textContent).to.match(/^SHA-256 [0-9a-f]{64}$/);
    expect(row.querySelector('button[aria-label="Copy SHA-256 zwei.bin"]')).to.exist;
    expect(row.querySelector('progress')).to.equal(null);
    row.querySelector<HTMLButtonElement>('button[aria-label="Remove zwei.bin"]')!.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await el.updateComplete;
    expect(el.items.map((i) => i.name)).to.deep.equal(['eins.bin']);
    expect((await readObject('ceph', `${prefix}zwei.bin`, 5 * 1024 * 1024)).exists, 'removing a row keeps the stored object').to.equal(true);
  });

  it('shows a file as retrying, with the time of the next attempt, while the storage answers 503', async () => {
    await injectFaults('storage', [{ method: 'PUT', path: 'partNumber=', action: 'status', status: 503, times: 1 }]);
    const serverUrl = (await stacks()).faulty.serverUrl;
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${uniquePrefix(ALICE.space, 'retrying')} part-size="5MiB" no-resume></dropoff-uploader>`);
    const retrying = nextEvent<{ state: string; retryAt?: number }>(el, 'dropoff-state', (d) => d.state === 'retrying');
    const done = nextEvent(el, 'dropoff-complete');
    el.addFiles([fileOf('flaky.bin', 6 * 1024 * 1024, 5)]);
    const state = await retrying;
    expect(state.retryAt).to.be.above(Date.now() - 100);
    await el.updateComplete;
    const status = el.shadowRoot!.querySelector('li.retrying [part=status]')!.textContent!;
    expect(status).to.contain('Retrying').and.to.contain('next attempt at');
    await expect(el).to.be.accessible();
    await done;
    await injectFaults('storage', []);
  });

  it('shows the latest 20 stored files as compact rows and counts the rest in one line', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${uniquePrefix(ALICE.space, 'many')} no-resume></dropoff-uploader>`);
    const done = nextEvent(el, 'dropoff-done', () => true, 120_000);
    el.addFiles(Array.from({ length: 60 }, (_, i) => fileOf(`f${i}.txt`, 200, i + 1)));
    await done;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('li[part~=item]').length).to.equal(20);
    expect(el.shadowRoot!.querySelectorAll('li.compact.done').length).to.equal(20);
    expect(el.shadowRoot!.querySelector('li.more')!.textContent).to.equal('and 40 more uploaded');
    expect(el.shadowRoot!.querySelector('[part=summary]')!.textContent).to.match(/^Completed 60 uploads · 11\.7 KiB · /);
  });
});
