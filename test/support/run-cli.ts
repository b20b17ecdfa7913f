/**
 * Runs the `dropoff` command from the source tree (node + tsx) in a child process, as a user's shell would, with its
 * own cache and config folders.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** What a finished run printed and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A run in progress. */
export interface CliRun {
  readonly child: ChildProcess;
  /** Settles when the process has exited. */
  readonly done: Promise<CliResult>;
}

/** Starts `dropoff ...args` with `env` added to this process's environment; `input` goes to its standard input. */
export function startCli(args: readonly string[], env: Record<string, string>, input?: Buffer | string): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', DROPOFF_TOKEN: '', DROPOFF_ENDPOINT: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  child.stdin!.on('error', () => undefined);
  if (input !== undefined) child.stdin!.end(input);
  else child.stdin!.end();
  const done = new Promise<CliResult>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Runs `dropoff ...args` to the end. */
export function runCli(args: readonly string[], env: Record<string, string>, input?: Buffer | string): Promise<CliResult> {
  return startCli(args, env, input).done;
}
