/**
 * Per-user rate limits on the calls that cost the server work (signing above all), through rate-limiter-flexible. Its
 * counters live in the records database (`rate_limits`, a PostgreSQL table), so several server instances on one
 * PostgreSQL share them; an in-memory limiter with the same settings stands in while the database cannot answer.
 * Over the limit, the answer is 429 rate_limited with Retry-After, which the engine honours.
 */
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../errors.ts';
import type { Database } from '../records/database.ts';
import type { SecuritySettings } from './security-config.ts';

/** Takes points from a user's budget, or throws 429 rate_limited. */
export interface RateLimit {
  /** Takes `points` (one per call, one more per URL signed or object confirmed) from `userId`'s budget of the current window. */
  consume(userId: string, points: number): Promise<void>;
}

/** The database as rate-limiter-flexible's PostgreSQL store expects a client: `query({ text, values })` -> `{ rows, rowCount }`. */
function asPgClient(db: Database) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const rows = (await db.query<{ points: unknown; expire: unknown }>(q.text, q.values ?? []))
        .map((row) => ({ ...row, points: Number(row.points), expire: row.expire === null ? null : Number(row.expire) }));
      return { rows, rowCount: rows.length };
    },
  };
}

/** A rate limit per user on `db` (table `rate_limits`, created by SECURITY_MIGRATIONS); a no-op when turned off. */
export function createRateLimit(db: Database, settings: Pick<SecuritySettings, 'rateLimitPoints' | 'rateLimitWindowSeconds'>): RateLimit {
  const points = settings.rateLimitPoints;
  if (points === 0) return { consume: async () => undefined };
  const duration = settings.rateLimitWindowSeconds;
  const limiter = new RateLimiterPostgres({
    storeClient: asPgClient(db),
    storeType: 'client',
    tableName: 'rate_limits',
    tableCreated: true,
    // Expired rows are overwritten in place; a periodic sweep would only keep a timer alive.
    clearExpiredByTimeout: false,
    keyPrefix: 'dropoff',
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: 'dropoff', points, duration }),
  });
  return {
    async consume(userId, cost) {
      if (cost <= 0) return;
      try {
        await limiter.consume(userId, cost);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new ApiError('rate_limited',
          `Too many requests: you may make ${points.toLocaleString('en')} requests (each URL signed and each object confirmed counts as one) per ${duration} seconds. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
          true, { retryAfterSeconds: seconds });
      }
    },
  };
}
