/**
 * Accessibility of <dropoff-uploader> in every state a user meets (axe-core, through chai-a11y-axe), and keyboard use.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import { ALICE, BOB } from '../support/test-users.ts';
import { fileOf, nextEvent, pressChord, stacks, uniquePrefix } from '../support/browser-helpers.ts';

async function uploader(token: string = ALICE.token, extra: Partial<DropoffUploader> = {}): Promise<DropoffUploader> {
  const serverUrl = (await stacks()).ceph.serverUrl;
  const el = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${token} destination=${uniquePrefix(ALICE.space, 'a11y')} multiple no-resume></dropoff-uploader>`);
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

describe('<dropoff-uploader> accessibility', () => {
  it('is accessible when empty', async () => {
    await expect(await uploader()).to.be.accessible();
  });

  it('is accessible while queued and paused', async () => {
    const el = await uploader(ALICE.token, { noAutoStart: true });
    el.addFiles([fileOf('queued.bin', 1000)]);
    await el.updateComplete;
    await expect(el).to.be.accessible();
    el.pause();
    await el.updateComplete;
    expect(el.items[0]!.state).to.equal('paused');
    await expect(el).to.be.accessible();
  });

  it('is accessible when files are stored, refused and failed', async () => {
    const el = await uploader(ALICE.token, { accept: '.bin' });
    const done = nextEvent(el, 'dropoff-done');
    el.addFiles([fileOf('stored.bin', 2000), fileOf('refused.txt', 10)]);
    await done;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const failing = await uploader(BOB.token);
    const failed = nextEvent(failing, 'dropoff-error');
    failing.addFiles([fileOf('not-yours.bin', 100)]);
    await failed;
    await failing.updateComplete;
    expect(failing.shadowRoot!.querySelector('[role=alert]')).to.exist;
    await expect(failing).to.be.accessible();
  });

  it('is accessible when disabled', async () => {
    await expect(await uploader(ALICE.token, { disabled: true })).to.be.accessible();
  });
});

describe('<dropoff-uploader> controls for all files', () => {
  it('pauses, resumes and cancels every file from the overall line', async () => {
    const el = await uploader(ALICE.token, { noAutoStart: true });
    el.addFiles([fileOf('a.bin', 100), fileOf('b.bin', 100)]);
    el.pause('never-matches');
    el.pause();
    await el.updateComplete;
    const bulk = () => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.bulk button')];
    expect(el.items.map((i) => i.state)).to.deep.equal(['paused', 'paused']);
    expect(bulk().map((b) => b.textContent)).to.deep.equal(['Resume all', 'Cancel all']);
    bulk().find((b) => b.textContent === 'Cancel all')!.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await el.updateComplete;
    expect(el.items.map((i) => i.state)).to.deep.equal(['cancelled', 'cancelled']);
  });
});

describe('<dropoff-uploader> keyboard', () => {
  it('reaches the drop zone, the overall buttons and every row button with Tab', async () => {
    const el = await uploader(ALICE.token, { noAutoStart: true });
    el.addFiles([fileOf('one.bin', 100), fileOf('big.bin', 9 * 1024 * 1024)]);
    await el.updateComplete;
    const name = (e: Element | null | undefined) => e?.getAttribute('aria-label') ?? e?.textContent ?? null;
    const focusable = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[tabindex="0"], button')];
    expect(focusable.map((e) => (e.getAttribute('part') === 'dropzone' ? 'dropzone' : name(e)))).to.deep.equal([
      'dropzone', 'Pause all', 'Cancel all', 'Cancel one.bin', 'Pause big.bin', 'Cancel big.bin',
    ]);
    focusable[0]!.focus();
    const seen: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      seen.push(name(el.shadowRoot!.activeElement));
    }
    expect(seen).to.deep.equal(['Pause all', 'Cancel all', 'Cancel one.bin', 'Pause big.bin', 'Cancel big.bin']);
    await pressChord('Shift', 'Tab');
    expect(name(el.shadowRoot!.activeElement)).to.equal('Pause big.bin');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.items[1]!.state, 'Enter on "Pause big.bin"').to.equal('paused');
  });
});
