/**
 * Names a person reads (datasets, experiments, models, node labels): one rule for the API's DTOs and for the
 * components that name what they create (Write Dataset).
 */

/** the longest name, in characters */
export const NAME_MAX = 200;

/**
 * C0/C1 control characters (NUL, escape sequences) and the bidirectional overrides, embeddings and isolates that
 * make a name display as something it is not.
 */
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** What is wrong with `name` as a name (empty, longer than NAME_MAX characters, an unsafe character), or undefined. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'is required: give a name';
  const length = [...name].length;
  if (length > NAME_MAX) return `is ${length} characters long; a name has at most ${NAME_MAX}`;
  const bad = UNSAFE_TEXT.exec(name);
  if (bad) {
    const at = [...name.slice(0, bad.index)].length + 1;
    const code = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `holds a control or bidirectional-override character (${code}, character ${at}); remove it`;
  }
  return undefined;
}
