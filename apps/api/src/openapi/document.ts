/**
 * The OpenAPI document as Redocly's recommended rules want it (`npm run lint:openapi`): a server, the optional
 * bearer scheme, and on every operation the 4xx answers the API's error filter gives, with their one shape.
 */
import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = { parameters?: { in?: string }[]; requestBody?: unknown; responses?: Record<string, unknown> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** What ApiErrorFilter answers for every error: the HTTP status, a message naming what was wrong, and where. */
export const API_ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'message', 'error'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    message: { type: 'string', description: 'what was wrong and what to do, naming the node, parameter, row or column' },
    error: { type: 'string', example: 'Bad Request' },
    details: { type: 'object', additionalProperties: true, description: 'where the error points: nodeId, parameter, column, row, field' },
  },
} as const;

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } });

/**
 * Adds the error answers every operation can give when its own decorators did not document them: 400 when it takes
 * parameters or a body (validation), 404 when its path names a resource, 401 (a server started with
 * MIXFLOW_API_TOKEN wants `Authorization: Bearer <token>`). Declares the bearer scheme as optional for the whole
 * API (`security: [{ bearer: [] }, {}]`) and a relative server, so the document works wherever it is served.
 */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  const out: OpenAPIObject = structuredClone(doc);
  out.servers = out.servers?.length ? out.servers : [{ url: '/', description: 'the server that serves this document' }];
  out.components = out.components ?? {};
  out.components.schemas = { ...(out.components.schemas ?? {}), ApiError: structuredClone(API_ERROR_SCHEMA) as never };
  out.components.securitySchemes = {
    ...(out.components.securitySchemes ?? {}),
    bearer: { type: 'http', scheme: 'bearer', description: 'needed only when the server sets MIXFLOW_API_TOKEN' },
  };
  out.security = [{ bearer: [] }, {}];
  for (const [route, item] of Object.entries(out.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      const add = (status: string, description: string) => {
        if (!(status in responses)) responses[status] = errorResponse(description);
      };
      if ((op.parameters?.length ?? 0) > 0 || op.requestBody) add('400', 'invalid input; the message names the parameter, row or column');
      if (route.includes('{')) add('404', 'no such resource; the message names it');
      add('401', 'missing or wrong bearer token (only when the server sets MIXFLOW_API_TOKEN)');
    }
  }
  return out;
}
