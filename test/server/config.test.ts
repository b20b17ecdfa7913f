/**
 * The server's configuration from environment variables.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, parseTokens } from '../../server/config.ts';
import { createS3Client } from '../../server/storage/s3-client.ts';
import { ObjectReader } from '../../server/storage/object-reader.ts';
import { UploadStore } from '../../server/storage/upload-store.ts';

describe('configuration', () => {
  it('has working local defaults', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8787);
    assert.equal(config.s3.bucket, 'dropoff');
    assert.deepEqual([...config.tokens.values()], [{ id: 'demo', space: 'demo/' }]);
  });

  it('reads users and their spaces from DROPOFF_TOKENS', () => {
    const tokens = parseTokens('token-of-alice-0001:alice, token:with:colons:bob');
    assert.deepEqual(tokens.get('token-of-alice-0001'), { id: 'alice', space: 'alice/' });
    assert.deepEqual(tokens.get('token:with:colons'), { id: 'bob', space: 'bob/' });
  });

  it('refuses short tokens, bad user names and an empty list, naming the problem', () => {
    assert.throws(() => parseTokens('short:alice'), /shorter than 16/);
    assert.throws(() => parseTokens('12345678:alice'), /shorter than 16/);
    assert.throws(() => parseTokens('long-enough-token:../x'), /token:user/);
    assert.throws(() => parseTokens('no-user-here'), /token:user/);
    assert.throws(() => parseTokens(' , '), /names no token/);
  });

  it('refuses a token given to two users, which would silently belong to the last', () => {
    assert.throws(() => parseTokens('same-token-0123456789:alice,same-token-0123456789:bob'), /"alice" and "bob" have the same token/);
  });

  it("accepts the demo's short public token only as its explicit exception, on a loopback address", () => {
    assert.throws(() => parseTokens('demo-token:demo'), /shorter than 16/);
    assert.deepEqual([...parseTokens('demo-token:demo', { allowDemo: true }).values()], [{ id: 'demo', space: 'demo/' }]);
    assert.throws(() => parseTokens('demo-token:mallory', { allowDemo: true }), /shorter than 16/);
    assert.throws(() => loadConfig({ DROPOFF_HOST: '0.0.0.0' }), /shorter than 16/);
  });

  it('reads the size limit, quotas, rate limit and identity provider, and refuses half an OIDC setup', () => {
    const config = loadConfig({
      DROPOFF_MAX_OBJECT_BYTES: '1000', DROPOFF_QUOTA_BYTES: '5000', DROPOFF_QUOTA_OBJECTS: '3', DROPOFF_RATE_LIMIT: '10',
      DROPOFF_OIDC_JWKS_URL: 'http://127.0.0.1:1/jwks', DROPOFF_OIDC_ISSUER: 'http://idp.test', DROPOFF_OIDC_AUDIENCE: 'dropoff',
    });
    assert.equal(config.security?.maxObjectBytes, 1000);
    assert.equal(config.security?.quotaBytes, 5000);
    assert.equal(config.security?.quotaObjects, 3);
    assert.equal(config.security?.rateLimitPoints, 10);
    assert.equal(config.security?.oidc?.userClaim, 'sub');
    assert.equal(config.security?.oidc?.clockToleranceSeconds, 30);
    assert.throws(() => loadConfig({ DROPOFF_OIDC_JWKS_URL: 'http://127.0.0.1:1/jwks' }), /needs DROPOFF_OIDC_ISSUER and DROPOFF_OIDC_AUDIENCE/);
    assert.throws(() => loadConfig({ DROPOFF_QUOTA_BYTES: '-5' }), /DROPOFF_QUOTA_BYTES/);
    assert.throws(() => loadConfig({ DROPOFF_MAX_OBJECT_BYTES: String(6 * 1024 ** 4) }), /DROPOFF_MAX_OBJECT_BYTES/);
  });

  it('lists every invalid variable', () => {
    assert.throws(() => loadConfig({ DROPOFF_PORT: 'eighty', S3_FORCE_PATH_STYLE: 'maybe' }), /DROPOFF_PORT.*S3_FORCE_PATH_STYLE/);
  });

  it('reads the timeouts, the job settings and S3_PUBLIC_ENDPOINT', () => {
    const config = loadConfig({ S3_PUBLIC_ENDPOINT: 'https://s3.example.org', DATABASE_STATEMENT_TIMEOUT_MS: '2000', DROPOFF_VALIDATION_CONCURRENCY: '4', DROPOFF_RUN_JOBS: 'false' });
    assert.equal(config.s3.publicEndpoint, 'https://s3.example.org');
    assert.equal(config.databaseStatementTimeoutMs, 2000);
    assert.equal(config.jobs?.concurrency, 4);
    assert.equal(config.runJobs, false);
    assert.throws(() => loadConfig({ DROPOFF_JOB_LEASE_SECONDS: '1' }), /DROPOFF_JOB_LEASE_SECONDS/);
  });

  it('presigns URLs for browsers at S3_PUBLIC_ENDPOINT while the server talks to S3_ENDPOINT', async () => {
    const config = loadConfig({ S3_ENDPOINT: 'http://storage.internal:7480', S3_PUBLIC_ENDPOINT: 'https://s3.example.org' });
    const client = createS3Client(config.s3);
    const store = new UploadStore(client, new ObjectReader(client, config.s3), config.s3.bucket, 60, createS3Client(config.s3, true));
    const [signed] = await store.signObjects([{ key: 'demo/a.bin', md5: '1B2M2Y8AsgTpgAmY7PhCfg==', contentType: 'application/octet-stream', metadata: {} }]);
    assert.match(signed!.url, /^https:\/\/s3\.example\.org\/dropoff\/demo\/a\.bin\?/);
  });
});
