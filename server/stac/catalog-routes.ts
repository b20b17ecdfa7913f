/**
 * The catalog routes of the STAC API (transaction extension, as far as uploads need it): create, replace and read
 * collections, items and assets. Each write is checked against the STAC schemas in the form it will be served in.
 *
 * GET  /collections                        POST /collections
 * GET  /collections/{c}                    PUT  /collections/{c}
 * GET  /collections/{c}/items              POST /collections/{c}/items
 * GET  /collections/{c}/items/{i}          PUT  /collections/{c}/items/{i}
 * GET  /collections/{c}/items/{i}/assets   GET|PUT /collections/{c}/items/{i}/assets/{a}
 * GET  /collections/{c}/assets             GET|PUT /collections/{c}/assets/{a}
 */
import type { Context, Hono } from 'hono';
import type { AuthVariables } from '../auth.ts';
import type { Services } from '../services.ts';
import type { AssetAddress, CatalogStore, StoredAsset } from './catalog-store.ts';
import {
  assetDocument, assetHref, assetObject, collectionDocument, collectionUrl, itemDocument, itemUrl, assetUrl, assetWritable, storable, type BaseUrl,
} from './stac-documents.ts';
import { notFound, StacError } from './stac-errors.ts';
import { assetObjectKey, checkId } from './stac-ids.ts';
import { assertValidStac } from './stac-validation.ts';
import { intQuery } from './stac-query.ts';
import { readJson } from './upload-bodies.ts';
import { STAC_BASE_PATH } from './stac-config.ts';

type App = Hono<{ Variables: AuthVariables }>;
type Ctx = Context<{ Variables: AuthVariables }>;

/** What the catalog routes work with. */
export interface CatalogRouteParts {
  readonly services: Services;
  readonly catalog: CatalogStore;
  /** The bucket asset hrefs name. */
  readonly bucket: string;
}

/** The API's base URL as the client reached it. */
export function baseUrl(c: Ctx): BaseUrl {
  return `${new URL(c.req.url).origin}${STAC_BASE_PATH}`;
}

/** The JSON object a write sends, or 400. */
async function objectBody(c: Ctx): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new StacError(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] });
  return body as Record<string, unknown>;
}

/** The id a body names must be the one its path names (renaming is not supported). */
function sameId(body: Record<string, unknown>, id: string): void {
  if (body.id !== undefined && body.id !== id) throw new StacError(400, { id: [`The id in the body ("${String(body.id).slice(0, 64)}") differs from the one in the path ("${id}").`] });
}

/** Registers the catalog routes. */
export function registerCatalogRoutes(app: App, parts: CatalogRouteParts): void {
  const { catalog, services, bucket } = parts;

  const assetsOf = async (userId: string, collection: string, item: string | null) => {
    const assets = await catalog.assets(userId, collection, item);
    const validations = await validationsOf(assets);
    return Object.fromEntries(assets.map((a) => {
      const at = { collection, item, asset: a.id };
      return [a.id, assetObject(a, hrefOf(userId, at), validations.get(a.submissionId ?? -1))];
    }));
  };
  // Each user's space is `<user id>/`: the same as the UserAccount's, without needing the account here.
  const hrefOf = (userId: string, at: AssetAddress) => assetHref(bucket, assetObjectKey({ id: userId, space: `${userId}/` }, at));
  const validationsOf = async (assets: readonly StoredAsset[]) => {
    const ids = assets.map((a) => a.submissionId).filter((id): id is number => id !== null);
    if (ids.length === 0) return new Map<number, { status: string; message: string | null }>();
    const rows = await services.db.query<{ id: number | string; status: string; message: string | null }>(
      'SELECT id, status, message FROM submissions WHERE id = ANY($1::bigint[])', [ids]);
    return new Map(rows.map((r) => [Number(r.id), { status: r.status, message: r.message }]));
  };

  const collectionOr404 = async (c: Ctx, id: string) => {
    const found = await catalog.collection(c.var.user.id, id);
    if (!found) throw notFound('Collection');
    return found;
  };

  const serveCollection = async (c: Ctx, id: string) => {
    const stored = await collectionOr404(c, id);
    return collectionDocument(baseUrl(c), stored, await assetsOf(c.var.user.id, id, null));
  };

  app.get('/collections', async (c) => {
    const all = await catalog.collections(c.var.user.id);
    const base = baseUrl(c);
    const collections = await Promise.all(all.map(async (s) => collectionDocument(base, s, await assetsOf(c.var.user.id, s.id, null))));
    return c.json({ collections, links: [{ rel: 'self', href: `${base}/collections` }, { rel: 'root', href: `${base}/` }] });
  });
  app.post('/collections', async (c) => {
    const body = await objectBody(c);
    if (typeof body.id !== 'string') throw new StacError(400, { id: ['This field is required.'] });
    return writeCollection(c, checkId('id', body.id), body, true);
  });
  app.get('/collections/:collection', async (c) => c.json(await serveCollection(c, checkId('collection', c.req.param('collection')))));
  app.put('/collections/:collection', async (c) => writeCollection(c, checkId('collection', c.req.param('collection')), await objectBody(c), false));
  /** Creates (or, unless `onlyCreate`, replaces) a collection, checked as it will be served. */
  async function writeCollection(c: Ctx, id: string, body: Record<string, unknown>, onlyCreate: boolean) {
    sameId(body, id);
    const now = new Date().toISOString();
    assertValidStac('collection', collectionDocument(baseUrl(c), { id, document: body, created: now, updated: now }, {}));
    const { created, stored } = await catalog.putCollection(c.var.user.id, id, storable(body), onlyCreate);
    if (!stored) throw new StacError(409, `Collection "${id}" already exists: replace it with PUT ${STAC_BASE_PATH}/collections/${id}.`);
    if (created) c.header('Location', collectionUrl(baseUrl(c), id));
    return c.json(collectionDocument(baseUrl(c), stored, await assetsOf(c.var.user.id, id, null)), created ? 201 : 200);
  }

  const writeItem = async (c: Ctx, collection: string, id: string, body: Record<string, unknown>, onlyCreate: boolean) => {
    sameId(body, id);
    await collectionOr404(c, collection);
    const now = new Date().toISOString();
    const assets = await assetsOf(c.var.user.id, collection, id);
    assertValidStac('item', itemDocument(baseUrl(c), collection, { id, document: body, created: now, updated: now }, assets));
    const { created, stored } = await catalog.putItem(c.var.user.id, collection, id, storable(body), onlyCreate);
    if (!stored) throw new StacError(409, `Item "${id}" already exists in collection "${collection}": replace it with PUT.`);
    if (created) c.header('Location', itemUrl(baseUrl(c), collection, id));
    return c.json(itemDocument(baseUrl(c), collection, stored, assets), created ? 201 : 200);
  };
  // properties and geometry are the item's own and kept as written (writable() keeps them).
  app.get('/collections/:collection/items', async (c) => {
    const collection = checkId('collection', c.req.param('collection'));
    await collectionOr404(c, collection);
    const limit = intQuery(c, 'limit', 1, 100, 100);
    const after = c.req.query('cursor') ?? '';
    const page = await catalog.items(c.var.user.id, collection, limit + 1, after);
    const base = baseUrl(c);
    const features = await Promise.all(page.slice(0, limit).map(async (s) => itemDocument(base, collection, s, await assetsOf(c.var.user.id, collection, s.id))));
    const links: { rel: string; href: string }[] = [{ rel: 'self', href: `${collectionUrl(base, collection)}/items` }, { rel: 'root', href: `${base}/` }, { rel: 'parent', href: collectionUrl(base, collection) }];
    if (page.length > limit) {
      const next = new URL(c.req.url);
      next.searchParams.set('cursor', page[limit - 1]!.id);
      links.push({ rel: 'next', href: next.toString() });
    }
    return c.json({ type: 'FeatureCollection', features, links });
  });
  app.post('/collections/:collection/items', async (c) => {
    const collection = checkId('collection', c.req.param('collection'));
    const body = await objectBody(c);
    if (typeof body.id !== 'string') throw new StacError(400, { id: ['This field is required.'] });
    return writeItem(c, collection, checkId('id', body.id), body, true);
  });
  app.get('/collections/:collection/items/:item', async (c) => {
    const collection = checkId('collection', c.req.param('collection'));
    const id = checkId('item', c.req.param('item'));
    const stored = await catalog.item(c.var.user.id, collection, id);
    if (!stored) throw notFound('Item');
    return c.json(itemDocument(baseUrl(c), collection, stored, await assetsOf(c.var.user.id, collection, id)));
  });
  app.put('/collections/:collection/items/:item', async (c) => {
    const collection = checkId('collection', c.req.param('collection'));
    return writeItem(c, collection, checkId('item', c.req.param('item')), await objectBody(c), false);
  });

  // Assets of items and of collections: the same routes, `item` null for the latter.
  for (const [prefix, hasItem] of [['/collections/:collection/items/:item', true], ['/collections/:collection', false]] as const) {
    const ownerOf = async (c: Ctx) => {
      const collection = checkId('collection', c.req.param('collection') ?? '');
      const item = hasItem ? checkId('item', c.req.param('item') ?? '') : null;
      if (item === null) await collectionOr404(c, collection);
      else if (!await catalog.item(c.var.user.id, collection, item)) throw notFound('Item');
      return { collection, item };
    };
    app.get(`${prefix}/assets`, async (c) => {
      const { collection, item } = await ownerOf(c);
      const base = baseUrl(c);
      const objects = await assetsOf(c.var.user.id, collection, item);
      const owner = item === null ? collectionUrl(base, collection) : itemUrl(base, collection, item);
      return c.json({
        assets: Object.entries(objects).map(([asset, object]) => assetDocument(base, { collection, item, asset }, object)),
        links: [{ rel: 'self', href: `${owner}/assets` }, { rel: 'root', href: `${base}/` }, { rel: 'parent', href: owner }],
      });
    });
    app.get(`${prefix}/assets/:asset`, async (c) => {
      const { collection, item } = await ownerOf(c);
      const at = { collection, item, asset: checkId('asset', c.req.param('asset') ?? '') };
      const objects = await assetsOf(c.var.user.id, collection, item);
      const object = objects[at.asset];
      if (!object) throw notFound('Asset');
      return c.json(assetDocument(baseUrl(c), at, object));
    });
    app.put(`${prefix}/assets/:asset`, async (c) => {
      const { collection, item } = await ownerOf(c);
      const at = { collection, item, asset: checkId('asset', c.req.param('asset') ?? '') };
      const body = await objectBody(c);
      sameId(body, at.asset);
      if (body.href !== undefined) {
        throw new StacError(400, { href: ['External assets are not supported: the asset file is uploaded through its /uploads route, which sets href.'] });
      }
      if (typeof body.type !== 'string' || !body.type) throw new StacError(400, { type: ['This field is required (the media type of the asset file).'] });
      const document = assetWritable(body);
      const now = new Date().toISOString();
      assertValidStac('asset', { ...document, href: hrefOf(c.var.user.id, at), created: now, updated: now });
      const { created, stored } = await catalog.putAsset(c.var.user.id, at, document);
      if (created) c.header('Location', assetUrl(baseUrl(c), at));
      const validations = await validationsOf([stored]);
      return c.json(assetDocument(baseUrl(c), at, assetObject(stored, hrefOf(c.var.user.id, at), validations.get(stored.submissionId ?? -1))), created ? 201 : 200);
    });
  }
}
