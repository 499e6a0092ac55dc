import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { DataEngine, parquetStats, writeParquet } from '@mixflow/data-engine';
import { binaryColumnarStore, readCsv } from '@mixflow/table';
import { blobs, blobsCsv, dataFiles, followEvents, pipelineGraph, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(120_000);

const numericCsv = 'id,x,y,name\n1,0.5,10,ann\n2,NA,20,"bob, jr"\n3,2.5,,cy\n4,4,40,ann\n';

/** Buffers a binary response (supertest leaves unknown types unparsed). */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
}

describe('API end to end: datasets stored as Parquet', () => {
  const dir = tempDir('datasets');
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    url = server.url;
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores an uploaded CSV as Parquet with its inferred schema and per-column statistics', async () => {
    const ds = (await upload(url, numericCsv, 'people.csv').expect(201)).body;
    expect(ds.name).toBe('people');
    expect(ds.rowCount).toBe(4);
    expect(ds.schema.columns).toEqual([
      { name: 'id', type: 'long' },
      { name: 'x', type: 'double', missing: 1 },
      { name: 'y', type: 'long', missing: 1 },
      { name: 'name', type: 'string' },
    ]);
    expect(ds.stats[0]).toEqual({ name: 'id', count: 4, missing: 0, min: 1, max: 4, mean: 2.5, std: expect.any(Number), distinct: 4 });
    expect(ds.stats[0].std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(ds.stats[1]).toMatchObject({ name: 'x', count: 3, missing: 1, min: 0.5, max: 4 });
    expect(ds.stats[3]).toMatchObject({ name: 'name', count: 4, missing: 0, min: 'ann', max: 'cy', distinct: 3 });
    expect(fs.existsSync(path.join(dir, 'datasets', `${ds.id}.parquet`))).toBe(true);
    expect(dataFiles(dir).datasets.filter((f) => f.startsWith(ds.id))).toEqual([`${ds.id}.parquet`]);
    expect((await request(url).get(`/api/datasets/${ds.id}`).expect(200)).body.stats).toEqual(ds.stats);

    const page = (await request(url).get(`/api/datasets/${ds.id}/preview?offset=1&limit=2`).expect(200)).body;
    expect(page).toEqual({ columns: ds.schema.columns, rows: [[2, null, 20, 'bob, jr'], [3, 2.5, null, 'cy']], total: 4 });
  });

  it('Write Dataset saves a run\'s table as a new dataset: listed, with statistics, readable, downloadable; a bad name is a 400', async () => {
    const source = (await upload(url, numericCsv, 'source.csv').expect(201)).body;
    const graph = (datasetName: string) => ({
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: source.id } },
        { id: 'filter', componentId: 'filter-mapping', position: { x: 0, y: 100 }, params: { clause: 'x IS NOT NULL', selectClause: 'id, x * 2 AS x2, name' } },
        { id: 'write', componentId: 'write-dataset', position: { x: 0, y: 200 }, params: { datasetName } },
      ],
      edges: [
        { id: 'e1', source: 'read', sourcePort: 0, target: 'filter', targetPort: 0 },
        { id: 'e2', source: 'filter', sourcePort: 0, target: 'write', targetPort: 0 },
      ],
    });
    const exp = (await request(url).post('/api/experiments').send({ name: 'write', graph: graph('doubled x') }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    const id = done.nodes.write.metrics.datasetId as string;
    const listed = (await request(url).get('/api/datasets').expect(200)).body.find((d: { id: string }) => d.id === id);
    expect(listed).toMatchObject({ name: 'doubled x', rowCount: 3, builtIn: false });
    expect(listed.schema.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['id:long', 'x2:double', 'name:string']);
    expect(listed.stats.find((c: { name: string }) => c.name === 'x2')).toMatchObject({ count: 3, missing: 0, min: 1, max: 8 });
    const csv = await request(url).get(`/api/datasets/${id}/download?format=csv`).expect(200);
    expect(csv.text).toBe('id,x2,name\n1,1.0,ann\n3,5.0,cy\n4,8.0,ann\n');
    const parquet = await request(url).get(`/api/datasets/${id}/download?format=parquet`).buffer(true).parse(binary).expect(200);
    expect((parquet.body as Buffer).subarray(0, 4).toString()).toBe('PAR1');
    expect((await request(url).get(`/api/datasets/${id}/preview`).expect(200)).body.rows).toEqual([
      [1, 1, 'ann'],
      [3, 5, 'cy'],
      [4, 8, 'ann'],
    ]);
    // a bad name is refused before anything runs, naming the node and the parameter
    const bad = (await request(url).post('/api/experiments').send({ name: 'write bad', graph: graph('tab\there') }).expect(201)).body;
    const refused = await request(url).post(`/api/experiments/${bad.id}/runs`).send({}).expect(400);
    expect(refused.body.details).toMatchObject({ nodeId: 'write', parameter: 'datasetName' });
    expect(refused.body.message).toMatch(/Dataset name holds a control or bidirectional-override character \(U\+0009/);
  });

  it('Write Dataset with Overwrite replaces the rows of the dataset of that name, keeping its id; a Read Dataset of it reads the new rows', async () => {
    const source = (await upload(url, numericCsv, 'source.csv').expect(201)).body;
    const name = `weekly ${Date.now()}`;
    const graph = (clause: string) => ({
      nodes: [
        { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: source.id } },
        { id: 'filter', componentId: 'filter-mapping', position: { x: 0, y: 100 }, params: { clause, selectClause: 'id, name' } },
        { id: 'write', componentId: 'write-dataset', position: { x: 0, y: 200 }, params: { datasetName: name, overwriteSink: true } },
      ],
      edges: [
        { id: 'e1', source: 'read', sourcePort: 0, target: 'filter', targetPort: 0 },
        { id: 'e2', source: 'filter', sourcePort: 0, target: 'write', targetPort: 0 },
      ],
    });
    const runIt = async (clause: string) => {
      const exp = (await request(url).post('/api/experiments').send({ name: clause, graph: graph(clause) }).expect(201)).body;
      const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
      expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
      return (await request(url).get(`/api/runs/${run.id}`).expect(200)).body.nodes.write.metrics as { datasetId: string; replaced: boolean; rows: number };
    };
    const first = await runIt('id <= 2'); // nothing of that name yet: a new dataset
    expect(first).toMatchObject({ replaced: false, rows: 2 });
    const second = await runIt('id > 1');
    expect(second).toMatchObject({ datasetId: first.datasetId, replaced: true, rows: 3 });
    const named = (await request(url).get('/api/datasets').expect(200)).body.filter((d: { name: string }) => d.name === name);
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({ id: first.datasetId, rowCount: 3 });
    expect(named[0].stats.find((c: { name: string }) => c.name === 'id')).toMatchObject({ count: 3, min: 2, max: 4 });
    expect((await request(url).get(`/api/datasets/${first.datasetId}/download?format=csv`).expect(200)).text).toBe('id,name\n2,"bob, jr"\n3,cy\n4,ann\n');
    // the old file is gone: one Parquet file for the dataset
    expect(fs.readdirSync(path.join(server.dir, 'datasets')).filter((f) => f.startsWith(first.datasetId))).toHaveLength(1);
    // a Read Dataset of it reads the new rows
    const reader = {
      nodes: [{ id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: first.datasetId } }],
      edges: [],
    };
    const exp = (await request(url).post('/api/experiments').send({ name: 'reader', graph: reader }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    await followEvents(url, run.id);
    expect((await request(url).get(`/api/runs/${run.id}/nodes/read/outputs/0`).expect(200)).body.rows.map((r: unknown[]) => r[0])).toEqual([2, 3, 4]);
  });

  it('downloads a dataset as CSV and as Parquet, streamed, and a downloaded Parquet uploads again as the same table', async () => {
    const ds = (await upload(url, numericCsv, 'people.csv').expect(201)).body;
    const csv = await request(url).get(`/api/datasets/${ds.id}/download?format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="people.csv"');
    expect(csv.text).toBe('id,x,y,name\n1,0.5,10,ann\n2,,20,"bob, jr"\n3,2.5,,cy\n4,4.0,40,ann\n');
    expect((await readCsv(csv.text)).schema).toEqual({ columns: ds.schema.columns });
    expect((await request(url).get(`/api/datasets/${ds.id}/download`).expect(200)).text).toBe(csv.text);

    const parquet = await request(url).get(`/api/datasets/${ds.id}/download?format=parquet`).buffer(true).parse(binary).expect(200);
    const bytes = parquet.body as Buffer;
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    const again = (await request(url).post('/api/datasets').attach('file', bytes, 'copy.parquet').expect(201)).body;
    expect(again.name).toBe('copy');
    expect(again.schema).toEqual(ds.schema);
    expect(again.stats).toEqual(ds.stats);
    await request(url).get(`/api/datasets/${ds.id}/download?format=xlsx`).expect(400);
    expect(dataFiles(dir).tmp).toEqual([]);
  });

  it('uploads JSON lines with Alink types', async () => {
    const jsonl = '{"a":1,"b":1.5,"s":"x","v":[1,2]}\n{"a":2,"b":null,"s":"y","v":[3,4]}\n';
    const ds = (await request(url).post('/api/datasets').attach('file', Buffer.from(jsonl), 'events.jsonl').expect(201)).body;
    expect(ds.name).toBe('events');
    expect(ds.schema.columns).toEqual([
      { name: 'a', type: 'long' },
      { name: 'b', type: 'double', missing: 1 },
      { name: 's', type: 'string' },
      { name: 'v', type: 'vector', vectorSize: 2 },
    ]);
    const page = (await request(url).get(`/api/datasets/${ds.id}/preview`).expect(200)).body;
    expect(page.rows).toEqual([[1, 1.5, 'x', '1 2'], [2, null, 'y', '3 4']]);
  });

  it.each([
    ['broken.parquet', 'this is not a parquet file', /^the Parquet file 'broken' cannot be read: No magic bytes found at end of the file$/],
    ['broken.jsonl', '{"a": 1}\n{"a": \n', /JSON-lines file 'broken' cannot be read: .*JSON/i],
  ])('a %s that cannot be read is a 400 naming the problem, and nothing is kept', async (name, content, message) => {
    const before = { list: (await request(url).get('/api/datasets').expect(200)).body.length, files: dataFiles(dir) };
    const res = await request(url).post('/api/datasets').attach('file', Buffer.from(content), name).expect(400);
    expect(res.body.message).toMatch(message);
    expect(res.body.message).not.toMatch(/\.upload|line 1, column/);
    expect({ list: (await request(url).get('/api/datasets').expect(200)).body.length, files: dataFiles(dir) }).toEqual(before);
  });

  it('stores a vector CSV, read in batches, as the whole read stored it: schema, vector sizes, missing counts, statistics, every value in order', async () => {
    const csvs = {
      dense: 'id,v,x\n1,"1 2 3",0.5\n2,"4 5 6",\n3,"-0 1e-310 7",NaN\n4,"0.1 0.2 0.3",2\n',
      sparse: 's,u\n$5$0:1 3:2,0:1\n$5$4:1,2:5 1:1\n$5$,0:2\n',
      mixed: 'v,w,name\n"1,2",1 2,ann lee\n3 4,3 4,bob\n5 6,$2$1:1,c\n',
      missing: 'v,w,n\n1 2,1 2,1\n,3 4,\n5 6,NaN,3\n',
    };
    const engine = await DataEngine.open();
    try {
      for (const [name, csv] of Object.entries(csvs)) {
        const ds = (await upload(url, csv, `${name}.csv`).expect(201)).body;
        const whole = await readCsv(csv);
        const expected = path.join(dir, `${name}-whole.parquet`);
        await writeParquet(whole, expected);
        expect(ds.schema).toEqual(whole.schema);
        expect(ds.rowCount).toBe(whole.rowCount);
        expect(ds.stats).toEqual(await parquetStats(expected, whole.schema));
        const cells = async (p: string) => (await engine.rows(`SELECT to_json(t) AS j FROM read_parquet('${p}') t`)).map((r) => String(r.j));
        const typesOf = async (p: string) => (await engine.rows(`DESCRIBE SELECT * FROM read_parquet('${p}')`)).map((r) => r.column_type);
        const stored = path.join(dir, 'datasets', `${ds.id}.parquet`);
        expect(await typesOf(stored)).toEqual(await typesOf(expected));
        expect(await cells(stored)).toEqual(await cells(expected));
        fs.rmSync(expected);
      }
    } finally {
      engine.close();
    }
    const res = await upload(url, 'v\n1 2\n1 2\n1 2 3\n', 'bad.csv').expect(400);
    expect(res.body.message).toMatch(/row 3, column v: vector has dimension 3 but row 1 has 2/);
  });

  it('a CSV with a vector column trains from its Parquet (read a chunk at a time) like before', async () => {
    const ds = (await upload(url, blobsCsv(blobs([[0, 0], [6, 6], [6, -6]], 30))).expect(201)).body;
    expect(ds.schema.columns[0]).toEqual({ name: 'features', type: 'vector', vectorSize: 2 });
    const exp = (await request(url).post('/api/experiments').send({ name: 'parquet run', graph: pipelineGraph(ds.id) }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
  });
});

describe('API end to end: datasets of an earlier version are converted to Parquet on the first start', () => {
  const dir = tempDir('datasets-upgrade');
  let server: Server | undefined;

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('converts a CSV-only and a CSV + .cols dataset, logged, keeping every row; a run trains the same model as before', async () => {
    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    const csvText = blobsCsv(blobs([[0, 0], [6, 6], [6, -6]], 30));
    const a = (await upload(server.url, csvText, 'old-a.csv').expect(201)).body;
    const b = (await upload(server.url, numericCsv, 'old-b.csv').expect(201)).body;
    const previews = async (url: string) => [
      (await request(url).get(`/api/datasets/${a.id}/preview?limit=1000`).expect(200)).body,
      (await request(url).get(`/api/datasets/${b.id}/preview?limit=1000`).expect(200)).body,
    ];
    const exp = (await request(server.url).post('/api/experiments').send({ name: 'upgrade', graph: pipelineGraph(a.id) }).expect(201)).body;
    const modelOf = async (url: string) => {
      const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
      expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
      const summary = (await request(url).get('/api/models').expect(200)).body.find((m: { lineage: { runId?: string } }) => m.lineage.runId === run.id);
      const { model } = (await request(url).get(`/api/models/${summary.id}`).expect(200)).body;
      return { ...model, training: { ...model.training, seconds: 0 } };
    };
    const before = await previews(server.url);
    const modelBefore = await modelOf(server.url);
    await server.close();

    // what the earlier version left: <id>.csv (and, for b, its .cols), the row naming the CSV, no statistics
    const datasets = path.join(dir, 'datasets');
    fs.rmSync(path.join(datasets, `${a.id}.parquet`));
    fs.rmSync(path.join(datasets, `${b.id}.parquet`));
    fs.writeFileSync(path.join(datasets, `${a.id}.csv`), csvText);
    fs.writeFileSync(path.join(datasets, `${b.id}.csv`), numericCsv);
    await binaryColumnarStore.write(await readCsv(numericCsv), path.join(datasets, `${b.id}.cols`));
    const db = new Database(path.join(dir, 'mixflow.sqlite'));
    try {
      const update = db.prepare('UPDATE datasets SET fileName = ?, stats = NULL WHERE id = ?');
      update.run(`${a.id}.csv`, a.id);
      update.run(`${b.id}.csv`, b.id);
    } finally {
      db.close();
    }

    server = await startServer(dir, { MIXFLOW_SEED: '0' });
    expect(server.output()).toMatch(new RegExp(`dataset '${a.id}' \\(old-a\\) converted to Parquet .*: 90 rows from its CSV`));
    expect(server.output()).toMatch(new RegExp(`dataset '${b.id}' \\(old-b\\) converted to Parquet .*: 4 rows from its columnar form`));
    expect(fs.readdirSync(datasets).filter((f) => f.startsWith(a.id) || f.startsWith(b.id)).sort()).toEqual([`${a.id}.parquet`, `${b.id}.parquet`].sort());
    expect(await previews(server.url)).toEqual(before);
    const converted = (await request(server.url).get(`/api/datasets/${b.id}`).expect(200)).body;
    expect(converted.stats[0]).toMatchObject({ name: 'id', count: 4, min: 1, max: 4 });
    expect(await modelOf(server.url)).toEqual(modelBefore);
  });
});
