/**
 * SigningBudget: early small signing calls are allowed only while the parts left still fit in the calls left, and the
 * calls after them carry more, so a file never costs more than one call per eight parts.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { SigningBudget } from '../../src/engine/signing-budget.ts';

it('starts at eight parts a call, and the budget is one call per eight parts', () => {
  const budget = new SigningBudget(127, 8, 10);
  assert.equal(budget.floor, 8);
  let calls = 0;
  for (let left = 127; left > 0; left -= 8) {
    budget.spend(Math.min(8, left));
    calls++;
  }
  assert.equal(calls, 16);
});

it('lets the first calls carry 1, 2, 3 and 4 parts, then raises the floor so the whole file keeps to its budget', () => {
  const budget = new SigningBudget(127, 8, 10);
  const calls: number[] = [];
  let left = 127;
  // The start of a file: each early call carries one part more than the one before.
  for (const parts of [1, 2, 3, 4]) {
    assert.equal(budget.allows(parts - 1), false, `a call of ${parts - 1} after ${calls.join(', ')}`);
    assert.ok(budget.allows(parts), `a call of ${parts} after ${calls.join(', ')}`);
    budget.spend(parts);
    calls.push(parts);
    left -= parts;
  }
  // 117 parts left for 12 calls: a fifth early call of 5 or 6 would leave more than 11 calls of at most ten can
  // carry (7 would not), and every later call carries at least ten.
  assert.equal(budget.allows(5), false);
  assert.equal(budget.allows(6), false);
  assert.equal(budget.allows(7), true);
  assert.equal(budget.floor, 10);
  while (left > 0) {
    const parts = Math.min(budget.floor, left);
    assert.ok(budget.allows(parts));
    budget.spend(parts);
    calls.push(parts);
    left -= parts;
  }
  assert.ok(calls.length <= Math.ceil(127 / 8), `${calls.length} calls: ${calls.join(', ')}`);
});

it('asks each early call to carry more parts than the early call before it', () => {
  const budget = new SigningBudget(127, 8, 10);
  budget.spend(1);
  assert.equal(budget.allows(1), false);
  assert.equal(budget.allows(2), true);
  // A call at the floor is not an early call: it does not raise what the next early call must carry.
  budget.spend(8);
  assert.equal(budget.allows(2), true);
});

it('refuses an early call that would leave more parts than the calls left can carry', () => {
  const budget = new SigningBudget(23, 8, 10);
  // Three calls for 23 parts: one of a single part would leave 22 for two calls of at most ten.
  assert.equal(budget.allows(1), false);
  assert.equal(budget.allows(3), true);
  // A call that takes everything left is always allowed.
  assert.equal(new SigningBudget(5, 8, 10).allows(5), true);
});

it('falls back to eight parts a call once calls outside the budget (URLs signed again) have spent it', () => {
  const budget = new SigningBudget(16, 8, 10);
  budget.spend(8);
  budget.spend(1);
  budget.spend(1);
  assert.equal(budget.floor, 8);
  assert.equal(budget.allows(1), false);
});
