/**
 * Many clients at once, and a restart of the reference server in the middle: eight engines (as eight tabs) upload
 * 24 files through the fault-injecting stack on Ceph RGW while the server is stopped for 2 s and started again.
 * Every file must end stored with its own bytes. Bounded: 24 files, about 200 MiB, 127.0.0.1 only.
 */
import { expect } from '@open-wc/testing';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import type { CompleteDetail } from '../../src/engine/upload-events.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { ALICE } from '../support/test-users.ts';
import { faultLog, fileOf, injectFaults, readObject, restartServer, sha256Of, stacks, uniquePrefix } from '../support/browser-helpers.ts';

const MiB = 1024 * 1024;

describe('load and a server restart', () => {
  it('completes every upload of eight clients while the server restarts', async () => {
    await injectFaults('storage', [{ method: 'PUT', path: 'partNumber=', action: 'delay', delayMs: 600, times: -1 }]);
    await injectFaults('server', []);
    const serverUrl = (await stacks()).faulty.serverUrl;
    const prefix = uniquePrefix(ALICE.space, 'load');
    const clients = Array.from({ length: 8 }, () => new UploadEngine({
      api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: null, partSize: 5 * MiB, partConcurrency: 2, maxRetries: 6,
    }));
    const files = clients.map((_, c) => [fileOf(`c${c}-a.bin`, 12 * MiB, c * 3 + 1), fileOf(`c${c}-b.bin`, 11 * MiB + c, c * 3 + 2), fileOf(`c${c}-c.txt`, 40_000, c * 3 + 3)]);
    const uploads = clients.flatMap((client, c) => files[c]!.map((file) => client.putObject(file, `${prefix}${file.name}`)));
    // Restart once the first multipart file is stored: the others are then in the middle of their parts.
    await Promise.race(uploads.filter((_, i) => i % 3 === 0));
    await restartServer(2000);
    const settled = await Promise.allSettled(uploads);
    const serverSide = await faultLog('server');
    await injectFaults('storage', []);
    expect(serverSide.upstreamErrors, 'calls that met the stopped server').to.be.above(0);
    const failures = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
    expect(failures).to.deep.equal([]);
    const details = settled.map((s) => (s as PromiseFulfilledResult<CompleteDetail>).value);
    for (const [i, file] of files.flat().entries()) {
      const expected = await sha256Of(file);
      expect(details[i]!.sha256).to.equal(expected);
      const stored = await readObject('ceph', `${prefix}${file.name}`, 5 * MiB);
      expect(stored.sha256, file.name).to.equal(expected);
    }
    for (const client of clients) client.dispose();
  });
});
