/**
 * The headless upload engine: use it without the element.
 */
export { UploadEngine, type UploadEngineOptions, type UploadSource, type AddOptions, type PutOptions, type PutEntry, type PutObjectsResult } from './upload-engine.ts';
export type { UploadBody } from './body-source.ts';
export type { UploadItem } from './upload-task.ts';
export type { StateCount, StateTally } from './state-index.ts';
export type * from './upload-events.ts';
export { UploadError, type UploadErrorCode } from './upload-error.ts';
export { XhrPartTransport, type PartTransport, type PartPutRequest } from './part-transport.ts';
export { choosePartSize, planParts, partCount, streamPartSize, DEFAULT_PART_SIZE, MIN_PART_SIZE, MAX_PART_SIZE, MAX_PARTS } from './part-plan.ts';
export { keyFor, keyProblem } from './key-rules.ts';
export { parseByteSize, formatBytes } from './sizes.ts';
