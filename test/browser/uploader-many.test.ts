/**
 * <dropoff-uploader> with many files: a bounded number of rows whatever the number of files, one compact line per small
 * file, and counts that stay right as files fail, are retried and are cancelled. Uploads go to the real server on
 * Ceph RGW.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import { ROW_LIMITS } from '../../src/element/upload-list.ts';
import { ALICE, BOB } from '../support/test-users.ts';
import { nextEvent, stacks, uniquePrefix } from '../support/browser-helpers.ts';

/** `count` tiny files named f00000.txt, f00001.txt, … */
function tinyFiles(count: number, first = 0): File[] {
  return Array.from({ length: count }, (_, i) => new File([`file ${first + i}`], `f${String(first + i).padStart(5, '0')}.txt`, { type: 'text/plain' }));
}

const rows = (el: DropoffUploader) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('li[part~=item]')];
const more = (el: DropoffUploader, group: string) => el.shadowRoot!.querySelector(`li.more.${group}`)?.textContent ?? null;
const summary = (el: DropoffUploader) => el.shadowRoot!.querySelector('[part=summary]')!.textContent!;

describe('<dropoff-uploader> with thousands of files', () => {
  it('renders a bounded number of compact rows for 5,000 files and counts the rest, queued, paused and cancelled', async () => {
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint="http://127.0.0.1:9" destination="alice/many/" multiple no-auto-start no-resume></dropoff-uploader>`);
    expect(el.addFiles(tinyFiles(5000)).length).to.equal(5000);
    await el.updateComplete;
    expect(rows(el).length).to.equal(ROW_LIMITS.queued);
    expect(rows(el).map((row) => row.dataset.key)).to.deep.equal(Array.from({ length: ROW_LIMITS.queued }, (_, i) => `alice/many/f${String(i).padStart(5, '0')}.txt`));
    for (const row of rows(el)) {
      expect(row.classList.contains('compact')).to.equal(true);
      expect([...row.querySelectorAll('button')].map((b) => b.textContent)).to.deep.equal(['Cancel']);
      expect(row.querySelector('progress')).to.equal(null);
    }
    expect(more(el, 'queued')).to.equal(`and ${(5000 - ROW_LIMITS.queued).toLocaleString('en-US')} more queued`);
    expect(summary(el)).to.match(/^0\/5000 files · 0 B of 42\.9 KiB · /);

    el.pause();
    await el.updateComplete;
    expect(rows(el).length).to.equal(ROW_LIMITS.paused);
    expect(rows(el).every((row) => row.classList.contains('paused'))).to.equal(true);
    expect(more(el, 'paused')).to.equal(`and ${(5000 - ROW_LIMITS.paused).toLocaleString('en-US')} more paused`);
    expect(more(el, 'queued')).to.equal(null);

    el.addFiles(tinyFiles(3, 5000));
    el.addFiles(tinyFiles(1, 0));
    await el.updateComplete;
    expect(rows(el).length, 'the paused rows, then the 3 new queued ones; the duplicate key is refused').to.equal(ROW_LIMITS.paused + 3);
    expect(el.shadowRoot!.querySelector('[part=rejected]')!.textContent).to.contain('"alice/many/f00000.txt" is already in the queue.');
    expect(summary(el)).to.match(/^0\/5003 files · /);

    await el.cancel();
    await el.updateComplete;
    expect(rows(el).length).to.equal(0);
    expect(el.shadowRoot!.querySelector('[part=list]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part=summary]')).to.equal(null);
  });

  it('takes thousands of picked files a slice at a time, in order, with max-files counted over all of them', async () => {
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint="http://127.0.0.1:9" destination="alice/picked/" max-files="2000" multiple no-auto-start no-resume></dropoff-uploader>`);
    let added = 0, refused = 0;
    el.addEventListener('dropoff-files-added', (e) => { added += e.detail.files.length; });
    el.addEventListener('dropoff-files-rejected', (e) => { refused += e.detail.files.length; });
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    const transfer = new DataTransfer();
    for (const file of tinyFiles(2500)) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    for (let waited = 0; added + refused < 2500 && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect([added, refused]).to.deep.equal([2000, 500]);
    expect(el.items.map((i) => i.key)).to.deep.equal(Array.from({ length: 2000 }, (_, i) => `alice/picked/f${String(i).padStart(5, '0')}.txt`));
    await el.updateComplete;
    expect(rows(el).length).to.equal(ROW_LIMITS.queued);
    const rejected = el.shadowRoot!.querySelector('[part=rejected]')!;
    expect(rejected.querySelectorAll('li.failed').length).to.equal(20);
    expect(rejected.querySelector('li.failed .message')!.textContent).to.equal('At most 2000 files may be added.');
    expect(rejected.querySelector('li.more')!.textContent).to.equal('and 480 more not added');
  });

  it('keeps the rejected list short', async () => {
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint="http://127.0.0.1:9" destination="alice/many/" max-files="1" multiple no-auto-start no-resume></dropoff-uploader>`);
    el.addFiles(tinyFiles(500));
    await el.updateComplete;
    const rejected = el.shadowRoot!.querySelector('[part=rejected]')!;
    expect(rejected.querySelectorAll('li.failed').length).to.equal(20);
    expect(rejected.querySelector('li.more')!.textContent).to.equal('and 479 more not added');
  });

  it('keeps its counts right as files fail, are retried, cancelled, and then stored', async () => {
    const serverUrl = (await stacks()).ceph.serverUrl;
    const prefix = uniquePrefix(ALICE.space, 'counts');
    // Bob may not write under Alice's space: every file fails.
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${BOB.token} destination=${prefix} multiple no-resume></dropoff-uploader>`);
    let done = nextEvent(el, 'dropoff-done', () => true, 120_000);
    el.addFiles(tinyFiles(25));
    await done;
    await el.updateComplete;
    expect(summary(el)).to.match(/^Completed 0 uploads · 25 failed · 0 B · 0 B\/s · 0:\d\d$/);
    expect(rows(el).length).to.equal(ROW_LIMITS.failed);
    expect(rows(el).every((row) => row.matches('.compact.failed') && row.querySelector('[role=alert]') !== null)).to.equal(true);
    expect(rows(el)[0]!.querySelector('button')!.getAttribute('aria-label')).to.equal('Retry f00000.txt');
    expect(more(el, 'failed')).to.equal('and 5 more failed');

    done = nextEvent(el, 'dropoff-done', () => true, 120_000);
    el.retry();
    await done;
    await el.updateComplete;
    expect(summary(el), 'a retried file is counted once').to.match(/^Completed 0 uploads · 25 failed · /);

    await el.cancel(`${prefix}f00003.txt`);
    await el.updateComplete;
    expect(summary(el)).to.match(/^Completed 0 uploads · 24 failed · /);
    expect(more(el, 'failed')).to.equal('and 4 more failed');
    expect(rows(el).some((row) => row.dataset.key === `${prefix}f00003.txt`)).to.equal(false);

    el.token = ALICE.token;
    done = nextEvent(el, 'dropoff-done', () => true, 120_000);
    el.retry();
    await done;
    await el.updateComplete;
    expect(summary(el)).to.match(/^Completed 24 uploads · 159 B · [\d.]+ (B|KiB)\/s · 0:\d\d$/);
    expect(rows(el).length).to.equal(ROW_LIMITS.done);
    expect(more(el, 'done')).to.equal('and 4 more uploaded');
    expect(more(el, 'failed')).to.equal(null);
    expect(el.items.filter((i) => i.state === 'done').length).to.equal(24);
  });
});
