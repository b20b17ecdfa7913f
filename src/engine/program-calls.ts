/**
 * What only programs call on an UploadEngine, never the element: putObjects and the records operations. A module of
 * its own, imported by the engine on first use, so that the one-file bundle carries it as a chunk.
 */
import type { ObjectPage, RecordsApi, Submission } from '../protocol/records-api.ts';
import type { UploadApi } from '../protocol/upload-api.ts';
import type { UploadBody } from './body-source.ts';
import type { PutEntry, PutObjectsResult, PutOptions } from './engine-options.ts';
import { Slots } from './slots.ts';
import { INTAKE_SLICE_MS } from './intake-slice.ts';
import type { CompleteDetail } from './upload-events.ts';

/**
 * Puts every entry with `putObject`, at most `intakeLimit` unsettled at a time, so a listing of 100,000 files is
 * never planned all at once. Resolves when every entry has settled.
 */
export async function putObjects(
  putObject: (body: UploadBody, key: string, options: PutOptions) => Promise<CompleteDetail>,
  intakeLimit: number,
  entries: Iterable<PutEntry> | AsyncIterable<PutEntry>,
  options: PutOptions,
): Promise<PutObjectsResult> {
  const completed: CompleteDetail[] = [];
  const failed: { key: string; error: Error }[] = [];
  const intake = new Slots(intakeLimit);
  const never = new AbortController().signal;
  const settling: Promise<void>[] = [];
  // Entries are taken in slices of INTAKE_SLICE_MS: between two, the objects already taken in get the event loop
  // (their hash results, signing calls and PUTs); taken in all at once, a folder of a thousand small files would send
  // nothing for the first third of a second.
  let sliceStart = performance.now();
  for await (const entry of entries) {
    await intake.acquire(never);
    if (performance.now() - sliceStart >= INTAKE_SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
    settling.push(putObject(entry.body, entry.key, { ...options, ...entry }).then(
      (detail) => { completed.push(detail); },
      (error: Error) => { failed.push({ key: entry.key, error }); },
    ).finally(() => intake.release()));
  }
  await Promise.all(settling);
  return { completed, failed };
}

/** The records side of `api` (RecordsApi is an optional capability), or a clear error when it has none. */
export function recordsOf(api: UploadApi): RecordsApi {
  const records = api as Partial<RecordsApi>;
  if (!records.listObjects || !records.getObjectHistory || !records.getSummary) throw new Error('The engine\'s api has no records operations (RecordsApi).');
  return records as RecordsApi;
}

/** Every submission under `prefix`, page after page of `listObjects`, as an async iterable. */
export async function* allObjects(listObjects: (options: { prefix?: string; cursor?: string }) => Promise<ObjectPage>, prefix?: string): AsyncGenerator<Submission> {
  let cursor: string | undefined;
  do {
    const page = await listObjects({ ...(prefix ? { prefix } : {}), ...(cursor ? { cursor } : {}) });
    yield* page.objects;
    cursor = page.cursor;
  } while (cursor);
}
