/**
 * The STAC catalog's tables (versions 40..59 of the records schema, appended to server/records/migrations.ts):
 * collections, items and assets as JSON documents, each owned by one user, and the asset uploads.
 *
 * Every row carries its owner's user id in its key: each user has a catalog of their own, so another user's
 * collection, item, asset or upload id is simply not found (404), never forbidden (which would say it exists).
 * Collection assets have the empty string as their item id.
 */

/** The STAC migrations, oldest first. Never edit one that has shipped: add the next (up to version 59). */
export const STAC_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 40,
    sql: `
      CREATE TABLE stac_collections (
        user_id TEXT NOT NULL,
        id TEXT NOT NULL,
        document JSONB NOT NULL,
        created TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, id)
      );
      CREATE TABLE stac_items (
        user_id TEXT NOT NULL,
        collection_id TEXT NOT NULL,
        id TEXT NOT NULL,
        document JSONB NOT NULL,
        created TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, collection_id, id),
        FOREIGN KEY (user_id, collection_id) REFERENCES stac_collections (user_id, id) ON DELETE CASCADE
      );
      CREATE TABLE stac_assets (
        user_id TEXT NOT NULL,
        collection_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        id TEXT NOT NULL,
        document JSONB NOT NULL,
        file_checksum TEXT,
        file_size BIGINT,
        submission_id BIGINT,
        created TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, collection_id, item_id, id),
        FOREIGN KEY (user_id, collection_id) REFERENCES stac_collections (user_id, id) ON DELETE CASCADE
      );
      CREATE TABLE stac_uploads (
        id BIGSERIAL PRIMARY KEY,
        user_id TEXT NOT NULL,
        collection_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        asset_id TEXT NOT NULL,
        upload_id TEXT NOT NULL,
        object_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('in-progress', 'completed', 'aborted')),
        number_parts INTEGER NOT NULL,
        md5_parts JSONB NOT NULL,
        urls JSONB NOT NULL,
        file_checksum TEXT NOT NULL,
        update_interval INTEGER NOT NULL DEFAULT -1,
        content_encoding TEXT NOT NULL DEFAULT '',
        created TIMESTAMPTZ NOT NULL DEFAULT now(),
        ended TIMESTAMPTZ,
        FOREIGN KEY (user_id, collection_id, item_id, asset_id) REFERENCES stac_assets (user_id, collection_id, item_id, id) ON DELETE CASCADE
      );
      -- The one-in-progress rule, held by the database itself: two creates racing for one asset cannot both insert.
      CREATE UNIQUE INDEX stac_uploads_one_in_progress ON stac_uploads (user_id, collection_id, item_id, asset_id) WHERE status = 'in-progress';
      CREATE INDEX stac_uploads_by_asset ON stac_uploads (user_id, collection_id, item_id, asset_id, id);
      CREATE INDEX stac_uploads_by_upload_id ON stac_uploads (user_id, upload_id);
    `,
  },
];
