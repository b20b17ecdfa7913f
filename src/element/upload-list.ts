/**
 * What <dropoff-uploader>'s list shows of many files: a bounded number of rows from each group (failed, running,
 * paused, the next queued, the latest stored) and a count of the rest, read from the engine's index by state, so a
 * render costs the same for 10 files as for 10,000.
 */
import type { UploadEngine } from '../engine/upload-engine.ts';
import type { StateTally } from '../engine/state-index.ts';
import type { UploadItem } from '../engine/upload-task.ts';
import type { UploadState } from '../engine/upload-events.ts';
import type { UploaderStrings } from './strings.ts';

/** States of a file that is being worked on. */
export const RUNNING_STATES: readonly UploadState[] = ['hashing', 'uploading', 'retrying', 'completing'];

/** One group of rows, in the order the list shows them. */
export interface ListGroup {
  /** Which group (a class name on its "more" line). */
  readonly name: 'failed' | 'running' | 'paused' | 'queued' | 'done';
  /** The rows shown. */
  readonly items: readonly UploadItem[];
  /** Files of the group not shown. */
  readonly hidden: number;
  /** The line that counts them. */
  readonly more: (count: number) => string;
}

/** Most rows shown per group: at most 100 rows whatever the number of files. */
export const ROW_LIMITS = { failed: 20, running: 30, paused: 20, queued: 10, done: 20 } as const;

interface GroupPlan {
  readonly name: ListGroup['name'];
  readonly states: readonly UploadState[];
  readonly from: 'first' | 'last';
  readonly more: keyof UploaderStrings & `more${string}`;
}

const PLAN: readonly GroupPlan[] = [
  { name: 'failed', states: ['failed'], from: 'first', more: 'moreFailed' },
  { name: 'running', states: RUNNING_STATES, from: 'first', more: 'moreRunning' },
  { name: 'paused', states: ['paused'], from: 'first', more: 'morePaused' },
  { name: 'queued', states: ['queued'], from: 'first', more: 'moreQueued' },
  { name: 'done', states: ['done'], from: 'last', more: 'moreDone' },
];

/** The groups to show of `engine`'s files, each bounded by {@link ROW_LIMITS}; stored files newest first. */
export function listGroups(engine: UploadEngine, tally: StateTally, texts: UploaderStrings): ListGroup[] {
  return PLAN.map((plan) => {
    const limit = ROW_LIMITS[plan.name];
    const total = plan.states.reduce((sum, state) => sum + tally[state].files, 0);
    const items = total ? engine.itemsIn(plan.states, limit, plan.from) : [];
    return {
      name: plan.name,
      items: plan.name === 'done' ? items.reverse() : items,
      hidden: total - items.length,
      more: texts[plan.more] as (count: number) => string,
    };
  });
}

/** Files in the list (cancelled ones are not shown). */
export function listedFiles(tally: StateTally): number {
  let total = 0;
  for (const state of Object.keys(tally) as UploadState[]) if (state !== 'cancelled') total += tally[state].files;
  return total;
}

/** Files queued or running (not paused, not finished). */
export function activeFiles(tally: StateTally): number {
  return tally.queued.files + RUNNING_STATES.reduce((sum, state) => sum + tally[state].files, 0);
}
