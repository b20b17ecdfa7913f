/**
 * Every text <dropoff-uploader> shows or announces: the interface (src/element/i18n/uploader-strings.ts) and the
 * English texts (src/element/i18n/en.ts); the other languages are in src/element/i18n/. A page replaces any text
 * through the element's `strings` property.
 */
export type { CompletedSummary, UploaderStrings } from './i18n/uploader-strings.ts';
export { ENGLISH } from './i18n/en.ts';
