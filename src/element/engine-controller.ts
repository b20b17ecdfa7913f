/**
 * Binds an UploadEngine to a Lit element: creates it from the element's settings, asks for a render on its events, and
 * re-dispatches them as `dropoff-*` DOM events (bubbling, composed).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { UploadEngine, UploadEngineOptions } from '../engine/upload-engine.ts';
import { BrowserUploadEngine } from '../browser/browser-upload-engine.ts';
import type { UploadEngineEventMap } from '../engine/upload-events.ts';
import { DOM_EVENT_NAMES } from './events.ts';

/** Owns the engine of one element. */
export class EngineController implements ReactiveController {
  private current: UploadEngine | undefined;
  private settingsKey = '';
  private readonly unsubscribe: (() => void)[] = [];

  /**
   * @param host the element (events are dispatched on it)
   * @param settings the engine options the element's attributes describe now
   */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly settings: () => UploadEngineOptions & { readonly identity: string },
  ) {
    host.addController(this);
  }

  /**
   * The engine for the current settings. A new one is made when the settings changed and the current one has nothing
   * in flight (its list of finished files goes with it); otherwise the current one keeps working with the settings it
   * was made with.
   */
  get engine(): UploadEngine {
    const settings = this.settings();
    const tally = this.current?.tally();
    // From the engine's counts by state: this getter runs on every addFiles, and a snapshot of every file costs O(n).
    const idle = !tally || (['queued', 'hashing', 'uploading', 'retrying', 'completing', 'paused'] as const).every((state) => tally[state].files === 0);
    if (!this.current || (settings.identity !== this.settingsKey && idle)) {
      this.detach();
      this.current = new BrowserUploadEngine(settings);
      this.settingsKey = settings.identity;
      this.attach(this.current);
    }
    return this.current;
  }

  /** The engine if one was made, without making one. */
  get existing(): UploadEngine | undefined {
    return this.current;
  }

  /** {@inheritDoc ReactiveController.hostDisconnected} */
  hostDisconnected(): void {
    // Uploads keep running while the element is moved in the DOM; they stop only when asked.
  }

  private attach(engine: UploadEngine): void {
    for (const name of Object.keys(DOM_EVENT_NAMES) as (keyof UploadEngineEventMap)[]) {
      this.unsubscribe.push(engine.on(name, (event) => {
        // Cheap: the element folds every request until its next animation frame into one render.
        this.host.requestUpdate();
        this.host.dispatchEvent(new CustomEvent(DOM_EVENT_NAMES[name], { detail: event.detail, bubbles: true, composed: true }));
      }));
    }
  }

  private detach(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.current?.dispose();
  }
}
