/** Where a bad input was found. Row numbers are 1-based (as a person counts rows in a file). */
export interface GmmInputErrorDetails {
  parameter?: string;
  row?: number;
  column?: string;
  component?: number;
  field?: string;
}

/** Every input problem the engine detects: bad data, bad options, a bad model file, a degenerate fit. */
export class GmmInputError extends Error {
  readonly details: GmmInputErrorDetails;

  constructor(message: string, details: GmmInputErrorDetails = {}) {
    super(message);
    this.name = 'GmmInputError';
    this.details = details;
  }
}
