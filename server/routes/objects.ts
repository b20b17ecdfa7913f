/**
 * Single-PUT routes for objects that fit in one part: sign many at once, confirm many at once. A small file then
 * costs one PUT plus its share of two batched calls, instead of create + part + complete.
 */
import { Hono } from 'hono';
import type { AuthVariables } from '../auth.ts';
import { authorizeKey } from '../keys.ts';
import { confirmObjectsBody, signObjectsBody } from '../schemas.ts';
import { recordReceived, type Services } from '../services.ts';
import { METADATA, reportStored } from '../submission.ts';
import { jsonBody } from '../validate.ts';

/** Builds the `/objects` single-PUT routes. */
export function objectRoutes(services: Services) {
  const { store, log } = services;
  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/sign', async (c) => {
    const { objects } = await jsonBody(c, signObjectsBody);
    const user = c.var.user;
    for (const object of objects) authorizeKey(user, object.key);
    const metadataOf = (o: (typeof objects)[number]) => ({ [METADATA.user]: user.id, [METADATA.category]: o.category });
    // Forms (presigned POST) and PUT URLs are signed in two groups, then put back in the order asked.
    const forms = objects.filter((o) => o.form);
    const puts = objects.filter((o) => !o.form);
    const [signedForms, signedPuts] = await Promise.all([
      forms.length ? store.signObjectForms(forms.map((o) => ({ key: o.key, size: o.size, contentType: o.contentType, metadata: metadataOf(o) }))) : [],
      puts.length ? store.signObjects(puts.map((o) => ({ key: o.key, md5: o.md5, contentType: o.contentType, metadata: metadataOf(o) }))) : [],
    ]);
    let f = 0;
    let p = 0;
    const urls = objects.map((o) => (o.form ? signedForms[f++]! : signedPuts[p++]!));
    for (const object of objects) await services.records.authorize(user.id, object.key, object.category, null);
    return c.json({ urls });
  });

  app.post('/confirm', async (c) => {
    const { objects } = await jsonBody(c, confirmObjectsBody);
    const user = c.var.user;
    for (const object of objects) authorizeKey(user, object.key);
    const reports = await Promise.all(objects.map((o) => reportStored(store, o.key, o.size, o.sha256, o.md5)));
    for (const report of reports) await recordReceived(services, user.id, null, report);
    for (const r of reports) log(`confirm user=${user.id} key=${JSON.stringify(r.key)} size=${r.size} etag=${r.etag} sha256=${r.sha256} status=${r.status}`);
    return c.json({ objects: reports });
  });

  return app;
}
