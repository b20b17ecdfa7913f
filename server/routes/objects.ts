/**
 * Single-PUT routes for objects that fit in one part: sign many at once, confirm many at once. A small file then
 * costs one PUT plus its share of two batched calls, instead of create + part + complete.
 */
import { Hono } from 'hono';
import type { AuthVariables } from '../auth.ts';
import { authorizeKey } from '../keys.ts';
import { confirmObjectsBody, signObjectsBody } from '../schemas.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import { METADATA, reportStored } from '../submission.ts';
import { jsonBody } from '../validate.ts';

/** Builds the `/objects` routes over `store`. */
export function objectRoutes(store: UploadStore, log: (line: string) => void) {
  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/sign', async (c) => {
    const { objects } = await jsonBody(c, signObjectsBody);
    const user = c.var.user;
    for (const object of objects) authorizeKey(user, object.key);
    const urls = await store.signObjects(objects.map((o) => ({
      key: o.key, md5: o.md5, contentType: o.contentType, metadata: { [METADATA.user]: user.id, [METADATA.category]: o.category },
    })));
    return c.json({ urls });
  });

  app.post('/confirm', async (c) => {
    const { objects } = await jsonBody(c, confirmObjectsBody);
    const user = c.var.user;
    for (const object of objects) authorizeKey(user, object.key);
    const reports = await Promise.all(objects.map((o) => reportStored(store, o.key, o.size, o.sha256)));
    for (const r of reports) log(`confirm user=${user.id} key=${JSON.stringify(r.key)} size=${r.size} etag=${r.etag} sha256=${r.sha256} status=${r.status}`);
    return c.json({ objects: reports });
  });

  return app;
}
