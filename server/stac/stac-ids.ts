/**
 * The ids of collections, items and assets: they become URL path segments and object key segments, so they are
 * kept to letters, digits, `.`, `_` and `-` (as geoadmin's ids are), at most 255 characters, never `.` or `..`.
 */
import type { UserAccount } from '../config.ts';
import type { AssetAddress } from './catalog-store.ts';
import { StacError } from './stac-errors.ts';

const ID_SHAPE = /^[A-Za-z0-9._-]{1,255}$/;

/** Throws 400 naming `field` when `id` is not a valid id. */
export function checkId(field: string, id: string): string {
  if (!ID_SHAPE.test(id) || id === '.' || id === '..') {
    throw new StacError(400, { [field]: [`Invalid id "${id.slice(0, 64)}": use 1 to 255 letters, digits, ".", "_" or "-" (not "." or "..").`] });
  }
  return id;
}

/** The object key an asset's file is stored under, inside the user's space. */
export function assetObjectKey(user: UserAccount, at: AssetAddress): string {
  return at.item === null ? `${user.space}stac/${at.collection}/${at.asset}` : `${user.space}stac/${at.collection}/${at.item}/${at.asset}`;
}
