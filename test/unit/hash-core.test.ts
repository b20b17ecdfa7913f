/**
 * The pure hashing core both hash workers run: MD5 and SHA-256 as node:crypto computes them, a part's MD5 answered
 * before its SHA-256 update, bare MD5s before waiting SHA-256 updates, saved states that continue a SHA-256, and
 * unreadable bytes reported as such.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { HashCore, UnreadableError, type HashRequestWith } from '../../src/worker/hash-core.ts';
import type { HashResponse } from '../../src/worker/hash-protocol.ts';

type Body = Uint8Array | 'unreadable';

function core(): { send: (request: HashRequestWith<Body>) => void; answers: HashResponse[]; answered: (id: number) => Promise<HashResponse> } {
  const answers: HashResponse[] = [];
  const waiting = new Map<number, (response: HashResponse) => void>();
  const hashCore = new HashCore<Body>({
    read: async (body) => {
      if (body === 'unreadable') throw new UnreadableError('gone');
      return body;
    },
    reply: (response) => {
      answers.push(response);
      if (!(response.ok && response.early)) waiting.get(response.id)?.(response);
    },
  });
  return {
    send: (request) => hashCore.receive(request),
    answers,
    // The final answer to `id` (a `part` request also has an early one, with its MD5).
    answered: (id) => {
      const done = answers.find((a) => a.id === id && !(a.ok && a.early));
      return done ? Promise.resolve(done) : new Promise((resolve) => waiting.set(id, resolve));
    },
  };
}

describe('the hashing core', () => {
  it('answers MD5 in base64 and a file SHA-256 in hex, fed part by part', async () => {
    const { send, answered } = core();
    const parts = [randomBytes(1000), randomBytes(0), randomBytes(70_000)];
    parts.forEach((blob, i) => send({ id: i + 1, op: 'part', session: 's', blob, save: false }));
    send({ id: 10, op: 'sha-finish', session: 's' });
    for (const [i, part] of parts.entries()) {
      const answer = await answered(i + 1);
      assert.ok(answer.ok);
      assert.equal(answer.md5, createHash('md5').update(part).digest('base64'));
      assert.equal(answer.bytes, part.length);
    }
    const finish = await answered(10);
    assert.ok(finish.ok);
    assert.equal(finish.sha256, createHash('sha256').update(Buffer.concat(parts)).digest('hex'));
  });

  it("answers a part's MD5 early, before feeding the part to the SHA-256, then answers again with the saved state", async () => {
    const { send, answers, answered } = core();
    const part = randomBytes(50_000);
    send({ id: 1, op: 'part', session: 's', blob: part, save: true });
    const final = await answered(1);
    const forPart = answers.filter((a) => a.id === 1);
    assert.equal(forPart.length, 2, 'one early answer, one final');
    const [early] = forPart;
    assert.ok(early?.ok && early.early, 'the first answer is the early one');
    assert.equal(early.md5, createHash('md5').update(part).digest('base64'));
    assert.equal(early.bytes, part.length);
    assert.equal(early.state, undefined, 'the early answer comes before the SHA-256 update, so without its state');
    assert.ok(final.ok && !final.early && final.state, 'the final answer carries the state after the update');
    const resumed = core();
    resumed.send({ id: 1, op: 'sha-load', session: 'r', state: final.state });
    resumed.send({ id: 2, op: 'sha-finish', session: 'r' });
    const finish = await resumed.answered(2);
    assert.equal(finish.ok && finish.sha256, createHash('sha256').update(part).digest('hex'));
  });

  it('handles a bare MD5 before SHA-256 updates already waiting', async () => {
    const { send, answers, answered } = core();
    send({ id: 1, op: 'sha-update', session: 's', blob: randomBytes(10), save: false });
    send({ id: 2, op: 'sha-update', session: 's', blob: randomBytes(10), save: false });
    send({ id: 3, op: 'sha-update', session: 's', blob: randomBytes(10), save: false });
    send({ id: 4, op: 'md5', blob: randomBytes(10) });
    await answered(3);
    const order = answers.map((a) => a.id);
    assert.ok(order.indexOf(4) < order.indexOf(3), `md5 answered before the last waiting update: ${order}`);
    assert.deepEqual(order.filter((id) => id !== 4), [1, 2, 3], 'updates stay in arrival order');
  });

  it('continues a SHA-256 from a saved state as if it had never stopped', async () => {
    const first = core();
    const a = randomBytes(5000), b = randomBytes(3000);
    first.send({ id: 1, op: 'sha-update', session: 's', blob: a, save: true });
    const saved = await first.answered(1);
    assert.ok(saved.ok && saved.state);
    const second = core();
    second.send({ id: 1, op: 'sha-load', session: 'resumed', state: saved.state });
    second.send({ id: 2, op: 'sha-update', session: 'resumed', blob: b, save: false });
    second.send({ id: 3, op: 'sha-finish', session: 'resumed' });
    const finish = await second.answered(3);
    assert.ok(finish.ok);
    assert.equal(finish.sha256, createHash('sha256').update(Buffer.concat([a, b])).digest('hex'));
  });

  it('reports bytes that cannot be read as unreadable, and goes on with the next request', async () => {
    const { send, answered } = core();
    send({ id: 1, op: 'md5', blob: 'unreadable' });
    send({ id: 2, op: 'md5', blob: new Uint8Array([1]) });
    const failed = await answered(1);
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.reason, 'unreadable');
    assert.equal((await answered(2)).ok, true);
  });
});
