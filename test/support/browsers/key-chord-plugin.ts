/**
 * The server command `dropoff-key-chord` `{ keys: ['Shift', 'Tab'] }`: holds every key but the last down, presses the
 * last, and lets go, as a user types Shift+Tab. @web/test-runner-commands' sendKeys cannot do this in every browser:
 * the "Shift+Tab" string is Playwright's alone, and its webdriver path knows neither `down` nor `up`.
 */
import type { TestRunnerPlugin } from '@web/test-runner';

/** The keyboard of a Playwright or puppeteer page (both have these three). */
interface PageKeyboard {
  down(key: string): Promise<void>;
  up(key: string): Promise<void>;
  press(key: string): Promise<void>;
}

/** The plugin. */
export function keyChordPlugin(): TestRunnerPlugin {
  return {
    name: 'dropoff-key-chord',
    async executeCommand({ command, payload, session }) {
      if (command !== 'dropoff-key-chord') return undefined;
      const keys = (payload as { keys?: string[] } | undefined)?.keys ?? [];
      if (!keys.length) throw new Error('dropoff-key-chord needs { keys: [...] }');
      const browser = session.browser as unknown as {
        type: string;
        sendKeys?(id: string, keys: string[]): Promise<void>;
        getPage?(id: string): { keyboard: PageKeyboard };
      };
      if (browser.type === 'webdriver') {
        // webdriverio's keys() puts every key down in order, then lifts them all: a chord.
        await browser.sendKeys!(session.id, keys);
        return true;
      }
      if (!browser.getPage) throw new Error(`dropoff-key-chord: no keyboard for browser type ${browser.type}`);
      const { keyboard } = browser.getPage(session.id);
      const held = keys.slice(0, -1);
      for (const key of held) await keyboard.down(key);
      await keyboard.press(keys.at(-1)!);
      for (const key of held.reverse()) await keyboard.up(key);
      return true;
    },
  };
}
