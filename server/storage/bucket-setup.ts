/**
 * Prepares a bucket for browser uploads: creates it when missing and sets the CORS rules a page needs
 * (PUT from the page's origin, the Content-MD5 header, and the ETag header readable by scripts).
 */
import { CreateBucketCommand, GetBucketCorsCommand, HeadBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';

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

/**
 * What stops browsers from uploading to `bucket`, as sentences (empty when nothing): the bucket missing, no CORS
 * rule allowing PUT from `allowedOrigins`, or the ETag header not exposed to scripts. A storage that refuses to show
 * its CORS rules (access denied, not implemented) is reported as a warning, not a problem.
 */
export async function checkBucket(client: S3Client, bucket: string, allowedOrigins: readonly string[]): Promise<{ problems: string[]; warnings: string[] }> {
  const problems: string[] = [];
  const warnings: string[] = [];
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) problems.push(`the bucket "${bucket}" does not exist`);
    else if (status === 403) problems.push(`the credentials may not use the bucket "${bucket}" (403)`);
    else problems.push(`the storage did not answer about the bucket "${bucket}" (${(error as Error).name}: ${(error as Error).message})`);
    return { problems, warnings };
  }
  let rules: { AllowedOrigins?: string[]; AllowedMethods?: string[]; ExposeHeaders?: string[] }[] = [];
  try {
    rules = (await client.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules ?? [];
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'NoSuchCORSConfiguration') {
      warnings.push(`could not read the CORS rules of "${bucket}" (${name}); make sure browsers from ${allowedOrigins.join(', ')} may PUT and read the ETag header`);
      return { problems, warnings };
    }
  }
  for (const origin of allowedOrigins) {
    const rule = rules.find((r) => (r.AllowedOrigins ?? []).some((o) => o === '*' || o === origin) && (r.AllowedMethods ?? []).includes('PUT'));
    if (!rule) problems.push(`no CORS rule of "${bucket}" lets origin ${origin} PUT`);
    else if (!(rule.ExposeHeaders ?? []).some((h) => h.toLowerCase() === 'etag')) problems.push(`the CORS rule of "${bucket}" for ${origin} does not expose the ETag header`);
  }
  return { problems, warnings };
}
