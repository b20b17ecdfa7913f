/**
 * The engine's objects indexed by state: how many are in each state and their bytes, the first or last few to enter a
 * state, and whether a key is being uploaded. Every change costs O(1), so an element showing 10,000 files can read
 * counts and a handful of rows per render without walking the whole list.
 */
import type { UploadState } from './upload-events.ts';
import type { UploadTask } from './upload-task.ts';

/** How many objects are in one state, and their bytes (sizes known when they entered it). */
export interface StateCount {
  /** Objects in the state. */
  readonly files: number;
  /** Their bytes. */
  readonly bytes: number;
}

/** Counts for every state. */
export type StateTally = Readonly<Record<UploadState, StateCount>>;

/** Every state, in the order of a tally. */
const STATES: readonly UploadState[] = ['queued', 'hashing', 'uploading', 'retrying', 'completing', 'paused', 'done', 'failed', 'cancelled'];

/** States in which an object holds its key: no other object may be queued under it. */
const HOLDS_KEY: ReadonlySet<UploadState> = new Set(['queued', 'hashing', 'uploading', 'retrying', 'completing', 'paused']);

/** A task's place in the list of its state. */
interface Link {
  readonly task: UploadTask;
  /** Order of registration: rows drawn from several states are shown in the order the files were added. */
  readonly order: number;
  state: UploadState;
  bytes: number;
  prev: Link | undefined;
  next: Link | undefined;
}

/** One doubly linked list per state, in the order objects entered it. */
interface StateList {
  head: Link | undefined;
  tail: Link | undefined;
  files: number;
  bytes: number;
}

/** Objects by state; the engine calls {@link add}, {@link moved} and {@link delete}. */
export class StateIndex {
  private readonly lists = new Map<UploadState, StateList>();
  private readonly links = new Map<UploadTask, Link>();
  private readonly keyHolders = new Map<string, number>();
  private nextOrder = 0;

  /** Registers `task` in its current state. */
  add(task: UploadTask): void {
    if (this.links.has(task)) return;
    const link: Link = { task, order: this.nextOrder++, state: task.state, bytes: 0, prev: undefined, next: undefined };
    this.links.set(task, link);
    this.enter(link, task.state);
  }

  /** Moves `task` to the list of its current state (call after every change of `task.state`). */
  moved(task: UploadTask): void {
    const link = this.links.get(task);
    if (!link || link.state === task.state) return;
    this.leave(link);
    this.enter(link, task.state);
  }

  /** Forgets `task` (removed from the engine's list). */
  delete(task: UploadTask): void {
    const link = this.links.get(task);
    if (!link) return;
    this.leave(link);
    this.links.delete(task);
  }

  /** Objects in `state`. */
  count(state: UploadState): number {
    return this.lists.get(state)?.files ?? 0;
  }

  /** Counts of every state. */
  tally(): StateTally {
    return Object.fromEntries(STATES.map((state) => [state, { files: this.count(state), bytes: this.lists.get(state)?.bytes ?? 0 }])) as StateTally;
  }

  /** True when an object under `key` is queued, running or paused. */
  holdsKey(key: string): boolean {
    return (this.keyHolders.get(key) ?? 0) > 0;
  }

  /**
   * Up to `limit` objects from each of `states`, taken from the `first` to enter it or the `last`, then together in the
   * order they were added, at most `limit` of them (from the same end). Costs O(limit x states), whatever the total.
   */
  pick(states: readonly UploadState[], limit: number, from: 'first' | 'last' = 'first'): UploadTask[] {
    const picked: Link[] = [];
    for (const state of states) {
      const list = this.lists.get(state);
      let link = from === 'first' ? list?.head : list?.tail;
      for (let n = 0; link && n < limit; n++, link = from === 'first' ? link.next : link.prev) picked.push(link);
    }
    picked.sort((a, b) => a.order - b.order);
    const kept = from === 'first' ? picked.slice(0, limit) : picked.slice(Math.max(0, picked.length - limit));
    return kept.map((link) => link.task);
  }

  private list(state: UploadState): StateList {
    let list = this.lists.get(state);
    if (!list) this.lists.set(state, (list = { head: undefined, tail: undefined, files: 0, bytes: 0 }));
    return list;
  }

  private enter(link: Link, state: UploadState): void {
    const list = this.list(state);
    link.state = state;
    link.bytes = link.task.size ?? 0;
    link.prev = list.tail;
    link.next = undefined;
    if (list.tail) list.tail.next = link;
    else list.head = link;
    list.tail = link;
    list.files++;
    list.bytes += link.bytes;
    if (HOLDS_KEY.has(state)) this.keyHolders.set(link.task.key, (this.keyHolders.get(link.task.key) ?? 0) + 1);
  }

  private leave(link: Link): void {
    const list = this.list(link.state);
    if (link.prev) link.prev.next = link.next;
    else list.head = link.next;
    if (link.next) link.next.prev = link.prev;
    else list.tail = link.prev;
    link.prev = link.next = undefined;
    list.files--;
    list.bytes -= link.bytes;
    if (HOLDS_KEY.has(link.state)) {
      const holders = (this.keyHolders.get(link.task.key) ?? 1) - 1;
      if (holders > 0) this.keyHolders.set(link.task.key, holders);
      else this.keyHolders.delete(link.task.key);
    }
  }
}
