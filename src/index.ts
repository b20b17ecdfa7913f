/**
 * dropoff-uploader: the <dropoff-uploader> element and the headless engine behind it.
 */
export { DropoffUploader } from './element/dropoff-uploader.ts';
export { DropoffBrowser } from './element/dropoff-browser.ts';
export { DOM_EVENT_NAMES } from './element/events.ts';
export * from './engine/index.ts';
export { DropoffApi, type DropoffApiOptions, type TokenSource } from './protocol/dropoff-api.ts';
export { ApiRequestError } from './protocol/api-error.ts';
export type * from './protocol/upload-api.ts';
export type * from './protocol/records-api.ts';
export { IdbResumeStore } from './store/idb-resume-store.ts';
export type { ResumeRecord, ResumeStore, FinishedPart } from './store/resume-record.ts';
export { HashPool, HashError, defaultPoolSize, type HashPoolOptions, type PartHasher, type PartDigest } from './worker/hash-pool.ts';
