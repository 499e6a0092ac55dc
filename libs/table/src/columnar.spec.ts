import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryColumnarStore } from './columnar';
import { readCsv } from './csv';
import { extractFeatures } from './features';
import { parseSchemaStr } from './schema';
import { isVectorColumn, rowsOf, tableFromRows } from './table';

describe('binaryColumnarStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mixflow-columnar-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back every column as it was written, numbers bit for bit', async () => {
    const table = await readCsv('id,x,features,sparse,name\n1,0.1,1.5 0.25 1e-310,$3$1:2,"héllo ""q"""\n2,-2.5e300,4 5 6,0:1,\n3,3,7 8 9,2:3.25,"x,y"\n');
    const file = join(dir, 't.cols');
    await binaryColumnarStore.write(table, file);
    const back = await binaryColumnarStore.read(file);
    expect(back.schema).toEqual(table.schema);
    expect(rowsOf(back)).toEqual(rowsOf(table));
    expect(rowsOf(back)[2]).toEqual([3, 3, '7 8 9', '2:3.25', 'x,y']);
    const [vectors, sparse] = [back.columns[2], back.columns[3]];
    if (!isVectorColumn(vectors) || !isVectorColumn(sparse)) throw new Error('vector columns must come back as numbers');
    expect(vectors.values[1]).toBe(0.25);
    expect(vectors.values[2]).toBe(1e-310);
    expect(vectors.text).toBeUndefined(); // every cell was in canonical form: only numbers are stored
    expect(sparse.text).toEqual(['$3$1:2', '0:1', '2:3.25']); // kept, so pages and outputs show what was uploaded
  });

  it('puts the numbers on shared memory, where the feature matrix is read without a copy', async () => {
    const table = tableFromRows([['1 2', 'a'], ['3 4', 'b']], parseSchemaStr('f vector, s string'));
    const file = join(dir, 't.cols');
    await binaryColumnarStore.write(table, file);
    const back = await binaryColumnarStore.read(file);
    const column = back.columns[0];
    const features = extractFeatures(back, { vectorCol: 'f' });
    expect(Array.from(features.data)).toEqual([1, 2, 3, 4]);
    expect(features.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(isVectorColumn(column) && features.data === column.values).toBe(true);
  });

  it('says the file is damaged, and what to do, when it is not a columnar file or is cut short', async () => {
    const file = join(dir, 'bad.cols');
    writeFileSync(file, 'id,x\n1,2\n');
    await expect(binaryColumnarStore.read(file)).rejects.toThrow(/bad.cols is damaged \(not a Mixflow columnar file\); delete it/);
    await binaryColumnarStore.write(tableFromRows([[1, 2]], parseSchemaStr('a double, b double')), file);
    writeFileSync(file, readFileSync(file).subarray(0, -8));
    await expect(binaryColumnarStore.read(file)).rejects.toThrow(/damaged \(column 2 lies outside the file\)/);
  });
});
