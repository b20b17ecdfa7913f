/**
 * Prepares a bucket for browser uploads: creates it when missing and sets the CORS rules a page needs
 * (PUT from the page's origin, the Content-MD5 header, and the ETag header readable by scripts).
 */
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';

/** Creates `bucket` if it does not exist and sets its CORS configuration for `allowedOrigins`. */
export async function prepareBucket(client: S3Client, bucket: string, allowedOrigins: readonly string[]): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  await client.send(new PutBucketCorsCommand({
    Bucket: bucket,
    CORSConfiguration: {
      CORSRules: [{
        AllowedOrigins: [...allowedOrigins],
        AllowedMethods: ['GET', 'PUT', 'POST', 'HEAD'],
        AllowedHeaders: ['*'],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 3600,
      }],
    },
  }));
}
