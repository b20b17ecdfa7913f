/**
 * The STAC adapter, loaded on first use: the element offers the STAC protocol (`protocol="stac"`, or
 * `api = createStacApi(...)`) without carrying the adapter in its bundle. The capability is known at once (the engine
 * picks its flow by it; the STAC retry table's part rows are the engine's default ones); every call waits for the
 * adapter's chunk first.
 */
import type { UploadApi } from '../upload-api.ts';
import type { StacApiOptions } from './stac-api.ts';
import { STAC_MAX_PARTS } from './stac-limits.ts';

/**
 * An UploadApi for the STAC asset upload (see StacApi for the options: endpoint, Basic or Bearer credentials): the
 * adapter is loaded (its own chunk) on the first call, and every call is passed to it.
 */
export function createStacApi(options: StacApiOptions): UploadApi {
  let loaded: Promise<Record<string, (...args: unknown[]) => unknown>> | undefined;
  const api: Record<string, unknown> = { signsAtCreate: { maxParts: STAC_MAX_PARTS } };
  for (const name of ['createUpload', 'signParts', 'listParts', 'completeUpload', 'abortUpload']) {
    api[name] = async (...args: unknown[]) => (await (loaded ??= import('./stac-api.ts').then((m) => new m.StacApi(options) as never)))[name]!(...args);
  }
  return api as unknown as UploadApi;
}
