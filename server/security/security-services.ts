/**
 * The security parts of one server, built from its settings on its records database: the uploads ledger, the size and
 * quota checks, the rate limit, the cursor sealer, and the JWT verifier when an identity provider is configured.
 */
import type { Database } from '../records/database.ts';
import { CursorSealer } from './cursor.ts';
import { migrateSecurity } from './migrations.ts';
import { createJwtVerifier, type JwtVerifier } from './jwt-verifier.ts';
import { createRateLimit, type RateLimit } from './rate-limit.ts';
import { DEFAULT_SECURITY, type SecuritySettings } from './security-config.ts';
import { UploadLedger } from './upload-ledger.ts';
import { UploadLimits } from './upload-limits.ts';

/** What the routes use to check ownership, sizes, quotas and rates. */
export interface SecurityServices {
  /** Which upload belongs to whom; what each user holds. */
  readonly ledger: UploadLedger;
  /** Size limit, quotas, part sizes to bind. */
  readonly limits: UploadLimits;
  /** Per-user rate limit. */
  readonly rateLimit: RateLimit;
  /** Opaque page cursors. */
  readonly cursors: CursorSealer;
  /** Verifies OIDC JWTs, when an identity provider is configured. */
  readonly verifyJwt: JwtVerifier | undefined;
}

/**
 * Builds the security services for `settings` (default {@link DEFAULT_SECURITY}) on `db`, whose records' migrations
 * have run; applies the security migrations first.
 */
export async function openSecurityServices(db: Database, settings: SecuritySettings = DEFAULT_SECURITY): Promise<SecurityServices> {
  await migrateSecurity(db);
  const ledger = new UploadLedger(db);
  return {
    ledger,
    limits: new UploadLimits(ledger, settings),
    rateLimit: createRateLimit(db, settings),
    cursors: new CursorSealer(settings.cursorSecret),
    verifyJwt: settings.oidc ? createJwtVerifier(settings.oidc) : undefined,
  };
}
