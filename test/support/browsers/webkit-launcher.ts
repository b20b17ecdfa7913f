/**
 * WebKitGTK for @web/test-runner: Debian's WebKitWebDriver (package webkit2gtk-driver) drives MiniBrowser, the small
 * browser shipped with libwebkit2gtk-4.1, over W3C WebDriver. MiniBrowser needs an X display, so the driver runs under
 * `xvfb-run -a` (a private virtual display). The driver starts with the first test file that runs in WebKit and stops
 * with the browser, in its own process group. Nothing is downloaded: webdriverio is only the WebDriver client here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import type { BrowserLauncher, TestRunnerCoreConfig } from '@web/test-runner';

/** Where Debian puts MiniBrowser (WEBKIT_MINIBROWSER overrides it). */
export const MINIBROWSER_PATH = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Where Debian puts the WebDriver of WebKitGTK (WEBKIT_WEBDRIVER overrides it). */
export const WEBKIT_WEBDRIVER_PATH = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';

/** A free TCP port on 127.0.0.1, as the kernel hands one out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls the driver's `/status` until it answers (it takes a moment to bind). */
async function waitForDriver(url: string, driver: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${driver.exitCode}`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url} within 20 s`);
}

/** A running WebKitWebDriver (with its Xvfb), stopped by process group. */
export interface RunningWebKitDriver {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts WebKitWebDriver under `xvfb-run -a` on a free port of 127.0.0.1 and waits until it answers. */
export async function startWebKitWebDriver(): Promise<RunningWebKitDriver> {
  const port = await freePort();
  // setsid (detached) so that the driver, Xvfb and MiniBrowser stop together, by process group.
  const driver = spawn('xvfb-run', ['-a', WEBKIT_WEBDRIVER_PATH, `--port=${port}`], { detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    if (!driver.pid || driver.exitCode !== null || driver.signalCode !== null) return;
    const exited = new Promise((resolve) => driver.once('exit', resolve));
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    await exited;
  };
  try {
    await waitForDriver(`http://127.0.0.1:${port}`, driver);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

/** What WebKitWebDriver needs to start MiniBrowser (webdriverio capabilities). */
export const WEBKIT_CAPABILITIES = {
  browserName: 'MiniBrowser',
  // WebKitWebDriver speaks classic WebDriver only; without this webdriverio asks for a BiDi socket.
  'wdio:enforceWebDriverClassic': true,
  'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
} as WebdriverIO.Capabilities;

/** The WebDriver launcher with the WebKitWebDriver process it talks to. */
class WebKitGtkLauncher extends WebdriverLauncher {
  private readonly connection: { hostname: string; port: number };
  private driverProcess: RunningWebKitDriver | undefined;
  private starting: Promise<void> | undefined;

  constructor() {
    const connection = { hostname: '127.0.0.1', port: 0 };
    super({ ...connection, logLevel: 'error', connectionRetryCount: 0, capabilities: WEBKIT_CAPABILITIES });
    // webdriverio reads hostname and port when the first session starts; the port is chosen then.
    this.connection = (this as unknown as { options: { hostname: string; port: number } }).options;
  }

  override async initialize(config: TestRunnerCoreConfig): Promise<void> {
    await super.initialize(config);
    this.name = 'WebKitGTK';
  }

  override async startSession(id: string, url: string): Promise<void> {
    this.starting ??= startWebKitWebDriver().then((driver) => {
      this.driverProcess = driver;
      this.connection.port = driver.port;
    });
    await this.starting;
    return super.startSession(id, url);
  }

  override async stop(): Promise<void> {
    await super.stop();
    const driver = this.driverProcess;
    this.driverProcess = undefined;
    this.starting = undefined;
    await driver?.stop();
  }
}

/** WebKitGTK's MiniBrowser, driven by WebKitWebDriver under a virtual X display. */
export function webkitGtkLauncher(): BrowserLauncher {
  return new WebKitGtkLauncher();
}
