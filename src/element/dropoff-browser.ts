import { LitElement, html, nothing } from 'lit';
import { DropoffApi } from '../protocol/dropoff-api.ts';
import type { Submission, SubmissionSummary } from '../protocol/records-api.ts';
import { isFinal, ProcessingApi, type ProcessingTask } from '../protocol/processing-api.ts';
import { browserStyles } from './browser-styles.ts';
import type { BrowserStrings } from './i18n/browser-strings.ts';
import { ENGLISH_BROWSER } from './i18n/en-browser.ts';
import { LanguageController } from './i18n/language-controller.ts';
import type { Overrides } from './i18n/translation.ts';

/** A row of the table: a folder one level down, or the latest submission of a key. */
type Row = { readonly folder: string } | { readonly submission: Submission };

/**
 * Shows what a user submitted and what became of it: the objects under a prefix with their latest status, folders to
 * drill into, the history of one key, counts by status over a date range, and the user's processing tasks of its
 * prefix with their status and result (followed while they run; refreshed when an uploader on the page starts processing). The listing
 * is loaded again when an uploader on the page finishes a batch (`dropoff-done`), so what was just uploaded shows with
 * its status. Reads the dropoff server's records and processing APIs.
 * Speaks the language of its `lang` attribute or the nearest one up the page (en, de, fr, it, es).
 *
 * @summary A table of submitted objects, their statuses and history.
 * @tagname dropoff-browser
 *
 * @fires {CustomEvent<{ prefix: string; count: number }>} dropoff-browser-loaded - A listing was loaded (also when it
 *   is looked at again while objects are VALIDATING).
 * @fires {CustomEvent<{ tasks: ProcessingTask[] }>} dropoff-browser-tasks - The processing tasks were loaded (also
 *   when they are looked at again while some are queued or running).
 *
 * @csspart breadcrumb - The path of prefixes, each a button back up.
 * @csspart table - The table of objects.
 * @csspart history - The history of one key.
 * @csspart summary - The counts by status, with the date range.
 * @csspart tasks - The user's latest processing tasks of `prefix` and below: processor, prefix, status (with progress), start, result or error. Not shown while there are none (or the server has no processing).
 *
 * @cssproperty [--dropoff-font=system-ui, sans-serif] - Font family.
 * @cssproperty [--dropoff-color=#1f2328] - Text colour.
 * @cssproperty [--dropoff-muted-color=#59636e] - Secondary text colour.
 * @cssproperty [--dropoff-background=#ffffff] - Background.
 * @cssproperty [--dropoff-accent=#0a66c2] - Links, focus ring.
 * @cssproperty [--dropoff-error-color=#b42318] - FAILED statuses and messages.
 * @cssproperty [--dropoff-success-color=#1a7f37] - ACCEPTED statuses.
 * @cssproperty [--dropoff-border-color=#c7ced6] - Table lines.
 * @cssproperty [--dropoff-radius=8px] - Corner radius.
 * @cssproperty [--dropoff-spacing=0.75rem] - Base spacing.
 */
export class DropoffBrowser extends LitElement {
  static override styles = browserStyles;

  // Declared here rather than with decorators: the decorators' runtime costs about 0.5 kB gzipped in the bundle.
  static override properties = {
    endpoint: { reflect: true },
    prefix: { reflect: true },
    token: {},
    getToken: { attribute: false },
    pageSize: { attribute: 'page-size', type: Number },
    pollInterval: { attribute: 'poll-interval', type: Number },
    strings: { attribute: false },
  };

  static {
    // Internal reactive state (re-renders, no attribute).
    for (const name of ['current', 'objects', 'cursor', 'history', 'summary', 'dateFrom', 'dateTo', 'status', 'error', 'loading', 'tasks']) {
      this.createProperty(name, { state: true });
    }
  }

  /** Base URL of the dropoff server. Required. */
  endpoint = '';

  /**
   * The prefix shown (ending in `/`); the user drills down from it and back up to it. Default: the user's space.
   * (It replaces Element's namespace `prefix`, which has no meaning for an HTML element.)
   */
  override prefix = '';

  /** Bearer token. */
  token = '';

  /** Returns a fresh Bearer token before each call; wins over `token`. */
  getToken: (() => string | Promise<string>) | undefined;

  /** Objects per page. */
  pageSize = 100;

  /** While an object shown is still VALIDATING, or a task is queued or running, look again after this many ms (0: never). */
  pollInterval = 2000;

  /** Texts to replace, over the language's: any subset of BrowserStrings (of `statuses`, any entries). */
  strings: Overrides<BrowserStrings> = {};

  private readonly i18n = new LanguageController<BrowserStrings>(this, {
    english: ENGLISH_BROWSER, part: (translation) => translation.browser, overrides: () => this.strings,
  });

  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  private current = '';
  private objects: Submission[] = [];
  private cursor: string | undefined;
  private history: { key: string; submissions: Submission[] } | undefined;
  private summary: SubmissionSummary | undefined;
  private dateFrom = '';
  private dateTo = '';
  private status = '';
  private error = '';
  private loading = false;
  private loadedFor = '';
  /** The user's latest processing tasks. */
  private tasks: ProcessingTask[] = [];

  /** The texts in use: English, then the language's, then `strings`. */
  get texts(): BrowserStrings {
    return this.i18n.strings;
  }

  /** Reloads the listing and the summary. */
  async refresh(): Promise<void> {
    await Promise.all([this.load(this.current || this.prefix, false), this.loadSummary(), this.loadTasks()]);
  }

  /** Shows the objects under `prefix`. */
  async open(prefix: string): Promise<void> {
    this.history = undefined;
    await this.load(prefix, false);
  }

  /** Shows every submission of `key`. */
  async showHistory(key: string): Promise<void> {
    try {
      this.history = { key, submissions: await this.api().getObjectHistory(key) };
      // Keyboard and screen-reader users land on what they opened.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#history-title')?.focus();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Closes the history and puts focus back on the object it was opened from. */
  private readonly closeHistory = async () => {
    const key = this.history?.key;
    this.history = undefined;
    await this.updateComplete;
    const row = [...this.renderRoot.querySelectorAll<HTMLElement>('tr[data-key]')].find((tr) => tr.dataset.key === key);
    row?.querySelector<HTMLElement>('button')?.focus();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('dropoff-processing', this.onProcessing);
    document.addEventListener('dropoff-done', this.onUploadsDone);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pollTimer);
    document.removeEventListener('dropoff-processing', this.onProcessing);
    document.removeEventListener('dropoff-done', this.onUploadsDone);
  }

  /** An uploader on the page started processing: show its tasks. */
  private readonly onProcessing = () => void this.loadTasks();

  /**
   * An uploader on the page finished a batch: the listing may have been loaded before those objects were recorded
   * (opened while they were still on their way), and nothing in it would be pending to look again for.
   */
  private readonly onUploadsDone = () => {
    if (this.endpoint && this.loadedFor) void this.refresh();
  };

  protected override updated(): void {
    const target = `${this.endpoint}|${this.prefix}`;
    if (this.endpoint && this.loadedFor !== target) {
      this.loadedFor = target;
      this.current = this.prefix;
      void this.refresh();
    }
  }

  protected override render() {
    const t = this.texts;
    const rows = this.rows();
    return html`
      ${this.renderBreadcrumb()}
      <p class="visually-hidden" role="status" aria-live="polite">${this.status}</p>
      ${this.error ? html`<p class="error" role="alert">${t.failed(this.error)}</p>` : nothing}
      <table part="table" aria-busy=${this.loading ? 'true' : 'false'}>
        <caption>${t.caption(this.current || t.yourSpace)}</caption>
        <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.size}</th><th scope="col">${t.lastSubmitted}</th><th scope="col">${t.status}</th><th scope="col">${t.message}</th></tr></thead>
        <tbody>${rows.length || this.loading || this.error ? rows.map((row) => this.renderRow(row))
          : html`<tr><td colspan="5" class="empty">${t.empty(this.current || t.yourSpace)}</td></tr>`}</tbody>
      </table>
      ${this.cursor ? html`<button type="button" @click=${() => void this.load(this.current, true)}>${t.loadMore}</button>` : nothing}
      ${this.history ? this.renderHistory(this.history) : nothing}
      ${this.renderSummary()}
      ${this.tasks.length ? this.renderTasks() : nothing}
    `;
  }

  private renderBreadcrumb() {
    const base = this.prefix;
    const rest = this.current.startsWith(base) ? this.current.slice(base.length) : '';
    const segments = rest.split('/').filter(Boolean);
    return html`<nav part="breadcrumb" aria-label=${this.texts.breadcrumb}><ol>
      <li><button type="button" class="link" @click=${() => void this.open(base)}>${base || this.texts.yourSpace}</button></li>
      ${segments.map((segment, i) => html`<li><button type="button" class="link" aria-current=${i === segments.length - 1 ? 'location' : 'false'}
        @click=${() => void this.open(`${base}${segments.slice(0, i + 1).join('/')}/`)}>${segment}</button></li>`)}
    </ol></nav>`;
  }

  private renderRow(row: Row) {
    const t = this.texts;
    const f = this.i18n.formats;
    if ('folder' in row) {
      return html`<tr><th scope="row"><button type="button" class="link" aria-label=${t.openFolder(row.folder)}
        @click=${() => void this.open(`${this.current}${row.folder}`)}>${row.folder}</button></th><td></td><td></td><td></td><td></td></tr>`;
    }
    const s = row.submission;
    const name = s.key.slice(this.current.length);
    return html`<tr data-key=${s.key}>
      <th scope="row"><button type="button" class="link" aria-label=${t.historyOf(name)} @click=${() => void this.showHistory(s.key)}>${name}</button></th>
      <td>${s.size === null ? t.unknown : f.bytes(s.size)}</td>
      <td><time datetime=${s.receivedAt}>${f.dateTime(s.receivedAt)}</time></td>
      <td class=${`status-${s.status}`}>${t.statuses[s.status] ?? s.status}</td>
      <td class="message">${s.message ?? ''}</td>
    </tr>`;
  }

  private renderHistory(history: { key: string; submissions: Submission[] }) {
    const t = this.texts;
    const f = this.i18n.formats;
    return html`<section part="history" aria-labelledby="history-title">
      <h3 id="history-title" tabindex="-1">${t.historyOf(history.key)}</h3>
      <table>
        <thead><tr><th scope="col">${t.submitted}</th><th scope="col">${t.size}</th><th scope="col">${t.status}</th><th scope="col">${t.sha256}</th><th scope="col">${t.message}</th></tr></thead>
        <tbody>${history.submissions.map((s) => html`<tr>
          <td><time datetime=${s.receivedAt}>${f.dateTime(s.receivedAt)}</time></td>
          <td>${s.size === null ? t.unknown : f.bytes(s.size)}</td>
          <td class=${`status-${s.status}`}>${t.statuses[s.status] ?? s.status}</td>
          <td><code>${s.sha256 ?? t.unknown}</code></td>
          <td class="message">${s.message ?? ''}</td></tr>`)}</tbody>
      </table>
      <button type="button" @click=${this.closeHistory}>${t.closeHistory}</button>
    </section>`;
  }

  private renderSummary() {
    const t = this.texts;
    const f = this.i18n.formats;
    const s = this.summary;
    return html`<section part="summary" aria-labelledby="summary-title">
      <h3 id="summary-title">${t.summaryTitle}</h3>
      <div class="dates">
        <label>${t.submittedAfter} <input type="date" .value=${this.dateFrom} @change=${(e: Event) => { this.dateFrom = (e.target as HTMLInputElement).value; void this.loadSummary(); }} /></label>
        <label>${t.submittedBefore} <input type="date" .value=${this.dateTo} @change=${(e: Event) => { this.dateTo = (e.target as HTMLInputElement).value; void this.loadSummary(); }} /></label>
      </div>
      ${s ? html`<dl>
        <div><dt>${t.total}</dt><dd>${f.number(s.total)}</dd></div>
        ${Object.entries(s.byStatus).map(([status, count]) => html`<div><dt>${t.statuses[status] ?? status}</dt><dd class=${`status-${status}`}>${f.number(count)}</dd></div>`)}
      </dl>` : nothing}
    </section>`;
  }

  private renderTasks() {
    const t = this.texts;
    const f = this.i18n.formats;
    return html`<section part="tasks" aria-labelledby="tasks-title">
      <h3 id="tasks-title">${t.tasksTitle}</h3>
      <table>
        <thead><tr><th scope="col">${t.processor}</th><th scope="col">${t.prefix}</th><th scope="col">${t.status}</th><th scope="col">${t.created}</th><th scope="col">${t.result}</th></tr></thead>
        <tbody>${this.tasks.map((task) => html`<tr data-task=${task.id}>
          <th scope="row">${task.processor}</th>
          <td>${task.prefix}</td>
          <td class=${`task-${task.status}`}>${t.taskStatuses[task.status] ?? task.status}${task.status === 'running' ? html` · ${t.taskProgress(task.progress.objectsDone, task.progress.objectsTotal, f)}` : nothing}</td>
          <td><time datetime=${task.createdAt}>${f.dateTime(task.createdAt)}</time></td>
          <td class=${task.status === 'failed' ? 'message' : ''}>${task.status === 'failed' ? task.error : task.summary ?? ''}</td></tr>`)}</tbody>
      </table>
    </section>`;
  }

  /** Folders one level below the current prefix first, then objects directly in it. */
  private rows(): Row[] {
    const folders = new Set<string>();
    const files: Row[] = [];
    for (const submission of this.objects) {
      const rest = submission.key.slice(this.current.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) folders.add(rest.slice(0, slash + 1));
      else files.push({ submission });
    }
    return [...[...folders].sort().map((folder) => ({ folder })), ...files];
  }

  private async load(prefix: string, more: boolean): Promise<void> {
    this.error = '';
    this.status = this.texts.loading;
    this.loading = true;
    try {
      const page = await this.api().listObjects({ ...(prefix ? { prefix } : {}), limit: this.pageSize, ...(more && this.cursor ? { cursor: this.cursor } : {}) });
      this.current = prefix;
      this.objects = more ? [...this.objects, ...page.objects] : [...page.objects];
      this.cursor = page.cursor;
      await this.i18n.ready;
      this.status = this.texts.loaded(this.objects.length, prefix || this.texts.yourSpace, this.i18n.formats);
      this.pollWhilePending();
      this.dispatchEvent(new CustomEvent('dropoff-browser-loaded', { detail: { prefix, count: this.objects.length }, bubbles: true, composed: true }));
    } catch (error) {
      this.error = (error as Error).message;
      this.status = '';
    } finally {
      this.loading = false;
    }
  }

  /** Statuses move on in the background (VALIDATING objects, queued or running tasks): look again while some are pending. */
  private pollWhilePending(): void {
    clearTimeout(this.pollTimer);
    if (this.pollInterval > 0 && this.isConnected && (this.objects.some((o) => o.status === 'VALIDATING') || this.tasks.some((task) => !isFinal(task.status)))) {
      this.pollTimer = setTimeout(() => void this.refresh(), this.pollInterval);
    }
  }

  /** The user's latest tasks; none on a server without processing (its 404 is no error to show). */
  private async loadTasks(): Promise<void> {
    if (!this.endpoint) return;
    try {
      this.tasks = await new ProcessingApi({ endpoint: this.endpoint, token: () => (this.getToken ? this.getToken() : this.token) }).listTasks(20, this.prefix || undefined);
      this.pollWhilePending();
      this.dispatchEvent(new CustomEvent('dropoff-browser-tasks', { detail: { tasks: this.tasks }, bubbles: true, composed: true }));
    } catch (error) {
      if ((error as { status?: number }).status !== 404) this.error = (error as Error).message;
    }
  }

  private async loadSummary(): Promise<void> {
    try {
      // Local calendar days: from the start of the first to the end of the last.
      const after = this.dateFrom ? new Date(`${this.dateFrom}T00:00:00`).toISOString() : undefined;
      const before = this.dateTo ? new Date(new Date(`${this.dateTo}T00:00:00`).getTime() + 24 * 3600_000).toISOString() : undefined;
      this.summary = await this.api().getSummary({ ...(this.prefix ? { prefix: this.prefix } : {}), ...(after ? { submittedAfter: after } : {}), ...(before ? { submittedBefore: before } : {}) });
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private api(): DropoffApi {
    return new DropoffApi({ endpoint: this.endpoint, token: () => (this.getToken ? this.getToken() : this.token) });
  }
}

customElements.define('dropoff-browser', DropoffBrowser);

declare global {
  interface HTMLElementTagNameMap {
    'dropoff-browser': DropoffBrowser;
  }
  interface HTMLElementEventMap {
    'dropoff-browser-loaded': CustomEvent<{ prefix: string; count: number }>;
    'dropoff-browser-tasks': CustomEvent<{ tasks: ProcessingTask[] }>;
  }
}
