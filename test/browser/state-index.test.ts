/**
 * The engine's index of objects by state (pure): counts and bytes through every change, the keys in use, and the first
 * or last few of a state in the order they were added.
 */
import { expect } from '@open-wc/testing';
import { StateIndex } from '../../src/engine/state-index.ts';
import { toBodySource } from '../../src/engine/body-source.ts';
import { UploadTask } from '../../src/engine/upload-task.ts';

function task(key: string, size: number): UploadTask {
  return new UploadTask(toBodySource(new Blob([new Uint8Array(size)])), key, key, '', 'application/octet-stream', undefined, 8 * 1024 * 1024);
}

function indexed(index: StateIndex, ...tasks: UploadTask[]): UploadTask[] {
  for (const t of tasks) {
    index.add(t);
    t.onStateChange = (changed) => index.moved(changed);
  }
  return tasks;
}

describe('StateIndex', () => {
  it('counts files and bytes per state as they change, and forgets removed ones', () => {
    const index = new StateIndex();
    const [a, b, c] = indexed(index, task('a', 10), task('b', 20), task('c', 30));
    expect(index.tally().queued).to.deep.equal({ files: 3, bytes: 60 });
    a!.moveTo('hashing');
    a!.moveTo('uploading');
    b!.moveTo('failed');
    expect(index.tally().queued).to.deep.equal({ files: 1, bytes: 30 });
    expect(index.tally().uploading).to.deep.equal({ files: 1, bytes: 10 });
    expect(index.tally().failed).to.deep.equal({ files: 1, bytes: 20 });
    b!.moveTo('queued');
    b!.moveTo('failed');
    b!.moveTo('queued');
    expect(index.count('failed'), 'a retried file leaves failed').to.equal(0);
    a!.moveTo('done');
    c!.moveTo('cancelled');
    index.delete(c!);
    expect(index.tally()).to.deep.include({ queued: { files: 1, bytes: 20 }, done: { files: 1, bytes: 10 }, cancelled: { files: 0, bytes: 0 } });
    const [d] = indexed(index, task('d', 40));
    index.delete(d!);
    d!.moveTo('hashing');
    expect(index.count('queued'), 'a removed task is not counted again').to.equal(1);
    expect(index.count('hashing')).to.equal(0);
  });

  it('knows which keys are queued, running or paused', () => {
    const index = new StateIndex();
    const [first] = indexed(index, task('k', 1));
    expect(index.holdsKey('k')).to.equal(true);
    first!.moveTo('paused');
    expect(index.holdsKey('k')).to.equal(true);
    first!.moveTo('queued');
    first!.moveTo('failed');
    expect(index.holdsKey('k')).to.equal(false);
    const [second] = indexed(index, task('k', 1));
    first!.moveTo('queued');
    second!.moveTo('done');
    expect(index.holdsKey('k'), 'the retried first one still holds it').to.equal(true);
    first!.moveTo('done');
    expect(index.holdsKey('k')).to.equal(false);
  });

  it('picks the first or last few of states, in the order added, whatever the total', () => {
    const index = new StateIndex();
    const tasks = indexed(index, ...Array.from({ length: 1000 }, (_, i) => task(`t${i}`, 1)));
    const keys = (picked: UploadTask[]) => picked.map((t) => t.key);
    expect(keys(index.pick(['queued'], 3))).to.deep.equal(['t0', 't1', 't2']);
    for (const i of [5, 2, 9]) tasks[i]!.moveTo('done');
    expect(keys(index.pick(['done'], 2, 'last')), 'the latest two to finish, in the order added').to.deep.equal(['t2', 't9']);
    tasks[7]!.moveTo('hashing');
    tasks[4]!.moveTo('uploading');
    tasks[1]!.moveTo('completing');
    expect(keys(index.pick(['hashing', 'uploading', 'completing'], 2))).to.deep.equal(['t1', 't4']);
    expect(keys(index.pick(['queued'], 3))).to.deep.equal(['t0', 't3', 't6']);
    expect(index.pick(['paused'], 5)).to.deep.equal([]);
  });
});
