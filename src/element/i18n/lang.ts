/**
 * Which language an element speaks: its own `lang` attribute, else the nearest one up the page (across shadow
 * roots), else English; narrowed to a shipped translation.
 */

/** The languages shipped. */
export const LANGUAGES = ['en', 'de', 'fr', 'it', 'es'] as const;

/** A shipped language. */
export type Language = (typeof LANGUAGES)[number];

/** The nearest `lang` attribute at or above `element`, crossing shadow roots; '' when the page sets none. */
export function nearestLang(element: Element): string {
  let node: Element | null = element;
  while (node) {
    const owner: Element | null = node.closest('[lang]');
    if (owner) return owner.getAttribute('lang') ?? '';
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return '';
}

/** The shipped language for a BCP 47 tag (`de-CH` -> `de`); English for anything else. */
export function pickLanguage(tag: string): Language {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : 'en';
}
