/**
 * The life of a server or worker process: start, log, and stop on SIGINT/SIGTERM within 5 seconds whatever is in
 * progress. A start-up failure is printed as one sentence, not a stack trace.
 */

/** How long a stop may take before the process exits anyway. */
const STOP_LIMIT_MS = 4500;

/** Runs `start` (which returns its stop), exits 0 after a signal and a stop, 1 when it fails to start. */
export async function runUntilSignalled(what: string, start: (log: (line: string) => void) => Promise<() => Promise<void>>): Promise<void> {
  const log = (line: string) => console.log(`[dropoff] ${line}`);
  let stop: () => Promise<void>;
  try {
    stop = await start(log);
  } catch (error) {
    console.error(`[dropoff] the ${what} could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the ${what}`);
    setTimeout(() => {
      log(`the ${what} did not stop within ${STOP_LIMIT_MS} ms; exiting anyway`);
      process.exit(0);
    }, STOP_LIMIT_MS).unref();
    stop().then(() => process.exit(0), (error: unknown) => {
      log(`stopping failed: ${(error as Error).message}`);
      process.exit(1);
    });
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}
