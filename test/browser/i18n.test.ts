/**
 * The shipped languages: each names every text English has (so nothing falls back by accident), a missing key
 * falls back to English, tags pick the right language, and numbers, sizes, rates, durations and dates go through Intl.
 */
import { expect } from '@open-wc/testing';
import { createFormats } from '../../src/element/i18n/formats.ts';
import { ENGLISH } from '../../src/element/i18n/en.ts';
import { ENGLISH_BROWSER } from '../../src/element/i18n/en-browser.ts';
import { LANGUAGES, pickLanguage } from '../../src/element/i18n/lang.ts';
import { layerStrings, loadTranslation, type Translation } from '../../src/element/i18n/translation.ts';

/** Texts the same in every shipped language, which the translations may leave to English. */
const LANGUAGE_NEUTRAL = ['uploader.sha256Label', 'browser.sha256', 'browser.unknown'];

describe('translations', () => {
  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${language} names every text of both elements, of the same kind as English`, async () => {
      const translation: Translation = await loadTranslation(language);
      for (const [part, english] of [['uploader', ENGLISH], ['browser', ENGLISH_BROWSER]] as const) {
        const texts = translation[part] as Record<string, unknown>;
        const missing = Object.keys(english).filter((key) => texts[key] === undefined && !LANGUAGE_NEUTRAL.includes(`${part}.${key}`));
        expect(missing, `${language} ${part}`).to.deep.equal([]);
        for (const [key, value] of Object.entries(english)) {
          if (texts[key] !== undefined) expect(typeof texts[key], `${language} ${part}.${key}`).to.equal(typeof value);
        }
      }
      expect(Object.keys(translation.uploader.states!)).to.have.members(Object.keys(ENGLISH.states));
    });
  }

  it('falls back to English key by key, and the page\'s strings win over both', () => {
    const partial = { rejectedTitle: 'Nicht hinzugefügt', states: { done: 'Fertig' } } as const;
    const texts = layerStrings(ENGLISH, partial, { dismiss: 'Weg damit' });
    expect(texts.rejectedTitle).to.equal('Nicht hinzugefügt');
    expect(texts.states.done).to.equal('Fertig');
    expect(texts.states.failed).to.equal('Failed');
    expect(texts.pause).to.equal('Pause');
    expect(texts.dismiss).to.equal('Weg damit');
  });

  it('picks a shipped language from a tag, English otherwise', () => {
    expect(pickLanguage('de-CH')).to.equal('de');
    expect(pickLanguage('FR_ca')).to.equal('fr');
    expect(pickLanguage('es')).to.equal('es');
    expect(pickLanguage('pt-BR')).to.equal('en');
    expect(pickLanguage('')).to.equal('en');
  });
});

describe('formats', () => {
  it('writes numbers, sizes and rates in the locale, with the translation\'s unit names', () => {
    const de = createFormats('de', ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
    expect(de.number(1234567)).to.equal('1.234.567');
    expect(de.bytes(1000)).to.equal('1.000 B');
    expect(de.bytes(1536 * 1024)).to.equal('1,5 MiB');
    expect(de.rate(12.5 * 1024 * 1024)).to.equal('12,5 MiB/s');
    expect(de.percent(45)).to.equal(new Intl.NumberFormat('de', { style: 'percent' }).format(0.45));
    const fr = createFormats('fr', ['o', 'Kio', 'Mio', 'Gio', 'Tio']);
    expect(fr.bytes(3 * 1024 ** 3)).to.equal('3,0 Gio');
    const en = createFormats('en', ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
    expect(en.bytes(8 * 1024 * 1024)).to.equal('8.0 MiB');
    expect(en.percent(7)).to.equal('7%');
  });

  it('writes durations, times, dates and ages through Intl', () => {
    const en = createFormats('en', ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
    const unit = (u: string, n: number, locale = 'en') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
    expect(en.duration(42)).to.equal(unit('second', 42));
    expect(en.duration(125)).to.contain(unit('minute', 2)).and.contain(unit('second', 5));
    expect(en.duration(3 * 3600 + 120)).to.contain(unit('hour', 3)).and.contain(unit('minute', 2));
    const it = createFormats('it', ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
    const at = new Date(Date.UTC(2026, 10, 30, 14, 5, 12));
    expect(it.dateTime(at)).to.equal(new Intl.DateTimeFormat('it', { dateStyle: 'medium', timeStyle: 'short' }).format(at));
    expect(it.time(at)).to.equal(new Intl.DateTimeFormat('it', { timeStyle: 'medium' }).format(at));
    const now = at.getTime();
    const rtf = new Intl.RelativeTimeFormat('it', { numeric: 'auto' });
    expect(it.ago(now - 5 * 60_000, now)).to.equal(rtf.format(-5, 'minute'));
    expect(it.ago(now - 3 * 3600_000, now)).to.equal(rtf.format(-3, 'hour'));
    expect(it.ago(now - 4 * 86_400_000, now)).to.equal(rtf.format(-4, 'day'));
  });

  it('falls back to the browser\'s locale for a tag Intl does not know', () => {
    const f = createFormats('not a tag!', ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
    expect(f.number(1)).to.equal('1');
  });
});
