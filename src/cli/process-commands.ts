/**
 * `dropoff process <prefix>` (start server-side processing of what was staged there; prints the task ids, and with
 * --wait follows them to their end) and `dropoff task <id>` (a task's status, timings and result summary).
 */
import type { Command } from 'commander';
import { ProcessingApi, type ProcessingTask } from '../protocol/processing-api.ts';
import type { Output } from './records-commands.ts';
import { resolveConnection, type Connection, type ConnectionFlags } from './settings.ts';
import { taskDetails, taskLine } from './task-view.ts';
import { EXIT, UsageError } from './usage-error.ts';

function apiFor(connection: Connection): ProcessingApi {
  return new ProcessingApi({ endpoint: connection.endpoint, ...(connection.token ? { token: connection.token } : {}) });
}

/** Registers `process` and `task` on `program`; `withConnection` adds the connection flags every command takes. */
export function registerProcessCommands(program: Command, withConnection: (command: Command) => Command, out: Output, setExit: (code: number) => void): void {
  withConnection(program.command('process')
    .description('Start server-side processing of what was staged under a prefix (or a folder of your space); prints one task id per processor that applies.')
    .argument('<prefix>', 'a prefix of your space (alice/2025/303/), or a folder or key relative to it (2025/303)')
    .option('-w, --wait', 'follow the tasks until each succeeds or fails (exit code 1 when one failed)', false)
    .addHelpText('after', `
Examples:
  dropoff process alice/2025/303/            start, print the task ids
  dropoff process 2025/303 --wait            start and follow to the end
  dropoff task <id>                          a task's status, timings and result`))
    .action(async (prefix: string, flags: { wait: boolean; json: boolean } & ConnectionFlags) => {
      const api = apiFor(await resolveConnection(flags));
      const started = await api.startProcessing(prefix);
      if (!flags.wait) {
        if (flags.json) out.stdout(JSON.stringify(started, null, 2));
        else {
          out.stdout(`Started ${started.tasks.length} task${started.tasks.length === 1 ? '' : 's'} for ${started.prefix}:`);
          for (const task of started.tasks) out.stdout(`${task.id}  ${task.processor}  ${task.status} (${task.objects} objects)`);
          out.stdout(`Follow with: dropoff task <id>, or run with --wait.`);
        }
        return;
      }
      if (!flags.json) out.stdout(`Processing ${started.prefix}:`);
      const ended: ProcessingTask[] = await Promise.all(started.tasks.map((task) =>
        api.follow(task.id, { onUpdate: (update) => { if (!flags.json) out.stdout(taskLine(update)); } })));
      if (flags.json) out.stdout(JSON.stringify(ended, null, 2));
      if (ended.some((task) => task.status === 'failed')) setExit(EXIT.failed);
    });

  withConnection(program.command('task')
    .description("Show a processing task: status, timings, progress and its result's summary (the whole result with --json).")
    .argument('<id>', 'a task id, as dropoff process printed it'))
    .action(async (id: string, flags: { json: boolean } & ConnectionFlags) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new UsageError(`"${id}" is not a task id (a UUID, as dropoff process prints it).`);
      const task = await apiFor(await resolveConnection(flags)).getTask(id);
      out.stdout(flags.json ? JSON.stringify(task, null, 2) : taskDetails(task));
    });
}
