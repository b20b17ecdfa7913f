/**
 * <dropoff-browser> for every user: axe-core checks in each state (loading, empty, table, history, summary, error),
 * keyboard use (drill into a folder, open a history and close it, focus going where the user is), and its languages
 * (lang on the element or up the page; texts, sizes, dates and announcements; `strings` over all). Against the
 * reference server on Ceph RGW.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/element/dropoff-browser.ts';
import type { DropoffBrowser } from '../../src/element/dropoff-browser.ts';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, nextEvent, pressChord, stacks, uniquePrefix } from '../support/browser-helpers.ts';

let serverUrl: string;
let prefix: string;

before(async () => {
  serverUrl = (await stacks()).ceph.serverUrl;
  prefix = uniquePrefix(ALICE.space, 'browse-a11y');
  const engine = new UploadEngine({ api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: null });
  await engine.putObjects([
    { body: fileOf('a.mseed', 100, 1), key: `${prefix}day/a.mseed` },
    { body: fileOf('big.bin', 1_234_567, 2), key: `${prefix}big.bin` },
  ]);
  engine.dispose();
});

async function loaded(template: ReturnType<typeof html>): Promise<DropoffBrowser> {
  // Listened for before the element exists: a fast server answers before fixture() has resolved, and the event
  // (bubbling, composed) would otherwise be missed.
  const seen = nextEvent(document, 'dropoff-browser-loaded');
  const wrapper = await fixture<HTMLElement>(html`<div>${template}</div>`);
  const el = wrapper.querySelector('dropoff-browser') ?? (wrapper as unknown as DropoffBrowser);
  await seen;
  await el.updateComplete;
  return el as DropoffBrowser;
}

const text = (el: DropoffBrowser, selector: string) => el.shadowRoot!.querySelector(selector)?.textContent?.trim() ?? '';

describe('<dropoff-browser> accessibility', () => {
  it('is accessible while loading, and says so', async () => {
    let release!: (token: string) => void;
    const token = new Promise<string>((resolve) => { release = resolve; });
    const el = await fixture<DropoffBrowser>(html`<dropoff-browser .getToken=${() => token} endpoint=${serverUrl} prefix=${prefix}></dropoff-browser>`);
    await waitUntil(() => text(el, '[role=status]') === 'Loading…', 'announces loading');
    expect(el.shadowRoot!.querySelector('table')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    const done = nextEvent(el, 'dropoff-browser-loaded');
    release(ALICE.token);
    await done;
  });

  it('is accessible when empty, and says there is nothing yet', async () => {
    const empty = uniquePrefix(ALICE.space, 'browse-empty');
    const el = await loaded(html`<dropoff-browser endpoint=${serverUrl} token=${ALICE.token} prefix=${empty}></dropoff-browser>`);
    expect(text(el, 'tbody td.empty')).to.equal(`Nothing submitted under ${empty} yet.`);
    expect(text(el, '[role=status]')).to.equal(`0 objects under ${empty}`);
    await expect(el).to.be.accessible();
  });

  it('is accessible with the table, the history and the summary shown', async () => {
    const el = await loaded(html`<dropoff-browser endpoint=${serverUrl} token=${ALICE.token} prefix=${prefix}></dropoff-browser>`);
    expect(el.shadowRoot!.querySelectorAll('tbody tr').length).to.equal(2);
    await expect(el).to.be.accessible();
    await el.showHistory(`${prefix}big.bin`);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=history]')).to.exist;
    await expect(el).to.be.accessible();
    await waitUntil(() => el.shadowRoot!.querySelector('[part=summary] dl'), 'summary loaded');
    expect(text(el, '[part=summary] dd')).to.equal('2');
    await expect(el).to.be.accessible();
  });

  it('is accessible when the server refuses, and shows why', async () => {
    const el = await fixture<DropoffBrowser>(html`<dropoff-browser endpoint=${serverUrl} token="not-a-valid-token" prefix=${prefix}></dropoff-browser>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[role=alert]'), 'an error is shown');
    expect(text(el, '[role=alert]')).to.match(/^Could not load: .+/);
    await expect(el).to.be.accessible();
  });

  it('is usable by keyboard: drill into a folder, open a history, close it and land back on the row', async () => {
    const el = await loaded(html`<dropoff-browser endpoint=${serverUrl} token=${ALICE.token} prefix=${prefix}></dropoff-browser>`);
    const root = el.shadowRoot!;
    // Forward, or backward for a control above the focused one: only Chromium wraps focus around the document.
    const tabTo = async (label: string, backward = false) => {
      for (let i = 0; i < 12 && root.activeElement?.getAttribute('aria-label') !== label; i++) {
        if (backward) await pressChord('Shift', 'Tab');
        else await sendKeys({ press: 'Tab' });
      }
      expect(root.activeElement?.getAttribute('aria-label')).to.equal(label);
    };
    await tabTo('History of big.bin');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.activeElement?.id === 'history-title', 'focus moves to the history');
    expect(root.activeElement!.textContent).to.equal(`History of ${prefix}big.bin`);
    await sendKeys({ press: 'Tab' });
    expect(root.activeElement?.textContent).to.equal('Close history');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.activeElement?.getAttribute('aria-label') === 'History of big.bin', 'focus returns to the row');
    expect(root.querySelector('[part=history]')).to.equal(null);
    // The folder's row is listed above the files.
    await tabTo('Open folder day/', true);
    const drilled = nextEvent(el, 'dropoff-browser-loaded');
    await sendKeys({ press: 'Enter' });
    await drilled;
    await el.updateComplete;
    expect([...root.querySelectorAll('tbody th')].map((th) => th.textContent!.trim())).to.deep.equal(['a.mseed']);
  });
});

describe('<dropoff-browser> languages', () => {
  it('follows the page\'s lang: texts, sizes, dates and announcements, and switches with it', async () => {
    const wrapper = await fixture<HTMLElement>(html`<section lang="de"><dropoff-browser endpoint=${serverUrl} token=${ALICE.token} prefix=${prefix}></dropoff-browser></section>`);
    const el = wrapper.querySelector('dropoff-browser')!;
    await waitUntil(() => text(el, 'caption') === `Objekte unter ${prefix}` && text(el, '[role=status]').startsWith('2 Objekte'), 'German texts');
    expect(text(el, '[role=status]')).to.equal(`2 Objekte unter ${prefix}`);
    expect([...el.shadowRoot!.querySelectorAll('thead th')].map((th) => th.textContent)).to.deep.equal(['Name', 'Größe', 'Zuletzt eingereicht', 'Status', 'Meldung']);
    const big = el.shadowRoot!.querySelector(`tr[data-key="${prefix}big.bin"]`)!;
    expect(big.querySelector('td')!.textContent).to.equal('1,2 MiB');
    const time = big.querySelector('time')!;
    expect(time.textContent).to.equal(new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(time.dateTime)));
    expect(el.shadowRoot!.querySelector('button[aria-label="Ordner day/ öffnen"]')).to.exist;
    expect(el.shadowRoot!.querySelector('nav')!.getAttribute('aria-label')).to.equal('Präfix');
    await expect(el).to.be.accessible();

    wrapper.lang = 'fr';
    await waitUntil(() => text(el, 'caption') === `Objets sous ${prefix}`, 'French texts');
    expect(big.querySelector('td')!.textContent).to.equal('1,2 Mio');
    await el.refresh();
    expect(text(el, '[role=status]')).to.equal(`2 objets sous ${prefix}`);

    el.setAttribute('lang', 'es-MX');
    await waitUntil(() => text(el, 'caption') === `Objetos en ${prefix}`, 'the element\'s own lang wins');
    el.setAttribute('lang', 'pt');
    await waitUntil(() => text(el, 'caption') === `Objects under ${prefix}`, 'a language not shipped is English');
  });

  it('lets the page replace any text over the language', async () => {
    const el = await loaded(html`<dropoff-browser lang="it" endpoint=${serverUrl} token=${ALICE.token} prefix=${prefix}></dropoff-browser>`);
    await waitUntil(() => text(el, 'caption') === `Oggetti in ${prefix}`, 'Italian texts');
    el.strings = { caption: (p) => `Dati in ${p}`, statuses: { ACCEPTED: 'OK' } };
    await el.updateComplete;
    expect(text(el, 'caption')).to.equal(`Dati in ${prefix}`);
    expect(text(el, 'thead th')).to.equal('Nome');
    expect(el.texts.statuses.FAILED).to.equal('Non riuscito');
  });
});
