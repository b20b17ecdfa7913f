/**
 * Longest stretch of taking files in before the page (or Node's event loop) gets a turn: a browser looks each picked
 * file up on disk the first time its size is read (about 0.2-0.4 ms a file), so taking in a thousand at once would
 * hold the main thread for a third of a second, and nothing already taken in (hash results, signing, sending) could
 * start meanwhile.
 */
export const INTAKE_SLICE_MS = 20;
