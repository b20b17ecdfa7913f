/**
 * The users every test stack is configured with.
 */

/** Alice: keys under `alice/`. */
export const ALICE = { token: 'alice-token-0123456789', space: 'alice/' } as const;
/** Bob: keys under `bob/`. */
export const BOB = { token: 'bob-token-0123456789', space: 'bob/' } as const;
/** DROPOFF_TOKENS for both. */
export const TEST_TOKENS = `${ALICE.token}:alice,${BOB.token}:bob`;
