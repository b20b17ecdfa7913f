/**
 * JSON Schemas (draft-07) of what the STAC API stores and serves: STAC 1.0.0 Items, Collections and Assets, and the
 * fields of the STAC file extension v2.1.0 (`file:checksum`, `file:size`) on assets.
 *
 * Why here and not from npm: no npm package ships the official stac-spec schemas for offline use (the validators
 * on npm fetch them from schemas.stacspec.org at run time, which a server must not depend on). These schemas state
 * the rules of those specifications (required fields, types, formats, the GeoJSON geometry shapes, the datetime /
 * start_datetime + end_datetime rule, bbox when there is a geometry, the extent of a Collection, the file fields'
 * formats), written for Ajv, which checks them.
 */

/** The STAC version this server writes. */
export const STAC_VERSION = '1.0.0';

/** The file extension's schema URL, listed in `stac_extensions` of a document whose assets carry file fields. */
export const FILE_EXTENSION = 'https://stac-extensions.github.io/file/v2.1.0/schema.json';

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const position = { type: 'array', minItems: 2, maxItems: 3, items: { type: 'number' } } as const;
// Four numbers (2D) or six (3D).
const bbox = { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 6, not: { minItems: 5, maxItems: 5 } } as const;
/** A date-time or null (format applies to strings only, so null passes it). */
const dateTimeOrNull = { type: ['string', 'null'], format: 'date-time' } as const;

/** GeoJSON geometry (RFC 7946): the `coordinates` nesting each `type` requires. */
export const GEOMETRY_SCHEMA = {
  $id: 'dropoff:stac/geometry',
  type: 'object',
  required: ['type'],
  properties: {
    type: { enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] },
    bbox,
  },
  allOf: [
    { if: { properties: { type: { const: 'Point' } } }, then: { required: ['coordinates'], properties: { coordinates: position } } },
    { if: { properties: { type: { const: 'MultiPoint' } } }, then: { required: ['coordinates'], properties: { coordinates: { type: 'array', items: position } } } },
    { if: { properties: { type: { const: 'LineString' } } }, then: { required: ['coordinates'], properties: { coordinates: { type: 'array', minItems: 2, items: position } } } },
    {
      if: { properties: { type: { const: 'MultiLineString' } } },
      then: { required: ['coordinates'], properties: { coordinates: { type: 'array', items: { type: 'array', minItems: 2, items: position } } } },
    },
    {
      // A polygon's rings are closed: at least four positions each.
      if: { properties: { type: { const: 'Polygon' } } },
      then: { required: ['coordinates'], properties: { coordinates: { type: 'array', items: { type: 'array', minItems: 4, items: position } } } },
    },
    {
      if: { properties: { type: { const: 'MultiPolygon' } } },
      then: { required: ['coordinates'], properties: { coordinates: { type: 'array', items: { type: 'array', items: { type: 'array', minItems: 4, items: position } } } } },
    },
    {
      if: { properties: { type: { const: 'GeometryCollection' } } },
      then: { required: ['geometries'], properties: { geometries: { type: 'array', items: { $ref: 'dropoff:stac/geometry' } } } },
    },
  ],
} as const;

const link = {
  type: 'object',
  required: ['href', 'rel'],
  properties: { href: nonEmptyString, rel: nonEmptyString, type: { type: 'string' }, title: { type: 'string' } },
} as const;

/** An Asset object (STAC 1.0.0) with the file extension's fields. */
export const ASSET_SCHEMA = {
  $id: 'dropoff:stac/asset',
  type: 'object',
  required: ['href'],
  properties: {
    href: nonEmptyString,
    title: { type: 'string' },
    description: { type: 'string' },
    type: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    created: dateTime,
    updated: dateTime,
    // A multihash in hex: code, length, digest.
    'file:checksum': { type: 'string', pattern: '^[a-f0-9]+$' },
    'file:size': { type: 'integer', minimum: 0 },
  },
} as const;

const stacExtensions = { type: 'array', uniqueItems: true, items: { type: 'string', format: 'uri' } } as const;

/** A STAC 1.0.0 Item. */
export const ITEM_SCHEMA = {
  $id: 'dropoff:stac/item',
  type: 'object',
  required: ['type', 'stac_version', 'id', 'geometry', 'properties', 'links', 'assets'],
  properties: {
    type: { const: 'Feature' },
    stac_version: { const: STAC_VERSION },
    stac_extensions: stacExtensions,
    id: nonEmptyString,
    collection: { type: 'string' },
    geometry: { type: ['object', 'null'], allOf: [{ if: { type: 'object' }, then: { $ref: 'dropoff:stac/geometry' } }] },
    bbox,
    properties: {
      type: 'object',
      required: ['datetime'],
      properties: {
        datetime: dateTimeOrNull,
        start_datetime: dateTime,
        end_datetime: dateTime,
        created: dateTime,
        updated: dateTime,
        title: { type: 'string' },
        description: { type: 'string' },
      },
      // Without a datetime, the item must say the range it covers.
      if: { required: ['datetime'], properties: { datetime: { type: 'null' } } },
      then: { required: ['start_datetime', 'end_datetime'] },
    },
    links: { type: 'array', items: link },
    assets: { type: 'object', additionalProperties: { $ref: 'dropoff:stac/asset' } },
  },
  // An item with a geometry has a bbox.
  if: { properties: { geometry: { type: 'object' } } },
  then: { required: ['bbox'] },
} as const;

const providerRoles = { enum: ['producer', 'licensor', 'processor', 'host'] } as const;

/** A STAC 1.0.0 Collection. */
export const COLLECTION_SCHEMA = {
  $id: 'dropoff:stac/collection',
  type: 'object',
  required: ['type', 'stac_version', 'id', 'description', 'license', 'extent', 'links'],
  properties: {
    type: { const: 'Collection' },
    stac_version: { const: STAC_VERSION },
    stac_extensions: stacExtensions,
    id: nonEmptyString,
    title: { type: 'string' },
    description: nonEmptyString,
    keywords: { type: 'array', items: { type: 'string' } },
    // An SPDX identifier or expression, `various` or `proprietary`.
    license: { type: 'string', pattern: '^[\\w\\-\\.\\+]+$' },
    providers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: { name: nonEmptyString, description: { type: 'string' }, roles: { type: 'array', items: providerRoles }, url: { type: 'string', format: 'uri' } },
      },
    },
    extent: {
      type: 'object',
      required: ['spatial', 'temporal'],
      properties: {
        spatial: { type: 'object', required: ['bbox'], properties: { bbox: { type: 'array', minItems: 1, items: bbox } } },
        temporal: {
          type: 'object',
          required: ['interval'],
          properties: {
            interval: { type: 'array', minItems: 1, items: { type: 'array', minItems: 2, maxItems: 2, items: dateTimeOrNull } },
          },
        },
      },
    },
    summaries: { type: 'object' },
    links: { type: 'array', items: link },
    assets: { type: 'object', additionalProperties: { $ref: 'dropoff:stac/asset' } },
  },
} as const;
