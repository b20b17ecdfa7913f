/**
 * The browser's ports and the engine assembled with them.
 */
export { BrowserUploadEngine } from './browser-upload-engine.ts';
export { IdbResumeStore } from './idb-resume-store.ts';
export { windowConnectivity } from './window-connectivity.ts';
export { XhrPartTransport, formPostEtag } from './xhr-transport.ts';
export { HashPool, HashError, defaultPoolSize, type HashPoolOptions } from '../worker/hash-pool.ts';
