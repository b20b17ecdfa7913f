/**
 * A whole local stack: storage (Ceph RGW or s3rver), its bucket with CORS, and the reference server in front of it.
 * Used by `npm start` and by the tests.
 */
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseTokens, type ServerConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { prepareBucket } from '../../server/storage/bucket-setup.ts';
import { createS3Client, type S3Settings } from '../../server/storage/s3-client.ts';
import { startCephRgw } from './ceph-rgw.ts';
import { startS3rver } from './s3rver.ts';
import type { S3rverGuard } from './s3rver-guard.ts';
import type { SecuritySettings } from '../../server/security/security-config.ts';
import type { StacSettings } from '../../server/stac/stac-config.ts';

/** Which storage a stack runs on. */
export type StorageKind = 'ceph' | 's3rver';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** The storage. */
  readonly storage: StorageKind;
  /** `token:user,...` as in DROPOFF_TOKENS. */
  readonly tokens: string;
  /** Bucket name. Default `dropoff`. */
  readonly bucket?: string;
  /** Reference server port (0 picks one). Default 0. */
  readonly serverPort?: number;
  /** s3rver port (0 picks one). Default 0. */
  readonly s3rverPort?: number;
  /** s3rver data folder. Default: a temporary folder removed on stop. */
  readonly s3rverDirectory?: string;
  /** Origins allowed by the server's and the bucket's CORS. Default `['*']`. */
  readonly allowedOrigins?: readonly string[];
  /** Lifetime of presigned URLs. Default 3600 s. */
  readonly urlExpiresSeconds?: number;
  /** Server log lines. Default: none. */
  readonly log?: (line: string) => void;
  /** Memory the Ceph OSD may hold objects in. Default 2 GiB. */
  readonly cephMemstoreBytes?: number;
  /** Where PGlite keeps the records. Default: in memory. */
  readonly dataDirectory?: string | undefined;
  /** A PostgreSQL URL for the records instead of PGlite. */
  readonly databaseUrl?: string | undefined;
  /** Size limit, quotas, rate limits, identity provider. Default DEFAULT_SECURITY. */
  readonly security?: SecuritySettings | undefined;
  /** The STAC API's Basic users. Default none. */
  readonly stac?: StacSettings | undefined;
}

/** A running stack. */
export interface LocalStack {
  /** Which storage. */
  readonly storage: StorageKind;
  /** The reference server's base URL. */
  readonly serverUrl: string;
  /** The storage, with the bucket set. */
  readonly s3: S3Settings;
  /** The reference server (its validator, for tests). */
  readonly server: RunningServer;
  /** The reference server's configuration (to start more servers on the same storage). */
  readonly config: ServerConfig;
  /** The signature guard in front of s3rver, and s3rver's data folder (s3rver stacks only). */
  readonly s3rver?: { readonly guard: S3rverGuard; readonly directory: string };
  /** Stops server and storage. */
  stop(): Promise<void>;
}

/** Starts storage, prepares the bucket (created if missing, CORS set) and starts the reference server. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const bucket = options.bucket ?? 'dropoff';
  const allowedOrigins = options.allowedOrigins ?? ['*'];
  let storage: { s3: S3Settings; stop(): Promise<void>; s3rver?: LocalStack['s3rver'] };
  if (options.storage === 'ceph') {
    storage = await startCephRgw({ memstoreBytes: options.cephMemstoreBytes });
  } else {
    const directory = options.s3rverDirectory ?? await mkdtemp(join(tmpdir(), 'dropoff-s3rver-'));
    const s3rver = await startS3rver(directory, options.s3rverPort ?? 0);
    storage = {
      s3: s3rver.s3,
      s3rver: { guard: s3rver.guard, directory },
      stop: async () => {
        await s3rver.stop();
        if (!options.s3rverDirectory) await rm(directory, { recursive: true, force: true });
      },
    };
  }
  try {
    const s3 = { ...storage.s3, bucket };
    const client = createS3Client(s3);
    await prepareBucket(client, bucket, allowedOrigins);
    client.destroy();
    const config: ServerConfig = {
      host: '127.0.0.1',
      port: options.serverPort ?? 0,
      s3,
      tokens: parseTokens(options.tokens, { allowDemo: true }),
      allowedOrigins,
      urlExpiresSeconds: options.urlExpiresSeconds ?? 3600,
      dataDirectory: options.dataDirectory,
      databaseUrl: options.databaseUrl,
      security: options.security,
      stac: options.stac,
    };
    const server = await startServer(config, options.log);
    return {
      storage: options.storage,
      serverUrl: server.url,
      server,
      s3,
      config,
      ...(storage.s3rver ? { s3rver: storage.s3rver } : {}),
      stop: async () => {
        await server.close();
        await storage.stop();
      },
    };
  } catch (error) {
    await storage.stop();
    throw error;
  }
}
