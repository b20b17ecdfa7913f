/**
 * The security settings of the reference server, read from environment variables: object size limit, per-user
 * quotas, rate limits, and the OIDC identity provider whose JWTs are accepted beside the static tokens.
 */
import { z } from 'zod';

/** Where the server trusts JWTs from, and how a token names its user. */
export interface OidcSettings {
  /** URL of the identity provider's JSON Web Key Set (e.g. `https://idp.example.org/realms/x/protocol/openid-connect/certs`). */
  readonly jwksUrl: string;
  /** The `iss` every token must carry. */
  readonly issuer: string;
  /** The `aud` every token must carry (one of its audiences). */
  readonly audience: string;
  /** The claim naming the user (their id in logs and records, and their space `<claim>/`). Default `sub`. */
  readonly userClaim: string;
  /** Seconds of clock difference tolerated on `exp`, `nbf` and `iat`. Default 30. */
  readonly clockToleranceSeconds: number;
  /** Signature algorithms accepted. Default RS256, ES256, PS256, EdDSA. */
  readonly algorithms: readonly string[];
}

/** Limits on what one user may store and how fast they may ask. */
export interface SecuritySettings {
  /** Largest object accepted, in bytes. Default 5 TiB (the S3 limit). */
  readonly maxObjectBytes: number;
  /** Bytes one user may hold (stored plus being uploaded); undefined: no quota. */
  readonly quotaBytes: number | undefined;
  /** Objects one user may hold (keys whose latest submission did not fail); undefined: no quota. */
  readonly quotaObjects: number | undefined;
  /** Costly calls (create, sign, complete, list) one user may make per `rateLimitWindowSeconds`; 0 turns limits off. */
  readonly rateLimitPoints: number;
  /** The window of the rate limit, in seconds. */
  readonly rateLimitWindowSeconds: number;
  /** The identity provider, when JWTs are accepted. */
  readonly oidc: OidcSettings | undefined;
  /** Key material for page cursors, shared by instances on one database; undefined: random per process. */
  readonly cursorSecret?: string | undefined;
}

/** 5 TiB: the largest object S3 stores. */
export const S3_MAX_OBJECT_BYTES = 5 * 1024 ** 4;

/** The settings a server has when nothing is configured. */
export const DEFAULT_SECURITY: SecuritySettings = {
  maxObjectBytes: S3_MAX_OBJECT_BYTES,
  quotaBytes: undefined,
  quotaObjects: undefined,
  rateLimitPoints: 60_000,
  rateLimitWindowSeconds: 60,
  oidc: undefined,
};

const positiveInt = z.coerce.number().int().positive();
const optionalLimit = z.string().optional().transform((v, ctx) => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive whole number' });
    return z.NEVER;
  }
  return n;
});

const securityEnv = z.object({
  DROPOFF_MAX_OBJECT_BYTES: positiveInt.max(S3_MAX_OBJECT_BYTES).default(S3_MAX_OBJECT_BYTES),
  DROPOFF_QUOTA_BYTES: optionalLimit,
  DROPOFF_QUOTA_OBJECTS: optionalLimit,
  DROPOFF_RATE_LIMIT: z.coerce.number().int().min(0).default(DEFAULT_SECURITY.rateLimitPoints),
  DROPOFF_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(DEFAULT_SECURITY.rateLimitWindowSeconds),
  DROPOFF_OIDC_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  DROPOFF_OIDC_ISSUER: z.string().min(1).optional(),
  DROPOFF_OIDC_AUDIENCE: z.string().min(1).optional(),
  DROPOFF_OIDC_USER_CLAIM: z.string().min(1).default('sub'),
  DROPOFF_OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  DROPOFF_OIDC_ALGORITHMS: z.string().default('RS256,ES256,PS256,EdDSA'),
  DROPOFF_CURSOR_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
}).refine((e) => !e.DROPOFF_OIDC_JWKS_URL || (e.DROPOFF_OIDC_ISSUER && e.DROPOFF_OIDC_AUDIENCE), {
  message: 'DROPOFF_OIDC_JWKS_URL needs DROPOFF_OIDC_ISSUER and DROPOFF_OIDC_AUDIENCE',
  path: ['DROPOFF_OIDC_JWKS_URL'],
});

/** Reads the security settings from `env`; throws an Error listing every invalid variable. */
export function loadSecuritySettings(env: NodeJS.ProcessEnv): SecuritySettings {
  const parsed = securityEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    maxObjectBytes: e.DROPOFF_MAX_OBJECT_BYTES,
    quotaBytes: e.DROPOFF_QUOTA_BYTES,
    quotaObjects: e.DROPOFF_QUOTA_OBJECTS,
    rateLimitPoints: e.DROPOFF_RATE_LIMIT,
    rateLimitWindowSeconds: e.DROPOFF_RATE_LIMIT_WINDOW_SECONDS,
    cursorSecret: e.DROPOFF_CURSOR_SECRET,
    oidc: e.DROPOFF_OIDC_JWKS_URL ? {
      jwksUrl: e.DROPOFF_OIDC_JWKS_URL,
      issuer: e.DROPOFF_OIDC_ISSUER!,
      audience: e.DROPOFF_OIDC_AUDIENCE!,
      userClaim: e.DROPOFF_OIDC_USER_CLAIM,
      clockToleranceSeconds: e.DROPOFF_OIDC_CLOCK_TOLERANCE_SECONDS,
      algorithms: e.DROPOFF_OIDC_ALGORITHMS.split(',').map((s) => s.trim()).filter(Boolean),
    } : undefined,
  };
}
