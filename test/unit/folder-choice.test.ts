/**
 * The element's folder choice as a pure function: top level only, folder name kept or stripped, lone files untouched.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { folderPath } from '../../src/element/folder-choice.ts';

it('keeps, strips or leaves out folder paths as chosen', () => {
  const keep = { topLevelOnly: false, stripFolderName: false };
  const top = { topLevelOnly: true, stripFolderName: false };
  const strip = { topLevelOnly: false, stripFolderName: true };
  const both = { topLevelOnly: true, stripFolderName: true };
  assert.equal(folderPath('data/sub/a.bin', keep), 'data/sub/a.bin');
  assert.equal(folderPath('data/sub/a.bin', top), undefined);
  assert.equal(folderPath('data/a.bin', top), 'data/a.bin');
  assert.equal(folderPath('data/sub/a.bin', strip), 'sub/a.bin');
  assert.equal(folderPath('data/a.bin', both), 'a.bin');
  assert.equal(folderPath('data/sub/a.bin', both), undefined);
  assert.equal(folderPath('alone.bin', both), 'alone.bin');
});
