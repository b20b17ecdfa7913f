/**
 * The processing routes: POST /process starts processing what was staged under a prefix (202, one task per
 * processor that applies); GET /tasks lists the user's tasks; GET /tasks/{id} gives one with its result. Every route
 * is authenticated like the rest of the API and sees only the caller's own tasks (another user's id is 404).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { AuthVariables } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { authorizePrefix } from '../keys.ts';
import type { Services } from '../services.ts';
import { jsonBody, query } from '../validate.ts';
import { processBody, taskIdParam, taskListQuery } from './schemas.ts';
import { startProcessing } from './start-processing.ts';

/** Builds the routes; `guards` (authentication, rate limit) run before each. */
export function processingRoutes(services: Services, guards: readonly MiddlewareHandler<{ Variables: AuthVariables }>[]) {
  const app = new Hono<{ Variables: AuthVariables }>();
  for (const path of ['/process', '/tasks', '/tasks/*']) app.use(path, ...guards);

  app.post('/process', async (c) => {
    const { filename } = await jsonBody(c, processBody);
    const started = await startProcessing(services.db, services.processing, c.var.user, filename);
    services.log(`process user=${c.var.user.id} prefix=${JSON.stringify(started.prefix)} tasks=${started.tasks.map((t) => `${t.processor}:${t.id}`).join(',')}`);
    return c.json(started, 202);
  });

  app.get('/tasks', async (c) => {
    const { limit, prefix } = query(c, taskListQuery);
    const under = prefix ? authorizePrefix(c.var.user, prefix) : undefined;
    return c.json({ tasks: await services.processing.tasks.list(c.var.user.id, limit, under) });
  });

  app.get('/tasks/:id', async (c) => {
    const parsed = taskIdParam.safeParse(c.req.param('id'));
    if (!parsed.success) throw new ApiError('invalid_request', `Invalid task id: ${parsed.error.issues[0]?.message ?? 'not a UUID'}.`);
    const task = await services.processing.tasks.get(c.var.user.id, parsed.data);
    // Another user's task is answered exactly as one that does not exist.
    if (!task) throw new ApiError('not_found', 'No such task.');
    return c.json(task);
  });

  return app;
}
