/**
 * The resume record: what survives a reload for one multipart upload. Versioned so that a later release can read or
 * discard records written by an earlier one.
 */

import type { ResumableFileHandle } from '../engine/file-handles.ts';

/** The current record format. */
export const RESUME_RECORD_VERSION = 1;

/** A finished part as the storage confirmed it. */
export interface FinishedPart {
  /** The part's ETag. */
  readonly etag: string;
  /** Its size in bytes. */
  readonly size: number;
}

/** One upload in progress. */
export interface ResumeRecord {
  /** Format version ({@link RESUME_RECORD_VERSION}). */
  readonly version: number;
  /** Identifies the file and destination (see fingerprintOf). */
  readonly fingerprint: string;
  /** The server the upload was created on. */
  readonly endpoint: string;
  /** Object key. */
  readonly key: string;
  /** The storage's upload id. */
  readonly uploadId: string;
  /** File name. */
  readonly name: string;
  /** File size in bytes. */
  readonly size: number;
  /** Part size the upload was planned with; a resume must use the same. */
  readonly partSize: number;
  /** Finished parts by part number. */
  readonly parts: Readonly<Record<number, FinishedPart>>;
  /** The whole-file SHA-256 hasher's state after parts 1..`throughPart` (hash-wasm `save()`), so a resume need not re-read them. */
  readonly sha256?: { readonly throughPart: number; readonly state: Uint8Array };
  /** When the upload was created (ms since epoch). */
  readonly createdAt: number;
  /** When a part last finished (ms since epoch). */
  readonly updatedAt: number;
  /** The file's handle, where the browser gave one (File System Access): resume then needs no new pick. */
  readonly handle?: ResumableFileHandle;
  /** Base64 MD5 of the file's first part: a file that matches the fingerprint but not this is another file. */
  readonly firstPartMd5?: string;
  /** The file's modification time, to tell whether a handle still points at the same content. */
  readonly lastModified?: number;
  /**
   * For a protocol that signs every part at create: the URLs it signed (each with its expiry), every part's base64 MD5
   * in part order and the file's SHA-256, so that a resume while the URLs are valid needs neither new URLs nor the
   * whole file hashed again.
   */
  readonly signed?: {
    readonly urls: readonly { readonly partNumber: number; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly expiresAt: string }[];
    readonly md5s: readonly string[];
    readonly sha256: string;
  };
  /** The user the record belongs to (see user-scope.ts), stamped by the store; only that user sees it. */
  readonly scope?: string;
}

/** Where resume records are kept (the port the engine writes through). */
export interface ResumeStore {
  /** Writes a new record (replacing one with the same fingerprint). */
  put(record: ResumeRecord): Promise<void>;
  /** Adds a finished part to the record atomically; a no-op when the record is gone. */
  addPart(fingerprint: string, partNumber: number, part: FinishedPart): Promise<void>;
  /** Stores the SHA-256 hasher state after parts 1..`throughPart`; a no-op when the record is gone. */
  saveHashState(fingerprint: string, throughPart: number, state: Uint8Array): Promise<void>;
  /** The record for `fingerprint`, if any. */
  get(fingerprint: string): Promise<ResumeRecord | undefined>;
  /** Every record. */
  list(): Promise<ResumeRecord[]>;
  /** Removes a record. */
  remove(fingerprint: string): Promise<void>;
}

/**
 * The fingerprint of a file bound for `key` on `endpoint`: name, size, modification time, type, key and endpoint. The
 * record also keeps the MD5 of the first part, checked before a resume.
 */
export function fingerprintOf(file: { name: string; size: number; lastModified?: number; type: string }, key: string, endpoint: string): string {
  return JSON.stringify([endpoint, key, file.name, file.size, file.lastModified ?? 0, file.type]);
}
