/**
 * A validator for the `miniseed` category: the object must start with a miniSEED record header, version 2 (fixed
 * section of 48 bytes: sequence number, quality indicator, station identifiers, a plausible start time) or version 3
 * ("MS" then format version 3).
 */

/** Why `head` (the object's first bytes) does not start a miniSEED record, or undefined when it does. */
export function miniseedProblem(head: Uint8Array): string | undefined {
  if (head.length >= 3 && head[0] === 0x4d && head[1] === 0x53 && head[2] === 3) return undefined;
  if (head.length < 48) return `it is shorter (${head.length} bytes) than a miniSEED record header (48 bytes)`;
  const text = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  const sequence = text(0, 6);
  if (!/^[0-9 ]{6}$/.test(sequence) || !/[0-9]/.test(sequence)) return 'it does not begin with a six-digit sequence number';
  if (!'DRQM'.includes(text(6, 7))) return `its data quality indicator is "${text(6, 7)}", not D, R, Q or M`;
  if (head[7] !== 0x20 && head[7] !== 0) return 'its reserved byte 8 is neither a space nor zero';
  if (!/^[A-Z0-9 ]{5}$/i.test(text(8, 13))) return 'its station code is not 5 letters, digits or spaces';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const plausible = (year: number, day: number) => year >= 1900 && year <= 2100 && day >= 1 && day <= 366;
  if (!plausible(view.getUint16(20, false), view.getUint16(22, false)) && !plausible(view.getUint16(20, true), view.getUint16(22, true))) {
    return 'its start time is not a plausible year and day of year';
  }
  return undefined;
}
