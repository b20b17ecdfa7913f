/**
 * dropoff-uploader: the <dropoff-uploader> and <dropoff-browser> elements, and the engine behind them assembled with
 * the browser's ports. Here `UploadEngine` is the browser's (`BrowserUploadEngine`: Web Worker hashing, XHR,
 * IndexedDB by default); `dropoff-uploader/engine` has the engine alone, `dropoff-uploader/node` Node's assembly.
 */
export { DropoffUploader } from './element/dropoff-uploader.ts';
export { DropoffBrowser } from './element/dropoff-browser.ts';
export { DOM_EVENT_NAMES } from './element/events.ts';
export * from './engine/index.ts';
export { BrowserUploadEngine, BrowserUploadEngine as UploadEngine } from './browser/browser-upload-engine.ts';
export { DropoffApi, type DropoffApiOptions, type TokenSource } from './protocol/dropoff-api.ts';
export { loadStacApi } from './protocol/stac/load-stac-api.ts';
export type { StacApiOptions } from './protocol/stac/stac-api.ts';
export { ApiRequestError } from './protocol/api-error.ts';
export type { FailureKind } from './protocol/failure-kind.ts';
export type * from './protocol/upload-api.ts';
export type * from './protocol/records-api.ts';
export type { ProcessingTask, ProcessingStarted, StartedTask, TaskStatus, FollowOptions, ProcessingApiOptions } from './protocol/processing-api.ts';
export { IdbResumeStore } from './browser/idb-resume-store.ts';
export { XhrPartTransport } from './browser/xhr-transport.ts';
export { windowConnectivity } from './browser/window-connectivity.ts';
export type { ResumeRecord, ResumeStore, FinishedPart } from './store/resume-record.ts';
export { HashPool, HashError, defaultPoolSize, type HashPoolOptions, type PartHasher, type PartDigest } from './worker/hash-pool.ts';
