/**
 * Walking a dropped folder: every file under a FileSystemEntry, recursively. Loaded by readDrop (folder-reader.ts)
 * only when a folder is dropped, so the one-file bundle carries it as a chunk.
 */
import type { DroppedFile, TreeEntry } from './folder-reader.ts';

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
