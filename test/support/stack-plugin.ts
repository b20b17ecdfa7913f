/**
 * A @web/test-runner plugin that starts the local stacks the browser tests upload to (Ceph RGW and s3rver, each
 * behind its own reference server) and answers the tests' server commands:
 * - `dropoff-stacks` -> `{ ceph: { serverUrl }, s3rver: { serverUrl } }`
 * - `dropoff-read-object` `{ storage, key, partSize }` -> StoredObject
 * - `dropoff-open-uploads` `{ storage, prefix }` -> upload ids (Ceph)
 * - `dropoff-read-source` `{ path }` -> the text of README.md or a file under test/, untransformed
 * - `dropoff-libmseed-example` -> libmseed's example miniSEED file (test.mseed), base64
 * - `dropoff-faults` `{ target: 'storage' | 'server', rules }` -> scripts the fault proxies of the `faulty` stack
 * - `dropoff-fault-log` `{ target }` -> what that proxy saw
 * - `dropoff-restart-server` `{ downMs }` -> stops the `faulty` stack's reference server, waits, starts it again on
 *   the same port (uploads in flight must carry on)
 * The `faulty` stack is the Ceph stack's storage behind a fault proxy, a reference server signing URLs for that proxy,
 * and a second fault proxy in front of that server; its `serverUrl` is the outer proxy.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner';
import { LIBMSEED_TEST_FILE } from './miniseed-files.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { startLocalStack, type LocalStack, type StorageKind } from '../../scripts/stack/local-stack.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from './fault-proxy.ts';
import { openUploads, readStoredObject } from './stored-object.ts';
import { TEST_TOKENS } from './test-users.ts';

/** The plugin; stacks start with the test server and stop with it. */
export function stackPlugin(): TestRunnerPlugin {
  const stacks = new Map<StorageKind, LocalStack>();
  let faulty: { storage: FaultProxy; server: FaultProxy; reference: RunningServer; records: string } | undefined;
  const stack = (kind: unknown) => {
    const found = stacks.get(kind as StorageKind);
    if (!found) throw new Error(`No ${String(kind)} stack is running`);
    return found;
  };
  return {
    name: 'dropoff-stacks',
    async serverStart() {
      const [ceph, s3rver] = await Promise.all([
        startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS }),
        startLocalStack({ storage: 's3rver', tokens: TEST_TOKENS }),
      ]);
      stacks.set('ceph', ceph);
      stacks.set('s3rver', s3rver);
      const storageProxy = await startFaultProxy(Number(new URL(ceph.s3.endpoint).port), 'storage');
      // Its records live in a folder, so that a restart keeps them (upload ids stay tied to their owners), as a real one does.
      const records = await mkdtemp(join(tmpdir(), 'dropoff-faulty-records-'));
      const reference = await startServer({ ...ceph.config, port: 0, s3: { ...ceph.s3, endpoint: storageProxy.url }, dataDirectory: records });
      const serverProxy = await startFaultProxy(Number(new URL(reference.url).port), 'server');
      faulty = { storage: storageProxy, server: serverProxy, reference, records };
    },
    async serverStop() {
      if (faulty) {
        await faulty.server.close();
        await faulty.reference.close();
        await faulty.storage.close();
        await rm(faulty.records, { recursive: true, force: true });
      }
      await Promise.all([...stacks.values()].map((s) => s.stop()));
      stacks.clear();
    },
    async executeCommand({ command, payload }) {
      const p = (payload ?? {}) as Record<string, unknown>;
      switch (command) {
        case 'dropoff-stacks':
          return { ...Object.fromEntries([...stacks].map(([kind, s]) => [kind, { serverUrl: s.serverUrl }])), faulty: { serverUrl: faulty?.server.url } };
        case 'dropoff-faults':
          faulty![p.target === 'server' ? 'server' : 'storage'].script((p.rules ?? []) as FaultRule[]);
          return true;
        case 'dropoff-fault-log':
          return faulty![p.target === 'server' ? 'server' : 'storage'].log();
        case 'dropoff-restart-server': {
          const port = Number(new URL(faulty!.reference.url).port);
          await faulty!.reference.close();
          await new Promise((resolve) => setTimeout(resolve, Number(p.downMs ?? 1000)));
          const ceph = stack('ceph');
          faulty!.reference = await startServer({ ...ceph.config, port, s3: { ...ceph.s3, endpoint: faulty!.storage.url }, dataDirectory: faulty!.records });
          return true;
        }
        case 'dropoff-read-object':
          return readStoredObject(stack(p.storage).s3, String(p.key), Number(p.partSize));
        case 'dropoff-open-uploads':
          return openUploads(stack(p.storage).s3, String(p.prefix));
        case 'dropoff-read-source': {
          const path = normalize(String(p.path));
          if (path !== 'README.md' && !path.startsWith('test/')) throw new Error(`dropoff-read-source reads README.md and test/ only, not ${path}`);
          return readFile(path, 'utf8');
        }
        case 'dropoff-libmseed-example':
          // libmseed's example miniSEED file (Debian's libmseed-doc), as base64, for the processing tests.
          return (await readFile(LIBMSEED_TEST_FILE)).toString('base64');
        default:
          return undefined;
      }
    },
  };
}
