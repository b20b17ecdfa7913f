/**
 * Gives an element the texts and formats of its language: the element's `lang`, else the nearest `lang` up the page;
 * follows changes of either; loads the language's chunk on first use (English meanwhile); layers English, the
 * language and the page's `strings` overrides.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createFormats, type ByteUnits, type Formats } from './formats.ts';
import { nearestLang, pickLanguage, type Language } from './lang.ts';
import { layerStrings, loadTranslation, loadedTranslation, type Overrides, type Translation } from './translation.ts';

/** The element's side of it. */
export interface LanguageControllerOptions<T extends { byteUnits: ByteUnits }> {
  /** The English texts, complete. */
  readonly english: T;
  /** This element's part of a translation. */
  readonly part: (translation: Translation) => Overrides<T>;
  /** The page's overrides (the element's `strings` property). */
  readonly overrides: () => Overrides<T>;
}

/** Texts and formats of the host's language. */
export class LanguageController<T extends { byteUnits: ByteUnits }> implements ReactiveController {
  /** The shipped language in use. */
  language: Language = 'en';
  /** The locale for numbers and dates: the `lang` tag as written (`de-CH`), `en` when the page sets none. */
  locale = 'en';
  private observer: MutationObserver | undefined;
  private cached: { key: unknown[]; strings: T; formats: Formats } | undefined;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement, private readonly options: LanguageControllerOptions<T>) {
    host.addController(this);
  }

  hostConnected(): void {
    // The element's own lang, and any lang up the page (the document's subtree; a lang set inside another
    // component's shadow root is read when the element updates, but its changes are not watched).
    this.observer = new MutationObserver(() => this.host.requestUpdate());
    this.observer.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  hostUpdate(): void {
    const tag = nearestLang(this.host).trim();
    this.locale = tag || 'en';
    this.language = pickLanguage(this.locale);
    if (!loadedTranslation(this.language)) {
      const wanted = this.language;
      void loadTranslation(wanted).then(() => {
        if (this.language === wanted) this.host.requestUpdate();
      });
    }
  }

  /** Resolves once the texts of the language in use are loaded (announcements wait for it). */
  get ready(): Promise<unknown> {
    return loadTranslation(this.language);
  }

  /** English, then the language (once loaded), then the page's overrides. */
  get strings(): T {
    return this.current().strings;
  }

  /** Numbers, sizes, rates and dates in the element's locale. */
  get formats(): Formats {
    return this.current().formats;
  }

  private current(): { strings: T; formats: Formats } {
    const translation = loadedTranslation(this.language);
    const overrides = this.options.overrides();
    const key = [this.locale, translation, overrides];
    if (!this.cached || this.cached.key.some((value, i) => value !== key[i])) {
      const strings = layerStrings(this.options.english, translation ? this.options.part(translation) : {}, overrides);
      this.cached = { key, strings, formats: createFormats(this.locale, strings.byteUnits) };
    }
    return this.cached;
  }
}
