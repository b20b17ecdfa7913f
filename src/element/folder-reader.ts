/**
 * Reading what was dropped: files, and whole folders (walked recursively, keeping each file's path relative to the
 * dropped folder), with the File System Access handle of each dropped file where Chromium gives one.
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
    if (entry?.isDirectory) return readTree(entry);
    if (!file) return [];
    const found = await handle;
    return [{ file, relativePath: file.name, ...(found && found.kind === 'file' ? { handle: found as ResumableFileHandle } : {}) }];
  })).then((lists) => lists.flat());
}

/** Every file under `entry`, recursively, with paths relative to the folder's parent (`folder/sub/file`). */
export async function readTree(entry: TreeEntry): Promise<DroppedFile[]> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((resolve, reject) => entry.file!(resolve, reject));
    return [{ file, relativePath: entry.fullPath.replace(/^\/+/, '') }];
  }
  if (!entry.isDirectory || !entry.createReader) return [];
  const reader = entry.createReader();
  const children: TreeEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<TreeEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => readTree(child)));
  return nested.flat();
}
