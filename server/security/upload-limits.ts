/**
 * Size limits and per-user quotas, checked when an upload is created or a single PUT is signed (before any byte can
 * be sent), and the exact size of every part, so that it can be bound into the part's presigned URL.
 */
import { partCount, streamPartSize } from '../../src/engine/part-plan.ts';
import { formatBytes } from '../../src/engine/sizes.ts';
import { ApiError } from '../errors.ts';
import type { SecuritySettings } from './security-config.ts';
import type { OwnedUpload, UploadLedger } from './upload-ledger.ts';

/** Checks sizes and quotas for one server. */
export class UploadLimits {
  /**
   * @param ledger what each user holds and is uploading
   * @param settings the configured limits
   */
  constructor(private readonly ledger: UploadLedger, private readonly settings: Pick<SecuritySettings, 'maxObjectBytes' | 'quotaBytes' | 'quotaObjects'>) {}

  /** Throws 413 object_too_large when `size` is over DROPOFF_MAX_OBJECT_BYTES. */
  checkObjectSize(key: string, size: number): void {
    if (size > this.settings.maxObjectBytes) {
      throw new ApiError('object_too_large',
        `"${key}" is ${formatBytes(size)}; this server accepts objects of at most ${formatBytes(this.settings.maxObjectBytes)}.`);
    }
  }

  /**
   * Throws 403 quota_bytes_exceeded or quota_objects_exceeded when storing `objects` (key and size; size 0 when not
   * known yet) would take `userId` past a quota.
   */
  async checkQuota(userId: string, objects: readonly { key: string; size: number }[]): Promise<void> {
    const { quotaBytes, quotaObjects } = this.settings;
    if (quotaBytes === undefined && quotaObjects === undefined) return;
    const usage = await this.ledger.usage(userId, objects.map((o) => o.key));
    const adding = objects.reduce((sum, o) => sum + o.size, 0);
    if (quotaBytes !== undefined && usage.bytes + adding > quotaBytes) {
      const left = Math.max(0, quotaBytes - usage.bytes);
      throw new ApiError('quota_bytes_exceeded',
        `Your storage quota is ${formatBytes(quotaBytes)} and ${formatBytes(left)} of it is free; ${objects.length === 1 ? 'this file needs' : 'these files need'} ${formatBytes(adding)}. Remove files or ask for a larger quota.`);
    }
    if (quotaObjects !== undefined && usage.objects > quotaObjects) {
      throw new ApiError('quota_objects_exceeded',
        `You may keep at most ${quotaObjects.toLocaleString('en')} files, and ${objects.length === 1 ? 'this one' : 'these'} would make ${usage.objects.toLocaleString('en')}. Remove files or ask for a larger quota.`);
    }
  }

  /**
   * The exact byte count of part `partNumber` of `upload`, to bind into its URL; undefined for a stream of unknown
   * length (its last part's size is not known). Throws 400 invalid_request for a part beyond the plan, and 413
   * object_too_large for a stream part that would take the object past the limit.
   */
  partSize(upload: OwnedUpload, partNumber: number): number | undefined {
    if (upload.declaredSize === null) {
      let before = 0;
      for (let n = 1; n < partNumber; n++) before += streamPartSize(upload.partSize, n);
      if (before >= this.settings.maxObjectBytes && partNumber > 1) this.checkObjectSize(upload.key, before + 1);
      return undefined;
    }
    const count = partCount(upload.declaredSize, upload.partSize);
    if (partNumber > count) {
      throw new ApiError('invalid_request', `Invalid request body: part ${partNumber} is past the ${count} part${count === 1 ? '' : 's'} of the ${formatBytes(upload.declaredSize)} declared when the upload was created.`);
    }
    return partNumber < count ? upload.partSize : upload.declaredSize - (count - 1) * upload.partSize;
  }
}
