/**
 * Helpers for browser tests: reproducible file contents, digests, and the stacks started by stack-plugin.ts.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { FaultLog, FaultRule } from './fault-proxy.ts';
import type { StoredObject } from './stored-object.ts';

export type { FaultRule };

/** Which storage a stack runs on. */
export type StorageKind = 'ceph' | 's3rver';

/** The reference servers in front of each storage, and the fault-injecting stack (on Ceph). */
export function stacks(): Promise<Record<StorageKind | 'faulty', { serverUrl: string }>> {
  return executeServerCommand('dropoff-stacks');
}

/** Scripts the fault proxy in front of the storage or the server of the `faulty` stack. */
export function injectFaults(target: 'storage' | 'server', rules: readonly FaultRule[]): Promise<void> {
  return executeServerCommand('dropoff-faults', { target, rules });
}

/** Stops the `faulty` stack's reference server for `downMs`, then starts it again on the same port. */
export function restartServer(downMs: number): Promise<void> {
  return executeServerCommand('dropoff-restart-server', { downMs });
}

/** What a fault proxy saw since it was last scripted. */
export function faultLog(target: 'storage' | 'server'): Promise<FaultLog> {
  return executeServerCommand('dropoff-fault-log', { target });
}

/** Reads `key` back from `storage` (in Node) with the multipart ETag its bytes would have at `partSize`. */
export function readObject(storage: StorageKind, key: string, partSize: number): Promise<StoredObject> {
  return executeServerCommand('dropoff-read-object', { storage, key, partSize });
}

/** Upload ids still open under `prefix` on Ceph. */
export function openUploads(prefix: string): Promise<string[]> {
  return executeServerCommand('dropoff-open-uploads', { storage: 'ceph', prefix });
}

/** The text of README.md or a file under test/, as it is on disk. */
export function readSource(path: string): Promise<string> {
  return executeServerCommand('dropoff-read-source', { path });
}

/** Presses `keys` together, as Shift+Tab is typed (every browser; see key-chord-plugin.ts). */
export function pressChord(...keys: string[]): Promise<void> {
  return executeServerCommand('dropoff-key-chord', { keys });
}

/** `size` pseudo-random bytes from `seed` (xorshift32): incompressible, and the same for the same seed. */
export function bytesOf(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, size >>> 2);
  let x = seed || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** A File of `size` pseudo-random bytes. */
export function fileOf(name: string, size: number, seed = 1, type = 'application/octet-stream'): File {
  return new File([bytesOf(size, seed)], name, { type, lastModified: 1_700_000_000_000 + seed });
}

/** SHA-256 (hex) of a Blob, by Web Crypto. */
export async function sha256Of(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A unique prefix per test, so tests never see each other's keys. */
export function uniquePrefix(space: string, label: string): string {
  return `${space}${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
}

/** Resolves with the first `type` event's detail on `target` that passes `filter`. */
export function nextEvent<T>(target: EventTarget, type: string, filter: (detail: T) => boolean = () => true, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ${type} event within ${timeoutMs} ms`)), timeoutMs);
    const listener = (event: Event) => {
      const detail = (event as CustomEvent<T>).detail;
      if (!filter(detail)) return;
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(detail);
    };
    target.addEventListener(type, listener);
  });
}
