/**
 * The reference server's HTTP application: CORS, authentication, routes and error handling, with its storage
 * injected so tests and deployments choose the S3 implementation.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { bearerAuth, type AuthVariables } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { ApiError } from './errors.ts';
import { objectRoutes } from './routes/objects.ts';
import { recordRoutes } from './routes/records.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { STAC_BASE_PATH, stacRoutes } from './stac/stac-app.ts';
import type { Services } from './services.ts';
import { processingRoutes } from './processing/routes.ts';

/** What {@link createApp} needs. */
export interface AppDependencies {
  /** Tokens and allowed origins are read from here. */
  readonly config: Pick<ServerConfig, 'tokens' | 'allowedOrigins' | 'stac' | 's3'>;
  /** Storage, records, jobs and log. */
  readonly services: Services;
  /** Whether the database and the storage answer (GET /ready); default: both "ok". */
  readonly ready?: () => Promise<{ database: string; storage: string }>;
}

/** Builds the Hono app; serve it with @hono/node-server or any Fetch-API runtime. */
export function createApp({ config, services, ready }: AppDependencies): Hono<{ Variables: AuthVariables }> {
  const log = services.log;
  const app = new Hono<{ Variables: AuthVariables }>();
  const anyOrigin = config.allowedOrigins.includes('*');
  app.use('*', cors({
    origin: anyOrigin ? '*' : (origin) => (config.allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    // The engine waits as long as a 429 asks; a page may read only the response headers CORS exposes.
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  }));
  app.use('*', bodyLimit({ maxSize: 2 * 1024 * 1024, onError: () => { throw new ApiError('invalid_request', 'The request body is larger than 2 MiB.'); } }));
  app.get('/health', (c) => c.json({ ok: true }));
  // For load balancers: 503 while the database or the storage does not answer, so traffic goes to another instance.
  app.get('/ready', async (c) => {
    const checks = ready ? await ready() : { database: 'ok', storage: 'ok' };
    const ok = checks.database === 'ok' && checks.storage === 'ok';
    return c.json({ ok, ...checks }, ok ? 200 : 503);
  });
  const authenticate = bearerAuth(config.tokens, services.security.verifyJwt);
  // Every authenticated call costs one point of the user's rate limit (signing costs one more per URL, in the routes).
  const rateLimit = createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    await services.security.rateLimit.consume(c.var.user.id, 1);
    await next();
  });
  // `/uploads/*` also matches `/uploads` itself: each request passes each middleware once.
  for (const path of ['/uploads/*', '/objects/*', '/summary']) app.use(path, authenticate, rateLimit);
  app.route('/uploads', uploadRoutes(services));
  app.route('/objects', objectRoutes(services));
  app.route('/', recordRoutes(services));
  app.route(STAC_BASE_PATH, stacRoutes(services, { tokens: config.tokens, bucket: config.s3.bucket, settings: config.stac }));
  app.route('/', processingRoutes(services, [authenticate, rateLimit]));
  app.notFound(() => { throw new ApiError('not_found', 'No such route.'); });
  app.onError((error, c) => {
    const apiError = error instanceof ApiError ? error : new ApiError('internal_error', 'The server failed unexpectedly.', true, { cause: error });
    if (apiError.code === 'internal_error') log(`internal error: ${error.stack ?? String(error)}`);
    if (apiError.retryAfterSeconds !== undefined) c.header('Retry-After', String(apiError.retryAfterSeconds));
    return c.json(apiError.toJSON(), apiError.status);
  });
  return app;
}
