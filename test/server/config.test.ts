/**
 * The server's configuration from environment variables.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, parseTokens } from '../../server/config.ts';

describe('configuration', () => {
  it('has working local defaults', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8787);
    assert.equal(config.s3.bucket, 'dropoff');
    assert.deepEqual([...config.tokens.values()], [{ id: 'demo', space: 'demo/' }]);
  });

  it('reads users and their spaces from DROPOFF_TOKENS', () => {
    const tokens = parseTokens('token-of-alice:alice, token:with:colons:bob');
    assert.deepEqual(tokens.get('token-of-alice'), { id: 'alice', space: 'alice/' });
    assert.deepEqual(tokens.get('token:with:colons'), { id: 'bob', space: 'bob/' });
  });

  it('refuses short tokens, bad user names and an empty list, naming the problem', () => {
    assert.throws(() => parseTokens('short:alice'), /shorter than 8/);
    assert.throws(() => parseTokens('long-enough-token:../x'), /token:user/);
    assert.throws(() => parseTokens('no-user-here'), /token:user/);
    assert.throws(() => parseTokens(' , '), /names no token/);
  });

  it('lists every invalid variable', () => {
    assert.throws(() => loadConfig({ DROPOFF_PORT: 'eighty', S3_FORCE_PATH_STYLE: 'maybe' }), /DROPOFF_PORT.*S3_FORCE_PATH_STYLE/);
  });
});
