/**
 * `dropoff upload`: plans what goes where (sources.ts), skips what earlier runs stored, sends the rest through the
 * engine with Node's ports, shows progress, and ends with a summary. Ctrl-C pauses everything (the confirmed parts
 * stay recorded) and says how to resume: by running the same command again.
 */
import { basename, join } from 'node:path';
import type { CompleteDetail, ErrorDetail, ProgressDetail } from '../engine/upload-events.ts';
import type { PutEntry } from '../engine/upload-engine.ts';
import { formatBytes } from '../engine/sizes.ts';
import { DropoffApi } from '../protocol/dropoff-api.ts';
import type { Submission } from '../protocol/records-api.ts';
import { cacheFolder } from '../node/cache-folder.ts';
import { fileBody } from '../node/file-body.ts';
import { FileResumeStore } from '../node/file-resume-store.ts';
import { NodeUploadEngine } from '../node/node-upload-engine.ts';
import { ProgressView, formatElapsed, formatRate } from './progress-view.ts';
import type { Connection } from './settings.ts';
import { planUpload, type PlannedFile } from './sources.ts';
import { StoredLedger } from './stored-ledger.ts';
import { EXIT } from './usage-error.ts';

/** The flags of `dropoff upload`, parsed. */
export interface UploadFlags {
  readonly source: readonly string[];
  readonly destination: string;
  readonly category?: string;
  readonly recursive: boolean;
  readonly partSize: number;
  readonly partConcurrency: number;
  readonly objectConcurrency: number;
  readonly maxRetries: number;
  readonly force: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** What the command reports with --json. */
export interface UploadReport {
  readonly stored: { key: string; size: number; sha256: string; etag: string; status: string; category: string }[];
  readonly skipped: { key: string; size: number; reason: string }[];
  readonly failed: { key: string; code: string; message: string }[];
  readonly interrupted: boolean;
}

/** Runs the upload; resolves with the exit code. */
export async function runUpload(flags: UploadFlags, connection: Connection, out: { stdout: (text: string) => void; stderr: (text: string) => void }): Promise<number> {
  const plan = await planUpload(flags.source, flags.destination, flags.recursive);
  const cache = cacheFolder();
  const api = new DropoffApi({ endpoint: connection.endpoint, ...(connection.token ? { token: connection.token } : {}) });
  const engine = new NodeUploadEngine({
    api, endpoint: connection.endpoint,
    store: new FileResumeStore(join(cache, 'uploads')),
    category: flags.category ?? connection.category ?? '',
    partSize: flags.partSize, partConcurrency: flags.partConcurrency, objectConcurrency: flags.objectConcurrency, maxRetries: flags.maxRetries,
    ...(flags.verbose ? { log: (line: string) => out.stderr(line) } : {}),
  });
  const report: UploadReport = { stored: [], skipped: [], failed: [], interrupted: false };
  const view = new ProgressView(!flags.json && process.stderr.isTTY === true);
  const ledger = new StoredLedger(cache, connection.endpoint);
  const started = Date.now();
  const remembering: Promise<void>[] = [];
  let files: readonly PlannedFile[] = [];
  let skippedBytes = 0;
  let lastBatch: ProgressDetail['batch'] | undefined;
  const filesTotal = () => (plan.kind === 'stdin' ? 1 : files.length);
  const bytesTotal = () => (plan.kind === 'stdin' ? undefined : files.reduce((sum, f) => sum + f.size, 0));
  const refresh = () => view.total({
    filesDone: report.stored.length + report.skipped.length, filesTotal: filesTotal(),
    bytesSent: skippedBytes + (lastBatch?.bytesSent ?? 0), bytesTotal: bytesTotal(), bytesPerSecond: lastBatch?.bytesPerSecond ?? 0,
  });
  const ticker = setInterval(refresh, 500);
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => { interrupt = resolve; });
  // A refused token fails every file the same way: stop at the first, rather than send the rest to be refused too.
  let refusedToken: string | undefined;
  const onSigint = () => {
    if (report.interrupted) process.exit(EXIT.failed);
    (report as { interrupted: boolean }).interrupted = true;
    interrupt();
  };
  process.on('SIGINT', onSigint);
  try {
    if (plan.kind === 'files') {
      for (const path of plan.skipped) out.stderr(`Not a regular file, left out: ${path}`);
      files = plan.files;
      const stored = flags.force ? new Set<string>() : await ledger.alreadyStored(files, (keys) => latestSubmissions(engine, flags.destination, keys, out));
      for (const file of files.filter((f) => stored.has(f.key))) {
        report.skipped.push({ key: file.key, size: file.size, reason: 'already stored by an earlier run, unchanged' });
        skippedBytes += file.size;
      }
      files = files.filter((f) => !stored.has(f.key)).concat(files.filter((f) => stored.has(f.key)));
    }
    const byKey = new Map(files.map((f) => [f.key, f]));
    engine.on('progress', (event) => {
      const detail = event.detail;
      lastBatch = detail.batch;
      if (!detail.complete) view.file(detail.key, detail.bytesSent, detail.totalBytes);
    });
    engine.on('complete', (event) => {
      const detail: CompleteDetail = event.detail;
      view.settled(detail.key);
      report.stored.push({ key: detail.key, size: detail.size, sha256: detail.sha256, etag: detail.etag, status: detail.status, category: detail.category });
      const file = byKey.get(detail.key);
      if (file) remembering.push(ledger.remember(file, detail.sha256).catch((error: unknown) => out.stderr(`Could not note ${file.key} as stored (${(error as Error).message}); a rerun will send it again.`)));
    });
    engine.on('error', (event) => {
      const detail: ErrorDetail = event.detail;
      view.settled(detail.key);
      report.failed.push({ key: detail.key, code: (detail.error as { serverCode?: string }).serverCode ?? detail.code, message: detail.message });
      if ((detail.error as { kind?: string }).kind === 'unauthorized' && refusedToken === undefined) {
        refusedToken = detail.message;
        interrupt();
      }
    });
    // After Ctrl-C, whatever is still being added is paused at once.
    engine.on('added', (event) => {
      if (report.interrupted || refusedToken !== undefined) for (const file of event.detail.files) engine.pause(file.key);
    });
    await engine.expireStale().catch(() => 0);
    const sending = plan.kind === 'stdin'
      ? engine.putObject(process.stdin, plan.key, { name: basename(plan.key) }).then(() => undefined, () => undefined)
      : engine.putObjects(entries(files.filter((f) => !report.skipped.some((s) => s.key === f.key)), report, () => report.interrupted || refusedToken !== undefined)).then((result) => {
        // Refused before any request (a key the rules forbid): no error event came for those.
        for (const { key, error } of result.failed) {
          if (!report.failed.some((f) => f.key === key)) report.failed.push({ key, code: 'invalid_key', message: error.message });
        }
      });
    await Promise.race([sending, interrupted]);
    if (report.interrupted || refusedToken !== undefined) {
      engine.pause();
      await engine.whenIdle();
    }
    await Promise.all(remembering);
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onSigint);
    view.stop();
    engine.dispose();
  }
  const elapsed = (Date.now() - started) / 1000;
  if (flags.json) {
    out.stdout(JSON.stringify(report, null, 2));
  } else {
    const bytes = report.stored.reduce((sum, s) => sum + s.size, 0);
    const rate = elapsed > 0 ? bytes / elapsed : 0;
    const parts = [`Stored ${report.stored.length} of ${filesTotal()} file${filesTotal() === 1 ? '' : 's'} (${formatBytes(bytes)}) in ${formatElapsed(elapsed)}, ${formatRate(rate)}.`];
    if (report.skipped.length) parts.push(`${report.skipped.length} already stored by an earlier run, skipped.`);
    out.stdout(parts.join(' '));
    for (const failure of report.failed) {
      if (refusedToken === undefined || failure.message !== refusedToken) out.stderr(`Failed: ${failure.key}: ${failure.message}`);
    }
  }
  if (refusedToken !== undefined) {
    out.stderr(`Stopped: the server refused the token (${refusedToken}). Check the token (--token, DROPOFF_TOKEN or the config file); nothing more was sent.`);
  }
  // Said on standard error in every mode, so a person sees it even when a script reads the JSON.
  if (report.interrupted) {
    out.stderr(`Interrupted. The parts confirmed so far are kept${plan.kind === 'stdin' ? ', but standard input cannot be read again: send it again from the start' : ''}.`);
    if (plan.kind === 'files') out.stderr('To resume, run the same command again: it sends only what is missing.');
  }
  if (report.interrupted || report.failed.length > 0) return EXIT.failed;
  return report.stored.length + report.skipped.length === filesTotal() ? EXIT.ok : EXIT.failed;
}

/** The engine's entries, opened one at a time as the engine takes them; a file that cannot be opened fails alone. */
async function* entries(files: readonly PlannedFile[], report: UploadReport, stopped: () => boolean): AsyncGenerator<PutEntry> {
  for (const file of files) {
    if (stopped()) return;
    try {
      const body = await fileBody(file.path);
      yield { body: body.file, key: file.key, name: body.name, lastModified: body.lastModified };
    } catch (error) {
      report.failed.push({ key: file.key, code: 'file_unreadable', message: `${file.path} cannot be read (${(error as Error).message}).` });
    }
  }
}

/** The server's latest submission of each of `keys`: one listing under the prefix, or the history of the one key. */
async function latestSubmissions(engine: NodeUploadEngine, destination: string, keys: string[], out: { stderr: (text: string) => void }): Promise<Map<string, Submission>> {
  const wanted = new Set(keys);
  const latest = new Map<string, Submission>();
  try {
    if (destination.endsWith('/')) {
      for await (const submission of engine.allObjects(destination)) {
        if (wanted.has(submission.key) && !latest.has(submission.key)) latest.set(submission.key, submission);
      }
    } else {
      for (const key of keys) {
        const [newest] = await engine.getObjectHistory(key);
        if (newest) latest.set(key, newest);
      }
    }
  } catch (error) {
    out.stderr(`Could not ask the server which files an earlier run stored (${(error as Error).message}); sending them all.`);
  }
  return latest;
}
