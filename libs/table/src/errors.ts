/** A problem with a table's data or schema, located by 1-based data row and column name where known. */
export class TableError extends Error {
  readonly details: { row?: number; column?: string };

  constructor(message: string, details: { row?: number; column?: string } = {}) {
    super(message);
    this.name = 'TableError';
    this.details = details;
  }
}
