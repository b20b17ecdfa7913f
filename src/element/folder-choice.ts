/**
 * Which files of a picked or dropped folder are uploaded, and under what path: all of them or only the folder's
 * top-level files, and with or without the folder's own name in front (the `dropoff` command's `-r` and its
 * relative-to-the-folder keys, for the element).
 */

/** How a folder's files are taken. */
export interface FolderChoice {
  /** Only the folder's top-level files (files in its subfolders are left out). */
  readonly topLevelOnly: boolean;
  /** Paths relative to the folder (`sub/a.mseed`) instead of starting with its name (`data/sub/a.mseed`). */
  readonly stripFolderName: boolean;
}

/**
 * The path a file is keyed by, or undefined when the choice leaves it out. `path` is as the browser gives it: the name
 * alone for a file picked on its own, `folder/sub/name` for a file from a folder.
 */
export function folderPath(path: string, choice: FolderChoice): string | undefined {
  const segments = path.split('/');
  if (segments.length < 2) return path;
  if (choice.topLevelOnly && segments.length > 2) return undefined;
  return choice.stripFolderName ? segments.slice(1).join('/') : path;
}
