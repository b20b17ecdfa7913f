/**
 * How the command line shows processing tasks: one line per task while following it, and a task in full (status,
 * timings, result summary, and the streams of an inventory) for `dropoff task`.
 */
import type { ProcessingTask } from '../protocol/processing-api.ts';
import { formatTable } from './table.ts';

/** One line: id, processor, status, progress or outcome. */
export function taskLine(task: ProcessingTask): string {
  const { objectsDone, objectsTotal } = task.progress;
  const detail = task.status === 'succeeded' ? `: ${task.summary ?? 'done'}`
    : task.status === 'failed' ? `: ${task.error ?? 'failed'}`
      : task.status === 'running' ? ` (${objectsDone}/${objectsTotal} objects, attempt ${task.attempts})`
        : task.error ? ` (${task.error})` : ` (${objectsTotal} objects)`;
  return `${task.id}  ${task.processor}  ${task.status}${detail}`;
}

function seconds(from: string | null, to: string | null): string {
  if (!from || !to) return '';
  return ` (${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(1)} s)`;
}

/** A stream of an inventory result, as far as the table needs. */
interface StreamRow { network: string; station: string; location: string; channel: string; firstSample: string; lastSample: string; records: number }

function streamsOf(result: unknown): StreamRow[] | undefined {
  const streams = (result as { streams?: unknown } | null | undefined)?.streams;
  return Array.isArray(streams) && streams.every((s) => typeof s === 'object' && s && 'channel' in s) ? streams as StreamRow[] : undefined;
}

/** The task in full, as `dropoff task` prints it. */
export function taskDetails(task: ProcessingTask): string {
  const lines = [
    ['Task', task.id],
    ['Processor', task.processor],
    ['Prefix', task.prefix],
    ['Status', `${task.status}${task.attempts > 1 ? ` (attempt ${task.attempts})` : ''}`],
    ['Created', task.createdAt],
    ['Started', task.startedAt ?? '-'],
    ['Finished', `${task.finishedAt ?? '-'}${seconds(task.startedAt, task.finishedAt)}`],
    ['Progress', `${task.progress.objectsDone}/${task.progress.objectsTotal} objects`],
    ...(task.summary ? [['Result', task.summary]] : []),
    ...(task.error ? [[task.status === 'failed' ? 'Error' : 'Last error', task.error]] : []),
  ];
  const width = Math.max(...lines.map(([label]) => label!.length));
  let text = lines.map(([label, value]) => `${label!.padEnd(width)}  ${value}`).join('\n');
  const streams = streamsOf(task.result);
  if (streams && streams.length > 0) {
    text += `\n\n${formatTable(streams, [
      { header: 'NET', cell: (s) => s.network },
      { header: 'STA', cell: (s) => s.station },
      { header: 'LOC', cell: (s) => s.location || '--' },
      { header: 'CHA', cell: (s) => s.channel },
      { header: 'FIRST SAMPLE', cell: (s) => s.firstSample },
      { header: 'LAST SAMPLE', cell: (s) => s.lastSample },
      { header: 'RECORDS', cell: (s) => String(s.records), right: true },
    ])}`;
  }
  return text;
}
