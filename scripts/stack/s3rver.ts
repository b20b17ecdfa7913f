/**
 * The embedded default storage: the npm package s3rver, in-process, data in a folder.
 */
import { mkdir } from 'node:fs/promises';
import S3rver from 's3rver';
import type { S3Settings } from '../../server/storage/s3-client.ts';

/** A running s3rver. */
export interface RunningS3rver {
  /** S3 settings of the server (no bucket chosen yet: `bucket` is empty). */
  readonly s3: S3Settings;
  /** Stops it. */
  stop(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1:`port` (0 picks a free one), keeping its data in `directory`. */
export async function startS3rver(directory: string, port = 0): Promise<RunningS3rver> {
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
  const address = await server.run();
  return {
    s3: {
      endpoint: `http://127.0.0.1:${address.port}`,
      region: 'us-east-1',
      bucket: '',
      // s3rver's built-in credentials.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    stop: () => server.close(),
  };
}
