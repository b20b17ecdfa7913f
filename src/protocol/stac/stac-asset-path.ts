/**
 * Where a STAC asset is: the API's base URL and the asset's path below it. An item asset is
 * `collections/{collection}/items/{item}/assets/{asset}`, a collection asset `collections/{collection}/assets/{asset}`.
 * The engine's object key for a STAC upload is that path; an endpoint may also be the URL of one asset.
 */

/** An item asset or a collection asset. */
export interface StacAssetRef {
  readonly collection: string;
  /** Absent for a collection asset. */
  readonly item?: string;
  readonly asset: string;
}

const ITEM_ASSET = /^collections\/([^/]+)\/items\/([^/]+)\/assets\/([^/]+)$/;
const COLLECTION_ASSET = /^collections\/([^/]+)\/assets\/([^/]+)$/;

/** Reads an asset path (`collections/c/items/i/assets/a` or `collections/c/assets/a`); undefined when it is not one. */
export function parseAssetPath(path: string): StacAssetRef | undefined {
  const item = ITEM_ASSET.exec(path);
  if (item) return { collection: decode(item[1]!), item: decode(item[2]!), asset: decode(item[3]!) };
  const collection = COLLECTION_ASSET.exec(path);
  if (collection) return { collection: decode(collection[1]!), asset: decode(collection[2]!) };
  return undefined;
}

/** The path of an asset below the API's base, each id URL-encoded. */
export function assetPath(ref: StacAssetRef): string {
  const e = encodeURIComponent;
  return ref.item === undefined
    ? `collections/${e(ref.collection)}/assets/${e(ref.asset)}`
    : `collections/${e(ref.collection)}/items/${e(ref.item)}/assets/${e(ref.asset)}`;
}

/** The asset path made of its ids (collection, item unless it is a collection asset, asset). */
export function assetKey(collection: string, item: string | undefined, asset: string): string {
  return item ? `collections/${collection}/items/${item}/assets/${asset}` : `collections/${collection}/assets/${asset}`;
}

/**
 * Splits an endpoint into the API's base URL and, when the endpoint is the URL of one asset, that asset: e.g.
 * `https://host/api/stac/v1/collections/c/items/i/assets/a.tif` gives the base `https://host/api/stac/v1` and the asset.
 */
export function splitEndpoint(endpoint: string): { readonly base: string; readonly asset?: StacAssetRef } {
  const trimmed = endpoint.replace(/\/+$/, '');
  const at = trimmed.lastIndexOf('/collections/');
  if (at >= 0) {
    const asset = parseAssetPath(trimmed.slice(at + 1).split(/[?#]/)[0]!);
    if (asset) return { base: trimmed.slice(0, at), asset };
  }
  return { base: trimmed };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
