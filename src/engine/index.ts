/**
 * The upload engine alone (`dropoff-uploader/engine`): no Lit, no DOM. Give it ports (see ports.ts), or use the
 * assembled engines: BrowserUploadEngine (`dropoff-uploader`) or NodeUploadEngine (`dropoff-uploader/node`). The
 * ports' implementations, DropoffApi (the dropoff protocol's adapter) among them, come from those two entries.
 */
export { UploadEngine, type UploadEngineOptions, type UploadSource, type AddOptions, type PutOptions, type PutEntry, type PutObjectsResult } from './upload-engine.ts';
export type { UploadBody } from './body-source.ts';
export type { UploadItem } from './upload-task.ts';
export type { StateCount, StateTally } from './state-index.ts';
export type * from './upload-events.ts';
export { UploadError, type UploadErrorCode } from './upload-error.ts';
export type { PartPutRequest } from './part-transport.ts';
export { choosePartSize, planParts, partCount, streamPartSize, DEFAULT_PART_SIZE, MIN_PART_SIZE, MAX_PART_SIZE, MAX_PARTS } from './part-plan.ts';
export { keyFor, keyProblem } from './key-rules.ts';
export { parseByteSize } from './sizes.ts';
export type { UploadApi, RecordsApi, FailureKind, PartTransport, PartHasher, PartDigest, HashedPart, ResumeStore, ResumeRecord, FinishedPart, Connectivity } from './ports.ts';
export { ApiRequestError } from '../protocol/api-error.ts';
