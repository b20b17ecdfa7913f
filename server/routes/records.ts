/**
 * What did I submit: the latest submission of each key (paginated, newest first), the history of one key, and counts
 * by status. A user sees only their own records.
 */
import { Hono } from 'hono';
import type { AuthVariables } from '../auth.ts';
import { authorizeKey, authorizePrefix } from '../keys.ts';
import { historyQuery, listQuery, summaryQuery } from '../schemas.ts';
import type { Services } from '../services.ts';
import { query } from '../validate.ts';

/** Builds GET /objects, GET /objects/history and GET /summary. */
export function recordRoutes(services: Services) {
  const app = new Hono<{ Variables: AuthVariables }>();

  app.get('/objects', async (c) => {
    const { prefix, cursor, limit } = query(c, listQuery);
    const user = c.var.user;
    const listPrefix = authorizePrefix(user, prefix);
    const after = cursor === undefined ? undefined : await services.security.cursors.open(cursor, user.id, listPrefix);
    const page = await services.records.list(user.id, listPrefix, limit, after);
    return c.json({ objects: page.objects, ...(page.cursor === undefined ? {} : { cursor: await services.security.cursors.seal(page.cursor, user.id, listPrefix) }) });
  });

  app.get('/objects/history', async (c) => {
    const { key, cursor, limit } = query(c, historyQuery);
    const user = c.var.user;
    authorizeKey(user, key);
    // Sealed like the listing's cursor (bound to this user and this key), so it tells nothing of the record ids.
    const scope = `history:${key}`;
    const before = cursor === undefined ? undefined : await services.security.cursors.open(cursor, user.id, scope);
    const page = await services.records.history(user.id, key, limit, before);
    return c.json({ key, submissions: page.submissions, ...(page.cursor === undefined ? {} : { cursor: await services.security.cursors.seal(page.cursor, user.id, scope) }) });
  });

  app.get('/summary', async (c) => {
    const { prefix, submittedAfter, submittedBefore } = query(c, summaryQuery);
    const summary = await services.records.summary(c.var.user.id, authorizePrefix(c.var.user, prefix), submittedAfter, submittedBefore);
    return c.json({ prefix: prefix ?? c.var.user.space, submittedAfter: submittedAfter ?? null, submittedBefore: submittedBefore ?? null, ...summary });
  });

  return app;
}
