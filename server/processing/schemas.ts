/**
 * Schemas of the processing requests (zod, as every request of the API is parsed).
 */
import { z } from 'zod';

/** POST /process: the seed's body, `{"filename": "<prefix or collection id>"}`. */
export const processBody = z.object({
  filename: z.string().min(1, 'filename must name a prefix or a folder of your space').max(1024)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\x00-\x1f\x7f]*$/, 'filename must not hold control characters'),
});

/** GET /tasks/{id}: a task id is a UUID. */
export const taskIdParam = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a task id is a UUID, as POST /process answers');

/** GET /tasks: the latest tasks, optionally only those of a prefix and below. */
export const taskListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  prefix: z.string().max(1024).optional(),
});
