/**
 * The connectivity port: whether the platform has a network connection, and news when that changes. The engine
 * pauses running uploads when it goes and resumes them when it comes back. A platform without such news (Node)
 * gives none.
 */

/** Tells the engine when the connection goes and comes back. */
export interface Connectivity {
  /** Calls `onChange` with `false` when the connection is lost and `true` when it is back; returns an unsubscribe. */
  subscribe(onChange: (online: boolean) => void): () => void;
}
