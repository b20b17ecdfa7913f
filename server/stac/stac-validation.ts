/**
 * Checks STAC documents against the schemas of stac-json-schemas.ts with Ajv (the most used JSON Schema validator for
 * JavaScript; formats from ajv-formats), and turns its findings into the field -> problems object the STAC API
 * answers with in a 400.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { ASSET_SCHEMA, COLLECTION_SCHEMA, GEOMETRY_SCHEMA, ITEM_SCHEMA } from './stac-json-schemas.ts';
import { StacError } from './stac-errors.ts';

// ajv-formats is CommonJS with its function as `default`; under Node's ESM loader it can arrive wrapped once more.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(GEOMETRY_SCHEMA);
ajv.addSchema(ASSET_SCHEMA);
const checks = {
  item: ajv.compile(ITEM_SCHEMA),
  collection: ajv.compile(COLLECTION_SCHEMA),
  asset: ajv.getSchema(ASSET_SCHEMA.$id) as ValidateFunction,
};

/** The kinds of document checked. */
export type StacKind = keyof typeof checks;

/** `{ "properties.datetime": ["must match format \"date-time\""] }` for Ajv's errors; if/then/oneOf wrappers left out. */
export function describeErrors(errors: readonly ErrorObject[]): Record<string, string[]> {
  const described: Record<string, string[]> = {};
  for (const error of errors) {
    // "if" only says which "then" failed, and that failure is listed on its own.
    if (error.keyword === 'if') continue;
    const path = error.instancePath.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
    const field = path.join('.') || 'non_field_errors';
    const message = error.keyword === 'required' ? 'This field is required.' : `${error.message ?? 'is invalid'}.`.replace(/^must/, 'Must');
    const list = described[field] ??= [];
    if (!list.includes(message)) list.push(message);
  }
  return described;
}

/** Throws a 400 naming every problem when `document` is not a valid STAC `kind`. */
export function assertValidStac(kind: StacKind, document: unknown): void {
  const check = checks[kind];
  if (!check(document)) throw new StacError(400, describeErrors(check.errors ?? []));
}
