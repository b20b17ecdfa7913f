/**
 * <dropoff-browser> and the engine's records methods, against the reference server on Ceph RGW: objects listed with
 * their status, folders to drill into, the history of a re-submitted key, the summary, other users' records absent,
 * and no accessibility violation.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/element/dropoff-browser.ts';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import type { DropoffBrowser } from '../../src/element/dropoff-browser.ts';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { ALICE, BOB } from '../support/test-users.ts';
import { fileOf, nextEvent, stacks, uniquePrefix } from '../support/browser-helpers.ts';

describe('records in the browser', () => {
  let serverUrl: string;
  let prefix: string;

  before(async () => {
    serverUrl = (await stacks()).ceph.serverUrl;
    prefix = uniquePrefix(ALICE.space, 'browse');
    const engine = new UploadEngine({ api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: null });
    // One after another: the listing is newest first, and objects put together are signed in whatever order their
    // hashes finish (WebKitGTK signed b.bin before a.mseed), so only a sequence gives the order the test expects.
    for (const entry of [
      { body: fileOf('a.mseed', 100, 1), key: `${prefix}2025/303/a.mseed`, category: 'miniseed' },
      { body: fileOf('b.bin', 200, 2), key: `${prefix}2025/304/b.bin` },
      { body: fileOf('top.txt', 300, 3), key: `${prefix}top.txt` },
    ]) await engine.putObjects([entry]);
    await engine.putObject(fileOf('top.txt', 301, 4), `${prefix}top.txt`);
    const bob = new UploadEngine({ api: new DropoffApi({ endpoint: serverUrl, token: BOB.token }), store: null });
    await bob.putObject(fileOf('bob.txt', 10), `${BOB.space}browse/bob.txt`);
    engine.dispose();
    bob.dispose();
  });

  it('gives the engine the SDK\'s list_objects, get_object_history and get_summary', async () => {
    const engine = new UploadEngine({ api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: null });
    const keys = [];
    for await (const submission of engine.allObjects(prefix)) keys.push(submission.key.slice(prefix.length));
    expect(keys).to.deep.equal(['top.txt', '2025/304/b.bin', '2025/303/a.mseed']);
    const history = await engine.getObjectHistory(`${prefix}top.txt`);
    expect(history.map((s) => s.size)).to.deep.equal([301, 300]);
    const summary = await engine.getSummary({ prefix });
    expect(summary.total).to.equal(4);
    engine.dispose();
  });

  it('lists folders and objects, drills in, shows a history, the summary, and nothing of another user', async () => {
    const el = await fixture<DropoffBrowser>(html`<dropoff-browser endpoint=${serverUrl} token=${ALICE.token} prefix=${prefix}></dropoff-browser>`);
    await nextEvent(el, 'dropoff-browser-loaded');
    await el.updateComplete;
    const root = el.shadowRoot!;
    const rowNames = () => [...root.querySelectorAll('table[part=table] tbody th')].map((th) => th.textContent!.trim());
    expect(rowNames()).to.deep.equal(['2025/', 'top.txt']);
    expect(root.textContent).not.to.contain('bob.txt');
    root.querySelector<HTMLButtonElement>('button[aria-label="Open folder 2025/"]')!.click();
    await nextEvent(el, 'dropoff-browser-loaded');
    await el.updateComplete;
    expect(rowNames()).to.deep.equal(['303/', '304/']);
    root.querySelector<HTMLButtonElement>('button[aria-label="Open folder 303/"]')!.click();
    await nextEvent(el, 'dropoff-browser-loaded');
    await el.updateComplete;
    expect(rowNames()).to.deep.equal(['a.mseed']);
    const status = root.querySelector('tr[data-key] td[class^=status-]')!;
    const shown = { VALIDATING: 'Validating', ACCEPTED: 'Accepted', FAILED: 'Failed' }[status.className.slice('status-'.length)];
    expect(shown, `status ${status.className}`).to.be.a('string');
    expect(status.textContent).to.equal(shown);
    await el.open(prefix);
    await el.showHistory(`${prefix}top.txt`);
    await el.updateComplete;
    const history = [...root.querySelectorAll('[part=history] tbody tr')].map((tr) => tr.querySelector('td:nth-child(2)')!.textContent);
    expect(history).to.deep.equal(['301 B', '300 B']);
    const total = [...root.querySelectorAll('[part=summary] dt')].findIndex((dt) => dt.textContent === 'Total');
    expect(root.querySelectorAll('[part=summary] dd')[total]!.textContent).to.equal('4');
    await expect(el).to.be.accessible();
  });

  it('loads its listing again when an uploader on the page finishes a batch, so a file uploaded after it was opened shows', async () => {
    const fresh = uniquePrefix(ALICE.space, 'browse-after');
    // Every listing's count, from the first (listened to from the start: it may come before the fixture resolves).
    const counts: number[] = [];
    const loaded = (event: CustomEvent<{ count: number }>) => counts.push(event.detail.count);
    // No polling: only the uploader's batch may bring the new object in (nothing in an empty listing is pending).
    const page = await fixture<HTMLDivElement>(html`<div>
      <dropoff-browser endpoint=${serverUrl} token=${ALICE.token} prefix=${fresh} poll-interval="0" @dropoff-browser-loaded=${loaded}></dropoff-browser>
      <dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${fresh} no-resume></dropoff-uploader>
    </div>`);
    const browser = page.querySelector<DropoffBrowser>('dropoff-browser')!;
    const uploader = page.querySelector<DropoffUploader>('dropoff-uploader')!;
    await waitUntil(() => counts.length > 0, 'the first listing', { timeout: 30_000 });
    expect(counts).to.deep.equal([0]);
    const done = nextEvent(uploader, 'dropoff-done');
    uploader.addFiles([fileOf('after.txt', 500, 9)]);
    await done;
    await waitUntil(() => counts.includes(1), 'a listing with the new object', { timeout: 30_000 });
    await browser.updateComplete;
    const status = browser.shadowRoot!.querySelector(`tr[data-key="${fresh}after.txt"] td[class^=status-]`);
    expect(status?.className).to.equal('status-ACCEPTED');
  });
});
