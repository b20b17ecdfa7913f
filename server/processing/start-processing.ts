/**
 * POST /process's work: resolve what the user named to a prefix of their space, choose the processors that apply to
 * what is staged there (one per category present, from the registry), record one task per processor and queue its job.
 */
import { randomUUID } from 'node:crypto';
import type { ProcessingStarted, StartedTask } from '../../src/protocol/processing-api.ts';
import type { UserAccount } from '../config.ts';
import { ApiError } from '../errors.ts';
import { authorizePrefix } from '../keys.ts';
import type { Database } from '../records/database.ts';
import type { ProcessingJobs } from './processing-jobs.ts';
import { PROCESSORS, processorsFor } from './registry.ts';
import { stagedUnder } from './staged-objects.ts';

/** Objects one POST /process may take: a larger prefix is processed folder by folder. */
export const MAX_OBJECTS_PER_TASK = 50_000;

/**
 * The prefix `filename` names: a prefix of the user's space as given (`alice/2025/303/`), or a folder or key relative
 * to it (`2025/303`, a collection id), which is put under the space.
 */
export function prefixOf(user: UserAccount, filename: string): string {
  const prefix = filename.startsWith(user.space) ? filename : `${user.space}${filename.replace(/^\/+/, '')}`;
  return authorizePrefix(user, prefix);
}

/** Starts the processing of what `user` staged under `filename`; throws 422 nothing_to_process when no processor applies. */
export async function startProcessing(db: Database, jobs: ProcessingJobs, user: UserAccount, filename: string): Promise<ProcessingStarted> {
  const prefix = prefixOf(user, filename);
  const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const staged = await stagedUnder(db, user.id, prefix, folder, MAX_OBJECTS_PER_TASK + 1);
  if (staged.length > MAX_OBJECTS_PER_TASK) {
    throw new ApiError('invalid_request', `More than ${MAX_OBJECTS_PER_TASK} objects are staged under "${prefix}"; process its folders one at a time.`);
  }
  const byProcessor = new Map<string, number[]>();
  for (const submission of staged) {
    for (const processor of processorsFor(submission.category)) byProcessor.set(processor.name, [...(byProcessor.get(processor.name) ?? []), submission.id]);
  }
  if (byProcessor.size === 0) {
    const categories = PROCESSORS.map((p) => p.category).join(', ');
    throw new ApiError('nothing_to_process', staged.length === 0
      ? `Nothing is staged under "${prefix}" (no object there was stored).`
      : `None of the ${staged.length} object(s) under "${prefix}" is of a category a processor takes (${categories}).`);
  }
  const created = await jobs.tasks.create(user.id, filename, prefix,
    [...byProcessor].map(([processor, submissionIds]) => ({ id: randomUUID(), processor, submissionIds })));
  await jobs.enqueue(created.map((t) => t.id));
  const tasks: StartedTask[] = created.map((t) => ({ id: t.id, processor: t.processor, status: t.status, objects: t.progress.objectsTotal }));
  return { filename, prefix, tasks, ...Object.fromEntries(tasks.map((t) => [`${t.processor}_task_id`, t.id])) } as ProcessingStarted;
}
