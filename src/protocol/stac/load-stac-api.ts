/**
 * Loads the STAC adapter on first use: in the element's bundle it is a chunk of its own, which a page that never
 * uploads to a STAC API does not download. The element loads it for `protocol="stac"`; programs that give the element
 * (or the engine) a STAC api of their own, e.g. with Basic credentials, load it the same way.
 */
import type { StacApi } from './stac-api.ts';

/** Resolves with the StacApi class (`new (await loadStacApi())({ endpoint, basic: { username, password } })`). */
export async function loadStacApi(): Promise<typeof StacApi> {
  return (await import('./stac-api.ts')).StacApi;
}
