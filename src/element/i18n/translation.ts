/**
 * A shipped language's texts for both elements, how they are loaded (English is bundled; the others are chunks
 * fetched on first use), and how texts are layered: English, then the language, then the page's `strings`.
 */
import type { BrowserStrings } from './browser-strings.ts';
import type { Language } from './lang.ts';
import type { UploaderStrings } from './uploader-strings.ts';

/** Some of an element's texts: any keys, and of the named records (state names, statuses) any entries. */
export type Overrides<T> = {
  [K in keyof T]?: T[K] extends (...args: never[]) => unknown ? T[K] : T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Partial<T[K]> : T[K];
};

/** One language's texts; what it leaves out stays English. */
export interface Translation {
  readonly uploader: Overrides<UploaderStrings>;
  readonly browser: Overrides<BrowserStrings>;
}

const EMPTY: Translation = { uploader: {}, browser: {} };

// One dynamic import per language, so that each is its own chunk beside the bundle.
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<{ default: Translation }>> = {
  de: () => import('./de.ts'),
  fr: () => import('./fr.ts'),
  it: () => import('./it.ts'),
  es: () => import('./es.ts'),
};

// A language's texts once loaded, or the promise of them while loading.
const cache = new Map<Language, Translation | Promise<Translation>>([['en', EMPTY]]);

/** The translation of `language` if it is loaded already (English always is). */
export function loadedTranslation(language: Language): Translation | undefined {
  const entry = cache.get(language);
  return entry instanceof Promise ? undefined : entry;
}

/** Loads the translation of `language` once; a chunk that fails to load leaves English (and is tried again later). */
export function loadTranslation(language: Language): Promise<Translation> {
  let entry = cache.get(language);
  if (!entry) {
    entry = LOADERS[language as Exclude<Language, 'en'>]().then(
      (module) => {
        cache.set(language, module.default);
        return module.default;
      },
      (error: unknown) => {
        cache.delete(language);
        console.warn(`dropoff: the ${language} texts did not load (${(error as Error).message}); showing English.`);
        return EMPTY;
      },
    );
    cache.set(language, entry);
  }
  return Promise.resolve(entry);
}

/**
 * English, then each layer over it, key by key; record-valued keys (the state names) are merged one level deep, so a
 * layer that names only some states keeps the others.
 */
export function layerStrings<T extends object>(english: T, ...layers: readonly Overrides<T>[]): T {
  const result = { ...english } as Record<string, unknown>;
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const base = result[key];
      result[key] = base && typeof base === 'object' && !Array.isArray(base) && typeof value === 'object' && !Array.isArray(value)
        ? { ...base, ...value }
        : value;
    }
  }
  return result as T;
}
