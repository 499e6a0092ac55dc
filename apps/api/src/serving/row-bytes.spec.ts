import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugins, type Params, type RowPredictor } from '@mixflow/component-sdk';
import { predictBatch, predictJsonRows, type RowTag } from './formats';
import { predictCsvBytes, predictJsonBytes, predictNdjsonBytes, readJsonBody } from './row-bytes';

/** a GMM (k 3, 4 dimensions, vector column features) and rows around its means, with numbers of every length */
const model = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'gmm-4d-k3.json'), 'utf8')) as { means: number[][] };
const DIMS = 4;
let seed = 5;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const x = Float64Array.from({ length: 3000 * DIMS }, (_, n) => model.means[Math.floor(n / DIMS) % 3][n % DIMS] + (rand() - 0.5) * 3);
const codec = loadPlugins().modelCodec('gmm');
const vector = (i: number) => Array.from(x.subarray(i * DIMS, (i + 1) * DIMS)).join(' ');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** both answers of the same lines: the bytes path's and predictBatch's */
function answers(params: Params, lines: string[], tag?: RowTag): { fast: string; general: string; rows: [number, number]; errors: [number, number]; copied: number } {
  const predictor: RowPredictor = codec.predictor(model as never, params);
  const text = lines.join('\n');
  const general = predictBatch(predictor, { format: 'ndjson', text, firstLine: 7, tag });
  const fast = predictNdjsonBytes(predictor, encoder.encode(text), 7, tag);
  return { fast: decoder.decode(fast.bytes), general: general.text, rows: [fast.rows, general.rows], errors: [fast.errors, general.errors], copied: fast.copied };
}

/** lines this path copies and lines it leaves to predictBatch, mixed */
const odd = [
  '',
  '   \t',
  `{"id": 1, "features": "${vector(1)}"}`,
  `{"features":"${vector(2)}","id":1.50,"e":1e3,"b":true,"n":null,"f":false,"z":-0,"tiny":0.0000001,"small":0.000001,"big":123456789012345678901234567890}`,
  `{"features":"${vector(3)}","x":"a\\"b\\\\c\\n\\t","u":"\\u0041\\/","w":"héllo ✓ \u2028"}`,
  `{"features":"${vector(3)}","5":1}`,
  `{"features":"${vector(3)}","a":1,"a":2}`,
  `{"features":"${vector(3)}","prediction":7}`,
  `{"features":"${vector(3)}","modelId":"mine"}`,
  '{"features":"1 2 3"}',
  '{"features":"$4$0:1 3:2"}',
  `{"features":"${vector(4).replace(/ /g, ',')}"}`,
  '{"features":[1,2,3,4]}',
  `{"features":"${vector(4)}","nested":{"a":1}}`,
  '{"id": "broken", "features": ',
  '[1,2]',
  '{}',
  '{"features":"NA"}',
  ` {"features":"${vector(5)}"} \r`,
  `{"features":"1e400 2 3 4"}`,
  `{"features" : "${vector(6)}" , "id" : 5 }`,
  '\u00a0',
  `{"features":"${vector(7)}","id":01}`,
  `{"features":"${vector(7)}","id":.5}`,
  `{"features":"${vector(7)}","id":tru}`,
  `{"features":"${vector(7)}"}x`,
  '{"features":"+1 -2 3. .5e1"}',
  `{"features":"${vector(8)}","__proto__":1}`,
];

describe('NDJSON prediction on bytes', () => {
  it("writes predictBatch's answer byte for byte: copied lines, rewritten numbers, error lines, skipped lines", () => {
    const lines = [...odd, ...Array.from({ length: 500 }, (_, i) => `{"id":${i},"features":"${vector(i)}"}`), ...odd];
    for (const tag of [undefined, { modelId: 'm-2' }]) {
      const { fast, general, rows, errors, copied } = answers({ predictionCol: 'c' }, lines, tag);
      expect(fast).toBe(general);
      expect(copied).toBeGreaterThan(500);
      expect(rows[0]).toBe(rows[1]);
      expect(errors[0]).toBe(errors[1]);
      expect(errors[0]).toBeGreaterThan(10);
    }
  });

  it("writes the detail column as formatVector does (the batch's predictions, to the engine's last bits)", () => {
    const lines = [...odd, ...Array.from({ length: 300 }, (_, i) => `{"id":${i},"features":"${vector(i + 1000)}"}`)];
    const { fast, general } = answers({ predictionCol: 'c', predictionDetailCol: 'p' }, lines, { modelId: 'm' });
    const a = fast.split('\n').map((l) => (l ? JSON.parse(l) : l));
    const b = general.split('\n').map((l) => (l ? JSON.parse(l) : l));
    expect(a.length).toBe(b.length);
    a.forEach((row, i) => {
      if (typeof row === 'string' || row.p === undefined) return expect(row).toEqual(b[i]);
      expect({ ...row, p: undefined }).toEqual({ ...b[i], p: undefined });
      const p = row.p.split(' ').map(Number);
      b[i].p.split(' ').map(Number).forEach((v: number, j: number) => expect(p[j]).toBeCloseTo(v, 12));
    });
  });

  it('numbers the lines from the body\'s line, strips a BOM only at line 1, and reads bytes that are not UTF-8 as before', () => {
    const predictor = codec.predictor(model as never, { predictionCol: 'c' });
    const bom = predictNdjsonBytes(predictor, encoder.encode(`\ufeff{"features":"${vector(1)}"}\n{"x":`), 1, undefined);
    const lines = decoder.decode(bom.bytes).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ features: vector(1), c: expect.any(Number) });
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^line 2: /) });
    const broken = new Uint8Array([...encoder.encode(`{"features":"${vector(1)}","s":"`), 0xff, ...encoder.encode('"}\n')]);
    const expected = predictBatch(predictor, { format: 'ndjson', text: decoder.decode(broken), firstLine: 1 }).text;
    expect(decoder.decode(predictNdjsonBytes(predictor, broken, 1, undefined).bytes)).toBe(expected);
  });

  it('reads feature columns from numbers, and copies or rewrites every number as JSON.stringify writes it', () => {
    const names = ['a', 'b', 'c', 'd'];
    const row = (i: number, spell: (v: number) => string) => `{"id":${i},${names.map((n, j) => `"${n}":${spell(x[i * DIMS + j])}`).join(',')}}`;
    const lines = [
      ...Array.from({ length: 200 }, (_, i) => row(i, String)),
      ...Array.from({ length: 50 }, (_, i) => row(i, (v) => v.toPrecision(17))),
      ...Array.from({ length: 50 }, (_, i) => row(i, (v) => v.toExponential())),
      ...Array.from({ length: 50 }, (_, i) => row(i, (v) => v.toFixed(20))),
      '{"id":1,"a":0.30000000000000001,"b":1.0,"c":-0.0,"d":100}',
      '{"id":1,"a":"1","b":2,"c":3,"d":4}',
      '{"id":1,"a":1e400,"b":2,"c":3,"d":4}',
      '{"id":1,"b":2,"c":3,"d":4}',
    ];
    const { fast, general, copied } = answers({ predictionCol: 'c2', featureCols: names }, lines);
    expect(fast).toBe(general);
    expect(copied).toBeGreaterThan(350);
  });

  it("answers a JSON batch as predictJsonRows does, byte for byte, or names the same first row that cannot be predicted", () => {
    const objects = odd.filter((l) => l.trim().startsWith('{') && l.trim().endsWith('}') && !/[\u00a0]|"id":(01|\.5|tru)|"5"|"a":1,"a"/.test(l)).map((l) => l.trim());
    const good = objects.filter((l) => !/"1 2 3"|"NA"|1e400|\[1,2,3,4\]|"\$4\$0|^\{\}$|"features":"\+1/.test(l));
    const rows = [...good, ...Array.from({ length: 300 }, (_, i) => `{"id":${i},"features":"${vector(i)}"}`), ...good];
    const predictor = codec.predictor(model as never, { predictionCol: 'c' });
    for (const tag of [undefined, { modelId: 'm-3' }]) {
      const text = `{ "predictionCol": "c", "rows": [\n${rows.join(',\n')}\n], "extra": [1, {"a": "]"}] }`;
      const body = readJsonBody(encoder.encode(text));
      expect(body?.options).toEqual({ predictionCol: 'c', extra: [1, { a: ']' }] });
      const fast = predictJsonBytes(predictor, encoder.encode(text), body!, tag) as { bytes: Uint8Array; rows: number; copied: number };
      const general = predictJsonRows(predictor, (JSON.parse(text) as { rows: Record<string, unknown>[] }).rows, tag) as { text: string; rows: number };
      expect(decoder.decode(fast.bytes)).toBe(general.text);
      expect(fast.rows).toBe(general.rows);
      expect(fast.copied).toBeGreaterThan(300);
    }
    // in parts (one per serving thread): the parts' rows joined are the whole answer's
    const whole = `{"rows":[${rows.join(',')}]}`;
    const wholeBody = readJsonBody(encoder.encode(whole))!;
    const parts = [0, 1, 2].map((index) => predictJsonBytes(predictor, encoder.encode(whole), wholeBody, undefined, { index, of: 3 }) as { bytes: Uint8Array; rows: number });
    const joined = `{"rows":[${parts.map((p) => decoder.decode(p.bytes)).join(',')}]}`;
    expect(joined).toBe(decoder.decode((predictJsonBytes(predictor, encoder.encode(whole), wholeBody, undefined) as { bytes: Uint8Array }).bytes));
    expect(parts.reduce((n, p) => n + p.rows, 0)).toBe(rows.length);
    const withBad = [...rows.slice(0, 40), '{"features":"1 2 3"}', ...rows.slice(40)];
    const text = `{"rows":[${withBad.join(',')}]}`;
    const fast = predictJsonBytes(predictor, encoder.encode(text), readJsonBody(encoder.encode(text))!, undefined) as { error: Error; row: number };
    const general = predictJsonRows(predictor, (JSON.parse(text) as { rows: Record<string, unknown>[] }).rows, undefined) as { error: Error; row: number };
    expect(fast.row).toBe(41);
    expect(fast.row).toBe(general.row);
    expect(fast.error.message).toBe(general.error.message);
  });

  it('leaves to the general path (its errors) a JSON body that is not { rows: [objects], ...options }', () => {
    const row = `{"features":"${vector(1)}"}`;
    for (const text of [`\ufeff{"rows":[${row}]}`, `{"rows":[${row}],"rows":[]}`, `{"rows":[${row},1]}`, `{"rows":{}}`, `{"rows":[${row}]`, `{"rows":[${row}]} x`, `{"rows":[${row}],"o":tru}`, `{"r\\u006fws":[]}`, '[]', '{}']) {
      expect({ text, body: readJsonBody(encoder.encode(text)) }).toEqual({ text, body: undefined });
    }
    const broken = `{"rows":[${row},{"features":"1 2",}]}`;
    const predictor = codec.predictor(model as never, { predictionCol: 'c' });
    expect(predictJsonBytes(predictor, encoder.encode(broken), readJsonBody(encoder.encode(broken))!, undefined)).toBeUndefined();
    expect(readJsonBody(encoder.encode(`{"rows":[]}`))).toMatchObject({ count: 0, options: {} });
  });

  it("answers CSV records as predictBatch does, byte for byte: feature columns or a vector column, odd records, a tag", () => {
    const cols = (i: number, spell: (v: number) => string = String) => Array.from(x.subarray(i * DIMS, (i + 1) * DIMS), spell).join(',');
    const oddRecords = [
      '',
      ' ',
      `"q",${cols(1)}`,
      `x y,${cols(2)}`,
      ` padded,${cols(3)}`,
      `tab\t,${cols(3)}`,
      `é,${cols(4)}`,
      `7,${cols(5, (v) => v.toExponential())}`,
      `8,${cols(5, (v) => v.toFixed(2))}`,
      '9,1,2,3',
      '10,1,2,3,4,5',
      '11,,2,3,4',
      '12,NA,2,3,4',
      '13,0x10,2,3,4',
      '14, 1,2,3,4',
      '15,+1,.5,5.,1e2',
      '16,1e400,2,3,4',
      '"unclosed,1,2',
      `17,${cols(6)}\r`,
    ];
    const lines = [...oddRecords, ...Array.from({ length: 300 }, (_, i) => `${i},${cols(i)}`), ...oddRecords];
    const header = ['id', 'a', 'b', 'c', 'd'];
    for (const [params, tag] of [
      [{ predictionCol: 'c2', featureCols: ['a', 'b', 'c', 'd'] }, undefined],
      [{ predictionCol: 'c2', featureCols: ['a', 'b', 'c', 'd'] }, { modelId: 'm-9' }],
      [{ predictionCol: 'a', featureCols: ['a', 'b', 'c', 'd'] }, { id: 'tagged' }],
    ] as [Params, RowTag | undefined][]) {
      const predictor = codec.predictor(model as never, params);
      const text = lines.join('\n');
      const general = predictBatch(predictor, { format: 'csv', text, firstLine: 2, header, tag });
      const fast = predictCsvBytes(predictor, encoder.encode(text), 2, header, tag);
      expect(decoder.decode(fast.bytes)).toBe(general.text);
      expect([fast.rows, fast.errors]).toEqual([general.rows, general.errors]);
      expect(fast.copied).toBeGreaterThan(300);
    }
    const vectors = ['', `1,"${vector(1)}"`, '2,1 2', ...Array.from({ length: 100 }, (_, i) => `${i},${vector(i)}`)].join('\n');
    const predictor = codec.predictor(model as never, { predictionCol: 'c', predictionDetailCol: 'p' });
    const general = predictBatch(predictor, { format: 'csv', text: vectors, firstLine: 2, header: ['id', 'features'] });
    const fast = predictCsvBytes(predictor, encoder.encode(vectors), 2, ['id', 'features'], undefined);
    const [a, b] = [decoder.decode(fast.bytes), general.text].map((t) => t.split('\n').map((l) => l.split(',')));
    expect(a.map((r) => [r[0], r[1], r[2], r[4]])).toEqual(b.map((r) => [r[0], r[1], r[2], r[4]]));
    a.forEach((r, i) => r[3] && r[3].split(' ').forEach((v, j) => expect(Number(v)).toBeCloseTo(Number(b[i][3].split(' ')[j]), 12)));
    expect(fast.copied).toBe(100);
  });
});

