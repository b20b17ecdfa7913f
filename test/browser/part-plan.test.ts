/**
 * Part planning at S3's limits, and keys and sizes as people write them.
 */
import { expect } from '@open-wc/testing';
import { MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE, checkPartPlan, choosePartSize, partCount, planParts } from '../../src/engine/part-plan.ts';
import { keyFor, keyProblem } from '../../src/engine/key-rules.ts';
import { parseByteSize } from '../../src/engine/sizes.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('part planning', () => {
  it('keeps the requested size for ordinary files and never goes below 5 MiB', () => {
    expect(choosePartSize(100 * MiB, 8 * MiB)).to.equal(8 * MiB);
    expect(choosePartSize(100 * MiB, 1 * MiB)).to.equal(MIN_PART_SIZE);
  });

  it('raises the part size until at most 10,000 parts are needed', () => {
    const size = 100 * GiB;
    const partSize = choosePartSize(size, 8 * MiB);
    expect(partSize % MiB).to.equal(0);
    expect(partCount(size, partSize)).to.be.at.most(MAX_PARTS);
    expect(partCount(size, partSize - MiB)).to.be.above(MAX_PARTS);
  });

  it('handles the 5 TiB maximum and refuses more', () => {
    const size = 5 * 1024 * GiB;
    const partSize = choosePartSize(size);
    expect(partSize).to.be.at.most(MAX_PART_SIZE);
    expect(partCount(size, partSize)).to.be.at.most(MAX_PARTS);
    expect(() => choosePartSize(size + 1)).to.throw(RangeError, '5 TiB');
    expect(() => choosePartSize(-1)).to.throw(RangeError);
  });

  it('plans one empty part for a 0-byte file', () => {
    expect(planParts(0, MIN_PART_SIZE)).to.deep.equal([{ partNumber: 1, start: 0, end: 0 }]);
  });

  it('plans whole parts for a size that is an exact multiple, and a short last part otherwise', () => {
    expect(planParts(10 * MiB, 5 * MiB).map((p) => p.end - p.start)).to.deep.equal([5 * MiB, 5 * MiB]);
    expect(planParts(10 * MiB + 1, 5 * MiB).map((p) => p.end - p.start)).to.deep.equal([5 * MiB, 5 * MiB, 1]);
    expect(planParts(5 * MiB, 5 * MiB)).to.have.length(1);
  });

  it('checks a plan chosen elsewhere', () => {
    expect(checkPartPlan(10 * MiB, 5 * MiB)).to.equal(undefined);
    expect(checkPartPlan(10 * MiB, 1 * MiB)).to.contain('at least');
    expect(checkPartPlan(100 * GiB, 5 * MiB)).to.contain('10000 parts');
    expect(checkPartPlan(10, 6 * GiB)).to.contain('at most');
  });
});

describe('keys', () => {
  it('appends the relative path to a prefix, uses a key as is, and normalises to NFC', () => {
    expect(keyFor('u/2025/303/', 'station/a.mseed')).to.equal('u/2025/303/station/a.mseed');
    expect(keyFor('u/one.bin', 'whatever.bin')).to.equal('u/one.bin');
    expect(keyFor('u/', 'cafe\u0301.txt')).to.equal('u/caf\u00e9.txt');
  });

  it('refuses keys S3 or people would trip over', () => {
    expect(keyProblem('u/a b ü.bin')).to.equal(undefined);
    expect(keyProblem('')).to.contain('empty');
    expect(keyProblem('/u/a')).to.contain('starts with /');
    expect(keyProblem('u/../v/a')).to.contain('".."');
    expect(keyProblem('u/./a')).to.contain('"."');
    expect(keyProblem('u//a')).to.contain('empty path segment');
    expect(keyProblem('u/a\u0000')).to.contain('control');
    expect(keyProblem('u/a\\b')).to.contain('backslash');
    expect(keyProblem('u/dir/')).to.contain('prefix');
    expect(keyProblem(`u/${'é'.repeat(511)}x`)).to.contain('1024 bytes');
    expect(keyProblem(`u/${'é'.repeat(511)}`)).to.equal(undefined);
  });
});

describe('byte sizes', () => {
  it('reads plain numbers and SI and binary units', () => {
    expect(parseByteSize('8388608')).to.equal(8 * MiB);
    expect(parseByteSize('8MiB')).to.equal(8 * MiB);
    expect(parseByteSize('16 MB')).to.equal(16_000_000);
    expect(parseByteSize('1.5GiB')).to.equal(1.5 * GiB);
    expect(parseByteSize('eight')).to.equal(undefined);
    expect(parseByteSize('-1')).to.equal(undefined);
  });
});
