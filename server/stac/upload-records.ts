/**
 * The STAC asset uploads in the records database: one row per upload (its S3 upload id, status, the MD5 of each
 * part, the presigned URLs handed out at create, the whole file's checksum). A partial unique index allows one
 * upload in progress per asset (stac-migrations.ts).
 */
import type { Database, Queryable } from '../records/database.ts';
import type { AssetAddress } from './catalog-store.ts';

/** An upload's status, as the STAC API names it. */
export type UploadStatus = 'in-progress' | 'completed' | 'aborted';

/** A presigned part URL as the API hands it out. */
export interface PartUrl {
  /** The presigned PUT URL. */
  readonly url: string;
  /** Its part number. */
  readonly part: number;
  /** When it stops working (ISO 8601). */
  readonly expires: string;
}

/** One part's MD5, as sent at create. */
export interface Md5Part {
  /** 1-based part number. */
  readonly part_number: number;
  /** base64 MD5 of the part. */
  readonly md5: string;
}

/** A stored upload. */
export interface StoredUpload {
  /** Row id (ordering, pagination). */
  readonly rowId: number;
  /** Its owner. */
  readonly userId: string;
  /** The asset it uploads. */
  readonly at: AssetAddress;
  /** The storage's upload id, which is also the API's. */
  readonly uploadId: string;
  /** The object key the file is stored under. */
  readonly objectKey: string;
  /** in-progress, completed or aborted. */
  readonly status: UploadStatus;
  /** Parts declared at create (1..100). */
  readonly numberParts: number;
  /** Each part's MD5, as sent at create. */
  readonly md5Parts: Md5Part[];
  /** The part URLs signed at create. */
  readonly urls: PartUrl[];
  /** The whole file's sha2-256 multihash (hex, lower case), as declared at create. */
  readonly fileChecksum: string;
  /** Seconds until the next update is expected (-1: not regularly updated). */
  readonly updateInterval: number;
  /** The object's Content-Encoding, or ''. */
  readonly contentEncoding: string;
  /** When it was created (ISO 8601). */
  readonly created: string;
  /** When it was completed or aborted. */
  readonly ended: string | null;
}

/** What a create records. */
export type NewUpload = Omit<StoredUpload, 'rowId' | 'status' | 'created' | 'ended'>;

interface Row {
  id: number | string; user_id: string; collection_id: string; item_id: string; asset_id: string; upload_id: string; object_key: string;
  status: UploadStatus; number_parts: number; md5_parts: Md5Part[] | string; urls: PartUrl[] | string; file_checksum: string;
  update_interval: number; content_encoding: string; created: Date | string; ended: Date | string | null;
}

const COLUMNS = 'id, user_id, collection_id, item_id, asset_id, upload_id, object_key, status, number_parts, md5_parts, urls, file_checksum, update_interval, content_encoding, created, ended';
const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
const json = <T>(value: T | string): T => (typeof value === 'string' ? JSON.parse(value) as T : value);

function toUpload(row: Row): StoredUpload {
  return {
    rowId: Number(row.id), userId: row.user_id, at: { collection: row.collection_id, item: row.item_id === '' ? null : row.item_id, asset: row.asset_id },
    uploadId: row.upload_id, objectKey: row.object_key, status: row.status, numberParts: Number(row.number_parts), md5Parts: json(row.md5_parts),
    urls: json(row.urls), fileChecksum: row.file_checksum, updateInterval: Number(row.update_interval), contentEncoding: row.content_encoding,
    created: iso(row.created), ended: row.ended === null ? null : iso(row.ended),
  };
}

/** True for PostgreSQL's unique_violation. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === '23505' || (typeof e?.message === 'string' && /duplicate key value/.test(e.message));
}

/** The uploads table. */
export class UploadRecords {
  /** @param db the records database, migrated */
  constructor(private readonly db: Database) {}

  /** The upload in progress of an asset, if any. */
  async inProgress(userId: string, at: AssetAddress): Promise<StoredUpload | undefined> {
    const [row] = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM stac_uploads WHERE user_id = $1 AND collection_id = $2 AND item_id = $3 AND asset_id = $4 AND status = 'in-progress'`,
      [userId, at.collection, at.item ?? '', at.asset]);
    return row && toUpload(row);
  }

  /**
   * Records a new upload in progress. When another is already in progress for the asset (a create racing this one),
   * nothing is recorded and that other upload is returned as `conflict`.
   */
  async insert(upload: NewUpload): Promise<{ stored?: StoredUpload; conflict?: StoredUpload }> {
    try {
      const [row] = await this.db.query<Row>(
        `INSERT INTO stac_uploads (user_id, collection_id, item_id, asset_id, upload_id, object_key, status, number_parts, md5_parts, urls, file_checksum, update_interval, content_encoding)
         VALUES ($1, $2, $3, $4, $5, $6, 'in-progress', $7, $8::jsonb, $9::jsonb, $10, $11, $12) RETURNING ${COLUMNS}`,
        [upload.userId, upload.at.collection, upload.at.item ?? '', upload.at.asset, upload.uploadId, upload.objectKey, upload.numberParts,
          JSON.stringify(upload.md5Parts), JSON.stringify(upload.urls), upload.fileChecksum, upload.updateInterval, upload.contentEncoding]);
      return { stored: toUpload(row!) };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const conflict = await this.inProgress(upload.userId, upload.at);
      if (!conflict) throw error;
      return { conflict };
    }
  }

  /** One upload of the user's asset by its id. */
  async find(userId: string, at: AssetAddress, uploadId: string): Promise<StoredUpload | undefined> {
    const [row] = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM stac_uploads WHERE user_id = $1 AND collection_id = $2 AND item_id = $3 AND asset_id = $4 AND upload_id = $5
       ORDER BY id DESC LIMIT 1`,
      [userId, at.collection, at.item ?? '', at.asset, uploadId]);
    return row && toUpload(row);
  }

  /** The asset's uploads, oldest first, `limit` of them after row `afterRowId`, optionally of one status. */
  async list(userId: string, at: AssetAddress, status: UploadStatus | undefined, limit: number, afterRowId = 0): Promise<StoredUpload[]> {
    return (await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM stac_uploads WHERE user_id = $1 AND collection_id = $2 AND item_id = $3 AND asset_id = $4
       AND ($5::text IS NULL OR status = $5) AND id > $6 ORDER BY id LIMIT $7`,
      [userId, at.collection, at.item ?? '', at.asset, status ?? null, afterRowId, limit])).map(toUpload);
  }

  /** Ends an upload in progress as `status`; undefined when it was no longer in progress (another call ended it). */
  async end(tx: Queryable, rowId: number, status: 'completed' | 'aborted'): Promise<StoredUpload | undefined> {
    const [row] = await tx.query<Row>(
      `UPDATE stac_uploads SET status = $2, ended = now() WHERE id = $1 AND status = 'in-progress' RETURNING ${COLUMNS}`, [rowId, status]);
    return row && toUpload(row);
  }
}
