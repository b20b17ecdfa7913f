/**
 * How long each browser took over its test files (from its first test page to the end of its last test file), for the summary reporter:
 * the browsers run one after another, so these add up to the browser tier's time, less the stacks' start.
 */
import type { BrowserLauncher } from '@web/test-runner';

/** Seconds per browser name (the launcher's name: Chromium, Firefox, WebKitGTK), updated as each test file ends. */
export const browserSeconds = new Map<string, number>();

/** Notes when `launcher` starts its first test page and when it stops; returns the same launcher. */
export function timed(launcher: BrowserLauncher): BrowserLauncher {
  let started: number | undefined;
  const startSession = launcher.startSession.bind(launcher);
  const stopSession = launcher.stopSession.bind(launcher);
  launcher.startSession = (id, url) => {
    started ??= performance.now();
    return startSession(id, url);
  };
  // Noted at the end of every test file: the last browser is only stopped after the reporters have run.
  launcher.stopSession = async (id) => {
    const result = await stopSession(id);
    if (started !== undefined) browserSeconds.set(launcher.name, Math.round((performance.now() - started) / 1000));
    return result;
  };
  return launcher;
}
