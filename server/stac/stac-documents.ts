/**
 * Builds the STAC documents the API serves from what is stored: the generated links (self, root, parent,
 * collection, items), the bbox of an item's geometry, and the asset objects with their href and file fields.
 */
import type { AssetAddress, StoredAsset, StoredDocument } from './catalog-store.ts';
import { FILE_EXTENSION, STAC_VERSION } from './stac-json-schemas.ts';

/** A STAC link. */
export interface Link {
  /** Where it points. */
  readonly href: string;
  /** Its relation. */
  readonly rel: string;
  /** Media type of the target. */
  readonly type?: string;
  /** A title for people. */
  readonly title?: string;
}

/** Where the API's URLs start, e.g. `http://127.0.0.1:8787/stac/v1`. */
export type BaseUrl = string;

/** Fields the server writes itself: what a client sends for them is replaced. */
const GENERATED = new Set(['links', 'created', 'updated', 'href', 'file:checksum', 'file:size', 'stac_version', 'type', 'id', 'assets', 'bbox', 'collection']);

const enc = encodeURIComponent;

/** The API path of a collection. */
export function collectionUrl(base: BaseUrl, collection: string): string {
  return `${base}/collections/${enc(collection)}`;
}

/** The API path of an item. */
export function itemUrl(base: BaseUrl, collection: string, item: string): string {
  return `${collectionUrl(base, collection)}/items/${enc(item)}`;
}

/** The API path of an asset (of an item, or of the collection itself). */
export function assetUrl(base: BaseUrl, at: AssetAddress): string {
  const owner = at.item === null ? collectionUrl(base, at.collection) : itemUrl(base, at.collection, at.item);
  return `${owner}/assets/${enc(at.asset)}`;
}

/** Links the user wrote, without the ones the server generates. */
function userLinks(document: Record<string, unknown>): Link[] {
  const links = Array.isArray(document.links) ? document.links as Link[] : [];
  return links.filter((l) => !['self', 'root', 'parent', 'collection', 'items'].includes(l?.rel));
}

/** The document without the fields the server generates. */
export function writable(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([name]) => !GENERATED.has(name)));
}

/** An asset's own fields: as {@link writable}, but an asset's `type` is its media type, the writer's to set. */
export function assetWritable(document: Record<string, unknown>): Record<string, unknown> {
  const own = writable(document);
  return typeof document.type === 'string' ? { ...own, type: document.type } : own;
}

/** What is stored of a written document: its own fields, and the links it adds to the generated ones. */
export function storable(document: Record<string, unknown>): Record<string, unknown> {
  const links = userLinks(document);
  return { ...writable(document), ...(links.length > 0 ? { links } : {}) };
}

/** [minX, minY, maxX, maxY] (or 3D) of a GeoJSON geometry; undefined for none. */
export function boundingBox(geometry: unknown): number[] | undefined {
  const min: number[] = [];
  const max: number[] = [];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (value.length > 0 && value.every((v) => typeof v === 'number')) {
      (value as number[]).forEach((v, i) => {
        min[i] = Math.min(min[i] ?? v, v);
        max[i] = Math.max(max[i] ?? v, v);
      });
      return;
    }
    value.forEach(visit);
  };
  const walk = (g: unknown): void => {
    const shape = g as { coordinates?: unknown; geometries?: unknown[] } | null;
    if (!shape || typeof shape !== 'object') return;
    visit(shape.coordinates);
    if (Array.isArray(shape.geometries)) shape.geometries.forEach(walk);
  };
  walk(geometry);
  if (min.length < 2) return undefined;
  const dims = Math.min(min.length, 3);
  return [...min.slice(0, dims), ...max.slice(0, dims)];
}

/** Where an asset's file lives in the bucket, as the asset's href. */
export function assetHref(bucket: string, objectKey: string): string {
  return `s3://${bucket}/${objectKey.split('/').map(enc).join('/')}`;
}

/** An asset object as it sits in an item's (or collection's) `assets`. */
export function assetObject(asset: StoredAsset, href: string, validation?: { status: string; message: string | null }): Record<string, unknown> {
  return {
    ...assetWritable(asset.document),
    href,
    ...(asset.fileChecksum !== null ? { 'file:checksum': asset.fileChecksum } : {}),
    ...(asset.fileSize !== null ? { 'file:size': asset.fileSize } : {}),
    ...(validation ? { 'dropoff:validation': validation.status, ...(validation.message ? { 'dropoff:validation_message': validation.message } : {}) } : {}),
    created: asset.created,
    updated: asset.updated,
  };
}

/** The asset as GET …/assets/{a} serves it: its object, with its id and links. */
export function assetDocument(base: BaseUrl, at: AssetAddress, object: Record<string, unknown>): Record<string, unknown> {
  const parent = at.item === null ? collectionUrl(base, at.collection) : itemUrl(base, at.collection, at.item);
  return {
    id: at.asset,
    ...object,
    links: [
      { rel: 'self', href: assetUrl(base, at) },
      { rel: 'root', href: `${base}/` },
      { rel: 'parent', href: `${parent}/assets` },
      ...(at.item === null ? [] : [{ rel: 'item', href: parent }]),
      { rel: 'collection', href: collectionUrl(base, at.collection) },
    ],
  };
}

/** The extensions a document declares: its own, and the file extension when an asset carries file fields. */
function extensions(document: Record<string, unknown>, assets: Record<string, Record<string, unknown>>): string[] {
  const own = Array.isArray(document.stac_extensions) ? (document.stac_extensions as string[]) : [];
  const usesFile = Object.values(assets).some((a) => Object.keys(a).some((k) => k.startsWith('file:')));
  return usesFile && !own.includes(FILE_EXTENSION) ? [...own, FILE_EXTENSION] : own;
}

/** A default extent for a collection that states none: the whole world, open in time. */
export const WHOLE_EXTENT = { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } };

/** A collection as served. */
export function collectionDocument(base: BaseUrl, stored: StoredDocument, assets: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const d = stored.document;
  return {
    type: 'Collection',
    stac_version: STAC_VERSION,
    id: stored.id,
    ...writable(d),
    stac_extensions: extensions(d, assets),
    extent: d.extent ?? WHOLE_EXTENT,
    created: stored.created,
    updated: stored.updated,
    ...(Object.keys(assets).length > 0 ? { assets } : {}),
    links: [
      { rel: 'self', href: collectionUrl(base, stored.id) },
      { rel: 'root', href: `${base}/` },
      { rel: 'parent', href: `${base}/` },
      { rel: 'items', href: `${collectionUrl(base, stored.id)}/items` },
      ...userLinks(d),
    ],
  };
}

/** An item as served. */
export function itemDocument(base: BaseUrl, collection: string, stored: StoredDocument, assets: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const d = stored.document;
  const properties = { ...(d.properties as Record<string, unknown> | undefined ?? {}), created: stored.created, updated: stored.updated };
  const bbox = boundingBox(d.geometry);
  return {
    type: 'Feature',
    stac_version: STAC_VERSION,
    id: stored.id,
    collection,
    ...writable(d),
    stac_extensions: extensions(d, assets),
    geometry: d.geometry ?? null,
    ...(bbox ? { bbox } : {}),
    properties,
    assets,
    links: [
      { rel: 'self', href: itemUrl(base, collection, stored.id) },
      { rel: 'root', href: `${base}/` },
      { rel: 'parent', href: collectionUrl(base, collection) },
      { rel: 'collection', href: collectionUrl(base, collection) },
      ...userLinks(d),
    ],
  };
}
