/**
 * dropoff-uploader for Node: the engine with Node's ports (worker-thread hashing, fetch transport, file-backed resume
 * records), and files on disk as upload bodies. No DOM, no Lit.
 */
export * from '../engine/index.ts';
export { DropoffApi, type DropoffApiOptions, type TokenSource } from '../protocol/dropoff-api.ts';
export { StacApi, type StacApiOptions } from '../protocol/stac/stac-api.ts';
export { loadStacApi } from '../protocol/stac/load-stac-api.ts';
export { ApiRequestError } from '../protocol/api-error.ts';
export type * from '../protocol/upload-api.ts';
export type * from '../protocol/records-api.ts';
export { ProcessingApi, isFinal, type ProcessingTask, type ProcessingStarted, type StartedTask, type TaskStatus, type FollowOptions, type ProcessingApiOptions } from '../protocol/processing-api.ts';
export type { ResumeRecord, ResumeStore, FinishedPart } from '../store/resume-record.ts';
export type { PartHasher, PartDigest, HashedPart } from '../worker/hash-pool.ts';
export { NodeUploadEngine, type NodeUploadEngineOptions } from './node-upload-engine.ts';
export { NodeHashPool, defaultThreadCount, type NodeHashPoolOptions } from './node-hash-pool.ts';
export { FetchPartTransport, type FetchPartTransportOptions } from './fetch-transport.ts';
export { FileResumeStore } from './file-resume-store.ts';
export { fileBody, FileRangeBlob, FileChangedError, type FileBody, type FileRange } from './file-body.ts';
export { cacheFolder, configFile } from './cache-folder.ts';
export { formatBytes } from '../engine/sizes.ts';
