/**
 * DropoffApi.getObjectHistory follows the server's history pages (at most 1,000 submissions each) to the end, passing
 * each opaque cursor back as it came. A scripted fetch stands in for the server.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DropoffApi } from '../../src/protocol/dropoff-api.ts';

it('reads every page of a key\'s history, passing each cursor back unchanged', async () => {
  const asked: string[] = [];
  const pages: Record<string, { submissions: { id: number }[]; cursor?: string }> = {
    '': { submissions: [{ id: 5 }, { id: 4 }], cursor: 'sealed.A-1' },
    'sealed.A-1': { submissions: [{ id: 3 }, { id: 2 }], cursor: 'sealed.B_2' },
    'sealed.B_2': { submissions: [{ id: 1 }] },
  };
  const fetch = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    asked.push(url.search);
    return new Response(JSON.stringify({ key: url.searchParams.get('key'), ...pages[url.searchParams.get('cursor') ?? '']! }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const api = new DropoffApi({ endpoint: 'http://127.0.0.1:9', token: 'alice-token-0123456789', fetch });
  const history = await api.getObjectHistory('alice/a.bin');
  assert.deepEqual(history.map((s) => s.id), [5, 4, 3, 2, 1]);
  assert.deepEqual(asked, ['?key=alice%2Fa.bin', '?key=alice%2Fa.bin&cursor=sealed.A-1', '?key=alice%2Fa.bin&cursor=sealed.B_2']);
});
