/**
 * Every route the console's API client calls is an operation of the server's OpenAPI document (openapi.d.ts,
 * generated from it by `npm run openapi:types`), with that method. openapi-check.ts compares the response types.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const read = (f: string) => fs.readFileSync(path.join(__dirname, f), 'utf8');
/** `/api/runs/${id}/nodes/${encodeURIComponent(n)}?x=1` and `/api/runs/{id}/nodes/{nodeId}` both become `/api/runs/{}/nodes/{}` */
const shape = (route: string) => route.split('?')[0].replace(/\$\{[^}]*\}/g, '{}').replace(/\{[A-Za-z_]+\}/g, '{}');

function documentedOperations(): Set<string> {
  const ops = new Set<string>();
  const text = read('openapi.d.ts');
  const body = text.slice(text.indexOf('export interface paths {'), text.indexOf('export type webhooks'));
  for (const block of body.split(/\n {4}"(?=\/api)/).slice(1)) {
    const route = block.slice(0, block.indexOf('"'));
    for (const m of block.matchAll(/\n {8}(get|put|post|delete|patch): operations\[/g)) ops.add(`${m[1].toUpperCase()} ${shape(route)}`);
  }
  return ops;
}

function clientCalls(): string[] {
  const text = read('client.ts');
  const calls = [...text.matchAll(/\('(GET|POST|PUT|DELETE|PATCH)',\s*(['`])(\/api[^'`]*)\2/g)].map((m) => `${m[1]} ${shape(m[3])}`);
  // links the browser opens itself (downloads, event streams) are GETs
  calls.push(...[...text.matchAll(/withToken\((['`])(\/api[^'`]*)\1/g)].map((m) => `GET ${shape(m[2])}`));
  return calls;
}

describe('the console’s API client against the OpenAPI document', () => {
  it('calls only documented operations', () => {
    const documented = documentedOperations();
    expect(documented.size).toBeGreaterThan(30);
    const calls = clientCalls();
    expect(calls.length).toBeGreaterThan(30);
    expect(calls.filter((c) => !documented.has(c))).toEqual([]);
  });

  it('would notice a route the document lacks', () => {
    expect(documentedOperations().has('GET /api/datasets/{}')).toBe(true);
    expect(documentedOperations().has('GET /api/datasets/{}/nonexistent')).toBe(false);
    expect(shape('/api/runs/${runId}/nodes/${encodeURIComponent(nodeId)}/outputs/${port}?${q({ offset })}')).toBe('/api/runs/{}/nodes/{}/outputs/{}');
  });
});
