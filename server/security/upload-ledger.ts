/**
 * The `uploads` table: every multipart upload id the server created, with the user and key it was created for, its
 * declared size and part size; and every signed single PUT, as a reservation of its size until its URL expires. Sign,
 * list-parts, complete and abort look the upload up here, so an id works only for its own user and key whatever the
 * storage would accept; quotas count what is reserved here.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.ts';
import type { Database } from '../records/database.ts';

/** A multipart upload as the server created it. */
export interface OwnedUpload {
  /** The storage's upload id. */
  readonly uploadId: string;
  /** Who created it. */
  readonly userId: string;
  /** The key it was created for. */
  readonly key: string;
  /** The size the client declared at create; null for a stream of unknown length. */
  readonly declaredSize: number | null;
  /** The part size planned at create. */
  readonly partSize: number;
  /** When it was created (ISO 8601). */
  readonly createdAt: string;
}

/** What one user holds and is uploading. */
export interface Usage {
  /** Bytes stored (latest stored object of each key) plus bytes being uploaded (declared or reserved). */
  readonly bytes: number;
  /** Keys stored or being uploaded. */
  readonly objects: number;
}

interface Row {
  upload_id: string; user_id: string; key: string; declared_size: number | string | null; part_size: number | string | null; created_at: Date | string;
}

/** The uploads table. */
export class UploadLedger {
  /** @param db the records database, migrated (SECURITY_MIGRATIONS) */
  constructor(private readonly db: Database) {}

  /**
   * Records a multipart upload the storage just created for `userId` and `key`. With `tookOver`, the user's other open
   * uploads of the key (aborted by the take-over) are closed.
   */
  async recordMultipart(userId: string, uploadId: string, key: string, declaredSize: number | undefined, partSize: number, tookOver = false): Promise<void> {
    if (tookOver) {
      await this.db.query(`UPDATE uploads SET closed_at = now() WHERE user_id = $1 AND key = $2 AND kind = 'multipart' AND closed_at IS NULL`, [userId, key]);
    }
    await this.db.query(
      `INSERT INTO uploads (upload_id, user_id, key, kind, declared_size, part_size) VALUES ($1, $2, $3, 'multipart', $4, $5)`,
      [uploadId, userId, key, declaredSize ?? null, partSize]);
  }

  /**
   * The upload `uploadId` if it was created by `userId` for `key`; otherwise 404 upload_not_found, the same answer
   * as for an id that never existed, so another user's ids cannot be probed.
   */
  async owned(userId: string, uploadId: string, key: string): Promise<OwnedUpload> {
    const [row] = await this.db.query<Row>(
      `SELECT upload_id, user_id, key, declared_size, part_size, created_at FROM uploads
       WHERE upload_id = $1 AND kind = 'multipart' AND user_id = $2 AND key = $3`, [uploadId, userId, key]);
    if (!row) throw new ApiError('upload_not_found', 'There is no upload with this id for this key among yours: it was never created, or was created for another key.');
    const created = row.created_at instanceof Date ? row.created_at : new Date(row.created_at);
    return {
      uploadId: row.upload_id, userId: row.user_id, key: row.key, declaredSize: row.declared_size === null ? null : Number(row.declared_size),
      partSize: Number(row.part_size), createdAt: created.toISOString(),
    };
  }

  /** Marks an upload completed or aborted: it no longer counts as bytes being uploaded. */
  async close(uploadId: string): Promise<void> {
    await this.db.query(`UPDATE uploads SET closed_at = now() WHERE upload_id = $1 AND closed_at IS NULL`, [uploadId]);
  }

  /** Reserves the sizes of signed single PUTs until their URLs expire (or they are confirmed). */
  async reserveSingles(userId: string, objects: readonly { key: string; size: number }[], expiresAt: Date): Promise<void> {
    // One statement for the whole batch (up to 100 objects).
    await this.db.query(
      `INSERT INTO uploads (upload_id, user_id, key, kind, declared_size, expires_at)
       SELECT upload_id, $1, key, 'single', size, $5 FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t(upload_id, key, size)`,
      [userId, objects.map(() => `put-${randomUUID()}`), objects.map((o) => o.key), objects.map((o) => o.size), expiresAt.toISOString()]);
  }

  /** Ends the reservations of confirmed single PUTs: the records now count what was stored. */
  async releaseSingles(userId: string, keys: readonly string[]): Promise<void> {
    await this.db.query(
      `UPDATE uploads SET closed_at = now() WHERE user_id = $1 AND kind = 'single' AND closed_at IS NULL AND key = ANY($2::text[])`,
      [userId, [...keys]]);
  }

  /**
   * What `userId` holds: the latest stored object of each key (from the records) plus what is being uploaded
   * (open multipart uploads at their declared size, or one part for streams; single PUTs signed and not yet expired).
   * `addingKeys` are counted as objects too (once each, and not again when already there).
   */
  async usage(userId: string, addingKeys: readonly string[] = []): Promise<Usage> {
    const [row] = await this.db.query<{ bytes: number | string | null; objects: number | string }>(
      `WITH stored AS (
         SELECT DISTINCT ON (key) key, size FROM submissions
         WHERE user_id = $1 AND size IS NOT NULL AND etag IS NOT NULL AND etag <> '' ORDER BY key, id DESC
       ), pending AS (
         SELECT key, COALESCE(declared_size, part_size, 0) AS size FROM uploads
         WHERE user_id = $1 AND closed_at IS NULL AND (expires_at IS NULL OR expires_at > now())
       )
       SELECT (SELECT COALESCE(sum(size), 0) FROM stored) + (SELECT COALESCE(sum(size), 0) FROM pending) AS bytes,
              (SELECT count(*) FROM (SELECT key FROM stored UNION SELECT key FROM pending UNION SELECT unnest($2::text[])) AS keys) AS objects`,
      [userId, [...addingKeys]]);
    return { bytes: Number(row?.bytes ?? 0), objects: Number(row?.objects ?? 0) };
  }
}
