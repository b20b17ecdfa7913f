/**
 * Query parameters of the STAC routes.
 */
import type { Context } from 'hono';
import { StacError } from './stac-errors.ts';

/** An integer query parameter from `min` to `max` (`fallback` when absent), or 400 naming it. */
export function intQuery(c: Context, name: string, min: number, max: number, fallback: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new StacError(400, { [name]: [`Must be an integer from ${min} to ${max}.`] });
  return value;
}
