/** A problem building or running an SDK workflow: which operator, which port or parameter, and what to do. */
export class SdkError extends Error {
  readonly details: { operator?: string; nodeId?: string; parameter?: string; port?: number; column?: string; row?: number };

  constructor(message: string, details: SdkError['details'] = {}) {
    super(message);
    this.name = 'SdkError';
    this.details = details;
  }
}
