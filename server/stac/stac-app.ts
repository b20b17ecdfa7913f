/**
 * The STAC API of the reference server, mounted at {@link STAC_BASE_PATH} by server/app.ts: a landing page, the
 * catalog (collections, items, assets) and the asset uploads, behind Basic or Bearer authentication, with the error
 * bodies of the geoadmin STAC API (`{"code", "description"}`).
 */
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AuthVariables } from '../auth.ts';
import type { UserAccount } from '../config.ts';
import type { Services } from '../services.ts';
import { CatalogStore } from './catalog-store.ts';
import { baseUrl, registerCatalogRoutes } from './catalog-routes.ts';
import { stacAuth } from './stac-auth.ts';
import { DEFAULT_STAC, STAC_BASE_PATH, type StacSettings } from './stac-config.ts';
import { StacError, toStacError } from './stac-errors.ts';
import { checkId } from './stac-ids.ts';
import { STAC_VERSION } from './stac-json-schemas.ts';
import { UploadRecords } from './upload-records.ts';
import { registerUploadRoutes } from './upload-routes.ts';

export { STAC_BASE_PATH };

/** What {@link stacRoutes} needs besides the services. */
export interface StacDependencies {
  /** The server's Bearer tokens. */
  readonly tokens: ReadonlyMap<string, UserAccount>;
  /** The bucket asset files are stored in (their href names it). */
  readonly bucket: string;
  /** Basic users; default none. */
  readonly settings?: StacSettings | undefined;
}

/** Builds the STAC API's routes; mount them with `app.route(STAC_BASE_PATH, stacRoutes(...))`. */
export function stacRoutes(services: Services, dependencies: StacDependencies): Hono<{ Variables: AuthVariables }> {
  const app = new Hono<{ Variables: AuthVariables }>();
  const catalog = new CatalogStore(services.db);
  const uploads = new UploadRecords(services.db);
  const log = services.log;

  app.onError((error, c) => {
    const stac = toStacError(error);
    if (stac.status === 500) log(`stac: internal error: ${(error as Error).stack ?? String(error)}`);
    for (const [name, value] of Object.entries(stac.headers)) c.header(name, value);
    return c.json(stac.toJSON(), stac.status);
  });

  // The landing page says what the API is; it holds no one's data, so it needs no credentials. Hono's mount
  // matches `/stac/v1` with `/` and `/stac/v1/` only with the optional-slash pattern: both are served.
  const landing = (c: Context) => {
    const base = baseUrl(c);
    return c.json({
      type: 'Catalog', stac_version: STAC_VERSION, id: 'dropoff', title: 'dropoff STAC API',
      description: 'Each user\'s own catalog: collections, items and assets, with asset files uploaded through presigned part URLs.',
      conformsTo: ['https://api.stacspec.org/v1.0.0/core', 'https://api.stacspec.org/v1.0.0/collections', 'https://api.stacspec.org/v1.0.0/ogcapi-features/extensions/transaction'],
      links: [{ rel: 'self', href: `${base}/` }, { rel: 'root', href: `${base}/` }, { rel: 'data', href: `${base}/collections` }],
    });
  };
  app.get('/', landing);
  app.get('/:slash{/?}', landing);

  const authenticate = stacAuth({ tokens: dependencies.tokens, verifyJwt: services.security.verifyJwt, basicUsers: (dependencies.settings ?? DEFAULT_STAC).basicUsers });
  const rateLimit = createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    await services.security.rateLimit.consume(c.var.user.id, 1);
    await next();
  });
  // `/collections/*` matches `/collections` itself too: each request passes the middleware once.
  app.use('/collections/*', authenticate, rateLimit);

  registerCatalogRoutes(app, { services, catalog, bucket: dependencies.bucket });
  const address = (hasItem: boolean) => (c: Context) => ({
    collection: checkId('collection', c.req.param('collection') ?? ''),
    item: hasItem ? checkId('item', c.req.param('item') ?? '') : null,
    asset: checkId('asset', c.req.param('asset') ?? ''),
  });
  registerUploadRoutes(app, '/collections/:collection/items/:item/assets/:asset', { services, catalog, uploads, address: address(true) });
  registerUploadRoutes(app, '/collections/:collection/assets/:asset', { services, catalog, uploads, address: address(false) });

  // A mounted app's notFound is not consulted (the parent's answers): a last catch-all route keeps the STAC body shape.
  app.all('*', () => { throw new StacError(404, `No such route in the STAC API (its base path is ${STAC_BASE_PATH}).`); });
  return app;
}
