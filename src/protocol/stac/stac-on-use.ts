/**
 * A {@link StacApi} that is loaded on first use: the element offers the STAC protocol (`protocol="stac"`) without
 * carrying its adapter in its bundle. Its capability is known at once (the engine picks its flow by it); every call
 * waits for the adapter's chunk first.
 */
import type { UploadApi } from '../upload-api.ts';
import type { StacApiOptions } from './stac-api.ts';
import { STAC_SIGNS_AT_CREATE } from './stac-capability.ts';

/** An UploadApi that loads the STAC adapter (its own chunk) on the first call and passes every call to it. */
export function stacApiOnUse(options: StacApiOptions): UploadApi {
  let loaded: Promise<UploadApi> | undefined;
  const call = <K extends 'createUpload' | 'signParts' | 'listParts' | 'completeUpload' | 'abortUpload'>(name: K) =>
    (async (...args: unknown[]) => {
      loaded ??= import('./stac-api.ts').then((m) => new m.StacApi(options));
      return ((await loaded)[name] as (...a: unknown[]) => unknown)(...args);
    }) as UploadApi[K];
  return {
    signsAtCreate: STAC_SIGNS_AT_CREATE,
    createUpload: call('createUpload'),
    signParts: call('signParts'),
    listParts: call('listParts'),
    completeUpload: call('completeUpload'),
    abortUpload: call('abortUpload'),
  };
}
