/**
 * Parses request bodies and queries with a zod schema, turning failures into 400 invalid_request.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors.ts';

/** Parses `value` with `schema`, or throws 400 invalid_request naming every problem. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new ApiError('invalid_request', `Invalid ${what}: ${problems}.`);
  }
  return result.data;
}

/** Reads and validates the JSON body of a request. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError('invalid_request', 'The request body must be JSON.');
  }
  return parseWith(schema, body, 'request body');
}

/** Validates the query string of a request. */
export function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query(), 'query');
}
