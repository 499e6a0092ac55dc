import { IsNotIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { NAME_MAX, PROTOTYPE_KEYS, UNSAFE_TEXT } from '@mixflow/component-sdk';

// names and labels a person reads (experiments, datasets, models, node labels) follow the component SDK's rule
const UNSAFE_TEXT_ALL = new RegExp(UNSAFE_TEXT.source, 'gu');

/** class-validator: text of at most 200 characters without control or bidi-override characters. */
export function IsName(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MaxLength(NAME_MAX)(target, key);
    Matches(new RegExp(`^[^${UNSAFE_TEXT.source.slice(1, -1)}]*$`, 'u'), {
      message: '$property must not contain control or bidirectional-override characters',
    })(target, key);
  };
}

/** A name the server derives from a file name: unsafe characters dropped, cut to 200 characters. */
export function nameFromFile(fileName: string, extension: RegExp): string {
  const name = fileName.replace(extension, '').replace(UNSAFE_TEXT_ALL, '').trim();
  return [...name].slice(0, NAME_MAX).join('');
}

/** class-validator: a column name (or, with `each`, a list of them): 1 to 200 characters, not a prototype key. */
export function IsColumnName(o: { each?: boolean } = {}): PropertyDecorator {
  return (target, key) => {
    IsString(o)(target, key);
    MinLength(1, o)(target, key);
    MaxLength(NAME_MAX, o)(target, key);
    IsNotIn([...PROTOTYPE_KEYS], { ...o, message: '$property cannot be "$value": it is reserved (a JavaScript prototype key); choose another name' })(target, key);
  };
}
