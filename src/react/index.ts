/**
 * `dropoff-uploader/react`: React components for both elements, made by `@lit/react`: typed props (every property of
 * the element) and typed `onDropoff…` event props. Importing this defines the elements.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { DropoffUploader as UploaderElement } from '../element/dropoff-uploader.ts';
import { DropoffBrowser as BrowserElement } from '../element/dropoff-browser.ts';

/** The DOM event of `name`, typed for @lit/react. */
const event = <K extends keyof HTMLElementEventMap>(name: K) => name as EventName<HTMLElementEventMap[K]>;

/**
 * `<DropoffUploader endpoint=… onDropoffComplete={(e) => e.detail.sha256} />`: the `<dropoff-uploader>` element.
 * Props are the element's properties (`partSize`, `maxFileSize`, `strings`, `getToken`…); a `ref` gives the element,
 * for its methods (`start()`, `pause()`, `addFiles()`…).
 */
export const DropoffUploader = createComponent({
  tagName: 'dropoff-uploader',
  elementClass: UploaderElement,
  react: React,
  displayName: 'DropoffUploader',
  events: {
    onDropoffFilesAdded: event('dropoff-files-added'),
    onDropoffFilesRejected: event('dropoff-files-rejected'),
    onDropoffState: event('dropoff-state'),
    onDropoffProgress: event('dropoff-progress'),
    onDropoffComplete: event('dropoff-complete'),
    onDropoffError: event('dropoff-error'),
    onDropoffDone: event('dropoff-done'),
    onDropoffResumable: event('dropoff-resumable'),
  },
});

/** `<DropoffBrowser endpoint=… prefix=… onDropoffBrowserLoaded={…} />`: the `<dropoff-browser>` element. */
export const DropoffBrowser = createComponent({
  tagName: 'dropoff-browser',
  elementClass: BrowserElement,
  react: React,
  displayName: 'DropoffBrowser',
  events: {
    onDropoffBrowserLoaded: event('dropoff-browser-loaded'),
  },
});

export type { UploaderElement as DropoffUploaderElement, BrowserElement as DropoffBrowserElement };
