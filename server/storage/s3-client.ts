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
  /** The endpoint browsers use, when it differs from `endpoint` (S3_PUBLIC_ENDPOINT); presigned URLs name it. */
  readonly publicEndpoint?: string | undefined;
  /** How long opening a connection to the storage may take. Default 5 s. */
  readonly connectTimeoutMs?: number | undefined;
  /** How long a storage request may go without a byte moving. Default 30 s. */
  readonly requestTimeoutMs?: number | undefined;
}

/**
 * Creates an S3 client for `settings`; with `forBrowsers`, one whose endpoint is the public one (used to presign
 * URLs only: presigning never contacts the storage).
 */
export function createS3Client(settings: S3Settings, forBrowsers = false): S3Client {
  const endpoint = forBrowsers && settings.publicEndpoint ? settings.publicEndpoint : settings.endpoint;
  return new S3Client({
    region: settings.region,
    ...(endpoint ? { endpoint } : {}),
    // Without these a storage that accepts connections but stalls holds a request (and its caller) for minutes.
    requestHandler: { connectionTimeout: settings.connectTimeoutMs ?? 5_000, requestTimeout: settings.requestTimeoutMs ?? 30_000, throwOnRequestTimeout: true },
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // The SDK's default CRC32 checksums make it send streamed bodies aws-chunked and put a checksum of an empty body
    // into presigned part URLs; S3-compatible servers reject or mangle both. Content-MD5 is our integrity check.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
