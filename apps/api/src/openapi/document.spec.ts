import type { OpenAPIObject } from '@nestjs/swagger';
import { completeDocument } from './document';

const doc: OpenAPIObject = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  servers: [],
  components: { schemas: { X: { type: 'object' } } },
  paths: {
    '/api/health': { get: { responses: { '200': { description: 'ok' } } } },
    '/api/things': { post: { requestBody: { content: {} }, responses: { '201': { description: 'made' } } } },
    '/api/things/{id}': {
      get: { parameters: [{ name: 'id', in: 'path', required: true }], responses: { '200': { description: 'ok' } } },
      delete: { parameters: [{ name: 'id', in: 'path', required: true }], responses: { '409': { description: 'busy' } } },
    },
  },
};

describe('completeDocument: what Redocly’s recommended rules ask of the OpenAPI document', () => {
  const out = completeDocument(doc);
  const statuses = (route: string, method: string) => Object.keys((out.paths[route] as Record<string, { responses: object }>)[method].responses).sort();

  it('gives every operation its 4xx answers, keeping the ones it documents', () => {
    expect(statuses('/api/health', 'get')).toEqual(['200', '401']);
    expect(statuses('/api/things', 'post')).toEqual(['201', '400', '401']);
    expect(statuses('/api/things/{id}', 'get')).toEqual(['200', '400', '401', '404']);
    expect(statuses('/api/things/{id}', 'delete')).toEqual(['400', '401', '404', '409']);
    expect((out.paths['/api/things/{id}'] as { delete: { responses: Record<string, unknown> } }).delete.responses['409']).toEqual({ description: 'busy' });
    expect((out.paths['/api/things'] as { post: { responses: Record<string, unknown> } }).post.responses['400']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    });
  });

  it('declares a server, the error schema and the optional bearer scheme, and leaves its input alone', () => {
    expect(out.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(Object.keys(out.components!.schemas!)).toEqual(['X', 'ApiError']);
    expect(out.components!.securitySchemes!.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(out.security).toEqual([{ bearer: [] }, {}]);
    expect(doc.servers).toEqual([]);
    expect(Object.keys((doc.paths['/api/health'] as { get: { responses: object } }).get.responses)).toEqual(['200']);
  });
});
