/**
 * The STAC catalog in the records database: collections, items and assets as JSON documents, each row owned by
 * one user (see stac-migrations.ts). Only what the user wrote is stored; links, bbox, ids and the file fields are
 * added when a document is served (stac-documents.ts).
 */
import type { Database, Queryable } from '../records/database.ts';

/** Where an asset hangs: an item's asset, or a collection's own (item null). */
export interface AssetAddress {
  /** The collection id. */
  readonly collection: string;
  /** The item id; null for the collection's own asset. */
  readonly item: string | null;
  /** The asset id. */
  readonly asset: string;
}

/** A stored document with its times. */
export interface StoredDocument {
  /** Its id. */
  readonly id: string;
  /** What its writer sent, less the generated fields. */
  readonly document: Record<string, unknown>;
  /** When it was created (ISO 8601). */
  readonly created: string;
  /** When it last changed (ISO 8601). */
  readonly updated: string;
}

/** A stored asset: its document, and what its last completed upload said about the file. */
export interface StoredAsset extends StoredDocument {
  /** file:checksum of its last completed upload. */
  readonly fileChecksum: string | null;
  /** file:size of its last completed upload (what the storage holds). */
  readonly fileSize: number | null;
  /** The submission record its last upload was validated under. */
  readonly submissionId: number | null;
}

interface DocumentRow { id: string; document: Record<string, unknown> | string; created: Date | string; updated: Date | string }
interface AssetRow extends DocumentRow { file_checksum: string | null; file_size: number | string | null; submission_id: number | string | null }

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
// PGlite and pg both parse JSONB; a string means a driver that did not.
const json = (value: Record<string, unknown> | string) => (typeof value === 'string' ? JSON.parse(value) as Record<string, unknown> : value);

function toDocument(row: DocumentRow): StoredDocument {
  return { id: row.id, document: json(row.document), created: iso(row.created), updated: iso(row.updated) };
}

function toAsset(row: AssetRow): StoredAsset {
  return {
    ...toDocument(row),
    fileChecksum: row.file_checksum,
    fileSize: row.file_size === null ? null : Number(row.file_size),
    submissionId: row.submission_id === null ? null : Number(row.submission_id),
  };
}

const ASSET_COLUMNS = 'id, document, created, updated, file_checksum, file_size, submission_id';

/** Reads and writes one database's STAC catalog. */
export class CatalogStore {
  /** @param db the records database, migrated */
  constructor(private readonly db: Database) {}

  /** The user's collections, by id. */
  async collections(userId: string): Promise<StoredDocument[]> {
    return (await this.db.query<DocumentRow>('SELECT id, document, created, updated FROM stac_collections WHERE user_id = $1 ORDER BY id', [userId])).map(toDocument);
  }

  /** One of the user's collections. */
  async collection(userId: string, id: string): Promise<StoredDocument | undefined> {
    const [row] = await this.db.query<DocumentRow>('SELECT id, document, created, updated FROM stac_collections WHERE user_id = $1 AND id = $2', [userId, id]);
    return row && toDocument(row);
  }

  /** Creates or replaces a collection; `onlyCreate` leaves an existing one alone. Says whether it was created. */
  async putCollection(userId: string, id: string, document: Record<string, unknown>, onlyCreate = false): Promise<{ created: boolean; stored: StoredDocument | undefined }> {
    return this.upsert(this.db, 'stac_collections', ['user_id', 'id'], [userId, id], document, onlyCreate);
  }

  /** Items of a collection, by id, `limit` of them after `afterId`. */
  async items(userId: string, collection: string, limit: number, afterId = ''): Promise<StoredDocument[]> {
    return (await this.db.query<DocumentRow>(
      'SELECT id, document, created, updated FROM stac_items WHERE user_id = $1 AND collection_id = $2 AND id > $3 ORDER BY id LIMIT $4',
      [userId, collection, afterId, limit])).map(toDocument);
  }

  /** One item. */
  async item(userId: string, collection: string, id: string): Promise<StoredDocument | undefined> {
    const [row] = await this.db.query<DocumentRow>(
      'SELECT id, document, created, updated FROM stac_items WHERE user_id = $1 AND collection_id = $2 AND id = $3', [userId, collection, id]);
    return row && toDocument(row);
  }

  /** Creates or replaces an item (its collection must exist); `onlyCreate` leaves an existing one alone. */
  async putItem(userId: string, collection: string, id: string, document: Record<string, unknown>, onlyCreate = false): Promise<{ created: boolean; stored: StoredDocument | undefined }> {
    return this.upsert(this.db, 'stac_items', ['user_id', 'collection_id', 'id'], [userId, collection, id], document, onlyCreate);
  }

  /** The assets of an item (or of the collection itself when `item` is null), by id. */
  async assets(userId: string, collection: string, item: string | null): Promise<StoredAsset[]> {
    return (await this.db.query<AssetRow>(
      `SELECT ${ASSET_COLUMNS} FROM stac_assets WHERE user_id = $1 AND collection_id = $2 AND item_id = $3 ORDER BY id`,
      [userId, collection, item ?? ''])).map(toAsset);
  }

  /** One asset. */
  async asset(userId: string, at: AssetAddress): Promise<StoredAsset | undefined> {
    const [row] = await this.db.query<AssetRow>(
      `SELECT ${ASSET_COLUMNS} FROM stac_assets WHERE user_id = $1 AND collection_id = $2 AND item_id = $3 AND id = $4`,
      [userId, at.collection, at.item ?? '', at.asset]);
    return row && toAsset(row);
  }

  /** Creates or replaces an asset's document (its file fields stay). Says whether it was created. */
  async putAsset(userId: string, at: AssetAddress, document: Record<string, unknown>): Promise<{ created: boolean; stored: StoredAsset }> {
    const [row] = await this.db.query<AssetRow & { inserted: boolean }>(
      `INSERT INTO stac_assets (user_id, collection_id, item_id, id, document) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (user_id, collection_id, item_id, id) DO UPDATE SET document = EXCLUDED.document, updated = now()
       RETURNING ${ASSET_COLUMNS}, (xmax = 0) AS inserted`,
      [userId, at.collection, at.item ?? '', at.asset, JSON.stringify(document)]);
    return { created: Boolean(row!.inserted), stored: toAsset(row!) };
  }

  /** Records the file a completed upload left: its checksum, size, and the submission validating it. */
  async setAssetFile(tx: Queryable, userId: string, at: AssetAddress, checksum: string, size: number, submissionId: number | null): Promise<void> {
    await tx.query(
      `UPDATE stac_assets SET file_checksum = $5, file_size = $6, submission_id = $7, updated = now()
       WHERE user_id = $1 AND collection_id = $2 AND item_id = $3 AND id = $4`,
      [userId, at.collection, at.item ?? '', at.asset, checksum, size, submissionId]);
  }

  private async upsert(db: Queryable, table: string, keyColumns: string[], keys: unknown[], document: Record<string, unknown>, onlyCreate: boolean) {
    const placeholders = keys.map((_, i) => `$${i + 1}`).join(', ');
    const conflict = onlyCreate ? 'DO NOTHING' : 'DO UPDATE SET document = EXCLUDED.document, updated = now()';
    const [row] = await db.query<DocumentRow & { inserted: boolean }>(
      `INSERT INTO ${table} (${keyColumns.join(', ')}, document) VALUES (${placeholders}, $${keys.length + 1}::jsonb)
       ON CONFLICT (${keyColumns.join(', ')}) ${conflict}
       RETURNING id, document, created, updated, (xmax = 0) AS inserted`,
      [...keys, JSON.stringify(document)]);
    return { created: Boolean(row?.inserted), stored: row && toDocument(row) };
  }
}
