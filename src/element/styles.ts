/**
 * Styles of <dropoff-uploader>. Public custom properties are declared with their defaults on :host.
 */
import { css } from 'lit';
import { themeTokens } from './theme.ts';

/** The element's stylesheet (after the shared theme tokens). */
export const uploaderStyles = [themeTokens, css`
  :host([hidden]) { display: none; }
  .dropzone {
    display: grid;
    place-items: center;
    gap: 0.25rem;
    padding: calc(var(--dropoff-spacing) * 2);
    border: 2px dashed var(--dropoff-border-color);
    border-radius: var(--dropoff-radius);
    text-align: center;
    cursor: pointer;
  }
  .dropzone:focus-visible { outline: 3px solid var(--dropoff-accent); outline-offset: 2px; }
  .dropzone.dragging { border-color: var(--dropoff-accent); border-style: solid; }
  :host([disabled]) .dropzone { opacity: 0.55; cursor: not-allowed; }
  .browse { color: var(--dropoff-accent); text-decoration: underline; }
  .hint { color: var(--dropoff-muted-color); font-size: 0.875em; }
  ul { list-style: none; margin: var(--dropoff-spacing) 0 0; padding: 0; display: grid; gap: calc(var(--dropoff-spacing) / 2); }
  li {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0.25rem var(--dropoff-spacing);
    padding: calc(var(--dropoff-spacing) / 2) var(--dropoff-spacing);
    border: 1px solid var(--dropoff-border-color);
    border-radius: var(--dropoff-radius);
  }
  .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 600; }
  .status { color: var(--dropoff-muted-color); font-variant-numeric: tabular-nums; }
  .failed .status { color: var(--dropoff-error-color); }
  .done .status { color: var(--dropoff-success-color); }
  progress { grid-column: 1 / -1; width: 100%; height: 0.5rem; accent-color: var(--dropoff-accent); }
  .actions { display: flex; gap: 0.25rem; }
  button {
    font: inherit;
    font-size: 0.875em;
    padding: 0.125rem 0.5rem;
    border: 1px solid var(--dropoff-border-color);
    border-radius: calc(var(--dropoff-radius) / 2);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  button:focus-visible { outline: 2px solid var(--dropoff-accent); outline-offset: 1px; }
  .message { grid-column: 1 / -1; color: var(--dropoff-error-color); font-size: 0.875em; overflow-wrap: anywhere; }
  .sha { grid-column: 1 / -1; color: var(--dropoff-muted-color); font-size: 0.75em; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
  .summary { display: grid; gap: 0.25rem; margin-top: var(--dropoff-spacing); font-variant-numeric: tabular-nums; }
  .summary progress { grid-column: auto; }
  .bulk { flex-wrap: wrap; }
  .more { display: block; border-style: dashed; color: var(--dropoff-muted-color); }
  /* A small file: one line (name, status, at most one button), no card, so hundreds stay readable. */
  li.compact {
    grid-template-columns: minmax(0, 1fr) auto auto;
    align-items: center;
    padding: 0.125rem var(--dropoff-spacing);
    border-width: 0 0 1px;
    border-radius: 0;
  }
  li.compact .name { font-weight: 400; }
  li.compact .status { font-size: 0.875em; text-align: end; }
  li.compact button { padding: 0 0.375rem; }
  li.compact + li.compact { margin-top: calc(var(--dropoff-spacing) / -2); }
  .resumable, .rejected { margin-top: var(--dropoff-spacing); }
  .resumable .hint, .rejected .hint { margin: 0; }
  .repick { grid-column: 1 / -1; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`];
