/**
 * The request bodies of the asset upload routes, checked with zod, and their problems reported the way the geoadmin
 * STAC API reports them: `{"number_parts": ["Ensure this value is less than or equal to 100."]}`, and
 * `non_field_errors` for problems of the whole body.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { StacError } from './stac-errors.ts';

/** The sha2-256 multihash prefix: function code 0x12, digest length 0x20. */
export const SHA256_MULTIHASH_PREFIX = '1220';

/** The largest number of parts an asset upload may have. */
export const MAX_PARTS = 100;

const REQUIRED = 'This field is required.';

const partNumber = z.number({ error: (issue) => (issue.input === undefined ? REQUIRED : 'A valid integer is required.') })
  .int('A valid integer is required.')
  .min(1, 'Ensure this value is greater than or equal to 1.')
  .max(MAX_PARTS, `Ensure this value is less than or equal to ${MAX_PARTS}.`);

/** A base64 MD5 digest: 16 bytes, 24 characters. */
const md5 = z.string({ error: (issue) => (issue.input === undefined ? REQUIRED : 'Not a valid string.') })
  .refine((value) => /^[A-Za-z0-9+/]{22}==$/.test(value) && Buffer.from(value, 'base64').length === 16,
    'Invalid MD5: must be the base64 of the part\'s 16-byte MD5 digest (24 characters).');

/** `file:checksum`: a sha2-256 multihash in hex ("1220" + 64 hex digits); either case is accepted, lower case kept. */
const checksum = z.string({ error: (issue) => (issue.input === undefined ? REQUIRED : 'Not a valid string.') })
  .refine((value) => /^1220[0-9a-fA-F]{64}$/.test(value),
    'Invalid multihash value: must be a sha2-256 multihash in hex, "1220" followed by the 64 hex digits of the SHA-256.')
  .transform((value) => value.toLowerCase());

/** The body of POST …/uploads. */
export const createUploadBody = z.object({
  number_parts: partNumber,
  md5_parts: z.array(z.object({ part_number: partNumber, md5 }, { error: 'Invalid data. Expected a dictionary.' }), { error: (issue) => (issue.input === undefined ? REQUIRED : 'Expected a list of items.') }),
  'file:checksum': checksum,
  update_interval: z.number().int('A valid integer is required.').min(-1, 'Ensure this value is greater than or equal to -1.').max(604_800, 'Ensure this value is less than or equal to 604800.').nullish(),
  content_encoding: z.enum(['gzip', 'br'], { error: (issue) => `Invalid encoding "${String(issue.input)}": must be one of "br, gzip"` }).nullish(),
}, { error: 'Invalid data. Expected a dictionary.' });

/** The body of POST …/uploads/{id}/complete. */
export const completeUploadBody = z.object({
  parts: z.array(
    z.object({
      etag: z.string({ error: (issue) => (issue.input === undefined ? REQUIRED : 'Not a valid string.') }).min(1, 'This field may not be blank.'),
      part_number: partNumber,
    }, { error: (issue) => `Invalid data. Expected a dictionary, but got ${Array.isArray(issue.input) ? 'list' : typeof issue.input}.` }),
    { error: (issue) => (issue.input === undefined ? 'Missing required field' : 'Expected a list of items.') },
  ).min(1, 'This list may not be empty.'),
}, { error: 'Invalid data. Expected a dictionary.' });

/** Reads the JSON body, or throws 400 when it is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new StacError(400, 'JSON parse error: the request body must be a JSON object.');
  }
}

/** Parses `value` with `schema`, or throws 400 with field -> problems. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const described: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'non_field_errors';
    const list = described[field] ??= [];
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  throw new StacError(400, described);
}

/** The parsed body of a create. */
export type CreateUploadBody = z.infer<typeof createUploadBody>;

/**
 * Checks that `md5_parts` names each part 1..number_parts exactly once, as the storage needs one MD5 per part URL.
 */
export function checkMd5Parts(body: CreateUploadBody): void {
  const numbers = new Set(body.md5_parts.map((p) => p.part_number));
  const complete = body.md5_parts.length === body.number_parts && numbers.size === body.number_parts
    && [...numbers].every((n) => n >= 1 && n <= body.number_parts);
  if (!complete) {
    throw new StacError(400, { non_field_errors: [`Missing, too many or duplicate part_number in md5_parts field list: list should have ${body.number_parts} item(s).`] });
  }
}
