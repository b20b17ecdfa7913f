/**
 * <dropoff-uploader>'s folder choice (every file or only the top level; with or without the folder's name in the
 * keys) and its `api` property (the element uploads through the protocol object it is given), against the real
 * reference server on Ceph RGW.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../../src/element/dropoff-uploader.ts';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';
import type { UploadApi } from '../../src/protocol/upload-api.ts';
import { ALICE } from '../support/test-users.ts';
import { fileOf, nextEvent, stacks, uniquePrefix } from '../support/browser-helpers.ts';

/** Files as a folder pick gives them: `data/...` relative paths. */
function folder(): { file: Blob; name: string; relativePath: string }[] {
  return ['data/a.bin', 'data/b.bin', 'data/sub/c.bin', 'data/sub/deep/d.bin'].map((path, i) => ({
    file: fileOf(path.split('/').pop()!, 100 + i, i + 1), name: path.split('/').pop()!, relativePath: path,
  }));
}

async function keysStored(el: DropoffUploader, files: ReturnType<typeof folder>): Promise<string[]> {
  const done = nextEvent(el, 'dropoff-done');
  el.addFiles(files);
  await done;
  return el.items.filter((i) => i.state === 'done').map((i) => i.key).sort();
}

describe('<dropoff-uploader> folders and api', () => {
  let serverUrl: string;
  before(async () => {
    serverUrl = (await stacks()).ceph.serverUrl;
  });

  it('keeps every file with the folder name by default, and can take the top level only, or strip the folder name', async () => {
    const prefix = uniquePrefix(ALICE.space, 'folders');
    const all = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${`${prefix}all/`} no-resume></dropoff-uploader>`);
    expect(await keysStored(all, folder())).to.deep.equal(['data/a.bin', 'data/b.bin', 'data/sub/c.bin', 'data/sub/deep/d.bin'].map((p) => `${prefix}all/${p}`));

    const top = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${`${prefix}top/`} top-level-only no-resume></dropoff-uploader>`);
    expect(await keysStored(top, folder())).to.deep.equal([`${prefix}top/data/a.bin`, `${prefix}top/data/b.bin`]);

    const stripped = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${`${prefix}strip/`} strip-folder-name no-resume></dropoff-uploader>`);
    expect(await keysStored(stripped, folder())).to.deep.equal(['a.bin', 'b.bin', 'sub/c.bin', 'sub/deep/d.bin'].map((p) => `${prefix}strip/${p}`));

    const both = await fixture<DropoffUploader>(html`<dropoff-uploader endpoint=${serverUrl} token=${ALICE.token} destination=${`${prefix}both/`} top-level-only strip-folder-name no-resume></dropoff-uploader>`);
    expect(await keysStored(both, [...folder(), { file: fileOf('alone.bin', 5, 9), name: 'alone.bin', relativePath: '' }])).to.deep.equal(
      ['a.bin', 'alone.bin', 'b.bin'].map((p) => `${prefix}both/${p}`), 'a file picked on its own is kept as it is');
  });

  it('uploads through the api object it is given, without an endpoint attribute', async () => {
    const prefix = uniquePrefix(ALICE.space, 'api');
    const real = new DropoffApi({ endpoint: serverUrl, token: ALICE.token });
    const calls: string[] = [];
    // Any object with the protocol's operations will do; this one counts them and hands them on.
    const counting = new Proxy(real, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as UploadApi;
    const el = await fixture<DropoffUploader>(html`<dropoff-uploader .api=${counting} destination=${prefix} no-resume></dropoff-uploader>`);
    const done = nextEvent(el, 'dropoff-done');
    el.addFiles([fileOf('through-api.bin', 1234, 7)]);
    await done;
    expect(el.items.map((i) => [i.key, i.state])).to.deep.equal([[`${prefix}through-api.bin`, 'done']]);
    expect(calls).to.include('signObjects');
    expect(calls).to.include('confirmObjects');
  });
});
