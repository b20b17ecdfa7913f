import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { DropoffApi } from '../protocol/dropoff-api.ts';
import { DEFAULT_PART_SIZE } from '../engine/part-plan.ts';
import { formatBytes, parseByteSize } from '../engine/sizes.ts';
import type { UploadItem } from '../engine/upload-task.ts';
import type { AddOptions, UploadEngineOptions, UploadSource } from '../engine/upload-engine.ts';
import type { ResumableUpload, UploadState } from '../engine/upload-events.ts';
import { openFilePicker, type HandleDataTransferItem } from '../engine/file-handles.ts';
import { EngineController } from './engine-controller.ts';
import { uploaderStyles } from './styles.ts';
import './events.ts';

const STATE_TEXT: Record<UploadState, string> = {
  queued: 'Queued',
  hashing: 'Hashing',
  uploading: 'Uploading',
  completing: 'Completing',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * Uploads dropped or picked files straight to S3-compatible storage, in parts, hashed and resumable, through a
 * dropoff server that signs the requests.
 *
 * @summary A drop zone and file picker that uploads large files to S3 through presigned URLs.
 * @tagname dropoff-uploader
 *
 * @fires {CustomEvent<AddedDetail>} dropoff-files-added - Files were accepted into the queue.
 * @fires {CustomEvent<RejectedDetail>} dropoff-files-rejected - Files were refused, each with a reason.
 * @fires {CustomEvent<StateDetail>} dropoff-state - A file changed state (queued, hashing, uploading, completing, paused, done, failed, cancelled).
 * @fires {CustomEvent<ProgressDetail>} dropoff-progress - A file made progress: `{ key, bytesDone, bytesBuffered, bytesSent, totalBytes, complete, batch }`; throttled.
 * @fires {CustomEvent<CompleteDetail>} dropoff-complete - A file is stored: `{ key, name, size, sha256, etag, category, status, uploadId }`.
 * @fires {CustomEvent<ErrorDetail>} dropoff-error - A file failed: `{ key, name, code, message, retryable, error }`.
 * @fires {CustomEvent<DoneDetail>} dropoff-done - No file is queued or running any more.
 * @fires {CustomEvent<ResumableDetail>} dropoff-resumable - Unfinished uploads from before (a reload, a crash) were found: `{ uploads: [{ fingerprint, key, name, size, bytesDone, createdAt, updatedAt }] }`; adding the same file again resumes one.
 *
 * @slot label - The drop zone's text.
 *
 * @csspart dropzone - The drop zone (also the button that opens the file picker).
 * @csspart list - The list of files.
 * @csspart item - One file's row.
 * @csspart name - A file's name.
 * @csspart status - A file's state and percentage.
 * @csspart progress - A file's progress bar.
 * @csspart button - Every row button (pause, resume, cancel, retry, discard).
 * @csspart resumable - The list of unfinished uploads from before that can be resumed.
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
@customElement('dropoff-uploader')
export class DropoffUploader extends LitElement {
  static override styles = uploaderStyles;

  /** Base URL of the dropoff server that signs the uploads. Required. */
  @property({ reflect: true }) endpoint = '';

  /** Data category sent with every file (e.g. `miniseed`). */
  @property({ reflect: true }) category = '';

  /** Where files go: a key for a single file, or a prefix ending in `/` (files keep their relative paths under it). */
  @property({ reflect: true }) destination = '';

  /** Part size: bytes, or with a unit (`8MiB`, `16 MB`); raised as needed for S3's limits. Default 8 MiB. */
  @property({ attribute: 'part-size', reflect: true }) partSize = '8MiB';

  /** Part uploads in flight over all files. */
  @property({ attribute: 'part-concurrency', type: Number, reflect: true }) partConcurrency = 6;

  /** Files uploading at once. */
  @property({ attribute: 'object-concurrency', type: Number, reflect: true }) objectConcurrency = 3;

  /** Retries of a failed step before a file fails. */
  @property({ attribute: 'max-retries', type: Number, reflect: true }) maxRetries = 5;

  /** File types the picker offers, as in `<input accept>`. */
  @property({ reflect: true }) accept = '';

  /** Allow picking several files. */
  @property({ type: Boolean, reflect: true }) multiple = false;

  /** Bearer token sent to the server. Prefer `getToken` for tokens that expire. */
  @property() token = '';

  /** Returns a fresh Bearer token before each server call; wins over `token`. */
  @property({ attribute: false }) getToken: (() => string | Promise<string>) | undefined;

  /** Do not start files when added; call `start()`. */
  @property({ attribute: 'no-auto-start', type: Boolean, reflect: true }) noAutoStart = false;

  /** When an earlier upload of the same key is still in progress elsewhere, abort it and start over (instead of failing). */
  @property({ attribute: 'take-over', type: Boolean, reflect: true }) takeOver = false;

  /** Keep no resume records in IndexedDB. */
  @property({ attribute: 'no-resume', type: Boolean, reflect: true }) noResume = false;

  /** Refuse new files. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() private dragging = false;

  /** Unfinished uploads from before, shown until resumed or discarded. */
  @state() private resumable: readonly ResumableUpload[] = [];

  private resumableCheckedFor: string | undefined;

  private readonly controller = new EngineController(this, () => this.engineSettings());

  /** Every file in the list, with its state and progress. */
  get items(): UploadItem[] {
    return this.controller.existing?.items ?? [];
  }

  /**
   * Adds files to the queue (and starts them unless `no-auto-start`).
   * @param files Files, a FileList, or `{ file, name, relativePath }` objects
   * @param options destination and category for these files (defaults: the attributes)
   */
  addFiles(files: Iterable<UploadSource> | FileList, options: AddOptions = {}): UploadItem[] {
    if (this.disabled) return [];
    if (!this.endpoint) {
      console.warn('<dropoff-uploader>: set the endpoint attribute before adding files.');
      return [];
    }
    const sources = Array.from(files as Iterable<UploadSource>);
    return this.controller.engine.add(sources, { destination: options.destination ?? this.destination, category: options.category ?? this.category });
  }

  /** Starts queued files (for `no-auto-start`). */
  start(): void {
    this.controller.existing?.start();
  }

  /** Pauses one file (by key) or all. */
  pause(key?: string): void {
    this.controller.existing?.pause(key);
  }

  /** Resumes one paused file (by key) or all. */
  resume(key?: string): void {
    this.controller.existing?.resume(key);
  }

  /** Cancels one file (by key) or all, aborting the upload on the server too. */
  cancel(key?: string): Promise<void> {
    return this.controller.existing?.cancel(key) ?? Promise.resolve();
  }

  /** Retries one failed file (by key) or all. */
  retry(key?: string): void {
    this.controller.existing?.retry(key);
  }

  /** Looks up unfinished uploads of this endpoint in IndexedDB, shows them and fires `dropoff-resumable`. */
  async refreshResumable(): Promise<readonly ResumableUpload[]> {
    if (!this.endpoint || this.noResume) return (this.resumable = []);
    const uploads = await this.controller.engine.listResumable().catch(() => []);
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
    this.addEventListener('dropoff-done', this.onQueueChanged);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('dropoff-files-added', this.onQueueChanged);
    this.removeEventListener('dropoff-done', this.onQueueChanged);
  }

  private readonly onQueueChanged = () => void this.refreshResumable();

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
  }

  protected override render() {
    const items = this.items;
    return html`
      <div part="dropzone" class="dropzone ${this.dragging ? 'dragging' : ''}" role="button" tabindex=${this.disabled ? -1 : 0}
        aria-disabled=${this.disabled ? 'true' : 'false'} aria-describedby="hint"
        @click=${this.openPicker} @keydown=${this.onKeydown}
        @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
        <slot name="label">Drop files here or <span class="browse">choose files</span></slot>
        <span class="hint" id="hint">${this.destination ? `Uploads to ${this.destination}` : 'Files keep their names as keys'}</span>
      </div>
      <input type="file" hidden accept=${this.accept || nothing} ?multiple=${this.multiple} @change=${this.onPicked} />
      ${this.resumable.length ? this.renderResumable() : nothing}
      ${items.length ? html`<ul part="list" aria-label="Uploads">${repeat(items, (item) => item.id, (item) => this.renderItem(item))}</ul>` : nothing}
    `;
  }

  private renderItem(item: UploadItem) {
    const percent = item.totalBytes ? Math.floor((item.bytesSent / item.totalBytes) * 100) : item.complete ? 100 : 0;
    return html`
      <li part="item" class=${item.state} data-key=${item.key}>
        <span part="name" class="name" title=${item.key}>${item.name}</span>
        <span class="actions">${this.renderActions(item)}</span>
        <progress part="progress" max="100" value=${percent} aria-label=${`${item.name} progress`}></progress>
        <span part="status" class="status">${STATE_TEXT[item.state]} · ${percent}% of ${item.totalBytes === undefined ? 'unknown size' : formatBytes(item.totalBytes)}</span>
        ${item.error ? html`<span class="message" role="alert">${item.error.message}</span>` : nothing}
        ${item.result ? html`<span class="sha">SHA-256 ${item.result.sha256}</span>` : nothing}
      </li>`;
  }

  private renderResumable() {
    return html`
      <section part="resumable" class="resumable" aria-labelledby="resumable-title">
        <p id="resumable-title" class="hint">Unfinished uploads from before: resume them, or add the same file again, to go on where they stopped.</p>
        <ul>${this.resumable.map((upload) => html`
          <li class="paused" data-key=${upload.key}>
            <span class="name" title=${upload.key}>${upload.name}</span>
            <span class="actions">
              ${upload.hasHandle ? html`<button part="button" type="button" aria-label=${`Resume ${upload.name}`}
                @click=${() => void this.resumeFromHandle(upload.fingerprint)}>Resume</button>` : nothing}
              <button part="button" type="button" aria-label=${`Discard ${upload.name}`}
                @click=${() => void this.discardResumable(upload.fingerprint)}>Discard</button></span>
            <span class="status">Resumable · ${upload.size ? Math.floor((upload.bytesDone / upload.size) * 100) : 0}% of ${formatBytes(upload.size)} · ${age(upload.updatedAt)}</span>
          </li>`)}</ul>
      </section>`;
  }

  private renderActions(item: UploadItem) {
    const button = (label: string, action: () => void) =>
      html`<button part="button" type="button" aria-label=${`${label} ${item.name}`} @click=${action}>${label}</button>`;
    switch (item.state) {
      case 'queued': case 'hashing': case 'uploading':
        return [button('Pause', () => this.pause(item.id)), button('Cancel', () => void this.cancel(item.id))];
      case 'paused':
        return [button('Resume', () => this.resume(item.id)), button('Cancel', () => void this.cancel(item.id))];
      case 'failed':
        return item.error?.retryable === false && item.error.code === 'invalid_key'
          ? [button('Cancel', () => void this.cancel(item.id))]
          : [button('Retry', () => this.retry(item.id)), button('Cancel', () => void this.cancel(item.id))];
      default:
        return nothing;
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
    return {
      ...settings,
      api: new DropoffApi({ endpoint: this.endpoint, token: () => (this.getToken ? this.getToken() : this.token) }),
      store: this.noResume ? null : undefined,
      identity: JSON.stringify(settings),
    };
  }

  private openPicker(): void {
    if (this.disabled) return;
    // Chromium's picker gives handles, which let an interrupted upload resume after a reload without a new pick.
    const picker = openFilePicker();
    if (picker && !this.accept) {
      picker({ multiple: this.multiple }).then(
        async (handles) => this.addFiles(await Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), name: handle.name, handle })))),
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
    if (input.files?.length) this.addFiles(input.files);
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
    const transfer = event.dataTransfer;
    if (this.disabled || !transfer?.files.length) return;
    const items = Array.from(transfer.items).filter((item) => item.kind === 'file');
    if (!items.every((item) => 'getAsFileSystemHandle' in item)) {
      this.addFiles(transfer.files);
      return;
    }
    // Handles must be asked for during the drop event; files are read from them afterwards.
    const files = Array.from(transfer.files);
    const handles = items.map((item) => (item as HandleDataTransferItem).getAsFileSystemHandle().catch(() => null));
    void Promise.all(handles).then((found) => this.addFiles(files.map((file, i) => {
      const handle = found[i];
      return handle && handle.kind === 'file' ? { file, name: file.name, lastModified: file.lastModified, handle } : file;
    })));
  }
}

/** How long ago `time` was, for people. */
function age(time: number): string {
  const minutes = Math.round((Date.now() - time) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

declare global {
  interface HTMLElementTagNameMap {
    'dropoff-uploader': DropoffUploader;
  }
}
