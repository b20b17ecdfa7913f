/**
 * `dropoff stac-upload`: one file to one asset of a STAC API (the transaction extension's asset upload, as
 * data.geo.admin.ch runs it), through the same engine as `dropoff upload` with the STAC adapter. The whole file is
 * hashed first (the API wants every part's MD5 and the SHA-256 when the upload is created), then the parts go to the
 * URLs the API signed. Ctrl-C pauses (the confirmed parts stay recorded); running the same command again continues the
 * upload while its URLs are valid, and starts it again otherwise.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import type { ProgressDetail } from '../engine/upload-events.ts';
import { DEFAULT_PART_SIZE, MAX_PART_SIZE, MIN_PART_SIZE } from '../engine/part-plan.ts';
import { formatBytes, parseByteSize } from '../engine/sizes.ts';
import type { UploadError } from '../engine/upload-error.ts';
import { cacheFolder } from '../node/cache-folder.ts';
import { fileBody } from '../node/file-body.ts';
import { FileResumeStore } from '../node/file-resume-store.ts';
import { NodeUploadEngine } from '../node/node-upload-engine.ts';
import { StacApi } from '../protocol/stac/stac-api.ts';
import { assetKey, splitEndpoint } from '../protocol/stac/stac-asset-path.ts';
import { ProgressView, formatElapsed, formatRate } from './progress-view.ts';
import { EXIT, UsageError } from './usage-error.ts';

/** The flags of `dropoff stac-upload`, parsed. */
export interface StacUploadFlags {
  readonly endpoint?: string;
  readonly collection?: string;
  readonly item?: string;
  readonly asset?: string;
  readonly source: string;
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  readonly takeOver: boolean;
  readonly partSize: number;
  readonly partConcurrency: number;
  readonly maxRetries: number;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** What the command reports with --json. */
export interface StacUploadReport {
  /** The asset path below the API's base. */
  readonly asset: string;
  readonly stored?: { size: number; sha256: string; checksum: string; uploadId: string; status: string };
  readonly failed?: { code: string; kind: string; message: string };
  readonly interrupted: boolean;
}

/** Where to, and as whom: from flags, else the environment. */
interface StacTarget {
  readonly base: string;
  readonly asset: string;
  readonly credentials: { basic: { username: string; password: string } } | { token: string };
}

function byteSize(text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined) throw new InvalidArgumentError('expected a size such as 8MiB, 16MB or 8388608.');
  if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) throw new InvalidArgumentError(`must be between ${formatBytes(MIN_PART_SIZE)} and ${formatBytes(MAX_PART_SIZE)} (S3's limits).`);
  return bytes;
}

function whole(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return value;
  };
}

/** Adds `stac-upload` to `program`; `run` receives the parsed flags. */
export function stacUploadCommand(program: Command, run: (flags: StacUploadFlags) => Promise<void>): Command {
  return program.command('stac-upload')
    .description('Upload one file to an asset of a STAC API (POST …/uploads, the parts to the URLs it signs, complete). Running the same command again resumes while the URLs are valid.')
    .option('--endpoint <url>', 'the STAC API\'s base URL (e.g. https://host/stac/v1), or the URL of the asset itself (default: $DROPOFF_STAC_ENDPOINT)')
    .option('--collection <id>', 'the collection')
    .option('--item <id>', 'the item; leave it out for an asset of the collection itself')
    .option('--asset <id>', 'the asset (it must exist: create it with the STAC API first)')
    .requiredOption('-s, --source <file>', 'the file to upload')
    .option('--user <name>', 'HTTP Basic user (default: $DROPOFF_STAC_USER); the password comes from $DROPOFF_STAC_PASSWORD')
    .option('--password <password>', 'HTTP Basic password; prefer $DROPOFF_STAC_PASSWORD, flags show in process lists')
    .option('--token <token>', 'Bearer token instead of Basic (default: $DROPOFF_STAC_TOKEN); prefer the environment')
    .option('--take-over', 'when another upload of the asset is in progress, abort it and start again (default: fail naming it)', false)
    .addOption(new Option('--part-size <size>', 'part size, with units (5MiB to 5GiB); raised so that the file needs at most 100 parts').argParser(byteSize).default(DEFAULT_PART_SIZE, '8MiB'))
    .addOption(new Option('--part-concurrency <n>', 'parts in flight').argParser(whole(1, 64)).default(6))
    .addOption(new Option('--max-retries <n>', 'retries of a request the retry table retries (502, 503, 504, no answer)').argParser(whole(0, 20)).default(5))
    .option('--json', 'print the result as JSON', false)
    .option('-v, --verbose', 'log retries, resumes and other decisions on standard error', false)
    .addHelpText('after', `
Credentials: HTTP Basic with --user and $DROPOFF_STAC_PASSWORD (older deployments), or a Bearer token with
$DROPOFF_STAC_TOKEN (newer ones).

Examples:
  DROPOFF_STAC_PASSWORD=... dropoff stac-upload --endpoint https://host/stac/v1 --user alice \\
      --collection ch.example.maps --item map-2025 --asset map-2025.tif -s map-2025.tif
  DROPOFF_STAC_TOKEN=... dropoff stac-upload --endpoint https://host/stac/v1/collections/c/assets/thumb.png -s thumb.png`)
    .action(run);
}

/** Resolves endpoint, asset and credentials; throws UsageError for what is missing or malformed. */
export function resolveStacTarget(flags: StacUploadFlags, env: NodeJS.ProcessEnv = process.env): StacTarget {
  const text = (value: string | undefined) => (value !== undefined && value !== '' ? value : undefined);
  const endpoint = text(flags.endpoint) ?? text(env.DROPOFF_STAC_ENDPOINT);
  if (!endpoint) throw new UsageError('No STAC API given: pass --endpoint URL or set DROPOFF_STAC_ENDPOINT.');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`The endpoint "${endpoint}" is not a URL (expected e.g. https://host/stac/v1).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`The endpoint "${endpoint}" must be an http or https URL.`);
  const split = splitEndpoint(endpoint);
  const named = flags.collection !== undefined || flags.item !== undefined || flags.asset !== undefined;
  let asset: string;
  if (split.asset && !named) {
    asset = assetKey(split.asset.collection, split.asset.item, split.asset.asset);
  } else if (split.asset) {
    throw new UsageError('The endpoint is already the URL of an asset: leave out --collection, --item and --asset, or give the API\'s base URL.');
  } else {
    if (!flags.collection || !flags.asset) throw new UsageError('Name the asset: --collection and --asset (and --item for an item\'s asset), or give the asset\'s URL as --endpoint.');
    for (const [flag, id] of [['--collection', flags.collection], ['--item', flags.item], ['--asset', flags.asset]] as const) {
      if (id !== undefined && (id === '' || id.includes('/') || id === '.' || id === '..')) throw new UsageError(`${flag} "${id}" is not an id (no "/", not empty).`);
    }
    asset = assetKey(flags.collection, flags.item, flags.asset);
  }
  const token = text(flags.token) ?? text(env.DROPOFF_STAC_TOKEN);
  const user = text(flags.user) ?? text(env.DROPOFF_STAC_USER);
  const password = text(flags.password) ?? text(env.DROPOFF_STAC_PASSWORD);
  if (user && token) throw new UsageError('Give either a Basic user (--user, $DROPOFF_STAC_USER) or a token (--token, $DROPOFF_STAC_TOKEN), not both.');
  if (user && password === undefined) throw new UsageError(`No password for user "${user}": set DROPOFF_STAC_PASSWORD (or pass --password).`);
  if (!user && !token) throw new UsageError('No credentials: set DROPOFF_STAC_USER and DROPOFF_STAC_PASSWORD (Basic), or DROPOFF_STAC_TOKEN (Bearer).');
  return { base: split.base, asset, credentials: user ? { basic: { username: user, password: password! } } : { token: token! } };
}

/** Runs the upload; resolves with the exit code. */
export async function runStacUpload(flags: StacUploadFlags, out: { stdout: (text: string) => void; stderr: (text: string) => void }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const target = resolveStacTarget(flags, env);
  let body: Awaited<ReturnType<typeof fileBody>>;
  try {
    body = await fileBody(flags.source);
  } catch (error) {
    throw new UsageError(`${flags.source} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const engine = new NodeUploadEngine({
    api: new StacApi({ endpoint: target.base, ...target.credentials }),
    endpoint: target.base,
    store: new FileResumeStore(join(cacheFolder(), 'uploads')),
    partSize: flags.partSize, partConcurrency: flags.partConcurrency, maxRetries: flags.maxRetries, takeOver: flags.takeOver,
    ...(flags.verbose ? { log: (line: string) => out.stderr(line) } : {}),
  });
  const report: { -readonly [K in keyof StacUploadReport]: StacUploadReport[K] } = { asset: target.asset, interrupted: false };
  const view = new ProgressView(!flags.json && process.stderr.isTTY === true);
  let latest: ProgressDetail | undefined;
  const refresh = () => view.total({
    filesDone: report.stored ? 1 : 0, filesTotal: 1, bytesSent: latest?.bytesSent ?? 0, bytesTotal: body.file.size, bytesPerSecond: latest?.batch.bytesPerSecond ?? 0,
  });
  const ticker = setInterval(refresh, 500);
  let hashingSaid = false;
  engine.on('state', (event) => {
    if (event.detail.state === 'hashing' && !hashingSaid && !flags.json) {
      hashingSaid = true;
      out.stderr(`Hashing ${body.name} (${formatBytes(body.file.size)}): the STAC API needs every part's MD5 and the file's SHA-256 before the upload starts.`);
    }
  });
  engine.on('progress', (event) => {
    latest = event.detail;
    // While hashing nothing is sent yet: the bar shows the bytes read.
    if (!event.detail.complete) view.file(target.asset, event.detail.bytesSent || event.detail.bytesBuffered, event.detail.totalBytes);
  });
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => { interrupt = resolve; });
  const onSigint = () => {
    if (report.interrupted) process.exit(EXIT.failed);
    report.interrupted = true;
    interrupt();
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();
  try {
    const upload = engine.putObject(body.file, target.asset, { name: body.name, lastModified: body.lastModified }).then(
      (stored) => { report.stored = { size: stored.size, sha256: stored.sha256, checksum: `1220${stored.sha256}`, uploadId: stored.uploadId, status: stored.status }; },
      (error: UploadError) => { report.failed = { code: error.serverCode ?? error.code, kind: error.kind, message: error.message }; },
    );
    await Promise.race([upload, interrupted]);
    if (report.interrupted) {
      engine.pause();
      await engine.whenIdle();
    }
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onSigint);
    view.stop();
    engine.dispose();
  }
  const elapsed = (Date.now() - started) / 1000;
  if (flags.json) {
    out.stdout(JSON.stringify(report, null, 2));
  } else if (report.stored) {
    out.stdout(`Stored ${body.name} (${formatBytes(report.stored.size)}) as ${target.asset} in ${formatElapsed(elapsed)}, ${formatRate(elapsed > 0 ? report.stored.size / elapsed : 0)}; file:checksum ${report.stored.checksum}.`);
  }
  if (report.failed) {
    const hint = report.failed.kind === 'unauthorized' ? ' Check the user and password ($DROPOFF_STAC_USER, $DROPOFF_STAC_PASSWORD) or the token ($DROPOFF_STAC_TOKEN).'
      : report.failed.kind === 'conflict' && !flags.takeOver ? ' Run again with --take-over to abort that upload and start again.' : '';
    out.stderr(`Failed: ${target.asset}: ${report.failed.message}${hint}`);
  }
  if (report.interrupted) out.stderr('Interrupted. The parts confirmed so far are kept; to resume, run the same command again (while the upload\'s URLs are valid).');
  return report.stored && !report.interrupted ? EXIT.ok : EXIT.failed;
}
