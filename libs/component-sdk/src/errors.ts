export interface ComponentErrorDetails {
  nodeId?: string;
  parameter?: string;
  column?: string;
  row?: number;
  port?: number;
  /** a field of a model file or request body, e.g. "means[1][0]" */
  field?: string;
}

/** A problem a component reports, located by node, parameter, column, row or port where known. */
export class ComponentError extends Error {
  readonly details: ComponentErrorDetails;

  constructor(message: string, details: ComponentErrorDetails = {}) {
    super(message);
    this.name = 'ComponentError';
    this.details = details;
  }
}
