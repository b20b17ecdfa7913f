/**
 * The S3 client the reference server uses, configured so that it works with any S3-compatible storage, not only AWS.
 */
import { S3Client } from '@aws-sdk/client-s3';

/** Where the storage is and how to reach it. */
export interface S3Settings {
  /** Endpoint URL, e.g. `http://127.0.0.1:7480`; empty for AWS S3's regional default. */
  readonly endpoint: string;
  /** Region used for signing. */
  readonly region: string;
  /** The bucket all uploads go to. */
  readonly bucket: string;
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most local S3 servers. */
  readonly forcePathStyle: boolean;
}

/** Creates an S3 client for `settings`. */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // The SDK's default CRC32 checksums make it send streamed bodies aws-chunked and put a checksum of an empty body
    // into presigned part URLs; S3-compatible servers reject or mangle both. Content-MD5 is our integrity check.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
