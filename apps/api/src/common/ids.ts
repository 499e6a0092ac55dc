import { IsString, Matches } from 'class-validator';

/**
 * Node, edge, experiment, run, dataset and model ids: letters, digits, `_` and `-`, 1 to 64 characters. Ids never
 * become file names (outputs are named by server-generated ids), but holding them to this rule at the API boundary
 * keeps a hostile id (`../x`, a NUL, a 1 MB string) out of storage, logs and error messages altogether.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_RULE = 'letters, digits, _ and - only, 1 to 64 characters';

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** class-validator: a string that is an id. */
export function IsId(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Matches(ID_PATTERN, { message: `$property must be an id (${ID_RULE})` })(target, key);
  };
}
