/**
 * The reference server's configuration, read from environment variables and validated. Every variable has a working
 * local default (the embedded s3rver stack of `npm start`); see README.md for the list.
 */
import { z } from 'zod';
import { DEFAULT_JOB_SETTINGS, type JobSettings } from './jobs/job-settings.ts';
import type { S3Settings } from './storage/s3-client.ts';
import { loadSecuritySettings, type SecuritySettings } from './security/security-config.ts';
import { loadStacSettings, type StacSettings } from './stac/stac-config.ts';

/** One API user: the token that authenticates them and the key prefix they may touch. */
export interface UserAccount {
  /** The user's id, as it appears in logs and records. */
  readonly id: string;
  /** The key prefix the user is confined to (always ends with `/`). */
  readonly space: string;
}

/** Everything the server needs to run. */
export interface ServerConfig {
  /** Interface to listen on. */
  readonly host: string;
  /** Port to listen on (0 picks a free one). */
  readonly port: number;
  /** The storage. */
  readonly s3: S3Settings;
  /** Bearer token -> user. */
  readonly tokens: ReadonlyMap<string, UserAccount>;
  /** Origins allowed by CORS; `['*']` allows any (safe with Bearer tokens: browsers send no ambient credentials). */
  readonly allowedOrigins: readonly string[];
  /** Lifetime of presigned URLs in seconds. */
  readonly urlExpiresSeconds: number;
  /** PostgreSQL connection URL for the records; undefined: embedded PGlite. */
  readonly databaseUrl?: string | undefined;
  /** PGlite's data folder; undefined: in memory (tests). */
  readonly dataDirectory?: string | undefined;
  /** PostgreSQL connect timeout, ms. Default 5000. */
  readonly databaseConnectTimeoutMs?: number | undefined;
  /** PostgreSQL statement timeout, ms. Default 15000. */
  readonly databaseStatementTimeoutMs?: number | undefined;
  /** Validation jobs: concurrency, lease, attempts, sweep (defaults in server/jobs/job-settings.ts). */
  readonly jobs?: Partial<JobSettings> | undefined;
  /** Whether this process runs validation jobs (false: only queues them, for `npm run worker` processes). Default true. */
  readonly runJobs?: boolean | undefined;
  /** At start: check the bucket and its CORS rule (`check`), create or fix them (`create`), or neither (`off`). Default `check`. */
  readonly bucketSetup?: 'check' | 'create' | 'off' | undefined;
  /** Size limit, quotas, rate limits, identity provider; undefined: DEFAULT_SECURITY. */
  readonly security?: SecuritySettings | undefined;
  /** The STAC API's Basic users (DROPOFF_STAC_BASIC_USERS); undefined: none, Bearer only. */
  readonly stac?: StacSettings | undefined;
}

/** The demo's own user: its token is short and public, so it is accepted only where {@link parseTokens} is told to. */
export const DEMO_TOKENS = 'demo-token:demo';

/** Addresses only this machine can reach. */
const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

const booleanString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  DROPOFF_HOST: z.string().default('127.0.0.1'),
  DROPOFF_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DROPOFF_TOKENS: z.string().default(DEMO_TOKENS),
  DROPOFF_ALLOWED_ORIGINS: z.string().default('*'),
  DROPOFF_URL_EXPIRES_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(3600),
  S3_ENDPOINT: z.string().default('http://127.0.0.1:4569'),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().min(3).default('dropoff'),
  S3_ACCESS_KEY_ID: z.string().default('S3RVER'),
  S3_SECRET_ACCESS_KEY: z.string().default('S3RVER'),
  S3_FORCE_PATH_STYLE: booleanString.default(true),
  S3_PUBLIC_ENDPOINT: z.string().url().optional(),
  S3_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  S3_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  DATABASE_URL: z.string().optional(),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  DROPOFF_DATA_DIR: z.string().default('.data/pglite'),
  DROPOFF_BUCKET_SETUP: z.enum(['check', 'create', 'off']).default('check'),
  DROPOFF_RUN_JOBS: booleanString.default(true),
  DROPOFF_VALIDATION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(DEFAULT_JOB_SETTINGS.concurrency),
  DROPOFF_JOB_LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(DEFAULT_JOB_SETTINGS.leaseSeconds),
  DROPOFF_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(DEFAULT_JOB_SETTINGS.attempts),
  DROPOFF_JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(DEFAULT_JOB_SETTINGS.retryDelaySeconds),
  DROPOFF_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_JOB_SETTINGS.sweepSeconds),
  DROPOFF_MULTIPART_RETENTION_HOURS: z.coerce.number().min(1).default(DEFAULT_JOB_SETTINGS.multipartRetentionSeconds / 3600),
  DROPOFF_CONFIRM_VALIDATION_MAX_BYTES: z.coerce.number().int().min(0).max(64 * 1024 * 1024).default(DEFAULT_JOB_SETTINGS.confirmValidationMaxBytes),
});

/** The shortest static token accepted: 16 characters (a guessable `12345678` is refused). */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Parses `DROPOFF_TOKENS`: comma-separated `token:user` pairs. Each user's space is `<user>/`. Throws with a message
 * naming the bad entry: a bad user name, a token shorter than {@link MIN_TOKEN_LENGTH}, or a token given twice (it
 * would silently belong to the last user). The demo's `demo-token:demo` is accepted only with `allowDemo`.
 */
export function parseTokens(spec: string, options: { allowDemo?: boolean } = {}): Map<string, UserAccount> {
  const tokens = new Map<string, UserAccount>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const separator = entry.lastIndexOf(':');
    const token = entry.slice(0, separator);
    const user = entry.slice(separator + 1);
    if (separator <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(user) || user === '.' || user === '..') {
      throw new Error(`DROPOFF_TOKENS entry "${entry.replace(/:.*/, ':…')}" must be token:user, user made of A-Z a-z 0-9 . _ -`);
    }
    const demo = options.allowDemo && entry === DEMO_TOKENS;
    if (token.length < MIN_TOKEN_LENGTH && !demo) throw new Error(`DROPOFF_TOKENS: the token of user "${user}" is shorter than ${MIN_TOKEN_LENGTH} characters`);
    const holder = tokens.get(token);
    if (holder) throw new Error(`DROPOFF_TOKENS: users "${holder.id}" and "${user}" have the same token; each token must name one user`);
    tokens.set(token, { id: user, space: `${user}/` });
  }
  if (tokens.size === 0) throw new Error('DROPOFF_TOKENS names no token');
  return tokens;
}

/** Reads the configuration from `env`; throws an Error listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    host: e.DROPOFF_HOST,
    port: e.DROPOFF_PORT,
    // The demo's public token is for a server only this machine can reach.
    tokens: parseTokens(e.DROPOFF_TOKENS, { allowDemo: LOOPBACK_HOSTS.includes(e.DROPOFF_HOST) }),
    allowedOrigins: e.DROPOFF_ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    urlExpiresSeconds: e.DROPOFF_URL_EXPIRES_SECONDS,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDirectory: e.DROPOFF_DATA_DIR === 'memory' ? undefined : e.DROPOFF_DATA_DIR,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    bucketSetup: e.DROPOFF_BUCKET_SETUP,
    runJobs: e.DROPOFF_RUN_JOBS,
    jobs: {
      concurrency: e.DROPOFF_VALIDATION_CONCURRENCY,
      leaseSeconds: e.DROPOFF_JOB_LEASE_SECONDS,
      attempts: e.DROPOFF_JOB_ATTEMPTS,
      retryDelaySeconds: e.DROPOFF_JOB_RETRY_DELAY_SECONDS,
      sweepSeconds: e.DROPOFF_SWEEP_SECONDS,
      multipartRetentionSeconds: e.DROPOFF_MULTIPART_RETENTION_HOURS * 3600,
      confirmValidationMaxBytes: e.DROPOFF_CONFIRM_VALIDATION_MAX_BYTES,
    },
    security: loadSecuritySettings(env),
    stac: loadStacSettings(env),
    s3: {
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT,
      connectTimeoutMs: e.S3_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: e.S3_REQUEST_TIMEOUT_MS,
    },
  };
}
