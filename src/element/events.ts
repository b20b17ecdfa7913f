/**
 * The element's DOM events: names, detail types, and their entries in HTMLElementEventMap so that
 * `el.addEventListener('dropoff-progress', e => e.detail.bytesDone)` is typed.
 */
import type {
  AddedDetail, CompleteDetail, DoneDetail, ErrorDetail, ProgressDetail, RejectedDetail, ResumableDetail, StateDetail, UploadEngineEventMap,
} from '../engine/upload-events.ts';
import type { ProcessingStarted } from '../protocol/processing-api.ts';
import type { ProcessingErrorDetail, TaskDetail } from './processing.ts';

/** DOM event name for each engine event. */
export const DOM_EVENT_NAMES = {
  added: 'dropoff-files-added',
  rejected: 'dropoff-files-rejected',
  state: 'dropoff-state',
  progress: 'dropoff-progress',
  complete: 'dropoff-complete',
  error: 'dropoff-error',
  done: 'dropoff-done',
} as const satisfies Record<keyof UploadEngineEventMap, string>;

declare global {
  interface HTMLElementEventMap {
    'dropoff-files-added': CustomEvent<AddedDetail>;
    'dropoff-files-rejected': CustomEvent<RejectedDetail>;
    'dropoff-state': CustomEvent<StateDetail>;
    'dropoff-progress': CustomEvent<ProgressDetail>;
    'dropoff-complete': CustomEvent<CompleteDetail>;
    'dropoff-error': CustomEvent<ErrorDetail>;
    'dropoff-done': CustomEvent<DoneDetail>;
    'dropoff-resumable': CustomEvent<ResumableDetail>;
    'dropoff-processing': CustomEvent<ProcessingStarted>;
    'dropoff-task': CustomEvent<TaskDetail>;
    'dropoff-processing-error': CustomEvent<ProcessingErrorDetail>;
  }
}
