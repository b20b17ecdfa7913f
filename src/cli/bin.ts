/**
 * Entry of the `dropoff` bin: runs the command line on this process's arguments and exits with its code.
 */
import { runCli } from './main.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = code;
