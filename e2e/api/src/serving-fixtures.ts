/** Rows, a model and a line-reading POST shared by the serving and deployment suites. */
import * as http from 'node:http';
import { fitGmm, makeDataMatrix } from '@mixflow/gmm';

export const DIMS = 10;
export const K = 8;

/** rows around K centers in DIMS dimensions (deterministic) */
export function servingRows(n: number, seed = 7): Float64Array {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const x = new Float64Array(n * DIMS);
  for (let i = 0; i < n; i++) for (let j = 0; j < DIMS; j++) x[i * DIMS + j] = Math.round(((i % K) * 4 + rand()) * 1e4) / 1e4;
  return x;
}

export function servingModel(seed = 1): Record<string, unknown> {
  const x = servingRows(4000, seed);
  return { ...fitGmm(makeDataMatrix(x, 4000, DIMS), { k: K, maxIter: 10, randomSeed: seed }).toJSON(), vectorCol: 'features' };
}

export function vectorOf(x: Float64Array, i: number): string {
  return Array.from(x.subarray(i * DIMS, (i + 1) * DIMS)).join(' ');
}

/** POSTs a body on a connection of its own and reads the answer's lines. */
export function postLines(url: string, body: string, contentType: string): Promise<{ status: number; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': contentType } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, lines: text.split('\n').filter((l) => l !== '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

