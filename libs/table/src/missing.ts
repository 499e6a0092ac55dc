/**
 * Missing cells. In a numeric column an empty cell, `NaN`, `null`, `NA` or `?` (any case, surrounding blanks
 * ignored) is a missing value: the column stays numeric and holds NaN there; the schema counts them.
 */
const MISSING_TOKENS = new Set(['', 'nan', 'null', 'na', '?']);

export function isMissingCell(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57) return false; // a digit starts no missing token: numbers skip the trim and lowercase
  return MISSING_TOKENS.has(text.trim().toLowerCase());
}

/** The words an error uses for a missing cell, e.g. `is empty`. */
export function describeMissing(text: string | undefined): string {
  const t = text?.trim() ?? '';
  return t === '' ? 'is empty' : `is missing (${JSON.stringify(t)})`;
}
