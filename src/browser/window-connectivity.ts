/**
 * The browser's connectivity: the window's `offline` and `online` events.
 */
import type { Connectivity } from '../engine/ports.ts';

/** {@link Connectivity} from `window`'s online/offline events (none where there is no window, e.g. in a worker). */
export const windowConnectivity: Connectivity = {
  subscribe(onChange) {
    if (typeof window === 'undefined') return () => undefined;
    const offline = () => onChange(false);
    const online = () => onChange(true);
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    };
  },
};
