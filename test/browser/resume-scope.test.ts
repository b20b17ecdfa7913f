/**
 * Resume records keyed by user as well as endpoint (real IndexedDB, scripted network): on a shared browser profile,
 * the next user neither sees nor resumes the previous user's unfinished uploads, and no token is stored.
 */
import { expect } from '@open-wc/testing';
import { BrowserUploadEngine as UploadEngine } from '../../src/browser/browser-upload-engine.ts';
import { IdbResumeStore } from '../../src/browser/idb-resume-store.ts';
import { userScope } from '../../src/store/user-scope.ts';
import { fileOf, nextEvent } from '../support/browser-helpers.ts';
import { ScriptedNetwork } from '../support/scripted-network.ts';

const MiB = 1024 * 1024;

/** A JWT-shaped token (unsigned here: the page only reads who it names). */
function jwtFor(sub: string): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'RS256' })}.${part({ iss: 'https://idp.test', sub, exp: 9999999999 })}.c2ln`;
}

describe('resume records per user', () => {
  it("names a user by a JWT's issuer and subject, or a short hash of another token, never the token", async () => {
    expect(await userScope(jwtFor('alice'))).to.equal('jwt:https://idp.test alice');
    expect(await userScope(jwtFor('alice'))).to.equal(await userScope(jwtFor('alice')));
    const scope = (await userScope('alice-token-0123456789'))!;
    expect(scope).to.match(/^token:[0-9a-f]{16}$/);
    expect(scope).not.to.include('alice-token');
    expect(await userScope('bob-token-0123456789')).not.to.equal(scope);
    expect(await userScope(undefined)).to.equal(undefined);
  });

  it("hides one user's unfinished upload from the next user of the same profile, and shows it to its owner again", async () => {
    const database = `dropoff-test-${Math.random().toString(36).slice(2)}`;
    let token = 'alice-token-0123456789';
    const store = new IdbResumeStore(database, undefined, () => userScope(token));
    const network = new ScriptedNetwork();
    network.putDelayMs = 30;
    const options = { api: network.api, transport: network.transport, store, partSize: 5 * MiB, partConcurrency: 1, progressIntervalMs: 0 };
    const engine = new UploadEngine(options);
    engine.add([fileOf('private name.bin', 20 * MiB, 4)], { destination: 'alice/' });
    await nextEvent(engine, 'progress', (p: { bytesDone: number }) => p.bytesDone >= 5 * MiB);
    engine.pause();
    await engine.whenIdle();
    expect((await new UploadEngine(options).listResumable()).map((r) => r.name)).to.deep.equal(['private name.bin']);

    token = 'bob-token-0123456789';
    expect(await new UploadEngine(options).listResumable()).to.deep.equal([]);
    const raw = JSON.stringify(await new Promise((resolve, reject) => {
      const open = indexedDB.open(database);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('uploads').objectStore('uploads').getAll();
        all.onsuccess = () => { resolve(all.result); open.result.close(); };
      };
    }));
    expect(raw).not.to.include('alice-token');

    token = 'alice-token-0123456789';
    expect((await new UploadEngine(options).listResumable()).map((r) => r.name)).to.deep.equal(['private name.bin']);
  });
});
