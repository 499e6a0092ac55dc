/**
 * A statement DuckDB refused: `kind` is DuckDB's exception type (Parser, Binder, Permission, Conversion, ...),
 * `detail` its message, and `position` the 0-based character offset into the SQL when DuckDB gave one, with the
 * 1-based `line` and `column` it falls on. `message` reads as one sentence for a user.
 */
export class SqlError extends Error {
  override readonly name = 'SqlError';
  constructor(
    message: string,
    readonly kind: string,
    readonly detail: string,
    readonly position?: number,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** 1-based line and column of a 0-based offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * DuckDB's error (the engine is opened with `errors_as_json`, so the message is a JSON object, sometimes after a
 * "Parser Error: " prefix) as a SqlError. Anything else passes through unchanged.
 */
export function toSqlError(error: unknown, sql?: string): unknown {
  // duck-typed: errors from the native binding may come from another realm (a test VM), so not `instanceof Error`
  const message = (error as { message?: unknown } | null)?.message;
  if (error instanceof SqlError || typeof message !== 'string') return error;
  const start = message.indexOf('{');
  if (start < 0) return error;
  let parsed: { exception_type?: string; exception_message?: string; position?: string };
  try {
    parsed = JSON.parse(message.slice(start));
  } catch {
    return error;
  }
  if (typeof parsed.exception_message !== 'string') return error;
  const kind = parsed.exception_type ?? 'SQL';
  const detail = parsed.exception_message;
  const position = parsed.position !== undefined && /^\d+$/.test(parsed.position) ? Number(parsed.position) : undefined;
  const where = position !== undefined && sql !== undefined ? lineAndColumn(sql, position) : undefined;
  const at = where ? ` at line ${where.line}, column ${where.column}` : '';
  return new SqlError(`${kind} error${at}: ${detail}`, kind, detail, position, where?.line, where?.column);
}
