/**
 * <dropoff-uploader> in the languages it ships: the page's lang (or the element's) picks the texts, aria-labels and
 * announcements; numbers and sizes come from Intl; switching lang switches at once; a reason for refusing a file is
 * in the language; `strings` still wins. Uploads go to the reference server on Ceph RGW.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, nextEvent, stacks, uniquePrefix } from '../support/browser-helpers.ts';

const text = (el: DropoffUploader, selector: string) => el.shadowRoot!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
// Intl puts a no-break space in "0 %"; text() folds every white space to one space, so this does too.
const percent = (locale: string, value: number) => new Intl.NumberFormat(locale, { style: 'percent' }).format(value / 100).replace(/\s+/g, ' ');

async function inLanguage(lang: string, prefix: string): Promise<{ wrapper: HTMLElement; el: DropoffUploader }> {
  const serverUrl = (await stacks()).ceph.serverUrl;
  const wrapper = await fixture<HTMLElement>(html`<div lang=${lang}><dropoff-uploader endpoint=${serverUrl} token=${ALICE.token}
    destination=${prefix} multiple no-resume part-size="5MiB" max-file-size="10MiB"></dropoff-uploader></div>`);
  return { wrapper, el: wrapper.querySelector('dropoff-uploader')! };
}

describe('<dropoff-uploader> languages', () => {
  it('speaks French from the page\'s lang: texts, statuses, aria-labels, sizes and announcements', async () => {
    const prefix = uniquePrefix(ALICE.space, 'fr');
    const { el } = await inLanguage('fr-CH', prefix);
    await waitUntil(() => text(el, '.dropzone').startsWith('Déposez des fichiers ici ou choisissez des fichiers'), 'French drop zone');
    expect(text(el, '#hint')).to.equal(`Envoi vers ${prefix}`);
    const done = nextEvent(el, 'dropoff-done');
    el.addFiles([fileOf('relevé.bin', 6 * 1024 * 1024, 1), fileOf('énorme.bin', 11 * 1024 * 1024, 2)]);
    await done;
    await waitUntil(() => text(el, '[role=status]').startsWith('Tous les envois sont terminés'), 'French announcement');
    expect(text(el, '[role=status]')).to.equal('Tous les envois sont terminés : 1 sur 1 fichier enregistré.');
    expect(text(el, '[part=rejected] .message')).to.equal('Le fichier dépasse les 10,0 Mio autorisés.');
    expect(text(el, '[part=rejected] .hint')).to.contain('Non ajoutés');
    const row = el.shadowRoot!.querySelector(`li[data-key="${CSS.escape(`${prefix}relevé.bin`)}"]`)!;
    expect(row.querySelector('[part=status]')!.textContent).to.match(/^Terminé · /).and.to.contain('6,0 Mio');
    expect(row.querySelector('button[aria-label="Copier le SHA-256 : relevé.bin"]'), 'aria-label from the translation').to.exist;
    expect(el.shadowRoot!.querySelector('[part=list]')!.getAttribute('aria-label')).to.equal('Envois');
    await expect(el).to.be.accessible();
  });

  it('switches when lang changes on the page or the element, and keeps English for a language not shipped', async () => {
    const prefix = uniquePrefix(ALICE.space, 'switch');
    const { wrapper, el } = await inLanguage('de', prefix);
    await waitUntil(() => text(el, '.dropzone').startsWith('Dateien hierher ziehen oder'), 'German');
    el.noAutoStart = true;
    el.addFiles([fileOf('warten.bin', 6 * 1024 * 1024, 3)]);
    await el.updateComplete;
    await waitUntil(() => text(el, '[part=status]').startsWith('Wartet'), 'German state');
    expect(text(el, '[part=status]')).to.equal(`Wartet · ${percent('de', 0)} von 6,0 MiB`);
    expect(el.shadowRoot!.querySelector('progress[part=progress]')!.getAttribute('aria-label')).to.equal('Fortschritt von warten.bin');
    expect(el.shadowRoot!.querySelector('button[aria-label="warten.bin: Anhalten"]')).to.exist;
    wrapper.lang = 'it';
    await waitUntil(() => text(el, '[part=status]').startsWith('In coda'), 'Italian after the page switched');
    expect(text(el, '.dropzone')).to.contain('Trascina qui i file oppure');
    el.lang = 'es';
    await waitUntil(() => text(el, '[part=status]').startsWith('En cola'), 'Spanish from the element\'s own lang');
    el.lang = 'pt-BR';
    await waitUntil(() => text(el, '[part=status]').startsWith('Queued'), 'English for a language not shipped');
    await el.cancel();
  });

  it('lets the page\'s strings win over the language, key by key', async () => {
    const { el } = await inLanguage('it', uniquePrefix(ALICE.space, 'strings'));
    await waitUntil(() => text(el, '.browse') === 'scegli i file', 'Italian');
    el.strings = { choose: 'sfoglia', states: { queued: 'Aspetta' } };
    el.noAutoStart = true;
    el.addFiles([fileOf('a.bin', 10)]);
    await el.updateComplete;
    await waitUntil(() => text(el, '[part=status]').startsWith('Aspetta'), 'the page\'s state name');
    expect(text(el, '.browse')).to.equal('sfoglia');
    expect(el.texts.states.paused).to.equal('In pausa');
    expect(el.texts.dropPrompt).to.equal('Trascina qui i file oppure');
    await el.cancel();
  });
});
