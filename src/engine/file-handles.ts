/**
 * The parts of the File System Access API the engine and element use (Chromium): file handles that can be kept in
 * IndexedDB, so an upload can resume after a reload without the user picking the file again. Not in TypeScript's DOM
 * library yet, hence these declarations; every use is feature-detected.
 */

/** A file handle as Chromium hands it out (picker, drag and drop, origin private file system). */
export interface ResumableFileHandle {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

/** A DataTransferItem that can give a handle (Chromium). */
export interface HandleDataTransferItem extends DataTransferItem {
  getAsFileSystemHandle(): Promise<ResumableFileHandle | { kind: 'directory' } | null>;
}

/** The page's open-file picker, where there is one. */
export type OpenFilePicker = (options: { multiple?: boolean }) => Promise<ResumableFileHandle[]>;

/** The open-file picker of this browser, or undefined. */
export function openFilePicker(): OpenFilePicker | undefined {
  const picker = (globalThis as { showOpenFilePicker?: OpenFilePicker }).showOpenFilePicker;
  return typeof picker === 'function' ? picker.bind(globalThis) : undefined;
}

/** Asks for read access to `handle` (a prompt, when the user has not granted it yet); true when granted. */
export async function mayRead(handle: ResumableFileHandle): Promise<boolean> {
  const descriptor = { mode: 'read' } as const;
  if (!handle.queryPermission || (await handle.queryPermission(descriptor)) === 'granted') return true;
  return (await handle.requestPermission?.(descriptor)) === 'granted';
}
