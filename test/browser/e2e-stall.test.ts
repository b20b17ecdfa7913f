/**
 * A part PUT that stops making progress (no bytes sent, no answer) is given up after the transport's stall limit and
 * retried, instead of waiting for ever: WebKit's request for a file cut short on disk stalls so, as would a connection
 * that silently died. Here the storage's fault proxy holds one part PUT far longer than a short stall limit.
 */
import { expect } from '@open-wc/testing';
import { XhrPartTransport } from '../../src/browser/xhr-transport.ts';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import { ALICE } from '../support/test-users.ts';
import { faultLog, fileOf, injectFaults, readObject, sha256Of, stacks, uniquePrefix } from '../support/browser-helpers.ts';

const MiB = 1024 * 1024;

describe('a stalled part PUT', () => {
  after(async () => {
    await injectFaults('storage', []);
  });

  it('is given up after the stall limit and sent again; the object is stored right', async () => {
    // Held 20 s by the proxy; the stall limit is 2 s, so the held request is given up and the part sent again.
    await injectFaults('storage', [{ method: 'PUT', path: 'partNumber=2&', action: 'delay', delayMs: 20_000, times: 1 }]);
    const serverUrl = (await stacks()).faulty.serverUrl;
    const logs: string[] = [];
    const engine = new UploadEngine({
      api: new DropoffApi({ endpoint: serverUrl, token: ALICE.token }), store: null, partSize: 5 * MiB, partConcurrency: 2,
      transport: new XhrPartTransport(2_000), log: (line) => logs.push(line),
    });
    const file = fileOf('stalled.bin', 12 * MiB, 61);
    const key = `${uniquePrefix(ALICE.space, 'stall')}stalled.bin`;
    const detail = await engine.putObject(file, key);
    engine.dispose();
    expect((await faultLog('storage')).faults.delay, 'the proxy held a part PUT').to.equal(1);
    expect(logs.join('\n')).to.contain('made no progress for 2 s');
    expect(detail.sha256).to.equal(await sha256Of(file));
    const stored = await readObject('ceph', key, 5 * MiB);
    expect(stored.size).to.equal(file.size);
    expect(stored.sha256).to.equal(detail.sha256);
  });
});
