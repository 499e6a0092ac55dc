import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { badRequest } from './api-error.filter';
import { ID_RULE, isId } from './ids';

/** Route parameters that name a stored thing (`:id`, `:nodeId`) must be ids; anything else is a 400 naming it. */
const ID_PARAMS: ReadonlySet<string> = new Set(['id', 'nodeId', 'viewId']);

@Injectable()
export class IdParamPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param' && metadata.data && ID_PARAMS.has(metadata.data) && !isId(value)) {
      throw badRequest(`the path parameter '${metadata.data}' must be an id (${ID_RULE})`, { field: metadata.data });
    }
    return value;
  }
}
