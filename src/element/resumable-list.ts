/**
 * The list of unfinished uploads from before (a reload, a crash) in <dropoff-uploader>: resume (with the file handle
 * the browser kept) or discard each. A chunk of the one-file bundle, loaded only when there is such an upload.
 */
import { html, nothing } from 'lit';
import type { ResumableUpload } from '../engine/upload-events.ts';
import type { Formats } from './i18n/formats.ts';
import type { UploaderStrings } from './strings.ts';

/** What the list's buttons do (the element's public methods). */
export interface ResumableActions {
  resumeFromHandle(fingerprint: string): Promise<void>;
  discardResumable(fingerprint: string): Promise<void>;
}

/** The `resumable` part: one row per upload, with its progress, age and buttons. */
export function renderResumableList(uploads: readonly ResumableUpload[], t: UploaderStrings, formats: Formats, actions: ResumableActions) {
  return html`
    <section part="resumable" class="resumable" aria-labelledby="resumable-title">
      <p id="resumable-title" class="hint">${uploads.some((u) => u.hasHandle) ? t.resumableTitle : t.resumableTitleRepick}</p>
      <ul>${uploads.map((upload) => html`
        <li class="paused" data-key=${upload.key}>
          <span class="name" title=${upload.key}>${upload.name}</span>
          <span class="actions">
            ${upload.hasHandle ? html`<button part="button" type="button" aria-label=${t.itemAction(t.resume, upload.name)}
              @click=${() => void actions.resumeFromHandle(upload.fingerprint)}>${t.resume}</button>` : nothing}
            <button part="button" type="button" aria-label=${t.itemAction(t.discard, upload.name)}
              @click=${() => void actions.discardResumable(upload.fingerprint)}>${t.discard}</button></span>
          <span class="status">${t.resumableStatus(upload.size ? Math.floor((upload.bytesDone / upload.size) * 100) : 0, upload.size, formats.ago(upload.updatedAt), formats)}</span>
          ${upload.hasHandle ? nothing : html`<span class="repick hint">${t.repickToResume}</span>`}
        </li>`)}</ul>
    </section>`;
}
