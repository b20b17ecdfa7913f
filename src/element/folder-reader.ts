/**
 * Reading what was dropped: files, and whole folders (walked recursively, keeping each file's path relative to the
 * dropped folder, see folder-tree.ts), with the File System Access handle of each dropped file where Chromium gives one.
 */
import type { HandleDataTransferItem, ResumableFileHandle } from '../engine/file-handles.ts';

/** One dropped file with its path inside the drop. */
export interface DroppedFile {
  readonly file: File;
  /** `folder/sub/name.ext` for files inside a dropped folder, the name otherwise. */
  readonly relativePath: string;
  /** The handle, for a file dropped on its own in Chromium. */
  readonly handle?: ResumableFileHandle;
}

/** The parts of FileSystemEntry (webkitGetAsEntry) used here. */
export interface TreeEntry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
  file?(success: (file: File) => void, failure: (error: DOMException) => void): void;
  createReader?(): { readEntries(success: (entries: TreeEntry[]) => void, failure: (error: DOMException) => void): void };
}

/**
 * Everything in a drop. Entries and handles must be taken during the drop event itself, so this reads them
 * synchronously first and only then waits.
 */
export function readDrop(transfer: DataTransfer): Promise<DroppedFile[]> {
  const items = Array.from(transfer.items).filter((item) => item.kind === 'file');
  const files = Array.from(transfer.files);
  const taken = items.map((item, i) => ({
    entry: (item.webkitGetAsEntry?.() ?? null) as TreeEntry | null,
    handle: 'getAsFileSystemHandle' in item ? (item as HandleDataTransferItem).getAsFileSystemHandle().catch(() => null) : Promise.resolve(null),
    file: files[i],
  }));
  return Promise.all(taken.map(async ({ entry, handle, file }): Promise<DroppedFile[]> => {
    // The folder walker is a chunk of its own, loaded only when a folder is dropped (the entry is already taken).
    if (entry?.isDirectory) return (await import('./folder-tree.ts')).readTree(entry);
    if (!file) return [];
    const found = await handle;
    return [{ file, relativePath: file.name, ...(found && found.kind === 'file' ? { handle: found as ResumableFileHandle } : {}) }];
  })).then((lists) => lists.flat());
}
