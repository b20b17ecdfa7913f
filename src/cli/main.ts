/**
 * The `dropoff` command: upload, list-objects, get-object-history, get-summary, after the seed SDK's CLI. Arguments
 * are parsed by commander (help per command, errors for unknown or malformed flags). Exit codes: 0 when everything was
 * stored or answered, 1 when something failed or was interrupted, 2 when the command was called wrongly.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_PART_SIZE, MAX_PART_SIZE, MIN_PART_SIZE } from '../engine/part-plan.ts';
import { formatBytes, parseByteSize } from '../engine/sizes.ts';
import { ApiRequestError } from '../protocol/api-error.ts';
import { getObjectHistory, getSummary, listObjects, type Output } from './records-commands.ts';
import { registerProcessCommands } from './process-commands.ts';
import { resolveConnection, type ConnectionFlags } from './settings.ts';
import { runUpload } from './upload-command.ts';
import { runStacUpload, stacUploadCommand } from './stac-upload-command.ts';
import { EXIT, UsageError } from './usage-error.ts';
import { version } from '../../package.json';

function byteSize(text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined) throw new InvalidArgumentError('expected a size such as 8MiB, 16MB or 8388608.');
  if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) throw new InvalidArgumentError(`must be between ${formatBytes(MIN_PART_SIZE)} and ${formatBytes(MAX_PART_SIZE)} (S3's limits).`);
  return bytes;
}

function count(max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`);
    return value;
  };
}

function retries(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 20) throw new InvalidArgumentError('expected a whole number from 0 to 20.');
  return value;
}

function date(text: string): string {
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new InvalidArgumentError('expected a date such as 2025-10-30 or 2025-10-30T12:00:00Z.');
  // The server takes full ISO 8601 instants; a bare date means its midnight UTC.
  return new Date(at).toISOString();
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds the options every command takes. */
function withConnection(command: Command): Command {
  return command
    .option('--endpoint <url>', 'the dropoff server (default: $DROPOFF_ENDPOINT, else "endpoint" in the config file)')
    .option('--token <token>', 'Bearer token (default: $DROPOFF_TOKEN, else "token" in the config file); prefer the environment, flags show in process lists')
    .option('--config <file>', 'configuration file (JSON with endpoint, token, category; default: $DROPOFF_CONFIG, else config.json in the user\'s config folder)')
    .option('--json', 'print the result as JSON', false);
}

/** Builds the program; `out` receives what it prints, `setExit` its exit code. */
export function buildProgram(out: Output, setExit: (code: number) => void): Command {
  const program = new Command('dropoff')
    .description('Send data files to S3-compatible storage through a dropoff server, resumably and verifiably, and ask what became of them.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => out.stdout(text.replace(/\n$/, '')), writeErr: (text) => out.stderr(text.replace(/\n$/, '')) });

  withConnection(program.command('upload')
    .description('Upload files, folders or standard input. Running the same command again resumes: it sends only what is missing.')
    .requiredOption('-s, --source <path>', 'a file, a folder, or - for standard input; repeat for several', collect)
    .requiredOption('-d, --destination <key-or-prefix>', 'a key for one file, or a prefix ending in / under which files keep their names (and, with -r, their paths below each folder)')
    .option('-c, --category <name>', 'data category, e.g. miniseed (default: "category" in the config file)')
    .option('-r, --recursive', 'take every file below each folder (default: only its top-level files)', false)
    .addOption(new Option('--part-size <size>', 'part size, with units (5MiB to 5GiB); raised for files that would need more than 10,000 parts').argParser(byteSize).default(DEFAULT_PART_SIZE, '8MiB'))
    .addOption(new Option('--part-concurrency <n>', 'parts in flight over all files').argParser(count(64)).default(8))
    .addOption(new Option('--object-concurrency <n>', 'files in parts uploading at once').argParser(count(64)).default(4))
    .addOption(new Option('--max-retries <n>', 'retries of a failed request before a file fails').argParser(retries).default(5))
    .option('--force', 'send files again even when an earlier run stored them unchanged', false)
    .option('-v, --verbose', 'log retries, resumes and other decisions on standard error', false)
    .addHelpText('after', `
Examples:
  dropoff upload -c miniseed -d alice/2025/303/ -s data/ -r       every file below data/, as alice/2025/303/<path>
  dropoff upload -c miniseed -d alice/2025/303/ -s a.mseed -s b.mseed
  dropoff upload -c miniseed -d alice/2025/303/ANMO.mseed -s ANMO.mseed
  some-tool | dropoff upload -c miniseed -d alice/2025/303/stream.mseed -s -`))
    .action(async (flags: Parameters<typeof runUpload>[0] & ConnectionFlags) => {
      const connection = await resolveConnection(flags);
      setExit(await runUpload(flags, connection, out));
    });

  withConnection(program.command('list-objects')
    .description('List the latest submission of every key under a prefix, with its status.')
    .option('--prefix <prefix>', 'only keys starting with this')
    .option('--category <name>', 'only submissions of this category'))
    .action(async (flags: { prefix?: string; category?: string; json: boolean } & ConnectionFlags) => {
      await listObjects(await resolveConnection(flags), flags, out);
    });

  withConnection(program.command('get-object-history')
    .description('List every submission of one key, newest first.')
    .requiredOption('--key <key>', 'the object key'))
    .action(async (flags: { key: string; json: boolean } & ConnectionFlags) => {
      await getObjectHistory(await resolveConnection(flags), flags, out);
    });

  withConnection(program.command('get-summary')
    .description('Count submissions by status under a prefix, received within the dates given.')
    .option('--prefix <prefix>', 'only keys starting with this')
    .addOption(new Option('--submitted-after <date>', 'received at or after this date (ISO 8601)').argParser(date))
    .addOption(new Option('--submitted-before <date>', 'received before this date (ISO 8601)').argParser(date)))
    .action(async (flags: { prefix?: string; submittedAfter?: string; submittedBefore?: string; json: boolean } & ConnectionFlags) => {
      await getSummary(await resolveConnection(flags), flags, out);
    });

  stacUploadCommand(program, async (flags) => setExit(await runStacUpload(flags, out)));
  registerProcessCommands(program, withConnection, out, setExit);

  for (const command of program.commands) command.exitOverride().showHelpAfterError(`(run dropoff ${command.name()} --help for usage)`);
  return program;
}

/** Runs the command line `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: readonly string[], out: Output): Promise<number> {
  let exit: number = EXIT.ok;
  const program = buildProgram(out, (code) => { exit = code; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      out.stderr(`dropoff: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ApiRequestError) {
      out.stderr(`dropoff: ${error.message}${error.code === 'unauthorized' ? ' Check the token (--token, DROPOFF_TOKEN or the config file).' : ''}`);
      return EXIT.failed;
    }
    out.stderr(`dropoff: ${(error as Error).message ?? String(error)}`);
    return EXIT.failed;
  }
}
