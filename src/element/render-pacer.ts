/**
 * Paces an element's renders: engine events come by the thousand with many files, and a render each would keep the
 * main thread busy. A paced render waits for an animation frame at least `intervalMs` after the previous render; a
 * change the user made (a property, an attribute, a drag) hurries the waiting render so it shows at once.
 */
export class RenderPacer {
  private lastRender = -Infinity;
  private hurryUp: (() => void) | undefined;
  private urgent = false;

  /** @param intervalMs shortest time between two paced renders */
  constructor(private readonly intervalMs: number) {}

  /** The next render should not wait (the user changed something). */
  hurry(): void {
    this.urgent = true;
    this.hurryUp?.();
  }

  /** Resolves when the next render may run; call right before rendering. */
  async turn(): Promise<void> {
    if (!this.urgent) {
      await new Promise<void>((resolve) => {
        let frame = 0;
        let fallback: ReturnType<typeof setTimeout> | undefined;
        const go = () => {
          clearTimeout(delay);
          clearTimeout(fallback);
          cancelAnimationFrame(frame);
          this.hurryUp = undefined;
          resolve();
        };
        this.hurryUp = go;
        // A frame after the interval; where frames do not come (a hidden tab), a timer instead.
        const delay = setTimeout(() => {
          frame = requestAnimationFrame(go);
          fallback = setTimeout(go, this.intervalMs);
        }, Math.max(0, this.lastRender + this.intervalMs - performance.now()));
      });
    }
    this.urgent = false;
    this.lastRender = performance.now();
  }
}
