import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { DropoffApi } from '../protocol/dropoff-api.ts';
import { DEFAULT_PART_SIZE } from '../engine/part-plan.ts';
import { parseByteSize } from '../engine/sizes.ts';
import type { UploadItem } from '../engine/upload-task.ts';
import type { AddOptions, UploadEngineOptions, UploadSource } from '../engine/upload-engine.ts';
import type { BatchProgress, RejectedDetail, ResumableUpload } from '../engine/upload-events.ts';
import { openFilePicker } from '../engine/file-handles.ts';
import { EngineController } from './engine-controller.ts';
import { readDrop } from './folder-reader.ts';
import { restrictionProblem } from './restrictions.ts';
import { ENGLISH, age, type UploaderStrings } from './strings.ts';
import { uploaderStyles } from './styles.ts';
import './events.ts';

/** Finished files shown one by one; older ones are summarised in one line, so thousands of files stay fast. */
const DONE_ROWS_SHOWN = 50;

/**
 * Uploads dropped or picked files straight to S3-compatible storage, in parts, hashed and resumable, through a
 * dropoff server that signs the requests.
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
 * @fires {CustomEvent<ResumableDetail>} dropoff-resumable - Unfinished uploads from before (a reload, a crash) were found: `{ uploads: [{ fingerprint, key, name, size, bytesDone, createdAt, updatedAt, hasHandle }] }`; adding the same file again resumes one.
 *
 * @slot label - The drop zone's text (default: "Drop files here or choose files").
 * @slot empty - Shown under the drop zone while the list is empty.
 *
 * @csspart dropzone - The drop zone (also the button that opens the file picker).
 * @csspart summary - The overall line: files done/total, bytes, rate, elapsed, ETA.
 * @csspart summary-progress - The overall progress bar.
 * @csspart list - The list of files.
 * @csspart item - One file's row.
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

  /** File types accepted, as in `<input accept>` (`.mseed,.xml`, `text/*`); others are rejected with a reason. */
  @property({ reflect: true }) accept = '';

  /** Largest file accepted: bytes, or with a unit (`2GiB`); empty: no limit. */
  @property({ attribute: 'max-file-size', reflect: true }) maxFileSize = '';

  /** Most files in the list at once; 0: no limit. */
  @property({ attribute: 'max-files', type: Number, reflect: true }) maxFiles = 0;

  /** Allow picking several files. */
  @property({ type: Boolean, reflect: true }) multiple = false;

  /** Pick a whole folder: every file under it is uploaded, keeping its path relative to the folder under the prefix. */
  @property({ type: Boolean, reflect: true }) directory = false;

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

  /** Texts, for another language: any subset of UploaderStrings; the rest stays English. */
  @property({ attribute: false }) strings: Partial<UploaderStrings> = {};

  @state() private dragging = false;

  /** Unfinished uploads from before, shown until resumed or discarded. */
  @state() private resumable: readonly ResumableUpload[] = [];

  /** Files refused, with the reason, until dismissed. */
  @state() private rejected: RejectedDetail['files'] = [];

  /** The latest batch totals. */
  @state() private batch: BatchProgress | undefined;

  /** The latest polite announcement. */
  @state() private announcement = '';

  @state() private copiedKey = '';

  private resumableCheckedFor: string | undefined;

  private readonly controller = new EngineController(this, () => this.engineSettings());

  /** Every file in the list, with its state and progress. */
  get items(): UploadItem[] {
    return this.controller.existing?.items ?? [];
  }

  /** The texts in use: `strings` over English. */
  get texts(): UploaderStrings {
    return { ...ENGLISH, ...this.strings };
  }

  /**
   * Adds files to the queue (and starts them unless `no-auto-start`). Files that `accept`, `max-file-size` or
   * `max-files` refuse are listed with the reason and reported by `dropoff-files-rejected`.
   * @param files Files, a FileList, or `{ file, name, relativePath, handle }` objects
   * @param options destination and category for these files (defaults: the attributes)
   */
  addFiles(files: Iterable<UploadSource> | FileList, options: AddOptions = {}): UploadItem[] {
    if (this.disabled) return [];
    if (!this.endpoint) {
      console.warn('<dropoff-uploader>: set the endpoint attribute before adding files.');
      return [];
    }
    const texts = this.texts;
    const restrictions = { accept: this.accept, maxFileSize: parseByteSize(this.maxFileSize), maxFiles: this.maxFiles > 0 ? this.maxFiles : undefined };
    let queued = this.items.filter((i) => i.state !== 'cancelled').length;
    const allowed: UploadSource[] = [];
    const refused: { name: string; size: number; reason: string }[] = [];
    for (const source of Array.from(files as Iterable<UploadSource>)) {
      const blob = source instanceof File ? source : source.file;
      const name = source instanceof File ? source.webkitRelativePath || source.name : source.relativePath || source.name;
      const reason = restrictionProblem({ name, type: blob.type, size: blob.size }, restrictions, queued, texts);
      if (reason) refused.push({ name, size: blob.size, reason });
      else {
        allowed.push(source);
        queued++;
      }
    }
    if (refused.length) this.dispatchEvent(new CustomEvent('dropoff-files-rejected', { detail: { files: refused }, bubbles: true, composed: true }));
    if (!allowed.length) return [];
    return this.controller.engine.add(allowed, { destination: options.destination ?? this.destination, category: options.category ?? this.category });
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

  /** Removes one file (by key) or all from the list, cancelling first what is not stored yet. */
  async removeFile(key?: string): Promise<void> {
    await this.controller.existing?.remove(key);
    this.requestUpdate();
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
    this.addEventListener('dropoff-done', this.onDone);
    this.addEventListener('dropoff-progress', this.onProgress);
    this.addEventListener('dropoff-complete', this.onComplete);
    this.addEventListener('dropoff-error', this.onError);
    this.addEventListener('dropoff-files-rejected', this.onRejected);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('dropoff-files-added', this.onQueueChanged);
    this.removeEventListener('dropoff-done', this.onDone);
    this.removeEventListener('dropoff-progress', this.onProgress);
    this.removeEventListener('dropoff-complete', this.onComplete);
    this.removeEventListener('dropoff-error', this.onError);
    this.removeEventListener('dropoff-files-rejected', this.onRejected);
  }

  private readonly onQueueChanged = () => void this.refreshResumable();
  private readonly onProgress = (e: HTMLElementEventMap['dropoff-progress']) => { this.batch = e.detail.batch; };
  private readonly onComplete = (e: HTMLElementEventMap['dropoff-complete']) => { this.announcement = this.texts.announceDone(e.detail.name); };
  private readonly onError = (e: HTMLElementEventMap['dropoff-error']) => { this.announcement = this.texts.announceFailed(e.detail.name, e.detail.message); };
  private readonly onRejected = (e: HTMLElementEventMap['dropoff-files-rejected']) => { this.rejected = [...this.rejected, ...e.detail.files]; };
  private readonly onDone = (e: HTMLElementEventMap['dropoff-done']) => {
    this.batch = e.detail.batch;
    if (e.detail.batch.filesTotal > 0) this.announcement = this.texts.announceAllDone(e.detail.batch);
    void this.refreshResumable();
  };

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
    const items = this.items.filter((item) => item.state !== 'cancelled');
    const done = items.filter((item) => item.state === 'done');
    const shown = [...items.filter((item) => item.state !== 'done'), ...done.slice(-DONE_ROWS_SHOWN)];
    const hidden = done.length - Math.min(done.length, DONE_ROWS_SHOWN);
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
      ${this.resumable.length ? this.renderResumable() : nothing}
      ${this.rejected.length ? this.renderRejected() : nothing}
      ${items.length && this.batch ? html`
        <div class="summary">
          <span part="summary">${t.summary(this.batch)}</span>
          <span class="actions bulk">${this.renderBulkActions(items)}</span>
          <progress part="summary-progress" max="100" value=${this.batch.bytesTotal ? Math.floor((this.batch.bytesSent / this.batch.bytesTotal) * 100) : 0}
            aria-label="Overall progress"></progress>
        </div>` : nothing}
      ${items.length
        ? html`<ul part="list" aria-label="Uploads">${repeat(shown, (item) => item.id, (item) => this.renderItem(item))}
            ${hidden ? html`<li class="more">${t.moreDone(hidden)}</li>` : nothing}</ul>`
        : html`<slot name="empty"></slot>`}
    `;
  }

  private renderItem(item: UploadItem) {
    const t = this.texts;
    const percent = item.totalBytes ? Math.floor((item.bytesSent / item.totalBytes) * 100) : item.complete ? 100 : 0;
    return html`
      <li part="item" class=${item.state} data-key=${item.key}>
        <span part="name" class="name" title=${item.key}>${item.name}</span>
        <span class="actions">${this.renderActions(item)}</span>
        ${item.state === 'done' ? nothing : html`<progress part="progress" max="100" value=${percent} aria-label=${`${item.name} progress`}></progress>`}
        <span part="status" class="status">${t.fileStatus(t.states[item.state], percent, item.totalBytes)}${item.retryAt ? ` · ${t.nextAttempt(new Date(item.retryAt))}` : ''}</span>
        ${item.error ? html`<span class="message" role="alert">${item.error.message}</span>` : nothing}
        ${item.result ? html`<span part="sha256" class="sha">SHA-256 ${item.result.sha256}</span>` : nothing}
      </li>`;
  }

  private renderBulkActions(items: UploadItem[]) {
    const t = this.texts;
    const has = (...states: UploadItem['state'][]) => items.some((item) => states.includes(item.state));
    const button = (label: string, action: () => void) => html`<button part="button" type="button" @click=${action}>${label}</button>`;
    return [
      has('queued', 'hashing', 'uploading', 'retrying') ? button(t.pauseAll, () => this.pause()) : nothing,
      has('paused') ? button(t.resumeAll, () => this.resume()) : nothing,
      has('failed') ? button(t.retryFailed, () => this.retry()) : nothing,
      has('queued', 'hashing', 'uploading', 'retrying', 'paused', 'failed') ? button(t.cancelAll, () => void this.cancel()) : nothing,
    ];
  }

  private renderResumable() {
    const t = this.texts;
    return html`
      <section part="resumable" class="resumable" aria-labelledby="resumable-title">
        <p id="resumable-title" class="hint">${this.resumable.some((u) => u.hasHandle) ? t.resumableTitle : t.resumableTitleRepick}</p>
        <ul>${this.resumable.map((upload) => html`
          <li class="paused" data-key=${upload.key}>
            <span class="name" title=${upload.key}>${upload.name}</span>
            <span class="actions">
              ${upload.hasHandle ? html`<button part="button" type="button" aria-label=${`${t.resume} ${upload.name}`}
                @click=${() => void this.resumeFromHandle(upload.fingerprint)}>${t.resume}</button>` : nothing}
              <button part="button" type="button" aria-label=${`${t.discard} ${upload.name}`}
                @click=${() => void this.discardResumable(upload.fingerprint)}>${t.discard}</button></span>
            <span class="status">${t.resumableStatus(upload.size ? Math.floor((upload.bytesDone / upload.size) * 100) : 0, upload.size, age(upload.updatedAt))}</span>
            ${upload.hasHandle ? nothing : html`<span class="repick hint">${t.repickToResume}</span>`}
          </li>`)}</ul>
      </section>`;
  }

  private renderRejected() {
    const t = this.texts;
    return html`
      <section part="rejected" class="rejected" aria-labelledby="rejected-title">
        <p id="rejected-title" class="hint">${t.rejectedTitle}
          <button part="button" type="button" @click=${() => { this.rejected = []; }}>${t.dismiss}</button></p>
        <ul>${this.rejected.map((file) => html`<li class="failed"><span class="name">${file.name}</span><span class="message">${file.reason}</span></li>`)}</ul>
      </section>`;
  }

  private renderActions(item: UploadItem) {
    const t = this.texts;
    const button = (label: string, action: () => void) =>
      html`<button part="button" type="button" aria-label=${`${label} ${item.name}`} @click=${action}>${label}</button>`;
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
    if (picker && !this.accept && !this.directory) {
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
    if (this.disabled || !event.dataTransfer?.files.length) return;
    void readDrop(event.dataTransfer).then((dropped) => this.addFiles(dropped.map((d) => ({
      file: d.file, name: d.file.name, relativePath: d.relativePath, lastModified: d.file.lastModified, ...(d.handle ? { handle: d.handle } : {}),
    }))));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dropoff-uploader': DropoffUploader;
  }
}
