/**
 * Checks AWS Signature Version 4 on requests to S3, by signing the request again with the AWS SDK's own signers
 * (@aws-sdk/s3-request-presigner for presigned URLs, @smithy/signature-v4 for Authorization headers) and comparing.
 * No crypto of our own: the SDK computes, we only compare in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { S3Client } from '@aws-sdk/client-s3';

/** A request as it arrived: method, raw path (still percent-encoded), query and headers (lower-case names). */
export interface IncomingS3Request {
  readonly method: string;
  /** The path exactly as sent, e.g. `/dropoff/alice/x%20y.bin`. */
  readonly rawPath: string;
  /** Query parameters, decoded; a name given twice is refused before this point. */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Why a request is refused, or undefined when its signature is right and current. */
export type SignatureProblem = string | undefined;

/** Verifies requests signed with one access key. */
export class SigV4Verifier {
  private readonly presigner: S3RequestPresigner;
  private readonly signer: SignatureV4;

  /** The SDK signer, for POST policies (a policy's signature is the signature of its base64 text). */
  get stringSigner(): SignatureV4 {
    return this.signer;
  }

  /**
   * @param client an S3 client configured with the credentials and region requests must be signed with (its hash
   *   implementation is reused)
   * @param accessKeyId the only access key accepted
   */
  constructor(client: S3Client, readonly accessKeyId: string, region: string) {
    const { credentials, sha256 } = client.config;
    this.presigner = new S3RequestPresigner({ credentials, region, sha256 });
    this.signer = new SignatureV4({ credentials, region, sha256, service: 's3', uriEscapePath: false, applyChecksum: false });
  }

  /** Checks the presigned-URL signature or the Authorization header of `request`. */
  async verify(request: IncomingS3Request, now = Date.now()): Promise<SignatureProblem> {
    if (request.query['X-Amz-Signature'] !== undefined) return this.verifyPresigned(request, now);
    if (request.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) return this.verifyHeader(request, now);
    return 'the request is not signed';
  }

  private async verifyPresigned(request: IncomingS3Request, now: number): Promise<SignatureProblem> {
    const q = request.query;
    if (q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') return 'unknown signing algorithm';
    const credential = q['X-Amz-Credential']?.split('/') ?? [];
    if (credential[0] !== this.accessKeyId) return 'unknown access key';
    const signedAt = parseAmzDate(q['X-Amz-Date']);
    const expires = Number(q['X-Amz-Expires']);
    if (signedAt === undefined || !Number.isSafeInteger(expires) || expires < 1 || expires > 7 * 24 * 3600) return 'malformed date or expiry';
    if (now > signedAt + expires * 1000) return 'the URL has expired';
    if (signedAt > now + 15 * 60_000) return 'the URL is dated in the future';
    const signedHeaders = (q['X-Amz-SignedHeaders'] ?? '').split(';').filter(Boolean);
    if (!signedHeaders.includes('host')) return 'the host is not signed';
    const headers = pick(request.headers, signedHeaders);
    if (Object.keys(headers).length !== signedHeaders.length) return 'a signed header is missing';
    const query = { ...q };
    for (const name of ['X-Amz-Signature', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders']) delete query[name];
    const expected = await this.presigner.presign(this.httpRequest(request, headers, query), {
      signingDate: new Date(signedAt),
      expiresIn: expires,
      signableHeaders: new Set(signedHeaders),
      unhoistableHeaders: new Set(signedHeaders.filter((h) => h.startsWith('x-amz-'))),
    });
    if (expected.query?.['X-Amz-SignedHeaders'] !== q['X-Amz-SignedHeaders']) return 'the signed headers do not match';
    return sameText(String(expected.query?.['X-Amz-Signature']), q['X-Amz-Signature']!) ? undefined : 'the signature does not match';
  }

  private async verifyHeader(request: IncomingS3Request, now: number): Promise<SignatureProblem> {
    const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(request.headers.authorization!);
    if (!match) return 'malformed Authorization header';
    if (match[1]!.split('/')[0] !== this.accessKeyId) return 'unknown access key';
    const signedAt = parseAmzDate(request.headers['x-amz-date']);
    if (signedAt === undefined || Math.abs(now - signedAt) > 15 * 60_000) return 'the request is not dated within 15 minutes';
    const signedHeaders = match[2]!.split(';');
    if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-content-sha256')) return 'host or payload hash not signed';
    const headers = pick(request.headers, signedHeaders);
    if (Object.keys(headers).length !== signedHeaders.length) return 'a signed header is missing';
    const signed = await this.signer.sign(this.httpRequest(request, headers, request.query), {
      signingDate: new Date(signedAt),
      signableHeaders: new Set(signedHeaders),
    });
    return sameText(String(signed.headers.authorization ?? signed.headers.Authorization), request.headers.authorization!) ? undefined : 'the signature does not match';
  }

  private httpRequest(request: IncomingS3Request, headers: Record<string, string>, query: Record<string, string>): HttpRequest {
    const [hostname, port] = (headers.host ?? '').split(':');
    return new HttpRequest({
      method: request.method, protocol: 'http:', hostname: hostname ?? '', port: port ? Number(port) : undefined,
      // The signers canonicalise the path as given (S3 signs the encoded path without encoding it again).
      path: request.rawPath, query: { ...query }, headers: { ...headers },
    });
  }
}

function pick(headers: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (headers[name] !== undefined) out[name] = headers[name]!;
  return out;
}

/** `20261130T053329Z` -> ms since epoch. */
function parseAmzDate(value: string | undefined): number | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
