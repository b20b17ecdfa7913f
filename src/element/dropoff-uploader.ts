import { LitElement, html, nothing, type PropertyDeclaration, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { DropoffApi } from '../protocol/dropoff-api.ts';
import { loadStacApi } from '../protocol/stac/load-stac-api.ts';
import type { StacApi } from '../protocol/stac/stac-api.ts';
import { IdbResumeStore } from '../browser/idb-resume-store.ts';
import { userScope } from '../store/user-scope.ts';
import type { RecordsApi } from '../protocol/records-api.ts';
import type { UploadApi } from '../protocol/upload-api.ts';
import type { ProcessingStarted } from '../protocol/processing-api.ts';
import { DEFAULT_PART_SIZE, choosePartSize } from '../engine/part-plan.ts';
import { parseByteSize } from '../engine/sizes.ts';
import type { UploadItem } from '../engine/upload-task.ts';
import type { AddOptions, UploadEngine, UploadEngineOptions, UploadSource } from '../engine/upload-engine.ts';
import type { BatchProgress, RejectedDetail, ResumableUpload } from '../engine/upload-events.ts';
import type { StateTally } from '../engine/state-index.ts';
import { openFilePicker } from '../engine/file-handles.ts';
import { INTAKE_SLICE_MS } from '../engine/intake-slice.ts';
import { ActiveTime } from './active-time.ts';
import { RenderPacer } from './render-pacer.ts';
import { EngineController } from './engine-controller.ts';
import { readDrop } from './folder-reader.ts';
import { folderPath } from './folder-choice.ts';
import { restrictionProblem } from './restrictions.ts';
import { LanguageController } from './i18n/language-controller.ts';
import type { Overrides } from './i18n/translation.ts';
import { ENGLISH, type UploaderStrings } from './strings.ts';
import { uploaderStyles } from './styles.ts';
import { activeFiles, listGroups, listedFiles } from './upload-list.ts';
import './events.ts';

/** Files refused shown one by one; the rest are counted in one line. */
const REJECTED_ROWS_SHOWN = 20;

/**
 * Shortest time between two renders for engine events: the engine reports a file's progress at most every 200 ms, so
 * 5 renders a second show every report and leave the CPU to the uploads.
 */
const RENDER_INTERVAL_MS = 200;

/** Longest stretch of taking in picked or dropped files before the page gets a turn. */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Uploads dropped or picked files straight to S3-compatible storage, in parts, hashed and resumable, through a
 * dropoff server that signs the requests. Speaks the language of its `lang` attribute or the nearest one up the page
 * (en, de, fr, it, es).
 *
 * @summary A drop zone and file picker that uploads large files to S3 through presigned URLs.
 * @tagname dropoff-uploader
 *
 * @fires {CustomEvent<AddedDetail>} dropoff-files-added - Files were accepted into the queue.
 * @fires {CustomEvent<RejectedDetail>} dropoff-files-rejected - Files were refused (by `accept`, `max-file-size`, `max-files`, or an invalid key), each with a reason.
 * @fires {CustomEvent<StateDetail>} dropoff-state - A file changed state (queued, hashing, uploading, retrying with `retryAt`, completing, paused, done, failed, cancelled).
 * @fires {CustomEvent<ProgressDetail>} dropoff-progress - A file made progress: `{ key, bytesDone, bytesBuffered, bytesSent, totalBytes, complete, batch }`; throttled.
 * @fires {CustomEvent<CompleteDetail>} dropoff-complete - A file is stored: `{ key, name, size, sha256, etag, category, status, uploadId }`.
 * @fires {CustomEvent<ErrorDetail>} dropoff-error - A file failed: `{ key, name, code, message, retryable, error }`.
 * @fires {CustomEvent<DoneDetail>} dropoff-done - No file is queued or running any more.
 * @fires {CustomEvent<ProcessingStarted>} dropoff-processing - Server-side processing started (`startProcessing()` or `process-after`): `{ filename, prefix, tasks: [{ id, processor, status, objects }], <processor>_task_id }`.
 * @fires {CustomEvent<TaskDetail>} dropoff-task - A processing task changed (queued, running with progress, succeeded with its result's summary, failed with its error): `{ task }`; fired until it ends.
 * @fires {CustomEvent<ProcessingErrorDetail>} dropoff-processing-error - Processing could not start (e.g. `nothing_to_process`) or a task could no longer be followed: `{ filename, code, message, taskId? }`.
 * @fires {CustomEvent<ResumableDetail>} dropoff-resumable - Unfinished uploads from before (a reload, a crash) were found: `{ uploads: [{ fingerprint, key, name, size, bytesDone, createdAt, updatedAt, hasHandle }] }`; adding the same file again resumes one.
 *
 * @slot label - The drop zone's text (default: "Drop files here or choose files").
 * @slot empty - Shown under the drop zone while the list is empty.
 *
 * @csspart dropzone - The drop zone (also the button that opens the file picker).
 * @csspart summary - The overall line: files done/total, bytes, rate, elapsed, ETA; once every file is stored or failed, the batch's summary with its average rate ("Completed 302 uploads · 42.6 MiB · 1.2 MiB/s · 0:36").
 * @csspart summary-progress - The overall progress bar.
 * @csspart list - The list of files: at most 100 rows (failed, running, paused, the next queued, the latest stored), the rest counted in a line per group.
 * @csspart item - One file's row.
 * @csspart compact - The row of a small file (one request): one line, at most one button; also an `item`.
 * @csspart more - A line counting the files of a group not shown one by one.
 * @csspart name - A file's name.
 * @csspart status - A file's state and percentage.
 * @csspart progress - A file's progress bar.
 * @csspart button - Every row button (pause, resume, cancel, retry, discard).
 * @csspart resumable - The list of unfinished uploads from before that can be resumed.
 * @csspart rejected - The list of files that were not added, with the reasons.
 * @csspart sha256 - A stored file's SHA-256.
 *
 * @cssproperty [--dropoff-font=system-ui, sans-serif] - Font family.
 * @cssproperty [--dropoff-color=#1f2328] - Text colour.
 * @cssproperty [--dropoff-muted-color=#59636e] - Secondary text colour.
 * @cssproperty [--dropoff-background=#ffffff] - Background.
 * @cssproperty [--dropoff-accent=#0a66c2] - Focus ring, drag highlight, progress bars.
 * @cssproperty [--dropoff-error-color=#b42318] - Failure text.
 * @cssproperty [--dropoff-success-color=#1a7f37] - Success text.
 * @cssproperty [--dropoff-border-color=#c7ced6] - Borders.
 * @cssproperty [--dropoff-radius=8px] - Corner radius.
 * @cssproperty [--dropoff-spacing=0.75rem] - Base spacing.
 */
export class DropoffUploader extends LitElement {
  static override styles = uploaderStyles;

  // Declared here rather than with decorators: the decorators' runtime costs about 0.5 kB gzipped in the bundle.
  static override properties = {
    endpoint: { reflect: true },
    protocol: {},
    category: { reflect: true },
    destination: { reflect: true },
    partSize: { attribute: 'part-size', reflect: true },
    partConcurrency: { attribute: 'part-concurrency', type: Number, reflect: true },
    objectConcurrency: { attribute: 'object-concurrency', type: Number, reflect: true },
    maxRetries: { attribute: 'max-retries', type: Number, reflect: true },
    accept: { reflect: true },
    maxFileSize: { attribute: 'max-file-size', reflect: true },
    maxFiles: { attribute: 'max-files', type: Number, reflect: true },
    multiple: { type: Boolean, reflect: true },
    directory: { type: Boolean, reflect: true },
    topLevelOnly: { attribute: 'top-level-only', type: Boolean, reflect: true },
    stripFolderName: { attribute: 'strip-folder-name', type: Boolean, reflect: true },
    api: { attribute: false },
    token: {},
    getToken: { attribute: false },
    noAutoStart: { attribute: 'no-auto-start', type: Boolean, reflect: true },
    takeOver: { attribute: 'take-over', type: Boolean, reflect: true },
    noResume: { attribute: 'no-resume', type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
    processAfter: { attribute: 'process-after', type: Boolean, reflect: true },
    strings: { attribute: false },
  };

  static {
    // Internal reactive state (re-renders, no attribute).
    for (const name of ['dragging', 'resumable', 'rejected', 'copiedKey']) this.createProperty(name, { state: true });
  }

  /** Base URL of the dropoff server that signs the uploads. Required. */
  endpoint = '';

  /**
   * The server's protocol: `dropoff` (the default: the dropoff JSON API at `endpoint`) or `stac` (a STAC API's asset
   * upload: `endpoint` is the API's base URL, e.g. `https://host/stac/v1`, or the URL of one asset; `destination` the
   * asset's path, `collections/{collection}/items/{item}/assets/{asset}` or `collections/{collection}/assets/{asset}`;
   * `token` goes as Bearer). The STAC adapter is loaded on first use, before the element's update completes: add files
   * once `updateComplete` has resolved. For Basic credentials set `api` to
   * `new (await loadStacApi())({ endpoint, basic: { username, password } })`.
   */
  protocol = 'dropoff';

  /** Data category sent with every file (e.g. `miniseed`). */
  category = '';

  /** Where files go: a key for a single file, or a prefix ending in `/` (files keep their relative paths under it). */
  destination = '';

  /** Part size: bytes, or with a unit (`8MiB`, `16 MB`); raised as needed for S3's limits. Default 8 MiB. */
  partSize = '8MiB';

  /** Part uploads in flight over all files. */
  partConcurrency = 6;

  /** Files uploading at once. */
  objectConcurrency = 3;

  /** Retries of a failed step before a file fails. */
  maxRetries = 5;

  /** File types accepted, as in `<input accept>` (`.mseed,.xml`, `text/*`); others are rejected with a reason. */
  accept = '';

  /** Largest file accepted: bytes, or with a unit (`2GiB`); empty: no limit. */
  maxFileSize = '';

  /** Most files in the list at once; 0: no limit. */
  maxFiles = 0;

  /** Allow picking several files. */
  multiple = false;

  /** Pick a whole folder: every file under it is uploaded, keeping its path relative to the folder under the prefix. */
  directory = false;

  /** From a picked or dropped folder, take only its top-level files (default: every file below it). */
  topLevelOnly = false;

  /** Key a folder's files by their path below the folder, without the folder's own name (default: with it). */
  stripFolderName = false;

  /**
   * The server protocol to upload through, instead of the dropoff JSON API at `endpoint` (e.g. another protocol's
   * adapter, or a DropoffApi with your own fetch). Default: `new DropoffApi({ endpoint, token })`.
   */
  api: (UploadApi & Partial<RecordsApi>) | undefined;

  /** Bearer token sent to the server. Prefer `getToken` for tokens that expire. */
  token = '';

  /** Returns a fresh Bearer token before each server call; wins over `token`. */
  getToken: (() => string | Promise<string>) | undefined;

  /** Do not start files when added; call `start()`. */
  noAutoStart = false;

  /** When an earlier upload of the same key is still in progress elsewhere, abort it and start over (instead of failing). */
  takeOver = false;

  /** Keep no resume records in IndexedDB. */
  noResume = false;

  /** Refuse new files. */
  disabled = false;

  /** Once a batch is done with files stored, start server-side processing of `destination` (see `startProcessing()`). */
  processAfter = false;

  /** Texts to replace, over the language's: any subset of UploaderStrings (of `states`, any entries). */
  strings: Overrides<UploaderStrings> = {};

  private readonly i18n = new LanguageController<UploaderStrings>(this, {
    english: ENGLISH, part: (translation) => translation.uploader, overrides: () => this.strings,
  });

  private dragging = false;

  /** Unfinished uploads from before, shown until resumed or discarded. */
  private resumable: readonly ResumableUpload[] = [];

  /** The view of {@link resumable}, a chunk loaded when there is first something to show in it. */
  private resumableList: typeof import('./resumable-list.ts') | undefined;

  /** Files refused, with the reason, until dismissed. */
  private rejected: RejectedDetail['files'] = [];

  /** The latest batch totals from the engine (bytes sent, rate, ETA); shown at the next paced render. */
  private batch: BatchProgress | undefined;

  /** Time spent uploading, for the average rate of the end summary. */
  private readonly activeTime = new ActiveTime();

  /** Paces renders asked for by engine events; property changes hurry it. */
  private readonly pacer = new RenderPacer(RENDER_INTERVAL_MS);

  /** The lookup of resumable uploads in flight, and whether another is wanted after it. */
  private resumableLookup: { again: boolean } | undefined;

  /** The latest polite announcement; shown at the next paced render. */
  private announcement = '';

  private copiedKey = '';

  /** The STAC adapter's class, once loaded for `protocol="stac"`. */
  private stacApi: typeof StacApi | undefined;

  private resumableCheckedFor: string | undefined;

  private readonly controller = new EngineController(this, () => this.engineSettings());

  /** Every file in the list, with its state and progress. */
  get items(): UploadItem[] {
    return this.controller.existing?.items ?? [];
  }

  /** The texts in use: English, then the language's, then `strings`. */
  get texts(): UploaderStrings {
    return this.i18n.strings;
  }

  /**
   * Adds files to the queue (and starts them unless `no-auto-start`). Files that `accept`, `max-file-size` or
   * `max-files` refuse are listed with the reason and reported by `dropoff-files-rejected`.
   * @param files Files, a FileList, or `{ file, name, relativePath, handle }` objects
   * @param options destination and category for these files (defaults: the attributes)
   */
  addFiles(files: Iterable<UploadSource> | FileList, options: AddOptions = {}): UploadItem[] {
    if (this.disabled) return [];
    if (!this.endpoint && !this.api) {
      console.warn('<dropoff-uploader>: set the endpoint attribute (or the api property) before adding files.');
      return [];
    }
    // With protocol="stac" the STAC adapter must have loaded too (it has once `updateComplete` resolved).
    if (this.protocol === 'stac' && !this.stacApi && !this.api) {
      console.warn('<dropoff-uploader>: the STAC adapter is still loading: await the element\'s updateComplete before adding files.');
      return [];
    }
    const texts = this.texts;
    const restrictions = { accept: this.accept, maxFileSize: parseByteSize(this.maxFileSize), maxFiles: this.maxFiles > 0 ? this.maxFiles : undefined };
    const existing = this.controller.existing;
    let queued = existing ? listedFiles(existing.tally()) : 0;
    const allowed: UploadSource[] = [];
    const refused: { name: string; size: number; reason: string }[] = [];
    const choice = { topLevelOnly: this.topLevelOnly, stripFolderName: this.stripFolderName };
    for (const picked of Array.from(files as Iterable<UploadSource>)) {
      const blob = picked instanceof File ? picked : picked.file;
      const name = folderPath(picked instanceof File ? picked.webkitRelativePath || picked.name : picked.relativePath || picked.name, choice);
      if (name === undefined) continue;
      const source: UploadSource = picked instanceof File
        ? { file: picked, name: picked.name, relativePath: name, lastModified: picked.lastModified }
        : { ...picked, relativePath: name };
      const reason = restrictionProblem({ name, type: blob.type, size: blob.size }, restrictions, queued, texts, this.i18n.formats);
      if (reason) refused.push({ name, size: blob.size, reason });
      else {
        allowed.push(source);
        queued++;
      }
    }
    if (refused.length) this.dispatchEvent(new CustomEvent('dropoff-files-rejected', { detail: { files: refused }, bubbles: true, composed: true }));
    if (!allowed.length) return [];
    const added = this.controller.engine.add(allowed, { destination: options.destination ?? this.destination, category: options.category ?? this.category });
    this.showNow();
    return added;
  }

  /** Starts queued files (for `no-auto-start`). */
  start(): void {
    this.controller.existing?.start();
    this.showNow();
  }

  /** Pauses one file (by key) or all. */
  pause(key?: string): void {
    this.controller.existing?.pause(key);
    this.showNow();
  }

  /** Resumes one paused file (by key) or all. */
  resume(key?: string): void {
    this.controller.existing?.resume(key);
    this.showNow();
  }

  /** Cancels one file (by key) or all, aborting the upload on the server too. */
  cancel(key?: string): Promise<void> {
    const cancelled = this.controller.existing?.cancel(key) ?? Promise.resolve();
    this.showNow();
    return cancelled;
  }

  /** Retries one failed file (by key) or all. */
  retry(key?: string): void {
    this.controller.existing?.retry(key);
    this.showNow();
  }

  /** Removes one file (by key) or all from the list, cancelling first what is not stored yet. */
  async removeFile(key?: string): Promise<void> {
    await this.controller.existing?.remove(key);
    this.requestUpdate();
  }

  /**
   * Starts server-side processing of what was staged under `filename` (default: `destination`): one task per processor
   * that applies. Fires `dropoff-processing` with the task ids, then `dropoff-task` as each task moves on until it
   * succeeds or fails (or `dropoff-processing-error`). Loaded on first use.
   */
  async startProcessing(filename = this.destination): Promise<ProcessingStarted> {
    return (await import('./processing.ts')).startProcessing(this, filename);
  }

  /** Looks up unfinished uploads of this endpoint in IndexedDB, shows them and fires `dropoff-resumable`. */
  async refreshResumable(): Promise<readonly ResumableUpload[]> {
    if (!this.endpoint || this.noResume) return (this.resumable = []);
    const uploads = await this.controller.engine.listResumable().catch(() => []);
    // Most visits have nothing to resume: the list's view is loaded only when there is.
    if (uploads.length && !this.resumableList) {
      this.resumableList = await import('./resumable-list.ts').catch((error: unknown) => {
        console.warn(`<dropoff-uploader>: ${(error as Error).message}`);
        return undefined;
      });
    }
    const changed = uploads.length !== this.resumable.length || uploads.some((u, i) => u.fingerprint !== this.resumable[i]?.fingerprint || u.bytesDone !== this.resumable[i]?.bytesDone);
    this.resumable = uploads;
    if (changed && uploads.length) this.dispatchEvent(new CustomEvent('dropoff-resumable', { detail: { uploads }, bubbles: true, composed: true }));
    return uploads;
  }

  /**
   * Resumes an unfinished upload from before with the file handle the browser kept (Chromium), without a new pick;
   * the browser may ask the user to allow reading the file again.
   */
  async resumeFromHandle(fingerprint: string): Promise<void> {
    try {
      await this.controller.engine.resumeFromHandle(fingerprint);
    } catch (error) {
      console.warn(`<dropoff-uploader>: ${(error as Error).message}`);
    }
    await this.refreshResumable();
  }

  /** Forgets an unfinished upload from before and aborts it on the server. */
  async discardResumable(fingerprint: string): Promise<void> {
    await this.controller.engine.discardResumable(fingerprint);
    await this.refreshResumable();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dropoff-files-added', this.onQueueChanged);
    this.addEventListener('dropoff-state', this.onState);
    this.addEventListener('dropoff-done', this.onDone);
    this.addEventListener('dropoff-progress', this.onProgress);
    this.addEventListener('dropoff-complete', this.onComplete);
    this.addEventListener('dropoff-error', this.onError);
    this.addEventListener('dropoff-files-rejected', this.onRejected);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('dropoff-files-added', this.onQueueChanged);
    this.removeEventListener('dropoff-state', this.onState);
    this.removeEventListener('dropoff-done', this.onDone);
    this.removeEventListener('dropoff-progress', this.onProgress);
    this.removeEventListener('dropoff-complete', this.onComplete);
    this.removeEventListener('dropoff-error', this.onError);
    this.removeEventListener('dropoff-files-rejected', this.onRejected);
  }

  /** Files were added (a slice at a time for thousands): one lookup of resumable uploads at a time, and one after it. */
  private readonly onQueueChanged = () => {
    if (this.resumableLookup) {
      this.resumableLookup.again = true;
      return;
    }
    const lookup = (this.resumableLookup = { again: false });
    void this.refreshResumable().finally(() => {
      this.resumableLookup = undefined;
      if (lookup.again) this.onQueueChanged();
    });
  };
  private readonly onProgress = (e: HTMLElementEventMap['dropoff-progress']) => { this.batch = e.detail.batch; };
  private readonly onComplete = (e: HTMLElementEventMap['dropoff-complete']) => { this.announcement = this.texts.announceDone(e.detail.name); };
  private readonly onError = (e: HTMLElementEventMap['dropoff-error']) => { this.announcement = this.texts.announceFailed(e.detail.name, e.detail.message); };
  private readonly onRejected = (e: HTMLElementEventMap['dropoff-files-rejected']) => { this.rejected = [...this.rejected, ...e.detail.files]; };
  /** The clock of the end summary runs while files are queued or running. */
  private readonly onState = () => this.timeActivity();
  private readonly onDone = (e: HTMLElementEventMap['dropoff-done']) => {
    this.timeActivity();
    this.batch = e.detail.batch;
    if (e.detail.batch.filesTotal > 0) this.announcement = this.texts.announceAllDone(e.detail.batch, this.i18n.formats);
    // A failure to start is reported by dropoff-processing-error.
    if (this.processAfter && e.detail.batch.filesDone) this.startProcessing().catch(() => undefined);
    void this.refreshResumable();
  };

  private timeActivity(): void {
    const tally = this.controller.existing?.tally();
    if (tally && activeFiles(tally) > 0) this.activeTime.start();
    else this.activeTime.stop();
  }

  /**
   * A property or state change (the page set an attribute, the user dragged a file) renders at once; the element's
   * controller asks without a name on engine events, and those renders are paced (see RenderPacer).
   */
  override requestUpdate(name?: PropertyKey, oldValue?: unknown, options?: PropertyDeclaration, useNewValue?: boolean, newValue?: unknown): void {
    super.requestUpdate(name, oldValue, options, useNewValue, newValue);
    // Lit calls this from its constructor, before the fields exist.
    if (name !== undefined) this.pacer?.hurry();
  }

  /** What the user or the page just did (a method call, a click) renders at once, not at the paced interval. */
  private showNow(): void {
    this.pacer.hurry();
    this.requestUpdate();
  }

  /** Waits for the pacer's turn; `updateComplete` includes the wait, so awaiting it still sees the latest state. */
  protected override async scheduleUpdate(): Promise<void> {
    await this.pacer.turn();
    // protocol="stac": the adapter, a chunk of its own, is loaded before the update (and `updateComplete`) completes.
    if (this.protocol === 'stac') {
      this.stacApi ??= await loadStacApi().catch((error: unknown) => {
        console.warn(`<dropoff-uploader>: ${(error as Error).message}`);
        return undefined;
      });
    }
    super.scheduleUpdate();
  }

  /**
   * Adds picked or dropped files a slice at a time, letting the page breathe in between: the browser looks up each
   * file on disk the first time its size is read (about 0.2 ms a file), which for thousands of files would freeze the
   * page in one long task. Each slice fires its own `dropoff-files-added` / `dropoff-files-rejected`.
   */
  private async addInSlices(sources: readonly UploadSource[]): Promise<void> {
    // Not in the task that delivered the files: building a FileList of thousands is already a long one.
    await sleep(0);
    for (let start = 0; start < sources.length;) {
      const began = performance.now();
      let end = start;
      while (end < sources.length && (end === start || performance.now() - began < INTAKE_SLICE_MS)) {
        const source = sources[end++]!;
        void (source instanceof File ? source.size : source.file.size);
      }
      this.addFiles(sources.slice(start, end));
      start = end;
      if (start < sources.length) await sleep(0);
    }
  }

  protected override updated(): void {
    const target = this.noResume ? '' : this.endpoint;
    if (target && this.resumableCheckedFor !== target) {
      this.resumableCheckedFor = target;
      void this.refreshResumable();
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('partSize') && parseByteSize(this.partSize) === undefined) {
      console.warn(`<dropoff-uploader>: part-size "${this.partSize}" is not a size; using 8MiB.`);
    }
    if (changed.has('maxFileSize') && this.maxFileSize && parseByteSize(this.maxFileSize) === undefined) {
      console.warn(`<dropoff-uploader>: max-file-size "${this.maxFileSize}" is not a size; no limit.`);
    }
    for (const [name, value] of [['part-concurrency', this.partConcurrency], ['object-concurrency', this.objectConcurrency], ['max-retries', this.maxRetries]] as const) {
      if (!Number.isInteger(value) || value < (name === 'max-retries' ? 0 : 1)) console.warn(`<dropoff-uploader>: ${name} "${value}" is not valid; using the default.`);
    }
  }

  protected override render() {
    const t = this.texts;
    const engine = this.controller.existing;
    const tally = engine?.tally();
    const listed = tally ? listedFiles(tally) : 0;
    if (!listed) this.activeTime.reset();
    return html`
      <div part="dropzone" class="dropzone ${this.dragging ? 'dragging' : ''}" role="button" tabindex=${this.disabled ? -1 : 0}
        aria-disabled=${this.disabled ? 'true' : 'false'} aria-describedby="hint"
        @click=${this.openPicker} @keydown=${this.onKeydown}
        @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
        <slot name="label">${t.dropPrompt} <span class="browse">${this.directory ? t.chooseFolder : t.choose}</span></slot>
        <span class="hint" id="hint">${this.destination ? t.destinationHint(this.destination) : t.noDestinationHint}</span>
      </div>
      <input type="file" hidden accept=${this.accept || nothing} ?multiple=${this.multiple} ?webkitdirectory=${this.directory} @change=${this.onPicked} />
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      ${this.resumable.length && this.resumableList
        ? this.resumableList.renderResumableList(this.resumable, this.texts, this.i18n.formats, this) : nothing}
      ${this.rejected.length ? this.renderRejected() : nothing}
      ${engine && tally && listed ? this.renderSummary(tally, listed) : nothing}
      ${engine && tally && listed ? this.renderList(engine, tally) : html`<slot name="empty"></slot>`}
    `;
  }

  /** The overall line: progress while anything is queued, running or paused; the batch's summary once all settled. */
  private renderSummary(tally: StateTally, listed: number) {
    const t = this.texts;
    const f = this.i18n.formats;
    const seconds = this.activeTime.seconds();
    let bytesTotal = 0;
    for (const [state, count] of Object.entries(tally)) if (state !== 'cancelled') bytesTotal += count.bytes;
    // Counts come from the engine's index (exact now); bytes sent, rate and ETA from its latest progress event.
    const bytesSent = Math.min(bytesTotal, Math.max(this.batch?.bytesSent ?? 0, tally.done.bytes));
    const finished = activeFiles(tally) === 0 && tally.paused.files === 0;
    const line = finished
      ? t.completed({ files: tally.done.files, failed: tally.failed.files, bytes: tally.done.bytes, seconds, bytesPerSecond: seconds > 0 ? Math.round(tally.done.bytes / seconds) : 0 }, f)
      : t.summary({
        filesTotal: listed, filesDone: tally.done.files, filesFailed: tally.failed.files, bytesTotal, bytesSent,
        bytesPerSecond: this.batch?.bytesPerSecond ?? 0, etaSeconds: this.batch?.etaSeconds, elapsedSeconds: Math.round(seconds),
      }, f);
    return html`
      <div class="summary">
        <span part="summary">${line}</span>
        <span class="actions bulk">${this.renderBulkActions(tally)}</span>
        <progress part="summary-progress" max="100" value=${bytesTotal ? Math.floor((bytesSent / bytesTotal) * 100) : finished ? 100 : 0}
          aria-label=${t.overallProgress}></progress>
      </div>`;
  }

  /** A bounded number of rows per group and a line counting the rest, in one keyed list so rows keep focus as they move. */
  private renderList(engine: UploadEngine, tally: StateTally) {
    type Entry = { id: string; item?: UploadItem; more?: string; group: string };
    const entries: Entry[] = [];
    for (const group of listGroups(engine, tally, this.texts, this.i18n.formats)) {
      for (const item of group.items) entries.push({ id: item.id, item, group: group.name });
      if (group.hidden > 0) entries.push({ id: `more-${group.name}`, more: group.more(group.hidden), group: group.name });
    }
    return html`<ul part="list" aria-label=${this.texts.listLabel}>${repeat(entries, (e) => e.id, (e) => (e.item
      ? this.renderItem(e.item)
      : html`<li part="more" class="more ${e.group}">${e.more}</li>`))}</ul>`;
  }

  /** True for a file that goes by one request: it gets a compact one-line row. */
  private isSmall(item: UploadItem): boolean {
    const partSize = parseByteSize(this.partSize) ?? DEFAULT_PART_SIZE;
    return item.totalBytes !== undefined && item.totalBytes <= choosePartSize(item.totalBytes, partSize);
  }

  private renderItem(item: UploadItem) {
    const t = this.texts;
    const percent = item.totalBytes ? Math.floor((item.bytesSent / item.totalBytes) * 100) : item.complete ? 100 : 0;
    const f = this.i18n.formats;
    const retry = item.retryAt ? ` · ${t.nextAttempt(new Date(item.retryAt), f)}` : '';
    if (this.isSmall(item)) {
      return html`
        <li part="item compact" class="compact ${item.state}" data-key=${item.key}>
          <span part="name" class="name" title=${item.key}>${item.name}</span>
          <span part="status" class="status">${t.compactStatus(t.states[item.state], percent, item.totalBytes, f)}${retry}</span>
          <span class="actions">${this.renderCompactAction(item)}</span>
          ${item.error ? html`<span class="message" role="alert">${item.error.message}</span>` : nothing}
        </li>`;
    }
    return html`
      <li part="item" class=${item.state} data-key=${item.key}>
        <span part="name" class="name" title=${item.key}>${item.name}</span>
        <span class="actions">${this.renderActions(item)}</span>
        ${item.state === 'done' ? nothing : html`<progress part="progress" max="100" value=${percent} aria-label=${t.itemProgress(item.name)}></progress>`}
        <span part="status" class="status">${t.fileStatus(t.states[item.state], percent, item.totalBytes, f)}${retry}</span>
        ${item.error ? html`<span class="message" role="alert">${item.error.message}</span>` : nothing}
        ${item.result ? html`<span part="sha256" class="sha">${t.sha256Label} ${item.result.sha256}</span>` : nothing}
      </li>`;
  }

  private renderBulkActions(tally: StateTally) {
    const t = this.texts;
    const has = (...states: UploadItem['state'][]) => states.some((state) => tally[state].files > 0);
    const button = (label: string, action: () => void) => html`<button part="button" type="button" @click=${action}>${label}</button>`;
    return [
      has('queued', 'hashing', 'uploading', 'retrying') ? button(t.pauseAll, () => this.pause()) : nothing,
      has('paused') ? button(t.resumeAll, () => this.resume()) : nothing,
      has('failed') ? button(t.retryFailed, () => this.retry()) : nothing,
      has('queued', 'hashing', 'uploading', 'retrying', 'paused', 'failed') ? button(t.cancelAll, () => void this.cancel()) : nothing,
    ];
  }

  private renderRejected() {
    const t = this.texts;
    return html`
      <section part="rejected" class="rejected" aria-labelledby="rejected-title">
        <p id="rejected-title" class="hint">${t.rejectedTitle}
          <button part="button" type="button" @click=${() => { this.rejected = []; }}>${t.dismiss}</button></p>
        <ul>${this.rejected.slice(0, REJECTED_ROWS_SHOWN).map((file) => html`<li class="failed"><span class="name">${file.name}</span><span class="message">${file.reason}</span></li>`)}
          ${this.rejected.length > REJECTED_ROWS_SHOWN ? html`<li class="more">${t.moreRejected(this.rejected.length - REJECTED_ROWS_SHOWN, this.i18n.formats)}</li>` : nothing}</ul>
      </section>`;
  }

  private renderActions(item: UploadItem) {
    const t = this.texts;
    const button = (label: string, action: () => void) =>
      html`<button part="button" type="button" aria-label=${t.itemAction(label, item.name)} @click=${action}>${label}</button>`;
    switch (item.state) {
      case 'queued': case 'hashing': case 'uploading': case 'retrying':
        return [button(t.pause, () => this.pause(item.id)), button(t.cancel, () => void this.cancel(item.id))];
      case 'paused':
        return [button(t.resume, () => this.resume(item.id)), button(t.cancel, () => void this.cancel(item.id))];
      case 'failed':
        return item.error?.retryable === false && item.error.code === 'invalid_key'
          ? [button(t.remove, () => void this.removeFile(item.id))]
          : [button(t.retry, () => this.retry(item.id)), button(t.remove, () => void this.removeFile(item.id))];
      case 'done':
        return [
          button(this.copiedKey === item.key ? t.copied : t.copy, () => void this.copySha(item)),
          button(t.remove, () => void this.removeFile(item.id)),
        ];
      default:
        return nothing;
    }
  }

  /** A small file's one button: cancel while waiting or running, resume when paused, retry (or remove) when failed. */
  private renderCompactAction(item: UploadItem) {
    const t = this.texts;
    const button = (label: string, action: () => void) =>
      html`<button part="button" type="button" aria-label=${t.itemAction(label, item.name)} @click=${action}>${label}</button>`;
    switch (item.state) {
      case 'queued': case 'hashing': case 'uploading': case 'retrying':
        return button(t.cancel, () => void this.cancel(item.id));
      case 'paused':
        return button(t.resume, () => this.resume(item.id));
      case 'failed':
        return item.error?.retryable === false && item.error.code === 'invalid_key'
          ? button(t.remove, () => void this.removeFile(item.id))
          : button(t.retry, () => this.retry(item.id));
      default:
        return nothing;
    }
  }

  private async copySha(item: UploadItem): Promise<void> {
    if (!item.result) return;
    try {
      await navigator.clipboard.writeText(item.result.sha256);
      this.copiedKey = item.key;
    } catch {
      // No clipboard permission: the SHA-256 stays visible and selectable.
    }
  }

  private engineSettings(): UploadEngineOptions & { identity: string } {
    const partSize = parseByteSize(this.partSize) ?? DEFAULT_PART_SIZE;
    const positive = (value: number, fallback: number) => (Number.isInteger(value) && value > 0 ? value : fallback);
    const settings = {
      endpoint: this.endpoint,
      partSize,
      partConcurrency: positive(this.partConcurrency, 6),
      objectConcurrency: positive(this.objectConcurrency, 3),
      maxRetries: Number.isInteger(this.maxRetries) && this.maxRetries >= 0 ? this.maxRetries : 5,
      autoStart: !this.noAutoStart,
      noResume: this.noResume,
      takeOver: this.takeOver,
    };
    const api = { endpoint: this.endpoint, token: () => (this.getToken ? this.getToken() : this.token) };
    return {
      ...settings,
      api: this.api ?? (this.protocol === 'stac' ? new this.stacApi!(api) : new DropoffApi(api)),
      // Resume records are the current user's only: another user of the same browser profile does not see them.
      store: this.noResume ? null : new IdbResumeStore(undefined, undefined, async () => userScope(await api.token())),
      identity: JSON.stringify({ ...settings, api: this.api ? apiIdentity(this.api) : this.protocol }),
    };
  }

  private openPicker(): void {
    if (this.disabled) return;
    // Chromium's picker gives handles, which let an interrupted upload resume after a reload without a new pick.
    const picker = openFilePicker();
    if (picker && !this.accept && !this.directory) {
      picker({ multiple: this.multiple }).then(
        async (handles) => this.addInSlices(await Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), name: handle.name, handle })))),
        (error: unknown) => {
          if ((error as Error).name !== 'AbortError') console.warn(`<dropoff-uploader>: ${(error as Error).message}`);
        },
      );
      return;
    }
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.openPicker();
    }
  }

  private onPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.files?.length) void this.addInSlices(Array.from(input.files));
    input.value = '';
  }

  private onDragOver(event: DragEvent): void {
    if (this.disabled) return;
    event.preventDefault();
    this.dragging = true;
  }

  private onDragLeave(): void {
    this.dragging = false;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    if (this.disabled || !event.dataTransfer?.files.length) return;
    void readDrop(event.dataTransfer).then((dropped) => this.addInSlices(dropped.map((d) => ({
      file: d.file, name: d.file.name, relativePath: d.relativePath, lastModified: d.file.lastModified, ...(d.handle ? { handle: d.handle } : {}),
    }))));
  }
}

customElements.define('dropoff-uploader', DropoffUploader);

declare global {
  interface HTMLElementTagNameMap {
    'dropoff-uploader': DropoffUploader;
  }
}

const apiIds = new WeakMap<object, number>();
let lastApiId = 0;
/** A number per api object, so that giving the element another api makes it a new engine. */
function apiIdentity(api: object): number {
  const known = apiIds.get(api);
  if (known !== undefined) return known;
  apiIds.set(api, ++lastApiId);
  return lastApiId;
}
