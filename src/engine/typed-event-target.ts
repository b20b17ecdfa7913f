/**
 * An EventTarget whose addEventListener knows each event's detail type.
 */

/** An EventTarget with typed CustomEvents: `M` maps event names to detail types. */
export class TypedEventTarget<M extends object> extends EventTarget {
  /** Adds a listener whose event's `detail` is typed from the event map. */
  on<K extends keyof M & string>(type: K, listener: (event: CustomEvent<M[K]>) => void, options?: AddEventListenerOptions): () => void {
    const wrapped = listener as EventListener;
    this.addEventListener(type, wrapped, options);
    return () => this.removeEventListener(type, wrapped, options);
  }

  /** Dispatches a CustomEvent named `type` carrying `detail`. */
  protected emit<K extends keyof M & string>(type: K, detail: M[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
