/**
 * The JSON an asset upload is answered with, field for field as the geoadmin STAC API has it: `upload_id`,
 * `status`, `created`, `completed` or `aborted`, `number_parts`, `update_interval`, `content_encoding`,
 * `file:checksum`, and while in progress the presigned `urls` (`md5_parts` too in the answer to create).
 */
import type { StoredUpload } from './upload-records.ts';

/** An upload as GET …/uploads and …/uploads/{id} show it. */
export function uploadView(upload: StoredUpload, options: { withMd5Parts?: boolean } = {}): Record<string, unknown> {
  const inProgress = upload.status === 'in-progress';
  return {
    upload_id: upload.uploadId,
    status: upload.status,
    created: upload.created,
    ...(upload.status === 'completed' ? { completed: upload.ended } : {}),
    ...(upload.status === 'aborted' ? { aborted: upload.ended } : {}),
    number_parts: upload.numberParts,
    ...(options.withMd5Parts ? { md5_parts: upload.md5Parts } : {}),
    // The URLs stop being offered once the upload is over: they could not be used any more.
    ...(inProgress ? { urls: upload.urls } : {}),
    update_interval: upload.updateInterval,
    content_encoding: upload.contentEncoding,
    'file:checksum': upload.fileChecksum,
  };
}
