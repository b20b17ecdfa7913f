/**
 * The engine's task queue: concurrency held, results and errors passed through, a task aborted while waiting never
 * runs, and onIdle waits for everything.
 */
import { expect } from '@open-wc/testing';
import { TaskQueue } from '../../src/engine/task-queue.ts';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

describe('TaskQueue', () => {
  it('runs at most `concurrency` tasks at once and passes results and errors through', async () => {
    const queue = new TaskQueue({ concurrency: 2 });
    let running = 0;
    let most = 0;
    const gates = [gate(), gate(), gate()];
    const results = gates.map((g, i) => queue.add(async () => {
      running++;
      most = Math.max(most, running);
      await g.promise;
      running--;
      if (i === 2) throw new Error('third failed');
      return i;
    }));
    await Promise.resolve();
    expect(queue.pending).to.equal(2);
    expect(queue.size).to.equal(1);
    gates.forEach((g) => g.open());
    expect(await results[0]).to.equal(0);
    expect(await results[1]).to.equal(1);
    let error: unknown;
    await results[2]!.catch((e: unknown) => { error = e; });
    expect((error as Error).message).to.equal('third failed');
    expect(most).to.equal(2);
  });

  it('never starts a task whose signal aborts while it waits, and rejects with the reason', async () => {
    const queue = new TaskQueue({ concurrency: 1 });
    const first = gate();
    const running = queue.add(() => first.promise);
    const controller = new AbortController();
    let started = false;
    const waiting = queue.add(async () => { started = true; }, { signal: controller.signal });
    controller.abort(new Error('cancelled by the user'));
    let error: unknown;
    await waiting.catch((e: unknown) => { error = e; });
    expect((error as Error).message).to.equal('cancelled by the user');
    first.open();
    await running;
    await queue.onIdle();
    expect(started).to.equal(false);
    const already = queue.add(async () => 1, { signal: controller.signal });
    let again: unknown;
    await already.catch((e: unknown) => { again = e; });
    expect((again as Error).message).to.equal('cancelled by the user');
  });

  it('onIdle resolves at once when empty, else once every task settled', async () => {
    const queue = new TaskQueue({ concurrency: 3 });
    await queue.onIdle();
    const g = gate();
    let settled = false;
    void queue.add(() => g.promise).then(() => { settled = true; });
    const idle = queue.onIdle().then(() => settled);
    g.open();
    expect(await idle).to.equal(true);
  });
});

describe('TaskQueue events', () => {
  it('sends next after each task and idle when none is left, and removes an aborted waiting task at once', async () => {
    const queue = new TaskQueue({ concurrency: 1 });
    const seen: string[] = [];
    queue.addEventListener('next', () => seen.push(`next ${queue.pending}/${queue.size}`));
    queue.addEventListener('idle', () => seen.push('idle'));
    const first = gate();
    const a = queue.add(() => first.promise);
    const controller = new AbortController();
    const b = queue.add(async () => 'b', { signal: controller.signal });
    const c = queue.add(async () => 'c');
    expect([queue.pending, queue.size, queue.concurrency]).to.deep.equal([1, 2, 1]);
    controller.abort(new Error('gone'));
    expect(queue.size, 'the aborted task left the queue').to.equal(1);
    await b.catch(() => undefined);
    first.open();
    await a;
    expect(await c).to.equal('c');
    await queue.onIdle();
    expect(seen).to.deep.equal(['next 1/1', 'next 1/0', 'next 0/0', 'idle']);
  });

  it('rejects when a task throws synchronously, and goes on', async () => {
    const queue = new TaskQueue({ concurrency: 1 });
    const failed = queue.add(() => { throw new Error('sync'); });
    let error: unknown;
    await failed.catch((e: unknown) => { error = e; });
    expect((error as Error).message).to.equal('sync');
    expect(await queue.add(async () => 2)).to.equal(2);
  });
});
