/**
 * Typings tests of the public types: checked by `tsc --noEmit -p .` (the type-check step of npm test), never run.
 * Each `Expect<Equal<…>>` fails to compile when a type drifts; each `@ts-expect-error` fails when a mistake a user
 * could make stops being an error.
 */
import type { CompleteDetail, ErrorDetail, PutOptions, UploadEngine as CoreEngine, UploadEngineOptions } from '../../src/engine/index.ts';
import type * as Node from '../../src/node/index.ts';
import type { HashRequestWith } from '../../src/worker/hash-core.ts';
import type { Md5Request } from '../../src/worker/hash-protocol.ts';
import type { UploadReport } from '../../src/cli/upload-command.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Expect<T extends true> = T;

/** The checks, as a function that is never called. */
export function typingsOfThePublicApi(engine: Node.NodeUploadEngine, element: DropoffUploader): void {
  // The Node engine is the engine, with Node's defaults.
  const core: CoreEngine = engine;
  void core;
  type _nodeOptions = Expect<Equal<Node.NodeUploadEngineOptions['hashThreads'], number | undefined>>;
  type _ports = Expect<Equal<Node.NodeUploadEngineOptions['hasher'], UploadEngineOptions['hasher']>>;
  // putObject takes the file's date for its resume fingerprint, and resolves with the stored object.
  type _lastModified = Expect<Equal<PutOptions['lastModified'], number | undefined>>;
  type _put = Expect<Equal<ReturnType<CoreEngine['putObject']>, Promise<CompleteDetail>>>;
  // Events are typed by name.
  engine.on('error', (event) => { const detail: ErrorDetail = event.detail; void detail; });
  engine.on('complete', (event) => { const sha: string = event.detail.sha256; void sha; });
  // @ts-expect-error there is no such event
  engine.on('finished', () => undefined);
  // Files on disk are Blobs, with their path and range.
  type _fileBlob = Expect<Equal<Node.FileRangeBlob extends Blob ? true : false, true>>;
  type _fileBody = Expect<Equal<Awaited<ReturnType<typeof Node.fileBody>>['file'], Node.FileRangeBlob>>;
  // The hashing core is generic in how bytes arrive: Node's thread gets ranges or bytes instead of a Blob.
  type _request = Expect<Equal<Extract<HashRequestWith<Uint8Array>, { op: 'md5' }>['blob'], Uint8Array>>;
  type _browser = Expect<Equal<Extract<HashRequestWith<Blob>, { op: 'md5' }>['blob'], Md5Request['blob']>>;
  // The command's --json report.
  type _report = Expect<Equal<keyof UploadReport, 'stored' | 'skipped' | 'failed' | 'interrupted'>>;
  // The element's new properties.
  const topLevelOnly: boolean = element.topLevelOnly;
  const stripFolderName: boolean = element.stripFolderName;
  element.api = undefined;
  void topLevelOnly; void stripFolderName;
  // @ts-expect-error a key is a string
  void engine.putObject(new Blob([]), 1);
  // @ts-expect-error the thread count is a number
  void ({ api: {} as UploadEngineOptions['api'], hashThreads: 'two' } satisfies Node.NodeUploadEngineOptions);
}
