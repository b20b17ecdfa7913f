/**
 * The category table: which processor runs on which category of staged objects. Adding a processor is writing one
 * module (see ./processor.ts) and listing it here.
 */
import type { Processor } from './processor.ts';
import { miniseedInventory } from './processors/miniseed-inventory.ts';

/** Every processor the server runs. */
export const PROCESSORS: readonly Processor[] = [miniseedInventory];

/** The processor called `name`, if any. */
export function processorNamed(name: string): Processor | undefined {
  return PROCESSORS.find((p) => p.name === name);
}

/** The processors that take objects of `category`. */
export function processorsFor(category: string): Processor[] {
  return PROCESSORS.filter((p) => p.category === category);
}
