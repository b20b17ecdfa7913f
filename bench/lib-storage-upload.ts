/**
 * The peer for the command-line bench: uploads with `@aws-sdk/lib-storage`'s `Upload` straight to the storage (with
 * its credentials; no signer, no hashing beyond what the SDK does, no records). Run as a child process, like ours:
 * `tsx bench/lib-storage-upload.ts <settings JSON> <file or folder> <key or prefix> <part size> <concurrency>`.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client, type S3Settings } from '../server/storage/s3-client.ts';

const [settingsJson, source, destination, partSizeText, concurrencyText] = process.argv.slice(2) as [string, string, string, string, string];
const s3 = JSON.parse(settingsJson) as S3Settings;
const partSize = Number(partSizeText);
const concurrency = Number(concurrencyText);
const client = createS3Client(s3);

async function put(path: string, key: string, queueSize: number): Promise<void> {
  await new Upload({ client, params: { Bucket: s3.bucket, Key: key, Body: createReadStream(path) }, partSize, queueSize }).done();
}

if ((await stat(source)).isDirectory()) {
  // Many files: `concurrency` uploads at once, each a single PUT (they are smaller than a part).
  const names = (await readdir(source)).sort();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < names.length) {
      const name = names[next++]!;
      await put(join(source, name), `${destination}${name}`, 1);
    }
  }));
} else {
  await put(source, destination, concurrency);
}
client.destroy();
