/**
 * An object in parts: resume or create the multipart upload, then for every part in order take its MD5 and feed the
 * file's SHA-256 (in the hash pool, several parts at once), and send it through the shared part queue; record each
 * confirmed part; complete. Pausing or cancelling aborts `signal`; the task keeps what was confirmed.
 *
 * How one attempt goes, and why:
 * 1. Open (openUpload). A resume record (or an earlier attempt of this page) names an upload id and the parts the
 *    storage confirmed. The record is trusted only so far: its first part's MD5 must match the file's (the
 *    fingerprint of name, size, date and type can match another file), and the storage is asked which parts it holds
 *    (ListParts, an optional capability); a part it does not hold with the same ETag is sent again. When the storage
 *    no longer knows the upload (failure kind `not_found`) the file starts over; a stream cannot, so it fails. Without
 *    ListParts (kind `not_supported`, or a protocol without it) the local record is all there is.
 * 2. Hash (startHash). The whole-file SHA-256 is sequential by nature: one session in the hash pool, fed part by part
 *    in file order. Its state after the last confirmed part may be in the record, so a resume does not read those
 *    bytes again; otherwise the session starts from nothing and confirmed parts are read for it (but not sent).
 * 3. Parts (partsOf, sendPart). Parts are produced in order, each holding a slot of a window (`ctx.partWindow`): this
 *    bounds memory (a stream's parts are held until confirmed, since a stream cannot be read twice) and how far
 *    hashing runs ahead of sending. A part's MD5 is needed before it can be signed (Content-MD5 is bound into the
 *    URL); signing is batched (a file's parts cost at most one server call per SIGN_BATCH parts, carrying fewer at
 *    the start while the PUT queue would otherwise run dry: signing-budget.ts); the PUT goes through the queue every
 *    object shares (`ctx.partQueue`, the part concurrency). A confirmed part is written to the record at once, so a
 *    crash costs at most the parts in flight. A part already confirmed is only hashed, and checked against its ETag
 *    where the ETag is a plain MD5: different bytes mean the file changed, and splicing them would corrupt the object.
 * 4. Failure. The first error aborts every other part of this attempt (`failure`), waits for them to settle, and
 *    drops the SHA-256 session unless it can be continued (see forgetHash). Retries of single requests happen below
 *    (put-with-retries.ts, retry.ts); here a failure ends the attempt, and the task keeps its confirmed parts.
 * 5. Complete. Parts in number order with their ETags, the size, and the SHA-256 go to the server, which checks the
 *    stored size; nothing is reported stored that the storage has not confirmed. The record is then removed.
 */
import type { SignedPartUrl } from '../protocol/upload-api.ts';
import type { PartDigest } from '../worker/hash-pool.ts';
import { RESUME_RECORD_VERSION } from '../store/resume-record.ts';
import { Batcher, SIGN_BATCH } from './batcher.ts';
import { partRange, partCount } from './part-plan.ts';
import { base64ToHex, sendChecked } from './put-with-retries.ts';
import { callServer, callWithRetries, hashStep, storedObject } from './server-call.ts';
import { SigningBudget } from './signing-budget.ts';
import { Slots } from './slots.ts';
import { dropRecord, setState, type UploadContext } from './upload-context.ts';
import type { CompleteDetail } from './upload-events.ts';
import { AbortedError, UploadError, throwIfAborted } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/** One part to send. */
export interface PartToSend {
  readonly partNumber: number;
  readonly blob: Blob;
}


let sessionCounter = 0;

/** Uploads `task` in parts; resolves with the stored object or rejects with UploadError / AbortedError. */
export async function uploadMultipart(task: UploadTask, ctx: UploadContext, signal: AbortSignal): Promise<CompleteDetail> {
  // URLs the create call signed along with the upload (the first part's), used before asking the signer.
  const opened: OpenedUpload = {};
  const presigned = await openUpload(task, ctx, signal, opened);
  const uploadId = task.uploadId!;
  await startHash(task, ctx);
  const sha = task.sha!;
  const failure = new AbortController();
  const partSignal = AbortSignal.any([signal, failure.signal]);
  let firstError: unknown;
  const fail = (error: unknown) => {
    firstError ??= error;
    failure.abort();
  };
  // A Blob's parts are slices: holding many costs no memory until one is read, so hashing may run far ahead of the
  // network and signing can wait for company, within a budget of one call per SIGN_BATCH parts (signing-budget.ts).
  // A stream's parts are bytes in memory: its window stays small, and each part is signed as soon as it is hashed.
  const fromBlob = task.source.kind === 'blob';
  const budget = task.source.kind === 'blob'
    ? new SigningBudget(partsToSign(task.source.blob, task, presigned), SIGN_BATCH, largestSignBatch(ctx))
    : undefined;
  // Once the file has no more parts to ask for, whatever waits in the signer is all there will be: it goes at once.
  let finishing = false;
  const putQueueDry = () => ctx.partQueue.size + ctx.partQueue.pending < ctx.partQueue.concurrency;
  const signer = new Batcher((parts: { partNumber: number; md5: string }[]) => {
    budget?.spend(parts.length);
    if (budget && !finishing) signer.minBatch = budget.floor;
    return ctx.api.signParts(uploadId, task.key, parts, partSignal);
  }, {
    // The wait is only a safety net: parts held back are always followed by more (hashing runs ahead) or by the last
    // part's flush. On a slow link a part finishes every second or so, and a short wait would sign them in sixes.
    minBatch: budget?.floor ?? 1, maxBatch: 100, maxWaitMs: 10_000,
    // A PUT slot about to go unused while hashed parts wait for company: they go now, if the budget can spare a call.
    needed: (waiting) => budget !== undefined && putQueueDry() && budget.allows(waiting),
  });
  const finishSigning = () => {
    finishing = true;
    signer.minBatch = 1;
    signer.flush();
  };
  // A PUT that ends may leave the queue dry: `needed` is looked at again.
  const pokeSigner = () => signer.poke();
  ctx.partQueue.addEventListener('next', pokeSigner);
  // Held-back parts must not wait out the batcher's timer once nothing will be sent any more.
  partSignal.addEventListener('abort', () => signer.flush(), { once: true });
  const window = new Slots(fromBlob ? ctx.partQueue.concurrency + ctx.hashAhead : ctx.partWindow);
  // Parts handed out that have neither asked for a URL yet nor settled without one (a part confirmed before): once
  // the file has no more parts and none of those is left, the signer finishes.
  let unasked = 0;
  let exhausted = false;
  const asked = () => {
    if (--unasked === 0 && exhausted) finishSigning();
  };
  const jobs: Promise<void>[] = [];
  let hashing: Promise<unknown> = Promise.resolve();
  task.bytesBuffered = 0;
  setState(task, ctx, 'hashing');
  try {
    for await (const part of partsOf(task, window, partSignal)) {
      let md5: Promise<PartDigest>;
      const save = ctx.store !== undefined && task.fingerprint !== undefined;
      // Part 1's MD5 was taken to open the upload: it is sent at once, while its SHA-256 update runs beside the PUT.
      const known = part.partNumber === 1 && opened.firstPart?.partSize === task.partSize && opened.firstPart.bytes === part.blob.size ? opened.firstPart : undefined;
      if (part.partNumber > sha.through) {
        // Posted now, in part order; the pool applies SHA-256 updates in that order.
        const hashed = known
          ? { md5: Promise.resolve(known), sha256: ctx.hasher.sha256Update(sha.session, part.blob, save) }
          : ctx.hasher.hashPart(sha.session, part.blob, save);
        sha.through = part.partNumber;
        md5 = hashed.md5;
        hashing = Promise.all([hashing, hashStep(hashed.sha256).then((state) => {
          if (state && task.fingerprint) void ctx.store?.saveHashState(task.fingerprint, part.partNumber, state).catch(() => undefined);
        })]);
        hashing.catch(fail);
      } else {
        md5 = known ? Promise.resolve(known) : ctx.hasher.md5(part.blob);
      }
      unasked++;
      const sign = partSigner(part.partNumber, presigned, signer, once(asked));
      jobs.push(sendPart(task, part, md5, sign, ctx, partSignal).finally(sign.settled).then(
        () => { task.streamParts.delete(part.partNumber); window.release(); },
        (error: unknown) => { window.release(); fail(error); },
      ));
    }
  } catch (error) {
    fail(error);
  }
  exhausted = true;
  if (unasked === 0) finishSigning();
  await Promise.all(jobs);
  ctx.partQueue.removeEventListener('next', pokeSigner);
  await hashing.catch(fail);
  if (firstError !== undefined || signal.aborted) {
    if (!signal.aborted) forgetHash(task, ctx, firstError);
    throw signal.aborted ? new AbortedError() : firstError;
  }
  if (task.source.kind === 'stream') task.size = task.source.reader.bytesRead;
  const sha256 = await hashStep(ctx.hasher.sha256Finish(sha.session));
  task.sha = undefined;
  setState(task, ctx, 'completing');
  const parts = [...task.finished].sort(([a], [b]) => a - b).map(([partNumber, p]) => ({ partNumber, etag: p.etag }));
  const size = task.size!;
  const completed = await callWithRetries(task, ctx, () => ctx.api.completeUpload(uploadId, { key: task.key, size, sha256, parts }, signal), signal);
  await dropRecord(task, ctx);
  return storedObject(task, completed, sha256, uploadId);
}

/**
 * How one part gets its URL: the URL signed with the upload if there is one, else through the batching signer. A
 * second request for the same part (its URL expired: a 403) must not wait for company, so it is urgent.
 */
function partSigner(
  partNumber: number, presigned: Map<number, SignedPartUrl>, signer: Batcher<{ partNumber: number; md5: string }, SignedPartUrl>,
  settled: () => void,
): ((md5: string) => Promise<SignedPartUrl>) & { settled: () => void } {
  let asked = false;
  const sign = (md5: string): Promise<SignedPartUrl> => {
    const ready = presigned.get(partNumber);
    presigned.delete(partNumber);
    const urgent = asked;
    asked = true;
    const url = ready && !urgent ? Promise.resolve(ready) : signer.add({ partNumber, md5 }, urgent);
    settled();
    return url;
  };
  return Object.assign(sign, { settled });
}

/** Parts of a Blob's upload that signing calls will be asked for: not those signed with the upload, or stored before. */
function partsToSign(blob: Blob, task: UploadTask, presigned: ReadonlyMap<number, SignedPartUrl>): number {
  return partCount(blob.size, task.partSize) - task.finished.size - presigned.size;
}

/**
 * Most parts a signing call may wait for: while they wait (hashed, unsigned), the window must still hold a URL for
 * every PUT slot, so hashAhead - concurrency of them (10 by default), and never fewer than SIGN_BATCH.
 */
function largestSignBatch(ctx: UploadContext): number {
  return Math.max(SIGN_BATCH, ctx.hashAhead - ctx.partQueue.concurrency);
}

/** `fn`, callable many times but run once. */
function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** The parts still to handle, in order; each holds a window slot that the caller releases once the part is settled. */
async function* partsOf(task: UploadTask, window: Slots, signal: AbortSignal): AsyncGenerator<PartToSend> {
  if (task.source.kind === 'blob') {
    const { blob } = task.source;
    for (let n = 1; n <= partCount(blob.size, task.partSize); n++) {
      if (task.finished.has(n) && n <= task.sha!.through) continue;
      await window.acquire(signal);
      const { start, end } = partRange(blob.size, task.partSize, n);
      yield { partNumber: n, blob: blob.slice(start, end) };
    }
    return;
  }
  // A stream (only programs upload them; the element uploads files): its parts come from stream-parts.ts, loaded then.
  yield* (await import('./stream-parts.ts')).streamPartsOf(task, window, signal);
}

/** MD5s one part, checks it against a confirmed copy, or sends it; records the confirmed part. */
async function sendPart(task: UploadTask, part: PartToSend, md5Digest: Promise<PartDigest>, sign: (md5: string) => Promise<SignedPartUrl>, ctx: UploadContext, signal: AbortSignal): Promise<void> {
  const { md5, bytes } = await hashStep(md5Digest);
  throwIfAborted(signal);
  task.bytesBuffered += bytes;
  ctx.onProgress(task);
  const confirmed = task.finished.get(part.partNumber);
  if (confirmed) {
    if (/^"?[0-9a-f]{32}"?$/.test(confirmed.etag) && confirmed.etag.replaceAll('"', '') !== base64ToHex(md5)) {
      throw new UploadError('file_changed', `Part ${part.partNumber} was stored from other bytes: the file changed since the upload began. Cancel and upload it again.`);
    }
    return;
  }
  if (task.state === 'hashing') setState(task, ctx, 'uploading');
  const etag = await sendChecked(task, part.partNumber, part.blob, md5,
    () => callServer(() => sign(md5), signal), ctx, signal);
  const finished = { etag, size: part.blob.size };
  task.finished.set(part.partNumber, finished);
  ctx.onProgress(task);
  if (task.fingerprint) await ctx.store?.addPart(task.fingerprint, part.partNumber, finished).catch(() => undefined);
}

/** What opening an upload learnt on the way that the parts can use. */
interface OpenedUpload {
  /** The first part's MD5, taken to recognise the file, with the part size it was cut at. */
  firstPart?: PartDigest & { readonly partSize: number };
}

/**
 * Continues the upload a resume record or an earlier attempt names (after asking the storage), or creates one. The
 * first part's MD5, when it was taken, is left in `opened`.
 */
async function openUpload(task: UploadTask, ctx: UploadContext, signal: AbortSignal, opened: OpenedUpload): Promise<Map<number, SignedPartUrl>> {
  throwIfAborted(signal);
  let record = task.resumeRecord;
  // The fingerprint (name, size, date, type, key) can match another file: the first part's MD5 tells them apart.
  const hashedPartSize = record?.partSize ?? task.partSize;
  const firstPart = task.source.kind === 'blob' && !task.uploadId
    ? await hashStep(ctx.hasher.md5(task.source.blob.slice(0, hashedPartSize)))
    : undefined;
  if (firstPart) opened.firstPart = { ...firstPart, partSize: hashedPartSize };
  const firstPartMd5 = firstPart?.md5;
  if (!task.uploadId && record && record.firstPartMd5 !== undefined && record.firstPartMd5 !== firstPartMd5) {
    ctx.log(`${task.key}: a different file with the same name, size and date was being uploaded here; starting over`);
    await ctx.api.abortUpload(record.uploadId, record.key, signal).catch(() => undefined);
    await dropRecord(task, ctx);
    record = task.resumeRecord = undefined;
  }
  if (!task.uploadId && record) {
    task.uploadId = record.uploadId;
    task.partSize = record.partSize;
    for (const [n, part] of Object.entries(record.parts)) task.finished.set(Number(n), part);
    ctx.log(`${task.key}: resuming upload ${record.uploadId} with ${task.finished.size} parts recorded`);
  }
  if (task.uploadId) {
    // Listing parts is an optional capability (of the protocol, and of the storage): without it, the parts recorded
    // locally are all there is to go on.
    const trustRecord = (who: string) => {
      ctx.log(`${task.key}: the ${who} cannot list parts; trusting the ${task.finished.size} parts recorded locally`);
      return new Map<number, SignedPartUrl>();
    };
    if (typeof ctx.api.listParts !== 'function') return trustRecord('protocol');
    try {
      const stored = await callServer(() => ctx.api.listParts!(task.uploadId!, task.key, signal), signal);
      const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
      for (const [n, part] of task.finished) {
        if (byNumber.get(n)?.etag.replaceAll('"', '') !== part.etag.replaceAll('"', '')) task.finished.delete(n);
      }
      return new Map();
    } catch (error) {
      if (error instanceof UploadError && error.kind === 'not_supported') return trustRecord('storage');
      if (!(error instanceof UploadError && error.kind === 'not_found')) throw error;
      if (task.source.kind === 'stream') {
        throw new UploadError('server', 'The storage no longer knows this upload, and a stream cannot be read again from the start.', { cause: error });
      }
      ctx.log(`${task.key}: the storage no longer knows upload ${task.uploadId}; starting over`);
      task.uploadId = undefined;
      task.finished.clear();
      task.resumeRecord = undefined;
      forgetHash(task, ctx);
      await dropRecord(task, ctx);
    }
  }
  const created = await callWithRetries(task, ctx, () => ctx.api.createUpload({
    key: task.key, category: task.category, size: task.size, contentType: task.contentType, partSize: task.partSize, takeOver: ctx.takeOver,
    ...(firstPartMd5 !== undefined && hashedPartSize === task.partSize ? { parts: [{ partNumber: 1, md5: firstPartMd5 }] } : {}),
  }, signal), signal);
  task.uploadId = created.uploadId;
  task.partSize = created.partSize;
  task.finished.clear();
  // The first part's URL, signed with the upload, is good only if the server kept the part size it was hashed with.
  const presigned = new Map(created.partSize === hashedPartSize ? (created.urls ?? []).map((u) => [u.partNumber, u] as const) : []);
  if (!task.fingerprint || !ctx.store) return presigned;
  const now = Date.now();
  await ctx.store.put({
    version: RESUME_RECORD_VERSION, fingerprint: task.fingerprint, endpoint: ctx.endpoint, key: task.key, uploadId: created.uploadId,
    name: task.name, size: task.size ?? 0, partSize: created.partSize, parts: {}, createdAt: now, updatedAt: now,
    ...(firstPartMd5 !== undefined && created.partSize === hashedPartSize ? { firstPartMd5 } : {}),
    ...(task.handle ? { handle: task.handle } : {}), ...(task.lastModified !== undefined ? { lastModified: task.lastModified } : {}),
  }).catch((error: unknown) => ctx.log(`${task.key}: could not write the resume record (${String(error)}); going on without`));
  return presigned;
}

/** Opens the task's SHA-256 session: continued from this page, from a saved state, or from nothing. */
async function startHash(task: UploadTask, ctx: UploadContext): Promise<void> {
  if (task.sha) return;
  const session = `${task.id}#${++sessionCounter}`;
  const saved = task.resumeRecord?.sha256;
  task.resumeRecord = undefined;
  if (saved && task.uploadId && task.source.kind === 'blob') {
    try {
      await ctx.hasher.sha256Restore(session, saved.state);
      task.sha = { session, through: saved.throughPart };
      return;
    } catch {
      ctx.hasher.discard(session);
    }
  }
  task.sha = { session, through: 0 };
}

/**
 * Drops the running SHA-256 after a failure, so a retry starts it again. A stream keeps it (its bytes cannot be read
 * again) unless hashing itself failed.
 */
function forgetHash(task: UploadTask, ctx: UploadContext, error?: unknown): void {
  if (!task.sha) return;
  const hashBroke = error instanceof UploadError && (error.code === 'hash_failed' || error.code === 'file_unreadable');
  if (task.source.kind === 'stream' && !hashBroke) return;
  ctx.hasher.discard(task.sha.session);
  task.sha = undefined;
}
