/**
 * Styles of <dropoff-browser>: the same public custom properties as <dropoff-uploader>, with defaults on :host.
 */
import { css } from 'lit';
import { themeTokens } from './theme.ts';

/** The element's stylesheet (after the shared theme tokens). */
export const browserStyles = [themeTokens, css`
  :host([hidden]) { display: none; }
  nav ol { display: flex; flex-wrap: wrap; gap: 0.25rem; list-style: none; padding: 0; margin: 0 0 var(--dropoff-spacing); }
  nav li + li::before { content: '/'; color: var(--dropoff-muted-color); margin-right: 0.25rem; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  caption { text-align: left; color: var(--dropoff-muted-color); padding-bottom: 0.25rem; }
  th, td { text-align: left; padding: 0.375rem 0.5rem; border-bottom: 1px solid var(--dropoff-border-color); vertical-align: top; }
  td.message { color: var(--dropoff-error-color); overflow-wrap: anywhere; }
  .status-ACCEPTED { color: var(--dropoff-success-color); }
  .status-FAILED { color: var(--dropoff-error-color); }
  .task-succeeded { color: var(--dropoff-success-color); }
  .task-failed { color: var(--dropoff-error-color); }
  button {
    font: inherit; padding: 0.125rem 0.5rem; border: 1px solid var(--dropoff-border-color);
    border-radius: calc(var(--dropoff-radius) / 2); background: transparent; color: inherit; cursor: pointer;
  }
  button.link { border: none; padding: 0; color: var(--dropoff-accent); text-decoration: underline; }
  button:focus-visible, input:focus-visible { outline: 2px solid var(--dropoff-accent); outline-offset: 1px; }
  section { margin-top: calc(var(--dropoff-spacing) * 1.5); }
  h3 { font-size: 1em; margin: 0 0 0.5rem; }
  .dates { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
  dl { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; margin: 0.5rem 0 0; }
  dt { color: var(--dropoff-muted-color); }
  dd { margin: 0; font-weight: 600; }
  .error { color: var(--dropoff-error-color); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`];
