/**
 * The embedded default storage: the npm package s3rver, in-process, data in a folder, behind our signature guard
 * (s3rver-guard.ts): s3rver listens on a port of its own that only the guard talks to, and clients get the guard's.
 */
import { mkdir } from 'node:fs/promises';
import S3rver from 's3rver';
import { createS3Client, type S3Settings } from '../../server/storage/s3-client.ts';
import { startS3rverGuard, type S3rverGuard } from './s3rver-guard.ts';

/** A running s3rver. */
export interface RunningS3rver {
  /** S3 settings of the server as clients reach it, through the guard (no bucket chosen yet: `bucket` is empty). */
  readonly s3: S3Settings;
  /** The guard in front of it. */
  readonly guard: S3rverGuard;
  /** Where s3rver keeps its data. */
  readonly directory: string;
  /** Stops it. */
  stop(): Promise<void>;
}

/** Starts s3rver and its guard on 127.0.0.1:`port` (0 picks a free one), keeping its data in `directory`. */
export async function startS3rver(directory: string, port = 0): Promise<RunningS3rver> {
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const address = await server.run();
  // s3rver's built-in credentials: the guard accepts only requests signed with them.
  const credentials = { region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const signingClient = createS3Client({ endpoint: `http://127.0.0.1:${address.port}`, bucket: '', forcePathStyle: true, ...credentials });
  let guard: S3rverGuard;
  try {
    guard = await startS3rverGuard(address.port, signingClient, credentials.accessKeyId, credentials.region, port);
  } catch (error) {
    signingClient.destroy();
    await server.close();
    throw error;
  }
  return {
    s3: { endpoint: guard.url, bucket: '', forcePathStyle: true, ...credentials },
    guard,
    directory,
    stop: async () => {
      await guard.close();
      signingClient.destroy();
      await server.close();
    },
  };
}
