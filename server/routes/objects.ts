/**
 * Single-PUT routes for objects that fit in one part: sign many at once, confirm many at once. A small file then
 * costs one PUT plus its share of two batched calls, instead of create + part + complete.
 */
import { Hono } from 'hono';
import PQueue from 'p-queue';
import type { AuthVariables } from '../auth.ts';
import { authorizeKey } from '../keys.ts';
import { confirmObjectsBody, signObjectsBody } from '../schemas.ts';
import { recordReceived, type Services } from '../services.ts';
import { METADATA, newUploadToken, refuseDuplicateKeys, reportStored } from '../submission.ts';
import { jsonBody } from '../validate.ts';
import { checkConfirmObjects, checkSignObjects, recordConfirmedObjects, recordSignedObjects } from '../security/upload-guard.ts';

/** Storage reads (a GET for a small object, a HEAD for a larger one) one confirm sends at once. */
const CONFIRM_READS = 16;

/** Builds the `/objects` single-PUT routes. */
export function objectRoutes(services: Services) {
  const { store, log } = services;
  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/sign', async (c) => {
    const { objects } = await jsonBody(c, signObjectsBody);
    const user = c.var.user;
    for (const object of objects) authorizeKey(user, object.key);
    refuseDuplicateKeys(objects);
    await checkSignObjects(services.security, user, objects);
    const tokens = new Map(objects.map((o) => [o, newUploadToken()]));
    const metadataOf = (o: (typeof objects)[number]) => ({ [METADATA.user]: user.id, [METADATA.category]: o.category, [METADATA.token]: tokens.get(o)! });
    // Forms (presigned POST) and PUT URLs are signed in two groups, then put back in the order asked.
    const forms = objects.filter((o) => o.form);
    const puts = objects.filter((o) => !o.form);
    const [signedForms, signedPuts] = await Promise.all([
      forms.length ? store.signObjectForms(forms.map((o) => ({ key: o.key, size: o.size, contentType: o.contentType, metadata: metadataOf(o) }))) : [],
      puts.length ? store.signObjects(puts.map((o) => ({ key: o.key, md5: o.md5, contentType: o.contentType, metadata: metadataOf(o), size: o.size }))) : [],
    ]);
    let f = 0;
    let p = 0;
    const urls = objects.map((o) => (o.form ? signedForms[f++]! : signedPuts[p++]!));
    await recordSignedObjects(services.security, user, objects, urls[0]?.expiresAt);
    await services.records.authorize(user.id, objects.map((o) => ({ key: o.key, category: o.category, uploadId: null, token: tokens.get(o)! })));
    return c.json({ urls });
  });

  app.post('/confirm', async (c) => {
    const { objects } = await jsonBody(c, confirmObjectsBody);
    const user = c.var.user;
    for (const object of objects) authorizeKey(user, object.key);
    refuseDuplicateKeys(objects);
    await checkConfirmObjects(services.security, user, objects);
    // A bounded number of reads at once: a batch of 1,000 neither waits on them one by one nor floods the storage.
    // Small objects are read whole (a GET instead of a HEAD) and validated from that read, without a job.
    const reads = new PQueue({ concurrency: CONFIRM_READS });
    const stored = await Promise.all(objects.map((o) => reads.add(() => reportStored(store, o.key, o.size, o.sha256, o.md5, services.validator)) as Promise<Awaited<ReturnType<typeof reportStored>>>));
    const reports = await recordReceived(services, user.id, null, stored);
    await recordConfirmedObjects(services.security, user, objects.map((o) => o.key));
    for (const r of reports) log(`confirm user=${user.id} key=${JSON.stringify(r.key)} size=${r.size} etag=${r.etag} sha256=${r.sha256} status=${r.status}`);
    return c.json({ objects: reports });
  });

  return app;
}
