/**
 * The entry of the one-file bundle (dist/bundle/dropoff-uploader.js, `dropoff-uploader/bundle`): what src/index.ts
 * exports, except that <dropoff-browser> is a chunk in assets/, loaded and defined when the page first has a
 * `<dropoff-browser>` tag, or when `loadDropoffBrowser()` is called (it resolves with the element's class). A page
 * with only the uploader never downloads it. (The npm build, src/index.ts, exports `DropoffBrowser` as usual.)
 */
import { defineOnUse } from './element/define-on-use.ts';

export { DropoffUploader } from './element/dropoff-uploader.ts';
export { DOM_EVENT_NAMES } from './element/events.ts';
export * from './engine/index.ts';
export { BrowserUploadEngine, BrowserUploadEngine as UploadEngine } from './browser/browser-upload-engine.ts';
export { DropoffApi, type DropoffApiOptions, type TokenSource } from './protocol/dropoff-api.ts';
export { loadStacApi } from './protocol/stac/load-stac-api.ts';
export type { StacApiOptions } from './protocol/stac/stac-api.ts';
export { ApiRequestError } from './protocol/api-error.ts';
export type * from './protocol/upload-api.ts';
export type * from './protocol/records-api.ts';
export type { ProcessingTask, ProcessingStarted, StartedTask, TaskStatus, FollowOptions, ProcessingApiOptions } from './protocol/processing-api.ts';
export { IdbResumeStore } from './browser/idb-resume-store.ts';
export { XhrPartTransport } from './browser/xhr-transport.ts';
export { windowConnectivity } from './browser/window-connectivity.ts';
export type { ResumeRecord, ResumeStore, FinishedPart } from './store/resume-record.ts';
export { HashPool, HashError, defaultPoolSize, type HashPoolOptions, type PartHasher, type PartDigest } from './worker/hash-pool.ts';
export type { DropoffBrowser } from './element/dropoff-browser.ts';

const load = defineOnUse('dropoff-browser', () => import('./element/dropoff-browser.ts'));

/** Loads and defines `<dropoff-browser>` now (it is also loaded by itself when the page first uses the tag). */
export async function loadDropoffBrowser(): Promise<typeof import('./element/dropoff-browser.ts').DropoffBrowser> {
  await load();
  return (await import('./element/dropoff-browser.ts')).DropoffBrowser;
}
