/** Stream bodies cut into batches of whole lines for the serving threads (serving.service.ts). */

/**
 * The whole lines at the start of `chunks` (all of them when `final`), copied once into a buffer of their own;
 * `chunks` keeps the rest, uncopied. undefined when no line is complete yet.
 */
export function takeLines(chunks: Buffer[], final: boolean): Uint8Array<ArrayBuffer> | undefined {
  if (chunks.length === 0) return undefined;
  let last = chunks.length - 1;
  let end = final ? chunks[last].length : -1;
  while (end < 0 && last >= 0) {
    end = chunks[last].lastIndexOf(10) + 1;
    if (end === 0) {
      end = -1;
      last--;
    }
  }
  if (last < 0) return undefined;
  let size = end;
  for (let j = 0; j < last; j++) size += chunks[j].length;
  const text = new Uint8Array(size);
  let at = 0;
  for (let j = 0; j < last; j++) {
    text.set(chunks[j], at);
    at += chunks[j].length;
  }
  text.set(chunks[last].subarray(0, end), at);
  const rest = chunks[last].length > end ? [chunks[last].subarray(end)] : [];
  chunks.splice(0, last + 1, ...rest);
  return text;
}

/** How many line ends the bytes hold. */
export function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) n++;
  return n;
}
